//! WAMR's hash map (`bh_hashmap.h`): keys and values are opaque pointers, hashing and
//! equality are the caller's C callbacks, an optional destructor runs on each key and value
//! when the map is destroyed. Buckets are `size` chains (size clamped to 4..=65536, larger
//! refused); a new element goes to the head of its chain, which is the order traversal sees.
//!
//! A map is a Rust object whose address is the C handle, kept in a registry so that a stale
//! pointer is refused; each call holds its own reference, so a concurrent destroy cannot
//! free the map under it. It is always protected by a re-entrant lock (WAMR's `use_lock` only
//! decides whether WAMR locks); a callback that re-enters the same map to change it gets a
//! failure instead of corrupting it.
//!
//! # Invariants
//! - The callbacks were supplied by the map's creator, who vouches they accept its keys and
//!   values.

use crate::os::log;
use once_cell::sync::Lazy;
use parking_lot::{Mutex, ReentrantMutex};
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::Arc;

/// `HASH_MAP_MIN_SIZE`.
pub const MIN_SIZE: u32 = 4;
/// `HASH_MAP_MAX_SIZE`.
pub const MAX_SIZE: u32 = 65536;

/// `HashFunc`.
pub type HashFunc = unsafe extern "C" fn(*const c_void) -> u32;
/// `KeyEqualFunc`.
pub type KeyEqualFunc = unsafe extern "C" fn(*mut c_void, *mut c_void) -> bool;
/// `KeyDestroyFunc` / `ValueDestroyFunc`.
pub type DestroyFunc = unsafe extern "C" fn(*mut c_void);
/// `TraverseCallbackFunc`.
pub type TraverseFunc = unsafe extern "C" fn(*mut c_void, *mut c_void, *mut c_void);

/// The callbacks of a map.
#[derive(Clone, Copy)]
pub struct Callbacks {
    /// Hash of a key.
    pub hash: HashFunc,
    /// Key equality.
    pub equal: KeyEqualFunc,
    /// Run on each key at destroy.
    pub key_destroy: Option<DestroyFunc>,
    /// Run on each value at destroy.
    pub value_destroy: Option<DestroyFunc>,
}

type Buckets = Vec<Vec<(usize, usize)>>;

/// A hash map (`HashMap`).
pub struct Map {
    lock: ReentrantMutex<RefCell<Buckets>>,
    cb: Callbacks,
    use_lock: bool,
}

static MAPS: Lazy<Mutex<HashMap<usize, Arc<Map>>>> = Lazy::new(Default::default);

/// Why a map operation failed.
#[derive(Debug, PartialEq, Eq)]
pub enum MapError {
    /// Not a live map.
    Unknown,
    /// A callback re-entered the map while it was being changed.
    Busy,
}

/// `bh_hash_map_create`: the handle, or `None` when `size` exceeds [`MAX_SIZE`].
pub fn create(size: u32, use_lock: bool, cb: Callbacks) -> Option<usize> {
    if size > MAX_SIZE {
        log::log(log::ERROR, "HashMap create failed: size is too large.\n");
        return None;
    }
    let size = size.max(MIN_SIZE) as usize;
    let m = Arc::new(Map {
        lock: ReentrantMutex::new(RefCell::new(vec![Vec::new(); size])),
        cb,
        use_lock,
    });
    let addr = Arc::as_ptr(&m) as usize;
    MAPS.lock().insert(addr, m);
    Some(addr)
}

fn with_map<R>(addr: usize, f: impl FnOnce(&Map) -> R) -> Result<R, MapError> {
    let m = MAPS.lock().get(&addr).cloned().ok_or(MapError::Unknown)?;
    Ok(f(&m))
}

impl Map {
    fn bucket(&self, key: usize, n: usize) -> usize {
        // SAFETY: the creator's hash callback (module invariant).
        (unsafe { (self.cb.hash)(key as *const c_void) } as usize) % n
    }

    fn position(&self, chain: &[(usize, usize)], key: usize) -> Option<usize> {
        chain.iter().position(|&(k, _)| {
            // SAFETY: the creator's equality callback (module invariant).
            unsafe { (self.cb.equal)(k as *mut c_void, key as *mut c_void) }
        })
    }

    /// Run `f` on the buckets, locked; `Busy` when re-entered during a change.
    fn edit<R>(&self, f: impl FnOnce(&Map, &mut Buckets) -> R) -> Result<R, MapError> {
        let g = self.lock.lock();
        let mut b = g.try_borrow_mut().map_err(|_| MapError::Busy)?;
        Ok(f(self, &mut b))
    }
}

/// `bh_hash_map_insert`: false (with WAMR's error line) when the key is already present.
pub fn insert(addr: usize, key: usize, value: usize) -> Result<bool, MapError> {
    with_map(addr, |m| {
        m.edit(|m, b| {
            let i = m.bucket(key, b.len());
            if m.position(&b[i], key).is_some() {
                log::log(
                    log::ERROR,
                    "HashMap insert elem failed: duplicated key found.\n",
                );
                return false;
            }
            b[i].insert(0, (key, value));
            true
        })
    })?
}

/// `bh_hash_map_find`: the value, or `None`.
pub fn find(addr: usize, key: usize) -> Result<Option<usize>, MapError> {
    with_map(addr, |m| {
        m.edit(|m, b| {
            let i = m.bucket(key, b.len());
            m.position(&b[i], key).map(|p| b[i][p].1)
        })
    })?
}

/// `bh_hash_map_update`: the old value if the key was present (and is now `value`).
pub fn update(addr: usize, key: usize, value: usize) -> Result<Option<usize>, MapError> {
    with_map(addr, |m| {
        m.edit(|m, b| {
            let i = m.bucket(key, b.len());
            m.position(&b[i], key)
                .map(|p| std::mem::replace(&mut b[i][p].1, value))
        })
    })?
}

/// `bh_hash_map_remove`: the stored (key, value) if present.
pub fn remove(addr: usize, key: usize) -> Result<Option<(usize, usize)>, MapError> {
    with_map(addr, |m| {
        m.edit(|m, b| {
            let i = m.bucket(key, b.len());
            m.position(&b[i], key).map(|p| b[i].remove(p))
        })
    })?
}

/// `bh_hash_map_traverse`: `cb(key, value, user)` for each element, bucket by bucket.
///
/// # Safety
/// `cb` accepts the map's keys and values and `user`.
pub unsafe fn traverse(addr: usize, cb: TraverseFunc, user: *mut c_void) -> Result<(), MapError> {
    with_map(addr, |m| {
        let g = m.lock.lock();
        // a snapshot, so the callback may read the map (re-entrant lock, shared borrow ended)
        let all: Vec<(usize, usize)> = g
            .try_borrow()
            .map_err(|_| MapError::Busy)?
            .iter()
            .flatten()
            .copied()
            .collect();
        for (k, v) in all {
            // SAFETY: the caller's callback with the map's own keys and values.
            unsafe { cb(k as *mut c_void, v as *mut c_void, user) };
        }
        Ok(())
    })?
}

/// WAMR's `bh_hash_map_get_struct_size` for this map: the size WAMR's own struct would have
/// (header, one pointer per bucket, the mutex when locked), for memory accounting.
pub fn struct_size(addr: usize) -> Result<u32, MapError> {
    with_map(addr, |m| {
        let buckets = m.lock.lock().borrow().len();
        let header = 8 + 5 * std::mem::size_of::<usize>();
        let lock = if m.use_lock {
            std::mem::size_of::<libc::pthread_mutex_t>()
        } else {
            0
        };
        (header + buckets * std::mem::size_of::<usize>() + lock) as u32
    })
}

/// `bh_hash_map_get_elem_struct_size`: WAMR's element is (key, value, next).
pub fn elem_struct_size() -> u32 {
    3 * std::mem::size_of::<usize>() as u32
}

/// `bh_hash_map_destroy`: run the destructors on every element, free the map.
pub fn destroy(addr: usize) -> Result<(), MapError> {
    let m = MAPS.lock().remove(&addr).ok_or(MapError::Unknown)?;
    let all: Vec<(usize, usize)> = {
        let g = m.lock.lock();
        let Ok(mut b) = g.try_borrow_mut() else {
            // destroyed from one of its own callbacks: refuse, keep the map
            MAPS.lock().insert(addr, m.clone());
            return Err(MapError::Busy);
        };
        b.drain(..).flatten().collect()
    };
    for (k, v) in all {
        // SAFETY: the creator's destructors for its own keys and values.
        unsafe {
            if let Some(d) = m.cb.key_destroy {
                d(k as *mut c_void);
            }
            if let Some(d) = m.cb.value_destroy {
                d(v as *mut c_void);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    unsafe extern "C" fn hash(k: *const c_void) -> u32 {
        k as usize as u32
    }
    unsafe extern "C" fn eq(a: *mut c_void, b: *mut c_void) -> bool {
        a == b
    }
    static DESTROYED: AtomicUsize = AtomicUsize::new(0);
    unsafe extern "C" fn gone(_: *mut c_void) {
        DESTROYED.fetch_add(1, Ordering::SeqCst);
    }
    unsafe extern "C" fn count(_: *mut c_void, v: *mut c_void, user: *mut c_void) {
        // SAFETY: the test passes a live AtomicUsize.
        unsafe { &*(user as *const AtomicUsize) }.fetch_add(v as usize, Ordering::SeqCst);
    }

    #[test]
    fn map_semantics() {
        let cb = Callbacks {
            hash,
            equal: eq,
            key_destroy: None,
            value_destroy: Some(gone),
        };
        assert!(create(MAX_SIZE + 1, false, cb).is_none());
        let m = create(0, true, cb).unwrap();
        for k in 1..=10usize {
            assert_eq!(insert(m, k, k * 10), Ok(true));
        }
        assert_eq!(insert(m, 3, 0), Ok(false));
        assert_eq!(find(m, 3), Ok(Some(30)));
        assert_eq!(find(m, 11), Ok(None));
        assert_eq!(update(m, 3, 33), Ok(Some(30)));
        assert_eq!(update(m, 11, 1), Ok(None));
        assert_eq!(remove(m, 4), Ok(Some((4, 40))));
        assert_eq!(remove(m, 4), Ok(None));
        let sum = AtomicUsize::new(0);
        // SAFETY: `count` takes the AtomicUsize passed as `user`.
        unsafe { traverse(m, count, &sum as *const _ as *mut c_void) }.unwrap();
        assert_eq!(sum.load(Ordering::SeqCst), 550 - 30 + 33 - 40);
        assert_eq!(struct_size(m).unwrap(), (48 + 4 * 8 + 40) as u32);
        DESTROYED.store(0, Ordering::SeqCst);
        destroy(m).unwrap();
        assert_eq!(DESTROYED.load(Ordering::SeqCst), 9);
        assert_eq!(destroy(m), Err(MapError::Unknown));
        assert_eq!(find(m, 1), Err(MapError::Unknown));
    }
}
