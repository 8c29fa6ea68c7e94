/* Minimal freestanding runtime support for the benchmark modules.
 * clang may lower struct copies / zeroing loops to memcpy/memset calls;
 * these definitions keep the modules free of imports.
 * Compiled with -fno-builtin so the loops are not turned back into calls. */
typedef unsigned long size_t;

void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        d += n;
        s += n;
        while (n--) *--d = *--s;
    }
    return dst;
}
