/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * bh_log.h: WAMR's log. A message prints when its level is at most the verbosity
 * (default BH_LOG_LEVEL_WARNING; bh_log_set_verbose_level, wasm_runtime_set_log_level and
 * iwasm -v=N set it) as one line on stdout:
 *     [HH:MM:SS:mmm - TID]: [FILE, line N, ]MESSAGE
 * (boot clock modulo 24 h, TID = pthread_self() in uppercase hex). LOG_DEBUG compiles to
 * nothing unless BH_DEBUG.
 */

#ifndef _BH_LOG_H
#define _BH_LOG_H

#include "bh_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    BH_LOG_LEVEL_FATAL = 0,
    BH_LOG_LEVEL_ERROR = 1,
    BH_LOG_LEVEL_WARNING = 2,
    BH_LOG_LEVEL_DEBUG = 3,
    BH_LOG_LEVEL_VERBOSE = 4
} LogLevel;

void
bh_log_set_verbose_level(uint32 level);

#ifndef BH_LOG
void
bh_log(LogLevel log_level, const char *file, int line, const char *fmt, ...);
#else
void
BH_LOG(uint32 log_level, const char *file, int line, const char *fmt, ...);
#define bh_log BH_LOG
#endif

#if BH_DEBUG != 0
#define LOG_FATAL(...) bh_log(BH_LOG_LEVEL_FATAL, __FILE__, __LINE__, __VA_ARGS__)
#define LOG_DEBUG(...) bh_log(BH_LOG_LEVEL_DEBUG, __FILE__, __LINE__, __VA_ARGS__)
#else
#define LOG_FATAL(...) bh_log(BH_LOG_LEVEL_FATAL, __FUNCTION__, __LINE__, __VA_ARGS__)
#define LOG_DEBUG(...) (void)0
#endif

#define LOG_ERROR(...) bh_log(BH_LOG_LEVEL_ERROR, NULL, 0, __VA_ARGS__)
#define LOG_WARNING(...) bh_log(BH_LOG_LEVEL_WARNING, NULL, 0, __VA_ARGS__)
#define LOG_VERBOSE(...) bh_log(BH_LOG_LEVEL_VERBOSE, NULL, 0, __VA_ARGS__)

/* At verbosity 3 or more: the time since the previous call and in total. */
void
bh_print_time(const char *prompt);

/* At verbosity 3 or more: the process's resident memory. */
void
bh_print_proc_mem(const char *prompt);

void
bh_log_proc_mem(const char *function, uint32 line);

#define LOG_PROC_MEM(...) bh_log_proc_mem(__FUNCTION__, __LINE__)

#ifdef __cplusplus
}
#endif

#endif /* _BH_LOG_H */
