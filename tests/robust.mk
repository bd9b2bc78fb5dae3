# tests/robust.mk — end-to-end robustness tests: C++, threads, options,
# fork/exec, dlopen/dlclose, snapshot signal and interval, a full disk,
# other preloaded allocators, unmodified system programs.
check_PROGRAMS += tests/prog_threads
tests_prog_threads_CFLAGS = $(E2E_PROG_CFLAGS)
tests_prog_threads_LDADD = -lpthread

check_PROGRAMS += tests/prog_wait
tests_prog_wait_CFLAGS = $(E2E_PROG_CFLAGS)

check_PROGRAMS += tests/prog_fork
tests_prog_fork_CFLAGS = $(E2E_PROG_CFLAGS)
tests_prog_fork_LDADD = -lpthread

check_PROGRAMS += tests/prog_dlopen
tests_prog_dlopen_CFLAGS = $(E2E_PROG_CFLAGS)
tests_prog_dlopen_LDADD = -ldl

# Built by the scripts themselves: the C++ program (configure has no C++
# compiler check) and the library e2e_dlopen.sh loads and unloads.
robust_fixtures = tests/prog_cxx.cc tests/prog_dlopen_lib.c tests/dlopen_lib.sh

robust_scripts = tests/e2e_cxx.sh tests/e2e_threads.sh tests/e2e_options.sh \
	tests/e2e_fork_exec.sh tests/e2e_dlopen.sh tests/e2e_signal_interval.sh \
	tests/e2e_full_disk.sh tests/e2e_allocators.sh tests/e2e_system_program.sh \
	tests/e2e_dlopen_reuse.sh
XFAIL_TESTS = tests/e2e_dlopen_reuse.sh
TESTS += $(robust_scripts)
EXTRA_DIST += $(robust_scripts) $(robust_fixtures)
