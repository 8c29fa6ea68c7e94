//! Global variables.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::types::GlobalType;

/// A global instance: its type and a 64-bit cell (raw value bits, as in interpreter slots).
///
/// The cell is atomic so that an exporting and an importing instance, or the host, can share
/// it without locks; relaxed loads and stores compile to plain moves.
#[derive(Debug)]
pub struct Global {
    ty: GlobalType,
    cell: AtomicU64,
}

impl Global {
    /// A global with an initial raw value.
    pub fn new(ty: GlobalType, bits: u64) -> Global {
        Global {
            ty,
            cell: AtomicU64::new(bits),
        }
    }

    /// The global's type.
    pub fn ty(&self) -> GlobalType {
        self.ty
    }

    /// Raw value bits.
    #[inline(always)]
    pub fn get(&self) -> u64 {
        self.cell.load(Ordering::Relaxed)
    }

    /// Address of the value cell (little-endian raw bits; stable while the global lives). For
    /// embedding APIs that hand out a pointer to a global's value (`wasm_global_inst_t`).
    pub fn value_ptr(&self) -> *mut u64 {
        self.cell.as_ptr()
    }

    /// Store raw value bits (mutability is checked by validation or by the embedding API).
    #[inline(always)]
    pub fn set(&self, bits: u64) {
        self.cell.store(bits, Ordering::Relaxed)
    }
}
