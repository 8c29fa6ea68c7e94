/* poll_oneoff: relative and absolute clock timeouts, regular files, stdin, bad descriptors.
   The harness feeds "ping\n" on stdin. */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include "common.h"

static uint64_t mono(void) {
    __wasi_timestamp_t t = 0;
    __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
    return t;
}

static __wasi_subscription_t clock_sub(uint64_t ud, __wasi_clockid_t id, uint64_t timeout, int abs) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = ud;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
    return s;
}

static __wasi_subscription_t fd_sub(uint64_t ud, __wasi_fd_t fd, int write) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = ud;
    s.u.tag = write ? __WASI_EVENTTYPE_FD_WRITE : __WASI_EVENTTYPE_FD_READ;
    s.u.u.fd_read.file_descriptor = fd;
    return s;
}

static void report(const char *what, __wasi_subscription_t *in, size_t n, uint64_t min_ms) {
    __wasi_event_t ev[8];
    __wasi_size_t got = 0;
    uint64_t t0 = mono();
    __wasi_errno_t rc = __wasi_poll_oneoff(in, ev, n, &got);
    uint64_t ms = (mono() - t0) / 1000000;
    printf("%s: rc=%d nevents=%u", what, rc, (unsigned)got);
    for (__wasi_size_t i = 0; i < got; i++)
        printf(" [ud=%llu type=%d err=%d nbytes=%llu]", (unsigned long long)ev[i].userdata,
               ev[i].type, ev[i].error, (unsigned long long)ev[i].fd_readwrite.nbytes);
    printf(" waited=%d\n", ms >= min_ms);
}

int main(void) {
    __wasi_subscription_t s[4];
    s[0] = clock_sub(42, __WASI_CLOCKID_MONOTONIC, 30000000ull, 0);
    report("relative 30ms", s, 1, 30);
    __wasi_timestamp_t now = 0;
    __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &now);
    s[0] = clock_sub(7, __WASI_CLOCKID_REALTIME, now + 20000000ull, 1);
    report("absolute +20ms", s, 1, 19);
    s[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 15000000ull, 0);
    s[1] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, 2000000000ull, 0);
    report("first of two clocks", s, 2, 15);

    int fd = open("poll.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "12345", 5);
    lseek(fd, 0, SEEK_SET);
    s[0] = fd_sub(10, fd, 0);
    s[1] = clock_sub(11, __WASI_CLOCKID_MONOTONIC, 5000000000ull, 0);
    report("regular file", s, 2, 0);
    close(fd);
    unlink("poll.txt");

    s[0] = fd_sub(20, 0, 0);
    s[1] = clock_sub(21, __WASI_CLOCKID_MONOTONIC, 5000000000ull, 0);
    report("stdin", s, 2, 0);

    s[0] = fd_sub(30, 77, 0);
    report("bad fd", s, 1, 0);
    s[0] = clock_sub(40, __WASI_CLOCKID_PROCESS_CPUTIME_ID, 1000, 0);
    report("cputime clock", s, 1, 0);
    __wasi_event_t ev;
    __wasi_size_t got = 99;
    printf("zero subscriptions: rc=%d\n", __wasi_poll_oneoff(s, &ev, 0, &got));
    return 0;
}
