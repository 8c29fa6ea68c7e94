/* Loopback TCP and UDP through WAMR's socket extension, inside an address pool of
   127.0.0.0/8 (the harness grants it); addresses outside the pool are refused. */
#include <stdint.h>
#include <unistd.h>
#include "common.h"

#define IMPORT(n) __attribute__((import_module("wasi_snapshot_preview1"), import_name(n)))

typedef struct {
    uint32_t kind;
    union {
        struct { uint8_t n[4]; uint16_t port; } ip4;
        struct { uint16_t s[8]; uint16_t port; } ip6;
    } u;
} waddr_t;
_Static_assert(sizeof(waddr_t) == 24, "__wasi_addr_t is 24 bytes");

typedef struct { waddr_t addr; uint32_t type; } waddr_info_t;
typedef struct { uint32_t type; uint32_t family; uint8_t enabled; } whints_t;

IMPORT("sock_open") int32_t w_open(int32_t pool, int32_t af, int32_t type, int32_t *fd);
IMPORT("sock_bind") int32_t w_bind(int32_t fd, waddr_t *a);
IMPORT("sock_listen") int32_t w_listen(int32_t fd, int32_t backlog);
IMPORT("sock_connect") int32_t w_connect(int32_t fd, waddr_t *a);
IMPORT("sock_addr_local") int32_t w_local(int32_t fd, waddr_t *a);
IMPORT("sock_addr_remote") int32_t w_remote(int32_t fd, waddr_t *a);
IMPORT("sock_accept") int32_t w_accept(int32_t fd, int32_t flags, int32_t *nfd);
IMPORT("sock_send") int32_t w_send(int32_t fd, const __wasi_ciovec_t *v, int32_t n, int32_t fl, uint32_t *sent);
IMPORT("sock_recv") int32_t w_recv(int32_t fd, __wasi_iovec_t *v, int32_t n, int32_t fl, uint32_t *got, uint16_t *rofl);
IMPORT("sock_send_to") int32_t w_send_to(int32_t fd, const __wasi_ciovec_t *v, int32_t n, int32_t fl, waddr_t *to, uint32_t *sent);
IMPORT("sock_recv_from") int32_t w_recv_from(int32_t fd, __wasi_iovec_t *v, int32_t n, int32_t fl, waddr_t *from, uint32_t *got);
IMPORT("sock_shutdown") int32_t w_shutdown(int32_t fd, int32_t how);
IMPORT("sock_close") int32_t w_close(int32_t fd);
IMPORT("sock_addr_resolve") int32_t w_resolve(const char *host, const char *svc, whints_t *h, waddr_info_t *out, uint32_t n, uint32_t *max);
IMPORT("sock_set_reuse_addr") int32_t w_set_reuse(int32_t fd, int32_t on);
IMPORT("sock_get_reuse_addr") int32_t w_get_reuse(int32_t fd, uint8_t *on);
IMPORT("sock_get_recv_buf_size") int32_t w_get_rcvbuf(int32_t fd, uint32_t *n);
IMPORT("sock_set_recv_timeout") int32_t w_set_rcvtimeo(int32_t fd, uint64_t us);
IMPORT("sock_get_recv_timeout") int32_t w_get_rcvtimeo(int32_t fd, uint64_t *us);

static waddr_t v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
    waddr_t w;
    memset(&w, 0, sizeof w);
    w.u.ip4.n[0] = a; w.u.ip4.n[1] = b; w.u.ip4.n[2] = c; w.u.ip4.n[3] = d;
    w.u.ip4.port = port;
    return w;
}

static int sendstr(int fd, const char *s) {
    __wasi_ciovec_t v = {(const uint8_t *)s, strlen(s)};
    uint32_t sent = 0;
    int rc = w_send(fd, &v, 1, 0, &sent);
    return rc ? -rc : (int)sent;
}

static void recvstr(const char *what, int fd) {
    char buf[64] = {0};
    __wasi_iovec_t v = {(uint8_t *)buf, sizeof buf - 1};
    uint32_t got = 0;
    uint16_t fl = 0;
    int rc = w_recv(fd, &v, 1, 0, &got, &fl);
    printf("%s: rc=%d got=%u [%s]\n", what, rc, got, buf);
}

int main(void) {
    int32_t lst, cli, con;
    printf("open=%d\n", w_open(0, 0, 1, &lst));
    waddr_t a = v4(127, 0, 0, 1, 0);
    int brc = w_bind(lst, &a);
    printf("bind=%d\n", brc);
    if (brc != 0) {
        /* No address pool: nothing is reachable, not even loopback. */
        waddr_t lo = v4(127, 0, 0, 1, 9);
        printf("connect loopback=%d\n", w_connect(lst, &lo));
        printf("listen unbound=%d\n", w_listen(lst, 1));
        __wasi_ciovec_t dv = {(const uint8_t *)"x", 1};
        uint32_t sent = 0;
        int32_t u;
        w_open(0, 0, 0, &u);
        printf("send_to loopback=%d\n", w_send_to(u, &dv, 1, 0, &lo, &sent));
        waddr_info_t info[1];
        uint32_t max = 0;
        whints_t h = {1, 0, 1};
        printf("resolve localhost=%d\n", w_resolve("localhost", "", &h, info, 1, &max));
        printf("close=%d %d\n", w_close(lst), w_close(u));
        return 0;
    }
    printf("listen=%d\n", w_listen(lst, 4));
    waddr_t la;
    w_local(lst, &la);
    printf("local kind=%u addr=%d.%d.%d.%d port>0=%d\n", la.kind, la.u.ip4.n[0], la.u.ip4.n[1],
           la.u.ip4.n[2], la.u.ip4.n[3], la.u.ip4.port > 0);
    w_open(0, 0, 1, &cli);
    printf("connect=%d\n", w_connect(cli, &la));
    printf("accept=%d\n", w_accept(lst, 0, &con));
    waddr_t ra;
    w_remote(cli, &ra);
    printf("remote port matches=%d\n", ra.u.ip4.port == la.u.ip4.port);
    printf("send=%d\n", sendstr(cli, "hello sock"));
    recvstr("server got", con);
    printf("write on socket=%d\n", (int)write(con, "reply", 5));
    recvstr("client got", cli);
    printf("shutdown=%d\n", w_shutdown(cli, 2));
    recvstr("after shutdown", con);

    int32_t u1, u2;
    w_open(0, 0, 0, &u1);
    w_open(0, 0, 0, &u2);
    waddr_t any = v4(127, 0, 0, 1, 0);
    w_bind(u1, &any);
    w_bind(u2, &any);
    waddr_t a1, a2;
    w_local(u1, &a1);
    w_local(u2, &a2);
    __wasi_ciovec_t dv = {(const uint8_t *)"dgram", 5};
    uint32_t sent = 0;
    printf("send_to=%d sent=%u\n", w_send_to(u1, &dv, 1, 0, &a2, &sent), sent);
    char buf[32] = {0};
    __wasi_iovec_t rv = {(uint8_t *)buf, sizeof buf};
    waddr_t from;
    uint32_t got = 0;
    printf("recv_from=%d got=%u [%s] from u1=%d\n", w_recv_from(u2, &rv, 1, 0, &from, &got), got,
           buf, from.u.ip4.port == a1.u.ip4.port);

    int32_t x;
    w_open(0, 0, 1, &x);
    waddr_t far = v4(10, 1, 2, 3, 80);
    printf("connect outside pool=%d\n", w_connect(x, &far));
    waddr_t wild = v4(0, 0, 0, 0, 0);
    printf("bind wildcard=%d\n", w_bind(x, &wild));
    printf("listen unbound=%d\n", w_listen(x, 1));
    waddr_t dns = v4(8, 8, 8, 8, 53);
    printf("send_to outside pool=%d\n", w_send_to(u1, &dv, 1, 0, &dns, &sent));

    waddr_info_t info[4];
    uint32_t max = 0;
    whints_t h = {1, 0, 1};
    int rc = w_resolve("localhost", "", &h, info, 4, &max);
    printf("resolve localhost=%d found>0=%d first=%d.%d.%d.%d\n", rc, max > 0, info[0].addr.u.ip4.n[0],
           info[0].addr.u.ip4.n[1], info[0].addr.u.ip4.n[2], info[0].addr.u.ip4.n[3]);
    printf("resolve example.com=%d\n", w_resolve("example.com", "", &h, info, 4, &max));

    uint8_t on = 0;
    printf("set reuse=%d ", w_set_reuse(x, 1));
    printf("get reuse=%d on=%d\n", w_get_reuse(x, &on), on);
    uint32_t rcvbuf = 0;
    printf("rcvbuf rc=%d positive=%d\n", w_get_rcvbuf(x, &rcvbuf), rcvbuf > 0);
    uint64_t us = 0;
    w_set_rcvtimeo(x, 250000);
    printf("rcvtimeo rc=%d us>=250000=%d\n", w_get_rcvtimeo(x, &us), us >= 250000);
    printf("sock op on file fd=%d\n", w_shutdown(1, 3) );
    printf("close=%d %d %d %d %d %d\n", w_close(lst), w_close(cli), w_close(con), w_close(u1),
           w_close(u2), w_close(x));
    return 0;
}
