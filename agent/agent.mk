# agent/agent.mk — the preloadable agent library (hooks, sampling, buckets,
# snapshots, the agent thread, options, symbolizer) and the launcher.
lib_LTLIBRARIES += libpprof-agent.la
libpprof_agent_la_SOURCES = \
	agent/agent_init.c agent/agent.h \
	agent/agent_sys.c agent/agent_sys.h \
	agent/options.c agent/options.h \
	agent/dump_files.c agent/dump_files.h \
	agent/symbolize.c agent/symbolize.h \
	agent/symbolize_arena.c agent/symbolize_arena.h \
	agent/symbolize_cache.c agent/symbolize_cache.h \
	agent/symbolize_dwarf.c agent/symbolize_dwarf.h \
	agent/symbolize_debuginfo.c agent/symbolize_debuginfo.h \
	agent/symbolize_object.c agent/symbolize_object.h \
	agent/proc_maps.c agent/proc_maps.h \
	agent/real_alloc.c agent/real_alloc.h \
	agent/malloc_hooks.c \
	agent/sampler.c agent/sampler.h \
	agent/stack.c agent/stack.h \
	agent/agent_arena.c agent/agent_arena.h \
	agent/buckets.c agent/buckets.h \
	agent/sampled_addrs.c agent/sampled_addrs.h \
	agent/heap_profile.c agent/heap_profile.h \
	agent/profile_kinds.c agent/profile_kinds.h \
	agent/agent_thread.c agent/agent_thread.h \
	agent/real_pthread.c agent/real_pthread.h \
	agent/contention.c agent/contention.h \
	agent/lock_hooks.c agent/thread_hooks.c agent/dl_hooks.c \
	agent/api.c
libpprof_agent_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -ftls-model=initial-exec \
	$(LIBUNWIND_CFLAGS) $(LIBDW_CFLAGS)
libpprof_agent_la_LIBADD = libpprof-encoder.la $(LIBUNWIND_LIBS) $(LIBDW_LIBS) -lpthread -ldl -lm
libpprof_agent_la_LDFLAGS = -avoid-version -Wl,-z,nodelete

bin_PROGRAMS += pprof-agent
pprof_agent_SOURCES = agent/launcher.c agent/options.c agent/options.h
pprof_agent_CPPFLAGS = $(AM_CPPFLAGS) -DPPROF_AGENT_LIBDIR='"$(libdir)"' \
	-DPPROF_AGENT_VERSION='"$(PACKAGE_VERSION)"'
