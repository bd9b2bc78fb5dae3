# src/options/options.mk — the option parser and LD_PRELOAD editing, shared
# by the agent and the launcher.
OPTIONS_SOURCES = \
	src/options/options.h src/options/options.c \
	src/options/preload_list.h src/options/preload_list.c \
	src/options/http_addr.h src/options/http_addr.c
OPTIONS_CPPFLAGS = $(CONFIG_CPPFLAGS) $(OPTIONS_INC)

noinst_LTLIBRARIES += libpprof-options.la
libpprof_options_la_SOURCES = $(OPTIONS_SOURCES)
libpprof_options_la_CPPFLAGS = $(OPTIONS_CPPFLAGS)
libpprof_options_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
