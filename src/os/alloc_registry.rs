//! The registry of live user-mode blocks of [`super`] (`Alloc_With_Allocator`): aligned
//! pointer -> the user's raw block, an open-addressing table allocated with the user's own
//! `malloc` and guarded by a spin lock that never allocates or parks.
//!
//! # Invariants
//! The table's slots are `cap` entries owned by the table (allocated with the user's malloc),
//! accessed only with the lock held.

use super::UserFns;
use std::sync::atomic::{AtomicBool, Ordering};

const EMPTY: usize = 0;
const TOMB: usize = 1;

struct Table {
    slots: *mut [usize; 2],
    cap: usize,
    live: usize,
    used: usize,
}

static LOCK: AtomicBool = AtomicBool::new(false);
static mut TABLE: Table = Table {
    slots: std::ptr::null_mut(),
    cap: 0,
    live: 0,
    used: 0,
};

fn with<R>(f: impl FnOnce(&mut Table) -> R) -> R {
    crate::os::spin::acquire(|| {
        LOCK.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    });
    // SAFETY: the spin lock gives exclusive access to TABLE.
    let r = f(unsafe { &mut *std::ptr::addr_of_mut!(TABLE) });
    LOCK.store(false, Ordering::Release);
    r
}

fn hash(p: usize, cap: usize) -> usize {
    ((p >> 3).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 7) & (cap - 1)
}

impl Table {
    fn slot(&self, i: usize) -> [usize; 2] {
        // SAFETY: `i < cap` (masked) and `slots` has `cap` entries owned by the table.
        unsafe { self.slots.add(i).read() }
    }

    fn set(&mut self, i: usize, v: [usize; 2]) {
        // SAFETY: as in `slot`; `&mut self` means the lock is held.
        unsafe { self.slots.add(i).write(v) }
    }

    fn find(&self, p: usize) -> Option<usize> {
        if self.cap == 0 {
            return None;
        }
        let mut i = hash(p, self.cap);
        for _ in 0..self.cap {
            let s = self.slot(i);
            if s[0] == p {
                return Some(i);
            }
            if s[0] == EMPTY {
                return None;
            }
            i = (i + 1) & (self.cap - 1);
        }
        None
    }

    fn put(&mut self, p: usize, raw: usize) {
        let mut i = hash(p, self.cap);
        loop {
            let s = self.slot(i);
            if s[0] == EMPTY || s[0] == TOMB {
                if s[0] == EMPTY {
                    self.used += 1;
                }
                self.set(i, [p, raw]);
                self.live += 1;
                return;
            }
            i = (i + 1) & (self.cap - 1);
        }
    }

    fn grow(&mut self, u: &UserFns) -> bool {
        let cap = (self.live * 4).max(64).next_power_of_two();
        let bytes = cap * std::mem::size_of::<[usize; 2]>();
        let Ok(n) = std::ffi::c_uint::try_from(bytes) else {
            return false;
        };
        // SAFETY: the embedder's malloc.
        let mem = unsafe { (u.malloc)(n) }.cast::<[usize; 2]>();
        if mem.is_null() || mem as usize % std::mem::align_of::<usize>() != 0 {
            return false;
        }
        // SAFETY: `mem` has `bytes` writable bytes.
        unsafe { std::ptr::write_bytes(mem, 0, cap) };
        let old = std::mem::replace(
            self,
            Table {
                slots: mem,
                cap,
                live: 0,
                used: 0,
            },
        );
        for i in 0..old.cap {
            let s = old.slot(i);
            if s[0] > TOMB {
                self.put(s[0], s[1]);
            }
        }
        if !old.slots.is_null() {
            // SAFETY: the old table came from the same user malloc.
            unsafe { (u.free)(old.slots.cast()) };
        }
        true
    }
}

/// Record a user block; false if the table could not grow.
pub(super) fn insert(p: *mut u8, raw: *mut u8, u: &UserFns) -> bool {
    with(|t| {
        if (t.used + 1) * 2 > t.cap && !t.grow(u) {
            return false;
        }
        t.put(p as usize, raw as usize);
        true
    })
}

pub(super) fn get(p: *mut u8) -> Option<*mut u8> {
    with(|t| t.find(p as usize).map(|i| t.slot(i)[1] as *mut u8))
}

pub(super) fn remove(p: *mut u8) -> Option<*mut u8> {
    with(|t| {
        let i = t.find(p as usize)?;
        let raw = t.slot(i)[1] as *mut u8;
        t.set(i, [TOMB, 0]);
        t.live -= 1;
        Some(raw)
    })
}

pub(super) fn len() -> usize {
    with(|t| t.live)
}

/// Free the (empty) table with the user's free.
pub(super) fn release() {
    let fns = super::user_fns();
    with(|t| {
        if !t.slots.is_null() {
            if let Some(u) = fns {
                // SAFETY: the table came from the user's malloc.
                unsafe { (u.free)(t.slots.cast()) };
            }
        }
        *t = Table {
            slots: std::ptr::null_mut(),
            cap: 0,
            live: 0,
            used: 0,
        };
    })
}
