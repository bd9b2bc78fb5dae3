/*
 * run_suite.h — the main() every unit test program shares: run a Check
 * suite (each test in its own forked process) and exit with its verdict.
 */
#ifndef PPROF_AGENT_RUN_SUITE_H
#define PPROF_AGENT_RUN_SUITE_H

#include <check.h>
#include <stdlib.h>

static inline int run_suite(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	int failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
