//! Traps: `wasm_trap_new`, `wasm_trap_message`, `wasm_trap_origin`, `wasm_trap_trace`, and
//! the conversion of runtime traps into C trap objects.
//!
//! A trap's message is a NUL-terminated byte vector (except for `wasm_trap_new`, which keeps
//! the caller's bytes exactly, as WAMR does). Traps raised by WebAssembly (or by a
//! host callback through it) read `Exception: <message>` as in WAMR. Frames are the
//! interpreter's call stack at the trap, innermost first (the trapping instruction, then each
//! caller's call site).
//!
//! # Invariants
//! Message vectors are read and output vectors written only as the C API contract allows.

use std::ffi::c_void;
use std::sync::Arc;

use super::frame::{FrameInfo, new_frame};
use super::refs::{EntityCore, Flavour, RefKind, delete_ref, new_ref, ref_arg};
use super::store::{StoreCore, store_arg};
use super::vec::{ByteVec, HandleVec, elems, new_empty, write_bytes, write_vec};
use crate::capi::ffi;
use crate::error::Trap;
use crate::runtime::{FuncAddr, FuncKind, Store};

/// What a trap carries.
#[derive(Debug, Clone, Default)]
pub struct TrapData {
    /// Message bytes, NUL-terminated.
    pub message: Vec<u8>,
    /// Frames, innermost first.
    pub frames: Vec<FrameInfo>,
}

impl TrapData {
    /// A trap with `msg` (a NUL is appended unless present).
    pub fn new(msg: &[u8], frames: Vec<FrameInfo>) -> TrapData {
        let mut message = msg.to_vec();
        if message.last() != Some(&0) {
            message.push(0);
        }
        TrapData { message, frames }
    }

    /// A trap whose message is exactly `msg` (`wasm_trap_new`: WAMR adds no NUL).
    pub fn exact(msg: &[u8]) -> TrapData {
        TrapData {
            message: msg.to_vec(),
            frames: Vec::new(),
        }
    }

    /// The message without the NUL.
    pub fn text(&self) -> String {
        let end = self
            .message
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.message.len());
        String::from_utf8_lossy(&self.message[..end]).into_owned()
    }
}

/// A new trap object of `store`.
pub fn new_trap(api: &str, store: &Arc<StoreCore>, data: TrapData) -> *mut c_void {
    let core = Arc::new(EntityCore::new_trap(data));
    new_ref(api, store, RefKind::Trap, Some(core), Flavour::Trap)
}

/// The frame of the WebAssembly function `func` (None for host functions).
pub fn entry_frame(store: &Store, func: FuncAddr) -> Option<FrameInfo> {
    let FuncKind::Wasm { instance, def } = store.func(func)?.kind() else {
        return None;
    };
    let inst = store.instance(*instance)?;
    let m = &inst.module().inner;
    Some(FrameInfo {
        instance: *instance,
        func_index: m.num_imported_funcs + def.0,
        func_offset: 0,
        module_offset: m.bodies.get(def.index()).map_or(0, |b| b.range.start),
    })
}

/// The frames of the trap `store` just reported for a call of `func`: the interpreter's call
/// stack when wasm code trapped, else (a host function or unlinked import called directly)
/// the entered function alone.
pub fn trap_frames(store: &Store, func: FuncAddr) -> Vec<FrameInfo> {
    let frames = store.last_trap_frames();
    if frames.is_empty() {
        return entry_frame(store, func).into_iter().collect();
    }
    frames
        .iter()
        .map(|f| FrameInfo {
            instance: f.instance,
            func_index: f.func_index,
            func_offset: f.func_offset as usize,
            module_offset: f.module_offset as usize,
        })
        .collect()
}

/// A trap object for a runtime trap (message `Exception: ...`).
pub fn trap_from_runtime(
    api: &str,
    store: &Arc<StoreCore>,
    t: &Trap,
    frames: Vec<FrameInfo>,
) -> *mut c_void {
    new_trap(
        api,
        store,
        TrapData::new(t.exception_string().as_bytes(), frames),
    )
}

/// The message of a trap object returned by a host callback, deleting the object (the
/// callback passed ownership). `None` if `p` is not a valid trap.
pub fn take_callback_trap(api: &str, p: *mut c_void) -> Option<String> {
    let a = ref_arg(api, p, Flavour::Trap, None)?;
    let msg = a.get().core.trap.as_ref().map(TrapData::text);
    drop(a);
    delete_ref(api, p, Flavour::Trap);
    msg
}

fn with_trap<R>(
    api: &str,
    p: *const c_void,
    f: impl FnOnce(&StoreCore, &TrapData) -> R,
) -> Option<R> {
    let a = ref_arg(api, p, Flavour::Trap, None)?;
    let r = a.get();
    let data = r.core.trap.as_ref()?;
    Some(f(&r.store, data))
}

/// `wasm_trap_new`: a trap with an exact copy of `message` (no NUL added, as in WAMR).
///
/// # Safety
/// `message` is NULL or a valid byte vector.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_trap_new(store: *mut c_void, message: *const ByteVec) -> *mut c_void {
    ffi::guard("wasm_trap_new", std::ptr::null_mut(), || {
        let api = "wasm_trap_new";
        let Some(core) = store_arg(api, store) else {
            return std::ptr::null_mut();
        };
        // SAFETY: forwarded caller contract.
        let Some(bytes) = (unsafe { elems(message) }) else {
            super::handles::misuse(api, "invalid message vector");
            return std::ptr::null_mut();
        };
        new_trap(api, &core, TrapData::exact(bytes))
    })
}

/// `wasm_trap_message`: a copy of the message (NUL-terminated, `size` counting the NUL,
/// except for a `wasm_trap_new` message, copied as given).
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_trap_message(trap: *const c_void, out: *mut ByteVec) {
    ffi::guard("wasm_trap_message", (), || {
        let msg = with_trap("wasm_trap_message", trap, |_, d| d.message.clone());
        // SAFETY: forwarded caller contract.
        unsafe {
            match msg {
                Some(m) => write_bytes(out, &m),
                None => new_empty(out),
            }
        }
    })
}

/// `wasm_trap_origin`: the innermost frame, or NULL.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_trap_origin(trap: *const c_void) -> *mut c_void {
    ffi::guard("wasm_trap_origin", std::ptr::null_mut(), || {
        let api = "wasm_trap_origin";
        let Some(a) = ref_arg(api, trap, Flavour::Trap, None) else {
            return std::ptr::null_mut();
        };
        let r = a.get();
        match r.core.trap.as_ref().and_then(|d| d.frames.first()) {
            Some(f) => new_frame(api, &r.store, *f),
            None => std::ptr::null_mut(),
        }
    })
}

/// `wasm_trap_trace`: all frames, innermost first.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_trap_trace(trap: *const c_void, out: *mut HandleVec) {
    ffi::guard("wasm_trap_trace", (), || {
        let api = "wasm_trap_trace";
        let frames: Vec<usize> = ref_arg(api, trap, Flavour::Trap, None)
            .map(|a| {
                let r = a.get();
                r.core.trap.as_ref().map_or(Vec::new(), |d| {
                    d.frames
                        .iter()
                        .map(|f| new_frame(api, &r.store, *f) as usize)
                        .filter(|&h| h != 0)
                        .collect()
                })
            })
            .unwrap_or_default();
        // SAFETY: forwarded caller contract.
        unsafe { write_vec(out, &frames) }
    })
}
