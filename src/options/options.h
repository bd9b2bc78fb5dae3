/*
 * options.h — the agent's settings and their one parser, and the rules of
 * src/options/.
 *
 * The PPROF_AGENT environment variable ("key=value,key=value") and the
 * launcher's flags ("--mem-rate=64k") both end up in options_set(), so one
 * piece of code decides what is valid and words every error the same way:
 *   option mem_rate: "12q" is not a size (use bytes or a k/KiB/M/MiB/G/GiB suffix)
 * (whoever prints the line puts "pprof-agent: " in front of it).
 *
 * src/options/ is shared by the agent, which parses from its constructor
 * (possibly before the host's malloc works), and the launcher. So its code
 * allocates nothing (no malloc, no stdio stream: snprintf into the caller's
 * buffers only), keeps no state, and includes nothing but include/.
 */
#ifndef PPROF_AGENT_OPTIONS_H
#define PPROF_AGENT_OPTIONS_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

struct agent_options {
	char dir[PATH_MAX];        /* output directory; made absolute by options_resolve_dir() */
	int64_t interval_ns;       /* between periodic snapshots; 0 = only at exit/on demand */
	int64_t mem_rate;          /* bytes between heap samples; 1 = all; 0 = off */
	int64_t block_rate_ns;     /* SetBlockProfileRate in ns; 1 = all; 0 = off */
	int64_t mutex_fraction;    /* 1 in N contention events; 0 = off */
	int64_t cpu_hz;            /* CPU samples per CPU-second; 0 = off */
	int threadcreate;          /* 0/1 */
	int threads;               /* 0/1: the threads kind */
	int keep;                  /* files kept per kind, >= 1 */
	int delta;                 /* 0/1: periodic files hold what happened since the last */
	int depth;                 /* deepest stack recorded, 1..64 (PPROF_RECORD_STACK) */
	int signal;                /* signal number asking for a snapshot; 0 = none */
	int unwind_fp;             /* 0: unwind tables; 1: frame pointers */
	char http[128];            /* address of the /debug/pprof/ endpoint; "" = none */
	int http_any;              /* 0/1: let http be a non-loopback address */
	int follow_children;       /* 0/1 */
	int verbose;               /* 0/1 */
	int64_t max_bucket_mem;    /* cap on stack-bucket memory, bytes */
	int early_thread;          /* 0/1: start the agent thread at load */
	int64_t min_disk_free;     /* bytes the output file system keeps free */
	int64_t max_dir_size;      /* bytes of profiles the output directory may hold */
};

/* Fills the contract's defaults. */
void options_defaults(struct agent_options *o);

/* Parses a "key=value,..." list over the current contents of o. Returns 0,
 * or -1 after writing one line (no trailing newline) naming the key and the
 * accepted form into err. On failure
 * o is left unchanged. spec may be NULL or empty. */
int options_parse(const char *spec, struct agent_options *o, char *err, size_t errlen);

/* Checks what no single key can: the http address's form, and that it is a
 * loopback one unless http_any=1 (called by options_parse on its result,
 * and by the launcher once every flag is in). 0, or -1 with one line in err. */
int options_check(const struct agent_options *o, char *err, size_t errlen);

/* Parses one "key=value" pair (used by options_parse and the launcher). */
int options_set(struct agent_options *o, const char *key, const char *value, char *err, size_t errlen);

/* Writes spec with its dir item (if any) replaced by "dir=DIR" at the end,
 * for the environment of children, which must write where this process
 * does whatever their working directory. 0, or -1 when out is too small
 * or dir holds a comma (which a list cannot carry). */
int options_spec_with_dir(const char *spec, const char *dir, char *out, size_t len);

/* Makes o->dir absolute (against the current directory), without "./" or
 * trailing slashes; the file system is not touched (the directory is opened,
 * and made if missing, by the report's output_dir.h). Returns 0, or -1 with
 * a one-line message in err naming the directory and the errno text. */
int options_resolve_dir(struct agent_options *o, char *err, size_t errlen);

/* One documented key, for the launcher's flags and --help: `key` as in
 * PPROF_AGENT ("mem_rate"), `form` the value's shape ("SIZE"), `fallback` the
 * contract's default as text, `meaning` one line, `is_boolean` set for 0/1
 * keys (the launcher lets "--verbose" stand for "--verbose=1"). */
struct option_info {
	const char *key;
	const char *form;
	const char *fallback;
	const char *meaning;
	int is_boolean;
};

/* The i-th known key in the contract's order, or NULL past the last. */
const struct option_info *option_info_at(size_t i);
/* The key named key, or NULL. */
const struct option_info *option_info_for_key(const char *key);

/* Value parsers shared by options and the launcher; 0 on success. */
int parse_size(const char *s, int64_t *out);       /* "512k", "1MiB", "4096" */
int parse_duration(const char *s, int64_t *ns);    /* "30s", "1us", "0" */

#endif
