/* Cost of an empty host->wasm call through the WAMR C API (wasm_runtime_call_wasm and
 * wasm_runtime_call_wasm_a), and of the handle validation inside it (a call with a stale
 * function handle fails right after validating it). Prints ns per call.
 * Build and run: bench/capi/run.sh */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "wasm_export.h"

/* (module (func (export "nop")) (func (export "id") (param i32) (result i32) local.get 0)) */
static unsigned char wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x09, 0x02, 0x60, 0x00, 0x00, 0x60,
    0x01, 0x7f, 0x01, 0x7f, 0x03, 0x03, 0x02, 0x00, 0x01, 0x07, 0x0c, 0x02, 0x03, 0x6e, 0x6f,
    0x70, 0x00, 0x00, 0x02, 0x69, 0x64, 0x00, 0x01, 0x0a, 0x09, 0x02, 0x02, 0x00, 0x0b, 0x04,
    0x00, 0x20, 0x00, 0x0b};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    char err[128];
    if (!wasm_runtime_init()) return 1;
    wasm_module_t m = wasm_runtime_load(wasm, sizeof wasm, err, sizeof err);
    if (!m) { printf("%s\n", err); return 1; }
    wasm_module_inst_t inst = wasm_runtime_instantiate(m, 64 * 1024, 0, err, sizeof err);
    if (!inst) { printf("%s\n", err); return 1; }
    wasm_exec_env_t env = wasm_runtime_create_exec_env(inst, 64 * 1024);
    wasm_function_inst_t nop = wasm_runtime_lookup_function(inst, "nop");
    wasm_function_inst_t id = wasm_runtime_lookup_function(inst, "id");
    if (!env || !nop || !id) return 1;

    double best_nop = 1e9, best_id = 1e9, best_a = 1e9;
    for (int rep = 0; rep < 5; rep++) {
        double t = now();
        for (long i = 0; i < n; i++) wasm_runtime_call_wasm(env, nop, 0, NULL);
        double d = (now() - t) / n * 1e9;
        if (d < best_nop) best_nop = d;

        uint32_t cell[1];
        t = now();
        for (long i = 0; i < n; i++) {
            cell[0] = (uint32_t)i;
            wasm_runtime_call_wasm(env, id, 1, cell);
        }
        d = (now() - t) / n * 1e9;
        if (d < best_id) best_id = d;

        wasm_val_t arg = {.kind = WASM_I32, .of.i32 = 7}, res;
        t = now();
        for (long i = 0; i < n; i++) wasm_runtime_call_wasm_a(env, id, 1, &res, 1, &arg);
        d = (now() - t) / n * 1e9;
        if (d < best_a) best_a = d;
    }
    printf("call_wasm (no args)       %7.1f ns/call\n", best_nop);
    printf("call_wasm (i32 -> i32)    %7.1f ns/call\n", best_id);
    printf("call_wasm_a (i32 -> i32)  %7.1f ns/call\n", best_a);

    wasm_runtime_destroy_exec_env(env);
    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(m);
    wasm_runtime_destroy();
    return 0;
}
