/* cwamr.h violation log and last error (capability model, issue 3 item 7): refused operations
 * are counted per kind and kept, oldest first, in a ring the host can read; each refusal also
 * leaves a readable last-error message on the calling thread. */
#include <stddef.h>

#include "cwamr.h"
#include "test_util.h"

_Static_assert(sizeof(cwamr_cap_violation_t) == 32, "record size");
_Static_assert(offsetof(cwamr_cap_violation_t, kind) == 0, "kind");
_Static_assert(offsetof(cwamr_cap_violation_t, compartment) == 4, "compartment");
_Static_assert(offsetof(cwamr_cap_violation_t, addr) == 8, "addr");
_Static_assert(offsetof(cwamr_cap_violation_t, len) == 16, "len");
_Static_assert(offsetof(cwamr_cap_violation_t, perms) == 24, "perms");
_Static_assert(offsetof(cwamr_cap_violation_t, otype) == 28, "otype");

int
main(void)
{
    wasm_module_t m;
    wasm_module_inst_t inst;
    cwamr_cap_violation_t recs[64];
    uint32_t n;
    uint64_t forged = 0x8000130001000001ull; /* instance-typed shape, slot 1, gen 1, no MAC */

    CHECK(wasm_runtime_init());
    inst = t_instantiate("basic.wasm", &m);

    cwamr_cap_violations_clear();
    CHECK(cwamr_cap_violation_count() == 0);
    CHECK(cwamr_cap_violations(recs, 64) == 0);

    /* 1. A pointer where a handle is expected: not handle-shaped. */
    CHECK(wasm_runtime_lookup_function((wasm_module_inst_t)&n, "add") == NULL);
    CHECK(strstr(cwamr_last_error(), "wasm_runtime_lookup_function") != NULL);
    /* 2. A module handle where an instance is expected: wrong type. */
    CHECK(wasm_runtime_lookup_function((wasm_module_inst_t)m, "add") == NULL);
    /* 3. A forged handle-shaped value. */
    CHECK(wasm_runtime_get_module((wasm_module_inst_t)(uintptr_t)forged) == NULL);

    CHECK(cwamr_cap_violation_count() == 3);
    CHECK(cwamr_cap_violation_count_kind(CWAMR_VIOLATION_HANDLE_SHAPE) == 1);
    CHECK(cwamr_cap_violation_count_kind(CWAMR_VIOLATION_HANDLE_TYPE) == 1);
    CHECK(cwamr_cap_violation_count_kind(CWAMR_VIOLATION_HANDLE_SHAPE)
              + cwamr_cap_violation_count_kind(CWAMR_VIOLATION_HANDLE_TYPE)
              + cwamr_cap_violation_count_kind(CWAMR_VIOLATION_HANDLE_SLOT)
              + cwamr_cap_violation_count_kind(CWAMR_VIOLATION_HANDLE_MAC)
              + cwamr_cap_violation_count_kind(CWAMR_VIOLATION_HANDLE_DEAD)
          == 3);
    CHECK(cwamr_cap_violation_count_kind(999) == 0);

    /* The ring, oldest first, with the refused values. */
    n = cwamr_cap_violations(recs, 64);
    CHECK(n == 3);
    CHECK(recs[0].kind == CWAMR_VIOLATION_HANDLE_SHAPE);
    CHECK(recs[0].addr == (uint64_t)(uintptr_t)&n);
    CHECK(recs[1].kind == CWAMR_VIOLATION_HANDLE_TYPE);
    CHECK(recs[2].addr == forged);
    /* A short buffer gets the most recent records; NULL with 0 is allowed. */
    CHECK(cwamr_cap_violations(recs, 1) == 1 && recs[0].addr == forged);
    CHECK(cwamr_cap_violations(NULL, 0) == 0);

    /* The runtime stays usable. */
    CHECK(wasm_runtime_lookup_function(inst, "add") != NULL);

    cwamr_cap_violations_clear();
    CHECK(cwamr_cap_violation_count() == 0);

    wasm_runtime_deinstantiate(inst);
    wasm_runtime_unload(m);
    wasm_runtime_destroy();
    return t_finish();
}
