# tests/unit_options.mk — unit tests of the options parser and the profile
# files on disk (Check), and the end-to-end test of the launcher, which runs
# programs with a stand-in preload library (tests/launcher_fixture.c) so it
# needs nothing from the real agent.
check_PROGRAMS += tests/test_options tests/test_dump_files
TESTS += tests/test_options tests/test_dump_files tests/e2e_launcher.sh
EXTRA_DIST += tests/e2e_launcher.sh

tests_test_options_SOURCES = tests/test_options.c agent/options.c agent/options.h
tests_test_options_CFLAGS = $(TEST_CHECK_CFLAGS)
tests_test_options_LDADD = $(TEST_CHECK_LIBS)

tests_test_dump_files_SOURCES = tests/test_dump_files.c \
	agent/dump_files.c agent/dump_files.h agent/agent_sys.c agent/agent_sys.h
tests_test_dump_files_CFLAGS = $(TEST_CHECK_CFLAGS)
tests_test_dump_files_LDADD = $(TEST_CHECK_LIBS)

# A harmless shared object for the launcher to preload in place of the agent;
# -rpath makes libtool build it shared although it is never installed.
check_LTLIBRARIES += tests/launcher_fixture.la
tests_launcher_fixture_la_SOURCES = tests/launcher_fixture.c
tests_launcher_fixture_la_LDFLAGS = -module -avoid-version -shared -rpath $(abs_builddir)/tests
