/* File I/O inside the preopen ".": create/read/write/seek/pread/pwrite/truncate/append,
   directories and listings, stat and times, rename/link/symlink/readlink, unlink/rmdir. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common.h"

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *path) {
    DIR *d = opendir(path);
    if (!d) { printf("opendir %s: %s\n", path, errname(errno)); return; }
    char *names[64]; int n = 0; struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        names[n] = strdup(e->d_name);
        if (e->d_type == DT_DIR) { names[n] = realloc(names[n], strlen(names[n]) + 2); strcat(names[n], "/"); }
        if (e->d_type == DT_LNK) { names[n] = realloc(names[n], strlen(names[n]) + 2); strcat(names[n], "@"); }
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    printf("ls %s:", path);
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
}

static void show(const char *path) {
    char buf[128] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) { printf("read %s: %s\n", path, errname(errno)); return; }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("read %s: [%.*s]\n", path, (int)n, buf);
}

int main(void) {
    FILE *f = fopen("data.txt", "w");
    fprintf(f, "hello file\nline2\n");
    fclose(f);
    f = fopen("data.txt", "r");
    char line[64];
    while (fgets(line, sizeof line, f)) printf("line: %s", line);
    fclose(f);

    int fd = open("raw.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "abcdefghij", 10);
    char b[16] = {0};
    printf("seek=%lld\n", (long long)lseek(fd, 2, SEEK_SET));
    read(fd, b, 3);
    printf("read3=%s tell=%lld\n", b, (long long)lseek(fd, 0, SEEK_CUR));
    pwrite(fd, "XY", 2, 8);
    memset(b, 0, sizeof b);
    pread(fd, b, 10, 0);
    printf("pread=%s end=%lld\n", b, (long long)lseek(fd, 0, SEEK_END));
    ftruncate(fd, 4);
    struct stat st;
    fstat(fd, &st);
    printf("size=%lld regular=%d fsync=%d\n", (long long)st.st_size, S_ISREG(st.st_mode), fsync(fd));
    close(fd);
    fd = open("raw.bin", O_WRONLY | O_APPEND);
    write(fd, "ZZ", 2);
    close(fd);
    show("raw.bin");

    printf("mkdir=%d\n", mkdir("dir", 0755));
    printf("mkdir sub=%d\n", mkdir("dir/sub", 0755));
    printf("mkdir again=%s\n", mkdir("dir", 0755) ? errname(errno) : "OK");
    close(open("dir/a.txt", O_WRONLY | O_CREAT, 0644));
    fd = open("dir/b.txt", O_WRONLY | O_CREAT, 0644);
    write(fd, "bee", 3);
    close(fd);
    list("dir");
    list(".");

    struct timespec ts[2] = {{1000000000, 5}, {1200000000, 0}};
    printf("utimensat=%d\n", utimensat(AT_FDCWD, "dir/a.txt", ts, 0));
    stat("dir/a.txt", &st);
    printf("atime=%lld mtime=%lld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec);
    stat("dir", &st);
    printf("dir isdir=%d\n", S_ISDIR(st.st_mode));

    printf("rename=%d\n", rename("dir/b.txt", "dir/c.txt"));
    printf("old gone=%s\n", access("dir/b.txt", F_OK) ? errname(errno) : "still there");
    printf("link=%d\n", link("dir/c.txt", "dir/hard.txt"));
    stat("dir/c.txt", &st);
    printf("nlink=%d\n", (int)st.st_nlink);
    printf("symlink=%d\n", symlink("c.txt", "dir/sym"));
    char target[64] = {0};
    ssize_t tn = readlink("dir/sym", target, sizeof target - 1);
    printf("readlink=%.*s\n", (int)tn, target);
    lstat("dir/sym", &st);
    printf("islink=%d\n", S_ISLNK(st.st_mode));
    show("dir/sym");
    list("dir");

    printf("open missing=%s\n", open("missing.txt", O_RDONLY) < 0 ? errname(errno) : "opened");
    printf("rmdir nonempty=%s\n", rmdir("dir") ? errname(errno) : "OK");
    printf("unlink dir=%s\n", unlink("dir/sub") ? errname(errno) : "OK");
    printf("unlink hard=%d sym=%d c=%d a=%d\n", unlink("dir/hard.txt"), unlink("dir/sym"),
           unlink("dir/c.txt"), unlink("dir/a.txt"));
    printf("rmdir sub=%d dir=%d\n", rmdir("dir/sub"), rmdir("dir"));
    printf("unlink data=%d raw=%d\n", unlink("data.txt"), unlink("raw.bin"));
    list(".");
    printf("files ok\n");
    return 0;
}
