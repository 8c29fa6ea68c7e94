/*
 * Multi-threaded use of separate stores: every thread creates its own stores, instantiates
 * a shared module, calls host callbacks that re-enter WebAssembly, passes host references
 * through tables, grows memories and tables, and deletes everything; meanwhile it tries to
 * use another thread's objects across stores, which must be refused.
 */
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>

#define N_THREADS 6
#define N_ROUNDS 300

static wasm_engine_t *engine;
static wasm_shared_module_t *shared_cycle;
static _Atomic(wasm_func_t *) published[N_THREADS];
static atomic_int cross_attempts = 0, cross_refused = 0;
static atomic_long env_finalized = 0;

static void
on_env_final(void *p)
{
    (void)p;
    atomic_fetch_add(&env_finalized, 1);
}

/* cb(ref, x) -> (ref, x + 1) */
static wasm_trap_t *
cb(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    (void)env;
    wasm_val_copy(&results->data[0], &args->data[0]);
    results->data[1].kind = WASM_I32;
    results->data[1].of.i32 = args->data[1].of.i32 + 1;
    return NULL;
}

static void *
worker(void *arg)
{
    int id = (int)(intptr_t)arg, round;
    for (round = 0; round < N_ROUNDS; round++) {
        wasm_store_t *store = wasm_store_new(engine);
        wasm_module_t *module = wasm_module_obtain(store, shared_cycle);
        wasm_functype_t *ft = wasm_functype_new_2_2(wasm_valtype_new_anyref(), wasm_valtype_new_i32(),
                                                    wasm_valtype_new_anyref(), wasm_valtype_new_i32());
        wasm_func_t *f = wasm_func_new_with_env(store, ft, cb, NULL, on_env_final);
        wasm_globaltype_t *gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
        wasm_val_t gv = WASM_I32_VAL(id);
        wasm_global_t *g = wasm_global_new(store, gt, &gv);
        wasm_instance_t *inst;
        wasm_extern_vec_t ex;
        wasm_foreign_t *foreign = wasm_foreign_new(store);
        wasm_func_t *other;
        CHECK(store && module && f && g && foreign);
        atomic_store(&published[id], f);
        wasm_functype_delete(ft);
        wasm_globaltype_delete(gt);
        {
            wasm_extern_t *imports[] = { wasm_func_as_extern(f), wasm_global_as_extern(g) };
            wasm_extern_vec_t iv = WASM_ARRAY_VEC(imports);
            inst = wasm_instance_new(store, module, &iv, NULL);
            CHECK(inst);
        }
        wasm_instance_exports(inst, &ex);
        {
            wasm_val_t a[2] = { WASM_REF_VAL(wasm_foreign_as_ref(foreign)), WASM_I32_VAL(round) };
            wasm_val_t r[2] = { WASM_INIT_VAL, WASM_INIT_VAL };
            wasm_val_vec_t args = WASM_ARRAY_VEC(a), res = WASM_ARRAY_VEC(r);
            CHECK(wasm_func_call(wasm_extern_as_func(ex.data[3]), &args, &res) == NULL);
            CHECK(r[1].of.i32 == round + id + 1);
            CHECK(wasm_ref_same(r[0].of.ref, wasm_foreign_as_ref(foreign)));
            wasm_ref_delete(r[0].of.ref);
        }
        CHECK(wasm_table_set(wasm_extern_as_table(ex.data[1]), 0, wasm_foreign_as_ref(foreign)));
        CHECK(wasm_table_grow(wasm_extern_as_table(ex.data[1]), 1, NULL));
        CHECK(wasm_memory_grow(wasm_extern_as_memory(ex.data[0]), 1));

        /* another thread's function (of another store, possibly being deleted right now):
           refused as an import, as a table element and in a call */
        other = atomic_load(&published[(id + 1) % N_THREADS]);
        if (other) {
            /* views of a deleted object are refused (NULL); views of a live one are handles
               of the other store, refused by every function of ours */
            wasm_extern_t *other_ext = wasm_func_as_extern(other);
            wasm_ref_t *other_ref = wasm_func_as_ref(other);
            atomic_fetch_add(&cross_attempts, 3);
            if (!other_ext) {
                atomic_fetch_add(&cross_refused, 1);
            }
            else {
                wasm_extern_t *imports[] = { other_ext, wasm_global_as_extern(g) };
                wasm_extern_vec_t iv = WASM_ARRAY_VEC(imports);
                if (wasm_instance_new(store, module, &iv, NULL) == NULL)
                    atomic_fetch_add(&cross_refused, 1);
            }
            if (!other_ref) {
                atomic_fetch_add(&cross_refused, 2);
            }
            else {
                wasm_val_t b[2] = { WASM_REF_VAL(other_ref), WASM_I32_VAL(0) };
                wasm_val_t r[2] = { WASM_INIT_VAL, WASM_INIT_VAL };
                wasm_val_vec_t args = WASM_ARRAY_VEC(b), res = WASM_ARRAY_VEC(r);
                wasm_trap_t *trap;
                if (!wasm_table_set(wasm_extern_as_table(ex.data[1]), 0, other_ref))
                    atomic_fetch_add(&cross_refused, 1);
                trap = wasm_func_call(wasm_extern_as_func(ex.data[3]), &args, &res);
                if (trap) {
                    atomic_fetch_add(&cross_refused, 1);
                    wasm_trap_delete(trap);
                }
                else {
                    wasm_ref_delete(r[0].of.ref);
                }
            }
        }

        wasm_extern_vec_delete(&ex);
        wasm_instance_delete(inst);
        wasm_foreign_delete(foreign);
        wasm_global_delete(g);
        wasm_module_delete(module);
        if (round % 2) {
            atomic_store(&published[id], NULL);
            wasm_func_delete(f);
        }
        /* else: deleted with the store while other threads may still be using the handle */
        wasm_store_delete(store);
        atomic_store(&published[id], NULL);
    }
    return NULL;
}

int
main(void)
{
    pthread_t t[N_THREADS];
    int i;
    engine = wasm_engine_new();
    {
        wasm_store_t *s = wasm_store_new(engine);
        wasm_module_t *m = load_module(s, "cycle.wasm");
        shared_cycle = wasm_module_share(m);
        wasm_module_delete(m);
        wasm_store_delete(s);
    }
    capture_begin(1); /* refusals are logged; keep the output short */
    for (i = 0; i < N_THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0);
    for (i = 0; i < N_THREADS; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    capture_end(1);
    printf("%d threads x %d stores; %d of %d cross-store uses refused\n", N_THREADS, N_ROUNDS,
           atomic_load(&cross_refused), atomic_load(&cross_attempts));
    CHECK(atomic_load(&cross_attempts) > 0);
    CHECK(atomic_load(&cross_refused) == atomic_load(&cross_attempts));
    CHECK(atomic_load(&env_finalized) == (long)N_THREADS * N_ROUNDS);
    wasm_shared_module_delete(shared_cycle);
    wasm_engine_delete(engine);
    printf("Done.\n");
    return 0;
}
