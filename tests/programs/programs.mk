# tests/programs/programs.mk — the programs the end-to-end tests run under
# the agent: workloads with known truths, built without the agent (it is
# preloaded at run time) and with frame pointers and debug info so their
# profiles name every function. More are built by the scripts that use
# them: prog_cxx.cc (configure checks no C++ compiler), the library
# prog_dlopen_lib.c that e2e_dlopen*.sh and e2e_fork_storm.sh load and
# unload, host_setuid.c, linked with the agent, for
# e2e_host_privileges.sh, and host_namesakes.c with its library
# host_namesakes_lib.c for e2e_private_deps.sh.
PROG_CFLAGS = -O1 -g -fno-omit-frame-pointer

check_PROGRAMS += tests/programs/prog_heap_exact tests/programs/prog_heap_mixed \
	tests/programs/prog_contention tests/programs/prog_threads tests/programs/prog_wait \
	tests/programs/prog_fork tests/programs/prog_dlopen tests/programs/prog_fork_storm \
	tests/programs/prog_endings tests/programs/prog_cpu tests/programs/prog_http_fork \
	tests/programs/prog_http_rate tests/programs/prog_http_work
tests_programs_prog_http_rate_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_http_rate_LDADD = -lpthread
tests_programs_prog_http_work_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_cpu_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_cpu_LDADD = -lpthread -ldl
tests_programs_prog_http_fork_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_heap_exact_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_heap_mixed_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_contention_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_contention_LDADD = -lpthread
tests_programs_prog_threads_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_threads_LDADD = -lpthread
tests_programs_prog_wait_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_fork_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_fork_LDADD = -lpthread
tests_programs_prog_dlopen_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_dlopen_LDADD = -ldl
tests_programs_prog_fork_storm_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_fork_storm_LDADD = -lpthread -ldl
tests_programs_prog_endings_CFLAGS = $(PROG_CFLAGS)
tests_programs_prog_endings_LDADD = -lpthread

# Programs that show how an in-process agent can harm its host (signals,
# descriptors, process lifetime, deadlocks), for the e2e_host_*.sh tests.
check_PROGRAMS += tests/programs/host_signals tests/programs/host_fds \
	tests/programs/host_lifetime tests/programs/host_signal_malloc tests/programs/host_writer \
	tests/programs/host_waits
tests_programs_host_signals_CFLAGS = $(PROG_CFLAGS)
tests_programs_host_signals_LDADD = -lpthread
tests_programs_host_fds_CFLAGS = $(PROG_CFLAGS)
tests_programs_host_fds_LDADD = -lpthread
tests_programs_host_lifetime_CFLAGS = $(PROG_CFLAGS)
tests_programs_host_lifetime_LDADD = -lpthread
tests_programs_host_signal_malloc_CFLAGS = $(PROG_CFLAGS)
tests_programs_host_signal_malloc_LDADD = -lpthread
tests_programs_host_writer_CFLAGS = $(PROG_CFLAGS)
tests_programs_host_waits_CFLAGS = $(PROG_CFLAGS)
tests_programs_host_waits_LDADD = -lpthread

# A harmless shared object for the launcher to preload in place of the
# agent; -rpath makes libtool build it shared although it is never installed.
check_LTLIBRARIES += tests/programs/launcher_fixture.la
tests_programs_launcher_fixture_la_SOURCES = tests/programs/launcher_fixture.c
tests_programs_launcher_fixture_la_LDFLAGS = -module -avoid-version -shared \
	-rpath $(abs_builddir)/tests/programs

EXTRA_DIST += tests/programs/usr2_handler_lib.c tests/programs/cpu_work.py
EXTRA_DIST += tests/programs/prog_cxx.cc tests/programs/prog_dlopen_lib.c tests/programs/host_setuid.c \
	tests/programs/host_namesakes.c tests/programs/host_namesakes_lib.c
