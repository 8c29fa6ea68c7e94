//! The app address space of one instance: the one place that answers "which region does
//! this app address fall in" for host code that validates guest addresses.
//!
//! An instance's app offsets name bytes of two kinds of region: its linear memory 0
//! (`[0, len)`) and, when a chain is attached, the shared heaps delegated to its compartment
//! (high offsets, below `2^32`; see `shared_heap`). The two never
//! overlap (memory 0 may not grow into an attached chain). An [`AppSpace`] is a snapshot of
//! both, taken for one native call or one API call; [`AppSpace::range`] and
//! [`AppSpace::c_string`] return the capability core's bounded views
//! ([`GuestRange`]/[`GuestStr`]) of whichever region holds the address, so every user reads
//! and writes through the same checks. A range that straddles two regions, or the end of one,
//! is refused, as in WAMR.
//!
//! The snapshot holds the attachment alive, not its authority: a detach during the call
//! revokes the heap capabilities and the next access through a view faults.

#![forbid(unsafe_code)]

use std::sync::Arc;

use super::compartment::Compartment;
use super::func::Caller;
use super::instance::Instance;
use super::memory::LinearMemory;
use super::shared_heap::{self, Attachment};
use crate::cap::{CapFault, Perms};
use crate::runtime::guest::GuestAddrSpace;
use crate::runtime::guest::{GuestRange, GuestStr};

/// Which region an app address falls in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Region {
    /// Linear memory 0.
    Linear,
    /// A shared heap attached to the instance.
    SharedHeap,
    /// Neither.
    Outside,
}

/// Linear memory 0 and the shared-heap attachment of one instance.
#[derive(Clone, Debug, Default)]
pub struct AppSpace {
    mem: Option<Arc<LinearMemory>>,
    heap: Option<Arc<Attachment>>,
}

impl AppSpace {
    /// The space of `inst`.
    pub fn of(inst: &Instance) -> AppSpace {
        Self::with(inst.memory0().cloned(), &inst.compartment)
    }

    /// The space of memory `mem` (if any) and the attachment of `comp`.
    pub fn with(mem: Option<Arc<LinearMemory>>, comp: &Compartment) -> AppSpace {
        // WAMR ignores a shared heap on an instance without memory.
        let heap = mem.as_ref().and_then(|_| shared_heap::attachment(comp));
        AppSpace { mem, heap }
    }

    /// The space of the instance that called a native (empty for a host call).
    pub fn of_caller(caller: &Caller<'_>) -> AppSpace {
        caller
            .instance
            .and_then(|a| caller.store.instance(a))
            .map_or_else(AppSpace::default, |i| AppSpace::of(i))
    }

    /// Linear memory 0.
    pub fn memory(&self) -> Option<&Arc<LinearMemory>> {
        self.mem.as_ref()
    }

    /// The region holding app offset `app`.
    pub fn region(&self, app: u64) -> Region {
        if self.heap.as_ref().is_some_and(|h| h.contains(app)) {
            Region::SharedHeap
        } else if self.mem.as_ref().is_some_and(|m| app < m.len() as u64) {
            Region::Linear
        } else {
            Region::Outside
        }
    }

    /// One past the last app offset of the region holding `app` (`None` outside both).
    pub fn region_end(&self, app: u64) -> Option<u64> {
        match self.region(app) {
            Region::SharedHeap => self.heap.as_ref()?.end_of(app),
            Region::Linear => self.mem.as_ref().map(|m| m.len() as u64),
            Region::Outside => None,
        }
    }

    /// The checked range `[app, app + len)` with `perms` in the region holding `app`
    /// (`Err(Bounds)` if it does not lie wholly inside one region).
    pub fn range(&self, app: u64, len: u64, perms: Perms) -> Result<GuestRange<'_>, CapFault> {
        match (self.region(app), &self.heap, &self.mem) {
            (Region::SharedHeap, Some(h), _) => h.range(app, len, perms),
            (_, _, Some(m)) => GuestRange::new(m, app, len, perms),
            _ => Err(CapFault::Bounds),
        }
    }

    /// A snapshot of the NUL-terminated string at `app`: it must end, within `max` bytes,
    /// inside the region it starts in.
    pub fn c_string(&self, app: u64, max: u64) -> Result<GuestStr, CapFault> {
        match (self.region(app), &self.heap, &self.mem) {
            (Region::SharedHeap, Some(h), _) => h.c_string(app, max),
            (_, _, Some(m)) => GuestStr::snapshot(m, app, max),
            _ => Err(CapFault::Bounds),
        }
    }

    /// App offset of the native range `[p, p + n)` inside one region (`None` otherwise, and
    /// for `n == 0` in a shared heap, as WAMR).
    pub fn native_to_app(&self, p: usize, n: u64) -> Option<u64> {
        if let Some(a) = self.heap.as_ref().and_then(|h| h.native_to_app(p, n)) {
            return Some(a);
        }
        let m = self.mem.as_ref()?;
        let off = (p as u64).checked_sub(m.base() as usize as u64)?;
        m.check_range(off, n).ok().map(|_| off)
    }
}

impl GuestAddrSpace for AppSpace {
    fn range(&self, off: u64, len: u64, perms: Perms) -> Result<GuestRange<'_>, CapFault> {
        AppSpace::range(self, off, len, perms)
    }

    fn c_string(&self, off: u64, max: u64) -> Result<GuestStr, CapFault> {
        AppSpace::c_string(self, off, max)
    }

    fn linear(&self) -> Option<&LinearMemory> {
        self.mem.as_deref()
    }
}
