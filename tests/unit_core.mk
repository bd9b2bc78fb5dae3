# tests/unit_core.mk — Check unit tests of the agent's core: sampler maths,
# stack buckets, the sampled-address table.
check_PROGRAMS += tests/test_core
TESTS += tests/test_core
tests_test_core_SOURCES = tests/test_core.c agent/sampler.c agent/buckets.c \
	agent/agent_arena.c agent/sampled_addrs.c agent/heap_profile.c agent/stack.c
tests_test_core_CFLAGS = $(TEST_CHECK_CFLAGS) $(LIBUNWIND_CFLAGS)
tests_test_core_LDADD = $(TEST_CHECK_LIBS) $(LIBUNWIND_LIBS) -lm
