# src/runtime/runtime.mk — the agent library itself: the runtime's sources
# linked with every layer's convenience library.
RUNTIME_SOURCES = \
	src/runtime/runtime.h \
	src/runtime/process.h src/runtime/process.c \
	src/runtime/log.h src/runtime/log.c \
	src/runtime/init.c \
	src/runtime/agent_thread.h src/runtime/agent_thread.c \
	src/runtime/schedule.h src/runtime/schedule.c \
	src/runtime/snapshot.h src/runtime/snapshot.c \
	src/runtime/cpu_profiler.h src/runtime/cpu_profiler.c \
	src/runtime/cpu_perf.h src/runtime/cpu_perf.c \
	src/runtime/cpu_timers.h src/runtime/cpu_timers.c \
	src/runtime/host_threads.h src/runtime/host_threads.c \
	src/runtime/snapshot_signal.h src/runtime/snapshot_signal.c \
	src/runtime/dump_signal.h src/runtime/dump_signal.c \
	src/runtime/ending.h src/runtime/ending.c \
	src/runtime/abrupt_endings.h src/runtime/abrupt_endings.c \
	src/runtime/fork.h src/runtime/fork.c \
	src/runtime/api.c \
	src/runtime/mhd_lib.h src/runtime/mhd_lib.c \
	src/runtime/http_server.h src/runtime/http_server.c \
	src/runtime/http_pages.h src/runtime/http_pages.c
RUNTIME_CPPFLAGS = $(CONFIG_CPPFLAGS) $(RUNTIME_INC) $(REPORT_INC) $(HOOKS_INC) $(CORE_INC) \
	$(SYMBOLIZE_INC) $(ENCODER_INC) $(OPTIONS_INC) $(MHD_CFLAGS)

lib_LTLIBRARIES += libpprof-agent.la
libpprof_agent_la_SOURCES = $(RUNTIME_SOURCES)
libpprof_agent_la_CPPFLAGS = $(RUNTIME_CPPFLAGS)
libpprof_agent_la_CFLAGS = $(HOT_CFLAGS)
libpprof_agent_la_LIBADD = libpprof-hooks.la libpprof-report.la libpprof-core.la \
	libpprof-symbolize.la libpprof-encoder.la libpprof-options.la -lpthread -ldl -lm
# Only the hooks and the C API are exported (exports.map); protobuf-c and
# zlib are linked in from their static archives, kept local by the same
# script (docs/isolation.md).
libpprof_agent_la_LDFLAGS = -version-info $(PPROF_AGENT_LT_VERSION) -Wl,-z,nodelete \
	-Wl,--version-script=$(srcdir)/src/runtime/exports.map \
	-Wl,$(PROTOBUF_C_ARCHIVE) -Wl,$(ZLIB_ARCHIVE)
EXTRA_libpprof_agent_la_DEPENDENCIES = src/runtime/exports.map
EXTRA_DIST += src/runtime/exports.map
$(libpprof_agent_la_OBJECTS): proto/profile.pb-c.h
