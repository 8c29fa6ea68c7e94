/* threads: one store per thread. A module compiled once is shared with every thread
   (wasm_module_share / wasm_module_obtain); each thread instantiates it repeatedly with
   its own host function and global, and calls it. */
#include <pthread.h>

#include "example.h"

#define N_THREADS 8
#define N_REPS 50

struct thread_args {
    int id;
    wasm_engine_t *engine;
    wasm_shared_module_t *module;
    int calls;
};

static wasm_trap_t *
hello_callback(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    struct thread_args *t = env;
    (void)results;
    CHECK(args->size == 1 && args->data[0].kind == WASM_I32);
    CHECK(args->data[0].of.i32 == t->id); /* the global this thread imported */
    t->calls++;
    return NULL;
}

static void *
run(void *p)
{
    struct thread_args *t = p;
    wasm_store_t *store = wasm_store_new(t->engine);
    wasm_module_t *module;
    int i;

    CHECK(store);
    module = wasm_module_obtain(store, t->module);
    CHECK(module);

    for (i = 0; i < N_REPS; i++) {
        wasm_functype_t *ft = wasm_functype_new_1_0(wasm_valtype_new_i32());
        wasm_func_t *func = wasm_func_new_with_env(store, ft, hello_callback, t, NULL);
        wasm_globaltype_t *gt = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
        wasm_val_t val = WASM_I32_VAL(t->id);
        wasm_global_t *global = wasm_global_new(store, gt, &val);
        wasm_instance_t *instance;
        wasm_extern_vec_t exports;
        wasm_val_vec_t empty = WASM_EMPTY_VEC;
        CHECK(func && global);
        wasm_functype_delete(ft);
        wasm_globaltype_delete(gt);
        {
            wasm_extern_t *externs[] = { wasm_func_as_extern(func),
                                         wasm_global_as_extern(global) };
            wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
            instance = wasm_instance_new(store, module, &imports, NULL);
            CHECK(instance);
        }
        wasm_func_delete(func);
        wasm_global_delete(global);
        wasm_instance_exports(instance, &exports);
        wasm_instance_delete(instance);
        CHECK(wasm_func_call(export_func(&exports, 0), &empty, &empty) == NULL);
        wasm_extern_vec_delete(&exports);
    }

    wasm_module_delete(module);
    wasm_store_delete(store);
    return NULL;
}

int
main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    wasm_shared_module_t *shared;
    pthread_t threads[N_THREADS];
    struct thread_args args[N_THREADS];
    int i;

    printf("Initializing...\n");
    CHECK(engine && store);
    load_wasm("threads.wasm", &binary);
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);
    shared = wasm_module_share(module);
    CHECK(shared);
    wasm_module_delete(module);
    wasm_store_delete(store);

    printf("Running %d threads...\n", N_THREADS);
    for (i = 0; i < N_THREADS; i++) {
        args[i].id = i + 1;
        args[i].engine = engine;
        args[i].module = shared;
        args[i].calls = 0;
        CHECK(pthread_create(&threads[i], NULL, run, &args[i]) == 0);
    }
    for (i = 0; i < N_THREADS; i++)
        CHECK(pthread_join(threads[i], NULL) == 0);
    for (i = 0; i < N_THREADS; i++) {
        printf("> thread %d: %d calls\n", args[i].id, args[i].calls);
        CHECK(args[i].calls == N_REPS);
    }

    wasm_shared_module_delete(shared);
    printf("Shutting down...\n");
    wasm_engine_delete(engine);

    printf("Done.\n");
    return 0;
}
