# tests/tests.mk — all tests: Check unit tests per module (one fragment per
# module) and end-to-end tests that run programs under the agent and read the
# profiles with go tool pprof.
TEST_CHECK_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
TEST_CHECK_LIBS = $(CHECK_LIBS)
include tests/unit_encoder.mk
include tests/unit_symbolize.mk
include tests/unit_options.mk
include tests/unit_core.mk
include tests/e2e.mk
include tests/robust.mk
