/*
 * cpu_kind.c — the cpu kind: Go's CPU profile. Values are samples and the
 * CPU time they stand for (samples x period); the period is the sampling
 * interval in CPU nanoseconds; each file covers the interval since the
 * previous one (time_nanos is its start, duration_nanos its length), after
 * which the buckets start again from zero. The comments say what took the
 * samples (perf events or a signal) and how many could not be handed over
 * (never dropped silently). The C API's
 * profile (cpu_since_start) counts the same samples apart, from
 * pprof_start_cpu_profile on.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cpu_record.h"
#include "core_sys.h"
#include "kind_values.h"
#include "rates.h"

int64_t cpu_period(void)
{
	return cpu_record_period();
}

int cpu_written(void)
{
	return rates_ever_on(EVER_CPU);
}

int cpu_note(char *buf, size_t len)
{
	uint64_t lost = cpu_lost_samples();
	const char *how = cpu_record_source();
	if (lost == 0)
		snprintf(buf, len, "%s", how);
	else
		snprintf(buf, len, "%s%s%" PRIu64 " cpu samples lost in this interval (a buffer was full)",
		         how, how[0] ? "; " : "", lost);
	return buf[0] != 0;
}

void cpu_fill_row(const struct bucket *b, struct row *r)
{
	r->values[0] = (int64_t)atomic_load(&b->rec.cpu.samples);
	r->values[1] = (int64_t)atomic_load(&b->rec.cpu.nanos);
}

/* A profile that covers [start, now] (start 0: not known, then now). */
static void interval_since(int64_t start, int64_t *time_nanos, int64_t *duration_nanos)
{
	int64_t now = core_sys.walltime();
	*time_nanos = start > 0 ? start : now;
	*duration_nanos = start > 0 && now > start ? now - start : 0;
}

void cpu_interval(int64_t *time_nanos, int64_t *duration_nanos)
{
	interval_since(cpu_interval_start(), time_nanos, duration_nanos);
}

void cpu_file_written(void)
{
	cpu_records_clear(core_sys.walltime());
}

/* The C API's profile: the same samples, counted since it started. */
void cpu_api_fill_row(const struct bucket *b, struct row *r)
{
	r->values[0] = (int64_t)atomic_load(&b->rec.cpu.api_samples);
	r->values[1] = (int64_t)atomic_load(&b->rec.cpu.api_nanos);
}

void cpu_api_interval(int64_t *time_nanos, int64_t *duration_nanos)
{
	interval_since(cpu_record_api_start(), time_nanos, duration_nanos);
}
