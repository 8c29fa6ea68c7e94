//! Sealed handle registries of the WAMR API.
//!
//! Every pointer-typed object `wasm_export.h` hands to C (`wasm_module_t`,
//! `wasm_module_inst_t`, `wasm_exec_env_t`, `wasm_function_inst_t`, `wasm_memory_inst_t`, the
//! type handles, `struct InstantiationArgs2 *`, table references) is a [`SealedHandle`] issued by
//! one of the tables below, never a real pointer. Each table has its own MAC key, so a handle
//! of one kind never validates as another even before the otype check.
//!
//! Owners:
//! - modules, instances, exec envs and instantiation-argument objects belong to the *runtime
//!   epoch*: every `wasm_runtime_init` after a full `wasm_runtime_destroy` starts a new epoch,
//!   and handles of an older runtime are refused by the owner check;
//! - function, memory and table handles belong to their instance (owner = instance id), so a
//!   function of instance A cannot be called through an exec env of instance B;
//! - type handles belong to their module.
//!
//! A rejected handle gives WAMR's failure value, a logged reason (also readable with
//! `cwamr_last_error`) and a record in the capability violation log.

use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use super::objects::{
    ExecEnvObj, FuncObj, InstArgs2, InstObj, MemObj, ModuleObj, TableObj, TypeObj,
};
use crate::cap::violation::{self, Violation, ViolationKind};
use crate::cap::{HandleCache, HandleError, HandleTable, OType, OwnerId, Perms, SealedHandle};
use crate::capi::ffi;

/// The tables.
pub(crate) struct Registries {
    pub modules: HandleTable<ModuleObj>,
    pub instances: HandleTable<InstObj>,
    pub exec_envs: HandleTable<ExecEnvObj>,
    pub funcs: HandleTable<FuncObj>,
    pub memories: HandleTable<MemObj>,
    pub tables: HandleTable<TableObj>,
    pub types: HandleTable<TypeObj>,
    pub inst_args: HandleTable<Mutex<InstArgs2>>,
}

/// The process-wide registries.
pub(crate) fn reg() -> &'static Registries {
    static R: OnceLock<Registries> = OnceLock::new();
    R.get_or_init(|| Registries {
        modules: HandleTable::new(),
        instances: HandleTable::new(),
        exec_envs: HandleTable::sharing_removals(&CALL_STAMP),
        funcs: HandleTable::sharing_removals(&CALL_STAMP),
        memories: HandleTable::new(),
        tables: HandleTable::new(),
        types: HandleTable::new(),
        inst_args: HandleTable::new(),
    })
}

/// Owner id of the running runtime (0 while not initialised).
static EPOCH: AtomicU64 = AtomicU64::new(0);
static NEXT_EPOCH: AtomicU64 = AtomicU64::new(1);
static NEXT_OBJECT_ID: AtomicU64 = AtomicU64::new(1);

/// The current runtime epoch as an owner id (`None` when the runtime is not initialised).
pub(crate) fn epoch() -> Option<OwnerId> {
    match EPOCH.load(Ordering::Acquire) {
        0 => None,
        e => Some(OwnerId::new(e)),
    }
}

/// Changes whenever a validated (exec env, function) pair of a call may have become invalid:
/// a removal from either table, an exec env given another instance, a runtime (re)start.
static CALL_STAMP: AtomicU64 = AtomicU64::new(1);

/// The current [`CALL_STAMP`] (see `call_cache`).
pub(crate) fn call_stamp() -> u64 {
    CALL_STAMP.load(Ordering::Acquire)
}

/// Invalidate every cached call validation.
pub(crate) fn bump_call_stamp() {
    CALL_STAMP.fetch_add(1, Ordering::AcqRel);
}

/// Start a new epoch (runtime init).
pub(crate) fn start_epoch() -> OwnerId {
    let e = NEXT_EPOCH.fetch_add(1, Ordering::Relaxed);
    EPOCH.store(e, Ordering::Release);
    bump_call_stamp();
    OwnerId::new(e)
}

/// End the epoch (runtime destroy): handles of this runtime stop validating.
pub(crate) fn end_epoch() {
    EPOCH.store(0, Ordering::Release);
    bump_call_stamp();
}

/// A fresh id for an instance or module (used as the owner of its sub-handles).
pub(crate) fn new_object_id() -> u64 {
    NEXT_OBJECT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Log `msg` as the failure of `api` (WAMR prints such errors too) and remember it.
pub(crate) fn api_error(api: &str, msg: &str) {
    ffi::set_last_error(ffi::LOG_ERROR, &format!("{api}: {msg}"));
}

/// Record and log a refused handle.
pub(crate) fn reject(api: &str, what: &str, h: SealedHandle, expected: OType, e: HandleError) {
    violation::record_handle_error(e, h, expected, None);
    api_error(api, &format!("invalid {what} handle {:#x}: {e}", h.bits()));
}

/// Record and log an exec env used from a thread other than its owner.
pub(crate) fn reject_thread(api: &str, h: SealedHandle) {
    violation::record(&Violation {
        kind: ViolationKind::HandleThread,
        compartment: None,
        addr: h.bits(),
        len: 0,
        perms: Perms::NONE,
        otype: OType::EXEC_ENV,
    });
    api_error(
        api,
        &format!(
            "exec env {:#x} belongs to another thread (create one exec env per thread)",
            h.bits()
        ),
    );
}

/// Validate `p` in `table` as a live `ot` object owned by `owner` (`None`: current epoch).
fn lookup<T>(
    table: &HandleTable<T>,
    ot: OType,
    owner: Option<OwnerId>,
    api: &str,
    what: &str,
    p: *const c_void,
) -> Option<Arc<T>> {
    let h = SealedHandle::from_ptr(p);
    let owner = match owner.or_else(epoch) {
        Some(o) => o,
        None => {
            // No runtime: nothing can be valid; still tell forged from merely early.
            let e = table
                .validate(h, ot, None)
                .err()
                .unwrap_or(HandleError::Owner);
            reject(api, what, h, ot, e);
            return None;
        }
    };
    match table.get(h, ot, Some(owner)) {
        Ok(v) => Some(v),
        Err(e) => {
            reject(api, what, h, ot, e);
            None
        }
    }
}

/// A module handle of the running runtime.
pub(crate) fn module(api: &str, p: *const c_void) -> Option<Arc<ModuleObj>> {
    lookup(&reg().modules, OType::MODULE, None, api, "module", p)
}

/// An instance handle of the running runtime.
pub(crate) fn instance(api: &str, p: *const c_void) -> Option<Arc<InstObj>> {
    lookup(
        &reg().instances,
        OType::INSTANCE,
        None,
        api,
        "module instance",
        p,
    )
}

/// An exec env handle of the running runtime, usable on this thread.
pub(crate) fn exec_env(api: &str, p: *const c_void) -> Option<Arc<ExecEnvObj>> {
    let owner = epoch().map_or(0, |o| o.get());
    let h = SealedHandle::from_ptr(p);
    LAST_EXEC_ENV.with(|c| {
        c.get_or_validate(&reg().exec_envs, h, owner, || {
            let env = lookup(&reg().exec_envs, OType::EXEC_ENV, None, api, "exec env", p)?;
            if !env.usable_on_this_thread() {
                reject_thread(api, h);
                return None;
            }
            Some(env)
        })
    })
}

/// A function handle of instance `inst_id`.
pub(crate) fn func(api: &str, p: *const c_void, inst_id: u64) -> Option<Arc<FuncObj>> {
    let h = SealedHandle::from_ptr(p);
    LAST_FUNC.with(|c| {
        c.get_or_validate(&reg().funcs, h, inst_id, || {
            lookup(
                &reg().funcs,
                OType::FUNC,
                Some(OwnerId::new(inst_id)),
                api,
                "function",
                p,
            )
        })
    })
}

thread_local! {
    /// The exec env and the function of this thread's last call (see [`HandleCache`]).
    static LAST_EXEC_ENV: HandleCache<ExecEnvObj> = const { HandleCache::new() };
    static LAST_FUNC: HandleCache<FuncObj> = const { HandleCache::new() };
}

/// Drop this thread's last validated exec env and function (see `call_cache::forget_cached`,
/// which also drops the call cache).
pub(crate) fn forget_last() {
    LAST_EXEC_ENV.with(HandleCache::clear);
    LAST_FUNC.with(HandleCache::clear);
}

/// A memory handle (owner: whichever instance issued it).
pub(crate) fn memory(api: &str, p: *const c_void) -> Option<Arc<MemObj>> {
    let h = SealedHandle::from_ptr(p);
    match reg().memories.owner_of(h, OType::MEMORY) {
        Ok(owner) => lookup(
            &reg().memories,
            OType::MEMORY,
            Some(owner),
            api,
            "memory",
            p,
        ),
        Err(e) => {
            reject(api, "memory", h, OType::MEMORY, e);
            None
        }
    }
}

/// A table reference of instance `inst_id`.
pub(crate) fn table(api: &str, p: *const c_void, inst_id: u64) -> Option<Arc<TableObj>> {
    lookup(
        &reg().tables,
        OType::TABLE,
        Some(OwnerId::new(inst_id)),
        api,
        "table",
        p,
    )
}

/// A type handle (func/table/global/memory type), owner: its module.
pub(crate) fn type_handle(api: &str, p: *const c_void) -> Option<Arc<TypeObj>> {
    let h = SealedHandle::from_ptr(p);
    match reg().types.owner_of(h, OType::CAPI_OBJ) {
        Ok(owner) => lookup(&reg().types, OType::CAPI_OBJ, Some(owner), api, "type", p),
        Err(e) => {
            reject(api, "type", h, OType::CAPI_OBJ, e);
            None
        }
    }
}

/// An `InstantiationArgs2` object.
pub(crate) fn inst_args(api: &str, p: *const c_void) -> Option<Arc<Mutex<InstArgs2>>> {
    lookup(
        &reg().inst_args,
        OType::CAPI_OBJ,
        Some(OwnerId::new(0)),
        api,
        "InstantiationArgs2",
        p,
    )
}
