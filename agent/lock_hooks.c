/*
 * lock_hooks.c — the interposed pthread locks, condition variables,
 * semaphores and barriers. Each lock hook first tries the lock without
 * blocking; only when that fails (or for calls that always wait: condition
 * variables, barriers) does it read the clock, wait, and report the event
 * to contention.c. Unlock hooks charge registered waiters' time to the
 * unlocker (see contention.h).
 *
 * Cost budget: with block and mutex profiling off, a lock adds two relaxed
 * loads; with them on, an uncontended lock is the real trylock (the same
 * atomic the real lock would do) and an unlock adds one relaxed load of
 * contended_locks. No clock, lock, syscall or allocation on those paths.
 * pthread_mutex_trylock and the try-variants never block and are not
 * interposed: a lock taken by trylock is still seen by the unlock hook.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>

#include "agent.h"
#include "contention.h"
#include "real_pthread.h"

/* Times a blocking call and reports it to the block profile. */
#define MEASURE_BLOCK(call) \
	({ \
		int64_t t0_ = contention_now(); \
		int rc_ = (call); \
		int saved_ = errno; \
		block_event(contention_now() - t0_); \
		errno = saved_; \
		rc_; \
	})

/* The same for a lock found held: the waiter is registered for the mutex
 * profile while it waits. */
#define MEASURE_LOCK(lock, call) \
	({ \
		int64_t t0_ = contention_now(); \
		uintptr_t token_ = mutex_wait_begin((lock), t0_); \
		int rc_ = (call); \
		int64_t t1_ = contention_now(); \
		mutex_wait_end(token_, t0_); \
		block_event(t1_ - t0_); \
		rc_; \
	})

static inline int profiling_here(void)
{
	real_pthread_ensure();
	return unlikely(contention_profiling()) && !agent_guard;
}

/* The body every lock hook shares: pass straight through when not
 * profiling; otherwise try without blocking, and only when the lock is
 * held (EBUSY) wait with the clock running. */
#define CONTENDED_LOCK(lock, trylock, call) \
	do { \
		if (!profiling_here()) \
			return (call); \
		int rc_try_ = (trylock); \
		if (rc_try_ != EBUSY) \
			return rc_try_; \
		return MEASURE_LOCK((lock), (call)); \
	} while (0)

AGENT_HOOK int pthread_mutex_lock(pthread_mutex_t *m)
{
	CONTENDED_LOCK(m, real_pthread.mutex_trylock(m), real_pthread.mutex_lock(m));
}

AGENT_HOOK int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abs)
{
	CONTENDED_LOCK(m, real_pthread.mutex_trylock(m), real_pthread.mutex_timedlock(m, abs));
}

AGENT_HOOK int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock,
                                       const struct timespec *abs)
{
	CONTENDED_LOCK(m, real_pthread.mutex_trylock(m), real_pthread.mutex_clocklock(m, clock, abs));
}

/* Called before the real unlock, or before a condition wait releases the
 * mutex: returns the delay registered waiters are charged (0 on the fast
 * path, where nobody waits anywhere and this is one relaxed load). */
static inline int64_t unlock_charge(const void *lock)
{
	if (likely(atomic_load_explicit(&contended_locks, memory_order_relaxed) == 0))
		return 0;
	return mutex_unlock_delay(lock);
}

/* Records the charged delay after the real unlock, so the lock is not held
 * across the unwind; errno stays the unlock's. */
static inline int unlock_record(int64_t delay, int rc)
{
	if (likely(delay <= 0))
		return rc;
	int saved = errno;
	mutex_event(delay);
	errno = saved;
	return rc;
}

AGENT_HOOK int pthread_mutex_unlock(pthread_mutex_t *m)
{
	real_pthread_ensure();
	int64_t delay = unlock_charge(m);
	return unlock_record(delay, real_pthread.mutex_unlock(m));
}

AGENT_HOOK int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
	CONTENDED_LOCK(l, real_pthread.rwlock_tryrdlock(l), real_pthread.rwlock_rdlock(l));
}

AGENT_HOOK int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
	CONTENDED_LOCK(l, real_pthread.rwlock_trywrlock(l), real_pthread.rwlock_wrlock(l));
}

AGENT_HOOK int pthread_rwlock_timedrdlock(pthread_rwlock_t *l, const struct timespec *abs)
{
	CONTENDED_LOCK(l, real_pthread.rwlock_tryrdlock(l), real_pthread.rwlock_timedrdlock(l, abs));
}

AGENT_HOOK int pthread_rwlock_timedwrlock(pthread_rwlock_t *l, const struct timespec *abs)
{
	CONTENDED_LOCK(l, real_pthread.rwlock_trywrlock(l), real_pthread.rwlock_timedwrlock(l, abs));
}

AGENT_HOOK int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	real_pthread_ensure();
	int64_t delay = unlock_charge(l);
	return unlock_record(delay, real_pthread.rwlock_unlock(l));
}

/* A condition wait releases the mutex: waiters of the mutex are charged to
 * the waiting call's stack, as an unlock there would be. */
static void cond_release_charge(pthread_mutex_t *m)
{
	unlock_record(unlock_charge(m), 0);
}

AGENT_HOOK int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	if (!profiling_here())
		return real_pthread.cond_wait(c, m);
	cond_release_charge(m);
	return MEASURE_BLOCK(real_pthread.cond_wait(c, m));
}

AGENT_HOOK int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                      const struct timespec *abs)
{
	if (!profiling_here())
		return real_pthread.cond_timedwait(c, m, abs);
	cond_release_charge(m);
	return MEASURE_BLOCK(real_pthread.cond_timedwait(c, m, abs));
}

AGENT_HOOK int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                                      const struct timespec *abs)
{
	if (!profiling_here())
		return real_pthread.cond_clockwait(c, m, clock, abs);
	cond_release_charge(m);
	return MEASURE_BLOCK(real_pthread.cond_clockwait(c, m, clock, abs));
}

/* The body of the calls that may or may not block (semaphores, joins):
 * pass through unless the block profile is on; otherwise try without
 * blocking, and only when that would block (try_blocks) time the call. */
#define BLOCKING_AFTER_TRY(try_blocks, call) \
	do { \
		if (!profiling_here() || !block_profiling()) \
			return (call); \
		int rc_try_; \
		if (!(try_blocks)) \
			return rc_try_; \
		return MEASURE_BLOCK(call); \
	} while (0)

/* sem_trywait: stores its result in *rc and says whether sem_wait would
 * block; errno is left as it was when it would. */
static int sem_try_blocks(sem_t *s, int *rc)
{
	int saved = errno;
	*rc = real_pthread.sem_trywait(s);
	if (*rc == 0 || errno != EAGAIN)
		return 0;
	errno = saved;
	return 1;
}

static int join_try_blocks(pthread_t t, void **ret, int *rc)
{
	*rc = real_pthread.tryjoin_np(t, ret);
	return *rc == EBUSY;
}

AGENT_HOOK int sem_wait(sem_t *s)
{
	BLOCKING_AFTER_TRY(sem_try_blocks(s, &rc_try_), real_pthread.sem_wait(s));
}

AGENT_HOOK int sem_timedwait(sem_t *s, const struct timespec *abs)
{
	BLOCKING_AFTER_TRY(sem_try_blocks(s, &rc_try_), real_pthread.sem_timedwait(s, abs));
}

AGENT_HOOK int pthread_barrier_wait(pthread_barrier_t *b)
{
	if (!profiling_here() || !block_profiling())
		return real_pthread.barrier_wait(b);
	return MEASURE_BLOCK(real_pthread.barrier_wait(b));
}

AGENT_HOOK int pthread_join(pthread_t t, void **ret)
{
	BLOCKING_AFTER_TRY(join_try_blocks(t, ret, &rc_try_), real_pthread.join(t, ret));
}

AGENT_HOOK int pthread_timedjoin_np(pthread_t t, void **ret, const struct timespec *abs)
{
	BLOCKING_AFTER_TRY(join_try_blocks(t, ret, &rc_try_), real_pthread.timedjoin_np(t, ret, abs));
}
