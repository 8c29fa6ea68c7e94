//! Sealed 64-bit handles and the handle table (capability-model.md §3).
//!
//! Every pointer-typed object the C ABI hands out is a [`SealedHandle`], never
//! a real pointer:
//!
//! ```text
//! bit 63      = 1          ┐ bit63 = 1, bit47 = 0: always a non-canonical
//! bits 48..62 = MAC15      │ x86-64 address, so dereferencing a handle in C
//! bit 47      = 0          ┘ faults immediately
//! bits 40..46 = otype code (7 bits, OType::handle_code)
//! bits 24..39 = generation (16 bits, never 0)
//! bits  0..23 = slot index
//! MAC15 = SipHash-2-4(k_table, slot | gen << 24 | code << 40 ‖ owner) & 0x7FFF
//! ```
//!
//! `k_table` is derived from a per-process random key (read from
//! `/dev/urandom`) and a per-table serial number, so a handle of one table
//! never validates in another table (up to the 2^-15 MAC guess probability).
//! The MAC of a slot is computed once when the slot gets its
//! `(gen, otype, owner)` and compared in constant time on every lookup.
//!
//! Validation order (each failure has its own [`HandleError`]): null → shape
//! → otype code → slot in range → live → generation → slot otype → MAC →
//! owner. Removing bumps the generation (skipping 0), so every copy of the
//! handle goes stale; a slot whose 16-bit generation wraps is retired instead
//! of being reused, so an old handle can never come back to life.

#![forbid(unsafe_code)]

use core::ffi::c_void;
use core::fmt;
use std::collections::VecDeque;
use std::io::Read;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use parking_lot::RwLock;

use crate::cap::otype::OType;
use crate::cap::siphash::{SipKey, siphash24_2words};

const TAG_BIT: u64 = 1 << 63;
const CANONICAL_BIT: u64 = 1 << 47;
const MAC_SHIFT: u32 = 48;
const MAC_MASK: u64 = 0x7FFF;
const CODE_SHIFT: u32 = 40;
const CODE_MASK: u64 = 0x7F;
const GEN_SHIFT: u32 = 24;
const GEN_MASK: u64 = 0xFFFF;
const SLOT_MASK: u64 = 0xFF_FFFF;

/// Maximum number of slots of a handle table (24-bit slot index).
pub const MAX_SLOTS: usize = 1 << 24;

/// An opaque sealed handle as seen by C (same bits as the `void *`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
#[repr(transparent)]
pub struct SealedHandle(u64);

impl SealedHandle {
    /// The null handle (C `NULL`).
    pub const NULL: SealedHandle = SealedHandle(0);

    /// Reinterprets raw bits (no validation).
    pub const fn from_bits(bits: u64) -> SealedHandle {
        SealedHandle(bits)
    }

    /// The raw bits.
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// Reads the handle that C passed as an opaque pointer (no validation, the
    /// pointer is never dereferenced).
    pub fn from_ptr(ptr: *const c_void) -> SealedHandle {
        SealedHandle(ptr.addr() as u64)
    }

    /// The opaque pointer value given to C: same bits, no provenance (it must
    /// never be dereferenced). Null if the bits do not fit a pointer.
    pub fn to_ptr(self) -> *mut c_void {
        usize::try_from(self.0).map_or(core::ptr::null_mut(), core::ptr::without_provenance_mut)
    }

    /// True for the null handle.
    pub const fn is_null(self) -> bool {
        self.0 == 0
    }

    /// True if bit 63 is set and bit 47 clear (a non-canonical address).
    pub const fn has_handle_shape(self) -> bool {
        self.0 & (TAG_BIT | CANONICAL_BIT) == TAG_BIT
    }

    /// The 15-bit MAC field.
    pub const fn mac(self) -> u16 {
        ((self.0 >> MAC_SHIFT) & MAC_MASK) as u16
    }

    /// The 7-bit otype code field.
    pub const fn otype_code(self) -> u8 {
        ((self.0 >> CODE_SHIFT) & CODE_MASK) as u8
    }

    /// The 16-bit generation field.
    pub const fn generation(self) -> u16 {
        ((self.0 >> GEN_SHIFT) & GEN_MASK) as u16
    }

    /// The 24-bit slot field.
    pub const fn slot(self) -> u32 {
        (self.0 & SLOT_MASK) as u32
    }

    const fn compose(mac: u16, code: u8, generation: u16, slot: u32) -> SealedHandle {
        SealedHandle(
            TAG_BIT
                | ((mac as u64 & MAC_MASK) << MAC_SHIFT)
                | ((code as u64 & CODE_MASK) << CODE_SHIFT)
                | ((generation as u64) << GEN_SHIFT)
                | (slot as u64 & SLOT_MASK),
        )
    }
}

impl fmt::Debug for SealedHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealedHandle({:#018x})", self.0)
    }
}

/// Identity of the store/engine that owns a handle (checked last).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct OwnerId(u64);

impl OwnerId {
    /// Owner id from its raw value.
    pub const fn new(raw: u64) -> OwnerId {
        OwnerId(raw)
    }
    /// Raw value.
    pub const fn get(self) -> u64 {
        self.0
    }
}

/// Why a handle was rejected (or could not be issued).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum HandleError {
    /// The handle is NULL.
    Null,
    /// Bit 63 clear or bit 47 set: a real pointer or garbage.
    Shape,
    /// The otype code is not the one expected by the entry point.
    WrongType {
        /// Otype the caller expected.
        expected: OType,
        /// Code found in the handle.
        code: u8,
    },
    /// The slot index is beyond the table.
    SlotRange,
    /// The slot holds no object (destroyed and not reused).
    NotLive,
    /// The slot was reused: the handle's generation is old.
    Stale,
    /// The slot holds an object of another otype.
    SlotType,
    /// The MAC does not match.
    Mac,
    /// The object belongs to another store/engine.
    Owner,
    /// No free slot left.
    TableFull,
    /// The otype has no handle code (only `0x10..=0x20` do).
    NotHandleType(OType),
}

impl fmt::Display for HandleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandleError::Null => f.write_str("null handle"),
            HandleError::Shape => f.write_str("invalid handle (not a sealed handle)"),
            HandleError::WrongType { expected, code } => {
                write!(
                    f,
                    "handle type mismatch (expected {expected}, got code {code:#x})"
                )
            }
            HandleError::SlotRange => f.write_str("invalid handle (no such slot)"),
            HandleError::NotLive => f.write_str("stale handle (object destroyed)"),
            HandleError::Stale => f.write_str("stale handle (old generation)"),
            HandleError::SlotType => f.write_str("handle type mismatch (slot holds another type)"),
            HandleError::Mac => f.write_str("forged handle (MAC mismatch)"),
            HandleError::Owner => f.write_str("handle belongs to another store or engine"),
            HandleError::TableFull => f.write_str("handle table full"),
            HandleError::NotHandleType(ot) => write!(f, "{ot} cannot be a handle type"),
        }
    }
}

impl std::error::Error for HandleError {}

/// The per-process MAC key, drawn once from the OS.
fn process_key() -> SipKey {
    static KEY: OnceLock<SipKey> = OnceLock::new();
    *KEY.get_or_init(os_random_key)
}

/// 128 random bits from `/dev/urandom`; if that is unavailable, from the
/// OS-seeded keys of std's `RandomState` mixed with the time.
fn os_random_key() -> SipKey {
    let mut bytes = [0u8; 16];
    let from_urandom = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_ok();
    if from_urandom && bytes != [0u8; 16] {
        return SipKey::from_bytes(&bytes);
    }
    use std::hash::{BuildHasher, RandomState};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let s = RandomState::new();
    SipKey::new(s.hash_one((nanos, 0u8)), s.hash_one((nanos, 1u8)))
}

/// Derives the key of table number `serial` from the process key.
fn table_key(process: SipKey, serial: u64) -> SipKey {
    SipKey::new(
        siphash24_2words(process, serial, 0x6377_616d_722d_6b30),
        siphash24_2words(process, serial, 0x6377_616d_722d_6b31),
    )
}

/// Branch-free equality of two MACs.
#[inline]
fn ct_eq_mac(a: u16, b: u16) -> bool {
    let diff = u32::from(a ^ b);
    (diff.wrapping_sub(1) >> 31) == 1
}

/// Next generation, skipping 0. `None` when the 16-bit counter wraps.
fn next_generation(g: u16) -> Option<u16> {
    g.checked_add(1)
}

struct Slot<T> {
    value: Option<Arc<T>>,
    generation: u16,
    code: u8,
    mac: u16,
    owner: OwnerId,
}

struct Slab<T> {
    slots: Vec<Slot<T>>,
    /// Released slots, reused first-in first-out (delays reuse).
    free: VecDeque<u32>,
    live: usize,
}

/// log2 of the size of the first chunk of the lock-free seal mirror; chunk `k`
/// holds `2^(k + SEAL_FIRST_BITS)` slots, so 19 chunks cover 2^24 slots.
const SEAL_FIRST_BITS: u32 = 6;
/// Number of chunks of the seal mirror.
const SEAL_CHUNKS: usize = 19;

/// (chunk, offset) of `slot` in the seal mirror.
fn seal_pos(slot: usize) -> (usize, usize) {
    let v = slot + (1 << SEAL_FIRST_BITS);
    let hb = (usize::BITS - 1 - v.leading_zeros()) as usize;
    (hb - SEAL_FIRST_BITS as usize, v - (1 << hb))
}
/// Live bit of a seal word (`live | code << 40 | gen << 24 | mac`).
const SEAL_LIVE: u64 = 1 << 63;

/// Lock-free mirror of one slot's identity, written under the table's write
/// lock and read by [`HandleTable::validate`] without any lock.
#[derive(Default)]
struct SealCell {
    word: AtomicU64,
    owner: AtomicU64,
}

fn seal_word(live: bool, code: u8, generation: u16, mac: u16) -> u64 {
    (if live { SEAL_LIVE } else { 0 })
        | (u64::from(code) << CODE_SHIFT)
        | (u64::from(generation) << GEN_SHIFT)
        | (u64::from(mac) & MAC_MASK)
}

/// A table of runtime objects reachable from C only through sealed handles.
/// Thread-safe; [`HandleTable::get`] takes a shared lock and clones an `Arc`,
/// [`HandleTable::validate`] takes no lock at all.
pub struct HandleTable<T> {
    key: SipKey,
    max_slots: usize,
    inner: RwLock<Slab<T>>,
    /// Chunks of [`SealCell`]s (allocated on demand, never moved or freed).
    seals: Box<[OnceLock<Box<[SealCell]>>]>,
    /// Number of slots ever created (slot indices below it are in range).
    created: AtomicUsize,
    /// Number of removals so far: a cache of validated handles stays valid while it is
    /// unchanged (see [`HandleTable::removals`]).
    removals: AtomicU64,
    /// A counter shared with other tables, bumped with `removals` (see
    /// [`HandleTable::sharing_removals`]).
    shared_removals: Option<&'static AtomicU64>,
}

/// Source of table serial numbers (per-table MAC keys).
static NEXT_TABLE_SERIAL: AtomicU64 = AtomicU64::new(1);

impl<T> HandleTable<T> {
    /// An empty table with its own MAC key.
    pub fn new() -> HandleTable<T> {
        let serial = NEXT_TABLE_SERIAL.fetch_add(1, Ordering::Relaxed);
        HandleTable::with_key(table_key(process_key(), serial), MAX_SLOTS)
    }

    /// An empty table whose removals also bump `counter`, which other tables may share: one
    /// load of it then tells whether handles of any of those tables may have gone stale.
    pub fn sharing_removals(counter: &'static AtomicU64) -> HandleTable<T> {
        HandleTable {
            shared_removals: Some(counter),
            ..HandleTable::new()
        }
    }

    fn with_key(key: SipKey, max_slots: usize) -> HandleTable<T> {
        HandleTable {
            key,
            max_slots: max_slots.min(MAX_SLOTS),
            inner: RwLock::new(Slab {
                slots: Vec::new(),
                free: VecDeque::new(),
                live: 0,
            }),
            seals: (0..SEAL_CHUNKS).map(|_| OnceLock::new()).collect(),
            created: AtomicUsize::new(0),
            removals: AtomicU64::new(0),
            shared_removals: None,
        }
    }

    fn seal_cell(&self, slot: usize) -> Option<&SealCell> {
        let (chunk, at) = seal_pos(slot);
        self.seals.get(chunk)?.get()?.get(at)
    }

    /// Publishes slot `index`'s identity to lock-free readers (caller holds the write lock).
    fn publish(&self, index: u32, word: u64, owner: Option<OwnerId>) {
        let (c, at) = seal_pos(index as usize);
        let Some(chunk) = self.seals.get(c) else {
            return;
        };
        let n = 1usize << (c + SEAL_FIRST_BITS as usize);
        let chunk = chunk.get_or_init(|| (0..n).map(|_| SealCell::default()).collect());
        if let Some(cell) = chunk.get(at) {
            if let Some(o) = owner {
                cell.owner.store(o.0, Ordering::Relaxed);
            }
            cell.word.store(word, Ordering::Release);
        }
    }

    fn mac(&self, slot: u32, generation: u16, code: u8, owner: OwnerId) -> u16 {
        let w0 = u64::from(slot)
            | (u64::from(generation) << GEN_SHIFT)
            | (u64::from(code) << CODE_SHIFT);
        (siphash24_2words(self.key, w0, owner.0) & MAC_MASK) as u16
    }

    /// Stores `value` as an object of type `otype` owned by `owner` and returns
    /// its sealed handle.
    pub fn insert(
        &self,
        otype: OType,
        owner: OwnerId,
        value: Arc<T>,
    ) -> Result<SealedHandle, HandleError> {
        // The table outlives any runtime allocation source (generations survive a re-init),
        // so its own storage always comes from the system heap.
        crate::os::alloc::outside(|| self.insert_inner(otype, owner, value))
    }

    fn insert_inner(
        &self,
        otype: OType,
        owner: OwnerId,
        value: Arc<T>,
    ) -> Result<SealedHandle, HandleError> {
        let code = otype
            .handle_code()
            .ok_or(HandleError::NotHandleType(otype))?;
        let mut slab = self.inner.write();
        let index = match slab.free.pop_front() {
            Some(i) => i,
            None => {
                let n = slab.slots.len();
                if n >= self.max_slots {
                    return Err(HandleError::TableFull);
                }
                self.created.store(n + 1, Ordering::Release);
                slab.slots.push(Slot {
                    value: None,
                    generation: 1,
                    code: 0,
                    mac: 0,
                    owner: OwnerId::default(),
                });
                n as u32
            }
        };
        let mac = match slab.slots.get(index as usize) {
            Some(s) => self.mac(index, s.generation, code, owner),
            None => return Err(HandleError::TableFull),
        };
        let Some(slot) = slab.slots.get_mut(index as usize) else {
            return Err(HandleError::TableFull);
        };
        slot.value = Some(value);
        slot.code = code;
        slot.owner = owner;
        slot.mac = mac;
        let generation = slot.generation;
        self.publish(index, seal_word(true, code, generation, mac), Some(owner));
        slab.live += 1;
        Ok(SealedHandle::compose(mac, code, generation, index))
    }

    /// The §3 validation, in order. `owner = None` skips the owner check
    /// (entry points without a store/engine parameter).
    fn check(
        slab: &Slab<T>,
        h: SealedHandle,
        expected: OType,
        owner: Option<OwnerId>,
    ) -> Result<&Slot<T>, HandleError> {
        if h.is_null() {
            return Err(HandleError::Null);
        }
        if !h.has_handle_shape() {
            return Err(HandleError::Shape);
        }
        let Some(expected_code) = expected.handle_code() else {
            return Err(HandleError::NotHandleType(expected));
        };
        let code = h.otype_code();
        if code != expected_code {
            return Err(HandleError::WrongType { expected, code });
        }
        let slot = slab
            .slots
            .get(h.slot() as usize)
            .ok_or(HandleError::SlotRange)?;
        if slot.value.is_none() {
            return Err(HandleError::NotLive);
        }
        if slot.generation != h.generation() {
            return Err(HandleError::Stale);
        }
        if slot.code != code {
            return Err(HandleError::SlotType);
        }
        if !ct_eq_mac(slot.mac, h.mac()) {
            return Err(HandleError::Mac);
        }
        match owner {
            Some(o) if o != slot.owner => Err(HandleError::Owner),
            _ => Ok(slot),
        }
    }

    /// Validates `h` as a live object of type `expected` (owned by `owner` if
    /// given) and returns the object.
    #[inline]
    pub fn get(
        &self,
        h: SealedHandle,
        expected: OType,
        owner: Option<OwnerId>,
    ) -> Result<Arc<T>, HandleError> {
        let slab = self.inner.read();
        let slot = Self::check(&slab, h, expected, owner)?;
        slot.value.clone().ok_or(HandleError::NotLive)
    }

    /// Validates `h` without touching the object.
    #[inline]
    pub fn validate(
        &self,
        h: SealedHandle,
        expected: OType,
        owner: Option<OwnerId>,
    ) -> Result<(), HandleError> {
        if h.is_null() {
            return Err(HandleError::Null);
        }
        if !h.has_handle_shape() {
            return Err(HandleError::Shape);
        }
        let Some(expected_code) = expected.handle_code() else {
            return Err(HandleError::NotHandleType(expected));
        };
        let code = h.otype_code();
        if code != expected_code {
            return Err(HandleError::WrongType { expected, code });
        }
        let slot = h.slot() as usize;
        if slot >= self.created.load(Ordering::Acquire) {
            return Err(HandleError::SlotRange);
        }
        let Some(cell) = self.seal_cell(slot) else {
            return Err(HandleError::SlotRange);
        };
        // Same order as the locked check: live, generation, slot type, MAC, owner. The owner
        // is read between two reads of the seal word; if the word changed meanwhile (the slot
        // was destroyed or reused), fall back to the locked check.
        let w = cell.word.load(Ordering::Acquire);
        if w & SEAL_LIVE == 0 {
            return Err(HandleError::NotLive);
        }
        if ((w >> GEN_SHIFT) & GEN_MASK) as u16 != h.generation() {
            return Err(HandleError::Stale);
        }
        if ((w >> CODE_SHIFT) & CODE_MASK) as u8 != code {
            return Err(HandleError::SlotType);
        }
        if !ct_eq_mac((w & MAC_MASK) as u16, h.mac()) {
            return Err(HandleError::Mac);
        }
        let Some(o) = owner else {
            return Ok(());
        };
        let slot_owner = cell.owner.load(Ordering::Acquire);
        if cell.word.load(Ordering::Acquire) != w {
            let slab = self.inner.read();
            return Self::check(&slab, h, expected, Some(o)).map(|_| ());
        }
        if slot_owner != o.0 {
            return Err(HandleError::Owner);
        }
        Ok(())
    }

    /// Number of objects removed from this table so far. A handle validated while this
    /// count was `n` is still valid while it is still `n` (nothing was removed since, so no
    /// slot died or changed generation): callers may cache a validation keyed by the handle's
    /// bits and this count.
    pub fn removals(&self) -> u64 {
        self.removals.load(Ordering::Acquire)
    }

    /// Kills slot `index` (see [`HandleTable::kill`]) and publishes it dead.
    fn kill_published(&self, slab: &mut Slab<T>, index: u32) -> Option<Arc<T>> {
        let v = Self::kill(slab, index)?;
        self.removals.fetch_add(1, Ordering::AcqRel);
        if let Some(c) = self.shared_removals {
            c.fetch_add(1, Ordering::AcqRel);
        }
        let generation = slab.slots.get(index as usize).map_or(1, |s| s.generation);
        self.publish(index, seal_word(false, 0, generation, 0), None);
        Some(v)
    }

    /// The owner of a valid handle of type `expected`.
    pub fn owner_of(&self, h: SealedHandle, expected: OType) -> Result<OwnerId, HandleError> {
        let slab = self.inner.read();
        Self::check(&slab, h, expected, None).map(|s| s.owner)
    }

    /// Destroys the object behind `h`: the slot dies and its generation is
    /// bumped, so every copy of `h` becomes stale. Returns the object so the
    /// caller drops it outside the table lock. Removing twice is rejected.
    pub fn remove(
        &self,
        h: SealedHandle,
        expected: OType,
        owner: Option<OwnerId>,
    ) -> Result<Arc<T>, HandleError> {
        crate::os::alloc::outside(|| {
            let mut slab = self.inner.write();
            Self::check(&slab, h, expected, owner)?;
            self.kill_published(&mut slab, h.slot())
                .ok_or(HandleError::NotLive)
        })
    }

    /// Removes every object owned by `owner` (store/engine teardown).
    pub fn remove_owned_by(&self, owner: OwnerId) -> Vec<Arc<T>> {
        crate::os::alloc::outside(|| self.remove_owned_by_inner(owner))
    }

    fn remove_owned_by_inner(&self, owner: OwnerId) -> Vec<Arc<T>> {
        let mut slab = self.inner.write();
        let victims: Vec<u32> = slab
            .slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.value.is_some() && s.owner == owner)
            .map(|(i, _)| i as u32)
            .collect();
        victims
            .into_iter()
            .filter_map(|i| self.kill_published(&mut slab, i))
            .collect()
    }

    /// Empties slot `index`, bumps its generation and frees or retires it.
    fn kill(slab: &mut Slab<T>, index: u32) -> Option<Arc<T>> {
        let slot = slab.slots.get_mut(index as usize)?;
        let value = slot.value.take()?;
        let reusable = match next_generation(slot.generation) {
            Some(g) => {
                slot.generation = g;
                true
            }
            None => {
                // Wrapped: generation 0 is never used and old generations must
                // not come back, so the slot is retired.
                slot.generation = 1;
                false
            }
        };
        slot.mac = 0;
        slab.live -= 1;
        if reusable {
            slab.free.push_back(index);
        }
        Some(value)
    }

    /// Number of live objects.
    pub fn len(&self) -> usize {
        self.inner.read().live
    }

    /// True if no object is live.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T> Default for HandleTable<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for HandleTable<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandleTable")
            .field("live", &self.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
#[test]
fn seal_positions_cover_every_slot_once() {
    assert_eq!(seal_pos(0), (0, 0));
    assert_eq!(seal_pos(63), (0, 63));
    assert_eq!(seal_pos(64), (1, 0));
    assert_eq!(seal_pos(191), (1, 127));
    assert_eq!(seal_pos(192), (2, 0));
    let (c, at) = seal_pos(MAX_SLOTS - 1);
    assert!(c < SEAL_CHUNKS && at < 1 << (c + SEAL_FIRST_BITS as usize));
}

#[cfg(test)]
#[test]
fn lock_free_validate_races_with_destroy_and_reuse() {
    use std::sync::atomic::AtomicBool;
    let t: HandleTable<u32> = HandleTable::new();
    let (o1, o2) = (OwnerId::new(1), OwnerId::new(2));
    // Handles already removed, and the owner each live handle was issued to.
    let dead: parking_lot::Mutex<Vec<SealedHandle>> = parking_lot::Mutex::new(Vec::new());
    let live: parking_lot::Mutex<Vec<(SealedHandle, OwnerId)>> =
        parking_lot::Mutex::new(Vec::new());
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            for i in 0..20_000u32 {
                let owner = if i % 2 == 0 { o1 } else { o2 };
                let h = t.insert(OType::INSTANCE, owner, Arc::new(i)).unwrap();
                live.lock().push((h, owner));
                if i % 3 != 0 {
                    live.lock().retain(|&(x, _)| x != h);
                    t.remove(h, OType::INSTANCE, Some(owner)).unwrap();
                    dead.lock().push(h);
                }
            }
            stop.store(true, Ordering::Relaxed);
        });
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                let gone: Vec<SealedHandle> = dead.lock().iter().rev().take(8).copied().collect();
                for h in gone {
                    assert!(
                        t.validate(h, OType::INSTANCE, None).is_err(),
                        "dead handle accepted"
                    );
                }
                let alive: Vec<(SealedHandle, OwnerId)> =
                    live.lock().iter().rev().take(8).copied().collect();
                for (h, o) in alive {
                    let wrong = if o == o1 { o2 } else { o1 };
                    assert!(
                        t.validate(h, OType::INSTANCE, Some(wrong)).is_err(),
                        "wrong owner accepted"
                    );
                }
            }
        });
    });
}

/// Micro-benchmark: average wall-clock nanoseconds per validated lookup
/// (`get`, i.e. validation plus `Arc` clone) when `threads` threads each do
/// `iters` lookups concurrently on a table of 1024 live handles.
#[doc(hidden)]
pub fn bench_handle_lookup(iters: u64, threads: usize) -> f64 {
    bench(iters, threads, true)
}

/// Like [`bench_handle_lookup`] but with `validate` (no `Arc` clone).
#[doc(hidden)]
pub fn bench_handle_validate(iters: u64, threads: usize) -> f64 {
    bench(iters, threads, false)
}

fn bench(iters: u64, threads: usize, clone_arc: bool) -> f64 {
    use std::hint::black_box;
    let table: HandleTable<u64> = HandleTable::new();
    let owner = OwnerId::new(1);
    let handles: Vec<SealedHandle> = (0..1024u64)
        .filter_map(|i| table.insert(OType::INSTANCE, owner, Arc::new(i)).ok())
        .collect();
    if handles.len() != 1024 || iters == 0 {
        return f64::NAN;
    }
    let start = std::time::Instant::now();
    std::thread::scope(|s| {
        for t in 0..threads.max(1) {
            let (table, handles) = (&table, &handles);
            s.spawn(move || {
                let mut acc = 0u64;
                for i in 0..iters {
                    let h = handles[((i as usize).wrapping_mul(7) + t * 512) & 1023];
                    if clone_arc {
                        if let Ok(v) = table.get(black_box(h), OType::INSTANCE, Some(owner)) {
                            acc = acc.wrapping_add(*v);
                        }
                    } else if table
                        .validate(black_box(h), OType::INSTANCE, Some(owner))
                        .is_ok()
                    {
                        acc = acc.wrapping_add(1);
                    }
                }
                black_box(acc)
            });
        }
    });
    start.elapsed().as_nanos() as f64 / iters as f64
}

#[cfg(test)]
#[path = "handle_tests.rs"]
mod tests;
