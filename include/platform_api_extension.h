/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * platform_api_extension.h: the extended platform API WAMR's Linux platform exports:
 * threads (created through WAMR's wrapper), recursive mutexes, condition variables,
 * read-write locks, semaphores, sleeping, interruptible blocking operations and the
 * process memory figures.
 *
 * WAMR's header also declares the socket and file functions of its libc-wasi backend
 * (os_socket_*, os_open_preopendir, os_fstat, ...); cwamr's WASI does not use them and
 * does not export them (see docs/compatibility.md).
 */

#ifndef PLATFORM_API_EXTENSION_H
#define PLATFORM_API_EXTENSION_H

#include "platform_common.h"
#include "platform_internal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A joinable thread running start(arg) with a stack of stack_size bytes; prio is ignored
   on Linux. The thread's signal environment is set up before start runs, so it may call
   wasm functions; start's return value is ignored (join gives NULL unless the thread ends
   with os_thread_exit). BHT_OK / BHT_ERROR ("Invalid thread stack size ..." is printed for
   a stack below PTHREAD_STACK_MIN). */
int
os_thread_create_with_prio(korp_tid *p_tid, thread_start_routine_t start, void *arg,
                           unsigned int stack_size, int prio);

int
os_thread_create(korp_tid *p_tid, thread_start_routine_t start, void *arg,
                 unsigned int stack_size);

/* pthread_join / pthread_detach results. */
int
os_thread_join(korp_tid thread, void **retval);

int
os_thread_detach(korp_tid thread);

void
os_thread_exit(void *retval);

/* 0, or -1 when interrupted. */
int
os_usleep(uint32 usec);

/* BHT_OK / BHT_ERROR. */
int
os_recursive_mutex_init(korp_mutex *mutex);

int
os_cond_init(korp_cond *cond);

int
os_cond_destroy(korp_cond *cond);

int
os_cond_wait(korp_cond *cond, korp_mutex *mutex);

/* Wait at most useconds (BHT_WAIT_FOREVER: no limit): BHT_OK, ETIMEDOUT on timeout (the
   errno value, not BHT_TIMED_OUT), else BHT_ERROR. */
int
os_cond_reltimedwait(korp_cond *cond, korp_mutex *mutex, uint64 useconds);

int
os_cond_signal(korp_cond *cond);

int
os_cond_broadcast(korp_cond *cond);

int
os_rwlock_init(korp_rwlock *lock);

int
os_rwlock_rdlock(korp_rwlock *lock);

int
os_rwlock_wrlock(korp_rwlock *lock);

int
os_rwlock_unlock(korp_rwlock *lock);

int
os_rwlock_destroy(korp_rwlock *lock);

/* POSIX named semaphores: sem_open (NULL on failure), then the libc results (0 / -1). */
korp_sem *
os_sem_open(const char *name, int oflags, int mode, int val);

int
os_sem_close(korp_sem *sem);

int
os_sem_wait(korp_sem *sem);

int
os_sem_trywait(korp_sem *sem);

int
os_sem_post(korp_sem *sem);

int
os_sem_getvalue(korp_sem *sem, int *sval);

int
os_sem_unlink(const char *name);

/* Interruptible blocking operations: os_blocking_op_init installs the (empty) handler of
   the wake-up signal (SIGUSR1 unless changed); between os_begin_blocking_op and
   os_end_blocking_op the signal is unblocked, so os_wakeup_blocking_op(tid) interrupts a
   blocking call of that thread with EINTR. BHT_OK / BHT_ERROR. */
int
os_blocking_op_init(void);

void
os_begin_blocking_op(void);

void
os_end_blocking_op(void);

int
os_wakeup_blocking_op(korp_tid tid);

/* The VmRSS and RssAnon lines of /proc/self/status; 0, or -1 if they do not fit. */
int
os_dumps_proc_mem_info(char *out, unsigned int size);

#ifdef __cplusplus
}
#endif

#endif /* PLATFORM_API_EXTENSION_H */
