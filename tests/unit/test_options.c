/*
 * test_options.c — unit tests of src/options/: the defaults the README
 * lists, every key with valid values, every error line word for word (and
 * that a failed parse changes nothing), the resolution of the output
 * directory, and the editing of LD_PRELOAD lists.
 */

#include "options.h"
#include "run_suite.h"

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KNOWN_KEYS "dir, interval, mem_rate, block_rate, mutex_fraction, cpu_hz, threadcreate, " \
	"threads, keep, delta, depth, signal, http, http_any, unwind, follow_children, verbose, max_bucket_mem, " \
	"early_thread, min_disk_free, max_dir_size"
#define SIZE_FORM "(use bytes or a k/KiB/M/MiB/G/GiB suffix)"
#define SECOND 1000000000LL

static struct agent_options parsed(const char *spec)
{
	struct agent_options o;
	char err[1024] = "";

	options_defaults(&o);
	ck_assert_msg(options_parse(spec, &o, err, sizeof err) == 0, "%s: %s", spec, err);
	return o;
}

START_TEST(defaults_are_the_contract)
{
	struct agent_options o;

	options_defaults(&o);
	ck_assert_str_eq(o.dir, "./profiles");
	ck_assert_int_eq(o.interval_ns, 30 * SECOND);
	ck_assert_int_eq(o.mem_rate, 512 * 1024);
	ck_assert_int_eq(o.block_rate_ns, 0);
	ck_assert_int_eq(o.mutex_fraction, 0);
	ck_assert_int_eq(o.cpu_hz, 0);
	ck_assert_int_eq(o.threadcreate, 1);
	ck_assert_int_eq(o.threads, 0);
	ck_assert_int_eq(o.keep, 16);
	ck_assert_int_eq(o.delta, 0);
	ck_assert_int_eq(o.depth, 64);
	ck_assert_int_eq(o.signal, 0);
	ck_assert_str_eq(o.http, "");
	ck_assert_int_eq(o.follow_children, 1);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_int_eq(o.max_bucket_mem, 64 * 1024 * 1024);
	ck_assert_int_eq(o.early_thread, 0);
	ck_assert_int_eq(o.min_disk_free, 64 * 1024 * 1024);
	ck_assert_int_eq(o.max_dir_size, 1024LL * 1024 * 1024);
}
END_TEST

/* The defaults shown by --help, read back through the parser, are the
 * defaults options_defaults() fills in. */
START_TEST(documented_defaults_parse_to_the_defaults)
{
	struct agent_options expected, o;
	const struct option_info *info;
	char err[1024];
	size_t i;

	options_defaults(&expected);
	options_defaults(&o);
	for (i = 0; (info = option_info_at(i)) != NULL; i++)
		ck_assert_msg(options_set(&o, info->key, info->fallback, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(i, 21);
	ck_assert(memcmp(&o, &expected, sizeof o) == 0);
}
END_TEST

START_TEST(sizes)
{
	ck_assert_int_eq(parsed("mem_rate=512k").mem_rate, 512 * 1024);
	ck_assert_int_eq(parsed("mem_rate=512K").mem_rate, 512 * 1024);
	ck_assert_int_eq(parsed("mem_rate=1MiB").mem_rate, 1024 * 1024);
	ck_assert_int_eq(parsed("mem_rate=3m").mem_rate, 3 * 1024 * 1024);
	ck_assert_int_eq(parsed("mem_rate=4096").mem_rate, 4096);
	ck_assert_int_eq(parsed("mem_rate=2G").mem_rate, 2LL * 1024 * 1024 * 1024);
	ck_assert_int_eq(parsed("mem_rate=1GiB").mem_rate, 1024 * 1024 * 1024);
	ck_assert_int_eq(parsed("mem_rate=1.5k").mem_rate, 1536);
	ck_assert_int_eq(parsed("mem_rate=1").mem_rate, 1);
	ck_assert_int_eq(parsed("mem_rate=0").mem_rate, 0);
	ck_assert_int_eq(parsed("max_bucket_mem=1MiB").max_bucket_mem, 1024 * 1024);
	ck_assert_int_eq(parsed("max_bucket_mem=2g").max_bucket_mem, 2LL * 1024 * 1024 * 1024);
}
END_TEST

/* Loopback addresses pass; any other needs http_any=1, wherever it stands. */
START_TEST(http_addresses)
{
	ck_assert_str_eq(parsed("http=127.0.0.1:6060").http, "127.0.0.1:6060");
	ck_assert_str_eq(parsed("http=[::1]:0").http, "[::1]:0");
	ck_assert_str_eq(parsed("http=localhost:0").http, "localhost:0");
	ck_assert_str_eq(parsed("http_any=1,http=0.0.0.0:6060").http, "0.0.0.0:6060");
	ck_assert_str_eq(parsed("http=:6060,http_any=1").http, ":6060");
	ck_assert_str_eq(parsed("http=none").http, "");
}
END_TEST

START_TEST(durations)
{
	ck_assert_int_eq(parsed("interval=30s").interval_ns, 30 * SECOND);
	ck_assert_int_eq(parsed("interval=1us").interval_ns, 1000);
	ck_assert_int_eq(parsed("interval=250ms").interval_ns, 250 * 1000 * 1000);
	ck_assert_int_eq(parsed("interval=2m").interval_ns, 120 * SECOND);
	ck_assert_int_eq(parsed("interval=1h").interval_ns, 3600 * SECOND);
	ck_assert_int_eq(parsed("interval=7ns").interval_ns, 7);
	ck_assert_int_eq(parsed("interval=0.3s").interval_ns, 300 * 1000 * 1000);
	ck_assert_int_eq(parsed("interval=0").interval_ns, 0);
	ck_assert_int_eq(parsed("block_rate=1us").block_rate_ns, 1000);
	ck_assert_int_eq(parsed("block_rate=1").block_rate_ns, 1);
	ck_assert_int_eq(parsed("block_rate=250").block_rate_ns, 250);
	ck_assert_int_eq(parsed("block_rate=0").block_rate_ns, 0);
}
END_TEST

START_TEST(every_other_key)
{
	struct agent_options o = parsed("dir=/var/tmp/p,mutex_fraction=5,cpu_hz=100,threadcreate=0,"
	                                "threads=1,keep=3,delta=1,depth=32,signal=SIGUSR2,http=127.0.0.1:6060,"
	                                "follow_children=0,verbose=1");

	ck_assert_str_eq(o.dir, "/var/tmp/p");
	ck_assert_int_eq(o.mutex_fraction, 5);
	ck_assert_int_eq(o.cpu_hz, 100);
	ck_assert_int_eq(o.threadcreate, 0);
	ck_assert_int_eq(o.threads, 1);
	ck_assert_int_eq(o.keep, 3);
	ck_assert_int_eq(o.delta, 1);
	ck_assert_int_eq(o.depth, 32);
	ck_assert_int_eq(o.signal, SIGUSR2);
	ck_assert_str_eq(o.http, "127.0.0.1:6060");
	ck_assert_int_eq(o.follow_children, 0);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert_int_eq(parsed("cpu_hz=10000").cpu_hz, 10000);
	ck_assert_int_eq(parsed("depth=1").depth, 1);
	ck_assert_int_eq(parsed("depth=64").depth, 64);
	ck_assert_int_eq(parsed("unwind=fp").unwind_fp, 1);
	ck_assert_int_eq(parsed("unwind=dwarf").unwind_fp, 0);
	ck_assert_int_eq(parsed("keep=1").keep, 1);
}
END_TEST

START_TEST(signal_names_and_numbers)
{
	ck_assert_int_eq(parsed("signal=USR2").signal, SIGUSR2);
	ck_assert_int_eq(parsed("signal=usr1").signal, SIGUSR1);
	ck_assert_int_eq(parsed("signal=SIGHUP").signal, SIGHUP);
	ck_assert_int_eq(parsed("signal=12").signal, 12);
	ck_assert_int_eq(parsed("signal=none").signal, 0);
	ck_assert_int_eq(parsed("signal=SIGUSR2,signal=0").signal, 0);
	ck_assert_str_eq(parsed("http=localhost:1,http=none").http, "");
}
END_TEST

START_TEST(list_syntax)
{
	struct agent_options o = parsed("  mem_rate = 64k ,, verbose=1 ,\tkeep= 2\t,");

	ck_assert_int_eq(o.mem_rate, 64 * 1024);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert_int_eq(o.keep, 2);
	ck_assert_int_eq(parsed("mem_rate=1k,mem_rate=2k").mem_rate, 2048);
	ck_assert_int_eq(parsed("").mem_rate, 512 * 1024);
	ck_assert_int_eq(parsed(" , ,").mem_rate, 512 * 1024);
	ck_assert_int_eq(parsed(NULL).mem_rate, 512 * 1024);
}
END_TEST

/* Each bad spec, and the exact line it must produce. */
static const struct {
	const char *spec, *line;
} bad_specs[] = {
	{ "http=0.0.0.0:6060", "option http: 0.0.0.0:6060 is not a loopback address (anyone who "
	  "reaches it could read the profiles; add http_any=1 to serve it anyway)" },
	{ "http=[::]:80,http_any=0", "option http: [::]:80 is not a loopback address (anyone who "
	  "reaches it could read the profiles; add http_any=1 to serve it anyway)" },
	{ "http=host:1", "option http: \"host:1\" is not an address (use IP:PORT, [IPv6]:PORT or "
	  "localhost:PORT, e.g. 127.0.0.1:6060; port 0 = any free port)" },
	{ "http=127.0.0.1:65536", "option http: \"127.0.0.1:65536\" is not an address (use IP:PORT, "
	  "[IPv6]:PORT or localhost:PORT, e.g. 127.0.0.1:6060; port 0 = any free port)" },
	{ "mem_rate=12q", "option mem_rate: \"12q\" is not a size " SIZE_FORM },
	{ "mem_rate=-1", "option mem_rate: \"-1\" is not a size " SIZE_FORM },
	{ "mem_rate=k", "option mem_rate: \"k\" is not a size " SIZE_FORM },
	{ "mem_rate=1.k", "option mem_rate: \"1.k\" is not a size " SIZE_FORM },
	{ "mem_rate=99999999999G", "option mem_rate: \"99999999999G\" is not a size " SIZE_FORM },
	{ "mem_rate=99999999999999999999",
	  "option mem_rate: \"99999999999999999999\" is not a size " SIZE_FORM },
	{ "max_bucket_mem=512k",
	  "option max_bucket_mem: \"512k\" is not a size of at least 1MiB " SIZE_FORM },
	{ "interval=30",
	  "option interval: \"30\" is not a duration (use a number with ns/us/ms/s/m/h, e.g. 30s, or 0)" },
	{ "interval=5d",
	  "option interval: \"5d\" is not a duration (use a number with ns/us/ms/s/m/h, e.g. 30s, or 0)" },
	{ "interval=-1s",
	  "option interval: \"-1s\" is not a duration (use a number with ns/us/ms/s/m/h, e.g. 30s, or 0)" },
	{ "block_rate=1x",
	  "option block_rate: \"1x\" is not a duration (use ns/us/ms/s/m/h, e.g. 1us, or plain "
	  "nanoseconds; 1 = every event, 0 = off)" },
	{ "mutex_fraction=-1", "option mutex_fraction: \"-1\" is not a whole number, 0 or more" },
	{ "mutex_fraction=1.5", "option mutex_fraction: \"1.5\" is not a whole number, 0 or more" },
	{ "cpu_hz=10001", "option cpu_hz: \"10001\" is not a whole number from 0 to 10000" },
	{ "threadcreate=yes", "option threadcreate: \"yes\" is not 0 or 1" },
	{ "threads=2", "option threads: \"2\" is not 0 or 1" },
	{ "follow_children=true", "option follow_children: \"true\" is not 0 or 1" },
	{ "verbose=", "option verbose: \"\" is not 0 or 1" },
	{ "keep=0", "option keep: \"0\" is not a whole number, 1 or more" },
	{ "keep=3000000000", "option keep: \"3000000000\" is not a whole number, 1 or more" },
	{ "depth=0", "option depth: \"0\" is not a whole number from 1 to 64" },
	{ "depth=65", "option depth: \"65\" is not a whole number from 1 to 64" },
	{ "unwind=frame", "option unwind: \"frame\" is not dwarf or fp" },
	{ "unwind=", "option unwind: \"\" is not dwarf or fp" },
	{ "signal=KILL", "option signal: \"KILL\" is not a signal that can be caught (use a name "
	                 "such as SIGUSR2 or USR2, a number, or none)" },
	{ "signal=SIGSTOP", "option signal: \"SIGSTOP\" is not a signal that can be caught (use a "
	                    "name such as SIGUSR2 or USR2, a number, or none)" },
	{ "signal=SIGSEGV", "option signal: \"SIGSEGV\" is not a signal that can be caught (use a "
	                    "name such as SIGUSR2 or USR2, a number, or none)" },
	{ "signal=9", "option signal: \"9\" is not a signal that can be caught (use a name such as "
	              "SIGUSR2 or USR2, a number, or none)" },
	{ "signal=SIGFOO", "option signal: \"SIGFOO\" is not a signal that can be caught (use a "
	                   "name such as SIGUSR2 or USR2, a number, or none)" },
	{ "signal=999", "option signal: \"999\" is not a signal that can be caught (use a name "
	                "such as SIGUSR2 or USR2, a number, or none)" },
	{ "dir=", "option dir: \"\" is not a directory path (non-empty, shorter than PATH_MAX)" },
	{ "foo=1", "unknown option \"foo\" (known: " KNOWN_KEYS ")" },
	{ "Mem_Rate=1", "unknown option \"Mem_Rate\" (known: " KNOWN_KEYS ")" },
	{ "abc", "option list item \"abc\" is not key=value" },
	{ " =5 ", "option list item \"=5\" is not key=value" },
	{ "verbose=1,mem_rate=bad", "option mem_rate: \"bad\" is not a size " SIZE_FORM },
};

START_TEST(bad_input_gives_one_exact_line_and_changes_nothing)
{
	struct agent_options o, before;
	char err[1024];

	options_defaults(&o);
	o.keep = 5;
	memcpy(&before, &o, sizeof o);
	strcpy(err, "untouched");
	ck_assert_int_eq(options_parse(bad_specs[_i].spec, &o, err, sizeof err), -1);
	ck_assert_str_eq(err, bad_specs[_i].line);
	ck_assert(memcmp(&o, &before, sizeof o) == 0);
}
END_TEST

START_TEST(overlong_values_are_refused)
{
	struct agent_options o, before;
	char value[PATH_MAX + 16], spec[PATH_MAX + 32], err[PATH_MAX + 256], line[PATH_MAX + 256];

	options_defaults(&o);
	memcpy(&before, &o, sizeof o);
	memset(value, 'a', 128);
	value[128] = '\0';
	snprintf(spec, sizeof spec, "http=%s", value);
	ck_assert_int_eq(options_parse(spec, &o, err, sizeof err), -1);
	snprintf(line, sizeof line, "option http: \"%s\" is not an address shorter than 128 bytes, or none",
	         value);
	ck_assert_str_eq(err, line);

	memset(value, 'd', PATH_MAX);
	value[0] = '/';
	value[PATH_MAX] = '\0';
	ck_assert_int_eq(options_set(&o, "dir", value, err, sizeof err), -1);
	ck_assert(strncmp(err, "option dir: \"/ddd", 17) == 0);
	ck_assert(memcmp(&o, &before, sizeof o) == 0);
}
END_TEST

/* Text from the environment never reaches stderr with a control character
 * in it: the error stays one line. */
START_TEST(control_characters_in_errors_are_escaped)
{
	struct agent_options o;
	char err[1024];

	options_defaults(&o);
	ck_assert_int_eq(options_parse("mem_rate=1\nFAKE LINE\x01\t", &o, err, sizeof err), -1);
	ck_assert_str_eq(err, "option mem_rate: \"1\\nFAKE LINE\\x01\" is not a size " SIZE_FORM);
	ck_assert_int_eq(options_parse("bad\rkey=1", &o, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown option \"bad\\rkey\""));
	ck_assert_int_eq(options_parse("no\x1b" "equals", &o, err, sizeof err), -1);
	ck_assert_str_eq(err, "option list item \"no\\x1bequals\" is not key=value");
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

START_TEST(small_or_missing_error_buffers_are_safe)
{
	struct agent_options o;
	char err[16];

	options_defaults(&o);
	ck_assert_int_eq(options_parse("foo=1", &o, err, sizeof err), -1);
	ck_assert_str_eq(err, "unknown option ");
	ck_assert_int_eq(options_parse("foo=1", &o, NULL, 0), -1);
	ck_assert_int_eq(options_parse("mem_rate=x", &o, err, 0), -1);
}
END_TEST

START_TEST(parse_helpers)
{
	int64_t v;

	ck_assert_int_eq(parse_size("512k", &v), 0);
	ck_assert_int_eq(v, 512 * 1024);
	ck_assert_int_eq(parse_size("12q", &v), -1);
	ck_assert_int_eq(parse_size("", &v), -1);
	ck_assert_int_eq(parse_duration("30s", &v), 0);
	ck_assert_int_eq(v, 30 * SECOND);
	ck_assert_int_eq(parse_duration("0", &v), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(parse_duration("30", &v), -1);
	ck_assert_int_eq(parse_duration("2562047h", &v), 0);
	ck_assert_int_eq(parse_duration("2562048h", &v), -1);
}
END_TEST

/* ---- the output directory ---- */

static char base[64];

static void make_base(void)
{
	strcpy(base, "/tmp/test_options.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
}

static void remove_base(void)
{
	char command[128];

	snprintf(command, sizeof command, "rm -rf '%s'", base);
	ck_assert_int_eq(system(command), 0);
}

static struct agent_options with_dir(const char *dir)
{
	struct agent_options o;

	options_defaults(&o);
	snprintf(o.dir, sizeof o.dir, "%s", dir);
	return o;
}

START_TEST(children_get_the_spec_with_the_absolute_dir)
{
	char out[256];
	ck_assert_int_eq(options_spec_with_dir("mem_rate=1, dir = prof ,interval=1s", "/w/prof", out,
	                                       sizeof out), 0);
	ck_assert_str_eq(out, "mem_rate=1,interval=1s,dir=/w/prof");
	ck_assert_int_eq(options_spec_with_dir(NULL, "/w/prof", out, sizeof out), 0);
	ck_assert_str_eq(out, "dir=/w/prof");
	ck_assert_int_eq(options_spec_with_dir("directory_x=1,dir=a,dir=b", "/abs", out, sizeof out), 0);
	ck_assert_str_eq(out, "directory_x=1,dir=/abs");
	ck_assert_int_eq(options_spec_with_dir("dir=a", "/a,b", out, sizeof out), -1);
	ck_assert_int_eq(options_spec_with_dir("mem_rate=1", "/w/prof", out, 12), -1);
	/* what it writes parses back to the same directory */
	struct agent_options o;
	char err[256];
	options_defaults(&o);
	ck_assert_int_eq(options_spec_with_dir("interval=2s,dir=x", "/w/p", out, sizeof out), 0);
	ck_assert_int_eq(options_parse(out, &o, err, sizeof err), 0);
	ck_assert_str_eq(o.dir, "/w/p");
}
END_TEST

START_TEST(resolve_dir_makes_relative_paths_absolute)
{
	char expected[256], err[512], cwd[PATH_MAX];
	struct agent_options o;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_int_eq(chdir(base), 0);
	o = with_dir("./profiles");
	ck_assert_msg(options_resolve_dir(&o, err, sizeof err) == 0, "%s", err);
	snprintf(expected, sizeof expected, "%s/profiles", base);
	ck_assert_str_eq(o.dir, expected);
	o = with_dir("x/y//");
	ck_assert_msg(options_resolve_dir(&o, err, sizeof err) == 0, "%s", err);
	snprintf(expected, sizeof expected, "%s/x/y", base);
	ck_assert_str_eq(o.dir, expected);
	ck_assert_int_eq(access(expected, F_OK), -1);   /* nothing is made here */
	o = with_dir("/abs/olute/");
	ck_assert_msg(options_resolve_dir(&o, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(o.dir, "/abs/olute");
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *values = tcase_create("values"), *dirs = tcase_create("dir");

	tcase_add_test(values, defaults_are_the_contract);
	tcase_add_test(values, documented_defaults_parse_to_the_defaults);
	tcase_add_test(values, sizes);
	tcase_add_test(values, http_addresses);
	tcase_add_test(values, durations);
	tcase_add_test(values, every_other_key);
	tcase_add_test(values, signal_names_and_numbers);
	tcase_add_test(values, list_syntax);
	tcase_add_loop_test(values, bad_input_gives_one_exact_line_and_changes_nothing, 0,
	                    sizeof bad_specs / sizeof bad_specs[0]);
	tcase_add_test(values, overlong_values_are_refused);
	tcase_add_test(values, small_or_missing_error_buffers_are_safe);
	tcase_add_test(values, control_characters_in_errors_are_escaped);
	tcase_add_test(values, parse_helpers);
	suite_add_tcase(s, values);

	tcase_add_checked_fixture(dirs, make_base, remove_base);
	tcase_add_test(dirs, resolve_dir_makes_relative_paths_absolute);
	tcase_add_test(dirs, children_get_the_spec_with_the_absolute_dir);
	suite_add_tcase(s, dirs);
	return s;
}

int main(void)
{
	return run_suite(options_suite());
}
