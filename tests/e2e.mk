# tests/e2e.mk — end-to-end tests: programs run under the agent, their
# profiles read back through go tool pprof.
E2E_PROG_CFLAGS = -O1 -g -fno-omit-frame-pointer
noinst_PROGRAMS += tests/example_app
tests_example_app_CFLAGS = $(E2E_PROG_CFLAGS)
tests_example_app_LDADD = -lpthread

check_PROGRAMS += tests/prog_heap_exact
tests_prog_heap_exact_CFLAGS = $(E2E_PROG_CFLAGS)

check_PROGRAMS += tests/prog_heap_mixed
tests_prog_heap_mixed_CFLAGS = $(E2E_PROG_CFLAGS)

check_PROGRAMS += tests/prog_contention
tests_prog_contention_CFLAGS = $(E2E_PROG_CFLAGS)
tests_prog_contention_LDADD = -lpthread

noinst_PROGRAMS += tests/bench_malloc tests/bench_locks
tests_bench_malloc_CFLAGS = -O2 -g
tests_bench_malloc_LDADD = -lpthread
tests_bench_locks_CFLAGS = -O2 -g
tests_bench_locks_LDADD = -lpthread

e2e_scripts = tests/e2e_heap_exact.sh tests/e2e_heap_accuracy.sh tests/e2e_contention.sh
TESTS += $(e2e_scripts)
EXTRA_DIST += $(e2e_scripts) tests/lib.sh
