//! WAMR's `mem_alloc.h`: the `mem_allocator_*` API over [`crate::os::pool`] (a heap inside
//! the caller's buffer). Thin wrappers: validate, delegate, log WAMR's `[GC_ERROR]` lines.
//!
//! # Invariants
//! - A `mem_allocator_t` is the address of a heap struct; it is only used after
//!   [`Pool::from_raw`] found a live heap's mark there. Passing anything else that is not
//!   readable is the caller's error, as with WAMR (the handle is a plain pointer in its ABI).
//! - Buffers from C are only touched for the length the caller passed.

use std::ffi::c_void;

use super::ctypes::mem_alloc_info_t;
use crate::capi::ffi::{LOG_ERROR, guard, log};
use crate::os::pool::{
    APP_HEAP_SIZE_MIN, AllocError, FreeError, HEAP_STRUCT_SIZE, InitError, MigrateError, Pool,
};

fn init_failed(e: InitError, size: u32, struct_size: u32) {
    let msg = match e {
        InitError::Null => "[GC_ERROR]heap init buf is NULL\n".to_string(),
        InitError::TooSmall(min) => format!("[GC_ERROR]heap init buf size ({size}) < {min}\n"),
        InitError::StructUnaligned => "[GC_ERROR]heap init struct buf not 8-byte aligned\n".into(),
        InitError::StructTooSmall => {
            format!("[GC_ERROR]heap init struct buf size ({struct_size}) < {HEAP_STRUCT_SIZE}\n")
        }
        InitError::PoolUnaligned => "[GC_ERROR]heap init pool buf not 8-byte aligned\n".into(),
    };
    log(LOG_ERROR, &msg);
}

/// The heap behind a handle, if it is one.
fn heap(a: *mut c_void) -> Option<Pool> {
    // SAFETY: a handle from `mem_allocator_create*` points to a readable heap struct (module
    // invariant: the caller passes what create returned).
    unsafe { Pool::from_raw(a) }
}

fn alloc_result(r: Result<std::ptr::NonNull<u8>, AllocError>) -> *mut c_void {
    match r {
        Ok(p) => p.as_ptr().cast(),
        Err(AllocError::Corrupted) => {
            log(
                LOG_ERROR,
                "[GC_ERROR]Heap is corrupted, allocate memory failed.\n",
            );
            std::ptr::null_mut()
        }
        Err(_) => std::ptr::null_mut(),
    }
}

/// Create a heap in `size` bytes at `mem` (the heap struct at its start).
///
/// # Safety
/// `mem` is NULL or has `size` writable bytes, lent to the heap until it is destroyed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mem_allocator_create(mem: *mut c_void, size: u32) -> *mut c_void {
    guard("mem_allocator_create", std::ptr::null_mut(), || {
        // SAFETY: forwarded contract.
        match unsafe { Pool::create(mem.cast(), size) } {
            Ok(p) => p.as_raw(),
            Err(e) => {
                init_failed(e, size, 0);
                std::ptr::null_mut()
            }
        }
    })
}

/// Create a heap whose struct is in `struct_buf` and whose blocks fill `pool_buf`.
///
/// # Safety
/// Each buffer is NULL or has its size in writable bytes; they are disjoint and lent to the
/// heap until it is destroyed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mem_allocator_create_with_struct_and_pool(
    struct_buf: *mut c_void,
    struct_buf_size: u32,
    pool_buf: *mut c_void,
    pool_buf_size: u32,
) -> *mut c_void {
    guard(
        "mem_allocator_create_with_struct_and_pool",
        std::ptr::null_mut(),
        || {
            // SAFETY: forwarded contract.
            let r = unsafe {
                Pool::create_with_struct(
                    struct_buf.cast(),
                    struct_buf_size,
                    pool_buf.cast(),
                    pool_buf_size,
                )
            };
            match r {
                Ok(p) => p.as_raw(),
                Err(e) => {
                    init_failed(e, pool_buf_size, struct_buf_size);
                    std::ptr::null_mut()
                }
            }
        },
    )
}

/// Destroy a heap (0 = `GC_SUCCESS`); the memory is the caller's again.
#[unsafe(no_mangle)]
pub extern "C" fn mem_allocator_destroy(allocator: *mut c_void) -> i32 {
    guard("mem_allocator_destroy", -1, || match heap(allocator) {
        Some(p) => {
            // SAFETY: the caller stops using the heap and its blocks (WAMR's contract).
            unsafe { p.destroy() };
            0
        }
        None => -1,
    })
}

/// Size of the heap struct (`mem_allocator_create_with_struct_and_pool` needs this much).
#[unsafe(no_mangle)]
pub extern "C" fn mem_allocator_get_heap_struct_size() -> u32 {
    guard(
        "mem_allocator_get_heap_struct_size",
        HEAP_STRUCT_SIZE,
        || HEAP_STRUCT_SIZE,
    )
}

/// Allocate `size` bytes, 8-byte aligned; NULL on failure.
#[unsafe(no_mangle)]
pub extern "C" fn mem_allocator_malloc(allocator: *mut c_void, size: u32) -> *mut c_void {
    guard("mem_allocator_malloc", std::ptr::null_mut(), || {
        heap(allocator).map_or(std::ptr::null_mut(), |p| alloc_result(p.malloc(size)))
    })
}

/// Resize a block (`ptr` NULL = malloc); NULL on failure, the block unchanged.
#[unsafe(no_mangle)]
pub extern "C" fn mem_allocator_realloc(
    allocator: *mut c_void,
    ptr: *mut c_void,
    size: u32,
) -> *mut c_void {
    guard("mem_allocator_realloc", std::ptr::null_mut(), || {
        heap(allocator).map_or(std::ptr::null_mut(), |p| {
            alloc_result(p.realloc(ptr.cast(), size))
        })
    })
}

/// Free a block (NULL is ignored).
#[unsafe(no_mangle)]
pub extern "C" fn mem_allocator_free(allocator: *mut c_void, ptr: *mut c_void) {
    guard("mem_allocator_free", (), || {
        if ptr.is_null() {
            return;
        }
        if let Some(p) = heap(allocator) {
            if p.free(ptr.cast()) == Err(FreeError::Corrupted) {
                log(
                    LOG_ERROR,
                    "[GC_ERROR]Heap is corrupted, free memory failed.\n",
                );
            }
        }
    })
}

/// Allocate `size` bytes aligned to `alignment` (a power of two up to the page size; `size` a
/// multiple of it).
#[unsafe(no_mangle)]
pub extern "C" fn mem_allocator_malloc_aligned(
    allocator: *mut c_void,
    size: u32,
    alignment: u32,
) -> *mut c_void {
    guard("mem_allocator_malloc_aligned", std::ptr::null_mut(), || {
        heap(allocator).map_or(std::ptr::null_mut(), |p| {
            alloc_result(p.malloc_aligned(size, alignment.max(1)))
        })
    })
}

/// Point the heap at `pool_buf_new` after the caller copied its pool there (0 / -1).
///
/// # Safety
/// `pool_buf_new` has `pool_buf_size` writable bytes holding a copy of the old pool buffer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mem_allocator_migrate(
    allocator: *mut c_void,
    pool_buf_new: *mut std::ffi::c_char,
    pool_buf_size: u32,
) -> i32 {
    guard("mem_allocator_migrate", -1, || {
        let Some(p) = heap(allocator) else {
            return -1;
        };
        // SAFETY: forwarded contract.
        match unsafe { p.migrate(pool_buf_new.cast(), pool_buf_size) } {
            Ok(()) => 0,
            Err(e) => {
                log(
                    LOG_ERROR,
                    match e {
                        MigrateError::Unaligned => {
                            "[GC_ERROR]heap migrate pool buf not 8-byte aligned\n"
                        }
                        MigrateError::TooSmall => "[GC_ERROR]heap migrate invalid pool buf size\n",
                        MigrateError::Corrupted => {
                            "[GC_ERROR]Heap is corrupted, heap migrate failed.\n"
                        }
                    },
                );
                -1
            }
        }
    })
}

/// Whether the heap found its metadata overwritten.
#[unsafe(no_mangle)]
pub extern "C" fn mem_allocator_is_heap_corrupted(allocator: *mut c_void) -> bool {
    guard("mem_allocator_is_heap_corrupted", false, || {
        heap(allocator).is_some_and(Pool::is_corrupted)
    })
}

/// Fill a `mem_alloc_info_t` (total, free and high-water bytes of the block area).
///
/// # Safety
/// `mem_alloc_info` is NULL or points to a writable `mem_alloc_info_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn mem_allocator_get_alloc_info(
    allocator: *mut c_void,
    mem_alloc_info: *mut c_void,
) -> bool {
    guard("mem_allocator_get_alloc_info", false, || {
        let out = mem_alloc_info.cast::<mem_alloc_info_t>();
        let Some(p) = heap(allocator) else {
            return false;
        };
        if out.is_null() || out as usize % std::mem::align_of::<mem_alloc_info_t>() != 0 {
            return false;
        }
        let s = p.stats();
        // SAFETY: non-null, aligned and writable per the contract.
        unsafe {
            out.write(mem_alloc_info_t {
                total_size: s.total,
                total_free_size: s.free,
                highmark_size: s.highmark,
            })
        };
        true
    })
}

const _: () = assert!(APP_HEAP_SIZE_MIN == 256);
