//! Shared heaps (WAMR's `WASM_ENABLE_SHARED_HEAP`): regions of host memory that several
//! instances address at the same high app offsets.
//!
//! A heap of `size` bytes (a multiple of the system page, 256 B ..= 1 GiB) is either
//! *runtime-managed* (a mapping of its own that never moves, with a sealed allocator whose
//! metadata lives on the host: `shared_heap_malloc`/`free`) or *pre-allocated* (caller memory
//! given as `pre_allocated_addr`, no allocator). For a 32-bit memory an unchained heap covers app
//! offsets `[2^32 - size, 2^32)`. [`chain`] puts a head below a body, so a chain stacks
//! downwards from `2^32`: `head.start = body.start - head.size`; only one heap of a chain may be
//! runtime-managed, and heaps of a chain that is attached cannot be re-chained.
//!
//! **The capability model.** Attaching a chain to an instance ([`attach`]) delegates it to the
//! instance's compartment: one region per heap is minted in a capability table of its own and a
//! `LOAD|STORE` capability bounded to exactly that heap's app range is stored in the
//! compartment's attachment. Every guest or host access that reaches a shared heap (the
//! interpreter's out-of-bounds slow path, the address-translation API, native pointer
//! arguments) is authorised by that capability before a native address is formed. [`detach`]
//! (or destroying the instance) releases the regions: the capabilities are revoked, so an
//! access racing with the detach faults instead of reaching the heap. An instance has at most
//! one attachment; growing its memory into the attached range fails (the memory's grow
//! ceiling), as does attaching a heap its memory already overlaps.
//!
//! Heaps live until `wasm_runtime_destroy` ([`destroy_all`]), as in WAMR, which has no
//! function to destroy one.
//!
//! # Invariants
//! - `SharedHeap::base() .. + size` is readable and writable for the heap's life: a
//!   runtime-managed heap owns a `LinearMemory` of exactly `size` accessible bytes (it never
//!   moves or shrinks); a pre-allocated heap points at caller memory the embedder guarantees
//!   for `size` bytes until the runtime is destroyed (WAMR's contract);
//! - a native address inside a heap is formed only after the attachment's capability
//!   authorised `[app, app + n)` and that range lies inside the heap; the attachment holds an
//!   `Arc` of every heap it covers, so the bytes outlive it;
//! - guest bytes are only accessed through raw pointers, never through Rust references that
//!   outlive a single copy (other instances write the same bytes).

use std::ptr::NonNull;
use std::sync::{Arc, OnceLock};

use parking_lot::{Mutex, RwLock};

use super::app_heap::AppHeap;
use super::compartment::{Compartment, CompartmentId};
use super::func::{Caller, HostFunc};
use super::instance::Instance;
use super::linker::Linker;
use super::memory::LinearMemory;
use crate::cap::{
    Cap, CapRoots, HandleError, HandleTable, OType, OwnerId, Perms, RegionId, ReprModel,
    SealedHandle,
};
use crate::error::{Trap, TrapCode};
use crate::types::{FuncType, Limits, MemoryType, ValType};

/// Smallest heap (WAMR's `APP_HEAP_SIZE_MIN`).
pub const SIZE_MIN: u64 = 256;
/// Largest heap (WAMR's `APP_HEAP_SIZE_MAX`).
pub const SIZE_MAX: u64 = 1 << 30;
/// One past the highest app offset of a 32-bit memory: where the topmost heap ends.
const TOP32: u64 = 1 << 32;
/// Owner of the blocks of a runtime-managed heap. Compartment id 0 is never issued, so a block
/// belongs to the heap, not to one instance: any attached instance may free it, as in WAMR.
const HEAP_OWNER: CompartmentId = CompartmentId(0);

/// WAMR's warning texts.
pub(crate) mod msg {
    pub(crate) const INVALID_SIZE: &str = "Invalid size of shared heap";
    pub(crate) const PRE_UNALIGNED: &str =
        "Pre allocated size need to be aligned with system page size to create shared heap";
    pub(crate) const CHAIN_INVALID: &str = "Invalid shared heap to chain.";
    pub(crate) const CHAIN_ATTACHED: &str =
        "To create shared heap chain, all shared heap need to be detached first.";
    pub(crate) const CHAIN_BODY_TAKEN: &str = "To create shared heap chain, both the 'head' and 'body' \
         shared heap can't already be the 'body' in another a chain";
    pub(crate) const CHAIN_HEAD_TAKEN: &str = "To create shared heap chain, the 'head' shared heap \
         can't already be the 'head' in another a chain";
    pub(crate) const CHAIN_TWO_DYNAMIC: &str = "To create shared heap chain, only one of shared heap \
         can dynamically shared_heap_malloc and shared_heap_free, the rest can only be \
         pre-allocated shared heap";
    pub(crate) const UNCHAIN_INVALID: &str =
        "Invalid shared heap chain to disconnect the head from.";
    pub(crate) const UNCHAIN_ATTACHED: &str = "To disconnect the shared heap head from the shared heap \
         chain, the shared heap chain needs to be detached first.";
    pub(crate) const OVERLAP: &str = "Linear memory address is overlapped with shared heap";
    pub(crate) const ALREADY_ATTACHED: &str = "A shared heap is already attached";
    pub(crate) const MALLOC_PRE: &str = "Can't allocate from pre allocated shared heap";
    pub(crate) const FREE_PRE: &str = "The address to free is from pre allocated shared heap";
    pub(crate) const FREE_OUTSIDE: &str = "The address to free isn't in shared heap";
    pub(crate) const FREE_INVALID: &str = "Invalid app address";
}

/// Where a heap's bytes come from.
enum Backing {
    /// Runtime-managed: a mapping of exactly `size` bytes and the allocator over it (replaced
    /// by [`reset`]).
    Managed {
        mem: Arc<LinearMemory>,
        alloc: Mutex<Arc<AppHeap>>,
    },
    /// Caller memory (`pre_allocated_addr`).
    Pre { base: NonNull<u8> },
}

/// Chain state of a heap; changed only with the registry's list lock held.
struct Links {
    /// Lowest app offset (32-bit memories).
    start: u64,
    /// The body this heap is the head of.
    next: Option<Arc<SharedHeap>>,
    /// Instances this heap is attached to as the head of their chain.
    attached: u32,
}

/// A shared heap (`wasm_shared_heap_t`).
pub struct SharedHeap {
    size: u64,
    backing: Backing,
    links: Mutex<Links>,
    handle: OnceLock<SealedHandle>,
}

// SAFETY: the only non-Send/Sync field is the pre-allocated base pointer, which is never
// dereferenced through a Rust reference; the bytes are accessed through raw pointers only
// (module invariants), like linear memory.
unsafe impl Send for SharedHeap {}
// SAFETY: as above; the mutable state is behind mutexes.
unsafe impl Sync for SharedHeap {}

impl std::fmt::Debug for SharedHeap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedHeap")
            .field("size", &self.size)
            .field("managed", &self.is_managed())
            .finish_non_exhaustive()
    }
}

impl SharedHeap {
    /// Size in bytes (page-aligned).
    pub fn size(&self) -> u64 {
        self.size
    }

    /// True for a runtime-managed heap (one with an allocator).
    pub fn is_managed(&self) -> bool {
        matches!(self.backing, Backing::Managed { .. })
    }

    /// The sealed handle given to C.
    pub fn handle(&self) -> SealedHandle {
        self.handle.get().copied().unwrap_or(SealedHandle::NULL)
    }

    /// Lowest app offset of the heap in a 32-bit memory (changes with [`chain`]/[`unchain`]).
    pub fn start(&self) -> u64 {
        self.links.lock().start
    }

    fn base(&self) -> *mut u8 {
        match &self.backing {
            Backing::Managed { mem, .. } => mem.base(),
            Backing::Pre { base } => base.as_ptr(),
        }
    }

    fn next(&self) -> Option<Arc<SharedHeap>> {
        self.links.lock().next.clone()
    }

    fn attached(&self) -> u32 {
        self.links.lock().attached
    }
}

/// `heap` and the heaps it is chained to, head first.
fn chain_of(heap: &Arc<SharedHeap>) -> Vec<Arc<SharedHeap>> {
    let mut out = vec![heap.clone()];
    while let Some(n) = out.last().and_then(|h| h.next()) {
        if out.iter().any(|h| Arc::ptr_eq(h, &n)) {
            break;
        }
        out.push(n);
    }
    out
}

struct Registry {
    roots: CapRoots,
    handles: HandleTable<SharedHeap>,
    /// Every heap, newest first (WAMR's list). Its lock serialises chain, unchain, reset,
    /// attach and detach (WAMR's `shared_heap_list_lock`).
    list: Mutex<Vec<Arc<SharedHeap>>>,
}

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(|| Registry {
        roots: CapRoots::new(ReprModel::Exact)
            .unwrap_or_else(|| panic!("capability roots exhausted (2^32 runtimes created)")),
        handles: HandleTable::new(),
        list: Mutex::new(Vec::new()),
    })
}

/// True if the host address `addr` lies inside a live shared heap (its bytes belong to the
/// runtime, not to the C allocator: code that would `free` such a pointer must not).
pub fn owns_native(addr: usize) -> bool {
    registry().list.lock().iter().any(|h| {
        let base = h.base() as usize;
        addr >= base && ((addr - base) as u64) < h.size
    })
}

fn page_size() -> u64 {
    // SAFETY: sysconf only reads a system constant.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    u64::try_from(p).ok().filter(|&p| p > 0).unwrap_or(4096)
}

/// `wasm_runtime_create_shared_heap`: [`new`], plus its sealed handle, owned by `owner` (the
/// runtime epoch).
pub fn create(
    size: u32,
    pre: *mut u8,
    owner: OwnerId,
    warn: &dyn Fn(&str),
) -> Option<SealedHandle> {
    let heap = new(size, pre, warn)?;
    let h = registry()
        .handles
        .insert(OType::SHARED_HEAP, owner, heap.clone())
        .ok()?;
    let _ = heap.handle.set(h);
    Some(h)
}

/// A heap of `size` bytes (rounded up to the system page, as a `uint32_t`), over `pre` if
/// non-null (then `size` must already be page-aligned; the memory must stay valid until
/// [`destroy_all`]), else runtime-managed. `warn` gets WAMR's warnings.
pub fn new(size: u32, pre: *mut u8, warn: &dyn Fn(&str)) -> Option<Arc<SharedHeap>> {
    if size == 0 {
        return None;
    }
    let want = u64::from(size);
    let page = page_size();
    // WAMR aligns in 32-bit arithmetic: a size near 4 GiB wraps to 0 (then refused).
    let size = (want.div_ceil(page) * page) & u64::from(u32::MAX);
    if size != want {
        warn(&format!("Shared heap size aligned from {want} to {size}"));
    }
    if !(SIZE_MIN..=SIZE_MAX).contains(&size) {
        warn(msg::INVALID_SIZE);
        return None;
    }
    let backing = match NonNull::new(pre) {
        Some(base) => {
            if size != want {
                warn(msg::PRE_UNALIGNED);
                return None;
            }
            Backing::Pre { base }
        }
        None => {
            let ty = MemoryType {
                limits: Limits {
                    min: 0,
                    max: Some(0),
                },
                shared: false,
            };
            let mem = Arc::new(LinearMemory::new_with_tail(ty, 0, size).ok()?);
            let alloc = AppHeap::new(mem.clone(), 0, size, HEAP_OWNER).ok()?;
            Backing::Managed {
                mem,
                alloc: Mutex::new(Arc::new(alloc)),
            }
        }
    };
    let heap = Arc::new(SharedHeap {
        size,
        backing,
        links: Mutex::new(Links {
            start: TOP32 - size,
            next: None,
            attached: 0,
        }),
        handle: OnceLock::new(),
    });
    registry().list.lock().insert(0, heap.clone());
    Some(heap)
}

/// The heap behind handle `h` of runtime epoch `owner`.
pub fn get(h: SealedHandle, owner: Option<OwnerId>) -> Result<Arc<SharedHeap>, HandleError> {
    registry().handles.get(h, OType::SHARED_HEAP, owner)
}

/// `wasm_runtime_chain_shared_heaps`: puts `head` directly below `body` (and whatever `body`
/// is chained to). False, with WAMR's warning, when either is attached, either is already the
/// body of a chain, `head` already heads one, or the chain would hold two runtime-managed
/// heaps. Chaining a heap to itself is refused as well (WAMR would build a cycle).
pub fn chain(head: &Arc<SharedHeap>, body: &Arc<SharedHeap>, warn: &dyn Fn(&str)) -> bool {
    if Arc::ptr_eq(head, body) {
        warn(msg::CHAIN_INVALID);
        return false;
    }
    let list = registry().list.lock();
    if head.attached() != 0 || body.attached() != 0 {
        warn(msg::CHAIN_ATTACHED);
        return false;
    }
    for cur in list.iter() {
        let next = cur.next();
        if next
            .as_ref()
            .is_some_and(|n| Arc::ptr_eq(n, body) || Arc::ptr_eq(n, head))
        {
            warn(msg::CHAIN_BODY_TAKEN);
            return false;
        }
        if Arc::ptr_eq(cur, head) && next.is_some() {
            warn(msg::CHAIN_HEAD_TAKEN);
            return false;
        }
    }
    let mut dynamic = head.is_managed();
    for cur in chain_of(body) {
        if cur.is_managed() && dynamic {
            warn(msg::CHAIN_TWO_DYNAMIC);
            return false;
        }
        dynamic |= cur.is_managed();
    }
    let Some(start) = body.start().checked_sub(head.size) else {
        warn(msg::CHAIN_INVALID);
        return false;
    };
    let mut l = head.links.lock();
    l.start = start;
    l.next = Some(body.clone());
    true
}

/// `wasm_runtime_unchain_shared_heaps`: detaches `head` from its body (or, with
/// `entire_chain`, takes the whole chain apart) and returns the heap that was its body (resp.
/// the last heap of the chain). Every heap taken off moves back to the top of the app range.
pub fn unchain(
    head: &Arc<SharedHeap>,
    entire_chain: bool,
    warn: &dyn Fn(&str),
) -> Option<Arc<SharedHeap>> {
    if head.next().is_none() {
        warn(msg::UNCHAIN_INVALID);
        return None;
    }
    let _list = registry().list.lock();
    if head.attached() != 0 {
        warn(msg::UNCHAIN_ATTACHED);
        return None;
    }
    let mut cur = head.clone();
    loop {
        let next = {
            let mut l = cur.links.lock();
            let Some(next) = l.next.take() else { break };
            l.start = TOP32 - cur.size;
            next
        };
        cur = next;
        if !entire_chain {
            break;
        }
    }
    Some(cur)
}

/// `wasm_runtime_reset_shared_heap_chain`: zeroes every heap of the chain and gives the
/// runtime-managed one a fresh, empty allocator. False while `heap` is attached.
pub fn reset(heap: &Arc<SharedHeap>) -> bool {
    let _list = registry().list.lock();
    if heap.attached() != 0 {
        return false;
    }
    for cur in chain_of(heap) {
        match &cur.backing {
            Backing::Managed { mem, alloc } => {
                if mem.fill(0, 0, cur.size).is_err() {
                    return false;
                }
                match AppHeap::new(mem.clone(), 0, cur.size, HEAP_OWNER) {
                    Ok(a) => *alloc.lock() = Arc::new(a),
                    Err(_) => return false,
                }
            }
            Backing::Pre { base } => {
                // SAFETY: `[base, base + size)` is writable caller memory (module invariants).
                unsafe { std::ptr::write_bytes(base.as_ptr(), 0, cur.size as usize) };
            }
        }
    }
    true
}

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
    /// The segment holding all of `[app, app + max(n, 1))`.
    fn segment(&self, app: u64, n: u64) -> Option<&Segment> {
        if n > SIZE_MAX {
            return None;
        }
        let end = app.checked_add(n.max(1))?;
        self.segs
            .iter()
            .find(|s| app >= s.start && end <= s.start + s.heap.size)
    }

    /// Native address of `[app, app + n)` (`n == 0` counts as 1, as in WAMR), authorised by
    /// the segment's capability for `need`.
    fn resolve(&self, app: u64, n: u64, need: Perms) -> Option<(*mut u8, &Segment)> {
        let s = self.segment(app, n)?;
        let r = s
            .cap
            .check_access(registry().roots.regions(), app, n.max(1), need)
            .ok()?;
        let p = s.heap.base().wrapping_add((r.start - s.start) as usize);
        Some((p, s))
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

/// `wasm_runtime_destroy`: every heap's handle dies and the runtime-managed mappings are
/// released once no attachment holds them.
pub fn destroy_all() {
    let reg = registry();
    let heaps = std::mem::take(&mut *reg.list.lock());
    for h in heaps {
        let _ = reg.handles.remove(h.handle(), OType::SHARED_HEAP, None);
        h.links.lock().next = None;
    }
}

fn attachment(comp: &Compartment) -> Option<Arc<Attachment>> {
    comp.shared_heap_slot().read().clone()
}

/// True while `comp` has a shared heap attached.
pub fn is_attached(comp: &Compartment) -> bool {
    comp.shared_heap_slot().read().is_some()
}

/// Native address of the app range `[app, app + n)` when it lies inside one heap attached to
/// `comp` (`n == 0` counts as 1), authorised for `need`. The interpreter's out-of-bounds slow
/// path and the address API use it.
#[inline]
pub fn app_to_native(comp: &Compartment, app: u64, n: u64, need: Perms) -> Option<*mut u8> {
    let g = comp.shared_heap_slot().read();
    g.as_ref()?.resolve(app, n, need).map(|(p, _)| p)
}

/// App offset of the native range `[p, p + n)` when it lies inside one heap attached to
/// `comp` (`n == 0` never does, as in WAMR).
pub fn native_to_app(comp: &Compartment, p: usize, n: u64) -> Option<u64> {
    let a = attachment(comp)?;
    if n == 0 || n > SIZE_MAX {
        return None;
    }
    let end = (p as u64).checked_add(n)?;
    a.segs.iter().find_map(|s| {
        let base = s.heap.base() as usize as u64;
        let off = (p as u64).checked_sub(base)?;
        (end <= base + s.heap.size).then_some(s.start + off)
    })
}

/// The NUL-terminated string at `app` when `app` lies inside a heap attached to `comp`:
/// `None` if it does not, `Some(None)` if the heap ends (or `max` bytes pass) before a NUL,
/// else a copy of the bytes before the NUL.
pub fn read_cstr(comp: &Compartment, app: u64, max: usize) -> Option<Option<Vec<u8>>> {
    let a = attachment(comp)?;
    let (p, s) = a.resolve(app, 1, Perms::LOAD)?;
    let avail = usize::try_from(s.start + s.heap.size - app)
        .unwrap_or(usize::MAX)
        .min(max);
    let mut out = Vec::new();
    for i in 0..avail {
        // SAFETY: `app + i` is inside the segment's heap (`avail` bound), authorised above.
        let b = unsafe { p.add(i).read_volatile() };
        if b == 0 {
            return Some(Some(out));
        }
        out.push(b);
    }
    Some(None)
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
    let Backing::Managed { alloc, .. } = &s.heap.backing else {
        return None;
    };
    let heap = alloc.lock().clone();
    let off = heap.malloc_for(HEAP_OWNER, size)?;
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
    if let Backing::Managed { alloc, .. } = &s.heap.backing {
        let heap = alloc.lock().clone();
        let _ = heap.free_for(HEAP_OWNER, ptr - s.start);
    }
}

fn caller_instance<'c>(caller: &'c Caller<'_>) -> Result<&'c Arc<Instance>, Trap> {
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

/// True if `module.name` of type `ty` is one of the natives [`add_to_linker`] defines.
pub fn provides(module: &str, name: &str, ty: &FuncType) -> bool {
    use ValType::I32;
    module == "env"
        && match name {
            "shared_heap_malloc" => ty == &FuncType::new([I32], [I32]),
            "shared_heap_free" => ty == &FuncType::new([I32], []),
            _ => false,
        }
}

/// Defines WAMR's shared-heap natives in `linker` unless already defined there (an embedder's
/// own natives of the same name win, as registrations made after `wasm_runtime_init` do in
/// WAMR):
/// - `env.shared_heap_malloc(i32 size) -> i32` (`(i)i`): the app offset of a new block, 0 on
///   failure;
/// - `env.shared_heap_free(i32 ptr)` (`(*)`): the pointer is checked as a `*` argument (one byte
///   in linear memory or the shared heap, else the call traps out of bounds), then as 8 bytes
///   (else the warning `Invalid app address` and an out-of-bounds trap), then freed.
pub fn add_to_linker(linker: &mut Linker, warn: fn(&str)) {
    use ValType::I32;
    if !linker.contains("env", "shared_heap_malloc") {
        let ty = FuncType::new([I32], [I32]);
        let f = HostFunc::new(ty, move |caller, cells| {
            let inst = caller_instance(caller)?;
            let size = u64::from(cells.first().copied().unwrap_or(0) as u32);
            let app = malloc(inst, size, &warn).map_or(0, |(a, _)| a);
            if let Some(c) = cells.first_mut() {
                *c = u64::from(app as u32);
            }
            Ok(())
        });
        linker.func("env", "shared_heap_malloc", f);
    }
    if !linker.contains("env", "shared_heap_free") {
        let ty = FuncType::new([I32], []);
        let f = HostFunc::new(ty, move |caller, cells| {
            let oob = Trap::Code(TrapCode::MemoryOutOfBounds);
            let inst = caller_instance(caller)?;
            let app = u64::from(cells.first().copied().unwrap_or(0) as u32);
            let rw = Perms::LOAD.union(Perms::STORE);
            let mem_len = inst.memory0().map_or(0, |m| m.len() as u64);
            let in_heap = app_to_native(&inst.compartment, app, 1, rw).is_some();
            if !in_heap && app + 1 > mem_len {
                return Err(oob);
            }
            let whole = if in_heap {
                app_to_native(&inst.compartment, app, 8, rw).is_some()
            } else {
                app + 8 <= mem_len
            };
            if !whole {
                warn(msg::FREE_INVALID);
                return Err(oob);
            }
            free(inst, app, &warn);
            Ok(())
        });
        linker.func("env", "shared_heap_free", f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet(_: &str) {}

    #[test]
    fn sizes_are_page_aligned_and_bounded() {
        let o = OwnerId::new(u64::MAX - 7);
        assert!(create(0, std::ptr::null_mut(), o, &quiet).is_none());
        // 100 bytes round up to a page (and a pre-allocated heap must already be a multiple).
        let small = get(create(100, std::ptr::null_mut(), o, &quiet).unwrap(), None).unwrap();
        assert_eq!(small.size(), page_size());
        let mut tiny = vec![0u8; 100];
        assert!(create(100, tiny.as_mut_ptr(), o, &quiet).is_none());
        let h = create(5000, std::ptr::null_mut(), o, &quiet).unwrap();
        let heap = get(h, Some(o)).unwrap();
        assert_eq!(heap.size() % page_size(), 0);
        assert_eq!(heap.start(), TOP32 - heap.size());
        assert!(create(u32::MAX, std::ptr::null_mut(), o, &quiet).is_none());
        let mut buf = vec![0u8; 10000];
        assert!(create(10000, buf.as_mut_ptr(), o, &quiet).is_none());
    }

    #[test]
    fn chains_stack_downwards_and_unchain_restores() {
        let o = OwnerId::new(u64::MAX - 8);
        let page = page_size() as usize;
        let mut pre = vec![0u8; page * 2];
        let a = get(
            create(page as u32, std::ptr::null_mut(), o, &quiet).unwrap(),
            None,
        )
        .unwrap();
        let b = get(
            create((page * 2) as u32, pre.as_mut_ptr(), o, &quiet).unwrap(),
            None,
        )
        .unwrap();
        let c = get(
            create(page as u32, std::ptr::null_mut(), o, &quiet).unwrap(),
            None,
        )
        .unwrap();
        assert!(!chain(&a, &a, &quiet));
        assert!(chain(&a, &b, &quiet));
        assert_eq!(b.start(), TOP32 - 2 * page as u64);
        assert_eq!(a.start(), TOP32 - 3 * page as u64);
        // Two runtime-managed heaps, a body already taken, a head already heading.
        assert!(!chain(&c, &a, &quiet));
        assert!(!chain(&c, &b, &quiet));
        assert!(!chain(&a, &c, &quiet));
        let body = unchain(&a, false, &quiet).unwrap();
        assert!(Arc::ptr_eq(&body, &b));
        assert_eq!(a.start(), TOP32 - page as u64);
        assert!(unchain(&a, false, &quiet).is_none());
        assert!(reset(&b));
    }
}
