/*
 * cwamr -- drop-in replacement for WAMR 2.4.3
 *
 * bh_common.h: WAMR's bounded copy and string helpers.
 *
 * b_memcpy_s / b_memmove_s(s1, s1max, s2, n): n == 0 -> 0; s1 NULL -> -1; s2 NULL or
 * n > s1max -> s1max bytes of s1 zeroed, -1; otherwise copied, 0. b_strcat_s / b_strcpy_s:
 * -1 if an argument is NULL or the result does not fit s1max, else 0. The bh_* macros
 * assert success (in BH_DEBUG builds).
 */

#ifndef _BH_COMMON_H
#define _BH_COMMON_H

#include "bh_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

#define bh_memcpy_s(dest, dlen, src, slen)                         \
    do {                                                           \
        int _ret = b_memcpy_s(dest, dlen, src, slen);              \
        (void)_ret;                                                \
        bh_assert(_ret == 0);                                      \
    } while (0)

#define bh_memcpy_wa(dest, dlen, src, slen)                        \
    do {                                                           \
        int _ret = b_memcpy_wa(dest, dlen, src, slen);             \
        (void)_ret;                                                \
        bh_assert(_ret == 0);                                      \
    } while (0)

#define bh_memmove_s(dest, dlen, src, slen)                        \
    do {                                                           \
        int _ret = b_memmove_s(dest, dlen, src, slen);             \
        (void)_ret;                                                \
        bh_assert(_ret == 0);                                      \
    } while (0)

#define bh_strcat_s(dest, dlen, src)                               \
    do {                                                           \
        int _ret = b_strcat_s(dest, dlen, src);                    \
        (void)_ret;                                                \
        bh_assert(_ret == 0);                                      \
    } while (0)

#define bh_strcpy_s(dest, dlen, src)                               \
    do {                                                           \
        int _ret = b_strcpy_s(dest, dlen, src);                    \
        (void)_ret;                                                \
        bh_assert(_ret == 0);                                      \
    } while (0)

int
b_memcpy_s(void *s1, unsigned int s1max, const void *s2, unsigned int n);
int
b_memcpy_wa(void *s1, unsigned int s1max, const void *s2, unsigned int n);
int
b_memmove_s(void *s1, unsigned int s1max, const void *s2, unsigned int n);
int
b_strcat_s(char *s1, unsigned int s1max, const char *s2);
int
b_strcpy_s(char *s1, unsigned int s1max, const char *s2);

/* A copy in os_malloc memory (free with os_free / free). */
char *
bh_strdup(const char *s);

/* A copy in wasm_runtime_malloc memory (free with wasm_runtime_free). */
char *
wa_strdup(const char *s);

/* strtok_r. */
char *
bh_strtok_r(char *str, const char *delim, char **saveptr);

#ifdef __cplusplus
}
#endif

#endif /* _BH_COMMON_H */
