/*
 * next_pthread.h — the next definitions of the pthread and semaphore
 * functions the agent interposes, found with dlsym(RTLD_NEXT). Condition
 * variables are resolved by version (dlvsym, GLIBC_2.3.2), so the hooks
 * forward to the current condvar ABI and never to the pre-2.3.2
 * compatibility one.
 *
 * Until they are resolved, the pointers hold stubs that resolve all of them
 * and then make the call, so a hook never tests whether resolution
 * happened: the first call through any pointer does it.
 */
#ifndef PPROF_AGENT_NEXT_PTHREAD_H
#define PPROF_AGENT_NEXT_PTHREAD_H

#include <pthread.h>
#include <semaphore.h>
#include <time.h>

struct next_pthread {
	int (*mutex_lock)(pthread_mutex_t *);
	int (*mutex_trylock)(pthread_mutex_t *);
	int (*mutex_timedlock)(pthread_mutex_t *, const struct timespec *);
	int (*mutex_clocklock)(pthread_mutex_t *, clockid_t, const struct timespec *);
	int (*mutex_unlock)(pthread_mutex_t *);
	int (*rwlock_rdlock)(pthread_rwlock_t *);
	int (*rwlock_tryrdlock)(pthread_rwlock_t *);
	int (*rwlock_timedrdlock)(pthread_rwlock_t *, const struct timespec *);
	int (*rwlock_wrlock)(pthread_rwlock_t *);
	int (*rwlock_trywrlock)(pthread_rwlock_t *);
	int (*rwlock_timedwrlock)(pthread_rwlock_t *, const struct timespec *);
	int (*rwlock_unlock)(pthread_rwlock_t *);
	int (*cond_wait)(pthread_cond_t *, pthread_mutex_t *);
	int (*cond_timedwait)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
	int (*cond_clockwait)(pthread_cond_t *, pthread_mutex_t *, clockid_t,
	                      const struct timespec *);
	int (*sem_wait)(sem_t *);
	int (*sem_trywait)(sem_t *);
	int (*sem_timedwait)(sem_t *, const struct timespec *);
	int (*barrier_wait)(pthread_barrier_t *);
	int (*create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
	int (*join)(pthread_t, void **);
	int (*tryjoin_np)(pthread_t, void **);
	int (*timedjoin_np)(pthread_t, void **, const struct timespec *);
	void (*exit)(void *) __attribute__((noreturn));
};

extern struct next_pthread next_pthread;

/* Resolves every pointer (idempotent; two threads racing store the same
 * values). */
void next_pthread_resolve(void);

#endif
