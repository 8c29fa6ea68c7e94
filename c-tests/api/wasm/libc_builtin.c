/* Guest of c-tests/api/test_libc_builtin.c: a C program built without any libc, that imports
 * WAMR's libc-builtin functions from module "env" (printf's variadic arguments arrive as a
 * pointer to the wasm32 va_list area).
 *
 * Rebuild (committed as libc_builtin.wasm):
 *   clang --target=wasm32 -O1 -nostdlib -Wl,--no-entry -Wl,--allow-undefined \
 *     -Wl,--export=run_print -Wl,--export=run_strings -Wl,--export=run_heap \
 *     -Wl,--export=run_exit -Wl,--export=bad_printf -Wl,--export=bad_memcpy \
 *     -o c-tests/api/wasm/libc_builtin.wasm c-tests/api/wasm/libc_builtin.c
 */
typedef unsigned long size_t;

int printf(const char *fmt, ...);
int sprintf(char *dst, const char *fmt, ...);
int snprintf(char *dst, size_t n, const char *fmt, ...);
int puts(const char *s);
int putchar(int c);
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);
char *strdup(const char *s);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strchr(const char *s, int c);
char *strstr(const char *s, const char *find);
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
int atoi(const char *s);
int toupper(int c);
int isdigit(int c);
void exit(int status);

int
run_print(void)
{
    int n = printf("int %d neg %i unsigned %u hex %x %X oct %o char %c\n", 42, -7, 3000000000u,
                   255, 255, 8, 'w');
    n += printf("ll %lld ull %llu lx %lx zu %zu pct %%\n", -1234567890123LL,
                18446744073709551615ULL, 0xabcdefUL, (size_t)17);
    n += printf("f %f e %e g %g G %G prec %.3f width [%8.2f] left [%-6d] zero [%05d]\n", 3.5,
                12345.678, 0.0001, 1e20, 2.0 / 3.0, -1.25, 12, 42);
    n += printf("s [%s] w [%10s] p [%.2s] empty [%s] plus %+d space % d\n", "text", "right",
                "precision", "", 5, 5);
    n += printf("mixed %d %f %lld %s %c|\n", 1, 2.5, 3LL, "four", '5');
    puts("puts line");
    putchar('!');
    putchar('\n');
    return n;
}

int
run_strings(void)
{
    char buf[64];
    char *end;
    int r = 0;
    int n = sprintf(buf, "%s-%d", "abc", 123);
    printf("sprintf [%s] %d strlen %d\n", buf, n, (int)strlen(buf));
    n = snprintf(buf, 6, "%s", "truncated output");
    printf("snprintf [%s] %d\n", buf, n);
    long v = strtol("  -42rest", &end, 10);
    printf("strtol %ld end [%s]\n", v, end);
    printf("strtoul %lu hex %ld atoi %d\n", strtoul("4000000000", 0, 10),
           strtol("0x1F", 0, 16), atoi("77z"));
    printf("strcmp %d strncmp %d memcmp %d\n", strcmp("abc", "abd") < 0,
           strncmp("abcdef", "abcxyz", 3), memcmp("xy", "xy", 2));
    printf("strchr [%s] strstr [%s] toupper %c isdigit %d\n", strchr("hello", 'l'),
           strstr("haystack", "st"), toupper('q'), isdigit('5') != 0);
    strcpy(buf, "copied");
    memset(buf + 6, '.', 3);
    buf[9] = 0;
    printf("strcpy+memset [%s]\n", buf);
    r = (int)strlen(buf);
    return r;
}

int
run_heap(void)
{
    char *p = malloc(32);
    int *z;
    int sum = 0;
    if (!p)
        return -1;
    strcpy(p, "heap string");
    p = realloc(p, 128);
    printf("realloc kept [%s]\n", p);
    z = calloc(8, sizeof(int));
    for (int i = 0; i < 8; i++)
        sum += z[i];
    char *d = strdup(p);
    printf("strdup [%s] calloc sum %d\n", d, sum);
    free(d);
    free(z);
    free(p);
    return sum == 0 ? 1 : 0;
}

void
run_exit(int code)
{
    printf("before exit %d\n", code);
    exit(code);
    printf("not reached\n");
}

int
bad_printf(void)
{
    /* A string pointer past the end of linear memory. */
    return printf("bad [%s]\n", (const char *)0xfffffff0u);
}

int
bad_memcpy(void)
{
    char local[4] = "abc";
    memcpy((void *)0xfffffffcu, local, 16);
    return 0;
}
