/*
 * lock_hooks.c — the interposed pthread locks, condition variables,
 * semaphores and barriers. Each lock hook first tries the lock without
 * blocking; only when that fails (or for calls that always wait: condition
 * variables, barriers) does it read the clock, wait, and report the event
 * to the core (events.h). Unlock hooks charge registered waiters' time to
 * the unlocker (lock_waiters.h).
 *
 * Cost budget: with block and mutex profiling off, a lock adds two relaxed
 * loads; with them on, an uncontended lock is the real trylock (the same
 * atomic the real lock would do) and an unlock adds one relaxed load of
 * contended_locks. No clock, lock, syscall or allocation on those paths.
 * pthread_mutex_trylock and the try-variants never block and are not
 * interposed: a lock taken by trylock is still seen by the unlock hook.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>

#include "events.h"
#include "core_sys.h"
#include "hooks.h"
#include "lock_waiters.h"
#include "next_pthread.h"
#include "rates.h"

static inline int profiling_here(void)
{
	next_pthread_ensure();
	return unlikely(contention_profiling()) && !agent_guard;
}

static inline int block_profiling_here(void)
{
	return profiling_here() && block_profiling();
}

/* A wait that may block, timed for the block profile: take the clock
 * before, then report the time after, keeping the call's result and errno. */
static inline int64_t block_begin(void)
{
	return core_sys.nanotime();
}

static inline int block_end(int64_t t0, int rc)
{
	int saved = errno;
	block_event(core_sys.nanotime() - t0);
	errno = saved;
	return rc;
}

/* A lock found held: the waiter is also registered for the mutex profile
 * while it waits. */
struct lock_wait {
	int64_t t0;
	uintptr_t token;
};

static inline struct lock_wait lock_wait_start(const void *lock)
{
	int64_t t0 = core_sys.nanotime();
	return (struct lock_wait){ t0, lock_wait_begin(lock, t0) };
}

static inline int lock_wait_done(struct lock_wait w, int rc)
{
	int saved = errno;
	int64_t t1 = core_sys.nanotime();
	lock_wait_end(w.token, w.t0);
	block_event(t1 - w.t0);
	errno = saved;
	return rc;
}

AGENT_HOOK int pthread_mutex_lock(pthread_mutex_t *m)
{
	if (!profiling_here())
		return next_pthread.mutex_lock(m);
	int rc = next_pthread.mutex_trylock(m);
	if (rc != EBUSY)
		return rc;
	struct lock_wait w = lock_wait_start(m);
	return lock_wait_done(w, next_pthread.mutex_lock(m));
}

AGENT_HOOK int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abs)
{
	if (!profiling_here())
		return next_pthread.mutex_timedlock(m, abs);
	int rc = next_pthread.mutex_trylock(m);
	if (rc != EBUSY)
		return rc;
	struct lock_wait w = lock_wait_start(m);
	return lock_wait_done(w, next_pthread.mutex_timedlock(m, abs));
}

AGENT_HOOK int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock,
                                       const struct timespec *abs)
{
	if (!profiling_here())
		return next_pthread.mutex_clocklock(m, clock, abs);
	int rc = next_pthread.mutex_trylock(m);
	if (rc != EBUSY)
		return rc;
	struct lock_wait w = lock_wait_start(m);
	return lock_wait_done(w, next_pthread.mutex_clocklock(m, clock, abs));
}

/* Called before the real unlock, or before a condition wait releases the
 * mutex: returns the delay registered waiters are charged (0 on the fast
 * path, where nobody waits anywhere and this is one relaxed load). */
static inline int64_t unlock_charge(const void *lock)
{
	if (likely(atomic_load_explicit(&contended_locks, memory_order_relaxed) == 0))
		return 0;
	return lock_unlock_delay(lock);
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
	next_pthread_ensure();
	int64_t delay = unlock_charge(m);
	return unlock_record(delay, next_pthread.mutex_unlock(m));
}

AGENT_HOOK int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
	if (!profiling_here())
		return next_pthread.rwlock_rdlock(l);
	int rc = next_pthread.rwlock_tryrdlock(l);
	if (rc != EBUSY)
		return rc;
	struct lock_wait w = lock_wait_start(l);
	return lock_wait_done(w, next_pthread.rwlock_rdlock(l));
}

AGENT_HOOK int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
	if (!profiling_here())
		return next_pthread.rwlock_wrlock(l);
	int rc = next_pthread.rwlock_trywrlock(l);
	if (rc != EBUSY)
		return rc;
	struct lock_wait w = lock_wait_start(l);
	return lock_wait_done(w, next_pthread.rwlock_wrlock(l));
}

AGENT_HOOK int pthread_rwlock_timedrdlock(pthread_rwlock_t *l, const struct timespec *abs)
{
	if (!profiling_here())
		return next_pthread.rwlock_timedrdlock(l, abs);
	int rc = next_pthread.rwlock_tryrdlock(l);
	if (rc != EBUSY)
		return rc;
	struct lock_wait w = lock_wait_start(l);
	return lock_wait_done(w, next_pthread.rwlock_timedrdlock(l, abs));
}

AGENT_HOOK int pthread_rwlock_timedwrlock(pthread_rwlock_t *l, const struct timespec *abs)
{
	if (!profiling_here())
		return next_pthread.rwlock_timedwrlock(l, abs);
	int rc = next_pthread.rwlock_trywrlock(l);
	if (rc != EBUSY)
		return rc;
	struct lock_wait w = lock_wait_start(l);
	return lock_wait_done(w, next_pthread.rwlock_timedwrlock(l, abs));
}

AGENT_HOOK int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	next_pthread_ensure();
	int64_t delay = unlock_charge(l);
	return unlock_record(delay, next_pthread.rwlock_unlock(l));
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
		return next_pthread.cond_wait(c, m);
	cond_release_charge(m);
	int64_t t0 = block_begin();
	return block_end(t0, next_pthread.cond_wait(c, m));
}

AGENT_HOOK int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                      const struct timespec *abs)
{
	if (!profiling_here())
		return next_pthread.cond_timedwait(c, m, abs);
	cond_release_charge(m);
	int64_t t0 = block_begin();
	return block_end(t0, next_pthread.cond_timedwait(c, m, abs));
}

AGENT_HOOK int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                                      const struct timespec *abs)
{
	if (!profiling_here())
		return next_pthread.cond_clockwait(c, m, clock, abs);
	cond_release_charge(m);
	int64_t t0 = block_begin();
	return block_end(t0, next_pthread.cond_clockwait(c, m, clock, abs));
}

/* sem_trywait: stores its result in *rc and says whether sem_wait would
 * block; errno is left as it was when it would. */
static int sem_would_block(sem_t *s, int *rc)
{
	int saved = errno;
	*rc = next_pthread.sem_trywait(s);
	if (*rc == 0 || errno != EAGAIN)
		return 0;
	errno = saved;
	return 1;
}

static int join_would_block(pthread_t t, void **ret, int *rc)
{
	*rc = next_pthread.tryjoin_np(t, ret);
	return *rc == EBUSY;
}

AGENT_HOOK int sem_wait(sem_t *s)
{
	int rc;
	if (!block_profiling_here())
		return next_pthread.sem_wait(s);
	if (!sem_would_block(s, &rc))
		return rc;
	int64_t t0 = block_begin();
	return block_end(t0, next_pthread.sem_wait(s));
}

AGENT_HOOK int sem_timedwait(sem_t *s, const struct timespec *abs)
{
	int rc;
	if (!block_profiling_here())
		return next_pthread.sem_timedwait(s, abs);
	if (!sem_would_block(s, &rc))
		return rc;
	int64_t t0 = block_begin();
	return block_end(t0, next_pthread.sem_timedwait(s, abs));
}

AGENT_HOOK int pthread_barrier_wait(pthread_barrier_t *b)
{
	if (!block_profiling_here())
		return next_pthread.barrier_wait(b);
	int64_t t0 = block_begin();
	return block_end(t0, next_pthread.barrier_wait(b));
}

AGENT_HOOK int pthread_join(pthread_t t, void **ret)
{
	int rc;
	if (!block_profiling_here())
		return next_pthread.join(t, ret);
	if (!join_would_block(t, ret, &rc))
		return rc;
	int64_t t0 = block_begin();
	return block_end(t0, next_pthread.join(t, ret));
}

AGENT_HOOK int pthread_timedjoin_np(pthread_t t, void **ret, const struct timespec *abs)
{
	int rc;
	if (!block_profiling_here())
		return next_pthread.timedjoin_np(t, ret, abs);
	if (!join_would_block(t, ret, &rc))
		return rc;
	int64_t t0 = block_begin();
	return block_end(t0, next_pthread.timedjoin_np(t, ret, abs));
}
