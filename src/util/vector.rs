//! WAMR's growable array (`bh_vector.h`): the `Vector` struct is C-visible, so the operations
//! work on the caller's struct exactly as WAMR's do: element storage from `malloc`
//! (zero-filled), growth to at least 1.5 times, an optional `pthread_mutex_t` (also from
//! `malloc`) taken around each operation, WAMR's `LOG_ERROR` texts on failure.
//!
//! WAMR's `bh_vector_insert` requires `index < size` and stores the new element at
//! `index + 1` (elements after `index` move up by one); this module does the same.
//!
//! # Invariants
//! Every function takes a non-NULL `*mut Vector` the caller vouches for: initialised by
//! [`init`] (or zeroed), not destroyed concurrently; `data` holds `max_elems * size_elem`
//! bytes; `lock` is NULL or an initialised mutex of ours. Element buffers hold `size_elem`
//! bytes.

use crate::os::log;
use std::ffi::c_void;

/// `Vector` (`bh_vector.h`).
#[repr(C)]
pub struct Vector {
    /// Allocated element slots.
    pub max_elems: usize,
    /// Element storage.
    pub data: *mut u8,
    /// Elements in use.
    pub num_elems: usize,
    /// Size of one element.
    pub size_elem: usize,
    /// NULL or a `pthread_mutex_t *`.
    pub lock: *mut c_void,
}

fn alloc_data(length: usize, size_elem: usize) -> *mut u8 {
    let total = (length as u64).checked_mul(size_elem as u64);
    match total {
        Some(t)
            if length <= u32::MAX as usize
                && size_elem <= u32::MAX as usize
                && t <= u32::MAX as u64 =>
        {
            // SAFETY: plain allocation; calloc zero-fills as WAMR's memset does.
            unsafe { libc::calloc(1, (t as usize).max(1)) }.cast::<u8>()
        }
        _ => std::ptr::null_mut(),
    }
}

struct Locked(*mut c_void);

impl Locked {
    /// # Safety
    /// `lock` is NULL or an initialised mutex (module invariant).
    unsafe fn new(lock: *mut c_void) -> Locked {
        if !lock.is_null() {
            // SAFETY: an initialised mutex (module invariant).
            unsafe { libc::pthread_mutex_lock(lock.cast()) };
        }
        Locked(lock)
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: locked by `new` on this thread.
            unsafe { libc::pthread_mutex_unlock(self.0.cast()) };
        }
    }
}

/// # Safety
/// Module invariant; the lock is held.
unsafe fn extend(v: *mut Vector, mut length: usize) -> bool {
    // SAFETY: module invariant.
    let (max, size, old) = unsafe { ((*v).max_elems, (*v).size_elem, (*v).data) };
    if length <= max {
        return true;
    }
    length = length.max(max * 3 / 2);
    let data = alloc_data(length, size);
    if data.is_null() {
        return false;
    }
    // SAFETY: `old` holds max*size bytes, `data` at least as many; distinct allocations.
    unsafe {
        if !old.is_null() {
            std::ptr::copy_nonoverlapping(old, data, max * size);
            libc::free(old.cast());
        }
        (*v).data = data;
        (*v).max_elems = length;
    }
    true
}

/// `bh_vector_init`.
///
/// # Safety
/// `v` points to a writable `Vector`.
pub unsafe fn init(v: *mut Vector, init_length: usize, size_elem: usize, use_lock: bool) -> bool {
    let len = if init_length == 0 { 4 } else { init_length };
    let data = alloc_data(len, size_elem);
    if data.is_null() {
        log::log(log::ERROR, "Init vector failed: alloc memory failed.\n");
        return false;
    }
    let mut lock: *mut c_void = std::ptr::null_mut();
    if use_lock {
        // SAFETY: plain allocation of a mutex, initialised before use.
        unsafe {
            lock = libc::malloc(std::mem::size_of::<libc::pthread_mutex_t>());
            if lock.is_null() || libc::pthread_mutex_init(lock.cast(), std::ptr::null()) != 0 {
                log::log(log::ERROR, "Init vector failed: init locker failed.\n");
                libc::free(lock);
                libc::free(data.cast());
                return false;
            }
        }
    }
    // SAFETY: `v` is writable per the contract.
    unsafe {
        v.write(Vector {
            max_elems: len,
            data,
            num_elems: 0,
            size_elem,
            lock,
        })
    };
    true
}

fn bad_index(what: &str) -> bool {
    log::log(
        log::ERROR,
        &format!("{what} vector elem failed: invalid elem index.\n"),
    );
    false
}

/// `bh_vector_set`: copy `elem` into slot `index < size`.
///
/// # Safety
/// Module invariant.
pub unsafe fn set(v: *mut Vector, index: u32, elem: *const u8) -> bool {
    // SAFETY: module invariant.
    unsafe {
        if index as usize >= (*v).num_elems {
            return bad_index("Set");
        }
        let _g = Locked::new((*v).lock);
        let s = (*v).size_elem;
        std::ptr::copy(elem, (*v).data.add(s * index as usize), s);
    }
    true
}

/// `bh_vector_get`: copy slot `index < size` into `elem`.
///
/// # Safety
/// Module invariant.
pub unsafe fn get(v: *mut Vector, index: u32, elem: *mut u8) -> bool {
    // SAFETY: module invariant.
    unsafe {
        if index as usize >= (*v).num_elems {
            return bad_index("Get");
        }
        let _g = Locked::new((*v).lock);
        let s = (*v).size_elem;
        std::ptr::copy((*v).data.add(s * index as usize), elem, s);
    }
    true
}

/// `bh_vector_insert` (WAMR's placement: the element lands at `index + 1`).
///
/// # Safety
/// Module invariant.
pub unsafe fn insert(v: *mut Vector, index: u32, elem: *const u8) -> bool {
    // SAFETY: module invariant; the lock is held while the storage changes.
    unsafe {
        if index as usize >= (*v).num_elems {
            return bad_index("Insert");
        }
        let _g = Locked::new((*v).lock);
        if !extend(v, (*v).num_elems + 1) {
            log::log(
                log::ERROR,
                "Insert vector elem failed: extend vector failed.\n",
            );
            return false;
        }
        let (s, n, d) = ((*v).size_elem, (*v).num_elems, (*v).data);
        let at = index as usize + 1;
        std::ptr::copy(d.add(s * at), d.add(s * (at + 1)), s * (n - at));
        std::ptr::copy(elem, d.add(s * at), s);
        (*v).num_elems = n + 1;
    }
    true
}

/// `bh_vector_append`.
///
/// # Safety
/// Module invariant.
pub unsafe fn append(v: *mut Vector, elem: *const u8) -> bool {
    // SAFETY: module invariant; the lock is held while the storage changes.
    unsafe {
        let _g = Locked::new((*v).lock);
        if !extend(v, (*v).num_elems + 1) {
            log::log(
                log::ERROR,
                "Append vector elem failed: extend vector failed.\n",
            );
            return false;
        }
        let (s, n) = ((*v).size_elem, (*v).num_elems);
        std::ptr::copy(elem, (*v).data.add(s * n), s);
        (*v).num_elems = n + 1;
    }
    true
}

/// `bh_vector_remove`: copy slot `index` into `old` (if non-NULL) and close the gap.
///
/// # Safety
/// Module invariant; `old` is NULL or holds `size_elem` bytes.
pub unsafe fn remove(v: *mut Vector, index: u32, old: *mut u8) -> bool {
    // SAFETY: module invariant.
    unsafe {
        if index as usize >= (*v).num_elems {
            return bad_index("Remove");
        }
        let _g = Locked::new((*v).lock);
        let (s, n, d) = ((*v).size_elem, (*v).num_elems, (*v).data);
        let i = index as usize;
        if !old.is_null() {
            std::ptr::copy(d.add(s * i), old, s);
        }
        std::ptr::copy(d.add(s * (i + 1)), d.add(s * i), s * (n - i - 1));
        (*v).num_elems = n - 1;
    }
    true
}

/// `bh_vector_destroy`: free the storage and the lock, zero the struct.
///
/// # Safety
/// Module invariant; no other thread uses the vector.
pub unsafe fn destroy(v: *mut Vector) {
    // SAFETY: module invariant; storage and lock are ours (malloc), freed once, then the
    // struct is zeroed so a second destroy frees nothing.
    unsafe {
        if !(*v).data.is_null() {
            libc::free((*v).data.cast());
        }
        if !(*v).lock.is_null() {
            libc::pthread_mutex_destroy((*v).lock.cast());
            libc::free((*v).lock);
        }
        std::ptr::write_bytes(v, 0, 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(v: &Vector, i: u32) -> u32 {
        let mut x = 0u32;
        // SAFETY: `v` was initialised with 4-byte elements.
        assert!(unsafe { get(v as *const _ as *mut _, i, (&mut x as *mut u32).cast()) });
        x
    }

    #[test]
    fn wamr_semantics() {
        let mut v = std::mem::MaybeUninit::<Vector>::uninit();
        let p = v.as_mut_ptr();
        // SAFETY: `p` is writable; all element buffers are 4-byte u32s.
        unsafe {
            assert!(init(p, 0, 4, true));
            assert_eq!((*p).max_elems, 4);
            for x in [10u32, 20, 30, 40, 50] {
                assert!(append(p, (&x as *const u32).cast()));
            }
            assert_eq!((*p).num_elems, 5);
            assert!((*p).max_elems >= 6);
            let x = 99u32;
            assert!(insert(p, 0, (&x as *const u32).cast()));
            assert_eq!(
                (0..6).map(|i| at(&*p, i)).collect::<Vec<_>>(),
                vec![10, 99, 20, 30, 40, 50]
            );
            assert!(!insert(p, 6, (&x as *const u32).cast()));
            let mut old = 0u32;
            assert!(remove(p, 0, (&mut old as *mut u32).cast()));
            assert_eq!(old, 10);
            assert!(set(p, 4, (&x as *const u32).cast()));
            assert_eq!(
                (0..5).map(|i| at(&*p, i)).collect::<Vec<_>>(),
                vec![99, 20, 30, 40, 99]
            );
            assert!(!set(p, 5, (&x as *const u32).cast()));
            destroy(p);
            assert!((*p).data.is_null() && (*p).num_elems == 0);
        }
    }
}
