/*
 * thread_stack.c — the calling thread's stack bounds (thread_stack.h).
 */
#include "thread_stack.h"

#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

extern void *__libc_stack_end;

struct bounds {
	uintptr_t lo, hi;
	int known;
};

static __thread struct bounds own;

void thread_stack_note(uintptr_t lo, uintptr_t hi)
{
	own = (struct bounds){ .lo = lo, .hi = hi, .known = 1 };
}

/* How far below __libc_stack_end the first thread's stack may reach: its
 * rlimit, and never past the gap the kernel keeps between the stack and
 * the mappings below it. */
static uintptr_t main_stack_reach(void)
{
	struct rlimit rl;
	uintptr_t gap = (uintptr_t)128 << 20;
	if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > gap)
		return gap;
	return (uintptr_t)rl.rlim_cur;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Reads a hexadecimal number at *s, moving *s past it; 0 when none. */
static int parse_hex(const char **s, const char *end, uintptr_t *out)
{
	uintptr_t v = 0;
	const char *p = *s;
	while (p < end && hex_digit(*p) >= 0)
		v = v << 4 | (uintptr_t)hex_digit(*p++);
	if (p == *s)
		return 0;
	*s = p;
	*out = v;
	return 1;
}

/* One line "lo-hi perms ...": 1 when it holds addr. */
static int line_holds(const char *s, const char *end, uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	uintptr_t a, b;
	if (!parse_hex(&s, end, &a) || s == end || *s++ != '-' || !parse_hex(&s, end, &b))
		return 0;
	if (addr < a || addr >= b)
		return 0;
	*lo = a;
	*hi = b;
	return 1;
}

int thread_stack_find_in_maps(const char *text, uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	for (const char *s = text; *s;) {
		const char *nl = strchr(s, '\n');
		const char *end = nl ? nl : s + strlen(s);
		if (line_holds(s, end, addr, lo, hi))
			return 1;
		s = nl ? nl + 1 : end;
	}
	return 0;
}

/* Streams /proc/self/maps through a small buffer, whole lines at a time.
 * A line longer than the buffer (a long path) is skipped to its end; its
 * range comes first, and a stack's line has no path to speak of. */
static int find_in_proc_maps(uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	char buf[2048];
	size_t have = 0;
	int skipping = 0, found = 0;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while (!found) {
		ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		char *start = buf;
		if (skipping) {
			char *nl = strchr(buf, '\n');
			if (!nl) {
				have = 0;
				continue;
			}
			start = nl + 1;
			skipping = 0;
		}
		char *last_nl = strrchr(start, '\n');
		if (last_nl) {
			*last_nl = '\0';
			found = thread_stack_find_in_maps(start, addr, lo, hi);
			start = last_nl + 1;
		}
		size_t rest = have - (size_t)(start - buf);
		if (rest == sizeof buf - 1) {   /* no end of line in a full buffer */
			rest = 0;
			skipping = 1;
		}
		memmove(buf, start, rest);
		have = rest;
	}
	close(fd);
	return found;
}

int thread_stack_mapping_of(uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
	return find_in_proc_maps(addr, lo, hi);
}

static void find_own(uintptr_t sp)
{
	uintptr_t main_top = (uintptr_t)__libc_stack_end;
	uintptr_t reach = main_stack_reach();
	own.known = 1;
	if (sp < main_top && main_top - sp < reach) {
		own.lo = main_top - reach;
		own.hi = main_top;
		return;
	}
	if (!find_in_proc_maps(sp, &own.lo, &own.hi))
		own.lo = own.hi = 0;
}

uintptr_t thread_stack_top(uintptr_t sp)
{
	if (!own.known)
		find_own(sp);
	return sp >= own.lo && sp < own.hi ? own.hi : 0;
}
