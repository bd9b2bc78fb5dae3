# src/core/core.mk — the counting core: sampling, stacks, buckets, sampled
# addresses, records, rates, locks and seams. Hot-path code: initial-exec
# TLS.
CORE_SOURCES = \
	src/core/core.h src/core/guard.c \
	src/core/spinlock.h src/core/spinlock.c \
	src/core/core_sys.h src/core/core_sys.c \
	src/core/rates.h src/core/rates.c \
	src/core/signal_claims.h src/core/signal_claims.c \
	src/core/exit_notice.h src/core/exit_notice.c \
	src/core/sampler.h src/core/sampler.c \
	src/core/stack.h src/core/stack.c \
	src/core/frame_rule.h src/core/eh_frame.h src/core/eh_frame.c \
	src/core/frame_rules.h src/core/frame_rules.c \
	src/core/unwind.h src/core/unwind.c \
	src/core/thread_stack.h src/core/thread_stack.c \
	src/core/arena.h src/core/arena.c \
	src/core/buckets.h src/core/buckets.c \
	src/core/mem_tally.h src/core/mem_tally.c \
	src/core/cpu_record.h src/core/cpu_record.c \
	src/core/cpu_signal_samples.h src/core/cpu_signal_samples.c \
	src/core/unload_fence.h src/core/unload_fence.c \
	src/core/agent_thread_names.h \
	src/core/sampled_addrs.h src/core/sampled_addrs.c \
	src/core/heap_record.h src/core/heap_record.c \
	src/core/lock_waiters.h src/core/lock_waiters.c \
	src/core/events.h src/core/events.c \
	src/core/module_instances.h src/core/module_instances.c \
	src/core/module_tags.h src/core/module_tags.c \
	src/core/lifecycle.h src/core/lifecycle.c \
	src/core/child_env.h src/core/child_env.c
CORE_CPPFLAGS = $(CONFIG_CPPFLAGS) $(CORE_INC)
HOT_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden -ftls-model=initial-exec

noinst_LTLIBRARIES += libpprof-core.la
libpprof_core_la_SOURCES = $(CORE_SOURCES)
libpprof_core_la_CPPFLAGS = $(CORE_CPPFLAGS)
libpprof_core_la_CFLAGS = $(HOT_CFLAGS)
libpprof_core_la_LIBADD = -lpthread -lm
