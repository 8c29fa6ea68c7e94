/* reflect: module imports and exports, extern types of instance exports, type objects
   built by hand, copies and casts. */
#include "example.h"

static void
print_name(const wasm_name_t *name)
{
    printf("\"%.*s\"", (int)name->size, name->data);
}

static int
name_is(const wasm_name_t *name, const char *s)
{
    return name->size == strlen(s) && (name->size == 0 || memcmp(name->data, s, name->size) == 0);
}

/* Names of a module's imports and exports count their NUL, as in WAMR. */
static int
name_is_nt(const wasm_name_t *name, const char *s)
{
    return name->size == strlen(s) + 1 && memcmp(name->data, s, name->size) == 0;
}

static void
check_valtypes(const wasm_valtype_vec_t *v, size_t n, const wasm_valkind_t *kinds)
{
    size_t i;
    CHECK(v->size == n);
    for (i = 0; i < n; i++)
        CHECK(wasm_valtype_kind(v->data[i]) == kinds[i]);
}

/* Checks the extern type of export `i` of reflect.wasm; `mem_pages` is the memory's minimum
 * (1 declared; 2 in the instance: wasm_instance_new adds WAMR's 32 KiB app heap, a page). */
static void
check_export_type(size_t i, const wasm_externtype_t *t, uint32_t mem_pages)
{
    static const wasm_valkind_t func_params[] = { WASM_I32, WASM_F64, WASM_F32 };
    static const wasm_valkind_t func_results[] = { WASM_I32 };
    static const wasm_valkind_t multi_params[] = { WASM_I64 };
    static const wasm_valkind_t multi_results[] = { WASM_I32, WASM_I64 };
    switch (i) {
        case 0:
        case 4:
        {
            const wasm_functype_t *ft = wasm_externtype_as_functype_const(t);
            CHECK(wasm_externtype_kind(t) == WASM_EXTERN_FUNC && ft);
            CHECK(wasm_externtype_as_globaltype_const(t) == NULL);
            if (i == 0) {
                check_valtypes(wasm_functype_params(ft), 3, func_params);
                check_valtypes(wasm_functype_results(ft), 1, func_results);
            }
            else {
                check_valtypes(wasm_functype_params(ft), 1, multi_params);
                check_valtypes(wasm_functype_results(ft), 2, multi_results);
            }
            break;
        }
        case 1:
        case 5:
        {
            const wasm_globaltype_t *gt = wasm_externtype_as_globaltype_const(t);
            CHECK(wasm_externtype_kind(t) == WASM_EXTERN_GLOBAL && gt);
            CHECK(wasm_valtype_kind(wasm_globaltype_content(gt)) == (i == 1 ? WASM_F64 : WASM_I32));
            CHECK(wasm_globaltype_mutability(gt) == (i == 1 ? WASM_CONST : WASM_VAR));
            break;
        }
        case 2:
        {
            const wasm_tabletype_t *tt = wasm_externtype_as_tabletype_const(t);
            CHECK(wasm_externtype_kind(t) == WASM_EXTERN_TABLE && tt);
            CHECK(wasm_valtype_kind(wasm_tabletype_element(tt)) == WASM_FUNCREF);
            CHECK(wasm_tabletype_limits(tt)->min == 0 && wasm_tabletype_limits(tt)->max == 50);
            break;
        }
        case 3:
        {
            const wasm_memorytype_t *mt = wasm_externtype_as_memorytype_const(t);
            CHECK(wasm_externtype_kind(t) == WASM_EXTERN_MEMORY && mt);
            CHECK(wasm_memorytype_limits(mt)->min == mem_pages);
            CHECK(wasm_memorytype_limits(mt)->max == 65536); /* no declared maximum, as WAMR */
            break;
        }
        default:
            CHECK(0);
    }
}

int
main(void)
{
    static const char *names[] = { "func", "global", "table", "memory", "multi", "mutable" };
    wasm_engine_t *engine = wasm_engine_new();
    wasm_store_t *store = wasm_store_new(engine);
    wasm_byte_vec_t binary;
    wasm_module_t *module;
    wasm_instance_t *instance;
    wasm_exporttype_vec_t export_types;
    wasm_extern_vec_t exports;
    wasm_extern_vec_t imports = WASM_EMPTY_VEC;
    size_t i;

    printf("Initializing...\n");
    CHECK(engine && store);
    load_wasm("reflect.wasm", &binary);
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);
    instance = wasm_instance_new(store, module, &imports, NULL);
    CHECK(instance);

    printf("Extracting export types...\n");
    wasm_module_exports(module, &export_types);
    wasm_instance_exports(instance, &exports);
    CHECK(export_types.size == 6 && exports.size == 6);
    for (i = 0; i < exports.size; i++) {
        const wasm_name_t *name = wasm_exporttype_name(export_types.data[i]);
        const wasm_externtype_t *t = wasm_exporttype_type(export_types.data[i]);
        wasm_externtype_t *actual = wasm_extern_type(exports.data[i]);
        printf("> export %zu ", i);
        print_name(name);
        printf(": kind %d\n", wasm_externtype_kind(t));
        CHECK(name_is_nt(name, names[i]));
        CHECK(wasm_extern_kind(exports.data[i]) == wasm_externtype_kind(t));
        check_export_type(i, t, 1);
        check_export_type(i, actual, 2);
        wasm_externtype_delete(actual);
    }
    {
        wasm_exporttype_vec_t copy;
        wasm_exporttype_vec_copy(&copy, &export_types);
        CHECK(copy.size == 6 && copy.data[0] != export_types.data[0]);
        for (i = 0; i < copy.size; i++)
            check_export_type(i, wasm_exporttype_type(copy.data[i]), 1);
        wasm_exporttype_vec_delete(&copy);
    }
    wasm_exporttype_vec_delete(&export_types);
    wasm_extern_vec_delete(&exports);
    wasm_instance_delete(instance);
    wasm_module_delete(module);

    printf("Extracting import types...\n");
    load_wasm("callback.wasm", &binary);
    module = wasm_module_new(store, &binary);
    CHECK(module);
    wasm_byte_vec_delete(&binary);
    {
        wasm_importtype_vec_t its;
        wasm_module_imports(module, &its);
        CHECK(its.size == 2);
        for (i = 0; i < its.size; i++) {
            const wasm_externtype_t *t = wasm_importtype_type(its.data[i]);
            const wasm_functype_t *ft = wasm_externtype_as_functype_const(t);
            printf("> import %zu ", i);
            print_name(wasm_importtype_module(its.data[i]));
            printf(" ");
            print_name(wasm_importtype_name(its.data[i]));
            printf("\n");
            CHECK(name_is_nt(wasm_importtype_module(its.data[i]), ""));
            CHECK(name_is_nt(wasm_importtype_name(its.data[i]), i == 0 ? "print" : "closure"));
            CHECK(ft && wasm_functype_results(ft)->size == 1);
            CHECK(!wasm_importtype_is_linked(its.data[i]));
        }
        wasm_importtype_vec_delete(&its);
    }
    wasm_module_delete(module);

    printf("Building types by hand...\n");
    {
        wasm_limits_t limits = { 1, 7 };
        wasm_memorytype_t *mt = wasm_memorytype_new(&limits);
        wasm_externtype_t *et = wasm_memorytype_as_externtype(mt);
        wasm_name_t module_name, field_name;
        wasm_importtype_t *it, *it2;
        CHECK(et == (wasm_externtype_t *)mt);
        CHECK(wasm_externtype_as_memorytype(et) == mt);
        CHECK(wasm_externtype_as_functype(et) == NULL);
        wasm_name_new_from_string(&module_name, "env");
        wasm_name_new_from_string(&field_name, "mem");
        it = wasm_importtype_new(&module_name, &field_name, et); /* takes ownership */
        CHECK(it);
        CHECK(name_is(wasm_importtype_module(it), "env"));
        CHECK(name_is(wasm_importtype_name(it), "mem"));
        it2 = wasm_importtype_copy(it);
        wasm_importtype_delete(it);
        CHECK(wasm_memorytype_limits(wasm_externtype_as_memorytype_const(wasm_importtype_type(it2)))->max == 7);
        wasm_importtype_delete(it2);
    }
    {
        wasm_functype_t *ft = wasm_functype_new_2_1(wasm_valtype_new_i64(), wasm_valtype_new_f64(),
                                                    wasm_valtype_new(WASM_EXTERNREF));
        wasm_functype_t *ft2 = wasm_functype_copy(ft);
        wasm_name_t name;
        wasm_exporttype_t *et;
        CHECK(wasm_valtype_is_ref(wasm_functype_results(ft2)->data[0]));
        CHECK(wasm_valtype_is_num(wasm_functype_params(ft2)->data[1]));
        wasm_functype_delete(ft);
        wasm_name_new_from_string(&name, "f");
        et = wasm_exporttype_new(&name, wasm_functype_as_externtype(ft2));
        CHECK(et && wasm_externtype_kind(wasm_exporttype_type(et)) == WASM_EXTERN_FUNC);
        wasm_exporttype_delete(et);
    }
    {
        wasm_valtype_t *vs[2] = { wasm_valtype_new_f32(), wasm_valtype_new_funcref() };
        wasm_valtype_vec_t v, v2;
        wasm_valtype_vec_new(&v, 2, vs);
        wasm_valtype_vec_copy(&v2, &v);
        CHECK(v2.size == 2 && wasm_valtype_kind(v2.data[1]) == WASM_FUNCREF);
        wasm_valtype_vec_delete(&v);
        wasm_valtype_vec_delete(&v2);
        CHECK(wasm_valtype_new(77) == NULL);
    }
    {
        wasm_globaltype_t *gts[1] = { wasm_globaltype_new(wasm_valtype_new_i32(), WASM_VAR) };
        wasm_globaltype_vec_t gv, gv2;
        wasm_globaltype_vec_new(&gv, 1, gts);
        wasm_globaltype_vec_copy(&gv2, &gv);
        CHECK(wasm_globaltype_mutability(gv2.data[0]) == WASM_VAR);
        wasm_globaltype_vec_delete(&gv);
        wasm_globaltype_vec_delete(&gv2);
    }

    printf("Shutting down...\n");
    wasm_store_delete(store);
    wasm_engine_delete(engine);

    printf("Done.\n");
    return 0;
}
