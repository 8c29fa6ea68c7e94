//! The per-instance descriptor table: guest fd numbers map to sealed handles (otype
//! `OT_WASI_FD`) of resources owned by this instance's context, each carrying preview1 rights.
//!
//! Rights only shrink: the only mutators are `fetch_and`s, so no sequence of calls can add a
//! right. Closing a descriptor kills its handle slot (generation bump), so any host-side copy
//! of the old handle is stale even after the guest fd number is reused.
//!
//! # Invariants
//! - A `Resource::Stdio` descriptor is the embedder's; it must stay open while the context
//!   lives (documented for `WasiConfig::stdio`), and it is never closed here.

use std::os::fd::{BorrowedFd, OwnedFd, RawFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;

use super::sys::HostDirEntry;
use super::types::{Errno, FileType};
use crate::cap::{HandleError, HandleTable, OType, OwnerId, SealedHandle};

/// The host object behind a guest descriptor.
#[derive(Debug)]
pub enum Resource {
    /// A descriptor borrowed from the embedder (stdio); never closed by cWASI.
    Stdio(RawFd),
    /// An open regular file or other non-directory object.
    File(OwnedFd),
    /// A directory (possibly an `O_PATH` descriptor of one).
    Dir(OwnedFd),
    /// A socket.
    Socket(OwnedFd),
}

/// No preopen ancestry (stdio, sockets).
pub const NO_ROOT: u32 = u32::MAX;

/// One entry of the descriptor table.
#[derive(Debug)]
pub struct FdEntry {
    /// The host object.
    pub res: Resource,
    /// Preview1 file type, fixed when the entry is made.
    pub filetype: FileType,
    base: AtomicU64,
    inheriting: AtomicU64,
    /// Index of the preopen this directory or file was reached from (`NO_ROOT` if none):
    /// links and renames are allowed only between entries of the same root.
    pub root: u32,
    /// The guest name, for the preopened directory entries themselves.
    pub preopen_name: Option<Vec<u8>>,
    /// Directory listing snapshot for `fd_readdir` (refreshed when the cookie is 0).
    pub dir_cache: Mutex<Option<Arc<Vec<HostDirEntry>>>>,
}

impl FdEntry {
    /// A new entry.
    pub fn new(res: Resource, filetype: FileType, base: u64, inheriting: u64, root: u32) -> Self {
        FdEntry {
            res,
            filetype,
            base: AtomicU64::new(base),
            inheriting: AtomicU64::new(inheriting),
            root,
            preopen_name: None,
            dir_cache: Mutex::new(None),
        }
    }

    /// The host descriptor.
    pub fn fd(&self) -> BorrowedFd<'_> {
        use std::os::fd::AsFd;
        match &self.res {
            // SAFETY: stdio descriptors are kept open by the embedder for the context's
            // lifetime (module invariant); the borrow does not outlive `self`.
            Resource::Stdio(raw) => unsafe { BorrowedFd::borrow_raw(*raw) },
            Resource::File(f) | Resource::Dir(f) | Resource::Socket(f) => f.as_fd(),
        }
    }

    /// True for directories.
    pub fn is_dir(&self) -> bool {
        matches!(self.res, Resource::Dir(_))
    }

    /// Current `(base, inheriting)` rights.
    pub fn rights(&self) -> (u64, u64) {
        (
            self.base.load(Ordering::Acquire),
            self.inheriting.load(Ordering::Acquire),
        )
    }

    /// `notcapable` unless every right in `needed` is held.
    #[inline]
    pub fn require(&self, needed: u64) -> Result<(), Errno> {
        if self.base.load(Ordering::Acquire) & needed == needed {
            Ok(())
        } else {
            Err(Errno::Notcapable)
        }
    }

    /// Drop rights: asking for any right not currently held is `notcapable` and changes
    /// nothing; otherwise the rights become exactly the ones asked for (a subset).
    pub fn shrink(&self, base: u64, inheriting: u64) -> Result<(), Errno> {
        let (b, i) = self.rights();
        if base & !b != 0 || inheriting & !i != 0 {
            return Err(Errno::Notcapable);
        }
        self.base.fetch_and(base, Ordering::AcqRel);
        self.inheriting.fetch_and(inheriting, Ordering::AcqRel);
        Ok(())
    }
}

/// Most descriptors one instance may hold.
pub const MAX_FDS: usize = 16 * 1024;

/// Guest fd numbers → sealed handles of this context's resources.
pub struct FdTable {
    owner: OwnerId,
    handles: HandleTable<FdEntry>,
    map: Mutex<Vec<Option<SealedHandle>>>,
}

impl FdTable {
    /// An empty table whose handles are owned by `owner`.
    pub fn new(owner: OwnerId) -> FdTable {
        FdTable {
            owner,
            handles: HandleTable::new(),
            map: Mutex::new(Vec::new()),
        }
    }

    /// The entry behind guest fd `fd`, or `badf`.
    #[inline]
    pub fn get(&self, fd: u32) -> Result<Arc<FdEntry>, Errno> {
        let h = self.handle(fd).ok_or(Errno::Badf)?;
        self.handles
            .get(h, OType::WASI_FD, Some(self.owner))
            .map_err(|_| Errno::Badf)
    }

    /// The sealed handle currently behind guest fd `fd` (for host-side holders).
    pub fn handle(&self, fd: u32) -> Option<SealedHandle> {
        self.map.lock().get(fd as usize).copied().flatten()
    }

    /// Validate a host-held handle: stale once its descriptor was closed.
    pub fn resolve_handle(&self, h: SealedHandle) -> Result<Arc<FdEntry>, HandleError> {
        self.handles.get(h, OType::WASI_FD, Some(self.owner))
    }

    fn seal(&self, entry: FdEntry) -> Result<SealedHandle, Errno> {
        self.handles
            .insert(OType::WASI_FD, self.owner, Arc::new(entry))
            .map_err(|_| Errno::Nfile)
    }

    /// Insert at the lowest free number; `mfile` when the table is full.
    pub fn insert(&self, entry: FdEntry) -> Result<u32, Errno> {
        let mut map = self.map.lock();
        let slot = map.iter().position(Option::is_none).unwrap_or(map.len());
        if slot >= MAX_FDS {
            return Err(Errno::Mfile);
        }
        let h = self.seal(entry)?;
        if slot == map.len() {
            map.push(Some(h));
        } else {
            map[slot] = Some(h);
        }
        Ok(slot as u32)
    }

    /// Insert at exactly `fd` (used while building the context).
    pub fn insert_at(&self, fd: u32, entry: FdEntry) -> Result<(), Errno> {
        let mut map = self.map.lock();
        if fd as usize >= MAX_FDS {
            return Err(Errno::Mfile);
        }
        if map.len() <= fd as usize {
            map.resize(fd as usize + 1, None);
        }
        if map[fd as usize].is_some() {
            return Err(Errno::Exist);
        }
        map[fd as usize] = Some(self.seal(entry)?);
        Ok(())
    }

    /// Close `fd`: the number becomes free and the handle stale.
    pub fn close(&self, fd: u32) -> Result<Arc<FdEntry>, Errno> {
        let h = {
            let mut map = self.map.lock();
            map.get_mut(fd as usize)
                .and_then(Option::take)
                .ok_or(Errno::Badf)?
        };
        self.handles
            .remove(h, OType::WASI_FD, Some(self.owner))
            .map_err(|_| Errno::Badf)
    }

    /// `fd_renumber`: both numbers must be open; `to` is closed and `from`'s entry moves
    /// there (keeping its handle).
    pub fn renumber(&self, from: u32, to: u32) -> Result<(), Errno> {
        let old = {
            let mut map = self.map.lock();
            let (f, t) = (from as usize, to as usize);
            if map.get(f).copied().flatten().is_none() || map.get(t).copied().flatten().is_none() {
                return Err(Errno::Badf);
            }
            if f == t {
                return Ok(());
            }
            let moved = map[f].take();
            std::mem::replace(&mut map[t], moved)
        };
        if let Some(h) = old {
            // The replaced entry is closed; dropping it outside the map lock.
            let _ = self.handles.remove(h, OType::WASI_FD, Some(self.owner));
        }
        Ok(())
    }

    /// Every open descriptor number (ascending).
    pub fn open_fds(&self) -> Vec<u32> {
        let map = self.map.lock();
        (0..map.len() as u32)
            .filter(|&i| map[i as usize].is_some())
            .collect()
    }
}

impl Drop for FdTable {
    fn drop(&mut self) {
        self.handles.remove_owned_by(self.owner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasi::types::rights;

    fn entry(base: u64, inh: u64) -> FdEntry {
        FdEntry::new(Resource::Stdio(1), FileType::Unknown, base, inh, NO_ROOT)
    }

    #[test]
    fn rights_only_ever_shrink() {
        // Random request sequences (xorshift): no sequence of `shrink` calls gains a bit.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200 {
            let e = entry(rights::ALL, rights::ALL);
            let (mut b, mut i) = e.rights();
            for _ in 0..20 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let (rb, ri) = (x & rights::ALL, (x >> 17) & rights::ALL);
                let ok = e.shrink(rb, ri).is_ok();
                let (nb, ni) = e.rights();
                assert_eq!(nb & !b, 0);
                assert_eq!(ni & !i, 0);
                assert_eq!(ok, rb & !b == 0 && ri & !i == 0);
                if ok {
                    assert_eq!((nb, ni), (rb, ri));
                } else {
                    assert_eq!((nb, ni), (b, i), "a refused request changes nothing");
                }
                (b, i) = (nb, ni);
            }
        }
        let e = entry(rights::FD_READ, 0);
        assert_eq!(e.require(rights::FD_WRITE), Err(Errno::Notcapable));
        assert_eq!(e.require(rights::FD_READ), Ok(()));
    }

    #[test]
    fn closed_numbers_are_reused_and_handles_go_stale() {
        let t = FdTable::new(OwnerId::new(7));
        assert_eq!(t.insert(entry(0, 0)).unwrap(), 0);
        assert_eq!(t.insert(entry(0, 0)).unwrap(), 1);
        let h = t.handle(0).unwrap();
        t.close(0).unwrap();
        assert_eq!(t.get(0).unwrap_err(), Errno::Badf);
        assert_eq!(t.close(0).unwrap_err(), Errno::Badf);
        assert_eq!(t.insert(entry(0, 0)).unwrap(), 0);
        assert!(t.resolve_handle(h).is_err());
        assert_ne!(t.handle(0), Some(h));
        assert_eq!(t.renumber(1, 5), Err(Errno::Badf), "target must be open");
        let h1 = t.handle(1).unwrap();
        t.renumber(1, 0).unwrap();
        assert_eq!(t.handle(0), Some(h1));
        assert_eq!(t.open_fds(), [0]);
        let other = FdTable::new(OwnerId::new(8));
        assert!(other.resolve_handle(h1).is_err(), "owner check");
    }
}
