# src/symbolize/symbolize.mk — the in-process symbolizer (libdw). A library
# of its own: it sees no agent header. It does not link libdw or libelf (only
# their headers are used): it loads them at run time through
# pprof-agent-libdw.so, installed beside the agent (docs/isolation.md).
SYMBOLIZE_SOURCES = \
	src/symbolize/symbolize.h src/symbolize/symbolizer.c \
	src/symbolize/object.h src/symbolize/object.c \
	src/symbolize/debuginfo.h src/symbolize/debuginfo.c \
	src/symbolize/dwarf_frames.h src/symbolize/dwarf_frames.c \
	src/symbolize/dwarf_names.h src/symbolize/dwarf_names.c \
	src/symbolize/die_tree.h src/symbolize/die_tree.c \
	src/symbolize/demangle.h src/symbolize/demangle.c \
	src/symbolize/cxx_names.h src/symbolize/cxx_names.c \
	src/symbolize/cu_index.h src/symbolize/cu_index.c src/symbolize/array_grow.h \
	src/symbolize/symbol_index.h src/symbolize/symbol_index.c \
	src/symbolize/pc_cache.h src/symbolize/pc_cache.c \
	src/symbolize/string_arena.h src/symbolize/string_arena.c \
	src/symbolize/proc_maps.h src/symbolize/proc_maps.c \
	src/symbolize/private_fd.h src/symbolize/private_fd.c \
	src/symbolize/libdw_fns.h src/symbolize/libdw_fns.c \
	src/symbolize/dynamic_symbol.h src/symbolize/dynamic_symbol.c
SYMBOLIZE_CPPFLAGS = $(CONFIG_CPPFLAGS) $(SYMBOLIZE_INC) $(LIBDW_CFLAGS) \
	-DPPROF_AGENT_LIBDIR='"$(libdir)"'

noinst_LTLIBRARIES += libpprof-symbolize.la
libpprof_symbolize_la_SOURCES = $(SYMBOLIZE_SOURCES)
libpprof_symbolize_la_CPPFLAGS = $(SYMBOLIZE_CPPFLAGS)
libpprof_symbolize_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
libpprof_symbolize_la_LIBADD = -ldl

# The object libdw is loaded through, with RTLD_DEEPBIND (libdw_scope.c).
lib_LTLIBRARIES += pprof-agent-libdw.la
pprof_agent_libdw_la_SOURCES = src/symbolize/libdw_scope.c
pprof_agent_libdw_la_CPPFLAGS = $(CONFIG_CPPFLAGS) $(LIBDW_CFLAGS)
pprof_agent_libdw_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
pprof_agent_libdw_la_LDFLAGS = -module -avoid-version -shared
pprof_agent_libdw_la_LIBADD = $(LIBDW_LIBS) -ldl
