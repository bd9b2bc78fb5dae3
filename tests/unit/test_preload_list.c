/*
 * test_preload_list.c — unit tests of src/options/preload_list.c, the
 * editing of LD_PRELOAD: the agent is recognised by its file name wherever
 * it lives, put first, or taken out, with both separators ld.so accepts,
 * and a list that does not fit the buffer is refused.
 */
#include <check.h>

#include "preload_list.h"
#include "run_suite.h"

START_TEST(agent_is_recognised_by_its_file_name)
{
	ck_assert(preload_list_has_agent("/usr/lib/libpprof-agent.so"));
	ck_assert(preload_list_has_agent("libjemalloc.so.2 /x/.libs/libpprof-agent.so"));
	ck_assert(preload_list_has_agent("/a/liba.so:libpprof-agent.so.0"));
	ck_assert(!preload_list_has_agent("/opt/libpprof-agent.so.d/libother.so"));
	ck_assert(!preload_list_has_agent("/usr/lib/mylibpprof-agent.so"));
	ck_assert(!preload_list_has_agent(""));
	ck_assert(!preload_list_has_agent(NULL));
}
END_TEST

START_TEST(prepend_puts_the_library_first)
{
	char out[128];
	ck_assert_int_eq(preload_list_prepend(NULL, "/l/libpprof-agent.so", out, sizeof out), 0);
	ck_assert_str_eq(out, "/l/libpprof-agent.so");
	ck_assert_int_eq(preload_list_prepend("", "/l/a.so", out, sizeof out), 0);
	ck_assert_str_eq(out, "/l/a.so");
	ck_assert_int_eq(preload_list_prepend("x.so  y.so:z.so", "/l/a.so", out, sizeof out), 0);
	ck_assert_str_eq(out, "/l/a.so:x.so:y.so:z.so");
}
END_TEST

START_TEST(without_agent_keeps_the_others_in_order)
{
	char out[128];
	ck_assert_int_eq(preload_list_without_agent(
	                     "/l/libpprof-agent.so libjemalloc.so.2: /x/libpprof-agent.so b.so", out,
	                     sizeof out),
	                 0);
	ck_assert_str_eq(out, "libjemalloc.so.2:b.so");
	ck_assert_int_eq(preload_list_without_agent("/l/libpprof-agent.so", out, sizeof out), 0);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(preload_list_without_agent(NULL, out, sizeof out), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(too_small_a_buffer_is_refused)
{
	char out[8];
	ck_assert_int_eq(preload_list_prepend("b.so", "/l/a.so", out, sizeof out), -1);
	ck_assert_int_eq(preload_list_prepend(NULL, "/long/path.so", out, sizeof out), -1);
	ck_assert_int_eq(preload_list_without_agent("abcd.so efgh.so", out, sizeof out), -1);
	ck_assert_int_eq(preload_list_without_agent("a.so", out, 0), -1);
	ck_assert_int_eq(preload_list_prepend("b", "a.so", out, sizeof out), 0);
	ck_assert_str_eq(out, "a.so:b");   /* exactly fills the 8 bytes */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("preload_list");
	TCase *tc = tcase_create("preload_list");
	tcase_add_test(tc, agent_is_recognised_by_its_file_name);
	tcase_add_test(tc, prepend_puts_the_library_first);
	tcase_add_test(tc, without_agent_keeps_the_others_in_order);
	tcase_add_test(tc, too_small_a_buffer_is_refused);
	suite_add_tcase(s, tc);
	return run_suite(s);
}
