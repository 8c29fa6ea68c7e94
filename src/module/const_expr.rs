//! Constant expressions (global initialisers, segment offsets and element items).

use crate::error::LoadError;
use crate::types::{FuncIdx, GlobalIdx, RefType};

/// One instruction of a constant expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ConstOp {
    /// `i32.const`
    I32(i32),
    /// `i64.const`
    I64(i64),
    /// `f32.const` (bits)
    F32(u32),
    /// `f64.const` (bits)
    F64(u64),
    /// `v128.const`
    V128(u128),
    /// `ref.null t`
    RefNull(RefType),
    /// `ref.func f`
    RefFunc(FuncIdx),
    /// `global.get g`
    GlobalGet(GlobalIdx),
    /// `i32.add` (extended constant expressions)
    I32Add,
    /// `i32.sub`
    I32Sub,
    /// `i32.mul`
    I32Mul,
    /// `i64.add`
    I64Add,
    /// `i64.sub`
    I64Sub,
    /// `i64.mul`
    I64Mul,
}

/// A validated constant expression.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstExpr {
    ops: Box<[ConstOp]>,
}

impl ConstExpr {
    /// An expression of one instruction.
    pub fn single(op: ConstOp) -> ConstExpr {
        ConstExpr {
            ops: Box::new([op]),
        }
    }

    /// The instructions, in order.
    pub fn ops(&self) -> &[ConstOp] {
        &self.ops
    }

    /// Decode from wasmparser's representation (already validated).
    pub(crate) fn decode(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr, LoadError> {
        use wasmparser::Operator as O;
        let mut ops = Vec::new();
        let mut reader = expr.get_operators_reader();
        loop {
            let op = reader
                .read()
                .map_err(|e| LoadError::new(super::errors::wamr_reason(&e)))?;
            ops.push(match op {
                O::I32Const { value } => ConstOp::I32(value),
                O::I64Const { value } => ConstOp::I64(value),
                O::F32Const { value } => ConstOp::F32(value.bits()),
                O::F64Const { value } => ConstOp::F64(value.bits()),
                O::RefNull { hty } => ConstOp::RefNull(heap_ref_type(hty)),
                O::RefFunc { function_index } => ConstOp::RefFunc(FuncIdx(function_index)),
                O::GlobalGet { global_index } => ConstOp::GlobalGet(GlobalIdx(global_index)),
                O::I32Add => ConstOp::I32Add,
                O::I32Sub => ConstOp::I32Sub,
                O::I32Mul => ConstOp::I32Mul,
                O::I64Add => ConstOp::I64Add,
                O::I64Sub => ConstOp::I64Sub,
                O::I64Mul => ConstOp::I64Mul,
                O::End => break,
                _ => return Err(LoadError::new("illegal opcode in constant expression")),
            });
            if ops.len() > 4096 {
                return Err(LoadError::new("constant expression too long"));
            }
        }
        Ok(ConstExpr { ops: ops.into() })
    }

    /// Evaluate to a raw 64-bit cell. `global` reads a global's cell, `func_ref` turns a
    /// function index into a funcref cell. Validation guarantees a well-typed single result.
    pub fn eval(
        &self,
        mut global: impl FnMut(GlobalIdx) -> u64,
        mut func_ref: impl FnMut(FuncIdx) -> u64,
    ) -> u64 {
        if let [op] = &*self.ops {
            return eval_leaf(*op, &mut global, &mut func_ref);
        }
        let mut stack: Vec<u64> = Vec::with_capacity(4);
        for &op in self.ops.iter() {
            let v = match op {
                ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                    let b = stack.pop().unwrap_or(0) as u32;
                    let a = stack.pop().unwrap_or(0) as u32;
                    u64::from(match op {
                        ConstOp::I32Add => a.wrapping_add(b),
                        ConstOp::I32Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    })
                }
                ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                    let b = stack.pop().unwrap_or(0);
                    let a = stack.pop().unwrap_or(0);
                    match op {
                        ConstOp::I64Add => a.wrapping_add(b),
                        ConstOp::I64Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    }
                }
                leaf => eval_leaf(leaf, &mut global, &mut func_ref),
            };
            stack.push(v);
        }
        stack.pop().unwrap_or(0)
    }

    /// The function index if this is a plain `ref.func`.
    pub fn as_ref_func(&self) -> Option<FuncIdx> {
        match &*self.ops {
            [ConstOp::RefFunc(f)] => Some(*f),
            _ => None,
        }
    }
}

fn eval_leaf(
    op: ConstOp,
    global: &mut impl FnMut(GlobalIdx) -> u64,
    func_ref: &mut impl FnMut(FuncIdx) -> u64,
) -> u64 {
    match op {
        ConstOp::I32(v) => u64::from(v as u32),
        ConstOp::I64(v) => v as u64,
        ConstOp::F32(b) => u64::from(b),
        ConstOp::F64(b) => b,
        ConstOp::V128(v) => v as u64,
        ConstOp::RefNull(_) => 0,
        ConstOp::RefFunc(f) => func_ref(f),
        ConstOp::GlobalGet(g) => global(g),
        _ => 0,
    }
}

/// The reference type named by a heap type (WebAssembly 2.0 has only func and extern).
pub(crate) fn heap_ref_type(hty: wasmparser::HeapType) -> RefType {
    use wasmparser::{AbstractHeapType, HeapType};
    match hty {
        HeapType::Abstract {
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern,
            ..
        } => RefType::Extern,
        _ => RefType::Func,
    }
}
