//! Compartments and the switcher (capability-model.md §8).
//!
//! Every module instance is a compartment: it owns its memories, tables,
//! globals, externrefs, app heap and delegations, and nothing of it is shared
//! unless the host links a shared import. A [`Compartment`] is the per-instance
//! state the capability core keeps (identity, poison flag, app heap, held
//! views); every [`Instance`] carries one.
//!
//! **The switcher** is the one path by which control crosses from one
//! compartment into another: a call through an imported function or a foreign
//! funcref (shared table) whose callee belongs to another instance, or a host
//! function forwarding a call ([`Caller::call_raw`](crate::runtime::Caller::call_raw)).
//! On entry it
//! 1. refuses a compartment poisoned by an earlier trap,
//! 2. (types were checked when the import was linked, or by `call_indirect`'s
//!    signature check,) and refuses compartment-local externrefs/delegations
//!    among the arguments (`local capability cannot cross compartment`),
//! 3. pushes a boundary record (the "current compartment" switch; the
//!    interpreter then resolves every access against the callee's memory),
//! 4. shares the one call-depth budget of the exec env's stack.
//!
//! On return it pops the boundary and applies rule 2 to the results. On a trap
//! the interpreter unwinds to the host; the switcher records the trap's
//! origin ([`TrapOrigin`]) and, under [`TrapPolicy::Poison`], marks every
//! compartment that was entered through a boundary and unwound as poisoned:
//! further entries are refused until [`reset`].
//!
//! The checks run only on cross-instance transitions, which the interpreter
//! already takes on a separate branch; calls inside one instance pay nothing.

#![forbid(unsafe_code)]

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use super::app_heap::AppHeap;
use super::externref;
use super::func::{Caller, FuncKind};
use super::instance::Instance;
use super::store::{FuncAddr, InstanceAddr, Store, TableAddr};
use crate::cap::violation::{self, Violation, ViolationKind};
use crate::cap::{OType, Perms};
use crate::error::{Trap, TrapCode};
use crate::types::ValType;

/// Message of the trap raised when a local capability would leave its compartment.
pub const LOCAL_CAP_ESCAPE: &str = "local capability cannot cross compartment";

/// Message of the trap raised on entry into a poisoned compartment.
pub const POISONED: &str = "compartment is poisoned by an earlier trap";

/// Maximum nesting of host re-entries (`host → wasm → host → wasm ...` through
/// [`Caller::call_raw`](crate::runtime::Caller::call_raw)). Each level uses
/// native stack; past this the call traps with `native stack overflow`
/// instead of overflowing the host stack.
pub const MAX_REENTRY: u32 = 128;

/// Process-unique identity of a compartment (never reused).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct CompartmentId(pub u32);

impl fmt::Display for CompartmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "compartment {}", self.0)
    }
}

/// What happens to a compartment that is unwound by a trap after being
/// entered through the switcher.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum TrapPolicy {
    /// Refuse further entries until [`reset`] (the design's default).
    #[default]
    Poison,
    /// Keep the compartment usable (WebAssembly's own semantics; the spec
    /// test-suite needs it).
    Continue,
}

/// Source of compartment ids; 0 is never issued.
static NEXT_ID: AtomicU32 = AtomicU32::new(1);

/// The capability core's state of one instance.
pub struct Compartment {
    id: CompartmentId,
    policy: TrapPolicy,
    poisoned: AtomicBool,
    destroyed: AtomicBool,
    views: AtomicU32,
    heap: OnceLock<Arc<AppHeap>>,
    /// The shared-heap chain delegated to this compartment (see `shared_heap`).
    shared_heap: super::shared_heap::Slot,
}

impl fmt::Debug for Compartment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Compartment")
            .field("id", &self.id.0)
            .field("poisoned", &self.is_poisoned())
            .field("destroyed", &self.is_destroyed())
            .finish_non_exhaustive()
    }
}

impl Compartment {
    /// A fresh compartment with a new id.
    pub(crate) fn new(policy: TrapPolicy) -> Compartment {
        let id = NEXT_ID
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                Some(n.saturating_add(1))
            })
            .unwrap_or(u32::MAX);
        Compartment {
            id: CompartmentId(id),
            policy,
            poisoned: AtomicBool::new(false),
            destroyed: AtomicBool::new(false),
            views: AtomicU32::new(0),
            heap: OnceLock::new(),
            shared_heap: Default::default(),
        }
    }

    /// Identity.
    pub fn id(&self) -> CompartmentId {
        self.id
    }

    /// The per-compartment otype `0x1000 + id` (§2), when the id is small enough.
    pub fn otype(&self) -> Option<OType> {
        OType::compartment(self.id.0)
    }

    /// The trap policy fixed at instantiation.
    pub fn policy(&self) -> TrapPolicy {
        self.policy
    }

    /// True once a trap unwound it under [`TrapPolicy::Poison`] (until [`reset`]).
    #[inline]
    pub fn is_poisoned(&self) -> bool {
        self.poisoned.load(Ordering::Relaxed)
    }

    /// True once the instance was destroyed (its store dropped or [`destroy`] called).
    pub fn is_destroyed(&self) -> bool {
        self.destroyed.load(Ordering::Acquire)
    }

    /// Number of memory views (strict mode, `cwamr_view_acquire`) currently held.
    /// An embedder must not destroy the instance while this is non-zero.
    pub fn views_held(&self) -> u32 {
        self.views.load(Ordering::Acquire)
    }

    pub(crate) fn view_acquired(&self) {
        self.views.fetch_add(1, Ordering::AcqRel);
    }

    pub(crate) fn view_released(&self) {
        let _ = self
            .views
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
    }

    /// The app heap placed in (or shared through) this compartment's memory 0.
    pub fn app_heap(&self) -> Option<&Arc<AppHeap>> {
        self.heap.get()
    }

    /// Installs the app heap (once).
    pub(crate) fn set_app_heap(&self, heap: Arc<AppHeap>) -> bool {
        self.heap.set(heap).is_ok()
    }

    /// The shared-heap attachment slot.
    pub(crate) fn shared_heap_slot(&self) -> &super::shared_heap::Slot {
        &self.shared_heap
    }

    fn poison(&self) {
        if self.policy == TrapPolicy::Poison && !self.poisoned.swap(true, Ordering::Relaxed) {
            crate::os::log::log(
                crate::os::log::DEBUG,
                &format!("{}: poisoned by a trap it did not contain", self.id),
            );
        }
    }
}

/// The compartment of instance `inst`.
pub fn of(store: &Store, inst: InstanceAddr) -> Option<&Arc<Compartment>> {
    store.instance(inst).map(|i| &i.compartment)
}

/// Clears the poison of instance `inst` (`cwamr_compartment_reset`). False if
/// there is no such instance.
pub fn reset(store: &Store, inst: InstanceAddr) -> bool {
    match of(store, inst) {
        Some(c) => {
            c.poisoned.store(false, Ordering::Relaxed);
            true
        }
        None => false,
    }
}

/// Ends the compartment of instance `inst`: its externrefs are swept (each
/// cleanup callback runs once), delegations from and to it are revoked, its
/// views become invalid. Idempotent; also done for every instance when its
/// store is dropped. The store's memory is released with the store.
pub fn destroy(store: &Store, inst: InstanceAddr) -> bool {
    match of(store, inst) {
        Some(c) => {
            destroy_compartment(c);
            true
        }
        None => false,
    }
}

/// [`destroy`] for a compartment already at hand.
pub(crate) fn destroy_compartment(c: &Compartment) {
    if c.destroyed.swap(true, Ordering::AcqRel) {
        return;
    }
    externref::table().sweep_owner(c.id);
    super::delegation::on_destroy(c.id);
    super::shared_heap::on_destroy(c);
}

/// Defines the `cwamr` host imports compartments use (`cwamr.buf_read`,
/// `cwamr.buf_write`, `cwamr.buf_len`; see [`delegation`](super::delegation)).
pub fn add_to_linker(linker: &mut super::linker::Linker) {
    super::delegation::add_to_linker(linker);
}

/// Where a trap came from: the innermost instance that was executing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TrapOrigin {
    /// The instance (in the store the call ran in).
    pub instance: InstanceAddr,
    /// Its compartment.
    pub compartment: CompartmentId,
}

/// One crossing the switcher let through and has not yet returned.
#[derive(Clone, Copy, Debug)]
struct Boundary {
    /// Number of interpreter frames when the crossing was made (after pushing the callee's).
    frame_depth: usize,
    callee: InstanceAddr,
    callee_cid: CompartmentId,
    caller_cid: CompartmentId,
    func: FuncAddr,
    ref_results: bool,
}

/// Switcher state of one exec env (lives in its interpreter stack).
#[derive(Debug, Default)]
pub struct Switcher {
    boundaries: Vec<Boundary>,
    origin: Option<TrapOrigin>,
    /// Set when a nested invocation (host re-entry) recorded the origin of the trap now
    /// unwinding the outer ones.
    nested_recorded: bool,
    reentry: u32,
}

impl Switcher {
    /// Origin of the last trap that unwound an invocation on this stack.
    pub fn trap_origin(&self) -> Option<TrapOrigin> {
        self.origin
    }

    /// Number of crossings currently active.
    pub fn depth(&self) -> usize {
        self.boundaries.len()
    }
}

fn trap_escape(from: CompartmentId, to: CompartmentId, cell: u64) -> Trap {
    violation::record(&Violation {
        kind: ViolationKind::LocalCapEscape,
        compartment: Some(from.0),
        addr: cell,
        len: u64::from(to.0),
        perms: Perms::GLOBAL,
        otype: OType::EXTERNREF,
    });
    Trap::Host(LOCAL_CAP_ESCAPE.to_string())
}

/// The trap for an entry into poisoned compartment `c` (recorded).
pub(crate) fn poisoned_trap(c: &Compartment) -> Trap {
    violation::record(&Violation {
        kind: ViolationKind::CompartmentPoisoned,
        compartment: Some(c.id.0),
        addr: 0,
        len: 0,
        perms: Perms::INVOKE,
        otype: c.otype().unwrap_or(OType::INSTANCE),
    });
    Trap::Host(POISONED.to_string())
}

/// Checks that every externref among `cells` (typed by `tys`) may move from
/// compartment `from` into compartment `to`.
fn check_refs(
    tys: &[ValType],
    cells: &[u64],
    from: CompartmentId,
    to: CompartmentId,
) -> Result<(), Trap> {
    for (t, &c) in tys.iter().zip(cells) {
        if *t == ValType::ExternRef && c != 0 && !externref::table().may_enter(c, to) {
            return Err(trap_escape(from, to, c));
        }
    }
    Ok(())
}

/// Switcher entry for a wasm→wasm call from `caller` into `callee` through
/// function `func` with argument cells `args`. On success a boundary is pushed.
pub(crate) fn enter(
    store: &Store,
    sw: &mut Switcher,
    frame_depth: usize,
    caller: &Instance,
    callee: &Instance,
    func: FuncAddr,
    args: &[u64],
) -> Result<(), Trap> {
    let (from, to) = (&caller.compartment, &callee.compartment);
    if to.is_poisoned() {
        return Err(poisoned_trap(to));
    }
    let ty = &store.funcs[func.index()].ty;
    check_refs(ty.params(), args, from.id, to.id)?;
    sw.boundaries.push(Boundary {
        frame_depth,
        callee: callee.addr,
        callee_cid: to.id,
        caller_cid: from.id,
        func,
        ref_results: ty.results().contains(&ValType::ExternRef),
    });
    Ok(())
}

/// Number of result cells the switcher must inspect when the innermost
/// crossing returns (0 when no result is an externref).
pub(crate) fn results_to_check(store: &Store, sw: &Switcher) -> usize {
    match sw.boundaries.last() {
        Some(b) if b.ref_results => store.funcs[b.func.index()].ty.results().len(),
        _ => 0,
    }
}

/// Switcher exit of the innermost crossing: applies the escape rule to the
/// `results` going back to the caller (as many cells as [`results_to_check`]
/// said), then pops the boundary. On a refusal the boundary stays, so the
/// returning compartment counts as unwound by the trap (poisoned, origin).
pub(crate) fn leave(store: &Store, sw: &mut Switcher, results: &[u64]) -> Result<(), Trap> {
    let Some(b) = sw.boundaries.last() else {
        return Ok(());
    };
    if b.ref_results {
        let ty = &store.funcs[b.func.index()].ty;
        check_refs(ty.results(), results, b.callee_cid, b.caller_cid)?;
    }
    sw.boundaries.pop();
    Ok(())
}

/// Called by the interpreter when an invocation that started with `depth`
/// frames on the stack ends in `trap` (`entry` is the invocation's own
/// instance): records the origin (unless a nested invocation already did),
/// poisons the compartments entered through boundaries during this invocation
/// and unwound, and drops those boundaries. Costs nothing on the success path.
///
/// If a host function swallows the trap of a nested call and the outer call
/// later traps for another reason, the origin reported is the nested one.
pub(crate) fn unwind(
    store: &Store,
    sw: &mut Switcher,
    depth: usize,
    entry: &Instance,
    trap: &Trap,
) {
    // Boundaries of this invocation were pushed after its entry, with deeper frames.
    let keep = sw
        .boundaries
        .iter()
        .rposition(|b| b.frame_depth <= depth)
        .map_or(0, |i| i + 1);
    let unwound = &sw.boundaries[keep..];
    if !sw.nested_recorded {
        sw.origin = Some(match unwound.last() {
            Some(b) => TrapOrigin {
                instance: b.callee,
                compartment: b.callee_cid,
            },
            None => TrapOrigin {
                instance: entry.addr,
                compartment: entry.compartment.id,
            },
        });
    }
    // Nested (host re-entry): the outer invocations unwinding next must keep this origin.
    sw.nested_recorded = sw.reentry > 0;
    if !matches!(trap, Trap::Exit(_)) {
        for b in unwound {
            if let Some(i) = store.instance(b.callee) {
                i.compartment.poison();
            }
        }
    }
    sw.boundaries.truncate(keep);
}

/// `Caller::call_raw`: a host function calling `func` re-entrantly. When the
/// host function was called by instance A and `func` belongs to instance B,
/// this is a crossing (a host import forwarding to another compartment) and
/// gets the same checks as a direct call; B is poisoned if it traps.
pub(crate) fn call_from_host(
    caller: &mut Caller<'_>,
    func: FuncAddr,
    cells: &mut [u64],
) -> Result<(), Trap> {
    if caller.stack.switcher.reentry >= MAX_REENTRY {
        return Err(Trap::Code(TrapCode::NativeStackOverflow));
    }
    let target = match caller.store.funcs.get(func.index()).map(|f| &f.kind) {
        Some(FuncKind::Wasm { instance, .. }) => Some(*instance),
        _ => None,
    };
    let crossing = match (caller.instance, target) {
        (Some(a), Some(b)) if a != b => {
            let (ca, cb) = (
                caller.store.instances[a.index()].compartment.clone(),
                caller.store.instances[b.index()].compartment.clone(),
            );
            if cb.is_poisoned() {
                return Err(poisoned_trap(&cb));
            }
            let ty = caller.store.funcs[func.index()].ty.clone();
            let n = ty.params().len().min(cells.len());
            check_refs(ty.params(), &cells[..n], ca.id, cb.id)?;
            Some((ca, cb, ty))
        }
        _ => None,
    };
    caller.stack.switcher.reentry += 1;
    let engine = caller.store.engine();
    let r = engine.invoke(caller.store, caller.stack, func, cells);
    caller.stack.switcher.reentry -= 1;
    if let Some((ca, cb, ty)) = crossing {
        match &r {
            Ok(()) => {
                let n = ty.results().len().min(cells.len());
                if let Err(e) = check_refs(ty.results(), &cells[..n], cb.id, ca.id) {
                    cb.poison();
                    return Err(e);
                }
            }
            Err(Trap::Exit(_)) => {}
            Err(_) => cb.poison(),
        }
    }
    r
}

/// Direction of a table access checked by [`check_table_access`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum TableAccess {
    /// A value read out of the table by the instance.
    Read,
    /// A value written into the table by the instance.
    Write,
}

/// Capability guard for externref tables an instance imported (tables are the
/// one piece of state two compartments can share through links). Writing a
/// reference into a shared table needs it to be GLOBAL (or null); reading one
/// out needs it to be GLOBAL, null, or owned by the reader. Non-capability
/// cells (values the Rust host passed directly, stale indices) pass.
pub(crate) fn check_table_access(
    inst: &Instance,
    cell: u64,
    access: TableAccess,
) -> Result<(), Trap> {
    if cell == 0 {
        return Ok(());
    }
    let me = inst.compartment.id;
    let t = externref::table();
    let ok = match access {
        TableAccess::Write => t.is_global_or_dead(cell),
        TableAccess::Read => t.may_enter(cell, me),
    };
    if ok {
        Ok(())
    } else {
        Err(trap_escape(me, CompartmentId(0), cell))
    }
}

/// [`check_table_access`] over the `len` elements of `table` starting at `at`
/// (`table.copy` into or out of a shared table). Out-of-range parts are left to
/// the copy itself to report.
pub(crate) fn check_table_range(
    store: &Store,
    inst: &Instance,
    table: TableAddr,
    at: u32,
    len: u32,
    access: TableAccess,
) -> Result<(), Trap> {
    let Some(t) = store.table(table) else {
        return Ok(());
    };
    let elems = t.elems();
    let start = (at as usize).min(elems.len());
    let end = (at as usize).saturating_add(len as usize).min(elems.len());
    for &c in &elems[start..end] {
        check_table_access(inst, c, access)?;
    }
    Ok(())
}
