//! Delegation: a bounded, permission-reduced, revocable window onto one
//! compartment's memory, granted by the host to another compartment
//! (capability-model.md §8, the "pipeline" pattern).
//!
//! `delegate(src, off, len, perms)` derives `mem_cap.set_addr(off)
//! .set_bounds_exact(len).and_perms(perms)` from a memory root minted in a
//! region of its own, seals it with `OT_DELEGATION`, and hands the host a
//! sealed handle (`cwamr_delegation_t`). [`grant`] exposes it to the receiving
//! compartment as an externref owned by that compartment (not GLOBAL unless
//! `perms` contains `GLOBAL`, so the switcher stops it from being passed on).
//! The receiver uses the host imports [`add_to_linker`] defines:
//!
//! | import | type | does |
//! |---|---|---|
//! | `cwamr.buf_read(h, off, dst, len) -> i32` | `(externref, i32, i32, i32) -> i32` | copies `[off, off+len)` of the delegation into the caller's memory at `dst` (needs `LOAD`) |
//! | `cwamr.buf_write(h, off, src, len) -> i32` | `(externref, i32, i32, i32) -> i32` | copies the caller's `[src, src+len)` into the delegation at `off` (needs `STORE`) |
//! | `cwamr.buf_len(h) -> i32` | `(externref) -> i32` | the delegation's length |
//!
//! Offsets are relative to the delegation. Results: `0` (or the length) on
//! success, else a negative [`BufStatus`]; every refusal is recorded as a
//! violation. [`revoke`] (or destroying either compartment) releases the
//! region and the handle: every copy becomes stale.

#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use super::compartment::CompartmentId;
use super::externref::{self, cell_to_index};
use super::func::{Caller, HostFunc};
use super::linker::Linker;
use super::memory::LinearMemory;
use super::store::{InstanceAddr, Store};
use crate::cap::violation::{self, Violation};
use crate::cap::{
    Cap, CapFault, CapRoots, HandleError, HandleTable, OType, OwnerId, Perms, RegionId, ReprModel,
    SealedHandle,
};
use crate::error::{Trap, TrapCode};
use crate::types::{FuncType, ValType};

/// The handle of a delegation (`cwamr_delegation_t`): a sealed `OT_DELEGATION` handle.
pub type DelegationHandle = SealedHandle;

/// Permissions a delegation may carry.
pub const DELEGABLE: Perms = Perms::LOAD.union(Perms::STORE).union(Perms::GLOBAL);

/// Result codes of the `cwamr.buf_*` imports.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(i32)]
pub enum BufStatus {
    /// Success.
    Ok = 0,
    /// Range outside the delegation (or outside the caller's memory).
    Bounds = -1,
    /// The delegation lacks the permission.
    Perm = -2,
    /// Revoked, or a side was destroyed.
    Stale = -3,
    /// Not a delegation of this compartment (null, forged, foreign, other type).
    Invalid = -4,
}

/// Why [`delegate`] refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DelegateError {
    /// No such instance, or it has no memory.
    NoMemory,
    /// `perms` has bits outside `LOAD | STORE | GLOBAL`.
    Perms(Perms),
    /// `[off, off + len)` is not inside the memory.
    Bounds,
    /// Out of regions or handles.
    Exhausted,
    /// The source compartment was destroyed.
    Destroyed,
}

impl std::fmt::Display for DelegateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DelegateError::NoMemory => f.write_str("instance has no memory to delegate"),
            DelegateError::Perms(p) => write!(f, "permissions {p} cannot be delegated"),
            DelegateError::Bounds => f.write_str("delegated range outside linear memory"),
            DelegateError::Exhausted => f.write_str("delegation table exhausted"),
            DelegateError::Destroyed => f.write_str("instance was destroyed"),
        }
    }
}

impl std::error::Error for DelegateError {}

/// A live delegation.
pub struct Delegation {
    memory: Arc<LinearMemory>,
    src: CompartmentId,
    region: RegionId,
    /// Sealed with `OT_DELEGATION`.
    cap: Cap,
    receiver: Mutex<Option<CompartmentId>>,
}

impl std::fmt::Debug for Delegation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delegation")
            .field("src", &self.src)
            .field("cap", &self.cap)
            .finish_non_exhaustive()
    }
}

struct Registry {
    roots: CapRoots,
    handles: HandleTable<Delegation>,
    /// Delegations granted to a compartment (revoked with it).
    granted: Mutex<HashMap<CompartmentId, Vec<SealedHandle>>>,
}

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(|| Registry {
        roots: CapRoots::new(ReprModel::Exact)
            .unwrap_or_else(|| panic!("capability roots exhausted (2^32 runtimes created)")),
        handles: HandleTable::new(),
        granted: Mutex::new(HashMap::new()),
    })
}

fn owner_of(c: CompartmentId) -> OwnerId {
    OwnerId::new(u64::from(c.0))
}

/// `cwamr_delegate`: a delegation of `[off, off + len)` of instance `src`'s
/// memory 0 with `perms ⊆ {LOAD, STORE, GLOBAL}`.
pub fn delegate(
    store: &Store,
    src: InstanceAddr,
    off: u64,
    len: u64,
    perms: Perms,
) -> Result<DelegationHandle, DelegateError> {
    let inst = store.instance(src).ok_or(DelegateError::NoMemory)?;
    let comp = &inst.compartment;
    if comp.is_destroyed() {
        return Err(DelegateError::Destroyed);
    }
    let memory = inst.memory0().ok_or(DelegateError::NoMemory)?.clone();
    let excess = perms - DELEGABLE;
    if !excess.is_empty() {
        return Err(DelegateError::Perms(excess));
    }
    let reg = registry();
    let root = reg
        .roots
        .new_region(0, memory.len() as u64, DELEGABLE)
        .ok_or(DelegateError::Exhausted)?;
    let region = root.region();
    let cap = root
        .try_set_addr(off)
        .and_then(|c| c.set_bounds_exact(len))
        .and_then(|c| c.try_and_perms(perms))
        .and_then(|c| c.try_seal(&reg.roots.sealer(OType::DELEGATION)));
    let cap = match cap {
        Ok(c) => c,
        Err(_) => {
            reg.roots.release_region(region);
            return Err(DelegateError::Bounds);
        }
    };
    let d = Arc::new(Delegation {
        memory,
        src: comp.id(),
        region,
        cap,
        receiver: Mutex::new(None),
    });
    reg.handles
        .insert(OType::DELEGATION, owner_of(comp.id()), d)
        .map_err(|_| {
            reg.roots.release_region(region);
            DelegateError::Exhausted
        })
}

/// `cwamr_revoke`: ends the delegation; every copy of the handle and every
/// externref of it becomes stale. Revoking twice is rejected.
pub fn revoke(h: DelegationHandle) -> Result<(), HandleError> {
    let reg = registry();
    let owner = reg.handles.owner_of(h, OType::DELEGATION)?;
    let d = reg.handles.remove(h, OType::DELEGATION, Some(owner))?;
    reg.roots.release_region(d.region);
    Ok(())
}

/// True while `h` names a live delegation.
pub fn is_live(h: DelegationHandle) -> bool {
    registry()
        .handles
        .validate(h, OType::DELEGATION, None)
        .is_ok()
}

/// Exposes delegation `h` to instance `to` as an externref it owns; returns
/// the interpreter cell (pass it as a `Val::ExternRef`). GLOBAL iff the
/// delegation has `GLOBAL`.
pub fn grant(store: &Store, h: DelegationHandle, to: InstanceAddr) -> Result<u64, HandleError> {
    let reg = registry();
    let d = reg.handles.get(h, OType::DELEGATION, None)?;
    let to = store
        .instance(to)
        .map(|i| i.compartment.id())
        .ok_or(HandleError::Owner)?;
    *d.receiver.lock() = Some(to);
    // A process-lifetime map: never in a runtime pool.
    crate::os::alloc::outside(|| reg.granted.lock().entry(to).or_default().push(h));
    let global = d.cap.perms().contains(Perms::GLOBAL);
    let index = externref::table()
        .new_ref(to, h.bits() as usize, OType::DELEGATION, global, None)
        .map_err(|_| HandleError::TableFull)?;
    Ok(externref::index_to_cell(index))
}

/// Revokes every delegation from or to compartment `c` (it was destroyed).
pub(crate) fn on_destroy(c: CompartmentId) {
    let reg = registry();
    for d in reg.handles.remove_owned_by(owner_of(c)) {
        reg.roots.release_region(d.region);
    }
    let granted = reg.granted.lock().remove(&c).unwrap_or_default();
    for h in granted {
        let _ = revoke(h);
    }
}

fn refuse(caller: CompartmentId, fault: CapFault, cap: &Cap, addr: u64, len: u64) -> i32 {
    violation::record(&Violation::from_cap_fault(
        fault,
        cap,
        addr,
        len,
        Some(caller.0),
    ));
    match fault {
        CapFault::Bounds => BufStatus::Bounds as i32,
        CapFault::Perm(_) => BufStatus::Perm as i32,
        CapFault::Stale => BufStatus::Stale as i32,
        _ => BufStatus::Invalid as i32,
    }
}

/// Resolves externref `cell` held by `caller` to its delegation and unsealed cap.
fn resolve(caller: CompartmentId, cell: u64) -> Result<(Arc<Delegation>, Cap), i32> {
    let reg = registry();
    let index = cell_to_index(cell).ok_or(BufStatus::Invalid as i32)?;
    let bits = externref::table()
        .ref2obj_strict(caller, index, OType::DELEGATION)
        .map_err(|e| match e {
            externref::ExternRefError::Stale => BufStatus::Stale as i32,
            _ => BufStatus::Invalid as i32,
        })?;
    if bits == 0 {
        return Err(BufStatus::Invalid as i32);
    }
    let h = SealedHandle::from_bits(bits as u64);
    let d = match reg.handles.get(h, OType::DELEGATION, None) {
        Ok(d) => d,
        Err(e) => {
            violation::record_handle_error(e, h, OType::DELEGATION, Some(caller.0));
            return Err(match e {
                HandleError::NotLive | HandleError::Stale => BufStatus::Stale as i32,
                _ => BufStatus::Invalid as i32,
            });
        }
    };
    match d.cap.try_unseal(&reg.roots.sealer(OType::DELEGATION)) {
        Ok(cap) => Ok((d, cap)),
        Err(f) => Err(refuse(caller, f, &d.cap, 0, 0)),
    }
}

/// Direction of a buffer copy.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Read,
    Write,
}

/// `cwamr.buf_read` / `cwamr.buf_write` for `caller`'s memory `mine`.
fn buf_copy(
    caller: CompartmentId,
    mine: &LinearMemory,
    cell: u64,
    off: u64,
    local: u64,
    len: u64,
    dir: Dir,
) -> i32 {
    let (d, cap) = match resolve(caller, cell) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let need = match dir {
        Dir::Read => Perms::LOAD,
        Dir::Write => Perms::STORE,
    };
    let Some(addr) = cap.base().checked_add(off) else {
        return refuse(caller, CapFault::Bounds, &cap, off, len);
    };
    let range = match cap.check_access(registry().roots.regions(), addr, len, need) {
        Ok(r) => r,
        Err(f) => return refuse(caller, f, &cap, addr, len),
    };
    // The caller's side: an ordinary bounds check of its own memory.
    if mine.check_range(local, len).is_err() {
        violation::record(&Violation {
            kind: crate::cap::ViolationKind::CapBounds,
            compartment: Some(caller.0),
            addr: local,
            len,
            perms: need,
            otype: OType::UNSEALED,
        });
        return BufStatus::Bounds as i32;
    }
    let r = match dir {
        Dir::Read => mine.copy_from(local, &d.memory, range.start, len),
        Dir::Write => d.memory.copy_from(range.start, mine, local, len),
    };
    match r {
        Ok(()) => BufStatus::Ok as i32,
        Err(_) => BufStatus::Bounds as i32,
    }
}

/// Length of the delegation behind `cell`, or a negative [`BufStatus`].
fn buf_len(caller: CompartmentId, cell: u64) -> i32 {
    match resolve(caller, cell) {
        Ok((_, cap)) => i32::try_from(cap.length()).unwrap_or(i32::MAX),
        Err(code) => code,
    }
}

fn caller_side<'c>(caller: &'c Caller<'_>) -> Result<(CompartmentId, &'c LinearMemory), Trap> {
    let inst = caller
        .instance
        .and_then(|a| caller.store.instance(a))
        .ok_or(Trap::Code(TrapCode::MemoryOutOfBounds))?;
    let mem = inst
        .memory0()
        .ok_or(Trap::Code(TrapCode::MemoryOutOfBounds))?;
    Ok((inst.compartment.id(), mem))
}

/// Defines the `cwamr` imports (`buf_read`, `buf_write`, `buf_len`) in `linker`.
pub fn add_to_linker(linker: &mut Linker) {
    use ValType::{ExternRef, I32};
    let copy_ty = FuncType::new([ExternRef, I32, I32, I32], [I32]);
    for (name, dir) in [("buf_read", Dir::Read), ("buf_write", Dir::Write)] {
        linker.func(
            "cwamr",
            name,
            HostFunc::new(copy_ty.clone(), move |caller, cells| {
                let (me, mem) = caller_side(caller)?;
                let [h, off, local, len, ..] = *cells else {
                    return Err(Trap::Code(TrapCode::MemoryOutOfBounds));
                };
                let r = buf_copy(
                    me,
                    mem,
                    h,
                    u64::from(off as u32),
                    u64::from(local as u32),
                    u64::from(len as u32),
                    dir,
                );
                cells[0] = u64::from(r as u32);
                Ok(())
            }),
        );
    }
    linker.func(
        "cwamr",
        "buf_len",
        HostFunc::new(FuncType::new([ExternRef], [I32]), |caller, cells| {
            let (me, _) = caller_side(caller)?;
            cells[0] = u64::from(buf_len(me, cells[0]) as u32);
            Ok(())
        }),
    );
}
