//! C types of `wasm_export.h` / `lib_export.h`, spelled as in the header.
//!
//! The names follow the C header on purpose (they are what cbindgen prints and what the
//! drift check compares with `include/wasm_export.h`). Handle typedefs are `*mut c_void` here:
//! their values are sealed handles, never pointers to these types. Layouts are pinned by the
//! `const` assertions below and by `c-tests/abi`.

#![allow(
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    missing_docs
)]

use std::ffi::{c_char, c_int, c_void};

/// `wasm_module_t` (sealed handle).
pub type wasm_module_t = *mut c_void;
/// `wasm_module_inst_t` (sealed handle).
pub type wasm_module_inst_t = *mut c_void;
/// `wasm_function_inst_t` (sealed handle).
pub type wasm_function_inst_t = *mut c_void;
/// `wasm_memory_inst_t` (sealed handle).
pub type wasm_memory_inst_t = *mut c_void;
/// `wasm_exec_env_t` (sealed handle).
pub type wasm_exec_env_t = *mut c_void;
/// `wasm_shared_heap_t` (sealed `OT_SHARED_HEAP` handle).
pub type wasm_shared_heap_t = *mut c_void;
/// `wasm_func_type_t` (sealed handle).
pub type wasm_func_type_t = *mut c_void;
/// `wasm_table_type_t` (sealed handle).
pub type wasm_table_type_t = *mut c_void;
/// `wasm_global_type_t` (sealed handle).
pub type wasm_global_type_t = *mut c_void;
/// `wasm_memory_type_t` (sealed handle).
pub type wasm_memory_type_t = *mut c_void;
/// `struct InstantiationArgs2 *` (sealed handle).
pub type InstantiationArgs2 = c_void;
/// `wasm_section_list_t`.
pub type wasm_section_list_t = *mut wasm_section_t;
/// `wasm_thread_t`.
pub type wasm_thread_t = usize;
/// `wasm_valkind_t`.
pub type wasm_valkind_t = u8;
/// `package_type_t` (C enum, int-sized).
pub type package_type_t = c_int;
/// `RunningMode` (C enum, int-sized).
pub type RunningMode = c_int;
/// `log_level_t` (C enum, int-sized).
pub type log_level_t = c_int;
/// `mem_alloc_type_t` (C enum, int-sized).
pub type mem_alloc_type_t = c_int;
/// `wasm_import_export_kind_t` (C enum, int-sized).
pub type wasm_import_export_kind_t = c_int;
/// `enlarge_memory_error_reason_t` (C enum, int-sized).
pub type enlarge_memory_error_reason_t = c_int;

/// `enlarge_memory_error_callback_t`.
pub type enlarge_memory_error_callback_t = Option<
    unsafe extern "C" fn(
        inc_page_count: u32,
        current_memory_size: u64,
        memory_index: u32,
        failure_reason: enlarge_memory_error_reason_t,
        instance: wasm_module_inst_t,
        exec_env: wasm_exec_env_t,
        user_data: *mut c_void,
    ),
>;
/// `module_reader`.
pub type module_reader = Option<
    unsafe extern "C" fn(
        module_type: package_type_t,
        module_name: *const c_char,
        p_buffer: *mut *mut u8,
        p_size: *mut u32,
    ) -> bool,
>;
/// `module_destroyer`.
pub type module_destroyer = Option<unsafe extern "C" fn(buffer: *mut u8, size: u32)>;
/// `wasm_thread_callback_t`.
pub type wasm_thread_callback_t =
    Option<unsafe extern "C" fn(exec_env: wasm_exec_env_t, arg: *mut c_void) -> *mut c_void>;

pub const Wasm_Module_Bytecode: package_type_t = 0;
pub const Wasm_Module_AoT: package_type_t = 1;
pub const Package_Type_Unknown: package_type_t = 0xFFFF;

pub const Alloc_With_Pool: mem_alloc_type_t = 0;
pub const Alloc_With_Allocator: mem_alloc_type_t = 1;
pub const Alloc_With_System_Allocator: mem_alloc_type_t = 2;

pub const Mode_Interp: RunningMode = 1;
pub const Mode_Fast_JIT: RunningMode = 2;
pub const Mode_LLVM_JIT: RunningMode = 3;
pub const Mode_Multi_Tier_JIT: RunningMode = 4;

pub const WASM_I32: wasm_valkind_t = 0;
pub const WASM_I64: wasm_valkind_t = 1;
pub const WASM_F32: wasm_valkind_t = 2;
pub const WASM_F64: wasm_valkind_t = 3;
pub const WASM_V128: wasm_valkind_t = 4;
pub const WASM_EXTERNREF: wasm_valkind_t = 128;
pub const WASM_FUNCREF: wasm_valkind_t = 129;

pub const WASM_IMPORT_EXPORT_KIND_FUNC: wasm_import_export_kind_t = 0;
pub const WASM_IMPORT_EXPORT_KIND_TABLE: wasm_import_export_kind_t = 1;
pub const WASM_IMPORT_EXPORT_KIND_MEMORY: wasm_import_export_kind_t = 2;
pub const WASM_IMPORT_EXPORT_KIND_GLOBAL: wasm_import_export_kind_t = 3;

pub const INTERNAL_ERROR: enlarge_memory_error_reason_t = 0;
pub const MAX_SIZE_REACHED: enlarge_memory_error_reason_t = 1;

/// `NativeSymbol` (lib_export.h).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct NativeSymbol {
    pub symbol: *const c_char,
    pub func_ptr: *mut c_void,
    pub signature: *const c_char,
    pub attachment: *mut c_void,
}

/// `MemAllocOption.pool`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MemAllocPool {
    pub heap_buf: *mut c_void,
    pub heap_size: u32,
}

/// `MemAllocOption.allocator`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct MemAllocAllocator {
    pub malloc_func: *mut c_void,
    pub realloc_func: *mut c_void,
    pub free_func: *mut c_void,
    pub user_data: *mut c_void,
}

/// `MemAllocOption`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union MemAllocOption {
    pub pool: MemAllocPool,
    pub allocator: MemAllocAllocator,
}

/// `mem_alloc_info_t`.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct mem_alloc_info_t {
    pub total_size: u32,
    pub total_free_size: u32,
    pub highmark_size: u32,
}

/// `RuntimeInitArgs`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct RuntimeInitArgs {
    pub mem_alloc_type: mem_alloc_type_t,
    pub mem_alloc_option: MemAllocOption,
    pub native_module_name: *const c_char,
    pub native_symbols: *mut NativeSymbol,
    pub n_native_symbols: u32,
    pub max_thread_num: u32,
    pub ip_addr: [c_char; 128],
    pub unused: c_int,
    pub instance_port: c_int,
    pub fast_jit_code_cache_size: u32,
    pub gc_heap_size: u32,
    pub running_mode: RunningMode,
    pub llvm_jit_opt_level: u32,
    pub llvm_jit_size_level: u32,
    pub segue_flags: u32,
    pub enable_linux_perf: bool,
}

/// `LoadArgs`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct LoadArgs {
    pub name: *mut c_char,
    pub clone_wasm_binary: bool,
    pub wasm_binary_freeable: bool,
    pub no_resolve: bool,
}

/// `InstantiationArgs`.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct InstantiationArgs {
    pub default_stack_size: u32,
    pub host_managed_heap_size: u32,
    pub max_memory_pages: u32,
}

/// `wasm_val_t.of`.
#[repr(C)]
#[derive(Clone, Copy)]
pub union wasm_val_union {
    pub i32: i32,
    pub i64: i64,
    pub f32: f32,
    pub f64: f64,
    pub foreign: usize,
    pub ref_: *mut c_void,
}

/// `wasm_val_t`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct wasm_val_t {
    pub kind: wasm_valkind_t,
    pub _paddings: [u8; 7],
    pub of: wasm_val_union,
}

/// `wasm_global_inst_t`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct wasm_global_inst_t {
    pub kind: wasm_valkind_t,
    pub is_mutable: bool,
    pub global_data: *mut c_void,
}

/// `wasm_table_inst_t` (`elems` carries a sealed table handle here).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct wasm_table_inst_t {
    pub elem_kind: wasm_valkind_t,
    pub cur_size: u32,
    pub max_size: u32,
    pub elems: *mut c_void,
}

/// `wasm_import_t.u` / `wasm_export_t.u` (all members are handles).
#[repr(C)]
#[derive(Clone, Copy)]
pub union wasm_extern_type_union {
    pub func_type: wasm_func_type_t,
    pub table_type: wasm_table_type_t,
    pub global_type: wasm_global_type_t,
    pub memory_type: wasm_memory_type_t,
}

/// `wasm_import_t`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct wasm_import_t {
    pub module_name: *const c_char,
    pub name: *const c_char,
    pub kind: wasm_import_export_kind_t,
    pub linked: bool,
    pub u: wasm_extern_type_union,
}

/// `wasm_export_t`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct wasm_export_t {
    pub name: *const c_char,
    pub kind: wasm_import_export_kind_t,
    pub u: wasm_extern_type_union,
}

/// `wasm_section_t`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct wasm_section_t {
    pub next: *mut wasm_section_t,
    pub section_type: c_int,
    pub section_body: *mut u8,
    pub section_body_size: u32,
}

/// `SharedHeapInitArgs`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct SharedHeapInitArgs {
    pub size: u32,
    pub pre_allocated_addr: *mut c_void,
}

/// `WASMCApiFrame` (`struct wasm_frame_t`).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct WASMCApiFrame {
    pub instance: *mut c_void,
    pub module_offset: u32,
    pub func_index: u32,
    pub func_offset: u32,
    pub func_name_wp: *const c_char,
    pub sp: *mut u32,
    pub frame_ref: *mut u8,
    pub lp: *mut u32,
}

macro_rules! size {
    ($t:ty, $size:expr) => {
        const _: () = assert!(std::mem::size_of::<$t>() == $size);
    };
}
macro_rules! offset {
    ($t:ty, $field:ident, $off:expr) => {
        const _: () = assert!(std::mem::offset_of!($t, $field) == $off);
    };
}

size!(NativeSymbol, 32);
size!(MemAllocOption, 32);
size!(mem_alloc_info_t, 12);
size!(RuntimeInitArgs, 232);
offset!(RuntimeInitArgs, native_module_name, 40);
offset!(RuntimeInitArgs, n_native_symbols, 56);
offset!(RuntimeInitArgs, ip_addr, 64);
offset!(RuntimeInitArgs, running_mode, 208);
offset!(RuntimeInitArgs, enable_linux_perf, 224);
size!(LoadArgs, 16);
offset!(LoadArgs, no_resolve, 10);
size!(InstantiationArgs, 12);
size!(wasm_val_t, 16);
offset!(wasm_val_t, of, 8);
size!(wasm_global_inst_t, 16);
size!(wasm_table_inst_t, 24);
offset!(wasm_table_inst_t, elems, 16);
size!(wasm_import_t, 32);
offset!(wasm_import_t, linked, 20);
offset!(wasm_import_t, u, 24);
size!(wasm_export_t, 24);
offset!(wasm_export_t, u, 16);
size!(wasm_section_t, 32);
size!(SharedHeapInitArgs, 16);
size!(WASMCApiFrame, 56);
