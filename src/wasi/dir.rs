//! `fd_readdir`: directory listings, including `.` and `..` as WAMR returns them.
//!
//! Cookies are entry indexes into a snapshot of the directory taken when the cookie is 0, so
//! a guest that reads a listing in several calls sees one consistent listing.

use std::sync::Arc;

use super::ctx::WasiCtx;
use super::fs_fd::a32;
use super::guest::Guest;
use super::sys;
use super::types::{Errno, FileType, WasiResult, layout, rights};

/// `fd_readdir(fd, buf, buf_len, cookie: u64, bufused: *u32)`: fills `buf` with `dirent`
/// headers each followed by the name; the last entry may be cut off at `buf_len` (the guest
/// then calls again with a larger buffer), exactly as preview1 specifies.
pub fn fd_readdir(cx: &WasiCtx, g: Guest<'_>, a: &[u64]) -> WasiResult {
    let (buf, buf_len, cookie, out) = (a32(a, 1), a32(a, 2), a[3], a32(a, 4));
    g.check(buf, u64::from(buf_len))?;
    g.check(out, 4)?;
    let e = cx.entry(a32(a, 0))?;
    if !e.is_dir() {
        return Err(Errno::Notdir.into());
    }
    e.require(rights::FD_READDIR)?;
    let list = {
        let mut cache = e.dir_cache.lock();
        match &*cache {
            Some(l) if cookie != 0 => l.clone(),
            _ => {
                let l = Arc::new(sys::read_dir(e.fd())?);
                *cache = Some(l.clone());
                l
            }
        }
    };
    let cap = buf_len as usize;
    let mut bytes = Vec::with_capacity(cap.min(64 * 1024));
    let start = usize::try_from(cookie).unwrap_or(usize::MAX);
    for (i, ent) in list.iter().enumerate().skip(start) {
        if bytes.len() >= cap {
            break;
        }
        let mut ft = FileType::from_dirent_type(ent.d_type);
        if ent.d_type == libc::DT_UNKNOWN {
            if let Ok(st) = sys::lstatat(e.fd(), &ent.name) {
                ft = FileType::from_mode(st.st_mode);
            }
        }
        let mut h = [0u8; layout::DIRENT_SIZE];
        h[0..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
        h[8..16].copy_from_slice(&ent.ino.to_le_bytes());
        h[16..20].copy_from_slice(&(ent.name.len() as u32).to_le_bytes());
        h[20] = ft as u8;
        bytes.extend_from_slice(&h);
        bytes.extend_from_slice(&ent.name);
    }
    bytes.truncate(cap);
    g.write(buf, &bytes)?;
    Ok(g.write_u32(out, bytes.len() as u32)?)
}
