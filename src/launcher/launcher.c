/*
 * launcher.c — the pprof-agent command:
 *
 *     pprof-agent [options] [--] PROGRAM [ARGS...]
 *
 * It turns its flags into PPROF_AGENT items (--mem-rate=64k becomes
 * mem_rate=64k, appended after whatever PPROF_AGENT already holds, so flags
 * win), puts libpprof-agent.so first in LD_PRELOAD and execs PROGRAM, whose
 * exit status is then the command's own. Every flag is checked by the same
 * options_set() the agent uses, so a bad flag gets the agent's one-line
 * error and exit status 2 before anything runs. The launcher is an ordinary
 * program: unlike the agent, it may allocate and use stdio freely.
 */
#include "options.h"
#include "preload_list.h"
#include "preloadable.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USAGE "usage: pprof-agent [options] [--] PROGRAM [ARGS...]"
#define EXIT_USAGE 2

/* The accumulated PPROF_AGENT list, grown with realloc. */
struct item_list {
	char *text;
	size_t len;
};

/* Reports a usage error in one line and exits with status 2. */
static void fail_usage(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("pprof-agent: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

static void fail_with_line(const char *line) __attribute__((noreturn));
static void fail_with_line(const char *line)
{
	fprintf(stderr, "pprof-agent: %s\n", line);
	exit(EXIT_USAGE);
}

/* "mem_rate" as a flag name, "mem-rate", or back again. */
static void translate(char *s, char from, char to)
{
	for (; *s != '\0'; s++)
		if (*s == from)
			*s = to;
}

static void print_help(void)
{
	const struct option_info *info;
	char flag[64];
	size_t i;

	printf("%s\n\n"
	       "Runs PROGRAM with %s preloaded; the agent writes gzip profile.proto\n"
	       "files for go tool pprof into the output directory. Exits with PROGRAM's status.\n"
	       "Each option is also a key of the PPROF_AGENT variable (--mem-rate=64k is\n"
	       "mem_rate=64k); flags are appended to any PPROF_AGENT already set, so they win.\n\n"
	       "options:\n", USAGE, AGENT_LIBRARY_NAME);
	for (i = 0; (info = option_info_at(i)) != NULL; i++) {
		snprintf(flag, sizeof flag, info->is_boolean ? "--%s[=%s]" : "--%s=%s", info->key, info->form);
		translate(flag, '_', '-');
		printf("  %s (default %s)\n      %s\n", flag, info->fallback, info->meaning);
	}
	printf("  --help\n      print this help and exit\n  --version\n      print the version and exit\n\n");
	printf("SIZE: bytes, or with a k/KiB/M/MiB/G/GiB suffix (k = KiB = 1024).\n"
	       "DURATION: a number with ns/us/ms/s/m/h (e.g. 30s, 250ms), or 0.\n"
	       "The agent library is PPROF_AGENT_LIBRARY if set, else %s in .libs/ or\n"
	       "../lib/ beside this program, else in %s.\n", PPROF_AGENT_SONAME, PPROF_AGENT_LIBDIR);
}

static void *allocated(void *p)
{
	if (p == NULL) {
		perror("pprof-agent");
		exit(EXIT_USAGE);
	}
	return p;
}

/* Starts the list with the PPROF_AGENT the environment already holds. */
static void start_list(struct item_list *list, const char *existing)
{
	list->text = allocated(strdup(existing));
	list->len = strlen(existing);
}

static void append_item(struct item_list *list, const char *key, const char *value)
{
	size_t add = strlen(key) + strlen(value) + 2;

	list->text = allocated(realloc(list->text, list->len + add + 1));
	list->len += (size_t)sprintf(list->text + list->len, "%s%s=%s", list->len > 0 ? "," : "", key, value);
}

/*
 * Handles the flag at argv[*i] ("--mem-rate=64k", "--mem-rate 64k" or, for
 * a 0/1 key, "--verbose"), advancing *i past a separate value. The value is
 * checked against o, which holds everything seen so far.
 */
static void apply_flag(char **argv, int argc, int *i, struct agent_options *o, struct item_list *list)
{
	const char *arg = argv[*i], *eq = strchr(arg, '='), *value;
	size_t name_len = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
	const struct option_info *info;
	char key[64], err[512];

	snprintf(key, sizeof key, "%.*s", (int)name_len, arg + 2);
	translate(key, '-', '_');
	info = option_info_for_key(key);
	if (eq != NULL)
		value = eq + 1;
	else if (info == NULL || info->is_boolean)
		value = "1";   /* "--verbose" is verbose=1; an unknown key fails in options_set */
	else if (*i + 1 < argc)
		value = argv[++*i];
	else
		fail_usage("option %s: missing value (use %s=%s)", key, arg, info->form);
	if (options_set(o, key, value, err, sizeof err) != 0)
		fail_with_line(err);
	if (strchr(value, ',') != NULL)
		fail_usage("option %s: a value cannot contain a comma (PPROF_AGENT separates items with commas)",
		           key);
	append_item(list, key, value);
}

/* Parses the options before PROGRAM; returns the index of PROGRAM in argv. */
static int parse_flags(int argc, char **argv, struct agent_options *o, struct item_list *list)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "--") == 0)
			return i + 1;
		if (arg[0] != '-')
			return i;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			print_help();
			exit(0);
		}
		if (strcmp(arg, "--version") == 0) {
			printf("pprof-agent %s\n", PPROF_AGENT_VERSION);
			exit(0);
		}
		if (strncmp(arg, "--", 2) != 0 || arg[2] == '=')
			fail_usage("unknown flag \"%s\" (see pprof-agent --help)", arg);
		apply_flag(argv, argc, &i, o, list);
	}
	return i;
}

/* Makes candidate absolute and checks that it exists; 0 on success. */
static int resolve_library(const char *candidate, char *path)
{
	return realpath(candidate, path) != NULL && access(path, R_OK) == 0 ? 0 : -1;
}

/* The agent library: PPROF_AGENT_LIBRARY, else the library of its soname
 * (libpprof-agent.so.0) beside our own executable (.libs/ in the build
 * tree, ../lib/ when installed), else in the libdir we were configured
 * with. */
static void find_agent_library(char *path)
{
	const char *chosen = getenv("PPROF_AGENT_LIBRARY");
	char exe[PATH_MAX], candidate[PATH_MAX + 64], *slash;
	ssize_t n;

	if (chosen != NULL && *chosen != '\0') {
		if (resolve_library(chosen, path) != 0)
			fail_usage("PPROF_AGENT_LIBRARY: cannot use \"%s\"", chosen);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL)
			*slash = '\0';
		snprintf(candidate, sizeof candidate, "%s/.libs/%s", exe, PPROF_AGENT_SONAME);
		if (resolve_library(candidate, path) == 0)
			return;
		snprintf(candidate, sizeof candidate, "%s/../lib/%s", exe, PPROF_AGENT_SONAME);
		if (resolve_library(candidate, path) == 0)
			return;
	}
	chosen = PPROF_AGENT_LIBDIR "/" PPROF_AGENT_SONAME;
	if (resolve_library(chosen, path) != 0)
		fail_usage("cannot find the agent library \"%s\" (set PPROF_AGENT_LIBRARY)", chosen);
}

/* Puts library first in LD_PRELOAD, keeping the entries already there. */
static void preload(const char *library)
{
	const char *existing = getenv("LD_PRELOAD");
	size_t len = strlen(library) + (existing ? strlen(existing) : 0) + 2;
	char *list = allocated(malloc(len));

	if (strpbrk(library, " :") != NULL)
		fail_usage("the agent library path \"%s\" contains a space or colon, which LD_PRELOAD cannot carry",
		           library);
	if (preload_list_prepend(existing, library, list, len) != 0)
		fail_usage("LD_PRELOAD is too long");
	setenv("LD_PRELOAD", list, 1);
	free(list);
}

/* Runs PROGRAM in place of this process; returns only to exit like a shell
 * would when the program cannot be run. */
static int run(char **argv)
{
	int error;

	execvp(argv[0], argv);
	error = errno;
	fprintf(stderr, "pprof-agent: cannot run \"%s\": %s\n", argv[0], strerror(error));
	return error == EACCES ? 126 : 127;
}

int main(int argc, char **argv)
{
	struct agent_options o;
	struct item_list list = { NULL, 0 };
	const char *existing = getenv("PPROF_AGENT");
	char library[PATH_MAX], err[PATH_MAX + 256];
	int program;

	options_defaults(&o);
	if (existing != NULL && options_parse(existing, &o, err, sizeof err) != 0)
		fail_with_line(err);
	if (existing != NULL && *existing != '\0')
		start_list(&list, existing);
	program = parse_flags(argc, argv, &o, &list);
	if (options_check(&o, err, sizeof err) != 0)
		fail_with_line(err);
	if (program >= argc)
		fail_usage("no PROGRAM to run (%s)", USAGE);
	if (list.len > 0)
		setenv("PPROF_AGENT", list.text, 1);
	find_agent_library(library);
	preload(library);
	if (!program_is_preloadable(argv[program], err, sizeof err))
		fprintf(stderr, "pprof-agent: %s\n", err);
	return run(argv + program);
}
