//! WAMR's 40-byte C API vectors (`size, data, num_elems, size_of_elem, lock`) and the
//! `wasm_*_vec_*` functions of all twelve vector types.
//!
//! Vectors are by-value C structs; their `data` arrays are real memory. An array handed to C
//! as the contents of an *owned* vector is allocated here and recorded in a registry, so
//! `wasm_*_vec_delete` frees only arrays this runtime allocated, with their real length: a
//! stack array (`WASM_ARRAY_VEC`), a stale copy of an already deleted vector or a vector
//! owned by an object (`wasm_functype_params`) is reported and left alone instead of being
//! freed. Pointer vectors hold sealed handles as elements and own them: deleting the vector
//! deletes its first `num_elems` elements, as WAMR does; copying deep-copies every element.
//!
//! # Invariants
//! - every address whose [`key`] is in `ARRAYS` is the start of a live `Box<[T]>` leaked by
//!   [`alloc_array`] with the recorded length and element size, and is removed from the
//!   registry before the box is rebuilt and dropped (so it is freed at most once);
//! - the `unsafe` functions read or write the C caller's vector structs and arrays, which the
//!   C API contract makes the caller responsible for (each states it under `# Safety`).

use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::LazyLock;

use parking_lot::Mutex;

use super::handles::misuse;
use crate::capi::ffi;

/// A WAMR C API vector (`wasm_<name>_vec_t`), 40 bytes on LP64.
#[repr(C)]
#[derive(Debug)]
pub struct RawVec<T> {
    /// Number of elements (capacity in WAMR's terms).
    pub size: usize,
    /// The element array (NULL when empty).
    pub data: *mut T,
    /// Elements in use.
    pub num_elems: usize,
    /// `sizeof` one element.
    pub size_of_elem: usize,
    /// Reserved (WAMR's vector lock); always NULL here.
    pub lock: *mut c_void,
}

impl<T> RawVec<T> {
    /// The all-zero (empty) vector.
    pub const EMPTY: RawVec<T> = RawVec {
        size: 0,
        data: std::ptr::null_mut(),
        num_elems: 0,
        size_of_elem: 0,
        lock: std::ptr::null_mut(),
    };
}

/// A `wasm_val_t`: kind, seven padding bytes, and an 8-byte payload union, 16 bytes.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WasmVal {
    /// `wasm_valkind_t`.
    pub kind: u8,
    /// `_paddings`.
    pub pad: [u8; 7],
    /// The union `of`, as its raw 64 bits (i32/f32 in the low half).
    pub of: u64,
}

/// Byte vectors (`wasm_byte_vec_t`, `wasm_name_t`, `wasm_message_t`).
pub type ByteVec = RawVec<u8>;
/// `wasm_val_vec_t`.
pub type ValVec = RawVec<WasmVal>;
/// Vectors of object pointers (sealed handles).
pub type HandleVec = RawVec<usize>;

/// Live arrays handed to C inside owned vectors: [`key`] of the address -> (length,
/// element size).
static ARRAYS: LazyLock<Mutex<HashMap<usize, (usize, usize)>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The registry key of an array address. The registry does not hold the address itself, so
/// an array that the C program never deletes is unreachable for LeakSanitizer and reported
/// as the leak it is.
pub fn key(addr: usize) -> usize {
    addr.rotate_left(29) ^ 0x5a5a_5a5a_5a5a_5a5a_u64 as usize
}

/// Allocates a zeroed array of `n` elements owned by a C vector (NULL for `n == 0`).
pub fn alloc_array<T: Copy + Default>(n: usize) -> *mut T {
    if n == 0 {
        return std::ptr::null_mut();
    }
    let b: Box<[T]> = vec![T::default(); n].into_boxed_slice();
    let p = Box::into_raw(b).cast::<T>();
    ARRAYS
        .lock()
        .insert(key(p as usize), (n, std::mem::size_of::<T>()));
    p
}

/// Builds an array owned by a C vector from `items`.
pub fn array_from<T: Copy + Default>(items: &[T]) -> *mut T {
    let p = alloc_array::<T>(items.len());
    if !p.is_null() {
        // SAFETY: `p` was just allocated with `items.len()` elements and is not shared yet.
        unsafe { std::ptr::copy_nonoverlapping(items.as_ptr(), p, items.len()) };
    }
    p
}

/// Frees an array allocated by [`alloc_array`]. Returns false (and frees nothing) if `p` is
/// not such an array, or not of element type `T`.
pub fn free_array<T>(p: *mut T) -> bool {
    if p.is_null() {
        return true;
    }
    let len = {
        let mut reg = ARRAYS.lock();
        match reg.get(&key(p as usize)) {
            Some(&(len, size)) if size == std::mem::size_of::<T>() => {
                reg.remove(&key(p as usize));
                len
            }
            _ => return false,
        }
    };
    // SAFETY: the registry said `p` is a leaked `Box<[T]>` of `len` elements, and we removed
    // the entry under the lock, so no one else can free it (module invariant).
    drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(p, len)) });
    true
}

/// True if `p` is an array allocated by [`alloc_array`] and still live.
pub fn is_owned_array<T>(p: *const T) -> bool {
    p.is_null() || ARRAYS.lock().contains_key(&key(p as usize))
}

/// Writes a vector of `items` (owned array) to `out`.
///
/// # Safety
/// `out` is NULL or points to a writable `RawVec<T>`.
pub unsafe fn write_vec<T: Copy + Default>(out: *mut RawVec<T>, items: &[T]) {
    if out.is_null() {
        return;
    }
    let data = array_from(items);
    let v = RawVec {
        size: items.len(),
        data,
        num_elems: items.len(),
        size_of_elem: if items.is_empty() {
            0
        } else {
            std::mem::size_of::<T>()
        },
        lock: std::ptr::null_mut(),
    };
    // SAFETY: `out` is writable per the caller's contract.
    unsafe { out.write(v) };
}

/// The first `size` elements of a C vector (`data` may be any memory the caller owns).
///
/// # Safety
/// `v` is NULL or points to a vector whose `data` holds `size` initialised elements.
pub unsafe fn elems<'a, T>(v: *const RawVec<T>) -> Option<&'a [T]> {
    if v.is_null() {
        return Some(&[]);
    }
    // SAFETY: `v` is readable per the caller's contract.
    let v = unsafe { &*v };
    // SAFETY: `data` holds `size` elements per the caller's contract (NULL only if 0).
    unsafe { ffi::slice_from(v.data, v.size) }
}

/// `wasm_*_vec_new_empty`.
///
/// # Safety
/// As [`write_vec`].
pub unsafe fn new_empty<T>(out: *mut RawVec<T>) {
    if !out.is_null() {
        // SAFETY: writable per the caller's contract.
        unsafe { out.write(RawVec::EMPTY) };
    }
}

/// `wasm_*_vec_new_uninitialized`: `size` zeroed elements, `num_elems` 0 (as WAMR).
///
/// # Safety
/// As [`write_vec`].
pub unsafe fn new_uninitialized<T: Copy + Default>(api: &str, out: *mut RawVec<T>, n: usize) {
    if out.is_null() {
        return;
    }
    if n > (u32::MAX as usize) / std::mem::size_of::<T>().max(1) {
        misuse(api, "vector too large");
        // SAFETY: writable per the caller's contract.
        unsafe { out.write(RawVec::EMPTY) };
        return;
    }
    let data = alloc_array::<T>(n);
    let v = RawVec {
        size: n,
        data,
        num_elems: 0,
        size_of_elem: if n == 0 { 0 } else { std::mem::size_of::<T>() },
        lock: std::ptr::null_mut(),
    };
    // SAFETY: writable per the caller's contract.
    unsafe { out.write(v) };
}

/// `wasm_*_vec_new`: copies `n` elements from `src` (ownership of handle elements moves in).
///
/// # Safety
/// `out` as [`write_vec`]; `src` is NULL or holds `n` elements.
pub unsafe fn new_from<T: Copy + Default>(api: &str, out: *mut RawVec<T>, n: usize, src: *const T) {
    if out.is_null() {
        return;
    }
    // SAFETY: `src` holds `n` elements per the caller's contract.
    match unsafe { ffi::slice_from(src, n) } {
        Some(items) if n <= (u32::MAX as usize) / std::mem::size_of::<T>().max(1) => {
            // SAFETY: as above.
            unsafe { write_vec(out, items) }
        }
        Some(_) => {
            misuse(api, "vector too large");
            // SAFETY: as above.
            unsafe { out.write(RawVec::EMPTY) }
        }
        // NULL data with a size: WAMR allocates an uninitialised vector.
        // SAFETY: as above.
        None => unsafe { new_uninitialized(api, out, n) },
    }
}

/// Frees the array of `v` (if this runtime allocated it) and zeroes the struct; `each` is
/// called first on the elements `0..num_elems` that the vector owns.
///
/// # Safety
/// `v` is NULL or points to a readable and writable vector struct.
pub unsafe fn delete_with<T: Copy>(api: &str, v: *mut RawVec<T>, each: Option<&dyn Fn(T)>) {
    if v.is_null() {
        return;
    }
    // SAFETY: readable per the caller's contract.
    let (data, size, num) = unsafe { ((*v).data, (*v).size, (*v).num_elems) };
    if data.is_null() {
        // SAFETY: writable per the caller's contract.
        unsafe { v.write(RawVec::EMPTY) };
        return;
    }
    let len = match ARRAYS.lock().get(&key(data as usize)) {
        Some(&(len, sz)) if sz == std::mem::size_of::<T>() => len,
        _ => {
            misuse(
                api,
                "vector data was not allocated by this runtime or is already freed",
            );
            return;
        }
    };
    if let Some(each) = each {
        let n = num.min(size).min(len);
        for i in 0..n {
            // SAFETY: `i < len`, the registered length of the live array.
            each(unsafe { *data.add(i) });
        }
    }
    free_array(data);
    // SAFETY: writable per the caller's contract.
    unsafe { v.write(RawVec::EMPTY) };
}

/// Moves the elements out of a vector passed as `own` to a constructor: returns its first
/// `size` elements, frees its array if this runtime allocated it, and empties the struct.
///
/// # Safety
/// As [`elems`], and `v` is writable.
pub unsafe fn adopt<T: Copy>(v: *mut RawVec<T>) -> Option<Vec<T>> {
    if v.is_null() {
        return Some(Vec::new());
    }
    // SAFETY: per the caller's contract.
    let items = unsafe { elems(v) }?.to_vec();
    // SAFETY: readable per the caller's contract.
    let data = unsafe { (*v).data };
    free_array(data);
    // SAFETY: writable per the caller's contract.
    unsafe { v.write(RawVec::EMPTY) };
    Some(items)
}

/// A vector header owned by an object (e.g. a function type's parameter list): C gets a
/// pointer to `header`, whose array is owned by this value (not by the registry), so a
/// `wasm_*_vec_delete` on it is refused.
pub struct OwnedVec<T: Copy> {
    header: Box<RawVec<T>>,
    items: Box<[T]>,
}

// SAFETY: the header's `data` points into `items`, owned by this value and never mutated
// after construction; the elements are plain data (bytes, values or handle bits).
unsafe impl<T: Copy + Send> Send for OwnedVec<T> {}
// SAFETY: as above; shared access only reads.
unsafe impl<T: Copy + Sync> Sync for OwnedVec<T> {}

impl<T: Copy> OwnedVec<T> {
    /// A vector owning a copy of `items`.
    pub fn new(items: &[T]) -> OwnedVec<T> {
        let mut items: Box<[T]> = items.into();
        let header = Box::new(RawVec {
            size: items.len(),
            data: if items.is_empty() {
                std::ptr::null_mut()
            } else {
                items.as_mut_ptr()
            },
            num_elems: items.len(),
            size_of_elem: if items.is_empty() {
                0
            } else {
                std::mem::size_of::<T>()
            },
            lock: std::ptr::null_mut(),
        });
        OwnedVec { header, items }
    }

    /// The C view (stable address for the life of this value).
    pub fn as_ptr(&self) -> *const RawVec<T> {
        &*self.header
    }

    /// The elements.
    pub fn items(&self) -> &[T] {
        &self.items
    }
}

/// Defines `wasm_<name>_vec_{new_empty,new_uninitialized,new,copy,delete}` for a vector of
/// plain elements (bytes, values): copies are shallow, delete frees only the array.
macro_rules! plain_vec_fns {
    ($elem:ty, $new_empty:ident, $new_uninit:ident, $new:ident, $copy:ident, $delete:ident) => {
        /// `wasm_*_vec_new_empty`.
        ///
        /// # Safety
        /// `out` is NULL or writable.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $new_empty(
            out: *mut $crate::capi::wasm_c_api::vec::RawVec<$elem>,
        ) {
            $crate::capi::ffi::guard(stringify!($new_empty), (), || {
                // SAFETY: forwarded caller contract.
                unsafe { $crate::capi::wasm_c_api::vec::new_empty(out) }
            })
        }

        /// `wasm_*_vec_new_uninitialized`.
        ///
        /// # Safety
        /// `out` is NULL or writable.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $new_uninit(
            out: *mut $crate::capi::wasm_c_api::vec::RawVec<$elem>,
            n: usize,
        ) {
            $crate::capi::ffi::guard(stringify!($new_uninit), (), || {
                // SAFETY: forwarded caller contract.
                unsafe {
                    $crate::capi::wasm_c_api::vec::new_uninitialized(
                        stringify!($new_uninit),
                        out,
                        n,
                    )
                }
            })
        }

        /// `wasm_*_vec_new`.
        ///
        /// # Safety
        /// `out` is NULL or writable; `src` is NULL or holds `n` elements.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $new(
            out: *mut $crate::capi::wasm_c_api::vec::RawVec<$elem>,
            n: usize,
            src: *const $elem,
        ) {
            $crate::capi::ffi::guard(stringify!($new), (), || {
                // SAFETY: forwarded caller contract.
                unsafe { $crate::capi::wasm_c_api::vec::new_from(stringify!($new), out, n, src) }
            })
        }

        /// `wasm_*_vec_copy` (shallow).
        ///
        /// # Safety
        /// `out` is NULL or writable; `src` is NULL or a valid vector.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $copy(
            out: *mut $crate::capi::wasm_c_api::vec::RawVec<$elem>,
            src: *const $crate::capi::wasm_c_api::vec::RawVec<$elem>,
        ) {
            $crate::capi::ffi::guard(stringify!($copy), (), || {
                // SAFETY: forwarded caller contract.
                unsafe {
                    match $crate::capi::wasm_c_api::vec::elems(src) {
                        Some(items) => $crate::capi::wasm_c_api::vec::write_vec(out, items),
                        None => {
                            $crate::capi::wasm_c_api::handles::misuse(
                                stringify!($copy),
                                "invalid source vector",
                            );
                            $crate::capi::wasm_c_api::vec::new_empty(out)
                        }
                    }
                }
            })
        }

        /// `wasm_*_vec_delete`.
        ///
        /// # Safety
        /// `v` is NULL or a readable and writable vector struct.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $delete(v: *mut $crate::capi::wasm_c_api::vec::RawVec<$elem>) {
            $crate::capi::ffi::guard(stringify!($delete), (), || {
                // SAFETY: forwarded caller contract.
                unsafe { $crate::capi::wasm_c_api::vec::delete_with(stringify!($delete), v, None) }
            })
        }
    };
}

/// Defines the five vector functions of a vector of owned object pointers; `$copy_elem` and
/// `$delete_elem` are the element type's `wasm_<name>_copy` / `wasm_<name>_delete`.
macro_rules! handle_vec_fns {
    ($new_empty:ident, $new_uninit:ident, $new:ident, $copy:ident, $delete:ident,
     $copy_elem:path, $delete_elem:path) => {
        /// `wasm_*_vec_new_empty`.
        ///
        /// # Safety
        /// `out` is NULL or writable.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $new_empty(out: *mut $crate::capi::wasm_c_api::vec::HandleVec) {
            $crate::capi::ffi::guard(stringify!($new_empty), (), || {
                // SAFETY: forwarded caller contract.
                unsafe { $crate::capi::wasm_c_api::vec::new_empty(out) }
            })
        }

        /// `wasm_*_vec_new_uninitialized` (NULL elements).
        ///
        /// # Safety
        /// `out` is NULL or writable.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $new_uninit(
            out: *mut $crate::capi::wasm_c_api::vec::HandleVec,
            n: usize,
        ) {
            $crate::capi::ffi::guard(stringify!($new_uninit), (), || {
                // SAFETY: forwarded caller contract.
                unsafe {
                    $crate::capi::wasm_c_api::vec::new_uninitialized(
                        stringify!($new_uninit),
                        out,
                        n,
                    )
                }
            })
        }

        /// `wasm_*_vec_new`: the vector takes ownership of the `n` objects.
        ///
        /// # Safety
        /// `out` is NULL or writable; `src` is NULL or holds `n` pointers.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $new(
            out: *mut $crate::capi::wasm_c_api::vec::HandleVec,
            n: usize,
            src: *const usize,
        ) {
            $crate::capi::ffi::guard(stringify!($new), (), || {
                // SAFETY: forwarded caller contract.
                unsafe { $crate::capi::wasm_c_api::vec::new_from(stringify!($new), out, n, src) }
            })
        }

        /// `wasm_*_vec_copy`: deep copy (every element copied).
        ///
        /// # Safety
        /// `out` is NULL or writable; `src` is NULL or a valid vector.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $copy(
            out: *mut $crate::capi::wasm_c_api::vec::HandleVec,
            src: *const $crate::capi::wasm_c_api::vec::HandleVec,
        ) {
            $crate::capi::ffi::guard(stringify!($copy), (), || {
                // SAFETY: forwarded caller contract.
                let Some(items) = (unsafe { $crate::capi::wasm_c_api::vec::elems(src) }) else {
                    $crate::capi::wasm_c_api::handles::misuse(
                        stringify!($copy),
                        "invalid source vector",
                    );
                    // SAFETY: forwarded caller contract.
                    unsafe { $crate::capi::wasm_c_api::vec::new_empty(out) };
                    return;
                };
                let copies: Vec<usize> = items
                    .iter()
                    .map(|&h| {
                        if h == 0 {
                            0
                        } else {
                            // The element is an opaque handle; the callee validates it.
                            $copy_elem(h as *const std::ffi::c_void) as usize
                        }
                    })
                    .collect();
                // SAFETY: forwarded caller contract.
                unsafe { $crate::capi::wasm_c_api::vec::write_vec(out, &copies) }
            })
        }

        /// `wasm_*_vec_delete`: deletes the first `num_elems` elements, then the array.
        ///
        /// # Safety
        /// `v` is NULL or a readable and writable vector struct.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $delete(v: *mut $crate::capi::wasm_c_api::vec::HandleVec) {
            $crate::capi::ffi::guard(stringify!($delete), (), || {
                let each = |h: usize| {
                    if h != 0 {
                        // The element is an opaque handle; the callee validates it.
                        $delete_elem(h as *mut std::ffi::c_void)
                    }
                };
                // SAFETY: forwarded caller contract.
                unsafe {
                    $crate::capi::wasm_c_api::vec::delete_with(stringify!($delete), v, Some(&each))
                }
            })
        }
    };
}

pub(crate) use handle_vec_fns;

plain_vec_fns!(
    u8,
    wasm_byte_vec_new_empty,
    wasm_byte_vec_new_uninitialized,
    wasm_byte_vec_new,
    wasm_byte_vec_copy,
    wasm_byte_vec_delete
);

plain_vec_fns!(
    WasmVal,
    wasm_val_vec_new_empty,
    wasm_val_vec_new_uninitialized,
    wasm_val_vec_new,
    wasm_val_vec_copy,
    wasm_val_vec_delete
);

/// A `wasm_byte_vec_t` owned by C from bytes.
///
/// # Safety
/// `out` is NULL or writable.
pub unsafe fn write_bytes(out: *mut ByteVec, bytes: &[u8]) {
    // SAFETY: forwarded caller contract.
    unsafe { write_vec(out, bytes) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_frees_only_own_arrays() {
        let p = alloc_array::<u64>(4);
        assert!(is_owned_array(p));
        let mut stack = [0u64; 4];
        assert!(!free_array(stack.as_mut_ptr()));
        assert!(!free_array(p.cast::<u8>()), "wrong element size is refused");
        assert!(free_array(p));
        assert!(!free_array(p), "double free is refused");
    }

    #[test]
    fn vectors_are_40_bytes() {
        assert_eq!(std::mem::size_of::<ByteVec>(), 40);
        assert_eq!(std::mem::size_of::<WasmVal>(), 16);
    }
}
