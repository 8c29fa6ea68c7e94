//! Object types (capability-model.md §2) and per-type sealers (§1.2 "Roots").
//!
//! The otype space is `[0, 2^14)`. Values 0..=3 are architectural (0 unsealed,
//! 1 sentry, 2 and 3 reserved as on Morello); user otypes are `>= 4`. The
//! runtime's own object types sit in `0x10..=0x20` and double as the 7-bit
//! otype code of sealed C handles (§3). Embedder otypes are `0x800..=0xFFF`,
//! per-compartment otypes `0x1000 + cid` (`cid < 0x1000`).
//!
//! An `OType` is only a number: the authority to seal or unseal with it is a
//! sealer capability whose address is the otype (see `cap::derive_sealer`).

#![forbid(unsafe_code)]

use core::fmt;
use core::sync::atomic::{AtomicU32, Ordering};

/// Largest otype value (`2^14 - 1`); the sealing root covers `[0, OTYPE_MAX]`.
pub const OTYPE_MAX: u16 = 0x3FFF;

/// A capability object type.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[repr(transparent)]
pub struct OType(u16);

impl OType {
    /// Not sealed.
    pub const UNSEALED: OType = OType(0);
    /// Sealed entry (sentry): a function entry that can only be invoked.
    pub const SENTRY: OType = OType(1);
    /// Reserved (Morello load-pair-and-branch); never issued.
    pub const RESERVED_2: OType = OType(2);
    /// Reserved (Morello load-and-branch); never issued.
    pub const RESERVED_3: OType = OType(3);
    /// Runtime / engine (`wasm_engine_t*`).
    pub const RUNTIME: OType = OType(0x010);
    /// Store (`wasm_store_t*`).
    pub const STORE: OType = OType(0x011);
    /// Validated, immutable module (`wasm_module_t`).
    pub const MODULE: OType = OType(0x012);
    /// Compartment / instance (`wasm_module_inst_t`, `wasm_instance_t*`).
    pub const INSTANCE: OType = OType(0x013);
    /// Exec env bound to a (thread, instance) pair (`wasm_exec_env_t`).
    pub const EXEC_ENV: OType = OType(0x014);
    /// Function instance (`wasm_function_inst_t`, `wasm_func_t*`).
    pub const FUNC: OType = OType(0x015);
    /// Memory instance (`wasm_memory_inst_t`, `wasm_memory_t*`).
    pub const MEMORY: OType = OType(0x016);
    /// Table instance (`wasm_table_inst_t`, `wasm_table_t*`).
    pub const TABLE: OType = OType(0x017);
    /// Global instance (`wasm_global_inst_t`, `wasm_global_t*`).
    pub const GLOBAL: OType = OType(0x018);
    /// Other c-api objects (`wasm_extern_t`, `wasm_trap_t`, `wasm_*type_t`, ...).
    pub const CAPI_OBJ: OType = OType(0x019);
    /// Host object wrapped for a guest (externref).
    pub const EXTERNREF: OType = OType(0x01A);
    /// Per-compartment WASI context.
    pub const WASI_CTX: OType = OType(0x01B);
    /// cWASI resource (dir/file/socket/stdio/clock/random).
    pub const WASI_FD: OType = OType(0x01C);
    /// Cross-compartment buffer grant (`cwamr_delegation_t`).
    pub const DELEGATION: OType = OType(0x01D);
    /// Registered native symbol set.
    pub const NATIVE_REG: OType = OType(0x01E);
    /// Pinned bounded view of linear memory given to C (`cwamr_view_t`).
    pub const MEMVIEW: OType = OType(0x01F);
    /// Shared heap (`wasm_shared_heap_t`, WAMR's `WASM_ENABLE_SHARED_HEAP`).
    pub const SHARED_HEAP: OType = OType(0x020);
    /// First embedder otype (`cwamr_sealer_alloc()`).
    pub const EMBEDDER_FIRST: OType = OType(0x0800);
    /// Last embedder otype.
    pub const EMBEDDER_LAST: OType = OType(0x0FFF);
    /// Per-compartment otype of compartment 0.
    pub const COMPARTMENT_FIRST: OType = OType(0x1000);
    /// Per-compartment otype of the last representable compartment id.
    pub const COMPARTMENT_LAST: OType = OType(0x1FFF);
    /// The largest otype.
    pub const MAX: OType = OType(OTYPE_MAX);

    /// The otype with value `v`, or `None` if `v > OTYPE_MAX`.
    pub const fn new(v: u64) -> Option<OType> {
        if v <= OTYPE_MAX as u64 {
            Some(OType(v as u16))
        } else {
            None
        }
    }

    /// The numeric value.
    pub const fn value(self) -> u16 {
        self.0
    }

    /// True for 0..=3 (unsealed, sentry, the two reserved types).
    pub const fn is_reserved(self) -> bool {
        self.0 <= 3
    }

    /// True for user otypes (`>= 4`), the only ones `seal`/`unseal` accept.
    pub const fn is_user(self) -> bool {
        self.0 >= 4
    }

    /// True for embedder otypes (`0x800..=0xFFF`).
    pub const fn is_embedder(self) -> bool {
        self.0 >= OType::EMBEDDER_FIRST.0 && self.0 <= OType::EMBEDDER_LAST.0
    }

    /// The per-compartment otype `0x1000 + cid`, if `cid < 0x1000`.
    pub const fn compartment(cid: u32) -> Option<OType> {
        if cid <= (OType::COMPARTMENT_LAST.0 - OType::COMPARTMENT_FIRST.0) as u32 {
            Some(OType(OType::COMPARTMENT_FIRST.0 + cid as u16))
        } else {
            None
        }
    }

    /// The compartment id if this is a per-compartment otype.
    pub const fn compartment_id(self) -> Option<u32> {
        if self.0 >= OType::COMPARTMENT_FIRST.0 && self.0 <= OType::COMPARTMENT_LAST.0 {
            Some((self.0 - OType::COMPARTMENT_FIRST.0) as u32)
        } else {
            None
        }
    }

    /// The 7-bit code used in sealed C handles (§3), for runtime object
    /// types `0x10..=0x20` only (the code is the otype value itself).
    pub const fn handle_code(self) -> Option<u8> {
        if self.0 >= OType::RUNTIME.0 && self.0 <= OType::SHARED_HEAP.0 {
            Some(self.0 as u8)
        } else {
            None
        }
    }

    /// Inverse of [`OType::handle_code`].
    pub const fn from_handle_code(code: u8) -> Option<OType> {
        let ot = OType(code as u16);
        if ot.handle_code().is_some() {
            Some(ot)
        } else {
            None
        }
    }

    /// Short name for diagnostics.
    pub const fn name(self) -> &'static str {
        match self.0 {
            0 => "UNSEALED",
            1 => "SENTRY",
            2 | 3 => "RESERVED",
            0x010 => "OT_RUNTIME",
            0x011 => "OT_STORE",
            0x012 => "OT_MODULE",
            0x013 => "OT_INSTANCE",
            0x014 => "OT_EXEC_ENV",
            0x015 => "OT_FUNC",
            0x016 => "OT_MEMORY",
            0x017 => "OT_TABLE",
            0x018 => "OT_GLOBAL",
            0x019 => "OT_CAPI_OBJ",
            0x01A => "OT_EXTERNREF",
            0x01B => "OT_WASI_CTX",
            0x01C => "OT_WASI_FD",
            0x01D => "OT_DELEGATION",
            0x01E => "OT_NATIVE_REG",
            0x01F => "OT_MEMVIEW",
            0x020 => "OT_SHARED_HEAP",
            0x0800..=0x0FFF => "OT_EMBEDDER",
            0x1000..=0x1FFF => "OT_COMPARTMENT",
            _ => "OT_USER",
        }
    }
}

impl fmt::Debug for OType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({:#x})", self.name(), self.0)
    }
}

impl fmt::Display for OType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Hands out embedder otypes (`0x800..=0xFFF`, `cwamr_sealer_alloc()`), each
/// at most once per allocator; never reused, so a stale embedder sealer can
/// never match a newer object type.
#[derive(Debug)]
pub struct EmbedderOTypes {
    next: AtomicU32,
}

impl EmbedderOTypes {
    /// A fresh allocator starting at [`OType::EMBEDDER_FIRST`].
    pub const fn new() -> Self {
        EmbedderOTypes {
            next: AtomicU32::new(OType::EMBEDDER_FIRST.0 as u32),
        }
    }

    /// The next unused embedder otype, or `None` when the range is exhausted.
    pub fn alloc(&self) -> Option<OType> {
        let v = self
            .next
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                (n <= OType::EMBEDDER_LAST.0 as u32).then_some(n + 1)
            })
            .ok()?;
        OType::new(u64::from(v))
    }
}

impl Default for EmbedderOTypes {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otype_table_values() {
        assert_eq!(OType::RUNTIME.value(), 0x10);
        assert_eq!(OType::MEMVIEW.value(), 0x1F);
        assert!(OType::UNSEALED.is_reserved() && OType::RESERVED_3.is_reserved());
        assert!(!OType::MODULE.is_reserved() && OType::MODULE.is_user());
        assert_eq!(OType::new(0x4000), None);
        assert_eq!(OType::new(0x3FFF), Some(OType::MAX));
        assert_eq!(OType::MODULE.name(), "OT_MODULE");
        assert_eq!(format!("{:?}", OType::INSTANCE), "OT_INSTANCE(0x13)");
    }

    #[test]
    fn handle_codes_are_seven_bits_and_round_trip() {
        let mut n = 0;
        for v in 0..=OTYPE_MAX {
            let ot = OType(v);
            if let Some(code) = ot.handle_code() {
                assert!(code < 0x80 && code != 0);
                assert_eq!(OType::from_handle_code(code), Some(ot));
                n += 1;
            }
        }
        assert_eq!(n, 17);
        assert_eq!(OType::from_handle_code(0), None);
        assert_eq!(OType::from_handle_code(0x7F), None);
        assert_eq!(OType::EXTERNREF.handle_code(), Some(0x1A));
        assert_eq!(OType::EMBEDDER_FIRST.handle_code(), None);
    }

    #[test]
    fn compartment_otypes() {
        assert_eq!(OType::compartment(0), Some(OType::COMPARTMENT_FIRST));
        assert_eq!(OType::compartment(0xFFF), Some(OType::COMPARTMENT_LAST));
        assert_eq!(OType::compartment(0x1000), None);
        assert_eq!(
            OType::compartment(7).and_then(OType::compartment_id),
            Some(7)
        );
        assert_eq!(OType::MODULE.compartment_id(), None);
    }

    #[test]
    fn embedder_allocator_exhausts_once() {
        let a = EmbedderOTypes::new();
        let first = a.alloc().unwrap();
        assert_eq!(first, OType::EMBEDDER_FIRST);
        assert!(first.is_embedder());
        let mut last = first;
        while let Some(ot) = a.alloc() {
            assert!(ot > last && ot.is_embedder());
            last = ot;
        }
        assert_eq!(last, OType::EMBEDDER_LAST);
        assert_eq!(a.alloc(), None);
    }
}
