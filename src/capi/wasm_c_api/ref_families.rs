//! The `WASM_DECLARE_REF` families: `_delete`, `_copy`, `_same`, host info with
//! finalizers, `_as_ref` / `wasm_ref_as_*` for func, global, table, memory, instance,
//! extern, trap and foreign; the `wasm_ref_*` base functions; `wasm_foreign_new`.
//!
//! The functions are thin: validation, views and host info live in `refs.rs`.

use std::ffi::c_void;

use super::refs::{
    Finalizer, Flavour, RefKind, as_ref, copy_ref, delete_ref, get_host_info, new_ref, ref_arg,
    ref_as, same, set_host_info,
};
use super::store::store_arg;
use crate::capi::ffi;

/// Defines the `WASM_DECLARE_REF_BASE` functions (and, with `as_ref`, the conversions) of
/// one C type.
macro_rules! ref_family {
    ($flavour:expr, $delete:ident, $copy:ident, $same:ident, $get:ident, $set:ident, $setf:ident) => {
        /// `wasm_*_delete`.
        #[unsafe(no_mangle)]
        pub extern "C" fn $delete(p: *mut std::ffi::c_void) {
            $crate::capi::ffi::guard(stringify!($delete), (), || {
                delete_ref(stringify!($delete), p, $flavour)
            })
        }

        /// `wasm_*_copy`: a new object for the same entity.
        #[unsafe(no_mangle)]
        pub extern "C" fn $copy(p: *const std::ffi::c_void) -> *mut std::ffi::c_void {
            $crate::capi::ffi::guard(stringify!($copy), std::ptr::null_mut(), || {
                ref_arg(stringify!($copy), p, $flavour, None).map_or(std::ptr::null_mut(), |a| {
                    copy_ref(stringify!($copy), &a, $flavour)
                })
            })
        }

        /// `wasm_*_same`.
        #[unsafe(no_mangle)]
        pub extern "C" fn $same(a: *const std::ffi::c_void, b: *const std::ffi::c_void) -> bool {
            $crate::capi::ffi::guard(stringify!($same), false, || {
                same(stringify!($same), a, b, $flavour)
            })
        }

        /// `wasm_*_get_host_info`.
        #[unsafe(no_mangle)]
        pub extern "C" fn $get(p: *const std::ffi::c_void) -> *mut std::ffi::c_void {
            $crate::capi::ffi::guard(stringify!($get), std::ptr::null_mut(), || {
                get_host_info(stringify!($get), p, $flavour)
            })
        }

        /// `wasm_*_set_host_info`.
        #[unsafe(no_mangle)]
        pub extern "C" fn $set(p: *mut std::ffi::c_void, info: *mut std::ffi::c_void) {
            $crate::capi::ffi::guard(stringify!($set), (), || {
                set_host_info(stringify!($set), p, $flavour, info, None)
            })
        }

        /// `wasm_*_set_host_info_with_finalizer`: `fin(info)` runs when the last object for
        /// the entity is deleted.
        #[unsafe(no_mangle)]
        pub extern "C" fn $setf(
            p: *mut std::ffi::c_void,
            info: *mut std::ffi::c_void,
            fin: Option<Finalizer>,
        ) {
            $crate::capi::ffi::guard(stringify!($setf), (), || {
                set_host_info(stringify!($setf), p, $flavour, info, fin)
            })
        }
    };
    ($flavour:expr, $delete:ident, $copy:ident, $same:ident, $get:ident, $set:ident, $setf:ident,
     $as_ref:ident, $ref_as:ident, $as_ref_c:ident, $ref_as_c:ident) => {
        ref_family!($flavour, $delete, $copy, $same, $get, $set, $setf);

        /// `wasm_*_as_ref` (borrowed view).
        #[unsafe(no_mangle)]
        pub extern "C" fn $as_ref(p: *mut std::ffi::c_void) -> *mut std::ffi::c_void {
            $crate::capi::ffi::guard(stringify!($as_ref), std::ptr::null_mut(), || {
                as_ref(stringify!($as_ref), p, $flavour)
            })
        }

        /// `wasm_ref_as_*` (borrowed view; NULL for another kind).
        #[unsafe(no_mangle)]
        pub extern "C" fn $ref_as(p: *mut std::ffi::c_void) -> *mut std::ffi::c_void {
            $crate::capi::ffi::guard(stringify!($ref_as), std::ptr::null_mut(), || {
                ref_as(stringify!($ref_as), p, $flavour)
            })
        }

        /// `wasm_*_as_ref_const`.
        #[unsafe(no_mangle)]
        pub extern "C" fn $as_ref_c(p: *const std::ffi::c_void) -> *const std::ffi::c_void {
            $crate::capi::ffi::guard(stringify!($as_ref_c), std::ptr::null(), || {
                as_ref(stringify!($as_ref_c), p, $flavour).cast_const()
            })
        }

        /// `wasm_ref_as_*_const`.
        #[unsafe(no_mangle)]
        pub extern "C" fn $ref_as_c(p: *const std::ffi::c_void) -> *const std::ffi::c_void {
            $crate::capi::ffi::guard(stringify!($ref_as_c), std::ptr::null(), || {
                ref_as(stringify!($ref_as_c), p, $flavour).cast_const()
            })
        }
    };
}

ref_family!(
    Flavour::Ref,
    wasm_ref_delete,
    wasm_ref_copy,
    wasm_ref_same,
    wasm_ref_get_host_info,
    wasm_ref_set_host_info,
    wasm_ref_set_host_info_with_finalizer
);

ref_family!(
    Flavour::Func,
    wasm_func_delete,
    wasm_func_copy,
    wasm_func_same,
    wasm_func_get_host_info,
    wasm_func_set_host_info,
    wasm_func_set_host_info_with_finalizer,
    wasm_func_as_ref,
    wasm_ref_as_func,
    wasm_func_as_ref_const,
    wasm_ref_as_func_const
);

ref_family!(
    Flavour::Global,
    wasm_global_delete,
    wasm_global_copy,
    wasm_global_same,
    wasm_global_get_host_info,
    wasm_global_set_host_info,
    wasm_global_set_host_info_with_finalizer,
    wasm_global_as_ref,
    wasm_ref_as_global,
    wasm_global_as_ref_const,
    wasm_ref_as_global_const
);

ref_family!(
    Flavour::Table,
    wasm_table_delete,
    wasm_table_copy,
    wasm_table_same,
    wasm_table_get_host_info,
    wasm_table_set_host_info,
    wasm_table_set_host_info_with_finalizer,
    wasm_table_as_ref,
    wasm_ref_as_table,
    wasm_table_as_ref_const,
    wasm_ref_as_table_const
);

ref_family!(
    Flavour::Memory,
    wasm_memory_delete,
    wasm_memory_copy,
    wasm_memory_same,
    wasm_memory_get_host_info,
    wasm_memory_set_host_info,
    wasm_memory_set_host_info_with_finalizer,
    wasm_memory_as_ref,
    wasm_ref_as_memory,
    wasm_memory_as_ref_const,
    wasm_ref_as_memory_const
);

ref_family!(
    Flavour::Instance,
    wasm_instance_delete,
    wasm_instance_copy,
    wasm_instance_same,
    wasm_instance_get_host_info,
    wasm_instance_set_host_info,
    wasm_instance_set_host_info_with_finalizer,
    wasm_instance_as_ref,
    wasm_ref_as_instance,
    wasm_instance_as_ref_const,
    wasm_ref_as_instance_const
);

ref_family!(
    Flavour::Extern,
    wasm_extern_delete,
    wasm_extern_copy,
    wasm_extern_same,
    wasm_extern_get_host_info,
    wasm_extern_set_host_info,
    wasm_extern_set_host_info_with_finalizer,
    wasm_extern_as_ref,
    wasm_ref_as_extern,
    wasm_extern_as_ref_const,
    wasm_ref_as_extern_const
);

ref_family!(
    Flavour::Trap,
    wasm_trap_delete,
    wasm_trap_copy,
    wasm_trap_same,
    wasm_trap_get_host_info,
    wasm_trap_set_host_info,
    wasm_trap_set_host_info_with_finalizer,
    wasm_trap_as_ref,
    wasm_ref_as_trap,
    wasm_trap_as_ref_const,
    wasm_ref_as_trap_const
);

ref_family!(
    Flavour::Foreign,
    wasm_foreign_delete,
    wasm_foreign_copy,
    wasm_foreign_same,
    wasm_foreign_get_host_info,
    wasm_foreign_set_host_info,
    wasm_foreign_set_host_info_with_finalizer,
    wasm_foreign_as_ref,
    wasm_ref_as_foreign,
    wasm_foreign_as_ref_const,
    wasm_ref_as_foreign_const
);

/// `wasm_foreign_new`: a new host object of `store`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_foreign_new(store: *mut c_void) -> *mut c_void {
    ffi::guard("wasm_foreign_new", std::ptr::null_mut(), || {
        let Some(core) = store_arg("wasm_foreign_new", store) else {
            return std::ptr::null_mut();
        };
        new_ref(
            "wasm_foreign_new",
            &core,
            RefKind::Foreign,
            None,
            Flavour::Foreign,
        )
    })
}
