//! Fused handlers (superinstructions) for pairs the encoder recognises (see `op::encode`).
//! Each executes its own op (operands in `op`) and then the next op (operands read from
//! `ip + 1`), passing the value that links them in a register, and continues at `ip + 2`.
//! Both ops keep their full effects, including the linking value's slot write.

use crate::error::TrapCode;
use crate::interp::op::Handler;

/// The f64 operation of a fused pair.
#[derive(Clone, Copy)]
pub(crate) enum F64Op {
    Add,
    Sub,
    Mul,
}

/// Which operand of the operation the loaded value is.
#[derive(Clone, Copy)]
pub(crate) enum Side {
    Lhs,
    Rhs,
}

/// `(addr + k)` as a 33-bit sum (`offset`) or with 32-bit wrapping (`wrap`).
macro_rules! ea {
    (offset, $a:expr, $k:expr) => {
        u64::from($a) + u64::from($k)
    };
    (wrap, $a:expr, $k:expr) => {
        u64::from($a.wrapping_add($k))
    };
}

/// `i64.load`/`f64.load` then an f64 operation reading the loaded value.
macro_rules! load_then_op {
    ($name:ident, $wrap:tt, |$x:ident, $y:ident| $e:expr, $side:ident) => {
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let ea = ea!($wrap, rd!(sp, op.b) as u32, op.c);
            if ea + 8 > len {
                trap!(cx, op, TrapCode::MemoryOutOfBounds);
            }
            // SAFETY: `[ea, ea + 8)` is inside accessible memory (checked above).
            let v = u64::from_le(unsafe {
                std::ptr::read_unaligned(mem.add(ea as usize) as *const u64)
            });
            wr!(sp, op.a, v);
            // SAFETY: the fused second op follows (encoder invariant).
            let o2 = unsafe { &*ip.add(1) };
            let (l, r) = load_then_op!(@side $side, v, sp, o2);
            let ($x, $y) = (f64::from_bits(l), f64::from_bits(r));
            wr!(sp, o2.a, f64::to_bits($e));
            // SAFETY: continue after the fused pair.
            next!(unsafe { ip.add(2) }, sp, mem, len, cx);
        });
    };
    (@side Lhs, $v:expr, $sp:ident, $o2:ident) => {
        ($v, rd!($sp, $o2.c))
    };
    (@side Rhs, $v:expr, $sp:ident, $o2:ident) => {
        (rd!($sp, $o2.b), $v)
    };
}

load_then_op!(LoadAddL, offset, |x, y| x + y, Lhs);
load_then_op!(LoadAddR, offset, |x, y| x + y, Rhs);
load_then_op!(LoadSubL, offset, |x, y| x - y, Lhs);
load_then_op!(LoadSubR, offset, |x, y| x - y, Rhs);
load_then_op!(LoadMulL, offset, |x, y| x * y, Lhs);
load_then_op!(LoadMulR, offset, |x, y| x * y, Rhs);
load_then_op!(LoadWAddL, wrap, |x, y| x + y, Lhs);
load_then_op!(LoadWAddR, wrap, |x, y| x + y, Rhs);
load_then_op!(LoadWSubL, wrap, |x, y| x - y, Lhs);
load_then_op!(LoadWSubR, wrap, |x, y| x - y, Rhs);
load_then_op!(LoadWMulL, wrap, |x, y| x * y, Lhs);
load_then_op!(LoadWMulR, wrap, |x, y| x * y, Rhs);

/// An f64 operation then `i64.store`/`f64.store` of its result.
macro_rules! op_then_store {
    ($name:ident, $wrap:tt, |$x:ident, $y:ident| $e:expr) => {
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let ($x, $y) = (f64::from_bits(rd!(sp, op.b)), f64::from_bits(rd!(sp, op.c)));
            let v = f64::to_bits($e);
            wr!(sp, op.a, v);
            // SAFETY: the fused store follows (encoder invariant).
            let o2 = unsafe { &*ip.add(1) };
            let ea = ea!($wrap, rd!(sp, o2.a) as u32, o2.c);
            if ea + 8 > len {
                trap!(cx, o2, TrapCode::MemoryOutOfBounds);
            }
            // SAFETY: `[ea, ea + 8)` is inside accessible memory (checked above).
            unsafe { std::ptr::write_unaligned(mem.add(ea as usize) as *mut u64, v.to_le()) };
            // SAFETY: continue after the fused pair.
            next!(unsafe { ip.add(2) }, sp, mem, len, cx);
        });
    };
}

op_then_store!(AddStore, offset, |x, y| x + y);
op_then_store!(SubStore, offset, |x, y| x - y);
op_then_store!(MulStore, offset, |x, y| x * y);
op_then_store!(AddStoreW, wrap, |x, y| x + y);
op_then_store!(SubStoreW, wrap, |x, y| x - y);
op_then_store!(MulStoreW, wrap, |x, y| x * y);

/// The handler of a 64-bit load (`wrap`: the `W` form) feeding operation `op` as `side`.
pub(crate) fn load_then_op(wrap: bool, op: F64Op, side: Side) -> Handler {
    match (wrap, op, side) {
        (false, F64Op::Add, Side::Lhs) => LoadAddL,
        (false, F64Op::Add, Side::Rhs) => LoadAddR,
        (false, F64Op::Sub, Side::Lhs) => LoadSubL,
        (false, F64Op::Sub, Side::Rhs) => LoadSubR,
        (false, F64Op::Mul, Side::Lhs) => LoadMulL,
        (false, F64Op::Mul, Side::Rhs) => LoadMulR,
        (true, F64Op::Add, Side::Lhs) => LoadWAddL,
        (true, F64Op::Add, Side::Rhs) => LoadWAddR,
        (true, F64Op::Sub, Side::Lhs) => LoadWSubL,
        (true, F64Op::Sub, Side::Rhs) => LoadWSubR,
        (true, F64Op::Mul, Side::Lhs) => LoadWMulL,
        (true, F64Op::Mul, Side::Rhs) => LoadWMulR,
    }
}

/// The handler of operation `op` feeding a 64-bit store (`wrap`: the `W` form).
pub(crate) fn op_then_store(op: F64Op, wrap: bool) -> Handler {
    match (op, wrap) {
        (F64Op::Add, false) => AddStore,
        (F64Op::Sub, false) => SubStore,
        (F64Op::Mul, false) => MulStore,
        (F64Op::Add, true) => AddStoreW,
        (F64Op::Sub, true) => SubStoreW,
        (F64Op::Mul, true) => MulStoreW,
    }
}
