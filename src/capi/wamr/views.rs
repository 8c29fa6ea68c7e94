//! `cwamr.h` memory views (capability-model section 3, strict mode): `cwamr_view_acquire`,
//! `cwamr_view_valid`, `cwamr_view_release` over the capability core's view table.
//!
//! A view is a bounded grant `{ptr, offset, len, perms}` of exactly the range asked for, named
//! by a sealed `OT_MEMVIEW` handle. While a view is held its instance cannot be destroyed
//! (`wasm_runtime_deinstantiate` refuses); releasing twice is refused.

use std::ffi::c_void;

use super::ctypes::*;
use super::handles::{self, api_error};
use crate::cap::{OType, Perms, SealedHandle};
use crate::capi::ffi::guard;
use crate::runtime::guest::views;

/// `cwamr_view_t`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct cwamr_view_t {
    /// Native address of the first byte.
    pub ptr: *mut u8,
    /// App offset of the first byte.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
    /// `CWAMR_VIEW_READ` and/or `CWAMR_VIEW_WRITE`.
    pub perms: u32,
    /// The sealed handle naming the view.
    pub handle: *mut c_void,
}

const _: () = assert!(std::mem::size_of::<cwamr_view_t>() == 40);

/// Acquire a view of `[offset, offset + length)` of the instance's memory 0 with `perms`.
///
/// # Safety
/// `view` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cwamr_view_acquire(
    inst: wasm_module_inst_t,
    offset: u64,
    length: u64,
    perms: u32,
    view: *mut cwamr_view_t,
) -> bool {
    guard("cwamr_view_acquire", false, || {
        const API: &str = "cwamr_view_acquire";
        let Some(obj) = handles::instance(API, inst) else {
            return false;
        };
        if view.is_null() {
            api_error(API, "view is NULL");
            return false;
        }
        let Some(p) = Perms::from_bits(perms) else {
            api_error(API, &format!("unknown permission bits {perms:#x}"));
            return false;
        };
        let Some(r) = obj.with_store(|s| {
            let a = s.newest_instance();
            views().acquire(s, a, offset, length, p)
        }) else {
            return false;
        };
        match r {
            Ok((h, info)) => {
                let v = cwamr_view_t {
                    ptr: info.ptr,
                    offset: info.offset,
                    len: info.len,
                    perms: info.perms.bits(),
                    handle: h.to_ptr(),
                };
                // SAFETY: non-null and writable per the contract.
                unsafe { view.write(v) };
                true
            }
            Err(e) => {
                api_error(API, &e.to_string());
                false
            }
        }
    })
}

fn view_handle(view: *const cwamr_view_t) -> Option<SealedHandle> {
    if view.is_null() {
        return None;
    }
    // SAFETY: non-null; the caller passes a view filled by cwamr_view_acquire.
    Some(SealedHandle::from_ptr(unsafe { (*view).handle }))
}

/// True while the view is held and its instance lives.
///
/// # Safety
/// `view` is NULL or a view filled by [`cwamr_view_acquire`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cwamr_view_valid(view: *const cwamr_view_t) -> bool {
    guard("cwamr_view_valid", false, || {
        view_handle(view).is_some_and(|h| views().valid(h))
    })
}

/// Release a view (false if it is not held).
///
/// # Safety
/// `view` is NULL or a view filled by [`cwamr_view_acquire`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cwamr_view_release(view: *mut cwamr_view_t) -> bool {
    guard("cwamr_view_release", false, || {
        let Some(h) = view_handle(view) else {
            api_error("cwamr_view_release", "view is NULL");
            return false;
        };
        match views().release(h) {
            Ok(()) => true,
            Err(e) => {
                handles::reject("cwamr_view_release", "view", h, OType::MEMVIEW, e);
                false
            }
        }
    })
}

/// Number of views held on an instance (deinstantiation is refused while it is not 0).
pub(crate) fn views_held(obj: &super::objects::InstObj) -> u32 {
    obj.with_store(|s| {
        crate::runtime::compartment::of(s, s.newest_instance()).map_or(0, |c| c.views_held())
    })
    .unwrap_or(0)
}
