/*
 * next_pthread.c — resolves the functions of next_pthread.h. dlsym may
 * allocate (through the malloc hooks, which are ready by then) but takes no
 * pthread lock through the public functions, so resolving from inside a
 * lock hook cannot recurse. Two threads resolving at once store the same
 * values; the flag is set last.
 */
#include "next_pthread.h"

#include <dlfcn.h>

struct next_pthread next_pthread;
atomic_int next_pthread_ready;

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
	atomic_store_explicit(&next_pthread_ready, 1, memory_order_release);
}
