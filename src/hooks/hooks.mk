# src/hooks/hooks.mk — the interposed functions and the resolution of the
# next definitions they forward to.
HOOKS_SOURCES = \
	src/hooks/hooks.h \
	src/hooks/bootstrap_arena.h src/hooks/bootstrap_arena.c \
	src/hooks/next_alloc.h src/hooks/next_alloc.c \
	src/hooks/next_pthread.h src/hooks/next_pthread.c \
	src/hooks/malloc_hooks.c src/hooks/lock_hooks.c \
	src/hooks/thread_hooks.c src/hooks/dl_hooks.c src/hooks/exec_hooks.c \
	src/hooks/signal_hooks.c src/hooks/exit_hooks.c
HOOKS_CPPFLAGS = $(CONFIG_CPPFLAGS) $(HOOKS_INC) $(CORE_INC)

noinst_LTLIBRARIES += libpprof-hooks.la
libpprof_hooks_la_SOURCES = $(HOOKS_SOURCES)
libpprof_hooks_la_CPPFLAGS = $(HOOKS_CPPFLAGS)
libpprof_hooks_la_CFLAGS = $(HOT_CFLAGS)
libpprof_hooks_la_LIBADD = -ldl -lpthread
