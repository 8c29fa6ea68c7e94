/*
 * WAMR's platform and utility API as embedders use it through "bh_platform.h" (WAMR's
 * product-mini main.c and samples): threads created with os_thread_create and their stack
 * boundary, mutexes and condition variables with timeouts, the message queue (FIFO, the
 * 50-message limit, timeouts, a message loop stopped from another thread), b_memcpy_s,
 * the vector / hash map / list, os_mmap, the clocks, and the log (WAMR's line format on
 * stdout, level filtering).
 */
#include "bh_platform.h"
#include "wasm_export.h"

#include "test_util.h"

/* ---- threads ------------------------------------------------------------------------- */

struct thread_probe {
    uint8 *boundary;
    uintptr_t local;
    bool env_inited;
    korp_tid self;
};

static void *
probe_thread(void *arg)
{
    struct thread_probe *p = arg;
    int local = 0;

    p->boundary = os_thread_get_stack_boundary();
    p->local = (uintptr_t)&local;
    p->env_inited = wasm_runtime_thread_env_inited();
    p->self = os_self_thread();
    return (void *)0x1234; /* ignored by WAMR's wrapper */
}

static void *
exiting_thread(void *arg)
{
    (void)arg;
    os_thread_exit((void *)42);
    return NULL;
}

static void
test_threads(void)
{
    struct thread_probe p;
    korp_tid tid;
    void *ret = (void *)1;
    int local = 0;
    uint8 *main_boundary = os_thread_get_stack_boundary();

    memset(&p, 0, sizeof(p));
    CHECK(main_boundary != NULL && (uintptr_t)main_boundary < (uintptr_t)&local);
    CHECK(os_thread_get_stack_boundary() == main_boundary);
    CHECK(pthread_equal(os_self_thread(), pthread_self()));

    CHECK(os_thread_create(&tid, probe_thread, &p, APP_THREAD_STACK_SIZE_DEFAULT) == BHT_OK);
    CHECK(os_thread_join(tid, &ret) == 0);
    CHECK(ret == NULL);
    CHECK(p.boundary != NULL && (uintptr_t)p.boundary < p.local);
    /* inside that thread's own stack */
    CHECK(p.local - (uintptr_t)p.boundary <= APP_THREAD_STACK_SIZE_DEFAULT);
    CHECK(p.env_inited);
    CHECK(pthread_equal(p.self, tid));

    CHECK(os_thread_create_with_prio(&tid, exiting_thread, NULL, 64 * 1024, 5) == BHT_OK);
    CHECK(os_thread_join(tid, &ret) == 0);
    CHECK(ret == (void *)42);

    CHECK(os_thread_create(&tid, probe_thread, &p, 1) == BHT_ERROR);
    CHECK(os_thread_create(NULL, probe_thread, &p, 65536) == BHT_ERROR);
}

/* ---- mutexes and condition variables ------------------------------------------------ */

static korp_mutex g_lock;
static korp_cond g_cond;
static int g_flag;

static void *
signal_thread(void *arg)
{
    (void)arg;
    os_usleep(20 * 1000);
    os_mutex_lock(&g_lock);
    g_flag = 1;
    os_cond_signal(&g_cond);
    os_mutex_unlock(&g_lock);
    return NULL;
}

static void
test_sync(void)
{
    korp_mutex rec;
    korp_rwlock rw;
    korp_tid tid;
    uint64 t0;
    int r;

    CHECK(os_mutex_init(&g_lock) == BHT_OK);
    CHECK(os_cond_init(&g_cond) == BHT_OK);
    CHECK(os_mutex_lock(&g_lock) == BHT_OK);
    t0 = os_time_get_boot_us();
    r = os_cond_reltimedwait(&g_cond, &g_lock, 20 * 1000);
    CHECK(r == ETIMEDOUT);
    CHECK(os_time_get_boot_us() - t0 >= 19 * 1000);

    g_flag = 0;
    CHECK(os_thread_create(&tid, signal_thread, NULL, 64 * 1024) == BHT_OK);
    while (!g_flag) {
        r = os_cond_reltimedwait(&g_cond, &g_lock, 5 * 1000 * 1000);
        CHECK(r == BHT_OK || r == ETIMEDOUT);
        if (r == ETIMEDOUT)
            break;
    }
    CHECK(g_flag == 1);
    CHECK(os_mutex_unlock(&g_lock) == BHT_OK);
    os_thread_join(tid, NULL);
    CHECK(os_cond_broadcast(&g_cond) == BHT_OK);
    CHECK(os_cond_destroy(&g_cond) == BHT_OK);
    CHECK(os_mutex_destroy(&g_lock) == BHT_OK);
    CHECK(os_mutex_lock(NULL) == BHT_ERROR);

    CHECK(os_recursive_mutex_init(&rec) == BHT_OK);
    CHECK(os_mutex_lock(&rec) == BHT_OK);
    CHECK(os_mutex_lock(&rec) == BHT_OK);
    CHECK(os_mutex_unlock(&rec) == BHT_OK);
    CHECK(os_mutex_unlock(&rec) == BHT_OK);
    CHECK(os_mutex_destroy(&rec) == BHT_OK);

    CHECK(os_rwlock_init(&rw) == BHT_OK);
    CHECK(os_rwlock_rdlock(&rw) == BHT_OK);
    CHECK(os_rwlock_rdlock(&rw) == BHT_OK);
    CHECK(os_rwlock_unlock(&rw) == BHT_OK);
    CHECK(os_rwlock_unlock(&rw) == BHT_OK);
    CHECK(os_rwlock_wrlock(&rw) == BHT_OK);
    CHECK(os_rwlock_unlock(&rw) == BHT_OK);
    CHECK(os_rwlock_destroy(&rw) == BHT_OK);

    t0 = os_time_get_boot_us();
    CHECK(os_usleep(3000) == 0);
    CHECK(os_time_get_boot_us() - t0 >= 3000);
    CHECK(bh_get_tick_ms() >= t0 / 1000);
    {
        uint32 last = (uint32)bh_get_tick_ms() - 50;
        CHECK(bh_get_elpased_ms(&last) >= 50);
        CHECK(last >= (uint32)(t0 / 1000));
    }
}

/* ---- message queue ------------------------------------------------------------------- */

static int g_cleaned;

static void
cleaner(void *body)
{
    (void)body;
    g_cleaned++;
}

struct loop_state {
    bh_queue *q;
    int seen[8];
    int n;
};

static void
on_msg(void *message, void *arg)
{
    struct loop_state *s = arg;
    if (s->n < 8)
        s->seen[s->n] = bh_message_type((bh_message_t)message);
    __atomic_add_fetch(&s->n, 1, __ATOMIC_SEQ_CST);
}

static void *
loop_thread(void *arg)
{
    struct loop_state *s = arg;
    bh_queue_enter_loop_run(s->q, on_msg, s);
    return NULL;
}

static void
test_queue(void)
{
    bh_queue *q = bh_queue_create();
    bh_message_t m;
    struct loop_state s;
    korp_tid tid;
    uint64 t0;
    int i, ok = 1;
    char *body;

    CHECK(q != NULL);
    CHECK(bh_get_msg(q, 0) == NULL);
    t0 = os_time_get_boot_us();
    CHECK(bh_get_msg(q, 10 * 1000) == NULL);
    CHECK(os_time_get_boot_us() - t0 >= 9 * 1000);

    for (i = 0; i < DEFAULT_QUEUE_LENGTH; i++)
        ok &= bh_post_msg(q, (unsigned short)i, (void *)(uintptr_t)(i + 1), 0);
    CHECK(ok);
    CHECK(bh_queue_get_message_count(q) == 50);
    body = malloc(16);
    CHECK(!bh_post_msg(q, 99, body, 16)); /* dropped, body freed */
    CHECK(bh_queue_get_message_count(q) == 50);
    for (i = 0; i < 3; i++) {
        m = bh_get_msg(q, 0);
        CHECK(m != NULL && bh_message_type(m) == i);
        CHECK(m != NULL && bh_message_payload(m) == (char *)(uintptr_t)(i + 1));
        CHECK(m != NULL && bh_message_payload_len(m) == 0);
        bh_free_msg(m);
    }
    CHECK(bh_queue_get_message_count(q) == 47);

    m = bh_new_msg(7, (void *)"static", 6, (void *)cleaner);
    CHECK(bh_post_msg2(q, m));
    bh_queue_destroy(q); /* frees the 48 left, running the cleaner once */
    CHECK(g_cleaned == 1);
    CHECK(bh_queue_get_message_count(NULL) == 0);

    q = bh_queue_create();
    body = malloc(32);
    strcpy(body, "owned by the message");
    CHECK(bh_post_msg(q, 3, body, 32));
    m = bh_get_msg(q, BHT_WAIT_FOREVER);
    CHECK(m != NULL && strcmp(bh_message_payload(m), "owned by the message") == 0);
    CHECK(m != NULL && bh_message_payload_len(m) == 32);
    bh_free_msg(m); /* frees body */

    memset(&s, 0, sizeof(s));
    s.q = q;
    CHECK(os_thread_create(&tid, loop_thread, &s, 128 * 1024) == BHT_OK);
    for (i = 0; i < 3; i++)
        CHECK(bh_post_msg(q, (unsigned short)(10 + i), NULL, 0));
    for (i = 0; i < 500 && __atomic_load_n(&s.n, __ATOMIC_SEQ_CST) < 3; i++)
        os_usleep(2000);
    bh_queue_exit_loop_run(q);
    CHECK(os_thread_join(tid, NULL) == 0);
    CHECK(s.n == 3 && s.seen[0] == 10 && s.seen[1] == 11 && s.seen[2] == 12);
    bh_queue_destroy(q);
    bh_queue_destroy(NULL);
}

/* ---- bounded copies and strings ----------------------------------------------------- */

static void
test_common(void)
{
    char d[8], s[4] = { 1, 2, 3, 4 }, *dup, str[32], *save = NULL, *tok;

    memset(d, 0x55, sizeof(d));
    CHECK(b_memcpy_s(NULL, 8, s, 0) == 0);
    CHECK(b_memcpy_s(NULL, 8, s, 4) == -1);
    CHECK(b_memcpy_s(d, 8, s, 4) == 0 && memcmp(d, s, 4) == 0 && d[4] == 0x55);
    CHECK(b_memcpy_s(d, 3, s, 4) == -1 && d[0] == 0 && d[2] == 0 && d[3] == 4);
    memset(d, 9, sizeof(d));
    CHECK(b_memcpy_s(d, 8, NULL, 4) == -1 && d[7] == 0);
    CHECK(b_memmove_s(d, 8, s, 4) == 0 && d[3] == 4);
    CHECK(b_memcpy_wa(d, 8, s, 4) == 0);
    bh_memcpy_s(d, 8, s, 4);

    CHECK(b_strcpy_s(str, sizeof(str), "a,b") == 0);
    CHECK(b_strcat_s(str, sizeof(str), ",,c") == 0);
    CHECK(b_strcpy_s(str, 3, "abc") == -1);
    CHECK(b_strcat_s(str, 6, "too long") == -1);
    tok = bh_strtok_r(str, ",", &save);
    CHECK_STR(tok, "a");
    CHECK_STR(bh_strtok_r(NULL, ",", &save), "b");
    CHECK_STR(bh_strtok_r(NULL, ",", &save), "c");
    CHECK(bh_strtok_r(NULL, ",", &save) == NULL);

    dup = bh_strdup("copy");
    CHECK_STR(dup, "copy");
    os_free(dup);
    CHECK(bh_strdup(NULL) == NULL);
    dup = wa_strdup("runtime copy");
    CHECK_STR(dup, "runtime copy");
    wasm_runtime_free(dup);
}

/* ---- containers ---------------------------------------------------------------------- */

static uint32
hash_int(const void *key)
{
    return (uint32)(uintptr_t)key;
}

static bool
equal_int(void *a, void *b)
{
    return a == b;
}

static int g_values_destroyed;

static void
value_destroy(void *v)
{
    (void)v;
    g_values_destroyed++;
}

static void
sum_values(void *key, void *value, void *user)
{
    (void)key;
    *(uintptr_t *)user += (uintptr_t)value;
}

struct item {
    bh_list_link link;
    int v;
};

static void
test_containers(void)
{
    Vector v;
    uint32 x, i;
    HashMap *map;
    void *old = NULL, *old_key = NULL;
    uintptr_t sum = 0;
    bh_list list;
    struct item items[3];

    CHECK(bh_vector_init(&v, 0, sizeof(uint32), true));
    CHECK(v.max_elems == 4 && v.num_elems == 0 && v.lock != NULL);
    for (x = 10; x <= 50; x += 10)
        CHECK(bh_vector_append(&v, &x));
    CHECK(bh_vector_size(&v) == 5 && v.max_elems >= 6);
    x = 99;
    CHECK(bh_vector_insert(&v, 0, &x)); /* WAMR: lands after index 0 */
    CHECK(bh_vector_get(&v, 0, &x) && x == 10);
    CHECK(bh_vector_get(&v, 1, &x) && x == 99);
    CHECK(bh_vector_get(&v, 2, &x) && x == 20);
    CHECK(!bh_vector_insert(&v, 6, &x));
    CHECK(!bh_vector_get(&v, 6, &x));
    CHECK(bh_vector_remove(&v, 0, &x) && x == 10);
    x = 7;
    CHECK(bh_vector_set(&v, 4, &x));
    CHECK(bh_vector_get(&v, 4, &x) && x == 7);
    CHECK(bh_vector_size(&v) == 5);
    CHECK(!bh_vector_append(NULL, &x));
    CHECK(bh_vector_destroy(&v));
    CHECK(v.data == NULL && v.num_elems == 0);
    CHECK(bh_vector_size(NULL) == 0);

    CHECK(bh_hash_map_create(HASH_MAP_MAX_SIZE + 1, false, hash_int, equal_int, NULL, NULL)
          == NULL);
    CHECK(bh_hash_map_create(8, false, NULL, equal_int, NULL, NULL) == NULL);
    map = bh_hash_map_create(0, true, hash_int, equal_int, NULL, value_destroy);
    CHECK(map != NULL);
    for (i = 1; i <= 20; i++)
        CHECK(bh_hash_map_insert(map, (void *)(uintptr_t)i, (void *)(uintptr_t)(i * 10)));
    CHECK(!bh_hash_map_insert(map, (void *)(uintptr_t)3, NULL));
    CHECK(bh_hash_map_find(map, (void *)(uintptr_t)3) == (void *)30);
    CHECK(bh_hash_map_find(map, (void *)(uintptr_t)21) == NULL);
    CHECK(bh_hash_map_update(map, (void *)(uintptr_t)3, (void *)33, &old) && old == (void *)30);
    CHECK(!bh_hash_map_update(map, (void *)(uintptr_t)21, (void *)1, &old));
    CHECK(bh_hash_map_remove(map, (void *)(uintptr_t)4, &old_key, &old));
    CHECK(old_key == (void *)4 && old == (void *)40);
    CHECK(!bh_hash_map_remove(map, (void *)(uintptr_t)4, NULL, NULL));
    CHECK(bh_hash_map_traverse(map, sum_values, &sum));
    CHECK(sum == 2100 - 30 + 33 - 40);
    CHECK(bh_hash_map_get_elem_struct_size() == 3 * sizeof(void *));
    CHECK(bh_hash_map_get_struct_size(map) > 0);
    CHECK(bh_hash_map_destroy(map));
    CHECK(g_values_destroyed == 19);

    CHECK(bh_list_init(&list) == BH_LIST_SUCCESS);
    for (i = 0; i < 3; i++) {
        items[i].v = (int)i;
        CHECK(bh_list_insert(&list, &items[i]) == BH_LIST_SUCCESS);
    }
    CHECK(bh_list_length(&list) == 3);
    CHECK(((struct item *)bh_list_first_elem(&list))->v == 2); /* head insertion */
    CHECK(((struct item *)bh_list_elem_next(bh_list_first_elem(&list)))->v == 1);
    CHECK(bh_list_remove(&list, &items[1]) == BH_LIST_SUCCESS);
    CHECK(bh_list_remove(&list, &items[1]) == BH_LIST_ERROR);
    CHECK(bh_list_length(&list) == 2);
    CHECK(((struct item *)bh_list_elem_next(bh_list_first_elem(&list)))->v == 0);
    CHECK(bh_list_insert(NULL, &items[1]) == BH_LIST_ERROR);
    CHECK(bh_list_length(NULL) == 0 && bh_list_first_elem(NULL) == NULL);
}

/* ---- mappings and process memory ----------------------------------------------------- */

static void
test_mmap(void)
{
    long page = os_getpagesize();
    uint8 *p = os_mmap(NULL, 3 * page, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_MAP_NONE,
                       os_get_invalid_handle());
    uint8 *q;
    char info[1024];

    CHECK(p != NULL && ((uintptr_t)p % page) == 0);
    if (p) {
        p[0] = 1;
        p[3 * page - 1] = 2;
        CHECK(os_mprotect(p, 3 * page, MMAP_PROT_READ) == 0);
        CHECK(p[3 * page - 1] == 2);
        CHECK(os_mprotect(p, 3 * page, MMAP_PROT_READ | MMAP_PROT_WRITE) == 0);
        q = os_mremap(p, 3 * page, 6 * page);
        CHECK(q != NULL && q[0] == 1 && q[3 * page - 1] == 2);
        if (q) {
            q[6 * page - 1] = 3;
            os_munmap(q, 6 * page);
        }
    }
    p = os_mmap(NULL, 4 * BH_MB, MMAP_PROT_READ | MMAP_PROT_WRITE, MMAP_MAP_NONE,
                os_get_invalid_handle());
    CHECK(p != NULL && ((uintptr_t)p % (2 * BH_MB)) == 0);
    if (p) {
        p[4 * BH_MB - 1] = 1;
        os_munmap(p, 4 * BH_MB);
    }
    os_munmap(NULL, 10);
    CHECK(os_mprotect(NULL, 10, MMAP_PROT_READ) == 0);
    os_dcache_flush();
    os_icache_flush(NULL, 0);

    CHECK(os_dumps_proc_mem_info(info, sizeof(info)) == 0 && strstr(info, "VmRSS") != NULL);
    CHECK(os_dumps_proc_mem_info(info, 4) == -1);
    CHECK(os_dumps_proc_mem_info(NULL, 10) == -1);

    p = os_malloc(10);
    CHECK(p != NULL);
    p = os_realloc(p, 100);
    CHECK(p != NULL);
    os_free(p);
    CHECK(bh_platform_init() == 0);
    bh_platform_destroy();
}

/* ---- the log: WAMR's format, stdout, levels ----------------------------------------- */

/* "[HH:MM:SS:mmm - TID]: " with TID = pthread_self() in uppercase hex; returns the text
   after the prefix, or NULL. */
static const char *
after_prefix(const char *line, const char *tid)
{
    unsigned h, m, s, ms;
    int n = 0;
    char got[32];

    if (sscanf(line, "[%2u:%2u:%2u:%3u - %31[0-9A-F]]: %n", &h, &m, &s, &ms, got, &n) != 5
        || n == 0)
        return NULL;
    if (h > 23 || m > 59 || s > 59 || ms > 999 || strcmp(got, tid) != 0)
        return NULL;
    if (line[3] != ':' || line[6] != ':' || line[9] != ':' || line[13] != ' ')
        return NULL;
    return line + n;
}

static void
test_log(void)
{
    FILE *cap = tmpfile(), *ecap = tmpfile();
    int saved = dup(1), esaved = dup(2);
    char tid[32], buf[4096], *lines[16], *l;
    size_t len;
    int n = 0;

    snprintf(tid, sizeof(tid), "%" PRIXPTR, (uintptr_t)pthread_self());
    fflush(stdout);
    fflush(stderr);
    dup2(fileno(cap), 1);
    dup2(fileno(ecap), 2);

    wasm_runtime_set_log_level(WASM_LOG_LEVEL_WARNING);
    LOG_WARNING("warning: hello %d", 5);
    LOG_VERBOSE("hidden verbose");
    LOG_DEBUG("hidden debug");
    bh_log_set_verbose_level(4);
    LOG_VERBOSE("shown\n");
    bh_log(BH_LOG_LEVEL_DEBUG, "file.c", 12, "with origin %s", "x");
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_ERROR);
    LOG_WARNING("hidden warning");
    LOG_ERROR("an error");
    bh_log_set_verbose_level(2);
    wasm_runtime_free(NULL);
    os_printf("plain %s %d\n", "os_printf", 7);
    fflush(stdout);
    fflush(stderr);

    dup2(saved, 1);
    dup2(esaved, 2);
    close(saved);
    close(esaved);

    rewind(cap);
    len = fread(buf, 1, sizeof(buf) - 1, cap);
    buf[len] = 0;
    for (l = buf; n < 16 && *l;) {
        char *e = strchr(l, '\n');
        if (!e)
            break;
        *e = 0;
        lines[n++] = l;
        l = e + 1;
    }
    CHECK(n == 8);
    if (n == 8) {
        CHECK_STR(after_prefix(lines[0], tid), "warning: hello 5");
        CHECK_STR(after_prefix(lines[1], tid), "shown");
        CHECK_STR(lines[2], "");
        CHECK_STR(after_prefix(lines[3], tid), "file.c, line 12, with origin x");
        CHECK_STR(after_prefix(lines[4], tid), "an error");
        CHECK_STR(after_prefix(lines[5], tid), "warning: wasm_runtime_free with NULL pointer");
        CHECK_STR(lines[6], "");
        CHECK_STR(lines[7], "plain os_printf 7");
    }
    else {
        fprintf(stderr, "captured stdout:\n%s\n", buf);
    }
    rewind(ecap);
    len = fread(buf, 1, sizeof(buf) - 1, ecap);
    CHECK(len == 0); /* nothing on stderr */
    fclose(cap);
    fclose(ecap);
}

/* Run-time messages WAMR prints with their texts: a native whose signature does not fit
   the import (at load), unlinked imports (at instantiation), a failed module_malloc. */
static int
has_log_line(char *buf, const char *tid, const char *text)
{
    char *l = buf;

    while (l && *l) {
        char *e = strchr(l, '\n');
        const char *rest;
        if (e)
            *e = 0;
        rest = after_prefix(l, tid);
        if (e)
            *e = '\n';
        if (rest && strncmp(rest, text, strlen(text)) == 0 && rest[strlen(text)] == '\n')
            return 1;
        l = e ? e + 1 : NULL;
    }
    return 0;
}

static int32_t
wrong_native(wasm_exec_env_t env, int32_t a)
{
    (void)env;
    return a;
}

static void
test_runtime_messages(void)
{
    static NativeSymbol syms[] = { { "host_add", (void *)wrong_native, "(i)i", NULL } };
    FILE *cap = tmpfile();
    int saved = dup(1);
    char tid[32], buf[16384], err[128];
    uint8_t *bytes, *bytes2;
    uint32_t size, size2;
    wasm_module_t m, m2;
    wasm_module_inst_t inst = NULL, inst2 = NULL;
    size_t len;

    snprintf(tid, sizeof(tid), "%" PRIXPTR, (uintptr_t)pthread_self());
    bytes = t_read_wasm("natives.wasm", &size);
    bytes2 = t_read_wasm("basic.wasm", &size2);
    CHECK(bytes != NULL && bytes2 != NULL);
    if (!bytes || !bytes2)
        return;
    CHECK(wasm_runtime_register_natives("env", syms, 1));
    fflush(stdout);
    dup2(fileno(cap), 1);

    m = wasm_runtime_load(bytes, size, err, sizeof(err));
    if (m)
        inst = wasm_runtime_instantiate(m, 64 * 1024, 0, err, sizeof(err));
    m2 = wasm_runtime_load(bytes2, size2, err, sizeof(err));
    if (m2)
        inst2 = wasm_runtime_instantiate(m2, 64 * 1024, 64 * 1024, err, sizeof(err));
    if (inst2)
        wasm_runtime_module_malloc(inst2, (uint64_t)1 << 20, NULL);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);

    rewind(cap);
    len = fread(buf, 1, sizeof(buf) - 1, cap);
    buf[len] = 0;
    fclose(cap);
    CHECK(m != NULL && inst != NULL && m2 != NULL && inst2 != NULL);
    CHECK(has_log_line(buf, tid,
                       "failed to check signature '(i)i' and resolve pointer params for "
                       "import function (env, host_add)\n"));
    CHECK(has_log_line(buf, tid, "warning: failed to link import function (env, host_add)"));
    CHECK(has_log_line(buf, tid, "warning: failed to link import function (env, sum_buf)"));
    CHECK(has_log_line(buf, tid, "warning: allocate 1048576 bytes memory failed"));
    if (t_fail)
        fprintf(stderr, "captured stdout:\n%s\n", buf);
    if (inst)
        wasm_runtime_deinstantiate(inst);
    if (inst2)
        wasm_runtime_deinstantiate(inst2);
    if (m)
        wasm_runtime_unload(m);
    if (m2)
        wasm_runtime_unload(m2);
    wasm_runtime_unregister_natives("env", syms);
    free(bytes);
    free(bytes2);
}

int
main(void)
{
    CHECK(wasm_runtime_init());
    test_threads();
    test_sync();
    test_queue();
    test_common();
    test_containers();
    test_mmap();
    test_log();
    test_runtime_messages();
    wasm_runtime_destroy();
    return t_finish();
}
