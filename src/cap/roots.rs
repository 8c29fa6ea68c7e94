//! Capability roots (capability-model.md §1 "Roots").
//!
//! A [`CapRoots`] is created once per runtime (`wasm_runtime_init`, or per
//! c-api engine). It owns the runtime's [`RegionTable`] and is the only source
//! of tagged capabilities: the sealing root over the otype space
//! `[0, 2^14)` with `SEAL | UNSEAL | GLOBAL`, per-type sealers derived from it,
//! and one root per region allocation (linear memory, table, slot table ...).
//! Everything that mints authority is `pub(crate)`; code outside the crate can
//! only read the region table and the model.

#![forbid(unsafe_code)]

use core::fmt;

use crate::cap::cap::Cap;
use crate::cap::cap::derive_sealer;
use crate::cap::otype::{OTYPE_MAX, OType};
use crate::cap::perms::Perms;
use crate::cap::region::{OTYPE_SPACE_INDEX, RegionId, RegionTable};
use crate::cap::repr::ReprModel;

/// Per-runtime root authority.
pub struct CapRoots {
    regions: RegionTable,
    model: ReprModel,
    otype_space: RegionId,
    otype_space_gen: u32,
}

/// Permissions of the sealing root.
const SEALING_ROOT_PERMS: Perms = Perms::SEAL.union(Perms::UNSEAL).union(Perms::GLOBAL);

#[allow(
    dead_code,
    reason = "crate-internal authority API; called by the runtime/engine once integrated"
)]
impl CapRoots {
    /// Creates the roots of a new runtime under representability `model`.
    /// `None` only if the process ran out of region-table identities.
    pub(crate) fn new(model: ReprModel) -> Option<CapRoots> {
        let regions = RegionTable::new()?;
        let (otype_space, otype_space_gen) = regions.allocate()?;
        debug_assert_eq!(otype_space.index(), OTYPE_SPACE_INDEX);
        Some(CapRoots {
            regions,
            model,
            otype_space,
            otype_space_gen,
        })
    }

    /// The region table every `check_access` of this runtime consults.
    pub fn regions(&self) -> &RegionTable {
        &self.regions
    }

    /// The representability model of every capability minted here.
    pub fn model(&self) -> ReprModel {
        self.model
    }

    /// The sealing root: otype space `[0, 2^14)`, `SEAL | UNSEAL | GLOBAL`,
    /// cursor 0. Held only by the runtime.
    pub(crate) fn sealing_root(&self) -> Cap {
        Cap::root(
            self.otype_space,
            self.otype_space_gen,
            0,
            u64::from(OTYPE_MAX) + 1,
            SEALING_ROOT_PERMS,
            self.model,
        )
    }

    /// The sealer/unsealer for exactly `ot` (bounds `[ot, ot + 1)`).
    pub(crate) fn sealer(&self, ot: OType) -> Cap {
        // ot <= OTYPE_MAX lies in the root and a 1-byte range is always exact.
        derive_sealer(&self.sealing_root(), ot).unwrap_or(Cap::NULL)
    }

    /// Allocates a region and returns its root `[base, base + len)` with
    /// `perms` (len clamped to the end of the address space).
    pub(crate) fn new_region(&self, base: u64, len: u64, perms: Perms) -> Option<Cap> {
        let (region, generation) = self.regions.allocate()?;
        Some(Cap::root(region, generation, base, len, perms, self.model))
    }

    /// A fresh root for a live region at its current generation, e.g. after
    /// `memory.grow` (larger `len`) or after [`CapRoots::revoke_region`].
    pub(crate) fn mint_root(
        &self,
        region: RegionId,
        base: u64,
        len: u64,
        perms: Perms,
    ) -> Option<Cap> {
        let generation = self.regions.generation(region)?;
        Some(Cap::root(region, generation, base, len, perms, self.model))
    }

    /// Revokes every capability derived from `region` (generation bump); the
    /// region stays live and [`CapRoots::mint_root`] gives a new root. The
    /// otype space cannot be revoked. False if nothing was revoked.
    pub(crate) fn revoke_region(&self, region: RegionId) -> bool {
        region != self.otype_space && self.regions.revoke(region).is_some()
    }

    /// Revokes and frees `region` (deinstantiation / release of its memory).
    /// False if it was not live (double release is a no-op).
    pub(crate) fn release_region(&self, region: RegionId) -> bool {
        region != self.otype_space && self.regions.release(region)
    }
}

impl fmt::Debug for CapRoots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CapRoots")
            .field("regions", &self.regions)
            .field("model", &self.model)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealing_root_shape() {
        let roots = CapRoots::new(ReprModel::Exact).unwrap();
        let s = roots.sealing_root();
        assert!(s.tag() && !s.is_sealed());
        assert_eq!((s.base(), s.top()), (0, 0x4000));
        assert_eq!(s.perms(), Perms::SEAL | Perms::UNSEAL | Perms::GLOBAL);
        assert!(s.region().is_otype_space());
        assert!(s.is_valid(roots.regions()));
    }

    #[test]
    fn sealers_cover_exactly_one_otype() {
        for model in [ReprModel::Exact, ReprModel::Cheri128] {
            let roots = CapRoots::new(model).unwrap();
            for ot in [OType::MODULE, OType::EMBEDDER_FIRST, OType::MAX] {
                let s = roots.sealer(ot);
                assert!(s.tag());
                assert_eq!(s.base(), u64::from(ot.value()));
                assert_eq!(s.length(), 1);
                assert_eq!(s.addr(), s.base());
                assert!(s.is_subset(&roots.sealing_root()));
            }
        }
    }

    #[test]
    fn region_roots_and_revocation() {
        let roots = CapRoots::new(ReprModel::Exact).unwrap();
        let mem = roots
            .new_region(0, 65536, Perms::LOAD | Perms::STORE | Perms::GROW)
            .unwrap();
        let view = mem.set_addr(16).set_bounds(16);
        assert!(
            view.check_access(roots.regions(), 16, 16, Perms::LOAD)
                .is_ok()
        );
        // Grow: a new root at the same generation; old caps stay valid subsets.
        let grown = roots
            .mint_root(mem.region(), 0, 2 * 65536, mem.perms())
            .unwrap();
        assert!(mem.is_subset(&grown));
        assert!(view.is_valid(roots.regions()));
        // Revoke: every derived cap is stale, a re-minted root works.
        assert!(roots.revoke_region(mem.region()));
        assert!(!view.is_valid(roots.regions()));
        assert!(!mem.is_valid(roots.regions()));
        let fresh = roots
            .mint_root(mem.region(), 0, 65536, mem.perms())
            .unwrap();
        assert!(fresh.is_valid(roots.regions()));
        // Release: stale forever; double release is a no-op.
        assert!(roots.release_region(mem.region()));
        assert!(!roots.release_region(mem.region()));
        assert!(!fresh.is_valid(roots.regions()));
        assert!(roots.mint_root(mem.region(), 0, 1, Perms::LOAD).is_none());
        // The otype space is not revocable.
        let otype_space = roots.sealing_root().region();
        assert!(!roots.revoke_region(otype_space));
        assert!(!roots.release_region(otype_space));
    }

    #[test]
    fn core_types_are_thread_safe() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<CapRoots>();
        assert_send_sync::<Cap>();
        assert_send_sync::<crate::cap::ViolationLog>();
        assert_send_sync::<crate::cap::HandleTable<Vec<u8>>>();
    }

    #[test]
    fn roots_clamp_to_address_space() {
        let roots = CapRoots::new(ReprModel::Exact).unwrap();
        let r = roots.new_region(u64::MAX - 10, 100, Perms::LOAD).unwrap();
        assert_eq!(r.top(), u64::MAX);
        assert_eq!(r.length(), 10);
    }
}
