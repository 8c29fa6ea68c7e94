/* start: a start function that traps makes instantiation fail with a trap. */
#include "example.h"

int
main(void)
{
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    wasm_instance_t *instance;
    wasm_trap_t *trap = NULL;
    wasm_message_t message;
    wasm_frame_t *frame;
    wasm_frame_vec_t trace;
    wasm_extern_vec_t imports = WASM_EMPTY_VEC;

    printf("Initializing...\n");
    CHECK(engine && store);
    load_wasm("start.wasm", &binary);
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);

    printf("Instantiating module...\n");
    instance = wasm_instance_new(store, module, &imports, &trap);
    CHECK(instance == NULL);
    CHECK(trap != NULL);

    printf("Printing message...\n");
    wasm_trap_message(trap, &message);
    printf("> %s\n", message.data);
    CHECK(strcmp(message.data, "wasm_instance_new_with_args_ex failed: WASM module "
                               "instantiate failed: Exception: unreachable") == 0);
    wasm_byte_vec_delete(&message);

    printf("Printing origin...\n");
    frame = wasm_trap_origin(trap);
    CHECK(frame != NULL);
    printf("> %p @ 0x%zx = %u.0x%zx\n", (void *)wasm_frame_instance(frame),
           wasm_frame_module_offset(frame), wasm_frame_func_index(frame),
           wasm_frame_func_offset(frame));
    CHECK(wasm_frame_func_index(frame) == 0);
    CHECK(wasm_frame_instance(frame) != NULL);
    wasm_frame_delete(frame);

    printf("Printing trace...\n");
    wasm_trap_trace(trap, &trace);
    CHECK(trace.size == 1);
    CHECK(wasm_frame_func_index(trace.data[0]) == 0);
    wasm_frame_vec_delete(&trace);
    wasm_trap_delete(trap);

    printf("Instantiating without a trap pointer also fails cleanly...\n");
    CHECK(wasm_instance_new(store, module, &imports, NULL) == NULL);

    printf("Shutting down...\n");
    wasm_module_delete(module);
    wasm_store_delete(store);
    wasm_engine_delete(engine);

    printf("Done.\n");
    return 0;
}
