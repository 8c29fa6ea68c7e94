/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * runtime_timer.h: the millisecond clock of WAMR's utilities. (WAMR's application
 * framework timers, create_timer_ctx and the sys_*_timer functions, are not part of the
 * runtime library and are not provided.)
 */

#ifndef LIB_BASE_RUNTIME_TIMER_H_
#define LIB_BASE_RUNTIME_TIMER_H_

#include "bh_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The monotonic clock in milliseconds. */
uint64
bh_get_tick_ms(void);

/* Milliseconds since *last_system_clock on a wrapping 32-bit clock; *last_system_clock is
   set to now. (The spelling is WAMR's.) */
uint32
bh_get_elpased_ms(uint32 *last_system_clock);

#ifdef __cplusplus
}
#endif

#endif /* LIB_BASE_RUNTIME_TIMER_H_ */
