//! The bounce buffers of natives registered with `cwamr_register_natives_bounce` (capability
//! model section 4, adversarial case 19).
//!
//! A C native handed a raw pointer into linear memory can reach all of linear memory; on x86-64
//! nothing in hardware bounds it (on CHERI the pointer would be the bounded capability itself).
//! For natives the embedder does not fully trust, each `*`/`*~` argument is instead *bounced*:
//!
//! 1. the guest range `[off, off + len)` is copied into a fresh host mapping of
//!    `round_up(len, page)` bytes followed by one `PROT_NONE` guard page; the bytes between
//!    `len` and the guard page are filled with a canary pattern;
//! 2. the native gets a pointer to that copy;
//! 3. after it returns, the canary is checked: a native that wrote past `len` (but not as far as
//!    the guard page) is reported as a native fault (a trap, a `CWAMR_VIOLATION_CAP_BOUNDS`
//!    record) and nothing is copied back; otherwise the `len` bytes are copied back into linear
//!    memory;
//! 4. an overrun that reaches the guard page faults (`SIGSEGV`) before any byte lands in linear
//!    memory: page-granular detection is the x86-64 limit, documented in
//!    `docs/capability-model.md`.
//!
//! So a bounced native can never touch linear memory outside the ranges it was given, and
//! small overruns are caught afterwards rather than silently corrupting the guest.
//!
//! # Invariants
//! - A `BounceBuf` owns its mapping (`map`, `map_len` bytes, from `mmap`) until dropped; the
//!   first `data_len` bytes are readable and writable, the last page is `PROT_NONE`.

/// The byte the gap between `len` and the guard page is filled with.
const CANARY: u8 = 0xA5;

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(p).ok().filter(|&p| p > 0).unwrap_or(4096)
}

/// A host copy of one guest range, followed by a canary gap and a guard page.
pub(crate) struct BounceBuf {
    map: *mut u8,
    map_len: usize,
    /// Readable/writable bytes before the guard page (`len` rounded up to a page, at least one).
    data_len: usize,
    /// Bytes of the guest range.
    len: usize,
}

impl BounceBuf {
    /// A buffer of `len` bytes that `fill` writes (the copy-in, straight into the mapping),
    /// or `None` if the mapping or `fill` fails.
    pub(crate) fn new(len: usize, fill: impl FnOnce(&mut [u8]) -> bool) -> Option<BounceBuf> {
        let page = page_size();
        let data_len = len.max(1).checked_next_multiple_of(page)?;
        let map_len = data_len.checked_add(page)?;
        // SAFETY: an anonymous private mapping at an address of the kernel's choosing aliases
        // nothing.
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                map_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if map == libc::MAP_FAILED {
            return None;
        }
        let mut buf = BounceBuf {
            map: map.cast(),
            map_len,
            data_len,
            len,
        };
        // SAFETY: `data_len + page == map_len`, so the guard page is the mapping's last page.
        let guard_ok =
            unsafe { libc::mprotect(buf.map.add(data_len).cast(), page, libc::PROT_NONE) } == 0;
        if !guard_ok {
            return None; // dropped: unmapped
        }
        let data = buf.data_mut();
        data[len..].fill(CANARY);
        fill(&mut data[..len]).then_some(buf)
    }

    fn data(&self) -> &[u8] {
        // SAFETY: the first `data_len` bytes of the mapping are readable (module invariants);
        // the native that wrote through `ptr` has returned, so nothing writes concurrently.
        unsafe { std::slice::from_raw_parts(self.map, self.data_len) }
    }

    fn data_mut(&mut self) -> &mut [u8] {
        // SAFETY: as `data`, and `&mut self` makes this the only reference.
        unsafe { std::slice::from_raw_parts_mut(self.map, self.data_len) }
    }

    /// The pointer the native receives.
    pub(crate) fn ptr(&self) -> *mut u8 {
        self.map
    }

    /// Bytes of the guest range.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The guest bytes after the native ran, or `None` if it wrote into the canary gap.
    pub(crate) fn checked_contents(&self) -> Option<&[u8]> {
        let data = self.data();
        if data[self.len..].iter().all(|&b| b == CANARY) {
            Some(&data[..self.len])
        } else {
            None
        }
    }
}

impl Drop for BounceBuf {
    fn drop(&mut self) {
        // SAFETY: `map`/`map_len` is the mapping this buffer owns (module invariants).
        unsafe { libc::munmap(self.map.cast(), self.map_len) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy_of(src: &[u8]) -> Option<BounceBuf> {
        BounceBuf::new(src.len(), |d| {
            d.copy_from_slice(src);
            true
        })
    }

    #[test]
    fn copy_in_canary_and_copy_out() {
        let mut b = copy_of(b"hello").unwrap();
        // SAFETY: 5 bytes of the buffer are the copy.
        assert_eq!(unsafe { std::slice::from_raw_parts(b.ptr(), 5) }, b"hello");
        b.data_mut()[0] = b'j';
        assert_eq!(b.checked_contents(), Some(&b"jello"[..]));
        b.data_mut()[5] = 0; // one byte past the range
        assert_eq!(b.checked_contents(), None);
    }

    #[test]
    fn empty_and_page_sized_ranges() {
        let e = copy_of(&[]).unwrap();
        assert_eq!(e.checked_contents(), Some(&[][..]));
        let page = page_size();
        let p = copy_of(&vec![7u8; page]).unwrap();
        assert_eq!(p.data_len, page);
        assert_eq!(p.checked_contents().map(<[u8]>::len), Some(page));
    }
}
