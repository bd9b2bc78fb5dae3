# tests/unit/unit.mk — Check unit tests, one program per module. The layers
# with seams are built a second time for the tests with
# PPROF_AGENT_TESTING (seams writable) and PPROF_AGENT_DEBUG_CHECKS (lock
# order checked); test support code (scripted seams, profile decoding) is
# built once into small libraries. Check is needed by make check only:
# without it, make check stops at once and says what to install.

# The encoder's fixture for e2e_encoder.sh (no Check in it).
check_PROGRAMS += tests/unit/encoder_fixture
tests_unit_encoder_fixture_CPPFLAGS = $(ENCODER_CPPFLAGS)
tests_unit_encoder_fixture_LDADD = libpprof-encoder.la $(PROTOBUF_C_LIBS) $(ZLIB_LIBS)

if !HAVE_CHECK
check_DATA = no-check-library
no-check-library:
	@echo "make check: the unit tests need the Check library, which configure did not find;" \
		"install the Debian package check (apt-get install check), then run configure again" >&2
	@exit 1
.PHONY: no-check-library
else
TESTING_DEFS = -DPPROF_AGENT_TESTING -DPPROF_AGENT_DEBUG_CHECKS
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -g

check_LTLIBRARIES += tests/unit/libcore-testing.la tests/unit/libencoder-testing.la \
	tests/unit/libreport-testing.la tests/unit/libcore-fakes.la tests/unit/libprofile-decode.la
tests_unit_libcore_testing_la_SOURCES = $(CORE_SOURCES)
tests_unit_libcore_testing_la_CPPFLAGS = $(CORE_CPPFLAGS) $(TESTING_DEFS)
tests_unit_libcore_testing_la_CFLAGS = $(AM_CFLAGS) -g
tests_unit_libencoder_testing_la_SOURCES = $(ENCODER_SOURCES)
nodist_tests_unit_libencoder_testing_la_SOURCES = proto/profile.pb-c.c proto/profile.pb-c.h
tests_unit_libencoder_testing_la_CPPFLAGS = $(ENCODER_CPPFLAGS) $(TESTING_DEFS)
tests_unit_libencoder_testing_la_CFLAGS = $(AM_CFLAGS) -g
tests_unit_libreport_testing_la_SOURCES = $(REPORT_SOURCES)
tests_unit_libreport_testing_la_CPPFLAGS = $(REPORT_CPPFLAGS) $(TESTING_DEFS)
tests_unit_libreport_testing_la_CFLAGS = $(AM_CFLAGS) -g
tests_unit_libcore_fakes_la_SOURCES = tests/unit/fake_sys.h tests/unit/fake_sys.c \
	tests/unit/colliding_locks.h tests/unit/colliding_locks.c
tests_unit_libcore_fakes_la_CPPFLAGS = $(CORE_CPPFLAGS) $(TESTING_DEFS)
tests_unit_libprofile_decode_la_SOURCES = tests/unit/profile_decode.h tests/unit/profile_decode.c
tests_unit_libprofile_decode_la_CPPFLAGS = $(ENCODER_CPPFLAGS) $(CHECK_CFLAGS)
$(tests_unit_libencoder_testing_la_OBJECTS) $(tests_unit_libreport_testing_la_OBJECTS) \
	$(tests_unit_libprofile_decode_la_OBJECTS): proto/profile.pb-c.h
EXTRA_DIST += tests/unit/run_suite.h

CORE_TEST_CPPFLAGS = $(CORE_CPPFLAGS) $(TESTING_DEFS)
CORE_TEST_LDADD = tests/unit/libcore-fakes.la tests/unit/libcore-testing.la \
	$(CHECK_LIBS) -lm -lpthread
REPORT_TEST_CPPFLAGS = $(REPORT_CPPFLAGS) $(TESTING_DEFS)
REPORT_TEST_LDADD = tests/unit/libprofile-decode.la tests/unit/libreport-testing.la \
	libpprof-symbolize.la tests/unit/libencoder-testing.la $(CORE_TEST_LDADD) \
	$(PROTOBUF_C_LIBS) $(ZLIB_LIBS)

# src/core
unit_core_tests = tests/unit/test_sampler tests/unit/test_buckets \
	tests/unit/test_sampled_addrs tests/unit/test_heap_record tests/unit/test_mem_tally \
	tests/unit/test_cpu_record \
	tests/unit/test_lock_waiters \
	tests/unit/test_events tests/unit/test_rates tests/unit/test_spinlock \
	tests/unit/test_module_instances tests/unit/test_unwind tests/unit/test_thread_stack
check_PROGRAMS += $(unit_core_tests)
TESTS += $(unit_core_tests)
tests_unit_test_sampler_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_sampler_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sampler_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_buckets_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_buckets_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_buckets_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_sampled_addrs_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_sampled_addrs_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_sampled_addrs_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_heap_record_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_heap_record_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_heap_record_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_mem_tally_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_mem_tally_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_mem_tally_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_cpu_record_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_cpu_record_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cpu_record_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_lock_waiters_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_lock_waiters_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_lock_waiters_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_events_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_events_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_events_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_rates_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_rates_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_rates_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_spinlock_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_spinlock_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_spinlock_LDADD = $(CORE_TEST_LDADD)
tests_unit_test_module_instances_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_module_instances_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_module_instances_LDADD = $(CORE_TEST_LDADD)

tests_unit_test_unwind_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_unwind_CFLAGS = $(UNIT_CFLAGS) -O1
tests_unit_test_unwind_LDFLAGS = -rdynamic
tests_unit_test_unwind_LDADD = $(CORE_TEST_LDADD) -ldl
tests_unit_test_thread_stack_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_thread_stack_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_thread_stack_LDADD = $(CORE_TEST_LDADD)

# src/hooks (only the bootstrap arena runs outside an interposing library)
check_PROGRAMS += tests/unit/test_bootstrap_arena
TESTS += tests/unit/test_bootstrap_arena
tests_unit_test_bootstrap_arena_SOURCES = tests/unit/test_bootstrap_arena.c \
	src/hooks/bootstrap_arena.c
tests_unit_test_bootstrap_arena_CPPFLAGS = $(HOOKS_CPPFLAGS)
tests_unit_test_bootstrap_arena_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_bootstrap_arena_LDADD = tests/unit/libcore-testing.la $(CHECK_LIBS) -lpthread

# src/report
unit_report_tests = tests/unit/test_kinds tests/unit/test_records tests/unit/test_build \
	tests/unit/test_delta \
	tests/unit/test_files tests/unit/test_output_dir tests/unit/test_waiting_unwind
check_PROGRAMS += $(unit_report_tests)
TESTS += $(unit_report_tests)
tests_unit_test_waiting_unwind_CPPFLAGS = $(REPORT_TEST_CPPFLAGS)
tests_unit_test_waiting_unwind_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_waiting_unwind_LDADD = $(REPORT_TEST_LDADD)
tests_unit_test_kinds_CPPFLAGS = $(REPORT_TEST_CPPFLAGS)
tests_unit_test_kinds_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_kinds_LDADD = $(REPORT_TEST_LDADD)
tests_unit_test_records_CPPFLAGS = $(REPORT_TEST_CPPFLAGS)
tests_unit_test_records_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_records_LDADD = $(REPORT_TEST_LDADD)
tests_unit_test_build_CPPFLAGS = $(REPORT_TEST_CPPFLAGS)
tests_unit_test_build_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_build_LDADD = $(REPORT_TEST_LDADD)
tests_unit_test_files_CPPFLAGS = $(REPORT_TEST_CPPFLAGS)
tests_unit_test_files_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_files_LDADD = $(REPORT_TEST_LDADD)
tests_unit_test_output_dir_CPPFLAGS = $(REPORT_TEST_CPPFLAGS)
tests_unit_test_output_dir_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_output_dir_LDADD = $(REPORT_TEST_LDADD)
$(tests_unit_test_build_OBJECTS): proto/profile.pb-c.h
tests_unit_test_delta_CPPFLAGS = $(REPORT_TEST_CPPFLAGS)
tests_unit_test_delta_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_delta_LDADD = $(REPORT_TEST_LDADD)
$(tests_unit_test_delta_OBJECTS): proto/profile.pb-c.h

# src/encoder
check_PROGRAMS += tests/unit/test_encoder
TESTS += tests/unit/test_encoder
tests_unit_test_encoder_CPPFLAGS = $(ENCODER_CPPFLAGS) $(TESTING_DEFS)
tests_unit_test_encoder_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_encoder_LDADD = tests/unit/libprofile-decode.la tests/unit/libencoder-testing.la \
	$(CHECK_LIBS) $(PROTOBUF_C_LIBS) $(ZLIB_LIBS)
$(tests_unit_test_encoder_OBJECTS): proto/profile.pb-c.h

# src/options
check_PROGRAMS += tests/unit/test_options tests/unit/test_preload_list
TESTS += tests/unit/test_options tests/unit/test_preload_list
tests_unit_test_options_CPPFLAGS = $(OPTIONS_CPPFLAGS)
tests_unit_test_options_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_options_LDADD = libpprof-options.la $(CHECK_LIBS)
tests_unit_test_preload_list_CPPFLAGS = $(OPTIONS_CPPFLAGS)
tests_unit_test_preload_list_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_preload_list_LDADD = libpprof-options.la $(CHECK_LIBS)

# The symbol index against libdwfl's own lookup, which it replaces.
check_PROGRAMS += tests/unit/test_symbol_index
TESTS += tests/unit/test_symbol_index
tests_unit_test_symbol_index_CPPFLAGS = $(SYMBOLIZE_CPPFLAGS)
tests_unit_test_symbol_index_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_symbol_index_LDADD = libpprof-symbolize.la $(LIBDW_LIBS) $(CHECK_LIBS)

# src/symbolize, with two fixtures: an optimised source whose functions are
# inlined into each other (it sets -O2 itself with a pragma), and a shared
# object the test dlopens, retains and dlcloses, plus a stripped copy of it
# whose DWARF sits in tests/unit/.debug (found through .gnu_debuglink). The
# shared objects are built by plain rules.
check_PROGRAMS += tests/unit/test_symbolize
TESTS += tests/unit/test_symbolize
tests_unit_test_symbolize_SOURCES = tests/unit/test_symbolize.c \
	tests/programs/symbolize_fixture_inline.c
tests_unit_test_symbolize_CPPFLAGS = $(SYMBOLIZE_CPPFLAGS) \
	-DSYMBOLIZE_FIXTURE_DSO='"$(abs_builddir)/tests/unit/symbolize_fixture_dso.so"' \
	-DSYMBOLIZE_FIXTURE_SPLIT_DSO='"$(abs_builddir)/tests/unit/symbolize_fixture_dso_split.so"'
tests_unit_test_symbolize_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_symbolize_LDADD = libpprof-symbolize.la $(CHECK_LIBS) -ldl -lpthread
EXTRA_tests_unit_test_symbolize_DEPENDENCIES = tests/unit/symbolize_fixture_dso.so \
	tests/unit/symbolize_fixture_dso_split.so
tests/unit/symbolize_fixture_dso.so: $(srcdir)/tests/programs/symbolize_fixture_dso.c
	$(MKDIR_P) tests/unit
	$(CC) $(AM_CFLAGS) $(CFLAGS) -g -fPIC -shared -o $@ $(srcdir)/tests/programs/symbolize_fixture_dso.c
tests/unit/symbolize_fixture_dso_split.so: tests/unit/symbolize_fixture_dso.so
	$(MKDIR_P) tests/unit/.debug
	objcopy --only-keep-debug tests/unit/symbolize_fixture_dso.so \
		tests/unit/.debug/symbolize_fixture_dso_split.debug
	objcopy --strip-debug --add-gnu-debuglink=tests/unit/.debug/symbolize_fixture_dso_split.debug \
		tests/unit/symbolize_fixture_dso.so $@
EXTRA_DIST += tests/programs/symbolize_fixture_dso.c
CLEANFILES += tests/unit/symbolize_fixture_dso.so tests/unit/symbolize_fixture_dso_split.so \
	tests/unit/.debug/symbolize_fixture_dso_split.debug
endif
