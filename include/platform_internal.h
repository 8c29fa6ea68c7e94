/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * platform_internal.h: the Linux platform definitions of WAMR's platform layer: the
 * system headers WAMR's Linux platform brings in, the korp_* thread and synchronisation
 * types (pthread types), the os_file_handle family, and the per-thread signal
 * environment functions of the hardware-bound-check targets.
 *
 * Included by platform_common.h; embedders normally include "bh_platform.h".
 */

#ifndef _PLATFORM_INTERNAL_H
#define _PLATFORM_INTERNAL_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <assert.h>
#include <time.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <stdarg.h>
#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <semaphore.h>
#include <limits.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <poll.h>
#include <sched.h>
#include <errno.h>
#include <setjmp.h>
#include <netinet/in.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/resource.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef BH_PLATFORM_LINUX
#define BH_PLATFORM_LINUX
#endif

/* Native stack reserved for an applet thread, and the default thread priority. */
#define BH_APPLET_PRESERVED_STACK_SIZE (32 * 1024)
#define BH_THREAD_DEFAULT_PRIORITY 0

/* Thread and synchronisation objects are the pthread ones. */
typedef pthread_t korp_tid;
typedef pthread_t korp_thread;
typedef pthread_mutex_t korp_mutex;
typedef pthread_cond_t korp_cond;
typedef pthread_rwlock_t korp_rwlock;
typedef sem_t korp_sem;

#define OS_THREAD_MUTEX_INITIALIZER PTHREAD_MUTEX_INITIALIZER

#define os_thread_local_attribute __thread

#define bh_socket_t int

/* 64-bit targets on which WAMR's Linux build defines the hardware bound check. */
#if defined(__x86_64__) || defined(__amd64__) || defined(__aarch64__) \
    || (defined(__riscv) && __riscv_xlen == 64)
#define OS_ENABLE_HW_BOUND_CHECK

typedef jmp_buf korp_jmpbuf;

#define os_setjmp setjmp
#define os_longjmp longjmp
#define os_alloca alloca

typedef void (*os_signal_handler)(void *sig_addr);

/* Set up / tear down the calling thread's signal environment (cwamr checks bounds in
   software: these only record the state; os_thread_signal_init returns 0). */
int
os_thread_signal_init(os_signal_handler handler);

void
os_thread_signal_destroy(void);

bool
os_thread_signal_inited(void);

void
os_signal_unmask(void);

void
os_sigreturn(void);
#endif

#define os_getpagesize getpagesize

/* Blocking system calls can be interrupted with os_wakeup_blocking_op. */
#define OS_ENABLE_WAKEUP_BLOCKING_OP

void
os_set_signal_number_for_blocking_op(int signo);

typedef int os_file_handle;
typedef DIR *os_dir_stream;
typedef int os_raw_file_handle;

typedef struct pollfd os_poll_file_handle;
typedef nfds_t os_nfds_t;
typedef struct timespec os_timespec;

static inline os_file_handle
os_get_invalid_handle(void)
{
    return -1;
}

#ifdef __cplusplus
}
#endif

#endif /* _PLATFORM_INTERNAL_H */
