//! Bounded access to the calling instance's linear memory.
//!
//! Every guest pointer a WASI function receives (paths, iovecs, out-params, socket addresses)
//! goes through [`Guest`]: ranges are checked with 64-bit arithmetic against the current
//! memory size before any byte is touched; a range outside memory traps with WAMR's
//! `out of bounds memory access`. Values are copied out (snapshots), so a guest thread that
//! rewrites a path after the check cannot change what the host acts on.
//!
//! # Invariants
//! - [`Guest::iovecs`] builds host iovecs only from ranges that `check_range` accepted; the
//!   memory is reserved at its maximum size and never moves or shrinks, so the pointers stay
//!   valid while the `&LinearMemory` borrow that `HostIovecs` carries lives.

use std::marker::PhantomData;

use super::sys::HostIovecs;
use super::types::{Errno, Fail, IOV_MAX, PATH_MAX, layout};
use crate::error::{Trap, TrapCode};
use crate::runtime::LinearMemory;

/// The out-of-bounds trap.
pub fn oob() -> Trap {
    Trap::Code(TrapCode::MemoryOutOfBounds)
}

/// A bounded view of one instance's linear memory.
#[derive(Clone, Copy)]
pub struct Guest<'a> {
    mem: &'a LinearMemory,
}

impl<'a> Guest<'a> {
    /// A view of `mem`.
    pub fn new(mem: &'a LinearMemory) -> Guest<'a> {
        Guest { mem }
    }

    /// Check that `[ptr, ptr + len)` is inside memory (trap otherwise).
    #[inline]
    pub fn check(&self, ptr: u32, len: u64) -> Result<(), Trap> {
        self.mem.check_range(u64::from(ptr), len).map(drop)
    }

    /// Copy `len` bytes out.
    pub fn bytes(&self, ptr: u32, len: u32) -> Result<Vec<u8>, Trap> {
        let mut v = vec![0u8; len as usize];
        self.mem.read(u64::from(ptr), &mut v)?;
        Ok(v)
    }

    fn array<const N: usize>(&self, ptr: u32) -> Result<[u8; N], Trap> {
        let mut b = [0u8; N];
        self.mem.read(u64::from(ptr), &mut b)?;
        Ok(b)
    }

    /// Read a little-endian `u8`.
    pub fn u8(&self, ptr: u32) -> Result<u8, Trap> {
        Ok(self.array::<1>(ptr)?[0])
    }

    /// Read a little-endian `u16`.
    pub fn u16(&self, ptr: u32) -> Result<u16, Trap> {
        Ok(u16::from_le_bytes(self.array(ptr)?))
    }

    /// Read a little-endian `u32`.
    pub fn u32(&self, ptr: u32) -> Result<u32, Trap> {
        Ok(u32::from_le_bytes(self.array(ptr)?))
    }

    /// Read a little-endian `u64`.
    pub fn u64(&self, ptr: u32) -> Result<u64, Trap> {
        Ok(u64::from_le_bytes(self.array(ptr)?))
    }

    /// Write bytes.
    pub fn write(&self, ptr: u32, data: &[u8]) -> Result<(), Trap> {
        self.mem.write(u64::from(ptr), data)
    }

    /// Write a little-endian `u16`.
    pub fn write_u16(&self, ptr: u32, v: u16) -> Result<(), Trap> {
        self.write(ptr, &v.to_le_bytes())
    }

    /// Write a little-endian `u32`.
    pub fn write_u32(&self, ptr: u32, v: u32) -> Result<(), Trap> {
        self.write(ptr, &v.to_le_bytes())
    }

    /// Write a little-endian `u64`.
    pub fn write_u64(&self, ptr: u32, v: u64) -> Result<(), Trap> {
        self.write(ptr, &v.to_le_bytes())
    }

    /// A path argument: range checked (trap), at most `PATH_MAX` bytes (`nametoolong`), no
    /// NUL byte (`inval`). The bytes are a snapshot.
    pub fn path(&self, ptr: u32, len: u32) -> Result<Vec<u8>, Fail> {
        self.check(ptr, u64::from(len))?;
        if len > PATH_MAX {
            return Err(Errno::Nametoolong.into());
        }
        let p = self.bytes(ptr, len)?;
        if p.contains(&0) {
            return Err(Errno::Inval.into());
        }
        Ok(p)
    }

    /// A NUL-terminated string of at most `max` bytes (a snapshot): `nametoolong` when no NUL
    /// appears within `max` bytes, a trap when memory ends first.
    pub fn cstr(&self, ptr: u32, max: usize) -> Result<Vec<u8>, Fail> {
        match self.mem.read_cstr(u64::from(ptr), max + 1) {
            Ok(v) => Ok(v),
            Err(t) => {
                if u64::from(ptr) + (max as u64) < self.mem.len() as u64 {
                    Err(Errno::Nametoolong.into())
                } else {
                    Err(t.into())
                }
            }
        }
    }

    /// Resolve a guest `iovec`/`ciovec` array into host iovecs pointing into linear memory.
    ///
    /// The array range is checked first (`count * 8` in 64-bit arithmetic), then the count is
    /// limited to `IOV_MAX` (`inval`), then every buffer range is checked. Nothing is read or
    /// written through the result until all of this has passed, so the work is bounded by
    /// `IOV_MAX` whatever the guest asks for.
    pub fn iovecs(&self, ptr: u32, count: u32) -> Result<HostIovecs<'a>, Fail> {
        let bytes = u64::from(count) * layout::IOVEC_SIZE;
        self.check(ptr, bytes)?;
        if count > IOV_MAX {
            return Err(Errno::Inval.into());
        }
        let raw = self.bytes(ptr, bytes as u32)?;
        let base = self.mem.base();
        let mut iovs = Vec::with_capacity(count as usize);
        for e in raw.chunks_exact(8) {
            let buf = u32::from_le_bytes([e[0], e[1], e[2], e[3]]);
            let len = u32::from_le_bytes([e[4], e[5], e[6], e[7]]);
            let off = self.mem.check_range(u64::from(buf), u64::from(len))?;
            iovs.push(libc::iovec {
                // SAFETY: `off + len <= memory length` (checked just above), so the pointer
                // stays inside the accessible part of the mapping.
                iov_base: unsafe { base.add(off) }.cast(),
                iov_len: len as usize,
            });
        }
        Ok(HostIovecs {
            iovs,
            _mem: PhantomData,
        })
    }
}
