//! The per-instance WASI context: the descriptor table, the copied arguments and environment,
//! the network allowlists and the exit code.
//!
//! # Invariants
//! - A raw stdio descriptor is borrowed only for the `fstat` that classifies it; after that it
//!   lives in the table as `Resource::Stdio` under the fdtable's invariant (the embedder keeps
//!   it open).

use std::os::fd::{AsFd, BorrowedFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::config::{AddrRange, WasiConfig};
use super::fdtable::{FdEntry, FdTable, NO_ROOT, Resource};
use super::sys;
use super::types::{Errno, FileType, rights};
use crate::cap::{HandleError, OwnerId, SealedHandle};

static NEXT_CTX_ID: AtomicU64 = AtomicU64::new(1);

const NO_EXIT: u64 = u64::MAX;

/// One instance's WASI state. Never shared between instances: a guest fd number means
/// something only in its own context.
pub struct WasiCtx {
    id: u64,
    pub(crate) fds: FdTable,
    pub(crate) args: Vec<Vec<u8>>,
    pub(crate) envs: Vec<Vec<u8>>,
    pub(crate) addr_pool: Vec<AddrRange>,
    pub(crate) ns_lookup_pool: Vec<String>,
    exit: AtomicU64,
}

impl std::fmt::Debug for WasiCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasiCtx")
            .field("id", &self.id)
            .field("fds", &self.fds.open_fds())
            .finish_non_exhaustive()
    }
}

fn stdio_entry(raw: i64) -> Result<Option<FdEntry>, String> {
    let raw = i32::try_from(raw).map_err(|_| format!("invalid stdio descriptor {raw}"))?;
    // SAFETY: only used for the duration of this fstat; `fstat` on a closed number fails
    // cleanly (EBADF) and then no entry is made.
    let fd = unsafe { BorrowedFd::borrow_raw(raw) };
    let Ok(st) = sys::fstat(fd) else {
        return Ok(None);
    };
    let ft = FileType::from_mode(st.st_mode);
    let base = match ft {
        FileType::RegularFile => rights::REGULAR_FILE_BASE,
        FileType::CharacterDevice => rights::TTY_BASE,
        FileType::SocketStream | FileType::SocketDgram => rights::SOCKET_BASE,
        _ => rights::STREAM_BASE,
    };
    let ft = if ft == FileType::SocketStream {
        super::net::socket_filetype(fd)
    } else {
        ft
    };
    Ok(Some(FdEntry::new(
        Resource::Stdio(raw),
        ft,
        base,
        0,
        NO_ROOT,
    )))
}

impl WasiCtx {
    /// Build a context: stdio as fds 0–2 (missing host descriptors are simply absent), then
    /// every preopen in order from fd 3. Fails if a preopen cannot be opened as a directory
    /// or an allowlist entry does not parse.
    pub fn new(cfg: &WasiConfig) -> Result<Arc<WasiCtx>, String> {
        let id = NEXT_CTX_ID.fetch_add(1, Ordering::Relaxed);
        let fds = FdTable::new(OwnerId::new(0x5741_5349_0000_0000 | id));
        for i in 0..3u32 {
            // As WAMR's `_ex` setters: a negative descriptor means "inherit".
            let raw = match cfg.stdio[i as usize] {
                Some(fd) if fd >= 0 => fd,
                _ => i64::from(i),
            };
            if let Some(e) = stdio_entry(raw)? {
                fds.insert_at(i, e)
                    .map_err(|e| format!("stdio {i}: {e:?}"))?;
            }
        }
        for (n, p) in cfg.preopens.iter().enumerate() {
            let dir = std::fs::File::open(&p.host_path).map_err(|e| {
                format!(
                    "error while pre-opening directory {}: {e}",
                    p.host_path.display()
                )
            })?;
            let st = sys::fstat(dir.as_fd()).map_err(|e| format!("{e:?}"))?;
            if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
                return Err(format!(
                    "error while pre-opening directory {}: not a directory",
                    p.host_path.display()
                ));
            }
            let (mut base, mut inh) = (rights::DIRECTORY_BASE, rights::DIRECTORY_INHERITING);
            if p.readonly {
                base &= !rights::MUTATING;
                inh &= !rights::MUTATING;
            }
            let mut e = FdEntry::new(
                Resource::Dir(dir.into()),
                FileType::Directory,
                base,
                inh,
                n as u32,
            );
            e.preopen_name = Some(p.guest_path.as_bytes().to_vec());
            fds.insert_at(3 + n as u32, e)
                .map_err(|e| format!("preopen {}: {e:?}", p.guest_path))?;
        }
        let addr_pool = cfg
            .addr_pool
            .iter()
            .map(|s| AddrRange::parse(s))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Arc::new(WasiCtx {
            id,
            fds,
            args: cfg.args.iter().map(|a| a.as_bytes().to_vec()).collect(),
            envs: cfg.envs.iter().map(|e| e.as_bytes().to_vec()).collect(),
            addr_pool,
            ns_lookup_pool: cfg.ns_lookup_pool.clone(),
            exit: AtomicU64::new(NO_EXIT),
        }))
    }

    /// The code the guest passed to `proc_exit`, if it called it.
    pub fn exit_code(&self) -> Option<u32> {
        match self.exit.load(Ordering::Acquire) {
            NO_EXIT => None,
            c => Some(c as u32),
        }
    }

    pub(crate) fn set_exit_code(&self, code: u32) {
        self.exit.store(u64::from(code), Ordering::Release);
    }

    /// The sealed handle (otype `OT_WASI_FD`) behind guest fd `fd`, for host-side holders.
    pub fn fd_handle(&self, fd: u32) -> Option<SealedHandle> {
        self.fds.handle(fd)
    }

    /// Check a host-held fd handle: `Err(Stale)` once the descriptor was closed, even if the
    /// number was reused.
    pub fn validate_fd_handle(&self, h: SealedHandle) -> Result<(), HandleError> {
        self.fds.resolve_handle(h).map(drop)
    }

    /// Open guest descriptor numbers.
    pub fn open_fds(&self) -> Vec<u32> {
        self.fds.open_fds()
    }

    pub(crate) fn entry(&self, fd: u32) -> Result<Arc<FdEntry>, Errno> {
        self.fds.get(fd)
    }
}
