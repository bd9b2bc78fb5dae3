# tests/unit_options.mk — (filled in by the module's owner)
