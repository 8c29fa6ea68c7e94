//! Reference objects (functions, globals, tables, memories, instances, externs, traps,
//! foreign objects): their identities, host info, views and the helpers behind the
//! `WASM_DECLARE_REF` functions of `ref_families.rs`.
//!
//! A C object ([`RefObj`]) names a runtime entity of its store. C objects for the same
//! entity share one [`EntityCore`]: the entity's identity (for `_same`) and its host info,
//! whose finalizer runs when the last C object for the entity is deleted (or its store is).
//! A host object passed to WebAssembly as `externref` is kept alive by the store, so it
//! comes back with the same identity and host info.
//!
//! # Invariants
//! A finalizer is a C function pointer given by the embedder together with its argument; it
//! is called exactly once, with that argument, when the core is dropped.

use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use parking_lot::Mutex;

use super::handles::{self, Obj, reject_kind};
use super::store::StoreCore;
use super::trap::TrapData;
use crate::cap::{OType, OwnerId, SealedHandle};
use crate::runtime::{
    FuncAddr, Global, GlobalAddr, Instance, InstanceAddr, LinearMemory, MemAddr, Store, TableAddr,
};
use crate::types::FuncType;

/// Identity of an entity within its store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKey {
    /// A function.
    Func(u32),
    /// A global.
    Global(u32),
    /// A table.
    Table(u32),
    /// A memory.
    Memory(u32),
    /// An instance.
    Instance(u32),
    /// A foreign object.
    Foreign(u64),
    /// A trap.
    Trap(u64),
    /// A placeholder extern (`wasm_extern_new_empty`).
    Empty(u64),
}

static NEXT_UNIQUE: AtomicU64 = AtomicU64::new(1);

/// A fresh id for entities that exist only in the C API (foreign objects, traps).
pub fn unique_id() -> u64 {
    NEXT_UNIQUE.fetch_add(1, Ordering::Relaxed)
}

/// A host finalizer.
pub type Finalizer = unsafe extern "C" fn(*mut c_void);

#[derive(Default)]
struct HostInfo {
    info: usize,
    finalizer: Option<Finalizer>,
}

/// What C objects for one entity share.
pub struct EntityCore {
    /// The entity.
    pub key: EntityKey,
    host: Mutex<HostInfo>,
    /// Message and frames, for traps.
    pub trap: Option<TrapData>,
}

impl EntityCore {
    /// A core with no host info.
    pub fn new(key: EntityKey) -> EntityCore {
        EntityCore {
            key,
            host: Mutex::new(HostInfo::default()),
            trap: None,
        }
    }

    /// A trap's core.
    pub fn new_trap(data: TrapData) -> EntityCore {
        EntityCore {
            key: EntityKey::Trap(unique_id()),
            host: Mutex::new(HostInfo::default()),
            trap: Some(data),
        }
    }
}

impl Drop for EntityCore {
    fn drop(&mut self) {
        let h = std::mem::take(self.host.get_mut());
        if let Some(f) = h.finalizer {
            // SAFETY: `f` and its argument were given together by the embedder; this is the
            // one call (module invariant).
            unsafe { f(h.info as *mut c_void) };
        }
    }
}

/// What a reference object is.
pub enum RefKind {
    /// A function.
    Func {
        /// Address in the store.
        addr: FuncAddr,
        /// Signature.
        ty: Arc<FuncType>,
    },
    /// A placeholder function import (`wasm_extern_new_empty`): left unlinked.
    EmptyFunc,
    /// A global.
    Global {
        /// Address in the store.
        addr: GlobalAddr,
        /// The global's cell.
        cell: Arc<Global>,
    },
    /// A table.
    Table {
        /// Address in the store.
        addr: TableAddr,
    },
    /// A memory.
    Memory {
        /// Address in the store.
        addr: MemAddr,
        /// The memory.
        mem: Arc<LinearMemory>,
    },
    /// An instance.
    Instance {
        /// Address in the store.
        addr: InstanceAddr,
        /// The instance.
        inst: Arc<Instance>,
    },
    /// A foreign (host) object.
    Foreign,
    /// A trap.
    Trap,
}

impl RefKind {
    /// Name for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            RefKind::Func { .. } | RefKind::EmptyFunc => "func",
            RefKind::Global { .. } => "global",
            RefKind::Table { .. } => "table",
            RefKind::Memory { .. } => "memory",
            RefKind::Instance { .. } => "instance",
            RefKind::Foreign => "foreign",
            RefKind::Trap => "trap",
        }
    }

    /// The entity key of a store entity (None for kinds with unique identities).
    fn store_key(&self) -> Option<EntityKey> {
        Some(match self {
            RefKind::Func { addr, .. } => EntityKey::Func(addr.0),
            RefKind::Global { addr, .. } => EntityKey::Global(addr.0),
            RefKind::Table { addr } => EntityKey::Table(addr.0),
            RefKind::Memory { addr, .. } => EntityKey::Memory(addr.0),
            RefKind::Instance { addr, .. } => EntityKey::Instance(addr.0),
            _ => return None,
        })
    }

    fn clone_kind(&self) -> RefKind {
        match self {
            RefKind::Func { addr, ty } => RefKind::Func {
                addr: *addr,
                ty: ty.clone(),
            },
            RefKind::EmptyFunc => RefKind::EmptyFunc,
            RefKind::Global { addr, cell } => RefKind::Global {
                addr: *addr,
                cell: cell.clone(),
            },
            RefKind::Table { addr } => RefKind::Table { addr: *addr },
            RefKind::Memory { addr, mem } => RefKind::Memory {
                addr: *addr,
                mem: mem.clone(),
            },
            RefKind::Instance { addr, inst } => RefKind::Instance {
                addr: *addr,
                inst: inst.clone(),
            },
            RefKind::Foreign => RefKind::Foreign,
            RefKind::Trap => RefKind::Trap,
        }
    }

    /// The kind of the entity `key` of `store`.
    pub fn from_key(store: &Store, key: EntityKey) -> Option<RefKind> {
        Some(match key {
            EntityKey::Func(a) => RefKind::Func {
                addr: FuncAddr(a),
                ty: store.func(FuncAddr(a))?.ty().clone(),
            },
            EntityKey::Global(a) => RefKind::Global {
                addr: GlobalAddr(a),
                cell: store.global(GlobalAddr(a))?.clone(),
            },
            EntityKey::Table(a) => {
                store.table(TableAddr(a))?;
                RefKind::Table { addr: TableAddr(a) }
            }
            EntityKey::Memory(a) => RefKind::Memory {
                addr: MemAddr(a),
                mem: store.memory(MemAddr(a))?.clone(),
            },
            EntityKey::Instance(a) => RefKind::Instance {
                addr: InstanceAddr(a),
                inst: store.instance(InstanceAddr(a))?.clone(),
            },
            EntityKey::Foreign(_) => RefKind::Foreign,
            EntityKey::Trap(_) => RefKind::Trap,
            EntityKey::Empty(_) => RefKind::EmptyFunc,
        })
    }
}

/// A C reference object.
pub struct RefObj {
    /// Its store.
    pub store: Arc<StoreCore>,
    /// What it is.
    pub kind: RefKind,
    /// Shared identity and host info.
    pub core: Arc<EntityCore>,
    views: Mutex<Vec<(OType, SealedHandle)>>,
    /// How many times the runtime handed this object's handle out again (an `externref` read
    /// back is the program's own `wasm_ref_t`, as in WAMR): each `wasm_*_delete` takes one
    /// back before the object dies, so a program that deletes what it read keeps its own.
    lent: AtomicU32,
}

impl RefObj {
    /// Removes and returns all handles of the object.
    pub fn take_views(&self) -> Vec<(OType, SealedHandle)> {
        std::mem::take(&mut *self.views.lock())
    }

    /// The object's owner id.
    pub fn owner(&self) -> OwnerId {
        self.store.owner()
    }

    /// The runtime hands the object's handle out once more.
    pub fn lend(&self) {
        self.lent.fetch_add(1, Ordering::AcqRel);
    }

    /// Takes back one loan (true), or false if none is outstanding.
    fn take_back(&self) -> bool {
        self.lent
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
            .is_ok()
    }
}

/// The C types that are reference objects, with their otype and accepted kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// `wasm_func_t`
    Func,
    /// `wasm_global_t`
    Global,
    /// `wasm_table_t`
    Table,
    /// `wasm_memory_t`
    Memory,
    /// `wasm_instance_t`
    Instance,
    /// `wasm_extern_t`
    Extern,
    /// `wasm_trap_t`
    Trap,
    /// `wasm_foreign_t`
    Foreign,
    /// `wasm_ref_t`
    Ref,
}

impl Flavour {
    /// The otype of handles of this C type.
    pub fn otype(self) -> OType {
        match self {
            Flavour::Func => OType::FUNC,
            Flavour::Global => OType::GLOBAL,
            Flavour::Table => OType::TABLE,
            Flavour::Memory => OType::MEMORY,
            Flavour::Instance => OType::INSTANCE,
            Flavour::Extern | Flavour::Trap | Flavour::Foreign => OType::CAPI_OBJ,
            Flavour::Ref => OType::EXTERNREF,
        }
    }

    /// The C type's name.
    pub fn name(self) -> &'static str {
        match self {
            Flavour::Func => "func",
            Flavour::Global => "global",
            Flavour::Table => "table",
            Flavour::Memory => "memory",
            Flavour::Instance => "instance",
            Flavour::Extern => "extern",
            Flavour::Trap => "trap",
            Flavour::Foreign => "foreign",
            Flavour::Ref => "ref",
        }
    }

    /// True if an object of `kind` can be seen as this C type.
    pub fn accepts(self, kind: &RefKind) -> bool {
        match self {
            Flavour::Func => matches!(kind, RefKind::Func { .. } | RefKind::EmptyFunc),
            Flavour::Global => matches!(kind, RefKind::Global { .. }),
            Flavour::Table => matches!(kind, RefKind::Table { .. }),
            Flavour::Memory => matches!(kind, RefKind::Memory { .. }),
            Flavour::Instance => matches!(kind, RefKind::Instance { .. }),
            Flavour::Extern => matches!(
                kind,
                RefKind::Func { .. }
                    | RefKind::EmptyFunc
                    | RefKind::Global { .. }
                    | RefKind::Table { .. }
                    | RefKind::Memory { .. }
            ),
            Flavour::Trap => matches!(kind, RefKind::Trap),
            Flavour::Foreign => matches!(kind, RefKind::Foreign),
            Flavour::Ref => true,
        }
    }
}

/// A validated reference argument.
pub struct RefArg {
    obj: Arc<Obj>,
    r: Arc<RefObj>,
}

impl RefArg {
    /// The object.
    pub fn get(&self) -> &RefObj {
        &self.r
    }

    /// A handle of `flavour` for this object (borrowed view; created on first use).
    pub fn view(&self, api: &str, flavour: Flavour) -> *mut c_void {
        view_of(api, &self.obj, &self.r, flavour.otype())
    }
}

fn view_of(api: &str, obj: &Arc<Obj>, r: &RefObj, ot: OType) -> *mut c_void {
    let mut views = r.views.lock();
    if let Some((_, h)) = views.iter().find(|(o, _)| *o == ot) {
        return h.to_ptr();
    }
    match r.store.issue(api, ot, obj.clone()) {
        Some(h) => {
            views.push((ot, h));
            h.to_ptr()
        }
        None => std::ptr::null_mut(),
    }
}

/// Validates `p` as a `flavour` object (of `owner`'s store if given).
pub fn ref_arg(
    api: &str,
    p: *const c_void,
    flavour: Flavour,
    owner: Option<OwnerId>,
) -> Option<RefArg> {
    try_ref_arg(api, p, flavour, owner).ok()
}

/// As [`ref_arg`], returning the reason of a rejection (which is reported either way).
pub fn try_ref_arg(
    api: &str,
    p: *const c_void,
    flavour: Flavour,
    owner: Option<OwnerId>,
) -> Result<RefArg, String> {
    let ot = flavour.otype();
    let obj = match handles::table().get(SealedHandle::from_ptr(p), ot, owner) {
        Ok(o) => o,
        Err(e) => {
            handles::reject(api, p, ot, e);
            return Err(e.to_string());
        }
    };
    match &*obj {
        Obj::Ref(r) if flavour.accepts(&r.kind) => {
            let r = r.clone();
            Ok(RefArg { obj, r })
        }
        other => {
            reject_kind(api, p, ot, flavour.name(), other);
            Err(format!(
                "handle type mismatch (expected {}, got {})",
                flavour.name(),
                other.describe()
            ))
        }
    }
}

/// A new C object for `kind` in `store` with a handle of `flavour` (the owning handle).
pub fn new_ref(
    api: &str,
    store: &Arc<StoreCore>,
    kind: RefKind,
    core: Option<Arc<EntityCore>>,
    flavour: Flavour,
) -> *mut c_void {
    let core = match (core, kind.store_key()) {
        (Some(c), _) => c,
        (None, Some(key)) => store.core_for(key),
        (None, None) => {
            let key = match kind {
                RefKind::EmptyFunc => EntityKey::Empty(unique_id()),
                _ => EntityKey::Foreign(unique_id()),
            };
            Arc::new(EntityCore::new(key))
        }
    };
    let r = Arc::new(RefObj {
        store: store.clone(),
        kind,
        core,
        views: Mutex::new(Vec::new()),
        lent: AtomicU32::new(0),
    });
    let obj = Arc::new(Obj::Ref(r.clone()));
    view_of(api, &obj, &r, flavour.otype())
}

/// A copy of `a` (same entity and host info) with a handle of `flavour`.
pub fn copy_ref(api: &str, a: &RefArg, flavour: Flavour) -> *mut c_void {
    let r = a.get();
    new_ref(
        api,
        &r.store,
        r.kind.clone_kind(),
        Some(r.core.clone()),
        flavour,
    )
}

/// `wasm_*_same`.
pub fn same(api: &str, a: *const c_void, b: *const c_void, flavour: Flavour) -> bool {
    let (Some(x), Some(y)) = (
        ref_arg(api, a, flavour, None),
        ref_arg(api, b, flavour, None),
    ) else {
        return false;
    };
    x.get().store.id == y.get().store.id && x.get().core.key == y.get().core.key
}

/// `wasm_*_get_host_info`.
pub fn get_host_info(api: &str, p: *const c_void, flavour: Flavour) -> *mut c_void {
    ref_arg(api, p, flavour, None).map_or(std::ptr::null_mut(), |a| {
        a.get().core.host.lock().info as *mut c_void
    })
}

/// `wasm_*_set_host_info(_with_finalizer)`: replaces the info (a previous finalizer is
/// dropped without being called, as in WAMR).
pub fn set_host_info(
    api: &str,
    p: *const c_void,
    flavour: Flavour,
    info: *mut c_void,
    fin: Option<Finalizer>,
) {
    if let Some(a) = ref_arg(api, p, flavour, None) {
        *a.get().core.host.lock() = HostInfo {
            info: info as usize,
            finalizer: fin,
        };
    }
}

/// Lends the `wasm_ref_t` `h` out once more (see [`RefObj::lend`]); false if it is not a live
/// reference object.
pub fn lend_handle(h: SealedHandle) -> bool {
    match handles::table().get(h, OType::EXTERNREF, None).as_deref() {
        Ok(Obj::Ref(r)) => {
            r.lend();
            true
        }
        _ => false,
    }
}

/// `wasm_*_delete`: takes back a loan of the object's handle if one is outstanding (see
/// [`RefObj::lend`]), else deletes the object.
pub fn delete_ref(api: &str, p: *const c_void, flavour: Flavour) {
    if let Ok(o) = handles::table().get(SealedHandle::from_ptr(p), flavour.otype(), None)
        && let Obj::Ref(r) = &*o
        && flavour.accepts(&r.kind)
        && r.take_back()
    {
        return;
    }
    handles::delete(
        api,
        p,
        flavour.otype(),
        flavour.name(),
        |o| matches!(o, Obj::Ref(r) if flavour.accepts(&r.kind)),
    );
}

/// `wasm_ref_as_*`: the `flavour` view of a `wasm_ref_t` (NULL if it is of another kind).
pub fn ref_as(api: &str, p: *const c_void, flavour: Flavour) -> *mut c_void {
    if p.is_null() {
        return std::ptr::null_mut();
    }
    let Some(a) = ref_arg(api, p, Flavour::Ref, None) else {
        return std::ptr::null_mut();
    };
    if !flavour.accepts(&a.get().kind) {
        // A down-cast to another kind is a query, not misuse: NULL without an error.
        return std::ptr::null_mut();
    }
    a.view(api, flavour)
}

/// `wasm_*_as_ref`.
pub fn as_ref(api: &str, p: *const c_void, flavour: Flavour) -> *mut c_void {
    if p.is_null() {
        return std::ptr::null_mut();
    }
    ref_arg(api, p, flavour, None).map_or(std::ptr::null_mut(), |a| a.view(api, Flavour::Ref))
}
