//! The encoder: translated code ([`Instr`]s) to executable ops, one op per instruction at the
//! same index (so branch offsets carry over unchanged), then superinstructions (`fuse.rs`).
//!
//! `encode_one` and with it the handler table (which handler executes which op) are generated
//! from the op table (`isa::for_each_op!`): each op's fields go to the operands the table
//! names, and its handler is the function of the op's name in the handler file the table names.

use super::fuse;
use crate::interp::exec::handlers as h;
use crate::interp::isa::{Instr, OperandBits, for_each_op};
use crate::interp::machine::Op;

/// Store field value `$v` in operand `$pos` of `$op` (`cd`: a 64-bit value in `c` and `d`).
macro_rules! put {
    ($op:ident, a, $v:expr) => {
        $op.a = OperandBits::bits($v)
    };
    ($op:ident, b, $v:expr) => {
        $op.b = OperandBits::bits($v)
    };
    ($op:ident, c, $v:expr) => {
        $op.c = OperandBits::bits($v)
    };
    ($op:ident, cd, $v:expr) => {{
        let v: u64 = $v;
        $op.c = v as u32;
        $op.d = (v >> 32) as u32;
    }};
}

macro_rules! define_encoder {
    ($(
        $(#[$doc:meta])* $file:ident $name:ident
        { $($f:ident: $t:ty => $pos:ident),* } ($($role:tt)*);
    )*) => {
        /// The op executing `i` (unfused).
        pub(super) fn encode_one(i: &Instr) -> Op {
            match *i {
                $(Instr::$name { $($f),* } => {
                    #[allow(unused_mut)]
                    let mut op = Op::new(h::$file::$name, 0, 0, 0);
                    $(put!(op, $pos, $f);)*
                    op
                })*
            }
        }
    };
}

for_each_op!(define_encoder);

/// Encode translated code for execution: one op per instruction, then the superinstructions
/// `fuse::fuse` picks for adjacent pairs.
pub(crate) fn encode(code: &[Instr]) -> Box<[Op]> {
    let mut ops: Vec<Op> = code.iter().map(encode_one).collect();
    fuse::fuse(code, &mut ops);
    ops.into_boxed_slice()
}
