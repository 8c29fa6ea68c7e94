//! The executable form of translated code: each [`Instr`] becomes an [`Op`] holding a pointer to
//! its handler and up to four 32-bit operands, so dispatch is one load and one indirect jump.

use super::exec::{Cx, handlers as h};
use super::isa::{Instr, for_instr_groups};

/// A handler: executes the op at `ip` and continues with the next one (see `exec`).
pub(crate) type Handler =
    unsafe extern "C" fn(ip: *const Op, sp: *mut u64, mem: *mut u8, len: u64, cx: *mut Cx) -> u64;

/// One executable op (24 bytes).
#[derive(Clone, Copy)]
#[repr(C)]
pub(crate) struct Op {
    /// The handler.
    pub h: Handler,
    /// First operand (usually the destination slot).
    pub a: u32,
    /// Second operand.
    pub b: u32,
    /// Third operand (or the low half of a 64-bit immediate).
    pub c: u32,
    /// High half of a 64-bit immediate.
    pub d: u32,
}

impl Op {
    fn new(h: Handler, a: u32, b: u32, c: u32) -> Op {
        Op { h, a, b, c, d: 0 }
    }

    /// The 64-bit immediate stored in `c` (low) and `d` (high).
    #[inline(always)]
    pub fn imm64(&self) -> u64 {
        (u64::from(self.d) << 32) | u64::from(self.c)
    }
}

impl std::fmt::Debug for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Op({}, {}, {}, {})", self.a, self.b, self.c, self.d)
    }
}

macro_rules! define_encoder {
    (
        binary: [$($bin:ident),* $(,)?],
        binary_imm: [$($bimm:ident),* $(,)?],
        unary: [$($un:ident),* $(,)?],
        branch_cmp: [$($brc:ident),* $(,)?],
        branch_cmp_imm: [$($brci:ident),* $(,)?],
        loads: [$($ld:ident),* $(,)?],
        stores: [$($st:ident),* $(,)?],
        loads_wrap: [$($ldw:ident),* $(,)?],
        stores_wrap: [$($stw:ident),* $(,)?],
    ) => {
        /// The op executing `i`.
        fn encode_one(i: &Instr) -> Op {
            match *i {
                $(Instr::$bin { dst, lhs, rhs } => Op::new(h::$bin, dst, lhs, rhs),)*
                $(Instr::$bimm { dst, lhs, imm } => Op::new(h::$bimm, dst, lhs, imm as u32),)*
                $(Instr::$un { dst, src } => Op::new(h::$un, dst, src, 0),)*
                $(Instr::$brc { lhs, rhs, offset } => Op::new(h::$brc, lhs, rhs, offset as u32),)*
                $(Instr::$brci { lhs, imm, offset } => {
                    Op::new(h::$brci, lhs, imm as u32, offset as u32)
                })*
                $(Instr::$ld { dst, addr, offset } => Op::new(h::$ld, dst, addr, offset),)*
                $(Instr::$st { addr, src, offset } => Op::new(h::$st, addr, src, offset),)*
                $(Instr::$ldw { dst, addr, disp } => Op::new(h::$ldw, dst, addr, disp),)*
                $(Instr::$stw { addr, src, disp } => Op::new(h::$stw, addr, src, disp),)*
                Instr::Meta { a, b, c } => Op::new(h::Meta, a, b, c),
                Instr::Unreachable => Op::new(h::Unreachable, 0, 0, 0),
                Instr::Trap { code } => Op::new(h::Trap, code as u32, 0, 0),
                Instr::Br { offset } => Op::new(h::Br, offset as u32, 0, 0),
                Instr::BrIfNez { cond, offset } => Op::new(h::BrIfNez, cond, offset as u32, 0),
                Instr::BrIfEqz { cond, offset } => Op::new(h::BrIfEqz, cond, offset as u32, 0),
                Instr::BrIfI64Eqz { cond, offset } => {
                    Op::new(h::BrIfI64Eqz, cond, offset as u32, 0)
                }
                Instr::BrIfI64Nez { cond, offset } => {
                    Op::new(h::BrIfI64Nez, cond, offset as u32, 0)
                }
                Instr::BrTable { index, len } => Op::new(h::BrTable, index, len, 0),
                Instr::Return => Op::new(h::Return, 0, 0, 0),
                Instr::ReturnSlot { src } => Op::new(h::ReturnSlot, src, 0, 0),
                Instr::CallInternal { func, base } => Op::new(h::CallInternal, func, base, 0),
                Instr::CallImport { func, base } => Op::new(h::CallImport, func, base, 0),
                Instr::CallIndirect { type_idx, index, base } => {
                    Op::new(h::CallIndirect, type_idx, index, base)
                }
                Instr::Copy { dst, src } => Op::new(h::Copy, dst, src, 0),
                Instr::Copy2 { dst, src0, src1 } => Op::new(h::Copy2, dst, src0, src1),
                Instr::Const { dst, val } => Op {
                    h: h::Const,
                    a: dst,
                    b: 0,
                    c: val as u32,
                    d: (val >> 32) as u32,
                },
                Instr::RefFunc { dst, func } => Op::new(h::RefFunc, dst, func, 0),
                Instr::Select { dst, a, b } => Op::new(h::Select, dst, a, b),
                Instr::GlobalGet { dst, idx } => Op::new(h::GlobalGet, dst, idx, 0),
                Instr::GlobalSet { src, idx } => Op::new(h::GlobalSet, src, idx, 0),
                Instr::GlobalGetGuarded { dst, idx } => Op::new(h::GlobalGetGuarded, dst, idx, 0),
                Instr::GlobalSetGuarded { src, idx } => Op::new(h::GlobalSetGuarded, src, idx, 0),
                Instr::MemorySize { dst } => Op::new(h::MemorySize, dst, 0, 0),
                Instr::MemoryGrow { dst, delta } => Op::new(h::MemoryGrow, dst, delta, 0),
                Instr::MemoryFill { dst, val, len } => Op::new(h::MemoryFill, dst, val, len),
                Instr::MemoryCopy { dst, src, len } => Op::new(h::MemoryCopy, dst, src, len),
                Instr::MemoryInit { dst, src, len } => Op::new(h::MemoryInit, dst, src, len),
                Instr::DataDrop { seg } => Op::new(h::DataDrop, seg, 0, 0),
                Instr::TableGet { dst, index, table } => Op::new(h::TableGet, dst, index, table),
                Instr::TableSet { index, val, table } => Op::new(h::TableSet, index, val, table),
                Instr::TableSize { dst, table } => Op::new(h::TableSize, dst, table, 0),
                Instr::TableGrow { dst, init, delta } => Op::new(h::TableGrow, dst, init, delta),
                Instr::TableFill { index, val, len } => Op::new(h::TableFill, index, val, len),
                Instr::TableCopy { dst, src, len } => Op::new(h::TableCopy, dst, src, len),
                Instr::TableInit { dst, src, len } => Op::new(h::TableInit, dst, src, len),
                Instr::ElemDrop { seg } => Op::new(h::ElemDrop, seg, 0, 0),
            }
        }
    };
}

for_instr_groups!(define_encoder);

/// Encode translated code for execution (one op per instruction, same indices, so branch
/// offsets carry over unchanged).
///
/// Adjacent pairs may additionally be fused into a superinstruction placed on the first of
/// the two: it executes both and skips the second, which stays in place, intact, for branches
/// that land on it. A fused handler keeps its first op's operands and reads the second op's
/// from the next slot, so chains of fusions compose. Fusions:
/// - `Copy; Copy` (register rotations in loops);
/// - a 64-bit load feeding an f64 add/sub/mul (the loaded value goes to the operation in a
///   register instead of through its slot);
/// - an f64 add/sub/mul feeding a 64-bit store (likewise for the stored value).
pub(crate) fn encode(code: &[Instr]) -> Box<[Op]> {
    let mut ops: Vec<Op> = code.iter().map(encode_one).collect();
    // Candidate superinstructions, then the most pairs that do not overlap (a pair's second
    // op is skipped by the fused handler, so fusing it again would only serve branches that
    // land on it): best[i] is the most pairs in code[i..].
    let n = code.len();
    let cand: Vec<Option<(Op, u32)>> = (0..n.saturating_sub(1))
        .map(|i| fused_op(&code[i], &code[i + 1], ops[i]))
        .collect();
    let mut best = vec![0u32; n + 2];
    for i in (0..cand.len()).rev() {
        let take = cand[i].map_or(0, |(_, w)| w + best[i + 2]);
        best[i] = best[i + 1].max(take);
    }
    let mut i = 0;
    while i < cand.len() {
        match cand[i] {
            Some((op, w)) if w + best[i + 2] >= best[i + 1] => {
                ops[i] = op;
                i += 2;
            }
            _ => i += 1,
        }
    }
    ops.into_boxed_slice()
}

/// The first op of the pair `(first, second)` turned into a superinstruction (`plain` is its
/// ordinary encoding) and the pair's weight, if the pair fuses. Float pairs weigh more: they
/// also take a slot round trip out of a long-latency dependency chain.
fn fused_op(first: &Instr, second: &Instr, plain: Op) -> Option<(Op, u32)> {
    if let Some(h) = fused(first, second) {
        return Some((Op { h, ..plain }, 2));
    }
    if let Some((h, d)) = super::exec::h_fused_int::fused_int(first, second)
        .or_else(|| super::exec::h_fused_branch::fused_add_branch(first, second))
    {
        return Some((Op { h, d, ..plain }, 1));
    }
    if let (Instr::Copy { dst: d0, src: s0 }, Instr::Copy { dst: d1, src: s1 }) = (*first, *second)
    {
        let op = Op {
            h: h::CopyPair,
            a: d0,
            b: s0,
            c: d1,
            d: s1,
        };
        return Some((op, 1));
    }
    None
}

/// The fused handler for the pair `(first, second)`, if there is one.
fn fused(first: &Instr, second: &Instr) -> Option<Handler> {
    use super::exec::h_fused::{F64Op, Side, load_then_op, op_then_op, op_then_store};
    use Instr as I;
    let f64_op = |i: &Instr| match *i {
        I::F64Add { dst, lhs, rhs } => Some((F64Op::Add, dst, lhs, rhs)),
        I::F64Sub { dst, lhs, rhs } => Some((F64Op::Sub, dst, lhs, rhs)),
        I::F64Mul { dst, lhs, rhs } => Some((F64Op::Mul, dst, lhs, rhs)),
        I::F64Div { dst, lhs, rhs } => Some((F64Op::Div, dst, lhs, rhs)),
        _ => None,
    };
    // Which operand of `second` (an f64 operation) the value in slot `t` is.
    let side_of = |t: u32, second: &Instr| {
        let (_, _, lhs, rhs) = f64_op(second)?;
        if lhs == t {
            Some(Side::Lhs)
        } else if rhs == t {
            Some(Side::Rhs)
        } else {
            None
        }
    };
    match (first, second) {
        (I::I64Load { dst: t, .. } | I::I64LoadW { dst: t, .. }, _) => {
            let (op, ..) = f64_op(second)?;
            let side = side_of(*t, second)?;
            load_then_op(matches!(first, I::I64LoadW { .. }), op, side)
        }
        (_, I::I64Store { src, .. } | I::I64StoreW { src, .. }) => {
            let (op, dst, _, _) = f64_op(first)?;
            if dst != *src {
                return None;
            }
            op_then_store(op, matches!(second, I::I64StoreW { .. }))
        }
        _ => {
            let (op1, dst, ..) = f64_op(first)?;
            let (op2, ..) = f64_op(second)?;
            Some(op_then_op(op1, op2, side_of(dst, second)?))
        }
    }
}
