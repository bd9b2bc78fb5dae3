# tests/e2e.mk — end-to-end tests: programs run under the agent, their
# profiles read back through go tool pprof.
E2E_PROG_CFLAGS = -O1 -g -fno-omit-frame-pointer
check_PROGRAMS += tests/prog_heap_exact
tests_prog_heap_exact_CFLAGS = $(E2E_PROG_CFLAGS)

e2e_scripts = tests/e2e_heap_exact.sh
TESTS += $(e2e_scripts)
EXTRA_DIST += $(e2e_scripts) tests/lib.sh
