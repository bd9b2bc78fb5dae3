/*
 * lock_hooks.c — the interposed pthread locks, condition variables,
 * semaphores, barriers and joins. Each lock hook first tries the lock
 * without blocking; only when that fails (or for calls that always wait:
 * condition variables, barriers) does it read the clock, wait, and report
 * the event to the core (events.h). Unlock hooks charge registered waiters'
 * time to the unlocker (lock_waiters.h).
 *
 * Cost budget. With block and mutex profiling off, a lock hook is one
 * relaxed load and a tail call to the real lock; an unlock hook is one
 * relaxed load (contended_locks) and a tail call. With profiling on, a
 * process with one thread (glibc's __libc_single_threaded) cannot contend
 * on a lock of its own: only a process-shared lock is watched there, so the
 * lock costs two loads more than off. Otherwise an uncontended mutex lock
 * is the real trylock, inline (the same atomic the real lock would do). No
 * clock, lock, syscall or allocation on those paths; the rest is out of
 * line (AGENT_HOOK_SLOW), so the fast paths need no stack frame.
 *
 * pthread_mutex_trylock and the try-variants never block and are not
 * interposed: a lock taken by trylock is still seen by the unlock hook.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/single_threaded.h>

#include "core_sys.h"
#include "events.h"
#include "hooks.h"
#include "lock_waiters.h"
#include "next_pthread.h"
#include "rates.h"

/* ---- locks ---- */

enum lock_op { MUTEX_LOCK, MUTEX_TIMEDLOCK, MUTEX_CLOCKLOCK, RD_LOCK, RD_TIMEDLOCK, WR_LOCK,
	       WR_TIMEDLOCK };

/* One call of a lock hook, as it was made. */
struct lock_call {
	enum lock_op op;
	void *lock;
	clockid_t clock;
	const struct timespec *abs;
};

/* Makes the call the host made, on the next definition. */
static int lock_now(const struct lock_call *c)
{
	switch (c->op) {
	case MUTEX_LOCK: return next_pthread.mutex_lock(c->lock);
	case MUTEX_TIMEDLOCK: return next_pthread.mutex_timedlock(c->lock, c->abs);
	case MUTEX_CLOCKLOCK: return next_pthread.mutex_clocklock(c->lock, c->clock, c->abs);
	case RD_LOCK: return next_pthread.rwlock_rdlock(c->lock);
	case RD_TIMEDLOCK: return next_pthread.rwlock_timedrdlock(c->lock, c->abs);
	case WR_LOCK: return next_pthread.rwlock_wrlock(c->lock);
	case WR_TIMEDLOCK: return next_pthread.rwlock_timedwrlock(c->lock, c->abs);
	}
	return EINVAL;
}

/* The same lock taken without blocking: EBUSY when it is held. */
static int lock_try(const struct lock_call *c)
{
	switch (c->op) {
	case MUTEX_LOCK:
	case MUTEX_TIMEDLOCK:
	case MUTEX_CLOCKLOCK: return next_pthread.mutex_trylock(c->lock);
	case RD_LOCK:
	case RD_TIMEDLOCK: return next_pthread.rwlock_tryrdlock(c->lock);
	case WR_LOCK:
	case WR_TIMEDLOCK: return next_pthread.rwlock_trywrlock(c->lock);
	}
	return EINVAL;
}

/* The profiled half of every lock hook: a lock found held is waited for
 * with the clock running and the waiter registered for the mutex profile;
 * the wait goes to the block profile. The result and errno are the lock's. */
static AGENT_HOOK_SLOW int lock_profiled(enum lock_op op, void *lock, clockid_t clock,
                                         const struct timespec *abs)
{
	struct lock_call c = { .op = op, .lock = lock, .clock = clock, .abs = abs };
	if (agent_guard)
		return lock_now(&c);
	int rc = lock_try(&c);
	if (rc != EBUSY)
		return rc;
	int64_t t0 = core_sys.nanotime();
	uintptr_t token = lock_wait_begin(c.lock, t0);
	rc = lock_now(&c);
	int saved = errno;
	int64_t t1 = core_sys.nanotime();
	lock_wait_end(token, t0);
	struct unwind_regs from = HOOK_CALLER();
	block_event(t1 - t0, &from);
	errno = saved;
	return rc;
}

/* glibc keeps the process-shared flag in the lock itself (the public
 * layout of pthreadtypes: a mutex's kind bit 7, a rwlock's shared word). */
#define MUTEX_KIND_PSHARED 128

/* Whether contention on m is profiled and possible: profiling is on, and
 * another thread could hold m (this process has more than one, or m is
 * shared with other processes). */
static inline int mutex_watched(const pthread_mutex_t *m)
{
	return unlikely(contention_profiling()) &&
	       (!__libc_single_threaded || (m->__data.__kind & MUTEX_KIND_PSHARED));
}

static inline int rwlock_watched(const pthread_rwlock_t *l)
{
	return unlikely(contention_profiling()) && (!__libc_single_threaded || l->__data.__shared);
}

/* A watched mutex lock: the trylock decides most of them here. */
static AGENT_HOOK_SLOW int mutex_lock_watched(pthread_mutex_t *m)
{
	int rc = next_pthread.mutex_trylock(m);
	if (rc != EBUSY)
		return rc;
	return lock_profiled(MUTEX_LOCK, m, 0, NULL);
}

AGENT_HOOK int pthread_mutex_lock(pthread_mutex_t *m)
{
	if (likely(!mutex_watched(m)))
		return next_pthread.mutex_lock(m);
	return mutex_lock_watched(m);
}

AGENT_HOOK int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abs)
{
	if (likely(!mutex_watched(m)))
		return next_pthread.mutex_timedlock(m, abs);
	return lock_profiled(MUTEX_TIMEDLOCK, m, 0, abs);
}

AGENT_HOOK int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock,
                                       const struct timespec *abs)
{
	if (likely(!mutex_watched(m)))
		return next_pthread.mutex_clocklock(m, clock, abs);
	return lock_profiled(MUTEX_CLOCKLOCK, m, clock, abs);
}

AGENT_HOOK int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
	if (likely(!rwlock_watched(l)))
		return next_pthread.rwlock_rdlock(l);
	return lock_profiled(RD_LOCK, l, 0, NULL);
}

AGENT_HOOK int pthread_rwlock_timedrdlock(pthread_rwlock_t *l, const struct timespec *abs)
{
	if (likely(!rwlock_watched(l)))
		return next_pthread.rwlock_timedrdlock(l, abs);
	return lock_profiled(RD_TIMEDLOCK, l, 0, abs);
}

AGENT_HOOK int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
	if (likely(!rwlock_watched(l)))
		return next_pthread.rwlock_wrlock(l);
	return lock_profiled(WR_LOCK, l, 0, NULL);
}

AGENT_HOOK int pthread_rwlock_timedwrlock(pthread_rwlock_t *l, const struct timespec *abs)
{
	if (likely(!rwlock_watched(l)))
		return next_pthread.rwlock_timedwrlock(l, abs);
	return lock_profiled(WR_TIMEDLOCK, l, 0, abs);
}

/* ---- unlocks ---- */

/* The delay the lock's registered waiters are charged, recorded at the
 * unlocker's stack after the real unlock (so the lock is not held across
 * the unwind); errno stays the unlock's. */
static AGENT_HOOK_SLOW int unlock_charged(void *lock, int (*unlock)(void *))
{
	int64_t delay = agent_guard ? 0 : lock_unlock_delay(lock);
	int rc = unlock(lock);
	if (delay > 0) {
		int saved = errno;
		struct unwind_regs from = HOOK_CALLER();
		mutex_event(delay, &from);
		errno = saved;
	}
	return rc;
}

static int mutex_unlock_now(void *m)
{
	return next_pthread.mutex_unlock(m);
}

static int rwlock_unlock_now(void *l)
{
	return next_pthread.rwlock_unlock(l);
}

static inline int nobody_waits_anywhere(void)
{
	return atomic_load_explicit(&contended_locks, memory_order_relaxed) == 0;
}

AGENT_HOOK int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (likely(nobody_waits_anywhere()))
		return next_pthread.mutex_unlock(m);
	return unlock_charged(m, mutex_unlock_now);
}

AGENT_HOOK int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	if (likely(nobody_waits_anywhere()))
		return next_pthread.rwlock_unlock(l);
	return unlock_charged(l, rwlock_unlock_now);
}

/* ---- condition variables ---- */

enum cond_op { COND_WAIT, COND_TIMEDWAIT, COND_CLOCKWAIT };

struct cond_call {
	enum cond_op op;
	pthread_cond_t *cond;
	pthread_mutex_t *mutex;
	clockid_t clock;
	const struct timespec *abs;
};

static int cond_wait_now(const struct cond_call *c)
{
	switch (c->op) {
	case COND_WAIT: return next_pthread.cond_wait(c->cond, c->mutex);
	case COND_TIMEDWAIT: return next_pthread.cond_timedwait(c->cond, c->mutex, c->abs);
	case COND_CLOCKWAIT:
		return next_pthread.cond_clockwait(c->cond, c->mutex, c->clock, c->abs);
	}
	return EINVAL;
}

static int no_unlock(void *m)
{
	(void)m;
	return 0;
}

/* A condition wait releases its mutex: the mutex's waiters are charged to
 * the waiting call's stack, as an unlock there would be; then the wait
 * itself goes to the block profile. */
static AGENT_HOOK_SLOW int cond_wait_profiled(struct cond_call c)
{
	if (agent_guard)
		return cond_wait_now(&c);
	if (!nobody_waits_anywhere())
		unlock_charged(c.mutex, no_unlock);
	int64_t t0 = core_sys.nanotime();
	int rc = cond_wait_now(&c);
	int saved = errno;
	struct unwind_regs from = HOOK_CALLER();
	block_event(core_sys.nanotime() - t0, &from);
	errno = saved;
	return rc;
}

AGENT_HOOK int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	if (likely(!contention_profiling()))
		return next_pthread.cond_wait(c, m);
	return cond_wait_profiled((struct cond_call){ .op = COND_WAIT, .cond = c, .mutex = m });
}

AGENT_HOOK int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                      const struct timespec *abs)
{
	if (likely(!contention_profiling()))
		return next_pthread.cond_timedwait(c, m, abs);
	return cond_wait_profiled(
	    (struct cond_call){ .op = COND_TIMEDWAIT, .cond = c, .mutex = m, .abs = abs });
}

AGENT_HOOK int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                                      const struct timespec *abs)
{
	if (likely(!contention_profiling()))
		return next_pthread.cond_clockwait(c, m, clock, abs);
	return cond_wait_profiled((struct cond_call){
	    .op = COND_CLOCKWAIT, .cond = c, .mutex = m, .clock = clock, .abs = abs });
}

/* ---- semaphores, barriers, joins: the block profile only ---- */

enum wait_op { SEM_WAIT, SEM_TIMEDWAIT, BARRIER_WAIT, JOIN, TIMEDJOIN };

struct wait_call {
	enum wait_op op;
	void *object;              /* sem_t * or pthread_barrier_t * */
	pthread_t thread;
	void **result;
	const struct timespec *abs;
};

static int wait_now(const struct wait_call *c)
{
	switch (c->op) {
	case SEM_WAIT: return next_pthread.sem_wait(c->object);
	case SEM_TIMEDWAIT: return next_pthread.sem_timedwait(c->object, c->abs);
	case BARRIER_WAIT: return next_pthread.barrier_wait(c->object);
	case JOIN: return next_pthread.join(c->thread, c->result);
	case TIMEDJOIN: return next_pthread.timedjoin_np(c->thread, c->result, c->abs);
	}
	return EINVAL;
}

/* Tries the wait without blocking: returns 1 with the result in *rc when
 * that settled it, 0 when the call would block (errno then as it was). A
 * barrier always waits. */
static int wait_settled_without_blocking(const struct wait_call *c, int *rc)
{
	int saved = errno;
	switch (c->op) {
	case SEM_WAIT:
	case SEM_TIMEDWAIT:
		*rc = next_pthread.sem_trywait(c->object);
		if (*rc == 0 || errno != EAGAIN)
			return 1;
		errno = saved;
		return 0;
	case JOIN:
	case TIMEDJOIN:
		*rc = next_pthread.tryjoin_np(c->thread, c->result);
		return *rc != EBUSY;
	case BARRIER_WAIT:
		break;
	}
	return 0;
}

static AGENT_HOOK_SLOW int wait_profiled(struct wait_call c)
{
	int rc;
	if (agent_guard || !block_profiling())
		return wait_now(&c);
	if (wait_settled_without_blocking(&c, &rc))
		return rc;
	int64_t t0 = core_sys.nanotime();
	rc = wait_now(&c);
	int saved = errno;
	struct unwind_regs from = HOOK_CALLER();
	block_event(core_sys.nanotime() - t0, &from);
	errno = saved;
	return rc;
}

AGENT_HOOK int sem_wait(sem_t *s)
{
	if (likely(!contention_profiling()))
		return next_pthread.sem_wait(s);
	return wait_profiled((struct wait_call){ .op = SEM_WAIT, .object = s });
}

AGENT_HOOK int sem_timedwait(sem_t *s, const struct timespec *abs)
{
	if (likely(!contention_profiling()))
		return next_pthread.sem_timedwait(s, abs);
	return wait_profiled((struct wait_call){ .op = SEM_TIMEDWAIT, .object = s, .abs = abs });
}

AGENT_HOOK int pthread_barrier_wait(pthread_barrier_t *b)
{
	if (likely(!contention_profiling()))
		return next_pthread.barrier_wait(b);
	return wait_profiled((struct wait_call){ .op = BARRIER_WAIT, .object = b });
}

AGENT_HOOK int pthread_join(pthread_t t, void **ret)
{
	if (likely(!contention_profiling()))
		return next_pthread.join(t, ret);
	return wait_profiled((struct wait_call){ .op = JOIN, .thread = t, .result = ret });
}

AGENT_HOOK int pthread_timedjoin_np(pthread_t t, void **ret, const struct timespec *abs)
{
	if (likely(!contention_profiling()))
		return next_pthread.timedjoin_np(t, ret, abs);
	return wait_profiled(
	    (struct wait_call){ .op = TIMEDJOIN, .thread = t, .result = ret, .abs = abs });
}
