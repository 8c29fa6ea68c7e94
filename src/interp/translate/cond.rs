//! Conditions the translator recovers from compares and branches, to fuse a comparison with
//! the branch that tests it (`br_if`/`if`) and, in `fuse.rs`, an op with a following branch.

use crate::interp::isa::{Instr, Slot};

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
