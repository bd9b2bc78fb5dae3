# src/launcher/launcher.mk — the pprof-agent command, an ordinary program
# that sees only the options layer.
bin_PROGRAMS += pprof-agent
pprof_agent_SOURCES = src/launcher/launcher.c src/launcher/preloadable.h src/launcher/preloadable.c
pprof_agent_CPPFLAGS = $(CONFIG_CPPFLAGS) $(OPTIONS_INC) -I$(top_srcdir)/src/launcher -DPPROF_AGENT_LIBDIR='"$(libdir)"' \
	-DPPROF_AGENT_SONAME='"$(PPROF_AGENT_SONAME)"' \
	-DPPROF_AGENT_VERSION='"$(PACKAGE_VERSION)"'
pprof_agent_LDADD = libpprof-options.la
