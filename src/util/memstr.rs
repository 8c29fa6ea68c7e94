//! WAMR's bounded memory and string helpers (`bh_common.h`): `b_memcpy_s`, `b_memmove_s`,
//! `b_memcpy_wa`, `b_strcat_s`, `b_strcpy_s`, with WAMR's checks and return values
//! (0 success, -1 refusal).
//!
//! # Invariants
//! Each function's contract names the bytes the caller vouches for; the functions touch no
//! other memory.

use std::ffi::c_char;

/// `b_memcpy_s` / `b_memmove_s` (both allow overlap here, which `memcpy`'s users never rely
/// on the absence of): `n == 0` succeeds without looking at the pointers; a NULL `dst` is
/// refused; a NULL `src` or `n > dst_max` zero-fills `dst_max` bytes of `dst` and is refused.
///
/// # Safety
/// `dst` is NULL or holds `dst_max` writable bytes; `src` is NULL or holds `n` readable bytes.
pub unsafe fn copy_s(dst: *mut u8, dst_max: u32, src: *const u8, n: u32) -> i32 {
    if n == 0 {
        return 0;
    }
    if dst.is_null() {
        return -1;
    }
    if src.is_null() || n > dst_max {
        // SAFETY: `dst` holds `dst_max` writable bytes per the contract.
        unsafe { std::ptr::write_bytes(dst, 0, dst_max as usize) };
        return -1;
    }
    // SAFETY: `n <= dst_max` bytes on both sides per the contract; `copy` allows overlap.
    unsafe { std::ptr::copy(src, dst, n as usize) };
    0
}

/// `b_memcpy_wa`: WAMR reads the source word by word (for instruction RAM); on Linux it is a
/// plain bounded copy of `min(n, dst_max)` bytes. Always 0, as in WAMR.
///
/// # Safety
/// As [`copy_s`].
pub unsafe fn copy_wa(dst: *mut u8, dst_max: u32, src: *const u8, n: u32) -> i32 {
    if n == 0 || dst.is_null() || src.is_null() {
        return 0;
    }
    // SAFETY: at most `dst_max` bytes written and `n` read, per the contract.
    unsafe { std::ptr::copy(src, dst, n.min(dst_max) as usize) };
    0
}

/// `b_strcat_s`: append `src` to `dst` if the result (with its NUL) fits `dst_max`.
///
/// # Safety
/// `dst` is NULL or a NUL-terminated string in `dst_max` writable bytes; `src` is NULL or a
/// NUL-terminated string.
pub unsafe fn strcat_s(dst: *mut c_char, dst_max: u32, src: *const c_char) -> i32 {
    if dst.is_null() || src.is_null() {
        return -1;
    }
    // SAFETY: both NUL-terminated per the contract.
    let (a, b) = unsafe { (libc::strlen(dst), libc::strlen(src)) };
    if (dst_max as usize) < a + b + 1 {
        return -1;
    }
    // SAFETY: `a + b + 1 <= dst_max` bytes of `dst`; `b + 1` bytes of `src`.
    unsafe { std::ptr::copy(src, dst.add(a), b + 1) };
    0
}

/// `b_strcpy_s`: copy `src` (with its NUL) into `dst` if it fits `dst_max`.
///
/// # Safety
/// `dst` is NULL or holds `dst_max` writable bytes; `src` is NULL or NUL-terminated.
pub unsafe fn strcpy_s(dst: *mut c_char, dst_max: u32, src: *const c_char) -> i32 {
    if dst.is_null() || src.is_null() {
        return -1;
    }
    // SAFETY: NUL-terminated per the contract.
    let b = unsafe { libc::strlen(src) };
    if (dst_max as usize) < b + 1 {
        return -1;
    }
    // SAFETY: `b + 1 <= dst_max` bytes.
    unsafe { std::ptr::copy(src, dst, b + 1) };
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memcpy_s_rules() {
        let mut d = [0x55u8; 8];
        let s = [1u8, 2, 3, 4];
        // SAFETY: buffers are as large as the sizes given.
        unsafe {
            assert_eq!(copy_s(std::ptr::null_mut(), 8, s.as_ptr(), 0), 0);
            assert_eq!(copy_s(std::ptr::null_mut(), 8, s.as_ptr(), 1), -1);
            assert_eq!(copy_s(d.as_mut_ptr(), 8, s.as_ptr(), 4), 0);
            assert_eq!(d, [1, 2, 3, 4, 0x55, 0x55, 0x55, 0x55]);
            assert_eq!(copy_s(d.as_mut_ptr(), 3, s.as_ptr(), 4), -1);
            assert_eq!(d, [0, 0, 0, 4, 0x55, 0x55, 0x55, 0x55]);
            d = [9; 8];
            assert_eq!(copy_s(d.as_mut_ptr(), 8, std::ptr::null(), 4), -1);
            assert_eq!(d, [0; 8]);
        }
    }

    #[test]
    fn string_rules() {
        let mut d = [0 as c_char; 6];
        // SAFETY: NUL-terminated literals and a 6-byte buffer.
        unsafe {
            assert_eq!(strcpy_s(d.as_mut_ptr(), 6, c"abc".as_ptr()), 0);
            assert_eq!(strcat_s(d.as_mut_ptr(), 6, c"de".as_ptr()), 0);
            assert_eq!(strcat_s(d.as_mut_ptr(), 6, c"f".as_ptr()), -1);
            assert_eq!(strcpy_s(d.as_mut_ptr(), 6, c"abcdef".as_ptr()), -1);
            assert_eq!(
                std::ffi::CStr::from_ptr(d.as_ptr()).to_str().unwrap(),
                "abcde"
            );
        }
    }
}
