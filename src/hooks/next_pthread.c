/*
 * next_pthread.c — resolves the functions of next_pthread.h. dlsym may
 * allocate (through the malloc hooks, which are ready by then) but takes no
 * pthread lock through the public functions, so resolving from inside a
 * lock hook cannot recurse.
 */
#include "next_pthread.h"

#include <dlfcn.h>

#define NEXT(field, name) (*(void **)&next_pthread.field = dlsym(RTLD_NEXT, name))
#define NEXT_V(field, name) \
	(*(void **)&next_pthread.field = dlvsym(RTLD_NEXT, name, "GLIBC_2.3.2"), \
	 next_pthread.field ? (void)0 : (void)NEXT(field, name))

void next_pthread_resolve(void)
{
	NEXT(mutex_lock, "pthread_mutex_lock");
	NEXT(mutex_trylock, "pthread_mutex_trylock");
	NEXT(mutex_timedlock, "pthread_mutex_timedlock");
	NEXT(mutex_clocklock, "pthread_mutex_clocklock");
	NEXT(mutex_unlock, "pthread_mutex_unlock");
	NEXT(rwlock_rdlock, "pthread_rwlock_rdlock");
	NEXT(rwlock_tryrdlock, "pthread_rwlock_tryrdlock");
	NEXT(rwlock_timedrdlock, "pthread_rwlock_timedrdlock");
	NEXT(rwlock_wrlock, "pthread_rwlock_wrlock");
	NEXT(rwlock_trywrlock, "pthread_rwlock_trywrlock");
	NEXT(rwlock_timedwrlock, "pthread_rwlock_timedwrlock");
	NEXT(rwlock_unlock, "pthread_rwlock_unlock");
	NEXT_V(cond_wait, "pthread_cond_wait");
	NEXT_V(cond_timedwait, "pthread_cond_timedwait");
	NEXT(cond_clockwait, "pthread_cond_clockwait");
	NEXT(sem_wait, "sem_wait");
	NEXT(sem_trywait, "sem_trywait");
	NEXT(sem_timedwait, "sem_timedwait");
	NEXT(barrier_wait, "pthread_barrier_wait");
	NEXT(create, "pthread_create");
	NEXT(join, "pthread_join");
	NEXT(tryjoin_np, "pthread_tryjoin_np");
	NEXT(timedjoin_np, "pthread_timedjoin_np");
	NEXT(exit, "pthread_exit");
}

/* The stubs the pointers start with: resolve, then call the real one. */
#define STUB(field, params, args) \
	static int resolve_##field params \
	{ \
		next_pthread_resolve(); \
		return next_pthread.field args; \
	}

STUB(mutex_lock, (pthread_mutex_t *m), (m))
STUB(mutex_trylock, (pthread_mutex_t *m), (m))
STUB(mutex_timedlock, (pthread_mutex_t *m, const struct timespec *a), (m, a))
STUB(mutex_clocklock, (pthread_mutex_t *m, clockid_t c, const struct timespec *a), (m, c, a))
STUB(mutex_unlock, (pthread_mutex_t *m), (m))
STUB(rwlock_rdlock, (pthread_rwlock_t *l), (l))
STUB(rwlock_tryrdlock, (pthread_rwlock_t *l), (l))
STUB(rwlock_timedrdlock, (pthread_rwlock_t *l, const struct timespec *a), (l, a))
STUB(rwlock_wrlock, (pthread_rwlock_t *l), (l))
STUB(rwlock_trywrlock, (pthread_rwlock_t *l), (l))
STUB(rwlock_timedwrlock, (pthread_rwlock_t *l, const struct timespec *a), (l, a))
STUB(rwlock_unlock, (pthread_rwlock_t *l), (l))
STUB(cond_wait, (pthread_cond_t *c, pthread_mutex_t *m), (c, m))
STUB(cond_timedwait, (pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *a), (c, m, a))
STUB(cond_clockwait,
     (pthread_cond_t *c, pthread_mutex_t *m, clockid_t k, const struct timespec *a), (c, m, k, a))
STUB(sem_wait, (sem_t *s), (s))
STUB(sem_trywait, (sem_t *s), (s))
STUB(sem_timedwait, (sem_t *s, const struct timespec *a), (s, a))
STUB(barrier_wait, (pthread_barrier_t *b), (b))
STUB(create, (pthread_t *t, const pthread_attr_t *a, void *(*f)(void *), void *x), (t, a, f, x))
STUB(join, (pthread_t t, void **r), (t, r))
STUB(tryjoin_np, (pthread_t t, void **r), (t, r))
STUB(timedjoin_np, (pthread_t t, void **r, const struct timespec *a), (t, r, a))

static __attribute__((noreturn)) void resolve_exit(void *value)
{
	next_pthread_resolve();
	next_pthread.exit(value);
}

struct next_pthread next_pthread = {
	resolve_mutex_lock, resolve_mutex_trylock, resolve_mutex_timedlock,
	resolve_mutex_clocklock, resolve_mutex_unlock, resolve_rwlock_rdlock,
	resolve_rwlock_tryrdlock, resolve_rwlock_timedrdlock, resolve_rwlock_wrlock,
	resolve_rwlock_trywrlock, resolve_rwlock_timedwrlock, resolve_rwlock_unlock,
	resolve_cond_wait, resolve_cond_timedwait, resolve_cond_clockwait, resolve_sem_wait,
	resolve_sem_trywait, resolve_sem_timedwait, resolve_barrier_wait, resolve_create,
	resolve_join, resolve_tryjoin_np, resolve_timedjoin_np, resolve_exit,
};
