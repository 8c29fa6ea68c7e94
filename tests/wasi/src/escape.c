/* Capability escape attempts (capability-model §9 cases 32-38). Each line prints the raw
   WASI errno of one attempt; the harness checks the values and that the host is unchanged.
   Usage: escape MODE, where MODE is one of
     fs       `..`, absolute paths, symlink escapes, created symlinks, magic links
     rights   rights amplification
     ro       read-only to read-write laundering between preopens ("ro" and "rw")
     proc     opens beneath a preopen of /proc named "proc"
     iov      iovec count/length checks that return an errno
     iov-huge-count, iov-oob-buf, sock-iov-oob, sock-addr-oob, out-oob
              single attempts that must trap (out of bounds memory access) */
#include <stdint.h>
#include <stdlib.h>
#include "common.h"

#define IMPORT(n) __attribute__((import_module("wasi_snapshot_preview1"), import_name(n)))
IMPORT("fd_write") int32_t raw_fd_write(int32_t fd, int32_t iovs, int32_t n, int32_t out);
IMPORT("sock_recv") int32_t raw_sock_recv(int32_t fd, int32_t iovs, int32_t n, int32_t fl, int32_t got, int32_t rofl);
IMPORT("sock_bind") int32_t raw_sock_bind(int32_t fd, int32_t addr);
IMPORT("fd_fdstat_get") int32_t raw_fdstat(int32_t fd, int32_t out);

#define ALL_RIGHTS ((__wasi_rights_t)0x3fffffff)

static int try_open(int dir, const char *path, __wasi_lookupflags_t lf, __wasi_oflags_t of,
                    __wasi_rights_t base, __wasi_rights_t inh, __wasi_fd_t *out) {
    return __wasi_path_open(dir, lf, path, of, base, inh, 0, out);
}

static void open_attempt(int dir, const char *path) {
    __wasi_fd_t fd = 0;
    int rc = try_open(dir, path, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, __WASI_RIGHTS_FD_READ, 0, &fd);
    printf("open %s=%d\n", path, rc);
    if (rc == 0) __wasi_fd_close(fd);
}

static uint32_t mem_size(void) { return (uint32_t)__builtin_wasm_memory_size(0) * 65536u; }

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "fs";
    if (!strcmp(mode, "fs")) {
        int d = find_preopen(".");
        open_attempt(d, "../secret.txt");
        open_attempt(d, "a/../../secret.txt");
        open_attempt(d, "/etc/passwd");
        open_attempt(d, "link_root/etc/passwd");
        open_attempt(d, "up2/secret.txt");
        open_attempt(d, "lout");
        open_attempt(d, "a/deep/../../../secret.txt");
        open_attempt(d, "pm");
        open_attempt(d, "pfd");
        open_attempt(d, "a/inside_link");
        __wasi_filestat_t st;
        printf("stat ../secret.txt=%d\n", __wasi_path_filestat_get(d, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "../secret.txt", &st));
        printf("stat link_root/etc=%d\n", __wasi_path_filestat_get(d, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link_root/etc", &st));
        printf("stat nofollow lout=%d\n", __wasi_path_filestat_get(d, 0, "lout", &st));
        printf("settimes ..=%d\n", __wasi_path_filestat_set_times(d, 0, "..", 1, 1, __WASI_FSTFLAGS_MTIM));
        printf("settimes lout follow=%d\n", __wasi_path_filestat_set_times(d, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "lout", 1, 1, __WASI_FSTFLAGS_MTIM));
        printf("symlink /etc=%d\n", __wasi_path_symlink("/etc", d, "x"));
        open_attempt(d, "x/passwd");
        printf("symlink ../../outside=%d\n", __wasi_path_symlink("../../outside", d, "y"));
        printf("symlink a/../..=%d\n", __wasi_path_symlink("a/../..", d, "z"));
        printf("symlink deep ok=%d\n", __wasi_path_symlink("../a", d, "a/ok_link"));
        printf("mkdir ../evil=%d\n", __wasi_path_create_directory(d, "../evil"));
        printf("mkdir link_root/tmp/evil=%d\n", __wasi_path_create_directory(d, "link_root/tmp/evil"));
        printf("unlink ../secret.txt=%d\n", __wasi_path_unlink_file(d, "../secret.txt"));
        printf("rename out=%d\n", __wasi_path_rename(d, "a/f.txt", d, "../moved.txt"));
        printf("link out=%d\n", __wasi_path_link(d, 0, "a/f.txt", d, "../linked.txt"));
        printf("link in via lout=%d\n", __wasi_path_link(d, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "lout", d, "stolen.txt"));
        char buf[64];
        __wasi_size_t n;
        printf("readlink ../x=%d\n", __wasi_path_readlink(d, "../x", (uint8_t *)buf, sizeof buf, &n));
        printf("rmdir ..=%d\n", __wasi_path_remove_directory(d, ".."));
        __wasi_fd_t sub;
        __wasi_fdstat_t ds;
        __wasi_fd_fdstat_get(d, &ds);
        printf("open subdir all rights=%d\n", try_open(d, "a", 0, __WASI_OFLAGS_DIRECTORY, ALL_RIGHTS, ALL_RIGHTS, &sub));
        /* a directory is not opened for writing (isdir, as WAMR and the host say); with the
         * other rights it may hand on, as wasi-libc's opendir asks, it opens */
        __wasi_rights_t wr = __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_WRITE
                             | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE;
        printf("open subdir for writing=%d\n",
               try_open(d, "a", 0, __WASI_OFLAGS_DIRECTORY, ds.fs_rights_inheriting,
                        ds.fs_rights_inheriting, &sub));
        int rc = try_open(d, "a", 0, __WASI_OFLAGS_DIRECTORY, ds.fs_rights_inheriting & ~wr,
                          ds.fs_rights_inheriting, &sub);
        printf("open subdir=%d\n", rc);
        open_attempt(sub, "../f_top.txt");
        open_attempt(sub, "f.txt");
        printf("bad fd=%d\n", __wasi_fd_write(99, NULL, 0, &n));
        printf("close subdir=%d\n", __wasi_fd_close(sub));
        open_attempt(sub, "f.txt");
        printf("cleanup=%d\n", __wasi_path_unlink_file(d, "a/ok_link"));
    } else if (!strcmp(mode, "rights")) {
        int d = find_preopen(".");
        __wasi_fd_t f, f2, sub;
        printf("open ro=%d\n", try_open(d, "a/f.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, &f));
        __wasi_ciovec_t v = {(const uint8_t *)"x", 1};
        __wasi_size_t n;
        printf("write=%d\n", __wasi_fd_write(f, &v, 1, &n));
        printf("add write right=%d\n", __wasi_fd_fdstat_set_rights(f, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0));
        printf("write again=%d\n", __wasi_fd_write(f, &v, 1, &n));
        printf("seek=%d\n", __wasi_fd_seek(f, 0, __WASI_WHENCE_SET, NULL));
        printf("drop read=%d\n", __wasi_fd_fdstat_set_rights(f, 0, 0));
        char b[4];
        __wasi_iovec_t rv = {(uint8_t *)b, 4};
        printf("read after drop=%d\n", __wasi_fd_read(f, &rv, 1, &n));
        printf("regain read=%d\n", __wasi_fd_fdstat_set_rights(f, __WASI_RIGHTS_FD_READ, 0));
        __wasi_fdstat_t fs;
        __wasi_fd_fdstat_get(f, &fs);
        printf("rights now=%llu\n", (unsigned long long)fs.fs_rights_base);
        printf("open dir narrow=%d\n", try_open(d, "a", 0, __WASI_OFLAGS_DIRECTORY,
               __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR, __WASI_RIGHTS_FD_READ, &sub));
        printf("open write beneath narrow=%d\n", try_open(sub, "f.txt", 0, 0, __WASI_RIGHTS_FD_WRITE, 0, &f2));
        printf("open read beneath narrow=%d\n", try_open(sub, "f.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, &f2));
        printf("create beneath narrow=%d\n", try_open(sub, "new.txt", 0, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, &f2));
        printf("mkdir beneath narrow=%d\n", __wasi_path_create_directory(sub, "nd"));
        printf("inheriting widen=%d\n", try_open(sub, ".", 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_PATH_OPEN, ALL_RIGHTS, &f2));
        printf("trunc without right=%d\n", try_open(sub, "f.txt", 0, __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, 0, &f2));
    } else if (!strcmp(mode, "ro")) {
        int ro = find_preopen("ro"), rw = find_preopen("rw");
        __wasi_fd_t f;
        printf("link ro->rw=%d\n", __wasi_path_link(ro, 0, "f.txt", rw, "f2.txt"));
        printf("rename ro->rw=%d\n", __wasi_path_rename(ro, "f.txt", rw, "f3.txt"));
        printf("rename rw->ro=%d\n", __wasi_path_rename(rw, "w.txt", ro, "w2.txt"));
        printf("link rw->ro=%d\n", __wasi_path_link(rw, 0, "w.txt", ro, "w3.txt"));
        printf("open ro for write=%d\n", try_open(ro, "f.txt", 0, 0, __WASI_RIGHTS_FD_WRITE, 0, &f));
        printf("open ro trunc=%d\n", try_open(ro, "f.txt", 0, __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, 0, &f));
        printf("create in ro=%d\n", try_open(ro, "new.txt", 0, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, &f));
        printf("unlink in ro=%d\n", __wasi_path_unlink_file(ro, "f.txt"));
        printf("symlink in ro=%d\n", __wasi_path_symlink("f.txt", ro, "s"));
        printf("settimes in ro=%d\n", __wasi_path_filestat_set_times(ro, 0, "f.txt", 1, 1, __WASI_FSTFLAGS_MTIM));
        printf("link within ro=%d\n", __wasi_path_link(ro, 0, "f.txt", ro, "f4.txt"));
        int rc = try_open(ro, "f.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, &f);
        printf("open ro for read=%d\n", rc);
        char b[32] = {0};
        __wasi_iovec_t rv = {(uint8_t *)b, sizeof b - 1};
        __wasi_size_t n = 0;
        __wasi_fd_read(f, &rv, 1, &n);
        printf("read ro=[%s]\n", b);
        printf("rw still writable=%d\n", try_open(rw, "w.txt", 0, 0, __WASI_RIGHTS_FD_WRITE, 0, &f));
    } else if (!strcmp(mode, "proc")) {
        int p = find_preopen("proc");
        open_attempt(p, "self/mem");
        open_attempt(p, "self/fd/1");
        open_attempt(p, "self/cwd/etc/passwd");
        open_attempt(p, "self/root/etc/passwd");
        open_attempt(p, "self/environ");
    } else if (!strcmp(mode, "iov")) {
        /* 1025 iovecs: over IOV_MAX. */
        static __wasi_ciovec_t v[1025];
        for (int i = 0; i < 1025; i++) { v[i].buf = (const uint8_t *)"a"; v[i].buf_len = 1; }
        __wasi_size_t n = 12345;
        printf("iovcnt 1025=%d n=%u\n", __wasi_fd_write(1, v, 1025, &n), (unsigned)n);
        printf("iovcnt 0=%d n=%u\n", __wasi_fd_write(1, v, 0, &n), (unsigned)n);
        /* 1024 overlapping 8 MiB iovecs: more than 2^32 bytes in total, into a pipe or file
           the harness discards. */
        uint8_t *big = calloc(8 << 20, 1);
        for (int i = 0; i < 1024; i++) { v[i].buf = big; v[i].buf_len = 8 << 20; }
        int fd = -1;
        __wasi_fd_t nf;
        int d = find_preopen(".");
        int rc = __wasi_path_open(d, 0, "sink.bin", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK, 0, 0, &nf);
        fd = rc == 0 ? (int)nf : -1;
        /* Reading a 3-byte file into 8 GiB of overlapping buffers. */
        __wasi_fd_write(fd, (const __wasi_ciovec_t *)&(__wasi_ciovec_t){(const uint8_t *)"abc", 3}, 1, &n);
        __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, NULL);
        printf("read 8GiB iovecs=%d n=%u\n", __wasi_fd_read(fd, (__wasi_iovec_t *)v, 1024, &n), (unsigned)n);
        __wasi_fd_close(fd);
        __wasi_path_unlink_file(d, "sink.bin");
    } else if (!strcmp(mode, "iov-huge-count")) {
        __wasi_size_t n;
        printf("about to write 2^31 iovecs\n");
        fflush(stdout);
        raw_fd_write(1, 16, (int32_t)0x80000000u, (int32_t)(uintptr_t)&n);
        printf("not reached\n");
    } else if (!strcmp(mode, "iov-oob-buf")) {
        static __wasi_ciovec_t v[2];
        v[0].buf = (const uint8_t *)"ok"; v[0].buf_len = 2;
        v[1].buf = (const uint8_t *)(uintptr_t)(mem_size() - 4); v[1].buf_len = 16;
        __wasi_size_t n;
        printf("about to write out of bounds\n");
        fflush(stdout);
        __wasi_fd_write(1, v, 2, &n);
        printf("not reached\n");
    } else if (!strcmp(mode, "sock-iov-oob")) {
        static __wasi_iovec_t v[1];
        v[0].buf = (uint8_t *)(uintptr_t)0xFFFFFFF0u; v[0].buf_len = 0x20;
        __wasi_size_t n;
        uint16_t fl;
        printf("about to sock_recv out of bounds\n");
        fflush(stdout);
        raw_sock_recv(0, (int32_t)(uintptr_t)v, 1, 0, (int32_t)(uintptr_t)&n, (int32_t)(uintptr_t)&fl);
        printf("not reached\n");
    } else if (!strcmp(mode, "sock-addr-oob")) {
        printf("about to bind with an address past memory\n");
        fflush(stdout);
        raw_sock_bind(0, (int32_t)(mem_size() - 8));
        printf("not reached\n");
    } else if (!strcmp(mode, "out-oob")) {
        printf("about to fdstat into 0xFFFFFFF8\n");
        fflush(stdout);
        raw_fdstat(1, (int32_t)0xFFFFFFF8u);
        printf("not reached\n");
    }
    return 0;
}
