//! The delegation of a chain to one compartment ([`attach`] / [`detach`]) and every lookup
//! through it: which heap of the attachment an app range falls in ([`Attachment::range`],
//! the one place that answers it for shared heaps), the address translations built on it,
//! and `shared_heap_malloc` / `shared_heap_free`.

#![forbid(unsafe_code)]

use std::sync::Arc;

use parking_lot::RwLock;

use super::chain::chain_of;
use super::{HEAP_OWNER, SIZE_MAX, SharedHeap, TOP32, msg, registry};
use crate::cap::{Cap, CapFault, Perms, RegionId};
use crate::error::{Trap, TrapCode};
use crate::runtime::compartment::Compartment;
use crate::runtime::func::Caller;
use crate::runtime::guest::{GuestRange, GuestStr};
use crate::runtime::instance::Instance;
use crate::runtime::memory::LinearMemory;

/// One heap of an attachment: its app range and the capability that authorises it.
struct Segment {
    heap: Arc<SharedHeap>,
    start: u64,
    cap: Cap,
    region: RegionId,
}

/// A chain delegated to one compartment (see the module documentation).
pub struct Attachment {
    /// Head first (lowest app offsets first).
    segs: Box<[Segment]>,
    /// The attached instance's memory 0 (its grow ceiling is lifted on detach).
    memory: Arc<LinearMemory>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("heaps", &self.segs.len())
            .field("lo", &self.segs.first().map(|s| s.start))
            .finish_non_exhaustive()
    }
}

/// A compartment's attachment slot.
pub(crate) type Slot = RwLock<Option<Arc<Attachment>>>;

impl Attachment {
    /// The segment whose app range holds `app`.
    fn segment_at(&self, app: u64) -> Option<&Segment> {
        self.segs
            .iter()
            .find(|s| app >= s.start && app - s.start < s.heap.size)
    }

    /// True if `app` lies in one of the attached heaps.
    pub fn contains(&self, app: u64) -> bool {
        self.segment_at(app).is_some()
    }

    /// One past the last app offset of the heap holding `app`.
    pub fn end_of(&self, app: u64) -> Option<u64> {
        self.segment_at(app).map(|s| s.start + s.heap.size)
    }

    /// The checked range `[app, app + len)` with `perms`: it must lie inside one heap of the
    /// attachment, and the heap's capability (revoked on detach) must allow it.
    pub fn range(&self, app: u64, len: u64, perms: Perms) -> Result<GuestRange<'_>, CapFault> {
        if len > SIZE_MAX {
            return Err(CapFault::Bounds);
        }
        let s = self.segment_at(app).ok_or(CapFault::Bounds)?;
        GuestRange::delegated(
            s.heap.mem(),
            s.start,
            s.cap,
            registry().roots.regions(),
            app,
            len,
            perms,
        )
    }

    /// A snapshot of the NUL-terminated string at `app`, which must end (within `max` bytes)
    /// inside the heap it starts in.
    pub fn c_string(&self, app: u64, max: u64) -> Result<GuestStr, CapFault> {
        let s = self.segment_at(app).ok_or(CapFault::Bounds)?;
        GuestStr::snapshot_delegated(
            s.heap.mem(),
            s.start,
            s.cap,
            registry().roots.regions(),
            app,
            max,
        )
    }

    /// App offset of the native range `[p, p + n)` when it lies inside one heap (`n == 0`
    /// never does, as in WAMR).
    pub fn native_to_app(&self, p: usize, n: u64) -> Option<u64> {
        if n == 0 || n > SIZE_MAX {
            return None;
        }
        let end = (p as u64).checked_add(n)?;
        self.segs.iter().find_map(|s| {
            let base = s.heap.base() as usize as u64;
            let off = (p as u64).checked_sub(base)?;
            (end <= base + s.heap.size).then_some(s.start + off)
        })
    }

    fn first_managed(&self) -> Option<&Segment> {
        self.segs.iter().find(|s| s.heap.is_managed())
    }
}

/// `wasm_runtime_attach_shared_heap`: delegates `heap`'s chain to `inst`. False (with WAMR's
/// warning) if the instance has no memory, its memory 0 already reaches into the chain's
/// range, or it already has a shared heap.
pub fn attach(inst: &Instance, heap: &Arc<SharedHeap>, warn: &dyn Fn(&str)) -> bool {
    let Some(mem) = inst.memory0() else {
        return false;
    };
    let reg = registry();
    let _list = reg.list.lock();
    let lo = heap.start();
    if mem.len() as u64 > lo {
        warn(msg::OVERLAP);
        return false;
    }
    let mut slot = inst.compartment.shared_heap_slot().write();
    if slot.is_some() {
        warn(msg::ALREADY_ATTACHED);
        return false;
    }
    let mut segs = Vec::new();
    let release = |segs: &[Segment]| {
        for s in segs {
            reg.roots.release_region(s.region);
        }
    };
    for h in chain_of(heap) {
        let start = h.start();
        let Some(cap) = reg
            .roots
            .new_region(start, h.size, Perms::LOAD.union(Perms::STORE))
        else {
            release(&segs);
            return false;
        };
        segs.push(Segment {
            region: cap.region(),
            heap: h,
            start,
            cap,
        });
    }
    if !mem.set_grow_ceiling(lo) {
        release(&segs);
        warn(msg::OVERLAP);
        return false;
    }
    *slot = Some(Arc::new(Attachment {
        segs: segs.into_boxed_slice(),
        memory: mem.clone(),
    }));
    heap.links.lock().attached += 1;
    true
}

/// `wasm_runtime_detach_shared_heap`: revokes the attachment of `comp` (no-op without one).
pub fn detach(comp: &Compartment) {
    let reg = registry();
    let _list = reg.list.lock();
    let Some(a) = comp.shared_heap_slot().write().take() else {
        return;
    };
    for s in a.segs.iter() {
        reg.roots.release_region(s.region);
    }
    if let Some(head) = a.segs.first() {
        let mut l = head.heap.links.lock();
        l.attached = l.attached.saturating_sub(1);
    }
    a.memory.set_grow_ceiling(u64::MAX);
}

/// The instance was destroyed: its attachment is revoked.
pub(crate) fn on_destroy(comp: &Compartment) {
    detach(comp);
}

/// The attachment of `comp`, if any (held by the caller for the length of one access).
pub(crate) fn attachment(comp: &Compartment) -> Option<Arc<Attachment>> {
    comp.shared_heap_slot().read().clone()
}

/// True while `comp` has a shared heap attached.
pub fn is_attached(comp: &Compartment) -> bool {
    comp.shared_heap_slot().read().is_some()
}

/// Native address of the app range `[app, app + n)` when it lies inside one heap attached to
/// `comp` (`n == 0` counts as 1, as in WAMR), authorised for `need`. The interpreter's
/// out-of-bounds slow path and the address API use it.
#[inline]
pub fn app_to_native(comp: &Compartment, app: u64, n: u64, need: Perms) -> Option<*mut u8> {
    let g = comp.shared_heap_slot().read();
    let r = g.as_ref()?.range(app, n.max(1), need).ok()?;
    Some(r.native_ptr())
}

/// App offset of the native range `[p, p + n)` when it lies inside one heap attached to
/// `comp` (`n == 0` never does, as in WAMR).
pub fn native_to_app(comp: &Compartment, p: usize, n: u64) -> Option<u64> {
    attachment(comp)?.native_to_app(p, n)
}

/// The NUL-terminated string at `app` when `app` lies inside a heap attached to `comp`:
/// `None` if it does not, `Some(None)` if the heap ends (or `max` bytes pass) before a NUL,
/// else a copy of the bytes before the NUL.
pub fn read_cstr(comp: &Compartment, app: u64, max: usize) -> Option<Option<Vec<u8>>> {
    let a = attachment(comp)?;
    if !a.contains(app) {
        return None;
    }
    let max = u64::try_from(max).unwrap_or(u64::MAX);
    Some(a.c_string(app, max).ok().map(|s| s.as_bytes().to_vec()))
}

/// `wasm_runtime_shared_heap_malloc`: `size` bytes from the runtime-managed heap of the chain
/// attached to `inst`: (app offset, native address), or `None`.
pub fn malloc(inst: &Instance, size: u64, warn: &dyn Fn(&str)) -> Option<(u64, *mut u8)> {
    inst.memory0()?;
    let a = attachment(&inst.compartment)?;
    let Some(s) = a.first_managed() else {
        warn(msg::MALLOC_PRE);
        return None;
    };
    let off = s.heap.allocator()?.malloc_for(HEAP_OWNER, size)?;
    Some((s.start + off, s.heap.base().wrapping_add(off as usize)))
}

/// `wasm_runtime_shared_heap_free`: frees the block at app offset `ptr` of the runtime-managed
/// heap attached to `inst`. Offsets outside it are refused with WAMR's warning; anything that
/// is not a live block is refused by the sealed allocator (and logged as a violation).
pub fn free(inst: &Instance, ptr: u64, warn: &dyn Fn(&str)) {
    if inst.memory0().is_none() {
        return;
    }
    let Some(a) = attachment(&inst.compartment) else {
        return;
    };
    let Some(s) = a.first_managed() else {
        warn(msg::FREE_PRE);
        return;
    };
    if ptr < s.start || ptr >= TOP32 {
        warn(msg::FREE_OUTSIDE);
        return;
    }
    if let Some(heap) = s.heap.allocator() {
        let _ = heap.free_for(HEAP_OWNER, ptr - s.start);
    }
}

/// The instance whose code called a native (`out of bounds memory access` without one).
pub(super) fn caller_instance<'c>(caller: &'c Caller<'_>) -> Result<&'c Arc<Instance>, Trap> {
    caller
        .instance
        .and_then(|a| caller.store.instance(a))
        .ok_or(Trap::Code(TrapCode::MemoryOutOfBounds))
}

/// Native address of `[app, app + n)` for a native called by `caller`, when the range lies in
/// a shared heap attached to the calling instance.
pub fn caller_app_to_native(caller: &Caller<'_>, app: u64, n: u64) -> Option<*mut u8> {
    let inst = caller_instance(caller).ok()?;
    app_to_native(&inst.compartment, app, n, Perms::LOAD.union(Perms::STORE))
}

/// [`read_cstr`] for the instance that called a native.
pub fn caller_read_cstr(caller: &Caller<'_>, app: u64, max: usize) -> Option<Option<Vec<u8>>> {
    let inst = caller_instance(caller).ok()?;
    read_cstr(&inst.compartment, app, max)
}
