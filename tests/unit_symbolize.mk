# tests/unit_symbolize.mk — (filled in by the module's owner)
