# tests/unit_symbolize.mk — Check unit tests of the in-process symbolizer
# (agent/symbolize.c and its helpers), with two fixtures: an optimised source
# whose functions are inlined into each other (inline chains; it sets -O2
# itself with a pragma, so it stays optimised whatever CFLAGS say), and a
# shared object the test dlopens, retains and dlcloses, plus a stripped copy
# of it whose DWARF sits in tests/.debug (found through .gnu_debuglink). The
# shared objects are built by plain rules here, to keep this fragment
# independent of the other fragments' check_LTLIBRARIES.
check_PROGRAMS += tests/test_symbolize
TESTS += tests/test_symbolize
tests_test_symbolize_SOURCES = tests/test_symbolize.c tests/symbolize_fixture_inline.c \
	agent/symbolize.c agent/symbolize.h \
	agent/symbolize_object.c agent/symbolize_object.h \
	agent/symbolize_debuginfo.c agent/symbolize_debuginfo.h \
	agent/symbolize_dwarf.c agent/symbolize_dwarf.h \
	agent/symbolize_cache.c agent/symbolize_cache.h \
	agent/symbolize_arena.c agent/symbolize_arena.h \
	agent/proc_maps.c agent/proc_maps.h
tests_test_symbolize_CFLAGS = $(TEST_CHECK_CFLAGS) $(LIBDW_CFLAGS) -g \
	-DSYMBOLIZE_FIXTURE_DSO='"$(abs_builddir)/tests/symbolize_fixture_dso.so"' \
	-DSYMBOLIZE_FIXTURE_SPLIT_DSO='"$(abs_builddir)/tests/symbolize_fixture_dso_split.so"'
tests_test_symbolize_LDADD = $(TEST_CHECK_LIBS) $(LIBDW_LIBS) -ldl
EXTRA_tests_test_symbolize_DEPENDENCIES = tests/symbolize_fixture_dso.so \
	tests/symbolize_fixture_dso_split.so

tests/symbolize_fixture_dso.so: $(srcdir)/tests/symbolize_fixture_dso.c
	$(MKDIR_P) tests
	$(CC) $(AM_CFLAGS) $(CFLAGS) -g -fPIC -shared -o $@ $(srcdir)/tests/symbolize_fixture_dso.c
tests/symbolize_fixture_dso_split.so: tests/symbolize_fixture_dso.so
	$(MKDIR_P) tests/.debug
	objcopy --only-keep-debug tests/symbolize_fixture_dso.so tests/.debug/symbolize_fixture_dso_split.debug
	objcopy --strip-debug --add-gnu-debuglink=tests/.debug/symbolize_fixture_dso_split.debug \
		tests/symbolize_fixture_dso.so $@
EXTRA_DIST += tests/symbolize_fixture_dso.c
CLEANFILES += tests/symbolize_fixture_dso.so tests/symbolize_fixture_dso_split.so \
	tests/.debug/symbolize_fixture_dso_split.debug
