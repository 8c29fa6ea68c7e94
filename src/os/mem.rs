//! Anonymous mappings as WAMR's `os_mmap` family makes them, and the process memory figures
//! of `os_dumps_proc_mem_info`.
//!
//! `map` rounds the size up to the page size; a request of at least 2 MiB is placed on a
//! 2 MiB boundary (WAMR maps one extra huge page and trims the ends) and advised for huge
//! pages. Requests above 64 GiB are refused. Failures print WAMR's `mmap failed ...` line on
//! the console and return `None`.
//!
//! # Invariants
//! `mmap`/`munmap`/`mprotect`/`mremap` are only given ranges this module computed from the
//! caller's (address, size) pair; the caller vouches that such a range is its own mapping.

use std::ffi::c_void;

/// `MMAP_PROT_READ`.
pub const PROT_READ: i32 = 1;
/// `MMAP_PROT_WRITE`.
pub const PROT_WRITE: i32 = 2;
/// `MMAP_PROT_EXEC`.
pub const PROT_EXEC: i32 = 4;
/// `MMAP_MAP_32BIT`.
pub const MAP_32BIT: i32 = 1;
/// `MMAP_MAP_FIXED`.
pub const MAP_FIXED: i32 = 2;

const HUGE_PAGE: u64 = 2 * 1024 * 1024;

fn page_size() -> u64 {
    // SAFETY: sysconf has no preconditions.
    (unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).max(4096) as u64
}

fn round_page(size: usize) -> u64 {
    let p = page_size();
    (size as u64 + p - 1) & !(p - 1)
}

fn native_prot(prot: i32) -> i32 {
    let mut p = libc::PROT_NONE;
    if prot & PROT_READ != 0 {
        p |= libc::PROT_READ;
    }
    if prot & PROT_WRITE != 0 {
        p |= libc::PROT_WRITE;
    }
    if prot & PROT_EXEC != 0 {
        p |= libc::PROT_EXEC;
    }
    p
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// `os_mmap`: an anonymous private mapping (`file` is passed to `mmap` as WAMR does).
///
/// # Safety
/// With [`MAP_FIXED`], `hint` must name a range the caller may replace.
pub unsafe fn map(
    hint: *mut c_void,
    size: usize,
    prot: i32,
    flags: i32,
    file: i32,
) -> Option<*mut c_void> {
    let mut request = round_page(size);
    if request >= HUGE_PAGE {
        request += HUGE_PAGE;
    }
    if request > 16 * u32::MAX as u64 {
        super::console::write_str("mmap failed: for memory64 at most 64G is allowed\n");
        return None;
    }
    let map_prot = native_prot(prot);
    let mut map_flags = libc::MAP_ANONYMOUS | libc::MAP_PRIVATE;
    #[cfg(target_arch = "x86_64")]
    if flags & MAP_32BIT != 0 {
        map_flags |= libc::MAP_32BIT;
    }
    if flags & MAP_FIXED != 0 {
        map_flags |= libc::MAP_FIXED;
    }
    let mut tries = 0;
    let addr = loop {
        // SAFETY: an anonymous mapping; MAP_FIXED only with the caller's promise.
        let a = unsafe { libc::mmap(hint, request as usize, map_prot, map_flags, file, 0) };
        if a != libc::MAP_FAILED {
            break a;
        }
        let e = errno();
        if e == libc::EINTR {
            continue;
        }
        tries += 1;
        if (e != libc::EAGAIN && e != libc::ENOMEM) || tries >= 5 {
            super::console::write_str(&format!(
                "mmap failed with errno: {e}, hint: {hint:p}, size: {request}, prot: {map_prot}, flags: {map_flags}\n"
            ));
            return None;
        }
    };
    if request <= HUGE_PAGE {
        return Some(addr);
    }
    // trim to a 2 MiB aligned start, giving back the extra huge page
    let start = addr as u64;
    let aligned = (start + HUGE_PAGE - 1) & !(HUGE_PAGE - 1);
    let prefix = aligned - start;
    let suffix = HUGE_PAGE - prefix;
    // SAFETY: both ranges lie inside the mapping just created.
    unsafe {
        if prefix > 0 {
            libc::munmap(addr, prefix as usize);
        }
        if suffix > 0 {
            libc::munmap((start + request - suffix) as *mut c_void, suffix as usize);
        }
        libc::madvise(
            aligned as *mut c_void,
            (request - HUGE_PAGE) as usize,
            libc::MADV_HUGEPAGE,
        );
    }
    Some(aligned as *mut c_void)
}

/// `os_munmap`: unmap `size` bytes (rounded up to pages); NULL is ignored.
///
/// # Safety
/// `addr` is NULL or a mapping of at least `size` bytes made by [`map`] (or `mmap`).
pub unsafe fn unmap(addr: *mut c_void, size: usize) {
    if addr.is_null() {
        return;
    }
    let request = round_page(size);
    // SAFETY: the caller's mapping (module invariant).
    if unsafe { libc::munmap(addr, request as usize) } != 0 {
        super::console::write_str(&format!(
            "os_munmap error addr:{addr:p}, size:{request:#x}, errno:{}\n",
            errno()
        ));
    }
}

/// `os_mprotect`: 0, or -1 with errno set; NULL is a no-op returning 0.
///
/// # Safety
/// `addr` is NULL or a page-aligned mapping of at least `size` bytes owned by the caller.
pub unsafe fn protect(addr: *mut c_void, size: usize, prot: i32) -> i32 {
    if addr.is_null() {
        return 0;
    }
    // SAFETY: the caller's mapping (module invariant).
    unsafe { libc::mprotect(addr, round_page(size) as usize, native_prot(prot)) }
}

/// `os_mremap`: `mremap(MREMAP_MAYMOVE)`, else a new read-write mapping with the contents
/// copied and the old one unmapped; `None` when both fail (the old mapping is kept).
///
/// # Safety
/// `old` is a mapping of `old_size` bytes owned by the caller; on success it is gone.
pub unsafe fn remap(old: *mut c_void, old_size: usize, new_size: usize) -> Option<*mut c_void> {
    // SAFETY: the caller's mapping (module invariant).
    let p = unsafe { libc::mremap(old, old_size, new_size, libc::MREMAP_MAYMOVE) };
    if p != libc::MAP_FAILED {
        return Some(p);
    }
    // SAFETY: a fresh anonymous mapping.
    let new = unsafe {
        map(
            std::ptr::null_mut(),
            new_size,
            PROT_READ | PROT_WRITE,
            0,
            -1,
        )
    }?;
    // SAFETY: both ranges are readable/writable for the copied length; distinct mappings.
    unsafe {
        std::ptr::copy_nonoverlapping(old.cast::<u8>(), new.cast::<u8>(), old_size.min(new_size));
        unmap(old, old_size);
    }
    Some(new)
}

/// The `VmRSS` and `RssAnon` lines of `/proc/self/status` (`os_dumps_proc_mem_info`).
pub fn proc_mem_info() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let mut out = String::new();
    for l in status.lines() {
        if l.starts_with("VmRSS") || l.starts_with("RssAnon") {
            out.push_str(l);
            out.push('\n');
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_are_usable_and_huge_ones_aligned() {
        // SAFETY: fresh anonymous mappings, used within their size and unmapped once.
        unsafe {
            let p = map(std::ptr::null_mut(), 100, PROT_READ | PROT_WRITE, 0, -1).unwrap();
            *p.cast::<u8>().add(99) = 7;
            assert_eq!(protect(p, 100, PROT_READ), 0);
            let q = remap(p, 4096, 3 * 4096).unwrap();
            assert_eq!(*q.cast::<u8>().add(99), 7);
            unmap(q, 3 * 4096);
            let h = map(std::ptr::null_mut(), 4 << 20, PROT_READ | PROT_WRITE, 0, -1).unwrap();
            assert_eq!(h as usize % (2 << 20), 0);
            *h.cast::<u8>().add((4 << 20) - 1) = 1;
            unmap(h, 4 << 20);
            assert!(map(std::ptr::null_mut(), 1 << 37, PROT_READ, 0, -1).is_none());
        }
    }

    #[test]
    fn proc_figures() {
        assert!(proc_mem_info().unwrap().contains("VmRSS"));
    }
}
