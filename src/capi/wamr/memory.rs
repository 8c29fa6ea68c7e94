//! Linear memory instances and address translation: memory lookup, page counts, base
//! address, enlarge (+ the error callback), app-address validation and translation in both
//! directions, range queries, and the app heap (`wasm_runtime_module_malloc` & co.).
//!
//! Memories are reserved at their maximum size and never move, so native pointers handed out
//! here stay valid across `memory.grow` and until the instance is destroyed (compat mode of
//! capability-model §3). Every range check uses 64-bit arithmetic. A failed
//! `validate_app_addr`/`_str_addr`/`_native_addr` sets `out of bounds memory access` on the
//! instance, as WAMR does. As in WAMR, validation and translation also accept addresses inside
//! the shared heap attached to the instance (`shared_heap.rs`); the range queries do not.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use parking_lot::Mutex;

use super::ctypes::*;
use super::handles::{self, api_error, reg};
use super::objects::{InstObj, MemObj, TableObj};
use crate::cap::{OType, OwnerId, Perms, SealedHandle};
use crate::capi::ffi::guard;
use crate::error::TrapCode;
use crate::runtime::{Extern, LinearMemory, TableAddr, shared_heap};
use crate::types::WASM_PAGE_SIZE;

/// The cached handle of memory `index` of `inst`.
pub(crate) fn mem_handle(inst: &InstObj, index: u32) -> Option<SealedHandle> {
    if let Some(h) = inst.mem_handles.lock().get(&index) {
        return Some(*h);
    }
    let mem = inst.instance()?.memories.get(index as usize)?.clone();
    let mut cache = inst.mem_handles.lock();
    if let Some(h) = cache.get(&index) {
        return Some(*h);
    }
    let obj = Arc::new(MemObj { mem });
    let h = reg()
        .memories
        .insert(OType::MEMORY, OwnerId::new(inst.id), obj)
        .ok()?;
    cache.insert(index, h);
    Some(h)
}

/// The cached handle of table `addr` of `inst`.
pub(crate) fn table_handle(inst: &InstObj, addr: TableAddr) -> Option<SealedHandle> {
    let mut cache = inst.table_handles.lock();
    if let Some(h) = cache.get(&addr.0) {
        return Some(*h);
    }
    let h = reg()
        .tables
        .insert(
            OType::TABLE,
            OwnerId::new(inst.id),
            Arc::new(TableObj { addr }),
        )
        .ok()?;
    cache.insert(addr.0, h);
    Some(h)
}

/// Strict mode (`CWAMR_STRICT=1`, capability-model section 3): no raw pointers into linear
/// memory are handed to C (`addr_app_to_native`, the memory base, native address ranges,
/// `module_malloc`'s native out-parameter give NULL/false); bounded views are the way in.
pub(crate) fn strict_mode() -> bool {
    static STRICT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *STRICT.get_or_init(|| std::env::var("CWAMR_STRICT").is_ok_and(|v| v == "1"))
}

const STRICT_REFUSAL: &str =
    "strict mode (CWAMR_STRICT=1): raw pointers into linear memory are not handed out";

/// Memory 0 of an instance.
fn mem0(inst: &InstObj) -> Option<Arc<LinearMemory>> {
    inst.instance()?.memories.first().cloned()
}

/// Native address of `[app, app + size)` when it lies in the shared heap attached to `inst`
/// (WAMR's address functions accept shared-heap addresses before linear-memory ones).
fn shared_app(inst: &InstObj, app: u64, size: u64) -> Option<*mut u8> {
    let i = inst.instance()?;
    i.memory0()?;
    shared_heap::app_to_native(&i.compartment, app, size, Perms::LOAD.union(Perms::STORE))
}

/// App offset of `[p, p + size)` when it lies in the shared heap attached to `inst`.
fn shared_native(inst: &InstObj, p: *const c_void, size: u64) -> Option<u64> {
    let i = inst.instance()?;
    i.memory0()?;
    shared_heap::native_to_app(&i.compartment, p as usize, size)
}

/// Whether a NUL-terminated string starts at `app` inside the attached shared heap (`None`:
/// `app` is not in it).
fn shared_cstr(inst: &InstObj, app: u64) -> Option<bool> {
    let i = inst.instance()?;
    i.memory0()?;
    shared_heap::read_cstr(&i.compartment, app, usize::MAX).map(|s| s.is_some())
}

fn oob(inst: &InstObj) {
    inst.set_exception(Some(TrapCode::MemoryOutOfBounds.message()));
}

/// Find an exported memory by name.
///
/// # Safety
/// `name` is NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_lookup_memory(
    module_inst: wasm_module_inst_t,
    name: *const c_char,
) -> wasm_memory_inst_t {
    guard("wasm_runtime_lookup_memory", std::ptr::null_mut(), || {
        let Some(inst) = handles::instance("wasm_runtime_lookup_memory", module_inst) else {
            return std::ptr::null_mut();
        };
        // SAFETY: per the contract.
        let Some(name) = (unsafe { crate::capi::ffi::str_from(name) }) else {
            return std::ptr::null_mut();
        };
        let Some(rt) = inst.instance() else {
            return std::ptr::null_mut();
        };
        let Some(e) = rt.module().export(name) else {
            return std::ptr::null_mut();
        };
        if !matches!(rt.export(name), Some(Extern::Memory(_))) {
            return std::ptr::null_mut();
        }
        mem_handle(&inst, e.index).map_or(std::ptr::null_mut(), |h| h.to_ptr())
    })
}

/// Memory 0.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_default_memory(
    module_inst: wasm_module_inst_t,
) -> wasm_memory_inst_t {
    guard(
        "wasm_runtime_get_default_memory",
        std::ptr::null_mut(),
        || {
            let Some(inst) = handles::instance("wasm_runtime_get_default_memory", module_inst)
            else {
                return std::ptr::null_mut();
            };
            mem_handle(&inst, 0).map_or(std::ptr::null_mut(), |h| h.to_ptr())
        },
    )
}

/// Memory `index`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_memory(
    module_inst: wasm_module_inst_t,
    index: u32,
) -> wasm_memory_inst_t {
    guard("wasm_runtime_get_memory", std::ptr::null_mut(), || {
        let Some(inst) = handles::instance("wasm_runtime_get_memory", module_inst) else {
            return std::ptr::null_mut();
        };
        mem_handle(&inst, index).map_or(std::ptr::null_mut(), |h| h.to_ptr())
    })
}

/// Current size in pages.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_get_cur_page_count(memory_inst: wasm_memory_inst_t) -> u64 {
    guard("wasm_memory_get_cur_page_count", 0, || {
        handles::memory("wasm_memory_get_cur_page_count", memory_inst).map_or(0, |m| m.mem.pages())
    })
}

/// Maximum size in pages.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_get_max_page_count(memory_inst: wasm_memory_inst_t) -> u64 {
    guard("wasm_memory_get_max_page_count", 0, || {
        handles::memory("wasm_memory_get_max_page_count", memory_inst)
            .map_or(0, |m| m.mem.max_pages())
    })
}

/// 65536.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_get_bytes_per_page(memory_inst: wasm_memory_inst_t) -> u64 {
    guard("wasm_memory_get_bytes_per_page", 0, || {
        handles::memory("wasm_memory_get_bytes_per_page", memory_inst).map_or(0, |_| WASM_PAGE_SIZE)
    })
}

/// True for a memory declared `shared`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_get_shared(memory_inst: wasm_memory_inst_t) -> bool {
    guard("wasm_memory_get_shared", false, || {
        handles::memory("wasm_memory_get_shared", memory_inst).is_some_and(|m| m.mem.ty().shared)
    })
}

/// Base address of the memory (stable: the memory never moves).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_get_base_address(memory_inst: wasm_memory_inst_t) -> *mut c_void {
    guard("wasm_memory_get_base_address", std::ptr::null_mut(), || {
        if strict_mode() {
            api_error("wasm_memory_get_base_address", STRICT_REFUSAL);
            return std::ptr::null_mut();
        }
        handles::memory("wasm_memory_get_base_address", memory_inst)
            .map_or(std::ptr::null_mut(), |m| m.mem.base().cast())
    })
}

struct EnlargeCallback {
    cb: enlarge_memory_error_callback_t,
    user_data: usize,
}

static ENLARGE_CB: Mutex<EnlargeCallback> = Mutex::new(EnlargeCallback {
    cb: None,
    user_data: 0,
});

fn enlarge(m: &MemObj, inc: u64) -> bool {
    // A failure reaches the enlarge-error callback through the memory's hook.
    m.mem.grow(inc).is_some()
}

/// Make failed grows of `inst`'s memories (by `memory.grow` or the API) call the embedder's
/// enlarge-error callback, as WAMR does.
pub(crate) fn install_enlarge_hooks(
    inst_id: u64,
    inst_handle: SealedHandle,
    memories: &[Arc<LinearMemory>],
) {
    for (index, mem) in memories.iter().enumerate() {
        let index = index as u32;
        mem.set_grow_failure_hook(Box::new(move |mem, inc| {
            // A grow by wasm code runs inside a call of this instance on this thread: the
            // callback gets that call's exec env (NULL for an API enlarge outside a call).
            let env = super::active::innermost()
                .filter(|f| f.inst_id == inst_id)
                .map_or(SealedHandle::NULL, |f| f.env);
            enlarge_failed(mem, index, inst_handle, env, inc)
        }));
    }
}

fn enlarge_failed(
    mem: &LinearMemory,
    index: u32,
    inst_handle: SealedHandle,
    env: SealedHandle,
    inc: u64,
) {
    let reason = if mem
        .pages()
        .checked_add(inc)
        .is_none_or(|n| n > mem.max_pages())
    {
        MAX_SIZE_REACHED
    } else {
        INTERNAL_ERROR
    };
    let (cb, ud) = {
        let g = ENLARGE_CB.lock();
        (g.cb, g.user_data)
    };
    if let Some(cb) = cb {
        // SAFETY: the embedder registered this callback with the documented prototype.
        unsafe {
            cb(
                inc.min(u64::from(u32::MAX)) as u32,
                mem.len() as u64,
                index,
                reason,
                inst_handle.to_ptr(),
                env.to_ptr(),
                ud as *mut c_void,
            )
        };
    }
}

/// Grow a memory by `inc_page_count` pages.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_memory_enlarge(
    memory_inst: wasm_memory_inst_t,
    inc_page_count: u64,
) -> bool {
    guard("wasm_memory_enlarge", false, || {
        handles::memory("wasm_memory_enlarge", memory_inst)
            .is_some_and(|m| enlarge(&m, inc_page_count))
    })
}

/// Grow memory 0 by `inc_page_count` pages.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_enlarge_memory(
    module_inst: wasm_module_inst_t,
    inc_page_count: u64,
) -> bool {
    guard("wasm_runtime_enlarge_memory", false, || {
        const API: &str = "wasm_runtime_enlarge_memory";
        let Some(inst) = handles::instance(API, module_inst) else {
            return false;
        };
        let Some(h) = mem_handle(&inst, 0) else {
            api_error(API, "the instance has no memory");
            return false;
        };
        match reg()
            .memories
            .get(h, OType::MEMORY, Some(OwnerId::new(inst.id)))
        {
            Ok(m) => enlarge(&m, inc_page_count),
            Err(_) => false,
        }
    })
}

/// Callback invoked when growing a memory fails (`memory.grow` or an API enlarge).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_set_enlarge_mem_error_callback(
    callback: enlarge_memory_error_callback_t,
    user_data: *mut c_void,
) {
    guard("wasm_runtime_set_enlarge_mem_error_callback", (), || {
        *ENLARGE_CB.lock() = EnlargeCallback {
            cb: callback,
            user_data: user_data as usize,
        };
    })
}

/// True if `[app_offset, app_offset + size)` is inside memory 0; otherwise false and the
/// exception `out of bounds memory access`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_validate_app_addr(
    module_inst: wasm_module_inst_t,
    app_offset: u64,
    size: u64,
) -> bool {
    guard("wasm_runtime_validate_app_addr", false, || {
        let Some(inst) = handles::instance("wasm_runtime_validate_app_addr", module_inst) else {
            return false;
        };
        let ok = shared_app(&inst, app_offset, size).is_some()
            || mem0(&inst).is_some_and(|m| m.check_range(app_offset, size).is_ok());
        if !ok {
            oob(&inst);
        }
        ok
    })
}

/// True if a NUL-terminated string starts at `app_str_offset` inside memory 0.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_validate_app_str_addr(
    module_inst: wasm_module_inst_t,
    app_str_offset: u64,
) -> bool {
    guard("wasm_runtime_validate_app_str_addr", false, || {
        let Some(inst) = handles::instance("wasm_runtime_validate_app_str_addr", module_inst)
        else {
            return false;
        };
        let ok = match shared_cstr(&inst, app_str_offset) {
            Some(found) => found,
            None => mem0(&inst).is_some_and(|m| m.read_cstr(app_str_offset, usize::MAX).is_ok()),
        };
        if !ok {
            oob(&inst);
        }
        ok
    })
}

/// Offset of `p` in `m` if `[p, p + size)` lies inside it.
fn native_offset(m: &LinearMemory, p: *const c_void, size: u64) -> Option<u64> {
    let base = m.base() as usize as u64;
    let off = (p as usize as u64).checked_sub(base)?;
    m.check_range(off, size).ok().map(|_| off)
}

/// True if `[native_ptr, native_ptr + size)` is inside memory 0.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_validate_native_addr(
    module_inst: wasm_module_inst_t,
    native_ptr: *mut c_void,
    size: u64,
) -> bool {
    guard("wasm_runtime_validate_native_addr", false, || {
        let Some(inst) = handles::instance("wasm_runtime_validate_native_addr", module_inst) else {
            return false;
        };
        let ok = shared_native(&inst, native_ptr, size).is_some()
            || mem0(&inst).is_some_and(|m| native_offset(&m, native_ptr, size).is_some());
        if !ok {
            oob(&inst);
        }
        ok
    })
}

/// Native address of app offset `app_offset` (NULL if outside memory 0).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_addr_app_to_native(
    module_inst: wasm_module_inst_t,
    app_offset: u64,
) -> *mut c_void {
    guard(
        "wasm_runtime_addr_app_to_native",
        std::ptr::null_mut(),
        || {
            let Some(inst) = handles::instance("wasm_runtime_addr_app_to_native", module_inst)
            else {
                return std::ptr::null_mut();
            };
            if strict_mode() {
                api_error("wasm_runtime_addr_app_to_native", STRICT_REFUSAL);
                return std::ptr::null_mut();
            }
            if let Some(p) = shared_app(&inst, app_offset, 1) {
                return p.cast();
            }
            match mem0(&inst) {
                Some(m) if app_offset < m.len() as u64 => {
                    m.base().wrapping_add(app_offset as usize).cast()
                }
                _ => std::ptr::null_mut(),
            }
        },
    )
}

/// App offset of native address `native_ptr` (0 if outside memory 0).
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_addr_native_to_app(
    module_inst: wasm_module_inst_t,
    native_ptr: *mut c_void,
) -> u64 {
    guard("wasm_runtime_addr_native_to_app", 0, || {
        let Some(inst) = handles::instance("wasm_runtime_addr_native_to_app", module_inst) else {
            return 0;
        };
        shared_native(&inst, native_ptr, 1)
            .or_else(|| mem0(&inst).and_then(|m| native_offset(&m, native_ptr, 1)))
            .unwrap_or(0)
    })
}

/// The app range `[start, end)` of the memory containing `app_offset`.
///
/// # Safety
/// Out-pointers are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_app_addr_range(
    module_inst: wasm_module_inst_t,
    app_offset: u64,
    p_app_start_offset: *mut u64,
    p_app_end_offset: *mut u64,
) -> bool {
    guard("wasm_runtime_get_app_addr_range", false, || {
        let Some(inst) = handles::instance("wasm_runtime_get_app_addr_range", module_inst) else {
            return false;
        };
        let Some(m) = mem0(&inst) else { return false };
        let len = m.len() as u64;
        if app_offset >= len {
            return false;
        }
        // SAFETY: NULL or writable per the contract.
        unsafe {
            if !p_app_start_offset.is_null() {
                p_app_start_offset.write(0);
            }
            if !p_app_end_offset.is_null() {
                p_app_end_offset.write(len);
            }
        }
        true
    })
}

/// The native range `[start, end)` of the memory containing `native_ptr`.
///
/// # Safety
/// Out-pointers are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_get_native_addr_range(
    module_inst: wasm_module_inst_t,
    native_ptr: *mut u8,
    p_native_start_addr: *mut *mut u8,
    p_native_end_addr: *mut *mut u8,
) -> bool {
    guard("wasm_runtime_get_native_addr_range", false, || {
        let Some(inst) = handles::instance("wasm_runtime_get_native_addr_range", module_inst)
        else {
            return false;
        };
        if strict_mode() {
            api_error("wasm_runtime_get_native_addr_range", STRICT_REFUSAL);
            return false;
        }
        let Some(m) = mem0(&inst) else { return false };
        if native_offset(&m, native_ptr.cast(), 1).is_none() {
            return false;
        }
        // SAFETY: NULL or writable per the contract.
        unsafe {
            if !p_native_start_addr.is_null() {
                p_native_start_addr.write(m.base());
            }
            if !p_native_end_addr.is_null() {
                p_native_end_addr.write(m.base().wrapping_add(m.len()));
            }
        }
        true
    })
}

/// The app heap operations over the capability core's sealed allocator. They run on the
/// instance's store, or re-entrantly on the caller of the running native (a module's own
/// exported `malloc` may be called).
pub(crate) mod heap {
    use super::super::active;
    use super::super::objects::InstObj;
    use crate::error::Trap;
    use crate::runtime::app_heap_module as ahm;

    fn lock(inst: &InstObj) -> Result<super::super::store_lock::StoreGuard<'_>, Trap> {
        inst.lock_store().map_err(|m| Trap::Host(m.into()))
    }

    pub fn malloc(inst: &InstObj, size: u64) -> Result<u64, Trap> {
        let a = inst.main_addr();
        active::with_caller(inst.id, |c| match c {
            Some(c) => ahm::module_malloc(c, a, size),
            None => ahm::module_malloc(&mut *lock(inst)?, a, size),
        })
    }

    pub fn free(inst: &InstObj, off: u64) -> Result<(), String> {
        let a = inst.main_addr();
        active::with_caller(inst.id, |c| match c {
            Some(c) => ahm::module_free(c, a, off).map_err(|e| e.to_string()),
            None => {
                let mut store = lock(inst).map_err(|t| t.to_string())?;
                ahm::module_free(&mut *store, a, off).map_err(|e| e.to_string())
            }
        })
    }

    pub fn dup_data(inst: &InstObj, data: &[u8]) -> Result<u64, Trap> {
        let a = inst.main_addr();
        active::with_caller(inst.id, |c| match c {
            Some(c) => ahm::module_dup_data(c, a, data),
            None => ahm::module_dup_data(&mut *lock(inst)?, a, data),
        })
    }
}

/// Allocate `size` bytes in the instance's app heap (or with the module's own exported
/// `malloc`); 0 on failure. `*p_native_addr` gets the native address (NULL in strict mode).
///
/// # Safety
/// `p_native_addr` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_module_malloc(
    module_inst: wasm_module_inst_t,
    size: u64,
    p_native_addr: *mut *mut c_void,
) -> u64 {
    guard("wasm_runtime_module_malloc", 0, || {
        const API: &str = "wasm_runtime_module_malloc";
        let Some(inst) = handles::instance(API, module_inst) else {
            return 0;
        };
        let off = match heap::malloc(&inst, size) {
            Ok(o) => o,
            Err(t) => {
                super::exception::record_trap(&inst, &t);
                return 0;
            }
        };
        // A failed allocation was logged by `module_malloc` (WAMR's warning).
        if off != 0 && !p_native_addr.is_null() {
            let p = match mem0(&inst) {
                Some(m) if !strict_mode() => m.base().wrapping_add(off as usize).cast(),
                _ => std::ptr::null_mut(),
            };
            // SAFETY: non-null and writable per the contract.
            unsafe { p_native_addr.write(p) };
        }
        off
    })
}

/// Free an app-heap block: only the exact start of a live block of this instance; anything
/// else is refused (recorded as a violation) and changes nothing.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_module_free(module_inst: wasm_module_inst_t, ptr: u64) {
    guard("wasm_runtime_module_free", (), || {
        const API: &str = "wasm_runtime_module_free";
        let Some(inst) = handles::instance(API, module_inst) else {
            return;
        };
        if ptr == 0 {
            return;
        }
        if let Err(e) = heap::free(&inst, ptr) {
            api_error(API, &format!("free of {ptr:#x} refused: {e}"));
        }
    })
}

/// Copy `size` bytes into a new app-heap block (0 on failure).
///
/// # Safety
/// `src` has `size` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_module_dup_data(
    module_inst: wasm_module_inst_t,
    src: *const c_char,
    size: u64,
) -> u64 {
    guard("wasm_runtime_module_dup_data", 0, || {
        const API: &str = "wasm_runtime_module_dup_data";
        let Some(inst) = handles::instance(API, module_inst) else {
            return 0;
        };
        let Ok(n) = usize::try_from(size) else {
            return 0;
        };
        // SAFETY: `src` has `size` readable bytes per the contract.
        let Some(data) = (unsafe { crate::capi::ffi::slice_from(src.cast::<u8>(), n) }) else {
            api_error(API, "src is NULL");
            return 0;
        };
        match heap::dup_data(&inst, data) {
            Ok(o) => o,
            Err(t) => {
                super::exception::record_trap(&inst, &t);
                0
            }
        }
    })
}
