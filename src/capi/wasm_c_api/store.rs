//! Stores: `wasm_store_new` / `wasm_store_delete`, the store's runtime state, and how entry
//! points get at the runtime [`Store`] — by locking it, or, inside a host callback of that
//! store, through the callback's [`Caller`] (re-entrant calls reuse the interpreter stack).
//!
//! # Invariants
//! - an entry of `ACTIVE` is pushed by the host trampoline (`func.rs`) right before it calls
//!   a C callback and popped right after; it points to the trampoline's `Caller`, which is
//!   alive and not used by the trampoline while the entry is on the stack. Entries are only
//!   dereferenced on the thread that pushed them, for the store they name, and the innermost
//!   matching entry is used, so no two live `&mut` to a `Caller` are ever used at once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Weak};

use parking_lot::Mutex;

use super::handles::{self, GLOBAL_OWNER, Obj, issue_ptr, lookup, reject_kind};
use super::refs::{EntityCore, EntityKey};
use crate::cap::{OType, OwnerId, SealedHandle};
use crate::capi::ffi;
use crate::error::Trap;
use crate::runtime::host_refs::HostRefCells;
use crate::runtime::{Caller, FuncAddr, Store, StoreConfig};

/// The C API's state of one `wasm_store_t`.
pub struct StoreCore {
    /// Store id (also its [`OwnerId`]).
    pub id: u64,
    /// False once `wasm_store_delete` started: no new objects may be issued for it.
    alive: AtomicBool,
    store: Mutex<Store>,
    /// Live C objects' identities (for shared host info and `_same`).
    entities: Mutex<Entities>,
    /// Host objects passed to WebAssembly as `externref`.
    externrefs: Mutex<ExternRefs>,
    /// Execution time of calls made through `wasm_func_call`, per (instance, defined func).
    exec_ms: Mutex<HashMap<(u32, u32), f64>>,
    /// The `wasm_instance_t` handle `wasm_instance_new*` returned for each instance, so
    /// `wasm_frame_instance` hands back the handle the program holds (as WAMR does).
    instance_handles: Mutex<HashMap<u32, SealedHandle>>,
}

struct Entities {
    map: HashMap<EntityKey, Weak<EntityCore>>,
    prune_at: usize,
}

/// Host objects passed to WebAssembly as `externref`, with the `wasm_ref_t` that stands for
/// each (WAMR hands back the pointer the program passed in).
type ExternRefs = HostRefCells<EntityKey, Arc<EntityCore>, SealedHandle>;

static NEXT_STORE_ID: AtomicU64 = AtomicU64::new(1);

/// Live stores: id -> handle (engine deletion deletes the stores left).
static STORES: LazyLock<Mutex<HashMap<u64, SealedHandle>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

impl StoreCore {
    fn new() -> StoreCore {
        StoreCore {
            id: NEXT_STORE_ID.fetch_add(1, Ordering::Relaxed),
            alive: AtomicBool::new(true),
            store: Mutex::new(Store::new(StoreConfig::default())),
            entities: Mutex::new(Entities {
                map: HashMap::new(),
                prune_at: 64,
            }),
            externrefs: Mutex::new(ExternRefs::default()),
            exec_ms: Mutex::new(HashMap::new()),
            instance_handles: Mutex::new(HashMap::new()),
        }
    }

    /// Remember `h` as the program's handle of instance `addr`.
    pub fn set_instance_handle(&self, addr: u32, h: SealedHandle) {
        self.instance_handles.lock().insert(addr, h);
    }

    /// The program's handle of instance `addr`, if `wasm_instance_new*` made one (it may have
    /// been deleted since: the caller validates it).
    pub fn instance_handle(&self, addr: u32) -> Option<SealedHandle> {
        self.instance_handles.lock().get(&addr).copied()
    }

    /// The owner id of the store's objects.
    pub fn owner(&self) -> OwnerId {
        OwnerId::new(self.id)
    }

    /// Issues a handle for an object of this store. If the store is being deleted (by
    /// another thread) the handle is withdrawn again, so no object outlives its store.
    pub fn issue(&self, api: &str, ot: OType, obj: Arc<Obj>) -> Option<SealedHandle> {
        if !self.alive.load(Ordering::SeqCst) {
            handles::misuse(api, "the store is being deleted");
            return None;
        }
        let h = handles::issue(api, ot, self.owner(), obj)?;
        if !self.alive.load(Ordering::SeqCst) {
            drop(handles::table().remove(h, ot, None));
            handles::misuse(api, "the store is being deleted");
            return None;
        }
        Some(h)
    }

    /// The shared identity of entity `key`: the existing one while any C object refers to it,
    /// else a new one (with empty host info).
    pub fn core_for(&self, key: EntityKey) -> Arc<EntityCore> {
        let mut e = self.entities.lock();
        if let Some(c) = e.map.get(&key).and_then(Weak::upgrade) {
            return c;
        }
        if e.map.len() >= e.prune_at {
            e.map.retain(|_, w| w.strong_count() > 0);
            e.prune_at = (e.map.len() * 2).max(64);
        }
        let c = Arc::new(EntityCore::new(key));
        e.map.insert(key, Arc::downgrade(&c));
        c
    }

    /// Registers a fresh identity (foreign objects, traps) so that it can be found again.
    pub fn register_core(&self, core: &Arc<EntityCore>) {
        self.entities
            .lock()
            .map
            .insert(core.key, Arc::downgrade(core));
    }

    /// True while `h` is a live `wasm_ref_t` of this store for the entity `key`.
    fn is_live_ref(&self, h: SealedHandle, key: EntityKey) -> bool {
        matches!(
            handles::table().get(h, OType::EXTERNREF, Some(self.owner())).as_deref(),
            Ok(Obj::Ref(r)) if r.core.key == key
        )
    }

    /// The `externref` cell for a host object (kept alive by the store from now on), passed
    /// in as the `wasm_ref_t` `h`: `h` stands for the object from now on unless another live
    /// `wasm_ref_t` already does.
    pub fn externref_bits(&self, core: &Arc<EntityCore>, h: SealedHandle) -> u64 {
        let key = core.key;
        // Liveness is asked without the registry's lock (a dying handle may run a finalizer).
        let cur = self.externrefs.lock().holder_of(key);
        let live = cur.filter(|&x| self.is_live_ref(x, key));
        self.externrefs
            .lock()
            .cell_for(key, core, h, |x| live == Some(x))
    }

    /// The host object behind an `externref` cell, and the live `wasm_ref_t` that stands for
    /// it, if any.
    pub fn externref_lookup(&self, bits: u64) -> Option<(Arc<EntityCore>, Option<SealedHandle>)> {
        let (core, holder) = self.externrefs.lock().lookup(bits, |_| true)?;
        let live = holder.filter(|&h| self.is_live_ref(h, core.key));
        Some((core, live))
    }

    /// Makes `h` (a `wasm_ref_t` made for the cell on the way out) stand for its object.
    pub fn set_externref_holder(&self, bits: u64, h: SealedHandle) {
        self.externrefs.lock().set_holder(bits, h);
    }

    /// True if `h` is the `wasm_ref_t` that stands for the host object `key` (the program's:
    /// the runtime must not delete it).
    pub fn is_externref_holder(&self, key: EntityKey, h: SealedHandle) -> bool {
        self.externrefs.lock().is_holder(key, h)
    }

    /// Adds `ms` to the execution time of a function of an instance.
    pub fn add_exec_time(&self, inst: u32, def: u32, ms: f64) {
        *self.exec_ms.lock().entry((inst, def)).or_insert(0.0) += ms;
    }

    /// Total execution time (ms) of an instance, and of one of its defined functions.
    pub fn exec_time(&self, inst: u32, def: Option<u32>) -> f64 {
        let m = self.exec_ms.lock();
        m.iter()
            .filter(|((i, d), _)| *i == inst && def.is_none_or(|x| x == *d))
            .map(|(_, t)| *t)
            .sum()
    }
}

/// Access to a store's runtime state inside an entry point.
pub enum Exec<'a> {
    /// Inside a host callback of this store, on its thread.
    Caller(&'a mut Caller<'static>),
    /// The store's lock is held.
    Store(&'a mut Store),
}

impl Exec<'_> {
    /// The runtime store.
    pub fn store(&mut self) -> &mut Store {
        match self {
            Exec::Caller(c) => c.store(),
            Exec::Store(s) => s,
        }
    }

    /// Calls `func` (cells as [`Store::call_raw`]); re-entrant calls use the caller's stack.
    pub fn call_raw(&mut self, func: FuncAddr, cells: &mut [u64]) -> Result<(), Trap> {
        match self {
            Exec::Caller(c) => c.call_raw(func, cells),
            Exec::Store(s) => s.call_raw(func, cells),
        }
    }

    /// True when running nested inside a host callback.
    pub fn is_nested(&self) -> bool {
        matches!(self, Exec::Caller(_))
    }
}

struct Active {
    store_id: u64,
    caller: *mut Caller<'static>,
}

thread_local! {
    /// Host callbacks running on this thread, innermost last.
    static ACTIVE: RefCell<Vec<Active>> = const { RefCell::new(Vec::new()) };
}

/// Host callbacks that may be nested on one thread (callback -> `wasm_func_call` ->
/// callback ...): each level uses native stack, so deeper nesting traps with `native stack
/// overflow` instead of overflowing the thread's stack.
pub const MAX_NESTED_CALLBACKS: usize = 200;

/// Number of host callbacks running on this thread.
pub fn nested_callbacks() -> usize {
    ACTIVE.with(|a| a.borrow().len())
}

/// Marks a host callback of store `store_id` as running (popped on drop).
pub struct ActiveGuard(());

impl ActiveGuard {
    /// Pushes `caller` for the duration of the guard.
    ///
    /// # Safety
    /// `caller` stays alive and unused by anyone else until the guard is dropped (see the
    /// module invariants).
    pub unsafe fn push(store_id: u64, caller: *mut Caller<'_>) -> ActiveGuard {
        ACTIVE.with(|a| {
            a.borrow_mut().push(Active {
                store_id,
                caller: caller.cast::<Caller<'static>>(),
            })
        });
        ActiveGuard(())
    }
}

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        ACTIVE.with(|a| {
            a.borrow_mut().pop();
        });
    }
}

/// Runs `f` with access to `core`'s runtime store.
pub fn with_exec<R>(core: &StoreCore, f: impl FnOnce(&mut Exec<'_>) -> R) -> R {
    let active = ACTIVE.with(|a| {
        a.borrow()
            .iter()
            .rev()
            .find(|x| x.store_id == core.id)
            .map(|x| x.caller)
    });
    if let Some(p) = active {
        // SAFETY: the entry was pushed on this thread by a trampoline of this store that is
        // suspended in its C callback; its Caller is alive and not otherwise used until the
        // entry is popped (module invariants).
        let caller = unsafe { &mut *p };
        return f(&mut Exec::Caller(caller));
    }
    let mut guard = core.store.lock();
    f(&mut Exec::Store(&mut guard))
}

/// Runs `f` with the runtime store of `core`.
pub fn with_store<R>(core: &StoreCore, f: impl FnOnce(&mut Store) -> R) -> R {
    with_exec(core, |e| f(e.store()))
}

/// A store that owns the traps reporting misuse when no store of the caller's is known
/// (e.g. `wasm_func_call` on a deleted function). It is never deleted.
pub fn orphan_store() -> Arc<StoreCore> {
    static ORPHAN: LazyLock<Arc<StoreCore>> = LazyLock::new(|| Arc::new(StoreCore::new()));
    ORPHAN.clone()
}

/// Validates a `wasm_store_t*`.
pub fn store_arg(api: &str, p: *const c_void) -> Option<Arc<StoreCore>> {
    let obj = lookup(api, p, OType::STORE, Some(GLOBAL_OWNER))?;
    match &*obj {
        Obj::Store(s) => Some(s.clone()),
        other => {
            reject_kind(api, p, OType::STORE, "store", other);
            None
        }
    }
}

/// `wasm_store_new`.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_store_new(engine: *mut c_void) -> *mut c_void {
    ffi::guard("wasm_store_new", std::ptr::null_mut(), || {
        if !super::engine::engine_valid("wasm_store_new", engine) {
            return std::ptr::null_mut();
        }
        let core = Arc::new(StoreCore::new());
        let id = core.id;
        let p = issue_ptr(
            "wasm_store_new",
            OType::STORE,
            GLOBAL_OWNER,
            Obj::Store(core),
        );
        if !p.is_null() {
            STORES
                .lock()
                .insert(id, SealedHandle::from_ptr(p.cast_const()));
        }
        p
    })
}

/// `wasm_store_delete`: deletes the store and every object of it.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_store_delete(store: *mut c_void) {
    ffi::guard("wasm_store_delete", (), || {
        if store.is_null() {
            return;
        }
        let Some(core) = store_arg("wasm_store_delete", store) else {
            return;
        };
        delete_store(&core, SealedHandle::from_ptr(store));
    })
}

fn delete_store(core: &Arc<StoreCore>, h: SealedHandle) {
    let removed = handles::table().remove(h, OType::STORE, Some(GLOBAL_OWNER));
    if removed.is_err() {
        return; // deleted concurrently
    }
    core.alive.store(false, Ordering::SeqCst);
    STORES.lock().remove(&core.id);
    handles::kill_owned_by(core.owner());
    drop(removed);
}

/// Deletes every store left (engine deletion).
pub fn delete_all_stores() {
    let all: Vec<(u64, SealedHandle)> = STORES.lock().drain().collect();
    for (id, h) in all {
        if let Ok(obj) = handles::table().remove(h, OType::STORE, Some(GLOBAL_OWNER)) {
            if let Obj::Store(core) = &*obj {
                core.alive.store(false, Ordering::SeqCst);
            }
            handles::kill_owned_by(OwnerId::new(id));
            drop(obj);
        }
    }
}
