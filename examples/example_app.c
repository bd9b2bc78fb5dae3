/*
 * example_app.c — the bundled example the demo profiles: a small
 * multi-threaded "document store". Worker threads parse records into
 * heap-allocated documents (parse_record), index them in a shared table
 * under one mutex (index_insert), keep a part and drop the rest, and a
 * reporter thread waits on a condition variable for batches. Its heap,
 * block, mutex and threadcreate profiles each have a clear top entry.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))
#define WORKERS 4
#define RECORDS 20000
#define TABLE 4096

struct doc {
	struct doc *next;
	size_t len;
	char body[];
};

static struct doc *table[TABLE];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t batch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t batch_ready = PTHREAD_COND_INITIALIZER;
static int batches, done;
static unsigned long inserts;   /* per-thread tallies would do; this keeps the unlock off a tail call */

NOINLINE static struct doc *parse_record(unsigned seed)
{
	size_t len = 200 + seed % 3000;
	struct doc *d = malloc(sizeof(*d) + len);
	d->len = len;
	memset(d->body, 'a' + seed % 26, len);
	return d;
}

NOINLINE static char *render_summary(const struct doc *d)
{
	char *s = malloc(64 + d->len / 4);
	snprintf(s, 64, "doc of %zu bytes", d->len);
	return s;
}

NOINLINE static void index_insert(struct doc *d, unsigned key)
{
	pthread_mutex_lock(&table_lock);
	d->next = table[key % TABLE];
	table[key % TABLE] = d;
	for (volatile int spin = 0; spin < 2000; spin++)
		;
	pthread_mutex_unlock(&table_lock);
	__atomic_fetch_add(&inserts, 1, __ATOMIC_RELAXED);
}

static void *worker(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;
	for (unsigned i = 0; i < RECORDS; i++) {
		unsigned seed = id * 7919u + i * 31u;
		struct doc *d = parse_record(seed);
		free(render_summary(d));
		if (i % 4 == 0)
			index_insert(d, seed);
		else
			free(d);
		if (i % 1000 == 0) {
			pthread_mutex_lock(&batch_lock);
			batches++;
			pthread_cond_signal(&batch_ready);
			pthread_mutex_unlock(&batch_lock);
		}
	}
	return NULL;
}

static void *reporter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&batch_lock);
	while (!done) {
		while (batches == 0 && !done)
			pthread_cond_wait(&batch_ready, &batch_lock);
		batches = 0;
	}
	pthread_mutex_unlock(&batch_lock);
	return NULL;
}

NOINLINE static void start_workers(pthread_t *t)
{
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i);
}

NOINLINE static void start_reporter(pthread_t *t)
{
	pthread_create(t, NULL, reporter, NULL);
}

int main(void)
{
	pthread_t workers[WORKERS], rep;
	start_reporter(&rep);
	start_workers(workers);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(workers[i], NULL);
	pthread_mutex_lock(&batch_lock);
	done = 1;
	pthread_cond_signal(&batch_ready);
	pthread_mutex_unlock(&batch_lock);
	pthread_join(rep, NULL);
	size_t kept = 0;
	for (int i = 0; i < TABLE; i++)
		for (struct doc *d = table[i]; d; d = d->next)
			kept += d->len;
	printf("example_app: %d workers indexed %zu bytes of documents\n", WORKERS, kept);
	return 0;
}
