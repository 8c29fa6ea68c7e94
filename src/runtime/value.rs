//! Typed values at the embedding boundary, and their raw cell encoding.

use super::store::FuncAddr;
use crate::types::ValType;

/// A WebAssembly value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    /// `i32`
    I32(i32),
    /// `i64`
    I64(i64),
    /// `f32`, as raw bits (NaN payloads are preserved).
    F32(u32),
    /// `f64`, as raw bits.
    F64(u64),
    /// `v128` (not executable yet; kept for introspection).
    V128(u128),
    /// `funcref`: a function of the store, or null.
    FuncRef(Option<FuncAddr>),
    /// `externref`: an opaque non-zero host value, or null (`0`).
    ExternRef(u64),
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The raw 64-bit cell the interpreter uses.
    pub fn to_bits(&self) -> u64 {
        match *self {
            Val::I32(v) => u64::from(v as u32),
            Val::I64(v) => v as u64,
            Val::F32(b) => u64::from(b),
            Val::F64(b) => b,
            Val::V128(v) => v as u64,
            Val::FuncRef(f) => f.map_or(0, |a| u64::from(a.0) + 1),
            Val::ExternRef(x) => x,
        }
    }

    /// Decode a raw cell of type `ty`.
    pub fn from_bits(ty: ValType, bits: u64) -> Val {
        match ty {
            ValType::I32 => Val::I32(bits as u32 as i32),
            ValType::I64 => Val::I64(bits as i64),
            ValType::F32 => Val::F32(bits as u32),
            ValType::F64 => Val::F64(bits),
            ValType::V128 => Val::V128(u128::from(bits)),
            ValType::FuncRef => Val::FuncRef(funcref_addr(bits)),
            ValType::ExternRef => Val::ExternRef(bits),
        }
    }

    /// The zero / null value of a type.
    pub fn default_for(ty: ValType) -> Val {
        Val::from_bits(ty, 0)
    }

    /// `f32` value as a float.
    pub fn f32(v: f32) -> Val {
        Val::F32(v.to_bits())
    }

    /// `f64` value as a float.
    pub fn f64(v: f64) -> Val {
        Val::F64(v.to_bits())
    }
}

/// Decode a funcref cell.
#[inline]
pub fn funcref_addr(bits: u64) -> Option<FuncAddr> {
    if bits == 0 {
        None
    } else {
        Some(FuncAddr((bits - 1) as u32))
    }
}

/// Encode a funcref cell.
#[inline]
pub fn funcref_bits(addr: FuncAddr) -> u64 {
    u64::from(addr.0) + 1
}
