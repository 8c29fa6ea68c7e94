//! A thread's cache of its last validated handle of one table.
//!
//! C code calls in loops with the same handles (`wasm_runtime_call_wasm(env, func, ...)`). A
//! validated handle stays valid until something is removed from its table (removal is the
//! only way a slot dies or changes generation), so a one-entry cache keyed by the handle's
//! bits, its owner and the table's removal count ([`HandleTable::removals`]) answers a repeated
//! validation with three comparisons. Anything else takes the full validation path.

#![forbid(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use crate::cap::handle::{HandleTable, SealedHandle};

/// One-entry validation cache; meant to live in a `thread_local!`. The key is kept in plain
/// cells so that a hit costs three loads and compares; the object sits behind a `RefCell` only
/// to be lent out.
pub struct HandleCache<T> {
    bits: Cell<u64>,
    owner: Cell<u64>,
    removals: Cell<u64>,
    obj: RefCell<Option<Arc<T>>>,
}

impl<T> Default for HandleCache<T> {
    fn default() -> Self {
        HandleCache::new()
    }
}

impl<T> HandleCache<T> {
    /// An empty cache.
    pub const fn new() -> HandleCache<T> {
        HandleCache {
            // A handle always has bit 63 set, so 0 never matches.
            bits: Cell::new(0),
            owner: Cell::new(0),
            removals: Cell::new(0),
            obj: RefCell::new(None),
        }
    }

    #[inline(always)]
    fn hit(&self, bits: u64, owner: u64, removals: u64) -> bool {
        self.bits.get() == bits && self.owner.get() == owner && self.removals.get() == removals
    }

    /// Store a fresh validation; false if the entry is lent out (nested use).
    fn fill(&self, bits: u64, owner: u64, removals: u64, obj: Arc<T>) -> bool {
        let Ok(mut slot) = self.obj.try_borrow_mut() else {
            return false;
        };
        *slot = Some(obj);
        self.bits.set(bits);
        self.owner.set(owner);
        self.removals.set(removals);
        true
    }

    /// The object behind `h` (owner `owner`) in `table`: from the cache if `h` was the last
    /// handle validated here and nothing was removed from `table` since; else from `full`
    /// (the complete validation), whose success refills the cache.
    ///
    /// The cache keeps its object alive until it is replaced or [`HandleCache::clear`]ed; the
    /// object's handle is stale by then, so nothing can reach it through the cache.
    pub fn get_or_validate(
        &self,
        table: &HandleTable<T>,
        h: SealedHandle,
        owner: u64,
        full: impl FnOnce() -> Option<Arc<T>>,
    ) -> Option<Arc<T>> {
        self.with_validated(table, h, owner, full, Arc::clone)
    }

    /// Like [`HandleCache::get_or_validate`], but lends the object to `f` instead of cloning
    /// its `Arc`: a hit costs three comparisons and no reference-count traffic. Re-entrant:
    /// `f` may validate again through the same cache (a nested miss is validated but not
    /// cached while the outer call holds the entry).
    pub fn with_validated<R>(
        &self,
        table: &HandleTable<T>,
        h: SealedHandle,
        owner: u64,
        full: impl FnOnce() -> Option<Arc<T>>,
        f: impl FnOnce(&Arc<T>) -> R,
    ) -> Option<R> {
        let bits = h.bits();
        // Read the count before validating: a removal racing with the validation misses.
        let removals = table.removals();
        if !self.hit(bits, owner, removals) {
            let obj = full()?;
            // Nested inside another lend of this cache: use the object uncached.
            if !self.fill(bits, owner, removals, obj.clone()) {
                return Some(f(&obj));
            }
        }
        // Lend the cached entry, holding the cache so nested uses cannot evict it.
        let obj = self.obj.borrow();
        obj.as_ref().map(f)
    }

    /// Forget the cached validation (releases the object). A no-op while the entry is lent
    /// out by [`HandleCache::with_validated`].
    pub fn clear(&self) {
        if let Ok(mut slot) = self.obj.try_borrow_mut() {
            slot.take();
            self.bits.set(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cap::{OType, OwnerId};

    #[test]
    fn hits_until_a_removal_then_revalidates() {
        let t: HandleTable<u32> = HandleTable::new();
        let o = OwnerId::new(7);
        let h1 = t.insert(OType::FUNC, o, Arc::new(1)).unwrap();
        let h2 = t.insert(OType::FUNC, o, Arc::new(2)).unwrap();
        let c = HandleCache::new();
        let mut full_calls = 0;
        let get = |h: SealedHandle, full_calls: &mut i32| {
            c.get_or_validate(&t, h, 7, || {
                *full_calls += 1;
                t.get(h, OType::FUNC, Some(o)).ok()
            })
        };
        assert_eq!(get(h1, &mut full_calls).as_deref(), Some(&1));
        assert_eq!(get(h1, &mut full_calls).as_deref(), Some(&1));
        assert_eq!(full_calls, 1);
        assert_eq!(get(h2, &mut full_calls).as_deref(), Some(&2));
        assert_eq!(full_calls, 2);
        // Removing h2 invalidates the cached validation: h2 is now refused.
        t.remove(h2, OType::FUNC, Some(o)).unwrap();
        assert_eq!(get(h2, &mut full_calls), None);
        assert_eq!(full_calls, 3);
        // A forged handle never hits.
        let forged = SealedHandle::from_bits(h1.bits() ^ 1);
        assert_eq!(get(forged, &mut full_calls), None);
    }

    #[test]
    fn lends_without_cloning_and_nests() {
        let t: HandleTable<u32> = HandleTable::new();
        let o = OwnerId::new(1);
        let h1 = t.insert(OType::FUNC, o, Arc::new(10)).unwrap();
        let h2 = t.insert(OType::FUNC, o, Arc::new(20)).unwrap();
        let c = HandleCache::new();
        let full = |h| t.get(h, OType::FUNC, Some(o)).ok();
        let r = c.with_validated(
            &t,
            h1,
            1,
            || full(h1),
            |a| {
                // Nested use of the same cache with another handle: validated, not cached.
                let inner = c.with_validated(&t, h2, 1, || full(h2), |b| **b);
                **a + inner.unwrap()
            },
        );
        assert_eq!(r, Some(30));
        // The outer entry is still cached: a hit does not call `full`.
        let r = c.with_validated(&t, h1, 1, || panic!("must hit"), |a| **a);
        assert_eq!(r, Some(10));
        assert_eq!(
            Arc::strong_count(&t.get(h1, OType::FUNC, Some(o)).unwrap()),
            3
        );
    }
}
