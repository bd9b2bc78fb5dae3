/*
 * options.c — the agent's settings: their defaults, the one parser that the
 * PPROF_AGENT variable and the launcher's flags both go through, and the
 * output directory's path made absolute.
 *
 * Everything about a key lives in one row of option_table below: its name,
 * the shape of its value, the accepted range, where it is stored, its
 * default as text (for --help) and the words that end its error line. The
 * parser is table-driven, so adding a key is adding a row.
 *
 * This code runs inside the host process from the library's constructor,
 * possibly before the host's malloc is usable. So nothing here allocates:
 * no malloc, no strdup, no stdio stream; only snprintf into the caller's
 * buffer, stack buffers and the string functions that never allocate.
 */
#include "options.h"
#include "http_addr.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <pprof_agent.h>

#define STRINGIFY(x) #x
#define STRINGIFY_VALUE(x) STRINGIFY(x)

#define KIB ((int64_t)1024)
#define MIB (KIB * 1024)
#define SIZE_FORM "use bytes or a k/KiB/M/MiB/G/GiB suffix"

/* How a value is read. */
enum value_shape {
	SHAPE_TEXT,       /* copied as is; "none" and "" mean empty when min is 0 */
	SHAPE_SIZE,       /* bytes with an optional k/KiB/M/MiB/G/GiB suffix */
	SHAPE_DURATION,   /* a number with ns/us/ms/s/m/h, or "0" */
	SHAPE_NANOS,      /* a duration, or a bare number of nanoseconds */
	SHAPE_COUNT,      /* a whole number */
	SHAPE_SIGNAL,     /* a catchable signal name or number, or "none" */
	SHAPE_UNWIND,     /* "dwarf" (0) or "fp" (1) */
};

struct option_entry {
	struct option_info info;
	enum value_shape shape;
	int64_t min, max;     /* accepted range (for text: min 1 = must not be empty) */
	size_t offset, size;  /* the field in struct agent_options */
	const char *accepted; /* ends the error line: "VALUE" is not <accepted> */
};

#define FIELD(name) offsetof(struct agent_options, name), sizeof(((struct agent_options *)0)->name)
#define BOOLEAN(key, fallback, meaning, name) \
	{ { key, "0|1", fallback, meaning, 1 }, SHAPE_COUNT, 0, 1, FIELD(name), "0 or 1" }

/* The keys in the order the README lists them, then the internal ones. */
static const struct option_entry option_table[] = {
	{ { "dir", "DIR", "./profiles",
	    "output directory (made if missing, resolved to an absolute path at start)", 0 },
	  SHAPE_TEXT, 1, 0, FIELD(dir), "a directory path (non-empty, shorter than PATH_MAX)" },
	{ { "interval", "DURATION", "30s",
	    "time between periodic snapshots; 0 = only at exit and on demand", 0 },
	  SHAPE_DURATION, 0, INT64_MAX, FIELD(interval_ns),
	  "a duration (use a number with ns/us/ms/s/m/h, e.g. 30s, or 0)" },
	{ { "mem_rate", "SIZE", "512KiB",
	    "average bytes between heap samples; 1 = every allocation; 0 = heap profile off", 0 },
	  SHAPE_SIZE, 0, INT64_MAX, FIELD(mem_rate), "a size (" SIZE_FORM ")" },
	{ { "block_rate", "DURATION", "0",
	    "sample about one blocking event per this much time blocked; 1 = every event; 0 = off", 0 },
	  SHAPE_NANOS, 0, INT64_MAX, FIELD(block_rate_ns),
	  "a duration (use ns/us/ms/s/m/h, e.g. 1us, or plain nanoseconds; 1 = every event, 0 = off)" },
	{ { "mutex_fraction", "N", "0",
	    "sample 1 in N mutex contention events; 0 = off", 0 },
	  SHAPE_COUNT, 0, INT64_MAX, FIELD(mutex_fraction), "a whole number, 0 or more" },
	{ { "cpu_hz", "HZ", "0", "CPU samples per CPU-second of each thread; 0 = off", 0 },
	  SHAPE_COUNT, 0, 10000, FIELD(cpu_hz), "a whole number from 0 to 10000" },
	BOOLEAN("threadcreate", "1", "1 = record thread creations and write the threadcreate kind",
	        threadcreate),
	BOOLEAN("threads", "0", "1 = write the all-thread stacks kind at each snapshot", threads),
	{ { "keep", "N", "16", "how many files to keep per kind; older ones are removed", 0 },
	  SHAPE_COUNT, 1, INT_MAX, FIELD(keep), "a whole number, 1 or more" },
	BOOLEAN("delta", "0", "1 = each heap, block, mutex and threadcreate file holds what happened "
	        "since the previous file (in-use values stay absolute)", delta),
	{ { "depth", "N", STRINGIFY_VALUE(PPROF_RECORD_STACK), "deepest stack recorded", 0 },
	  SHAPE_COUNT, 1, PPROF_RECORD_STACK, FIELD(depth),
	  "a whole number from 1 to " STRINGIFY_VALUE(PPROF_RECORD_STACK) },
	{ { "signal", "SIGNAL", "none", "a signal (e.g. SIGUSR2) that asks for an immediate snapshot", 0 },
	  SHAPE_SIGNAL, 0, INT64_MAX, FIELD(signal),
	  "a signal that can be caught (use a name such as SIGUSR2 or USR2, a number, or none)" },
	{ { "http", "ADDR", "none",
	    "address of a loopback HTTP endpoint serving /debug/pprof/ (e.g. 127.0.0.1:6060, "
	    "localhost:0 for any free port)", 0 },
	  SHAPE_TEXT, 0, 0, FIELD(http), "an address shorter than 128 bytes, or none" },
	BOOLEAN("http_any", "0", "1 = let http be a non-loopback address (anyone who reaches it "
	        "reads the profiles)", http_any),
	{ { "unwind", "dwarf|fp", "dwarf",
	    "how stacks are walked: dwarf = the unwind tables (any code); fp = frame pointers "
	    "(cheaper, for programs built with them)", 0 },
	  SHAPE_UNWIND, 0, 1, FIELD(unwind_fp), "dwarf or fp" },
	BOOLEAN("follow_children", "1", "1 = keep profiling in programs this one executes",
	        follow_children),
	BOOLEAN("verbose", "0", "1 = log what the agent does to stderr", verbose),
	{ { "max_bucket_mem", "SIZE", "64MiB", "cap on the memory used for stack buckets", 0 },
	  SHAPE_SIZE, MIB, INT64_MAX, FIELD(max_bucket_mem), "a size of at least 1MiB (" SIZE_FORM ")" },
	BOOLEAN("early_thread", "0",
	        "1 = start the agent thread at once, even in a program that never starts one", early_thread),
	{ { "min_disk_free", "SIZE", "64MiB",
	    "no profile is written while the output directory's file system has less free", 0 },
	  SHAPE_SIZE, 0, INT64_MAX, FIELD(min_disk_free), "a size (" SIZE_FORM ")" },
	{ { "max_dir_size", "SIZE", "1GiB",
	    "no profile is written while the profiles in the output directory take more", 0 },
	  SHAPE_SIZE, MIB, INT64_MAX, FIELD(max_dir_size), "a size of at least 1MiB (" SIZE_FORM ")" },
};

#define OPTION_COUNT (sizeof option_table / sizeof option_table[0])

void options_defaults(struct agent_options *o)
{
	memset(o, 0, sizeof *o);
	strcpy(o->dir, "./profiles");
	o->interval_ns = 30LL * 1000 * 1000 * 1000;
	o->mem_rate = 512 * KIB;
	o->threadcreate = 1;
	o->keep = 16;
	o->depth = PPROF_RECORD_STACK;
	o->follow_children = 1;
	o->max_bucket_mem = 64 * MIB;
	o->min_disk_free = 64 * MIB;
	o->max_dir_size = 1024 * MIB;
}

const struct option_info *option_info_at(size_t i)
{
	return i < OPTION_COUNT ? &option_table[i].info : NULL;
}

/* Writes one error line into err (if there is room for one) and returns -1. */
static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Text from the environment, made safe to print inside one line: control
 * characters (a newline could forge a second line in the program's stderr)
 * are written as \n, \t, \r or \xNN; the result is cut to fit out. */
static const char *printable(const char *in, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	for (; *in && n + 5 < len; in++) {
		unsigned char c = (unsigned char)*in;
		if (c >= 0x20 && c != 0x7f) {
			out[n++] = (char)c;
			continue;
		}
		out[n++] = '\\';
		if (c == '\n' || c == '\t' || c == '\r') {
			out[n++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
		} else {
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	out[n] = '\0';
	return out;
}

/* ---- numbers with units ---- */

struct unit {
	const char *suffix;
	int64_t scale;
};

static const struct unit size_units[] = {
	{ "k", KIB }, { "K", KIB }, { "KiB", KIB },
	{ "m", MIB }, { "M", MIB }, { "MiB", MIB },
	{ "g", 1024 * MIB }, { "G", 1024 * MIB }, { "GiB", 1024 * MIB },
	{ NULL, 0 },
};

static const struct unit duration_units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000 * 1000 }, { "s", 1000 * 1000 * 1000 },
	{ "m", 60LL * 1000 * 1000 * 1000 }, { "h", 3600LL * 1000 * 1000 * 1000 },
	{ NULL, 0 },
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads the digits at *p (at least one) and moves *p past them. */
static int read_digits(const char **p, int64_t *out)
{
	int64_t n = 0;

	if (!is_digit(**p))
		return -1;
	for (; is_digit(**p); (*p)++) {
		if (n > (INT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (**p - '0');
	}
	*out = n;
	return 0;
}

/* A whole number and nothing else: "16", not "16k" or "1.5". */
static int parse_count(const char *s, int64_t *out)
{
	return read_digits(&s, out) == 0 && *s == '\0' ? 0 : -1;
}

/* The scale of suffix in units; a bare number has scale 1 if bare_ok. */
static int64_t scale_of(const char *suffix, const struct unit *units, int bare_ok)
{
	if (*suffix == '\0')
		return bare_ok ? 1 : 0;
	for (; units->suffix != NULL; units++)
		if (strcmp(suffix, units->suffix) == 0)
			return units->scale;
	return 0;
}

/*
 * Reads "DIGITS[.DIGITS]SUFFIX" into a whole number of base units (bytes or
 * nanoseconds), truncating like Go's time.ParseDuration: "1.5k" is 1536,
 * "0.3s" is 300000000. Fraction digits past the sixth are ignored, which
 * keeps frac * scale below 2^63 for every unit above. No sign, no spaces.
 */
static int parse_scaled(const char *s, const struct unit *units, int bare_ok, int64_t *out)
{
	int64_t whole, frac = 0, frac_scale = 1, scale;
	const char *p = s;

	if (read_digits(&p, &whole) != 0)
		return -1;
	if (*p == '.') {
		if (!is_digit(*++p))
			return -1;
		for (; is_digit(*p); p++) {
			if (frac_scale < 1000000) {
				frac = frac * 10 + (*p - '0');
				frac_scale *= 10;
			}
		}
	}
	scale = scale_of(p, units, bare_ok);
	if (scale == 0)
		return -1;
	frac = frac * scale / frac_scale;
	if (whole > (INT64_MAX - frac) / scale)
		return -1;
	*out = whole * scale + frac;
	return 0;
}

int parse_size(const char *s, int64_t *out)
{
	return parse_scaled(s, size_units, 1, out);
}

/* A duration needs its unit, so "30" (seconds? milliseconds?) is refused;
 * only a plain "0" may go without one. */
int parse_duration(const char *s, int64_t *ns)
{
	if (strcmp(s, "0") == 0) {
		*ns = 0;
		return 0;
	}
	return parse_scaled(s, duration_units, 0, ns);
}

/* ---- signals ---- */

/* Signals a snapshot request must not use: the ones that cannot be caught,
 * the ones a fault raises (returning from their handler would fault again),
 * and SIGPROF, which the CPU profiler owns. */
static int is_reserved_signal(int sig)
{
	return sig == SIGKILL || sig == SIGSTOP || sig == SIGSEGV || sig == SIGBUS ||
	       sig == SIGFPE || sig == SIGILL || sig == SIGTRAP || sig == SIGSYS || sig == SIGPROF;
}

/* "SIGUSR2", "USR2", "usr2" or "12" into a signal number; "none" and "0" into 0. */
static int parse_signal(const char *s, int64_t *sig)
{
	const char *name = strncasecmp(s, "SIG", 3) == 0 ? s + 3 : s;
	int n;

	if (strcmp(s, "none") == 0 || strcmp(s, "0") == 0) {
		*sig = 0;
		return 0;
	}
	if (is_digit(*s)) {
		if (parse_count(s, sig) != 0 || *sig < 1 || *sig > SIGRTMAX)
			return -1;
		return is_reserved_signal((int)*sig) ? -1 : 0;
	}
	for (n = 1; n < SIGRTMIN; n++) {
		const char *abbrev = sigabbrev_np(n);

		if (abbrev != NULL && strcasecmp(name, abbrev) == 0) {
			*sig = n;
			return is_reserved_signal(n) ? -1 : 0;
		}
	}
	return -1;
}

/* ---- setting one key ---- */

static const struct option_entry *entry_for_key(const char *key)
{
	size_t i;

	for (i = 0; i < OPTION_COUNT; i++)
		if (strcmp(option_table[i].info.key, key) == 0)
			return &option_table[i];
	return NULL;
}

static int fail_unknown_key(const char *key, char *err, size_t errlen)
{
	size_t i, used;

	if (err == NULL || errlen == 0)
		return -1;
	char shown[256];
	fail(err, errlen, "unknown option \"%s\" (known:", printable(key, shown, sizeof shown));
	for (i = 0; i < OPTION_COUNT; i++) {
		used = strlen(err);
		snprintf(err + used, errlen - used, "%s %s", i == 0 ? "" : ",", option_table[i].info.key);
	}
	used = strlen(err);
	snprintf(err + used, errlen - used, ")");
	return -1;
}

static int set_text(const struct option_entry *e, char *field, const char *value)
{
	int optional = e->min == 0;

	if (optional && strcmp(value, "none") == 0)
		value = "";
	if ((!optional && *value == '\0') || strlen(value) >= e->size)
		return -1;
	strcpy(field, value);
	return 0;
}

static int parse_number(const struct option_entry *e, const char *value, int64_t *v)
{
	switch (e->shape) {
	case SHAPE_SIZE:
		return parse_size(value, v);
	case SHAPE_COUNT:
		return parse_count(value, v);
	case SHAPE_DURATION:
		return parse_duration(value, v);
	case SHAPE_NANOS:
		return parse_scaled(value, duration_units, 1, v);
	case SHAPE_SIGNAL:
		return parse_signal(value, v);
	case SHAPE_UNWIND:
		*v = strcmp(value, "fp") == 0 ? 1 : strcmp(value, "dwarf") == 0 ? 0 : -1;
		return *v < 0 ? -1 : 0;
	case SHAPE_TEXT:
		break;
	}
	return -1;
}

static void store_number(const struct option_entry *e, char *field, int64_t v)
{
	int narrow = (int)v;

	if (e->size == sizeof(int64_t))
		memcpy(field, &v, sizeof v);
	else
		memcpy(field, &narrow, sizeof narrow);
}

const struct option_info *option_info_for_key(const char *key)
{
	const struct option_entry *e = entry_for_key(key);
	return e != NULL ? &e->info : NULL;
}

int options_set(struct agent_options *o, const char *key, const char *value, char *err, size_t errlen)
{
	const struct option_entry *e = entry_for_key(key);
	char *field;
	int64_t v;

	if (e == NULL)
		return fail_unknown_key(key, err, errlen);
	field = (char *)o + e->offset;
	if (e->shape == SHAPE_TEXT) {
		if (set_text(e, field, value) == 0)
			return 0;
	} else if (parse_number(e, value, &v) == 0 && v >= e->min && v <= e->max) {
		store_number(e, field, v);
		return 0;
	}
	char shown[512];
	return fail(err, errlen, "option %s: \"%s\" is not %s", key,
	            printable(value, shown, sizeof shown), e->accepted);
}

/* ---- the key=value list ---- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trims blanks from both ends of s in place and returns the new start. */
static char *trimmed(char *s)
{
	size_t len;

	while (is_blank(*s))
		s++;
	len = strlen(s);
	while (len > 0 && is_blank(s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* Applies one item of the list (len bytes at item, not NUL-terminated). */
static int apply_item(struct agent_options *o, const char *item, size_t len, char *err, size_t errlen)
{
	char text[PATH_MAX + 64], shown[512];
	char *key, *value, *eq;

	if (len >= sizeof text) {
		char start[41];
		snprintf(start, sizeof start, "%.40s", item);
		return fail(err, errlen, "option list item \"%s...\" is too long",
		            printable(start, shown, sizeof shown));
	}
	memcpy(text, item, len);
	text[len] = '\0';
	key = trimmed(text);
	if (*key == '\0')
		return 0;
	eq = strchr(key, '=');
	if (eq == NULL || eq == key)
		return fail(err, errlen, "option list item \"%s\" is not key=value",
		            printable(key, shown, sizeof shown));
	*eq = '\0';
	value = trimmed(eq + 1);
	return options_set(o, trimmed(key), value, err, errlen);
}

int options_parse(const char *spec, struct agent_options *o, char *err, size_t errlen)
{
	struct agent_options draft = *o;
	const char *item = spec, *comma;

	while (item != NULL && *item != '\0') {
		comma = strchr(item, ',');
		if (apply_item(&draft, item, comma ? (size_t)(comma - item) : strlen(item), err, errlen) != 0)
			return -1;
		item = comma ? comma + 1 : NULL;
	}
	if (options_check(&draft, err, errlen) != 0)
		return -1;
	*o = draft;
	return 0;
}

int options_check(const struct agent_options *o, char *err, size_t errlen)
{
	struct http_addr a;
	char shown[512];
	if (o->http[0] == '\0')
		return 0;
	if (http_addr_parse(o->http, &a) != 0)
		return fail(err, errlen, "option http: \"%s\" is not an address (use IP:PORT, [IPv6]:PORT "
		            "or localhost:PORT, e.g. 127.0.0.1:6060; port 0 = any free port)",
		            printable(o->http, shown, sizeof shown));
	if (!a.loopback && !o->http_any)
		return fail(err, errlen, "option http: %s is not a loopback address (anyone who reaches "
		            "it could read the profiles; add http_any=1 to serve it anyway)",
		            printable(o->http, shown, sizeof shown));
	return 0;
}

/* ---- the output directory ---- */

/* Whether item (len bytes) is "dir=...", spaces allowed around the key. */
static int is_dir_item(const char *item, size_t len)
{
	while (len > 0 && isspace((unsigned char)*item))
		item++, len--;
	if (len < 3 || strncmp(item, "dir", 3) != 0)
		return 0;
	item += 3;
	len -= 3;
	while (len > 0 && isspace((unsigned char)*item))
		item++, len--;
	return len > 0 && *item == '=';
}

int options_spec_with_dir(const char *spec, const char *dir, char *out, size_t len)
{
	size_t used = 0;
	const char *item = spec, *comma;

	if (strchr(dir, ',') != NULL || len == 0)
		return -1;
	out[0] = '\0';
	while (item != NULL && *item != '\0') {
		comma = strchr(item, ',');
		size_t n = comma ? (size_t)(comma - item) : strlen(item);
		if (!is_dir_item(item, n) && n > 0) {
			if (used + n + 1 >= len)
				return -1;
			memcpy(out + used, item, n);
			used += n;
			out[used++] = ',';
			out[used] = '\0';
		}
		item = comma ? comma + 1 : NULL;
	}
	int w = snprintf(out + used, len - used, "dir=%s", dir);
	return w < 0 || (size_t)w >= len - used ? -1 : 0;
}

/* dir made absolute against the current directory, without a leading "./"
 * or trailing slashes. 0, or -1 with errno. */
static int absolute_path_of(const char *dir, char *path, size_t len)
{
	char cwd[PATH_MAX];
	size_t n;
	int written;

	if (dir[0] == '/') {
		written = snprintf(path, len, "%s", dir);
	} else {
		if (getcwd(cwd, sizeof cwd) == NULL)
			return -1;
		while (dir[0] == '.' && dir[1] == '/')
			dir += 2;
		written = snprintf(path, len, "%s%s%s", cwd, strcmp(cwd, "/") == 0 ? "" : "/", dir);
	}
	if (written < 0 || (size_t)written >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (n = strlen(path); n > 1 && path[n - 1] == '/'; n--)
		path[n - 1] = '\0';
	return 0;
}

static int fail_dir(const char *path, char *err, size_t errlen)
{
	char reason[128];

	return fail(err, errlen, "option dir: cannot use \"%s\": %s", path,
	            strerror_r(errno, reason, sizeof reason));
}

int options_resolve_dir(struct agent_options *o, char *err, size_t errlen)
{
	char path[PATH_MAX];

	if (absolute_path_of(o->dir, path, sizeof path) != 0)
		return fail_dir(o->dir, err, errlen);
	strcpy(o->dir, path);
	return 0;
}
