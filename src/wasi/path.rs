//! Path resolution confined beneath a directory descriptor.
//!
//! Guest paths are always relative to a directory capability (a preopen or a directory opened
//! beneath one). Resolution never leaves that directory, not even transiently:
//!
//! - absolute paths are refused (`notcapable`);
//! - `..` is resolved by popping our own stack of descriptors, never by asking the kernel for
//!   a parent, and popping past the starting directory is `notcapable`;
//! - every component is opened with `O_NOFOLLOW`; symbolic links are read with `readlinkat`
//!   and their targets spliced into the remaining path (absolute targets are `notcapable`,
//!   at most 40 links), so a link can only lead somewhere the same rules allow;
//! - `/proc` magic links are never followed: their text is either absolute (refused) or not
//!   a usable name.
//!
//! [`open`] uses `openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)` when the kernel has it (one
//! system call, the kernel enforces the same rules) and the walk otherwise.

use std::collections::VecDeque;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use super::sys;
use super::types::Errno;

/// Symbolic links followed in one resolution before `loop`.
const MAX_SYMLINKS: u32 = 40;

/// The directory an operation acts in: the starting directory itself or one opened beneath
/// it.
pub enum DirRef<'a> {
    /// The starting directory.
    Base(BorrowedFd<'a>),
    /// A directory opened during resolution (`O_PATH`).
    Owned(OwnedFd),
}

impl DirRef<'_> {
    /// The descriptor.
    pub fn fd(&self) -> BorrowedFd<'_> {
        match self {
            DirRef::Base(b) => *b,
            DirRef::Owned(o) => o.as_fd(),
        }
    }
}

/// A resolved path: a directory beneath the start and one final name in it.
pub struct Resolved<'a> {
    /// The directory containing the final component.
    pub parent: DirRef<'a>,
    /// The final component: a plain name, or `.` when the path names `parent` itself.
    pub name: Vec<u8>,
    /// The path ended in `/`: the final object must be a directory.
    pub must_be_dir: bool,
    /// How many directories `parent` is below the starting directory.
    pub depth: usize,
}

impl Resolved<'_> {
    /// `notdir` if the path demanded a directory and the existing final object is not one.
    pub fn check_dir_demand(&self) -> Result<(), Errno> {
        if self.must_be_dir && self.name != b"." {
            if let Ok(st) = sys::lstatat(self.parent.fd(), &self.name) {
                if st.st_mode & libc::S_IFMT != libc::S_IFDIR {
                    return Err(Errno::Notdir);
                }
            }
        }
        Ok(())
    }

    /// True when the path names the starting directory or a directory reached with `..`/`.`.
    pub fn is_dot(&self) -> bool {
        self.name == b"."
    }
}

fn split(path: &[u8]) -> VecDeque<Vec<u8>> {
    path.split(|&b| b == b'/')
        .filter(|c| !c.is_empty())
        .map(<[u8]>::to_vec)
        .collect()
}

/// Resolve `path` beneath `base` to `(parent directory, final name)`.
///
/// Symbolic links in directory components are followed (when they stay beneath `base`); a
/// symbolic link as the final component is followed only with `follow_final` (or a trailing
/// `/`). The final name itself is never opened here, so operations on it use `*at` calls with
/// no-follow semantics on a directory that is known to be beneath `base`.
pub fn resolve<'a>(
    base: BorrowedFd<'a>,
    path: &[u8],
    follow_final: bool,
) -> Result<Resolved<'a>, Errno> {
    if path.is_empty() {
        return Err(Errno::Noent);
    }
    if path[0] == b'/' {
        return Err(Errno::Notcapable);
    }
    let mut trailing_slash = path.ends_with(b"/");
    let mut queue = split(path);
    let mut stack: Vec<OwnedFd> = Vec::new();
    let mut links = 0u32;
    let done = |stack: Vec<OwnedFd>, name: Vec<u8>, must_be_dir: bool| {
        let depth = stack.len();
        let parent = match stack.into_iter().last() {
            Some(fd) => DirRef::Owned(fd),
            None => DirRef::Base(base),
        };
        Ok(Resolved {
            parent,
            name,
            must_be_dir,
            depth,
        })
    };
    if queue.is_empty() {
        // Only slashes (cannot happen after the absolute check) or empty components.
        return done(stack, b".".to_vec(), true);
    }
    while let Some(comp) = queue.pop_front() {
        let last = queue.is_empty();
        if comp == b"." {
            if last {
                return done(stack, b".".to_vec(), true);
            }
            continue;
        }
        if comp == b".." {
            if stack.pop().is_none() {
                return Err(Errno::Notcapable);
            }
            if last {
                return done(stack, b".".to_vec(), true);
            }
            continue;
        }
        let cur = match stack.last() {
            Some(fd) => fd.as_fd(),
            None => base,
        };
        if last {
            if follow_final || trailing_slash {
                match sys::readlinkat(cur, &comp) {
                    Ok(target) => {
                        splice(&mut queue, &target, &mut links)?;
                        trailing_slash |= target.ends_with(b"/");
                        if queue.is_empty() {
                            // A link to "." or similar: names the current directory.
                            return done(stack, b".".to_vec(), true);
                        }
                        continue;
                    }
                    Err(Errno::Inval) | Err(Errno::Noent) => {}
                    Err(e) => return Err(e),
                }
            }
            return done(stack, comp, trailing_slash);
        }
        match sys::openat(
            cur,
            &comp,
            libc::O_PATH | libc::O_DIRECTORY | libc::O_NOFOLLOW,
            0,
        ) {
            Ok(fd) => stack.push(fd),
            Err(Errno::Notdir) | Err(Errno::Loop) => match sys::readlinkat(cur, &comp) {
                Ok(target) => splice(&mut queue, &target, &mut links)?,
                Err(Errno::Inval) => return Err(Errno::Notdir),
                Err(e) => return Err(e),
            },
            Err(e) => return Err(e),
        }
    }
    // The queue emptied through `.`/`..`/link handling above, which all return; unreachable
    // in practice, but answer with the current directory rather than panic.
    done(stack, b".".to_vec(), true)
}

/// Put a symlink's target in front of the remaining components.
fn splice(queue: &mut VecDeque<Vec<u8>>, target: &[u8], links: &mut u32) -> Result<(), Errno> {
    *links += 1;
    if *links > MAX_SYMLINKS {
        return Err(Errno::Loop);
    }
    if target.is_empty() {
        return Err(Errno::Noent);
    }
    if target[0] == b'/' {
        return Err(Errno::Notcapable);
    }
    for c in split(target).into_iter().rev() {
        queue.push_front(c);
    }
    Ok(())
}

/// Open `path` beneath `base` with host `flags` (`O_CLOEXEC` is added). With `follow` a final
/// symbolic link is followed (beneath `base` only); without it, a final link fails with
/// `loop` as POSIX `O_NOFOLLOW`.
pub fn open(
    base: BorrowedFd<'_>,
    path: &[u8],
    follow: bool,
    flags: i32,
    mode: u32,
) -> Result<OwnedFd, Errno> {
    if path.is_empty() {
        return Err(Errno::Noent);
    }
    if path[0] == b'/' {
        return Err(Errno::Notcapable);
    }
    let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
    match sys::openat2_beneath(base, path, flags | nofollow, mode) {
        Ok(Some(fd)) => return Ok(fd),
        Ok(None) => {}
        // RESOLVE_BENEATH reports an escape as EXDEV.
        Err(Errno::Xdev) => return Err(Errno::Notcapable),
        Err(e) => return Err(e),
    }
    open_by_walk(base, path, follow, flags, mode)
}

/// The portable path of [`open`]: resolve the parent with [`resolve`], then open the final
/// name with `O_NOFOLLOW`. If the final name turned into a symlink between the two steps,
/// resolve again (bounded).
pub fn open_by_walk(
    base: BorrowedFd<'_>,
    path: &[u8],
    follow: bool,
    flags: i32,
    mode: u32,
) -> Result<OwnedFd, Errno> {
    for _ in 0..8 {
        let r = resolve(base, path, follow)?;
        let mut f = flags | libc::O_NOFOLLOW;
        if r.must_be_dir {
            f |= libc::O_DIRECTORY;
        }
        match sys::openat(r.parent.fd(), &r.name, f, mode) {
            // A symlink appeared after resolution: resolve again.
            Err(Errno::Loop) if follow && sys::readlinkat(r.parent.fd(), &r.name).is_ok() => {}
            other => return other,
        }
    }
    Err(Errno::Loop)
}

/// Lexical check of a `path_symlink` target created `depth` directories below the starting
/// directory: relative, and never climbing above the starting directory.
pub fn symlink_target_stays_beneath(target: &[u8], depth: usize) -> bool {
    if target.is_empty() || target[0] == b'/' {
        return false;
    }
    let mut d = depth as isize;
    for c in target.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                d -= 1;
                if d < 0 {
                    return false;
                }
            }
            _ => d += 1,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlink_targets() {
        assert!(symlink_target_stays_beneath(b"a/b", 0));
        assert!(symlink_target_stays_beneath(b"../x", 1));
        assert!(!symlink_target_stays_beneath(b"../x", 0));
        assert!(!symlink_target_stays_beneath(b"a/../../x", 0));
        assert!(!symlink_target_stays_beneath(b"/etc", 3));
        assert!(!symlink_target_stays_beneath(b"", 0));
        assert!(symlink_target_stays_beneath(b"./a/./b/..", 0));
    }
}
