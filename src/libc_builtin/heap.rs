//! `malloc`, `calloc`, `realloc`, `free`, `strdup` (and `_strdup`), `__cxa_allocate_exception`:
//! allocation for the calling instance, served as `wasm_runtime_module_malloc` serves it
//! (the sealed app heap, else the module's exported `malloc`/`free`, else nothing).
//!
//! WAMR's rules: `malloc` failing returns 0; `calloc` computes `nmemb * size` in 64 bits and
//! refuses 4 GiB or more; `realloc` works only on the app heap and *traps* with
//! `out of memory` when it cannot (no heap, or no room); `free` checks 4 bytes at the pointer
//! first and ignores pointers no allocator owns; `free(0)` does nothing. The instance with
//! no memory at all traps with `uninitialized memory` on allocation.

#![forbid(unsafe_code)]

use super::{Args, range, space};
use crate::cap::Perms;
use crate::error::Trap;
use crate::runtime::Caller;
use crate::runtime::app_heap_module::{self as ahm, ModuleFreeError};

fn alloc(caller: &mut Caller<'_>, size: u64) -> Result<u64, Trap> {
    let Some(inst) = caller.instance() else {
        return Ok(0);
    };
    if space(caller).memory().is_none() {
        return Err(Trap::Host("uninitialized memory".into()));
    }
    ahm::module_malloc(caller, inst, size)
}

/// `void *malloc(size_t n)` `(i)i` (also `__cxa_allocate_exception`).
pub(super) fn malloc(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    alloc(caller, u64::from(a.u32(0)))
}

/// `void *calloc(size_t nmemb, size_t size)` `(ii)i`: zeroed.
pub(super) fn calloc(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let total = u64::from(a.u32(0)) * u64::from(a.u32(1));
    if total >= u64::from(u32::MAX) {
        return Ok(0);
    }
    let off = alloc(caller, total)?;
    if off != 0
        && let Some(m) = space(caller).memory()
    {
        m.fill(off, 0, total)?;
    }
    Ok(off)
}

/// `void *realloc(void *p, size_t n)` `(ii)i`: app heap only; failure traps with
/// `out of memory`, as WAMR.
pub(super) fn realloc(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let Some(inst) = caller.instance() else {
        return Err(Trap::Host("out of memory".into()));
    };
    match ahm::module_realloc(
        caller.store(),
        inst,
        u64::from(a.u32(0)),
        u64::from(a.u32(1)),
    ) {
        0 => Err(Trap::Host("out of memory".into())),
        off => Ok(off),
    }
}

/// `void free(void *p)` `(*)`.
pub(super) fn free(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let p = a.u32(0);
    range(caller, &space(caller), u64::from(p), 4, Perms::LOAD)?;
    let Some(inst) = caller.instance() else {
        return Ok(0);
    };
    match ahm::module_free(caller, inst, u64::from(p)) {
        // The module's own `free` trapped: that is the guest's trap.
        Err(ModuleFreeError::Trap(t)) => Err(t),
        // A pointer no allocator owns is ignored (the heap recorded a foreign one).
        _ => Ok(0),
    }
}

/// `char *strdup(const char *s)` `($)i` (also `_strdup`): a heap copy, or 0.
pub(super) fn strdup(caller: &mut Caller<'_>, a: &Args) -> Result<u64, Trap> {
    let s = a.str(0).as_bytes_with_nul().to_vec();
    let off = alloc(caller, s.len() as u64)?;
    if off != 0
        && let Some(m) = space(caller).memory()
    {
        m.write(off, &s)?;
    }
    Ok(off)
}
