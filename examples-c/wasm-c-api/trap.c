/* trap: a trap created by a host callback and one raised by WebAssembly; messages,
   origin and trace frames; traps are references with host info. */
#include "example.h"

static int trap_info_finalized = 0;

static wasm_trap_t *
fail_callback(void *env, const wasm_val_vec_t *args, wasm_val_vec_t *results)
{
    wasm_store_t *store = env;
    wasm_message_t message;
    wasm_trap_t *trap;
    (void)args;
    (void)results;
    printf("Calling back...\n");
    wasm_name_new_from_string_nt(&message, "callback abort");
    trap = wasm_trap_new(store, &message);
    wasm_name_delete(&message);
    return trap;
}

static void
on_finalize(void *p)
{
    CHECK(p == (void *)&trap_info_finalized);
    trap_info_finalized++;
}

static void
print_frame(const wasm_frame_t *frame)
{
    printf("> %p @ 0x%zx = %u.0x%zx\n", (void *)wasm_frame_instance(frame),
           wasm_frame_module_offset(frame), wasm_frame_func_index(frame),
           wasm_frame_func_offset(frame));
}

/* Calls export `i`, expects a trap whose message is `expected`; checks its frames. */
static void
expect_trap(const wasm_func_t *func, const char *expected, uint32_t entry_index)
{
    wasm_val_t r[1] = { WASM_INIT_VAL };
    wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(r);
    wasm_trap_t *trap = wasm_func_call(func, &args, &results);
    wasm_message_t message;
    wasm_frame_t *origin;
    wasm_frame_vec_t trace;
    size_t i;

    CHECK(trap != NULL);
    printf("Printing message...\n");
    wasm_trap_message(trap, &message);
    printf("> %s\n", message.data);
    CHECK(message.size == strlen(expected) + 1);
    CHECK(strcmp(message.data, expected) == 0);
    wasm_byte_vec_delete(&message);

    printf("Printing origin...\n");
    origin = wasm_trap_origin(trap);
    CHECK(origin != NULL);
    print_frame(origin);
    CHECK(wasm_frame_instance(origin) != NULL);
    CHECK(wasm_frame_module_offset(origin) > 0);
    {
        wasm_frame_t *copy = wasm_frame_copy(origin);
        CHECK(copy && wasm_frame_func_index(copy) == wasm_frame_func_index(origin));
        wasm_frame_delete(copy);
    }
    wasm_frame_delete(origin);

    printf("Printing trace...\n");
    wasm_trap_trace(trap, &trace);
    CHECK(trace.size >= 1 && trace.num_elems == trace.size);
    for (i = 0; i < trace.size; i++)
        print_frame(trace.data[i]);
    /* The outermost frame is the function that was called. */
    CHECK(wasm_frame_func_index(trace.data[trace.size - 1]) == entry_index);
    wasm_frame_vec_delete(&trace);

    printf("Traps are references...\n");
    {
        wasm_trap_t *copy = wasm_trap_copy(trap);
        wasm_ref_t *ref = wasm_trap_as_ref(trap);
        CHECK(copy && ref);
        CHECK(wasm_trap_same(trap, copy));
        CHECK(wasm_ref_as_trap(ref) == trap);
        CHECK(wasm_ref_as_func(ref) == NULL);
        wasm_trap_set_host_info_with_finalizer(trap, &trap_info_finalized, on_finalize);
        CHECK(wasm_trap_get_host_info(copy) == &trap_info_finalized);
        wasm_trap_delete(trap);
        CHECK(trap_info_finalized == 0); /* the copy still refers to it */
        wasm_trap_delete(copy);
        CHECK(trap_info_finalized == 1);
        trap_info_finalized = 0;
    }
}

int
main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    wasm_func_t *fail_func;
    wasm_instance_t *instance;
    wasm_extern_vec_t exports;

    printf("Initializing...\n");
    CHECK(engine && store);
    load_wasm("trap.wasm", &binary);
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);

    printf("Creating callback...\n");
    {
        wasm_functype_t *t = wasm_functype_new_0_1(wasm_valtype_new_i32());
        fail_func = wasm_func_new_with_env(store, t, fail_callback, store, NULL);
        CHECK(fail_func);
        wasm_functype_delete(t);
    }

    printf("Calling the host function directly...\n");
    {
        wasm_val_t r[1] = { WASM_INIT_VAL };
        wasm_val_vec_t args = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(r);
        wasm_trap_t *trap = wasm_func_call(fail_func, &args, &results);
        CHECK(trap != NULL);
        print_trap("direct", trap);
        wasm_trap_delete(trap);
    }

    printf("Instantiating module...\n");
    {
        wasm_extern_t *externs[] = { wasm_func_as_extern(fail_func) };
        wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
        instance = wasm_instance_new(store, module, &imports, NULL);
        CHECK(instance);
    }
    wasm_func_delete(fail_func);
    wasm_instance_exports(instance, &exports);
    CHECK(exports.size == 2);

    printf("Calling export 0...\n");
    expect_trap(export_func(&exports, 0), "Exception: callback abort", 1);
    printf("Calling export 1...\n");
    expect_trap(export_func(&exports, 1), "Exception: unreachable", 3);

    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
    wasm_module_delete(module);

    printf("Shutting down...\n");
    wasm_store_delete(store);
    wasm_engine_delete(engine);

    printf("Done.\n");
    return 0;
}
