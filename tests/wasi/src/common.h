/* Helpers shared by the cWASI test programs (compiled with clang --target=wasm32-wasi). */
#ifndef CWASI_TEST_COMMON_H
#define CWASI_TEST_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

/* The guest fd of the preopen named `name`, or -1. */
__attribute__((unused)) static int find_preopen(const char *name) {
    for (__wasi_fd_t fd = 3; fd < 64; fd++) {
        __wasi_prestat_t ps;
        if (__wasi_fd_prestat_get(fd, &ps) != 0) continue;
        char buf[256];
        size_t n = ps.u.dir.pr_name_len;
        if (n >= sizeof buf) continue;
        if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, n) != 0) continue;
        buf[n] = 0;
        if (strcmp(buf, name) == 0) return (int)fd;
    }
    return -1;
}

/* POSIX errno names for deterministic output. */
__attribute__((unused)) static const char *errname(int e) {
    switch (e) {
    case 0: return "OK";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case EPERM: return "EPERM";
    case EXDEV: return "EXDEV";
    case ESPIPE: return "ESPIPE";
    default: return "E?";
    }
}

#endif
