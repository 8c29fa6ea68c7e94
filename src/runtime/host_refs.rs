//! The `externref` cells of an embedding API's host objects, and which of the embedder's
//! reference objects stands for each of them.
//!
//! An embedding API (the wasm-c-api) hands WebAssembly host objects as `externref`. Each
//! object gets one cell value for as long as the registry lives (`1, 2, ...`; 0 is the null
//! reference), so the same object always comes back with the same identity. Besides the
//! object, an entry remembers its *holder*: the embedder's reference object the program
//! passed in. WAMR keeps exactly one reference object per host object, so a value stored
//! with `wasm_global_set` and read back is the very pointer the program holds; the holder
//! reproduces that. The holder is only a name (a handle): whether it is still alive is asked
//! of the embedding layer each time, and a dead holder is replaced by the next reference
//! passed in or by a new one made on the way out.

#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::hash::Hash;

struct Entry<T, H> {
    obj: T,
    holder: Option<H>,
}

/// Cells of host objects `T` (identified by `K`), with holders `H`.
pub struct HostRefCells<K, T, H> {
    entries: Vec<Entry<T, H>>,
    index: HashMap<K, u64>,
}

impl<K, T, H> Default for HostRefCells<K, T, H> {
    fn default() -> Self {
        HostRefCells {
            entries: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash + Copy, T: Clone, H: Copy + Eq> HostRefCells<K, T, H> {
    fn entry(&self, cell: u64) -> Option<&Entry<T, H>> {
        let i = usize::try_from(cell.checked_sub(1)?).ok()?;
        self.entries.get(i)
    }

    /// The cell of object `obj` (identity `key`), passed in as `holder`: `holder` becomes
    /// the object's holder unless it already has one that `is_live` accepts.
    pub fn cell_for(&mut self, key: K, obj: &T, holder: H, is_live: impl Fn(H) -> bool) -> u64 {
        if let Some(&cell) = self.index.get(&key) {
            let i = (cell - 1) as usize;
            let e = &mut self.entries[i];
            if !e.holder.is_some_and(&is_live) {
                e.holder = Some(holder);
            }
            return cell;
        }
        self.entries.push(Entry {
            obj: obj.clone(),
            holder: Some(holder),
        });
        let cell = self.entries.len() as u64;
        self.index.insert(key, cell);
        cell
    }

    /// The object of `cell` and its holder if `is_live` accepts it (None: not a cell of
    /// this registry).
    pub fn lookup(&self, cell: u64, is_live: impl Fn(H) -> bool) -> Option<(T, Option<H>)> {
        self.entry(cell)
            .map(|e| (e.obj.clone(), e.holder.filter(|&h| is_live(h))))
    }

    /// Makes `holder` the holder of `cell` (a reference made for it on the way out).
    pub fn set_holder(&mut self, cell: u64, holder: H) {
        if let Some(i) = cell.checked_sub(1).and_then(|c| usize::try_from(c).ok())
            && let Some(e) = self.entries.get_mut(i)
        {
            e.holder = Some(holder);
        }
    }

    /// The holder of object `key`, live or not.
    pub fn holder_of(&self, key: K) -> Option<H> {
        self.index
            .get(&key)
            .and_then(|&c| self.entry(c))
            .and_then(|e| e.holder)
    }

    /// True if `holder` is the holder of object `key`.
    pub fn is_holder(&self, key: K, holder: H) -> bool {
        self.index
            .get(&key)
            .and_then(|&c| self.entry(c))
            .is_some_and(|e| e.holder == Some(holder))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_cell_per_object_and_the_first_live_holder_stays() {
        let mut r: HostRefCells<u32, &str, u64> = HostRefCells::default();
        let live = |h: u64| h != 99;
        let a = r.cell_for(1, &"a", 10, live);
        let b = r.cell_for(2, &"b", 20, live);
        assert_eq!((a, b), (1, 2));
        // A copy passed later does not replace the live holder.
        assert_eq!(r.cell_for(1, &"a", 11, live), a);
        assert_eq!(r.lookup(a, live), Some(("a", Some(10))));
        assert!(r.is_holder(1, 10) && !r.is_holder(1, 11));
        // A dead holder is not handed out, and is replaced.
        assert_eq!(r.lookup(a, |h| h != 10), Some(("a", None)));
        assert_eq!(r.cell_for(1, &"a", 12, |h| h != 10), a);
        assert!(r.is_holder(1, 12));
        r.set_holder(b, 21);
        assert_eq!(r.lookup(b, live), Some(("b", Some(21))));
        assert_eq!(r.lookup(0, live), None);
        assert_eq!(r.lookup(3, live), None);
        assert!(!r.is_holder(7, 10));
        assert_eq!((r.holder_of(2), r.holder_of(7)), (Some(21), None));
    }
}
