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
//! arguments, the libc-builtin natives through `app_space`) is a
//! [`GuestRange`](crate::runtime::guest::GuestRange) derived from that capability, so it is authorised
//! before a native address is formed. [`detach`] (or destroying the instance) releases the
//! regions: the capabilities are revoked, so an access racing with the detach faults instead of
//! reaching the heap. An instance has at most one attachment; growing its memory into the
//! attached range fails (the memory's grow ceiling), as does attaching a heap its memory
//! already overlaps.
//!
//! Heaps live until `wasm_runtime_destroy` ([`destroy_all`]), as in WAMR, which has no
//! function to destroy one.
//!
//! Files: this one (the heap object, creation, the registry), `shared_heap/chain.rs` (chain,
//! unchain, reset), `shared_heap/attach.rs` (the delegation to a compartment and every lookup
//! through it, `shared_heap_malloc`/`free`), `shared_heap/natives.rs` (the `env` natives).
//!
//! # Invariants
//! - every heap's bytes are a `LinearMemory` of exactly `size` accessible bytes that never
//!   moves or shrinks: a runtime-managed heap owns its mapping; a pre-allocated heap is a
//!   *borrowed* memory over caller memory the embedder guarantees for `size` bytes until the
//!   runtime is destroyed (WAMR's contract);
//! - a native address inside a heap is formed only from a `GuestRange` the attachment's
//!   capability authorised; the attachment holds an `Arc` of every heap it covers, so the
//!   bytes outlive it;
//! - guest bytes are only accessed through `LinearMemory`'s bounded raw copies, never through
//!   Rust references (other instances write the same bytes).

mod attach;
mod chain;
mod natives;

use std::ptr::NonNull;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use super::app_heap::AppHeap;
use super::compartment::CompartmentId;
use super::memory::LinearMemory;
use crate::cap::{CapRoots, HandleError, HandleTable, OType, OwnerId, ReprModel, SealedHandle};
use crate::types::{Limits, MemoryType};

pub use attach::{
    Attachment, app_to_native, attach, caller_app_to_native, caller_read_cstr, detach, free,
    is_attached, malloc, native_to_app, read_cstr,
};
pub(crate) use attach::{Slot, attachment, on_destroy};
pub use chain::{chain, reset, unchain};
pub use natives::{add_to_linker, provides};

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

/// The heap's bytes and, for a runtime-managed heap, the allocator over them (replaced by
/// [`reset`]).
struct Backing {
    mem: Arc<LinearMemory>,
    alloc: Option<Mutex<Arc<AppHeap>>>,
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
        self.backing.alloc.is_some()
    }

    /// The sealed handle given to C.
    pub fn handle(&self) -> SealedHandle {
        self.handle.get().copied().unwrap_or(SealedHandle::NULL)
    }

    /// Lowest app offset of the heap in a 32-bit memory (changes with [`chain`]/[`unchain`]).
    pub fn start(&self) -> u64 {
        self.links.lock().start
    }

    /// The bytes (heap offset 0 is byte 0).
    fn mem(&self) -> &Arc<LinearMemory> {
        &self.backing.mem
    }

    fn base(&self) -> *mut u8 {
        self.backing.mem.base()
    }

    /// The current allocator of a runtime-managed heap.
    fn allocator(&self) -> Option<Arc<AppHeap>> {
        self.backing.alloc.as_ref().map(|a| a.lock().clone())
    }

    fn next(&self) -> Option<Arc<SharedHeap>> {
        self.links.lock().next.clone()
    }

    fn attached(&self) -> u32 {
        self.links.lock().attached
    }
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
            // SAFETY: the embedder guarantees `[pre, pre + size)` readable and writable until
            // the runtime is destroyed (WAMR's contract; module invariants).
            let mem = unsafe { LinearMemory::borrowed(base, size as usize) };
            Backing {
                mem: Arc::new(mem),
                alloc: None,
            }
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
            Backing {
                mem,
                alloc: Some(Mutex::new(Arc::new(alloc))),
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

#[cfg(test)]
mod tests;
