/* The less common fd_* and path_* calls, through the raw preview1 API, in the preopen ".". */
#include <stdint.h>
#include <stdlib.h>
#include "common.h"

#define R(x) printf("%s=%d\n", #x, (int)(x))

static __wasi_fd_t dot;

static __wasi_fd_t open_rw(const char *p, __wasi_oflags_t of) {
    __wasi_fd_t fd = 0;
    __wasi_errno_t e = __wasi_path_open(dot, 0, p, of, 0xE001FF /* regular-file rights */, 0, 0, &fd);
    return e ? (__wasi_fd_t)(1000 + e) : fd;
}

int main(void) {
    dot = find_preopen(".");
    __wasi_fd_t f = open_rw("f.bin", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL);
    printf("open f=%d\n", f < 1000);
    __wasi_ciovec_t v = {(const uint8_t *)"0123456789", 10};
    __wasi_size_t n = 0;
    R(__wasi_fd_write(f, &v, 1, &n));
    __wasi_filesize_t pos = 0;
    R(__wasi_fd_tell(f, &pos));
    printf("pos=%llu\n", (unsigned long long)pos);
    R(__wasi_fd_seek(f, -3, __WASI_WHENCE_END, &pos));
    printf("pos=%llu\n", (unsigned long long)pos);
    R(__wasi_fd_seek(f, -100, __WASI_WHENCE_CUR, &pos));
    R(__wasi_fd_seek(f, 0, 9, &pos));
    R(__wasi_fd_advise(f, 0, 10, __WASI_ADVICE_SEQUENTIAL));
    R(__wasi_fd_advise(f, 0, 10, 9));
    R(__wasi_fd_allocate(f, 0, 4096));
    __wasi_filestat_t st;
    R(__wasi_fd_filestat_get(f, &st));
    printf("size=%llu type=%d nlink=%llu\n", (unsigned long long)st.size, st.filetype, (unsigned long long)st.nlink);
    R(__wasi_fd_filestat_set_size(f, 5));
    R(__wasi_fd_filestat_set_times(f, 0, 2000000000ull * 1000000000ull, __WASI_FSTFLAGS_MTIM));
    R(__wasi_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
    __wasi_fd_filestat_get(f, &st);
    printf("size=%llu mtime=%llu\n", (unsigned long long)st.size, (unsigned long long)(st.mtim / 1000000000ull));
    R(__wasi_fd_datasync(f));
    R(__wasi_fd_sync(f));
    __wasi_fdstat_t fs;
    R(__wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_APPEND));
    __wasi_fd_fdstat_get(f, &fs);
    printf("flags=%d type=%d\n", fs.fs_flags, fs.fs_filetype);
    R(__wasi_fd_write(f, &v, 1, &n));
    __wasi_fd_filestat_get(f, &st);
    printf("size after append=%llu\n", (unsigned long long)st.size);
    char buf[16] = {0};
    __wasi_iovec_t rv = {(uint8_t *)buf, 15};
    R(__wasi_fd_pread(f, &rv, 1, 3, &n));
    printf("pread=[%s]\n", buf);
    __wasi_ciovec_t pv = {(const uint8_t *)"AB", 2};
    R(__wasi_fd_pwrite(f, &pv, 1, 0, &n));

    __wasi_fd_t g = open_rw("g.bin", __WASI_OFLAGS_CREAT);
    R(__wasi_fd_renumber(f, g));
    R(__wasi_fd_pread(g, &rv, 1, 0, &n));
    printf("renumbered reads=[%.*s]\n", (int)n, buf);
    R(__wasi_fd_close(f));
    R(__wasi_fd_renumber(g, 77));
    R(__wasi_fd_close(g));
    R(__wasi_fd_close(g));

    __wasi_prestat_t ps;
    R(__wasi_fd_prestat_get(1, &ps));
    R(__wasi_fd_prestat_get(dot, &ps));
    printf("prestat name len=%u\n", (unsigned)ps.u.dir.pr_name_len);
    R(__wasi_fd_prestat_dir_name(dot, (uint8_t *)buf, 0));

    __wasi_fd_t tmp;
    R(__wasi_path_open(dot, 0, "f.bin", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, 2, 0, 0, &tmp));
    R(__wasi_path_open(dot, 0, "f.bin", __WASI_OFLAGS_DIRECTORY, 2, 0, 0, &tmp));
    R(__wasi_path_open(dot, 0, "nope/x", 0, 2, 0, 0, &tmp));
    R(__wasi_path_open(dot, 0, "", 0, 2, 0, 0, &tmp));
    R(__wasi_path_create_directory(dot, "d"));
    R(__wasi_path_create_directory(dot, "d"));
    R(__wasi_path_create_directory(dot, "d/e/"));
    R(__wasi_path_remove_directory(dot, "f.bin"));
    R(__wasi_path_unlink_file(dot, "d"));
    R(__wasi_path_unlink_file(dot, "f.bin/"));
    R(__wasi_path_symlink("f.bin", dot, "d/../ln"));
    __wasi_filestat_t a, b;
    R(__wasi_path_filestat_get(dot, 0, "ln", &a));
    R(__wasi_path_filestat_get(dot, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "ln", &b));
    printf("nofollow type=%d follow type=%d size=%llu\n", a.filetype, b.filetype, (unsigned long long)b.size);
    R(__wasi_path_filestat_set_times(dot, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "ln", 0, 1500000000ull * 1000000000ull, __WASI_FSTFLAGS_MTIM));
    __wasi_path_filestat_get(dot, 0, "f.bin", &b);
    printf("target mtime=%llu\n", (unsigned long long)(b.mtim / 1000000000ull));
    char lb[4];
    R(__wasi_path_readlink(dot, "ln", (uint8_t *)lb, 3, &n));
    printf("readlink truncated=[%.*s] n=%u\n", (int)n, lb, (unsigned)n);
    R(__wasi_path_readlink(dot, "f.bin", (uint8_t *)lb, 3, &n));
    R(__wasi_path_link(dot, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "ln", dot, "d/hard"));
    __wasi_path_filestat_get(dot, 0, "d/hard", &b);
    printf("hard link to target type=%d nlink=%llu\n", b.filetype, (unsigned long long)b.nlink);
    R(__wasi_path_rename(dot, "d/e", dot, "d/e2"));
    R(__wasi_path_rename(dot, "d/hard", dot, "d/e2/"));
    R(__wasi_path_rename(dot, "missing", dot, "x"));

    /* Directory listing in small pieces: every entry comes exactly once. */
    __wasi_fd_t dd;
    R(__wasi_path_open(dot, 0, "d", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, 0, 0, &dd));
    uint8_t dbuf[40];
    __wasi_dircookie_t cookie = 0;
    int entries = 0, calls = 0;
    char names[8][16];
    for (;;) {
        __wasi_size_t used = 0;
        if (__wasi_fd_readdir(dd, dbuf, sizeof dbuf, cookie, &used)) { printf("readdir failed\n"); break; }
        calls++;
        if (used < sizeof(__wasi_dirent_t)) break;
        __wasi_dirent_t de;
        memcpy(&de, dbuf, sizeof de);
        if (used < sizeof de + de.d_namlen && used < sizeof dbuf) break;
        if (entries < 8) {
            snprintf(names[entries], sizeof names[0], "%.*s:%d", (int)de.d_namlen, (char *)dbuf + sizeof de, de.d_type);
            entries++;
        }
        cookie = de.d_next;
        if (calls > 20) break;
    }
    qsort(names, entries, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    printf("entries=%d:", entries);
    for (int i = 0; i < entries; i++) printf(" %s", names[i]);
    printf(" calls=%d\n", calls);
    R(__wasi_fd_readdir(dd, dbuf, sizeof dbuf, 1000, &n));
    printf("past end used=%u\n", (unsigned)n);
    __wasi_fd_close(dd);
    R(__wasi_fd_readdir(1, dbuf, sizeof dbuf, 0, &n));
    R(__wasi_sched_yield());

    __wasi_path_unlink_file(dot, "d/hard");
    __wasi_path_remove_directory(dot, "d/e2");
    __wasi_path_remove_directory(dot, "d");
    __wasi_path_unlink_file(dot, "ln");
    __wasi_path_unlink_file(dot, "f.bin");
    __wasi_path_unlink_file(dot, "g.bin");
    printf("fdops ok\n");
    return 0;
}
