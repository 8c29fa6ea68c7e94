//! The interpreter's instruction set: a register (slot) machine.
//!
//! Every instruction is 16 bytes: a discriminant and up to three 32-bit operands (or one 64-bit
//! constant). Operands name *slots* of the current frame, relative to the frame base:
//!
//! ```text
//! [ params | declared locals | scratch | operand-stack temporaries ... ]
//!   0 ..                      num_locals  num_locals+1 ..
//! ```
//!
//! `local.get` emits nothing (instructions read the local's slot directly), immediates are folded
//! into `*Imm` variants, comparisons feeding `br_if`/`if` fuse into compare-and-branch
//! instructions, and a result followed by `local.set` is written straight into the local.
//! Loads and stores come in two forms: `offset` adds the memarg offset without wrapping (the
//! wasm rule), the `*W` forms add a displacement with 32-bit wrapping (`i32.add` of a constant
//! fused into the access: `(addr + disp) mod 2^32`).
//! Branch offsets are relative to the branch instruction's own index. A few instructions need
//! a fourth operand; it follows in a [`Instr::Meta`] word that the handler reads and skips.

use crate::error::TrapCode;

/// A frame-relative slot index.
pub type Slot = u32;

macro_rules! define_instr {
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
        /// One interpreter instruction (16 bytes).
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[allow(missing_docs)]
        pub enum Instr {
            /// Extra operands of the preceding instruction; never executed on its own.
            Meta { a: u32, b: u32, c: u32 },
            Unreachable,
            /// Raise a trap.
            Trap { code: TrapCode },
            Br { offset: i32 },
            /// Branch if `cond` (i32) is non-zero.
            BrIfNez { cond: Slot, offset: i32 },
            /// Branch if `cond` (i32) is zero.
            BrIfEqz { cond: Slot, offset: i32 },
            /// Branch if `cond` (i64) is zero.
            BrIfI64Eqz { cond: Slot, offset: i32 },
            /// Branch if `cond` (i64) is non-zero.
            BrIfI64Nez { cond: Slot, offset: i32 },
            /// Jump to the `min(index, len)`-th of the following `len + 1` `Br` entries.
            BrTable { index: Slot, len: u32 },
            /// Return from the function; results are already in slots `0..n`.
            Return,
            /// Copy `src` into slot 0 and return.
            ReturnSlot { src: Slot },
            /// Call a function defined in the current module; arguments start at `base`.
            CallInternal { func: u32, base: Slot },
            /// Call through the instance's function index space (imports, other instances).
            CallImport { func: u32, base: Slot },
            /// `call_indirect`: `Meta { a: table }` follows.
            CallIndirect { type_idx: u32, index: Slot, base: Slot },
            Copy { dst: Slot, src: Slot },
            /// Two independent copies.
            Copy2 { dst: Slot, src0: Slot, src1: Slot },
            Const { dst: Slot, val: u64 },
            RefFunc { dst: Slot, func: u32 },
            /// `dst = cond ? a : b`; `Meta { a: cond }` follows.
            Select { dst: Slot, a: Slot, b: Slot },
            GlobalGet { dst: Slot, idx: u32 },
            GlobalSet { src: Slot, idx: u32 },
            /// `global.get` of an imported externref global (capability guard, §8).
            GlobalGetGuarded { dst: Slot, idx: u32 },
            /// `global.set` of an imported externref global (capability guard, §8).
            GlobalSetGuarded { src: Slot, idx: u32 },
            MemorySize { dst: Slot },
            MemoryGrow { dst: Slot, delta: Slot },
            MemoryFill { dst: Slot, val: Slot, len: Slot },
            MemoryCopy { dst: Slot, src: Slot, len: Slot },
            /// `Meta { a: data segment }` follows.
            MemoryInit { dst: Slot, src: Slot, len: Slot },
            DataDrop { seg: u32 },
            TableGet { dst: Slot, index: Slot, table: u32 },
            TableSet { index: Slot, val: Slot, table: u32 },
            TableSize { dst: Slot, table: u32 },
            /// `Meta { a: table }` follows.
            TableGrow { dst: Slot, init: Slot, delta: Slot },
            /// `Meta { a: table }` follows.
            TableFill { index: Slot, val: Slot, len: Slot },
            /// `Meta { a: dst table, b: src table }` follows.
            TableCopy { dst: Slot, src: Slot, len: Slot },
            /// `Meta { a: table, b: elem segment }` follows.
            TableInit { dst: Slot, src: Slot, len: Slot },
            ElemDrop { seg: u32 },
            $($bin { dst: Slot, lhs: Slot, rhs: Slot },)*
            $($bimm { dst: Slot, lhs: Slot, imm: i32 },)*
            $($un { dst: Slot, src: Slot },)*
            $($brc { lhs: Slot, rhs: Slot, offset: i32 },)*
            $($brci { lhs: Slot, imm: i32, offset: i32 },)*
            $($ld { dst: Slot, addr: Slot, offset: u32 },)*
            $($st { addr: Slot, src: Slot, offset: u32 },)*
            $($ldw { dst: Slot, addr: Slot, disp: u32 },)*
            $($stw { addr: Slot, src: Slot, disp: u32 },)*
        }

        impl Instr {
            /// The slot this instruction writes its single result to, if it has one and may be
            /// retargeted (used to fuse `op; local.set x`).
            pub fn result_slot_mut(&mut self) -> Option<&mut Slot> {
                match self {
                    $(Instr::$bin { dst, .. } => Some(dst),)*
                    $(Instr::$bimm { dst, .. } => Some(dst),)*
                    $(Instr::$un { dst, .. } => Some(dst),)*
                    $(Instr::$ld { dst, .. } => Some(dst),)*
                    $(Instr::$ldw { dst, .. } => Some(dst),)*
                    Instr::GlobalGet { dst, .. }
                    | Instr::GlobalGetGuarded { dst, .. }
                    | Instr::MemorySize { dst }
                    | Instr::RefFunc { dst, .. }
                    | Instr::TableSize { dst, .. }
                    | Instr::TableGet { dst, .. } => Some(dst),
                    _ => None,
                }
            }

            /// The branch offset field, for patching forward branches.
            pub fn branch_offset_mut(&mut self) -> Option<&mut i32> {
                match self {
                    $(Instr::$brc { offset, .. } => Some(offset),)*
                    $(Instr::$brci { offset, .. } => Some(offset),)*
                    Instr::Br { offset }
                    | Instr::BrIfNez { offset, .. }
                    | Instr::BrIfEqz { offset, .. }
                    | Instr::BrIfI64Eqz { offset, .. }
                    | Instr::BrIfI64Nez { offset, .. } => Some(offset),
                    _ => None,
                }
            }
        }
    };
}

/// Invoke `$m!` with the instruction groups (the single source of the variant lists, shared by
/// the instruction enum and the executor's handler table).
macro_rules! for_instr_groups {
    ($m:ident) => {
        $m! {
            binary: [
                I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
                I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU,
                I32And, I32Or, I32Xor, I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr,
                I64Eq, I64Ne, I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU,
                I64Add, I64Sub, I64Mul, I64DivS, I64DivU, I64RemS, I64RemU,
                I64And, I64Or, I64Xor, I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,
                F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge,
                F32Add, F32Sub, F32Mul, F32Div, F32Min, F32Max, F32Copysign,
                F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge,
                F64Add, F64Sub, F64Mul, F64Div, F64Min, F64Max, F64Copysign,
            ],
            binary_imm: [
                I32EqImm, I32NeImm, I32LtSImm, I32LtUImm, I32GtSImm, I32GtUImm, I32LeSImm, I32LeUImm,
                I32GeSImm, I32GeUImm,
                I32AddImm, I32SubImm, I32MulImm, I32DivSImm, I32DivUImm, I32RemSImm, I32RemUImm,
                I32AndImm, I32OrImm, I32XorImm, I32ShlImm, I32ShrSImm, I32ShrUImm, I32RotlImm, I32RotrImm,
                I64EqImm, I64NeImm, I64LtSImm, I64LtUImm, I64GtSImm, I64GtUImm, I64LeSImm, I64LeUImm,
                I64GeSImm, I64GeUImm,
                I64AddImm, I64SubImm, I64MulImm, I64DivSImm, I64DivUImm, I64RemSImm, I64RemUImm,
                I64AndImm, I64OrImm, I64XorImm, I64ShlImm, I64ShrSImm, I64ShrUImm, I64RotlImm, I64RotrImm,
            ],
            unary: [
                I32Eqz, I32Clz, I32Ctz, I32Popcnt, I64Eqz, I64Clz, I64Ctz, I64Popcnt,
                F32Abs, F32Neg, F32Ceil, F32Floor, F32Trunc, F32Nearest, F32Sqrt,
                F64Abs, F64Neg, F64Ceil, F64Floor, F64Trunc, F64Nearest, F64Sqrt,
                I32WrapI64, I32TruncF32S, I32TruncF32U, I32TruncF64S, I32TruncF64U,
                I64ExtendI32S, I64ExtendI32U, I64TruncF32S, I64TruncF32U, I64TruncF64S, I64TruncF64U,
                F32ConvertI32S, F32ConvertI32U, F32ConvertI64S, F32ConvertI64U, F32DemoteF64,
                F64ConvertI32S, F64ConvertI32U, F64ConvertI64S, F64ConvertI64U, F64PromoteF32,
                I32Extend8S, I32Extend16S, I64Extend8S, I64Extend16S, I64Extend32S,
                I32TruncSatF32S, I32TruncSatF32U, I32TruncSatF64S, I32TruncSatF64U,
                I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S, I64TruncSatF64U,
                RefIsNull,
            ],
            branch_cmp: [
                BrI32Eq, BrI32Ne, BrI32LtS, BrI32LtU, BrI32GtS, BrI32GtU, BrI32LeS, BrI32LeU,
                BrI32GeS, BrI32GeU,
                BrI64Eq, BrI64Ne, BrI64LtS, BrI64LtU, BrI64GtS, BrI64GtU, BrI64LeS, BrI64LeU,
                BrI64GeS, BrI64GeU,
            ],
            branch_cmp_imm: [
                BrI32EqImm, BrI32NeImm, BrI32LtSImm, BrI32LtUImm, BrI32GtSImm, BrI32GtUImm,
                BrI32LeSImm, BrI32LeUImm, BrI32GeSImm, BrI32GeUImm,
                BrI64EqImm, BrI64NeImm, BrI64LtSImm, BrI64LtUImm, BrI64GtSImm, BrI64GtUImm,
                BrI64LeSImm, BrI64LeUImm, BrI64GeSImm, BrI64GeUImm,
            ],
            loads: [
                I32Load, I64Load, I32Load8S, I32Load8U, I32Load16S, I32Load16U,
                I64Load8S, I64Load8U, I64Load16S, I64Load16U, I64Load32S, I64Load32U,
            ],
            stores: [I32Store, I64Store, I32Store8, I32Store16, I64Store32],
            loads_wrap: [I32LoadW, I64LoadW, I32Load8SW, I32Load8UW, I32Load16SW, I32Load16UW],
            stores_wrap: [I32StoreW, I64StoreW, I32Store8W, I32Store16W],
        }
    };
}
pub(crate) use for_instr_groups;

for_instr_groups!(define_instr);

const _: () = assert!(std::mem::size_of::<Instr>() == 16);

/// A comparison that can be fused with a following branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Cmp {
    Eq,
    Ne,
    LtS,
    LtU,
    GtS,
    GtU,
    LeS,
    LeU,
    GeS,
    GeU,
}

impl Cmp {
    /// The comparison with its operands exchanged (`a < b` is `b > a`).
    pub fn swapped(self) -> Cmp {
        match self {
            Cmp::Eq => Cmp::Eq,
            Cmp::Ne => Cmp::Ne,
            Cmp::LtS => Cmp::GtS,
            Cmp::LtU => Cmp::GtU,
            Cmp::GtS => Cmp::LtS,
            Cmp::GtU => Cmp::LtU,
            Cmp::LeS => Cmp::GeS,
            Cmp::LeU => Cmp::GeU,
            Cmp::GeS => Cmp::LeS,
            Cmp::GeU => Cmp::LeU,
        }
    }

    /// The comparison that is true exactly when `self` is false.
    pub fn negate(self) -> Cmp {
        match self {
            Cmp::Eq => Cmp::Ne,
            Cmp::Ne => Cmp::Eq,
            Cmp::LtS => Cmp::GeS,
            Cmp::LtU => Cmp::GeU,
            Cmp::GtS => Cmp::LeS,
            Cmp::GtU => Cmp::LeU,
            Cmp::LeS => Cmp::GtS,
            Cmp::LeU => Cmp::GtU,
            Cmp::GeS => Cmp::LtS,
            Cmp::GeU => Cmp::LtU,
        }
    }
}

/// A condition a branch tests, recovered from the instruction that computed it.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(missing_docs)]
pub enum Cond {
    /// Compare two slots (i32 when `wide` is false, i64 otherwise).
    Cmp {
        cmp: Cmp,
        wide: bool,
        lhs: Slot,
        rhs: Slot,
    },
    /// Compare a slot with an immediate.
    CmpImm {
        cmp: Cmp,
        wide: bool,
        lhs: Slot,
        imm: i32,
    },
    /// `slot != 0` (i32); `negated` tests `== 0`.
    Nez {
        slot: Slot,
        negated: bool,
        wide: bool,
    },
}

impl Cond {
    /// The negated condition.
    pub fn negate(self) -> Cond {
        match self {
            Cond::Cmp {
                cmp,
                wide,
                lhs,
                rhs,
            } => Cond::Cmp {
                cmp: cmp.negate(),
                wide,
                lhs,
                rhs,
            },
            Cond::CmpImm {
                cmp,
                wide,
                lhs,
                imm,
            } => Cond::CmpImm {
                cmp: cmp.negate(),
                wide,
                lhs,
                imm,
            },
            Cond::Nez {
                slot,
                negated,
                wide,
            } => Cond::Nez {
                slot,
                negated: !negated,
                wide,
            },
        }
    }

    /// The condition computed by `instr` (into its result slot), if it is a fusable compare.
    pub fn from_instr(instr: &Instr) -> Option<Cond> {
        use Cmp::*;
        macro_rules! m {
            ($($v:ident => $c:expr, $w:expr;)*) => {
                match *instr {
                    $(Instr::$v { lhs, rhs, .. } => Some(Cond::Cmp { cmp: $c, wide: $w, lhs, rhs }),)*
                    _ => None,
                }
            };
        }
        macro_rules! mi {
            ($($v:ident => $c:expr, $w:expr;)*) => {
                match *instr {
                    $(Instr::$v { lhs, imm, .. } => Some(Cond::CmpImm { cmp: $c, wide: $w, lhs, imm }),)*
                    _ => None,
                }
            };
        }
        match *instr {
            Instr::I32Eqz { src, .. } => {
                return Some(Cond::Nez {
                    slot: src,
                    negated: true,
                    wide: false,
                });
            }
            Instr::I64Eqz { src, .. } => {
                return Some(Cond::Nez {
                    slot: src,
                    negated: true,
                    wide: true,
                });
            }
            _ => {}
        }
        m! {
            I32Eq => Eq, false; I32Ne => Ne, false; I32LtS => LtS, false; I32LtU => LtU, false;
            I32GtS => GtS, false; I32GtU => GtU, false; I32LeS => LeS, false; I32LeU => LeU, false;
            I32GeS => GeS, false; I32GeU => GeU, false;
            I64Eq => Eq, true; I64Ne => Ne, true; I64LtS => LtS, true; I64LtU => LtU, true;
            I64GtS => GtS, true; I64GtU => GtU, true; I64LeS => LeS, true; I64LeU => LeU, true;
            I64GeS => GeS, true; I64GeU => GeU, true;
        }
        .or_else(|| {
            mi! {
                I32EqImm => Eq, false; I32NeImm => Ne, false; I32LtSImm => LtS, false;
                I32LtUImm => LtU, false; I32GtSImm => GtS, false; I32GtUImm => GtU, false;
                I32LeSImm => LeS, false; I32LeUImm => LeU, false; I32GeSImm => GeS, false;
                I32GeUImm => GeU, false;
                I64EqImm => Eq, true; I64NeImm => Ne, true; I64LtSImm => LtS, true;
                I64LtUImm => LtU, true; I64GtSImm => GtS, true; I64GtUImm => GtU, true;
                I64LeSImm => LeS, true; I64LeUImm => LeU, true; I64GeSImm => GeS, true;
                I64GeUImm => GeU, true;
            }
        })
    }

    /// The condition the branch instruction `i` tests, if it is a conditional branch (the
    /// inverse of [`Cond::branch`]).
    pub fn of_branch(i: &Instr) -> Option<Cond> {
        use Cmp::*;
        macro_rules! unpick {
            ($($c:ident => $n:ident, $w:ident, $ni:ident, $wi:ident;)*) => {
                match *i {
                    $(Instr::$n { lhs, rhs, .. } => Cond::Cmp { cmp: $c, wide: false, lhs, rhs },
                      Instr::$w { lhs, rhs, .. } => Cond::Cmp { cmp: $c, wide: true, lhs, rhs },
                      Instr::$ni { lhs, imm, .. } => Cond::CmpImm { cmp: $c, wide: false, lhs, imm },
                      Instr::$wi { lhs, imm, .. } => Cond::CmpImm { cmp: $c, wide: true, lhs, imm },)*
                    Instr::BrIfNez { cond, .. } => Cond::Nez { slot: cond, negated: false, wide: false },
                    Instr::BrIfEqz { cond, .. } => Cond::Nez { slot: cond, negated: true, wide: false },
                    Instr::BrIfI64Nez { cond, .. } => Cond::Nez { slot: cond, negated: false, wide: true },
                    Instr::BrIfI64Eqz { cond, .. } => Cond::Nez { slot: cond, negated: true, wide: true },
                    _ => return None,
                }
            };
        }
        Some(unpick! {
            Eq => BrI32Eq, BrI64Eq, BrI32EqImm, BrI64EqImm;
            Ne => BrI32Ne, BrI64Ne, BrI32NeImm, BrI64NeImm;
            LtS => BrI32LtS, BrI64LtS, BrI32LtSImm, BrI64LtSImm;
            LtU => BrI32LtU, BrI64LtU, BrI32LtUImm, BrI64LtUImm;
            GtS => BrI32GtS, BrI64GtS, BrI32GtSImm, BrI64GtSImm;
            GtU => BrI32GtU, BrI64GtU, BrI32GtUImm, BrI64GtUImm;
            LeS => BrI32LeS, BrI64LeS, BrI32LeSImm, BrI64LeSImm;
            LeU => BrI32LeU, BrI64LeU, BrI32LeUImm, BrI64LeUImm;
            GeS => BrI32GeS, BrI64GeS, BrI32GeSImm, BrI64GeSImm;
            GeU => BrI32GeU, BrI64GeU, BrI32GeUImm, BrI64GeUImm;
        })
    }

    /// The branch instruction that jumps by `offset` when the condition holds.
    pub fn branch(self, offset: i32) -> Instr {
        use Cmp::*;
        match self {
            Cond::Nez {
                slot,
                negated,
                wide,
            } => match (negated, wide) {
                (false, false) => Instr::BrIfNez { cond: slot, offset },
                (true, false) => Instr::BrIfEqz { cond: slot, offset },
                (false, true) => Instr::BrIfI64Nez { cond: slot, offset },
                (true, true) => Instr::BrIfI64Eqz { cond: slot, offset },
            },
            Cond::Cmp {
                cmp,
                wide,
                lhs,
                rhs,
            } => {
                macro_rules! pick {
                    ($($c:ident => $n:ident, $w:ident;)*) => {
                        match (cmp, wide) {
                            $(($c, false) => Instr::$n { lhs, rhs, offset },
                              ($c, true) => Instr::$w { lhs, rhs, offset },)*
                        }
                    };
                }
                pick! {
                    Eq => BrI32Eq, BrI64Eq; Ne => BrI32Ne, BrI64Ne; LtS => BrI32LtS, BrI64LtS;
                    LtU => BrI32LtU, BrI64LtU; GtS => BrI32GtS, BrI64GtS; GtU => BrI32GtU, BrI64GtU;
                    LeS => BrI32LeS, BrI64LeS; LeU => BrI32LeU, BrI64LeU; GeS => BrI32GeS, BrI64GeS;
                    GeU => BrI32GeU, BrI64GeU;
                }
            }
            Cond::CmpImm {
                cmp,
                wide,
                lhs,
                imm,
            } => {
                macro_rules! pick {
                    ($($c:ident => $n:ident, $w:ident;)*) => {
                        match (cmp, wide) {
                            $(($c, false) => Instr::$n { lhs, imm, offset },
                              ($c, true) => Instr::$w { lhs, imm, offset },)*
                        }
                    };
                }
                pick! {
                    Eq => BrI32EqImm, BrI64EqImm; Ne => BrI32NeImm, BrI64NeImm;
                    LtS => BrI32LtSImm, BrI64LtSImm; LtU => BrI32LtUImm, BrI64LtUImm;
                    GtS => BrI32GtSImm, BrI64GtSImm; GtU => BrI32GtUImm, BrI64GtUImm;
                    LeS => BrI32LeSImm, BrI64LeSImm; LeU => BrI32LeUImm, BrI64LeUImm;
                    GeS => BrI32GeSImm, BrI64GeSImm; GeU => BrI32GeUImm, BrI64GeUImm;
                }
            }
        }
    }
}
