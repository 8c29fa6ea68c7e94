//! Pinned views of linear memory for C (`cwamr_view_acquire`, strict mode,
//! capability-model.md §3): instead of a raw pointer, the host gets a sealed
//! `OT_MEMVIEW` handle plus `{ptr, len, perms}` for exactly the range it asked
//! for. While a view is held its instance reports it
//! ([`Compartment::views_held`]) and must not be destroyed; a view of a
//! destroyed instance is invalid; releasing twice is rejected.

#![forbid(unsafe_code)]

use std::sync::{Arc, OnceLock};

use super::range::{GuestRange, VIEW_PERMS, record_guest_fault};
use crate::cap::CapFault;
use crate::cap::OType;
use crate::cap::Perms;
use crate::cap::{HandleError, HandleTable, OwnerId, SealedHandle};
use crate::runtime::compartment::Compartment;
use crate::runtime::{InstanceAddr, LinearMemory, Store};

/// What a held view grants.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ViewInfo {
    /// Native address of the first byte.
    pub ptr: *mut u8,
    /// App offset.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
    /// `LOAD` and/or `STORE`.
    pub perms: Perms,
}

/// A held view.
pub struct MemView {
    memory: Arc<LinearMemory>,
    compartment: Arc<Compartment>,
    offset: u64,
    len: u64,
    perms: Perms,
}

impl std::fmt::Debug for MemView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemView")
            .field("compartment", &self.compartment.id())
            .field("offset", &self.offset)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl MemView {
    fn info(&self) -> ViewInfo {
        ViewInfo {
            ptr: self.memory.base().wrapping_add(self.offset as usize),
            offset: self.offset,
            len: self.len,
            perms: self.perms,
        }
    }
}

/// Why a view could not be acquired.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ViewError {
    /// No such instance, it has no memory, or it was destroyed.
    NoMemory,
    /// The range or permissions were refused.
    Cap(CapFault),
    /// The handle table is full.
    Handle(HandleError),
}

impl std::fmt::Display for ViewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ViewError::NoMemory => f.write_str("instance has no memory"),
            ViewError::Cap(c) => c.fmt(f),
            ViewError::Handle(h) => h.fmt(f),
        }
    }
}

impl std::error::Error for ViewError {}

/// The table of held views.
#[derive(Debug, Default)]
pub struct ViewTable {
    handles: HandleTable<MemView>,
}

/// The runtime's view table.
pub fn views() -> &'static ViewTable {
    static T: OnceLock<ViewTable> = OnceLock::new();
    T.get_or_init(ViewTable::default)
}

fn owner(c: &Compartment) -> OwnerId {
    OwnerId::new(u64::from(c.id().0))
}

impl ViewTable {
    /// `cwamr_view_acquire(inst, off, len, perms, &view)`: a view of
    /// `[off, off + len)` of instance `inst`'s memory 0.
    pub fn acquire(
        &self,
        store: &Store,
        inst: InstanceAddr,
        off: u64,
        len: u64,
        perms: Perms,
    ) -> Result<(SealedHandle, ViewInfo), ViewError> {
        let i = store.instance(inst).ok_or(ViewError::NoMemory)?;
        let comp = i.compartment.clone();
        if comp.is_destroyed() {
            return Err(ViewError::NoMemory);
        }
        let memory = i.memory0().ok_or(ViewError::NoMemory)?.clone();
        GuestRange::new(&memory, off, len, perms).map_err(|f| {
            ViewError::Cap(record_guest_fault(
                f,
                &memory,
                off,
                len,
                perms & VIEW_PERMS,
                Some(comp.id().0),
            ))
        })?;
        let view = Arc::new(MemView {
            memory,
            compartment: comp.clone(),
            offset: off,
            len,
            perms,
        });
        let info = view.info();
        let h = self
            .handles
            .insert(OType::MEMVIEW, owner(&comp), view)
            .map_err(ViewError::Handle)?;
        comp.view_acquired();
        Ok((h, info))
    }

    /// `cwamr_view_valid`: the view's grant while it is held and its instance lives.
    pub fn get(&self, h: SealedHandle) -> Result<ViewInfo, HandleError> {
        let v = self.handles.get(h, OType::MEMVIEW, None)?;
        if v.compartment.is_destroyed() {
            return Err(HandleError::NotLive);
        }
        Ok(v.info())
    }

    /// True while `h` is a held view of a live instance.
    pub fn valid(&self, h: SealedHandle) -> bool {
        self.get(h).is_ok()
    }

    /// `cwamr_view_release`.
    pub fn release(&self, h: SealedHandle) -> Result<(), HandleError> {
        let owner = self.handles.owner_of(h, OType::MEMVIEW)?;
        let v = self.handles.remove(h, OType::MEMVIEW, Some(owner))?;
        v.compartment.view_released();
        Ok(())
    }
}
