# tests/unit_encoder.mk — (filled in by the module's owner)
