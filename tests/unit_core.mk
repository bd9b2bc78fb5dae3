# tests/unit_core.mk — (filled in by the module's owner)
