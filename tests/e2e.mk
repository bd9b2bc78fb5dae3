# tests/e2e.mk — (filled in by the module's owner)
