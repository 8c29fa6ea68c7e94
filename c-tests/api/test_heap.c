/* The app heap (wasm_runtime_module_malloc/free/dup_data) and capability-model section 9
 * cases 16 (free abuse: wild, interior, double and foreign frees) and 17 (heap metadata smash:
 * the guest overwrites everything around its blocks). */
#include "test_util.h"

#define N_LIVE 64

static wasm_module_inst_t
new_inst(wasm_module_t m, uint32_t heap)
{
    char err[128];
    return wasm_runtime_instantiate(m, 0, heap, err, sizeof(err));
}

static int
overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

int
main(void)
{
    char err[128];
    uint32_t size;
    uint8_t *buf;
    wasm_module_t m;
    wasm_module_inst_t a, b;
    void *native = NULL;
    uint64_t x, y, z, blk, live[N_LIVE];
    uint8_t *p;
    int i, j, ok;

    CHECK(wasm_runtime_init());
    wasm_runtime_set_log_level(WASM_LOG_LEVEL_FATAL);
    buf = t_read_wasm("basic.wasm", &size);
    m = wasm_runtime_load(buf, size, err, sizeof(err));
    free(buf);
    a = new_inst(m, 64 * 1024);
    b = new_inst(m, 64 * 1024);
    CHECK(a && b);
    x = wasm_runtime_module_malloc(a, 100, &native);
    if (x == 0) {
        printf("FAIL: wasm_runtime_module_malloc returned 0\n");
        return 1;
    }
    CHECK(native != NULL && native == wasm_runtime_addr_app_to_native(a, x));
    CHECK(x % 8 == 0);
    p = native;
    ok = 1;
    for (i = 0; i < 100; i++)
        ok &= p[i] == 0;
    CHECK(ok); /* zero-filled */
    memset(p, 0xAB, 100);

    /* dup_data */
    y = wasm_runtime_module_dup_data(a, "payload", 8);
    CHECK(y != 0 && memcmp(wasm_runtime_addr_app_to_native(a, y), "payload", 8) == 0);
    CHECK(!overlaps(x, 100, y, 8));
    CHECK(wasm_runtime_module_malloc(a, (uint64_t)1 << 40, NULL) == 0);

    /* Case 16: wild, interior, double and foreign frees change nothing */
    wasm_runtime_module_free(a, 1);
    wasm_runtime_module_free(a, x + 8);
    wasm_runtime_module_free(a, 0xFFFFFFF0u);
    z = wasm_runtime_module_malloc(b, 24, NULL); /* b's first block */
    blk = wasm_runtime_module_malloc(b, 24, NULL); /* a block start only in b's heap */
    (void)z;
    wasm_runtime_module_free(a, blk);
    ok = 1;
    for (i = 0; i < 100; i++)
        ok &= p[i] == 0xAB;
    CHECK(ok); /* x still allocated and intact */
    wasm_runtime_module_free(a, y);
    wasm_runtime_module_free(a, y); /* double free: refused */
    {
        uint64_t r1 = wasm_runtime_module_malloc(a, 8, NULL);
        uint64_t r2 = wasm_runtime_module_malloc(a, 8, NULL);
        CHECK(r1 != 0 && r2 != 0 && r1 != r2); /* y was not put on a free list twice */
        CHECK(!overlaps(r1, 8, x, 100) && !overlaps(r2, 8, x, 100));
        wasm_runtime_module_free(a, r1);
        wasm_runtime_module_free(a, r2);
    }

    /* Case 17: the guest smashes every byte around its blocks; the allocator keeps working
     * and never hands out overlapping blocks (its metadata is not in linear memory). */
    for (i = 0; i < N_LIVE; i++)
        live[i] = 0;
    ok = 1;
    for (j = 0; j < 2000; j++) {
        int k = j % N_LIVE;
        uint64_t len = 8 + (uint64_t)(j * 37 % 200);
        if (live[k])
            wasm_runtime_module_free(a, live[k]);
        live[k] = wasm_runtime_module_malloc(a, len, NULL);
        if (live[k]) {
            uint8_t *q = wasm_runtime_addr_app_to_native(a, live[k] >= 16 ? live[k] - 16 : 0);
            memset(q, 0xFF, 16); /* header area of a typical in-band allocator */
            memset((uint8_t *)wasm_runtime_addr_app_to_native(a, live[k]) + len, 0xEE, 8);
        }
    }
    for (i = 0; i < N_LIVE; i++) {
        if (live[i])
            ok &= !overlaps(live[i], 8, x, 100); /* x is still allocated */
        for (j = i + 1; j < N_LIVE; j++)
            if (live[i] && live[j])
                ok &= !overlaps(live[i], 8, live[j], 8);
    }
    CHECK(ok);
    for (i = 0; i < N_LIVE; i++)
        wasm_runtime_module_free(a, live[i]);
    CHECK(wasm_runtime_module_malloc(a, 1000, NULL) != 0); /* still usable */

    wasm_runtime_deinstantiate(a);
    wasm_runtime_deinstantiate(b);
    wasm_runtime_unload(m);
    wasm_runtime_destroy();
    return t_finish();
}
