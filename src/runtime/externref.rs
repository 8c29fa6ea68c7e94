//! Sealed externrefs (capability-model.md §6).
//!
//! A guest can never make an externref out of an integer (validation forbids
//! it); every non-null externref it holds was handed to it by the host, which
//! registers the host object here first. The table is per runtime (WAMR's
//! externref map is process-wide, and so is [`table`]); each entry records
//! `{obj, owner compartment, otype, generation, GLOBAL flag, cleanup,
//! retained}` and keeps the object as a capability sealed with its otype (so
//! retrieving it is CHERI's unseal: the unsealer's otype must match).
//!
//! **Index form** (the `uint32_t` of `wasm_externref_obj2ref/ref2obj`):
//! `index = slot << 12 | generation` with `slot < 2^20 - 1` and generation
//! `1..=0xFFF`, so no index is 0 and none equals [`NULL_REF`] (`0xFFFFFFFF`).
//! Deleting an entry bumps the slot's generation: every copy of the old index
//! goes stale. A slot whose generation would wrap is retired for good.
//!
//! **Cell form** (inside the interpreter, an externref is an opaque non-zero
//! `u64`, 0 = null): `cell = 2^32 | index`, see [`index_to_cell`] and
//! [`cell_to_index`]. The tag bit keeps these cells apart from externref
//! values other layers use (the wasm-c-api store's own small cells, values a
//! Rust host passes directly): those name no entry here and are not
//! capabilities of this table.
//!
//! **WAMR-compatible API** ([`ExternRefTable::obj2ref`], `ref2obj`, `retain`,
//! `objdel`, `set_cleanup`): checks liveness and generation only (the C ABI of
//! `ref2obj` has no instance). **Strict API** ([`ExternRefTable::new_ref`],
//! [`ExternRefTable::ref2obj_strict`]): also the owner (`owner == caller ∨
//! GLOBAL`) and the otype. Never-issued, stale and foreign indices fail, and
//! each failure is recorded as a violation.
//!
//! Cleanup callbacks run exactly once per entry: when the entry is deleted
//! (`objdel`, [`ExternRefTable::reclaim`]) or its owner is destroyed
//! ([`ExternRefTable::sweep_owner`]), always outside the table lock.

#![forbid(unsafe_code)]

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use super::compartment::CompartmentId;
use crate::cap::violation::{self, Violation, ViolationKind};
use crate::cap::{Cap, CapFault, CapRoots, OType, Perms, ReprModel};

/// The null externref index at the WAMR C ABI.
pub const NULL_REF: u32 = 0xFFFF_FFFF;

const GEN_BITS: u32 = 12;
const GEN_MASK: u32 = (1 << GEN_BITS) - 1;
/// Number of usable slots (slot `2^20 - 1` is never used, so no index is `NULL_REF`).
pub const MAX_SLOTS: u32 = (1 << 20) - 1;

/// A cleanup callback: receives the host object once, when its entry dies.
pub type Cleanup = Arc<dyn Fn(usize) + Send + Sync>;

/// Why an externref operation failed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ExternRefError {
    /// The index names no slot that was ever issued.
    NeverIssued,
    /// The slot was deleted (and maybe reused): the index is stale.
    Stale,
    /// The entry belongs to another compartment and is not GLOBAL.
    Foreign,
    /// The entry was sealed with another otype.
    WrongType,
    /// The table is full.
    Full,
}

impl fmt::Display for ExternRefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExternRefError::NeverIssued => "invalid externref index (never issued)",
            ExternRefError::Stale => "stale externref index",
            ExternRefError::Foreign => "externref owned by another instance",
            ExternRefError::WrongType => "externref sealed with another object type",
            ExternRefError::Full => "externref table full",
        })
    }
}

impl std::error::Error for ExternRefError {}

/// Tag of the interpreter cells of this table's indices.
pub const CELL_TAG: u64 = 1 << 32;

/// The interpreter cell of an index (`NULL_REF` → 0, else `2^32 | index`).
#[inline]
pub fn index_to_cell(index: u32) -> u64 {
    if index == NULL_REF {
        0
    } else {
        CELL_TAG | u64::from(index)
    }
}

/// The index of an interpreter cell (0 → `NULL_REF`); `None` for cells that
/// are not of this table.
#[inline]
pub fn cell_to_index(cell: u64) -> Option<u32> {
    if cell == 0 {
        Some(NULL_REF)
    } else if cell >> 32 == 1 {
        Some(cell as u32).filter(|&i| i != NULL_REF)
    } else {
        None
    }
}

/// What the table knows of a live entry.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ExternRefInfo {
    /// The host object.
    pub obj: usize,
    /// Owning compartment.
    pub owner: CompartmentId,
    /// Object type it was sealed with.
    pub otype: OType,
    /// May leave its compartment.
    pub global: bool,
    /// Protected from [`ExternRefTable::reclaim`].
    pub retained: bool,
}

struct Entry {
    sealed: Cap,
    obj: usize,
    owner: CompartmentId,
    otype: OType,
    global: bool,
    retained: bool,
    cleanup: Option<Cleanup>,
}

struct Slot {
    generation: u32,
    entry: Option<Entry>,
}

struct Slab {
    slots: Vec<Slot>,
    free: std::collections::VecDeque<u32>,
    live: usize,
}

/// The per-runtime table of host objects wrapped for guests.
pub struct ExternRefTable {
    roots: CapRoots,
    /// Root of the "host object" space every entry's capability derives from.
    objects: Cap,
    inner: Mutex<Slab>,
}

impl fmt::Debug for ExternRefTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExternRefTable")
            .field("live", &self.len())
            .finish_non_exhaustive()
    }
}

/// The runtime's table.
pub fn table() -> &'static ExternRefTable {
    static TABLE: OnceLock<ExternRefTable> = OnceLock::new();
    TABLE.get_or_init(ExternRefTable::new)
}

fn record(kind: ViolationKind, compartment: Option<CompartmentId>, index: u32, otype: OType) {
    violation::record(&Violation {
        kind,
        compartment: compartment.map(|c| c.0),
        addr: u64::from(index),
        len: 0,
        perms: Perms::UNSEAL,
        otype,
    });
}

fn error_kind(e: ExternRefError) -> ViolationKind {
    match e {
        ExternRefError::NeverIssued => ViolationKind::HandleSlot,
        ExternRefError::Stale => ViolationKind::HandleStale,
        ExternRefError::Foreign => ViolationKind::HandleOwner,
        ExternRefError::WrongType => ViolationKind::HandleType,
        ExternRefError::Full => ViolationKind::Other,
    }
}

impl Default for ExternRefTable {
    fn default() -> Self {
        Self::new()
    }
}

impl ExternRefTable {
    /// An empty table with its own capability roots.
    pub fn new() -> ExternRefTable {
        // Only fails once 2^32 region tables were created in the process.
        let roots = CapRoots::new(ReprModel::Exact)
            .unwrap_or_else(|| panic!("capability roots exhausted (2^32 runtimes created)"));
        let objects = roots
            .new_region(0, u64::MAX, Perms::LOAD | Perms::GLOBAL)
            .unwrap_or(Cap::NULL);
        ExternRefTable {
            roots,
            objects,
            inner: Mutex::new(Slab {
                slots: Vec::new(),
                free: std::collections::VecDeque::new(),
                live: 0,
            }),
        }
    }

    /// Number of live entries.
    pub fn len(&self) -> usize {
        self.inner.lock().live
    }

    /// True when no entry is live.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The host object as a capability sealed with `otype` (GLOBAL iff `global`).
    fn seal(&self, obj: usize, otype: OType, global: bool) -> Cap {
        let perms = if global {
            Perms::LOAD | Perms::GLOBAL
        } else {
            Perms::LOAD
        };
        // The object capability covers exactly the one "address" `obj` of the
        // host-object space, sealed with the per-otype sealer. A refused
        // derivation yields an untagged cap, which then never unseals.
        self.objects
            .set_addr(obj as u64)
            .set_bounds_exact(1)
            .unwrap_or(Cap::NULL)
            .and_perms(perms)
            .seal(&self.roots.sealer(otype))
    }

    fn insert(&self, entry: Entry) -> Result<u32, ExternRefError> {
        // The slab is process-lifetime: its storage never comes from a runtime pool.
        crate::os::alloc::outside(|| self.insert_inner(entry))
    }

    fn insert_inner(&self, entry: Entry) -> Result<u32, ExternRefError> {
        let mut slab = self.inner.lock();
        let slot = match slab.free.pop_front() {
            Some(s) => s,
            None => {
                let n = slab.slots.len() as u32;
                if n >= MAX_SLOTS {
                    return Err(ExternRefError::Full);
                }
                slab.slots.push(Slot {
                    generation: 1,
                    entry: None,
                });
                n
            }
        };
        let s = &mut slab.slots[slot as usize];
        s.entry = Some(entry);
        let generation = s.generation;
        slab.live += 1;
        Ok((slot << GEN_BITS) | generation)
    }

    /// Finds the live entry of `index` (slot + generation check).
    fn find(slab: &Slab, index: u32) -> Result<&Entry, ExternRefError> {
        if index == NULL_REF {
            return Err(ExternRefError::NeverIssued);
        }
        let (slot, generation) = (index >> GEN_BITS, index & GEN_MASK);
        let s = slab
            .slots
            .get(slot as usize)
            .ok_or(ExternRefError::NeverIssued)?;
        if generation == 0 || generation > s.generation {
            return Err(ExternRefError::NeverIssued);
        }
        match &s.entry {
            Some(e) if s.generation == generation => Ok(e),
            _ => Err(ExternRefError::Stale),
        }
    }

    /// Empties `slot`, bumps its generation (retiring it on wrap) and returns
    /// the cleanup to run with the object.
    fn kill(slab: &mut Slab, slot: u32) -> Option<(usize, Option<Cleanup>)> {
        let s = slab.slots.get_mut(slot as usize)?;
        let e = s.entry.take()?;
        slab.live -= 1;
        if s.generation < GEN_MASK {
            s.generation += 1;
            slab.free.push_back(slot);
        }
        Some((e.obj, e.cleanup))
    }

    fn run_cleanups(dead: Vec<(usize, Option<Cleanup>)>) {
        for (obj, cleanup) in dead {
            if let Some(f) = cleanup {
                f(obj);
            }
        }
    }

    /// `wasm_externref_obj2ref`: the index of `obj` for compartment `owner`.
    /// The same `(obj, owner)` gets the same index while it lives; `obj ==
    /// usize::MAX` (WAMR's "null" object) gives [`NULL_REF`]. The entry is
    /// compartment-local (not GLOBAL) with otype `OT_EXTERNREF`.
    pub fn obj2ref(&self, owner: CompartmentId, obj: usize) -> Result<u32, ExternRefError> {
        if obj == usize::MAX {
            return Ok(NULL_REF);
        }
        {
            let slab = self.inner.lock();
            for (i, s) in slab.slots.iter().enumerate() {
                if let Some(e) = &s.entry
                    && e.obj == obj
                    && e.owner == owner
                    && e.otype == OType::EXTERNREF
                {
                    return Ok(((i as u32) << GEN_BITS) | s.generation);
                }
            }
        }
        self.new_ref(owner, obj, OType::EXTERNREF, false, None)
    }

    /// Strict form (`cwamr_externref_new`): always a new entry, sealed with
    /// `otype` (`OT_EXTERNREF` or an embedder otype), GLOBAL if `global`.
    pub fn new_ref(
        &self,
        owner: CompartmentId,
        obj: usize,
        otype: OType,
        global: bool,
        cleanup: Option<Cleanup>,
    ) -> Result<u32, ExternRefError> {
        let sealed = self.seal(obj, otype, global);
        self.insert(Entry {
            sealed,
            obj,
            owner,
            otype,
            global,
            retained: false,
            cleanup,
        })
        .inspect_err(|&e| record(error_kind(e), Some(owner), 0, otype))
    }

    /// `wasm_externref_ref2obj`: the object of `index` (liveness and generation
    /// only; `NULL_REF` gives 0).
    pub fn ref2obj(&self, index: u32) -> Result<usize, ExternRefError> {
        if index == NULL_REF {
            return Ok(0);
        }
        let slab = self.inner.lock();
        Self::find(&slab, index)
            .map(|e| e.obj)
            .inspect_err(|&e| record(error_kind(e), None, index, OType::EXTERNREF))
    }

    /// Strict `cwamr_externref_ref2obj(inst, index, otype)`: also requires
    /// `owner == caller ∨ GLOBAL`, and unseals with the `otype` unsealer (so
    /// the entry must have been sealed with exactly that otype).
    pub fn ref2obj_strict(
        &self,
        caller: CompartmentId,
        index: u32,
        otype: OType,
    ) -> Result<usize, ExternRefError> {
        if index == NULL_REF {
            return Ok(0);
        }
        let r = {
            let slab = self.inner.lock();
            Self::find(&slab, index).and_then(|e| {
                if e.owner != caller && !e.global {
                    return Err(ExternRefError::Foreign);
                }
                match e.sealed.try_unseal(&self.roots.sealer(otype)) {
                    Ok(cap) => Ok(cap.addr() as usize),
                    Err(CapFault::Type) | Err(_) => Err(ExternRefError::WrongType),
                }
            })
        };
        r.inspect_err(|&e| record(error_kind(e), Some(caller), index, otype))
    }

    /// What the table knows of a live `index`.
    pub fn info(&self, index: u32) -> Option<ExternRefInfo> {
        let slab = self.inner.lock();
        Self::find(&slab, index).ok().map(|e| ExternRefInfo {
            obj: e.obj,
            owner: e.owner,
            otype: e.otype,
            global: e.global,
            retained: e.retained,
        })
    }

    /// `wasm_externref_retain`: protects the entry from [`ExternRefTable::reclaim`].
    pub fn retain(&self, index: u32) -> bool {
        let mut slab = self.inner.lock();
        if Self::find(&slab, index).is_err() {
            return false;
        }
        let slot = (index >> GEN_BITS) as usize;
        match slab.slots.get_mut(slot).and_then(|s| s.entry.as_mut()) {
            Some(e) => {
                e.retained = true;
                true
            }
            None => false,
        }
    }

    /// `wasm_externref_objdel`: deletes every entry of `(obj, owner)`, running
    /// their cleanups. False if there was none.
    pub fn objdel(&self, owner: CompartmentId, obj: usize) -> bool {
        let dead = self.kill_where(|e| e.owner == owner && e.obj == obj);
        let found = !dead.is_empty();
        Self::run_cleanups(dead);
        found
    }

    /// Deletes the entry of `index` (strict API), running its cleanup. Fails
    /// for stale and never-issued indices and for entries of another owner.
    pub fn delete(&self, owner: CompartmentId, index: u32) -> Result<(), ExternRefError> {
        let dead = {
            let mut slab = self.inner.lock();
            let e = Self::find(&slab, index)?;
            if e.owner != owner {
                record(ViolationKind::HandleOwner, Some(owner), index, e.otype);
                return Err(ExternRefError::Foreign);
            }
            Self::kill(&mut slab, index >> GEN_BITS)
        };
        Self::run_cleanups(dead.into_iter().collect());
        Ok(())
    }

    /// `wasm_externref_set_cleanup`: sets the cleanup of every entry of
    /// `(obj, owner)`. False if there is none.
    pub fn set_cleanup(&self, owner: CompartmentId, obj: usize, cleanup: Cleanup) -> bool {
        let mut slab = self.inner.lock();
        let mut found = false;
        for s in &mut slab.slots {
            if let Some(e) = &mut s.entry
                && e.owner == owner
                && e.obj == obj
            {
                e.cleanup = Some(cleanup.clone());
                found = true;
            }
        }
        found
    }

    /// Deletes every entry of `owner` (its instance was destroyed), running
    /// each cleanup once. Returns how many died.
    pub fn sweep_owner(&self, owner: CompartmentId) -> usize {
        let dead = self.kill_where(|e| e.owner == owner);
        let n = dead.len();
        Self::run_cleanups(dead);
        n
    }

    /// WAMR's externref reclaim: deletes the entries of `owner` that are
    /// neither retained nor among `reachable` (cells still held in the
    /// instance's globals and tables). Returns how many died.
    pub fn reclaim(&self, owner: CompartmentId, reachable: &HashSet<u64>) -> usize {
        let dead = {
            let mut slab = self.inner.lock();
            let victims: Vec<u32> = slab
                .slots
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    let e = s.entry.as_ref()?;
                    let index = ((i as u32) << GEN_BITS) | s.generation;
                    (e.owner == owner && !e.retained && !reachable.contains(&index_to_cell(index)))
                        .then_some(i as u32)
                })
                .collect();
            victims
                .into_iter()
                .filter_map(|i| Self::kill(&mut slab, i))
                .collect::<Vec<_>>()
        };
        let n = dead.len();
        Self::run_cleanups(dead);
        n
    }

    fn kill_where(&self, pred: impl Fn(&Entry) -> bool) -> Vec<(usize, Option<Cleanup>)> {
        let mut slab = self.inner.lock();
        let victims: Vec<u32> = slab
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.entry.as_ref().is_some_and(&pred))
            .map(|(i, _)| i as u32)
            .collect();
        victims
            .into_iter()
            .filter_map(|i| Self::kill(&mut slab, i))
            .collect()
    }

    /// Switcher rule (§6, §8): may the externref in `cell` enter compartment
    /// `to`? Yes for GLOBAL entries and entries owned by `to`; no for a live
    /// compartment-local entry of another compartment. Cells that name no live
    /// entry are not capabilities (values the Rust host passed directly, or
    /// dead indices that confer nothing) and pass.
    pub fn may_enter(&self, cell: u64, to: CompartmentId) -> bool {
        let Some(index) = cell_to_index(cell) else {
            return true;
        };
        let slab = self.inner.lock();
        match Self::find(&slab, index) {
            Ok(e) => e.global || e.owner == to,
            Err(_) => true,
        }
    }

    /// True if `cell` names no live entry or a GLOBAL one (may be stored into
    /// state shared between compartments).
    pub fn is_global_or_dead(&self, cell: u64) -> bool {
        let Some(index) = cell_to_index(cell) else {
            return true;
        };
        let slab = self.inner.lock();
        Self::find(&slab, index).map_or(true, |e| e.global)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const A: CompartmentId = CompartmentId(0x7FFF_0001);
    const B: CompartmentId = CompartmentId(0x7FFF_0002);

    #[test]
    fn index_and_cell_forms() {
        assert_eq!(index_to_cell(NULL_REF), 0);
        assert_eq!(cell_to_index(0), Some(NULL_REF));
        assert_eq!(cell_to_index(index_to_cell(0x1001)), Some(0x1001));
        assert_eq!(index_to_cell(0x1001), (1 << 32) | 0x1001);
        assert_eq!(cell_to_index((1 << 32) | u64::from(NULL_REF)), None);
        for foreign in [1, 2, u64::from(u32::MAX), 2 << 32, u64::MAX] {
            assert_eq!(cell_to_index(foreign), None, "{foreign:#x}");
        }
    }

    #[test]
    fn obj2ref_is_stable_and_ref2obj_checks_generation() {
        let t = ExternRefTable::new();
        let i = t.obj2ref(A, 0x1234).unwrap();
        assert_ne!(i, 0);
        assert_ne!(i, NULL_REF);
        assert_eq!(t.obj2ref(A, 0x1234), Ok(i));
        assert_ne!(t.obj2ref(B, 0x1234).unwrap(), i);
        assert_eq!(t.ref2obj(i), Ok(0x1234));
        assert_eq!(t.ref2obj(NULL_REF), Ok(0));
        assert_eq!(t.obj2ref(A, usize::MAX), Ok(NULL_REF));
        assert!(t.objdel(A, 0x1234));
        assert_eq!(t.ref2obj(i), Err(ExternRefError::Stale));
        assert!(!t.objdel(A, 0x1234));
        // The slot is reused with a new generation; the old index stays stale.
        let j = t.obj2ref(A, 0x5678).unwrap();
        assert_eq!(t.ref2obj(i), Err(ExternRefError::Stale));
        assert_eq!(t.ref2obj(j), Ok(0x5678));
        assert_eq!(t.ref2obj(0x7FF_F001), Err(ExternRefError::NeverIssued));
        assert_eq!(t.ref2obj(j + 1), Err(ExternRefError::NeverIssued));
    }

    #[test]
    fn cleanup_runs_exactly_once() {
        let t = ExternRefTable::new();
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        let cleanup: Cleanup = Arc::new(move |obj| {
            assert_eq!(obj, 77);
            c.fetch_add(1, Ordering::SeqCst);
        });
        let i = t.obj2ref(A, 77).unwrap();
        assert!(t.set_cleanup(A, 77, cleanup.clone()));
        assert!(!t.set_cleanup(B, 77, cleanup.clone()));
        assert_eq!(t.sweep_owner(A), 1);
        assert_eq!(t.sweep_owner(A), 0);
        assert!(!t.objdel(A, 77));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert!(!t.retain(i));
    }

    #[test]
    fn strict_checks_owner_and_otype() {
        let t = ExternRefTable::new();
        let ot1 = OType::new(0x801).unwrap();
        let ot2 = OType::new(0x802).unwrap();
        let i = t.new_ref(A, 42, ot1, false, None).unwrap();
        assert_eq!(t.ref2obj_strict(A, i, ot1), Ok(42));
        assert_eq!(t.ref2obj_strict(A, i, ot2), Err(ExternRefError::WrongType));
        assert_eq!(t.ref2obj_strict(B, i, ot1), Err(ExternRefError::Foreign));
        let g = t.new_ref(A, 43, ot1, true, None).unwrap();
        assert_eq!(t.ref2obj_strict(B, g, ot1), Ok(43));
        assert!(t.may_enter(index_to_cell(g), B));
        assert!(!t.may_enter(index_to_cell(i), B));
        assert!(t.may_enter(index_to_cell(i), A));
        assert_eq!(t.delete(B, i), Err(ExternRefError::Foreign));
        assert_eq!(t.delete(A, i), Ok(()));
        assert!(t.may_enter(index_to_cell(i), B));
    }

    #[test]
    fn reclaim_keeps_retained_and_reachable() {
        let t = ExternRefTable::new();
        let a = t.obj2ref(A, 1).unwrap();
        let b = t.obj2ref(A, 2).unwrap();
        let c = t.obj2ref(A, 3).unwrap();
        assert!(t.retain(a));
        let reachable: HashSet<u64> = [index_to_cell(b)].into_iter().collect();
        assert_eq!(t.reclaim(A, &reachable), 1);
        assert!(t.ref2obj(a).is_ok() && t.ref2obj(b).is_ok());
        assert_eq!(t.ref2obj(c), Err(ExternRefError::Stale));
    }
}
