/* Clocks and random numbers. */
#include <stdint.h>
#include <time.h>
#include "common.h"

static uint64_t now(__wasi_clockid_t id) {
    __wasi_timestamp_t t = 0;
    __wasi_clock_time_get(id, 1, &t);
    return t;
}

int main(void) {
    uint64_t rt = now(__WASI_CLOCKID_REALTIME);
    printf("realtime plausible=%d\n", rt > 1600000000ull * 1000000000ull);
    uint64_t m1 = now(__WASI_CLOCKID_MONOTONIC);
    struct timespec d = {0, 20 * 1000 * 1000};
    nanosleep(&d, NULL);
    uint64_t m2 = now(__WASI_CLOCKID_MONOTONIC);
    printf("slept>=20ms=%d\n", m2 - m1 >= 20000000ull);
    __wasi_timestamp_t res = 0;
    printf("res rc=%d positive=%d\n", __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res), res > 0);
    __wasi_timestamp_t t;
    printf("process cputime rc=%d\n", __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &t));
    printf("thread cputime rc=%d\n", __wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &t));
    printf("bad clock rc=%d\n", __wasi_clock_time_get(99, 1, &t));
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    printf("libc realtime plausible=%d\n", ts.tv_sec > 1600000000);

    uint8_t a[64] = {0}, b[64] = {0};
    printf("random rc=%d\n", __wasi_random_get(a, sizeof a));
    __wasi_random_get(b, sizeof b);
    int zero = 1, same = 1;
    for (int i = 0; i < 64; i++) { if (a[i]) zero = 0; if (a[i] != b[i]) same = 0; }
    printf("random nonzero=%d differs=%d\n", !zero, !same);
    static uint8_t big[200000];
    printf("random big rc=%d\n", __wasi_random_get(big, sizeof big));
    return 0;
}
