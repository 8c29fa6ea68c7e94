//! Fused f64 handlers (superinstructions) for pairs the encoder recognises (see `op::encode`):
//! load → operation, operation → store, operation → operation.
//! Each executes its own op (operands in `op`) and then the next op (operands read from
//! `ip + 1`), passing the value that links them in a register, and continues at `ip + 2`.
//! Both ops keep their full effects, including the linking value's slot write.

use crate::interp::op::Handler;

/// The f64 operation of a fused pair.
#[derive(Clone, Copy)]
pub(crate) enum F64Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// Which operand of the operation the loaded value is.
#[derive(Clone, Copy)]
pub(crate) enum Side {
    Lhs,
    Rhs,
}

/// `i64.load`/`f64.load` then an f64 operation reading the loaded value.
macro_rules! load_then_op {
    ($name:ident, $wrap:tt, |$x:ident, $y:ident| $e:expr, $side:ident) => {
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let p = mem_at!(cx, op, mem, len, ea!($wrap, rd!(sp, op.b) as u32, op.c), 8, false);
            // SAFETY: `p` addresses 8 accessible bytes (linear memory or the shared heap).
            let v = u64::from_le(unsafe { std::ptr::read_unaligned(p as *const u64) });
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
            let p = mem_at!(
                cx,
                o2,
                mem,
                len,
                ea!($wrap, rd!(sp, o2.a) as u32, o2.c),
                8,
                true
            );
            // SAFETY: `p` addresses 8 accessible bytes (linear memory or the shared heap).
            unsafe { std::ptr::write_unaligned(p as *mut u64, v.to_le()) };
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

/// An f64 operation whose result feeds a second f64 operation (`a * b * c`, `x - y * z`).
macro_rules! op_then_op {
    ($($name:ident, |$x:ident, $y:ident| $e1:expr, |$u:ident, $v:ident| $e2:expr, $side:ident;)*) => {$(
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let ($x, $y) = (f64::from_bits(rd!(sp, op.b)), f64::from_bits(rd!(sp, op.c)));
            let r = $e1;
            wr!(sp, op.a, f64::to_bits(r));
            // SAFETY: the fused second operation follows (encoder invariant).
            let o2 = unsafe { &*ip.add(1) };
            let ($u, $v) = op_then_op!(@side $side, r, sp, o2);
            wr!(sp, o2.a, f64::to_bits($e2));
            // SAFETY: continue after the fused pair.
            next!(unsafe { ip.add(2) }, sp, mem, len, cx);
        });
    )*};
    (@side L, $r:expr, $sp:ident, $o2:ident) => {
        ($r, f64::from_bits(rd!($sp, $o2.c)))
    };
    (@side R, $r:expr, $sp:ident, $o2:ident) => {
        (f64::from_bits(rd!($sp, $o2.b)), $r)
    };
}

op_then_op! {
    AddAddL, |x, y| x + y, |u, v| u + v, L; AddAddR, |x, y| x + y, |u, v| u + v, R;
    AddSubL, |x, y| x + y, |u, v| u - v, L; AddSubR, |x, y| x + y, |u, v| u - v, R;
    AddMulL, |x, y| x + y, |u, v| u * v, L; AddMulR, |x, y| x + y, |u, v| u * v, R;
    AddDivL, |x, y| x + y, |u, v| u / v, L; AddDivR, |x, y| x + y, |u, v| u / v, R;
    SubAddL, |x, y| x - y, |u, v| u + v, L; SubAddR, |x, y| x - y, |u, v| u + v, R;
    SubSubL, |x, y| x - y, |u, v| u - v, L; SubSubR, |x, y| x - y, |u, v| u - v, R;
    SubMulL, |x, y| x - y, |u, v| u * v, L; SubMulR, |x, y| x - y, |u, v| u * v, R;
    SubDivL, |x, y| x - y, |u, v| u / v, L; SubDivR, |x, y| x - y, |u, v| u / v, R;
    MulAddL, |x, y| x * y, |u, v| u + v, L; MulAddR, |x, y| x * y, |u, v| u + v, R;
    MulSubL, |x, y| x * y, |u, v| u - v, L; MulSubR, |x, y| x * y, |u, v| u - v, R;
    MulMulL, |x, y| x * y, |u, v| u * v, L; MulMulR, |x, y| x * y, |u, v| u * v, R;
    MulDivL, |x, y| x * y, |u, v| u / v, L; MulDivR, |x, y| x * y, |u, v| u / v, R;
    DivAddL, |x, y| x / y, |u, v| u + v, L; DivAddR, |x, y| x / y, |u, v| u + v, R;
    DivSubL, |x, y| x / y, |u, v| u - v, L; DivSubR, |x, y| x / y, |u, v| u - v, R;
    DivMulL, |x, y| x / y, |u, v| u * v, L; DivMulR, |x, y| x / y, |u, v| u * v, R;
    DivDivL, |x, y| x / y, |u, v| u / v, L; DivDivR, |x, y| x / y, |u, v| u / v, R;
}

/// The handler of f64 operation `first` whose result is operand `side` of `second`.
pub(crate) fn op_then_op(first: F64Op, second: F64Op, side: Side) -> Handler {
    use F64Op::*;
    use Side::{Lhs as L, Rhs as R};
    match (first, second, side) {
        (Add, Add, L) => AddAddL,
        (Add, Add, R) => AddAddR,
        (Add, Sub, L) => AddSubL,
        (Add, Sub, R) => AddSubR,
        (Add, Mul, L) => AddMulL,
        (Add, Mul, R) => AddMulR,
        (Add, Div, L) => AddDivL,
        (Add, Div, R) => AddDivR,
        (Sub, Add, L) => SubAddL,
        (Sub, Add, R) => SubAddR,
        (Sub, Sub, L) => SubSubL,
        (Sub, Sub, R) => SubSubR,
        (Sub, Mul, L) => SubMulL,
        (Sub, Mul, R) => SubMulR,
        (Sub, Div, L) => SubDivL,
        (Sub, Div, R) => SubDivR,
        (Mul, Add, L) => MulAddL,
        (Mul, Add, R) => MulAddR,
        (Mul, Sub, L) => MulSubL,
        (Mul, Sub, R) => MulSubR,
        (Mul, Mul, L) => MulMulL,
        (Mul, Mul, R) => MulMulR,
        (Mul, Div, L) => MulDivL,
        (Mul, Div, R) => MulDivR,
        (Div, Add, L) => DivAddL,
        (Div, Add, R) => DivAddR,
        (Div, Sub, L) => DivSubL,
        (Div, Sub, R) => DivSubR,
        (Div, Mul, L) => DivMulL,
        (Div, Mul, R) => DivMulR,
        (Div, Div, L) => DivDivL,
        (Div, Div, R) => DivDivR,
    }
}

/// The handler of a 64-bit load (`wrap`: the `W` form) feeding operation `op` as `side`.
/// `None` for division (not fused with loads).
pub(crate) fn load_then_op(wrap: bool, op: F64Op, side: Side) -> Option<Handler> {
    Some(match (wrap, op, side) {
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
        (_, F64Op::Div, _) => return None,
    })
}

/// The handler of operation `op` feeding a 64-bit store (`wrap`: the `W` form).
/// `None` for division (not fused with stores).
pub(crate) fn op_then_store(op: F64Op, wrap: bool) -> Option<Handler> {
    Some(match (op, wrap) {
        (F64Op::Add, false) => AddStore,
        (F64Op::Sub, false) => SubStore,
        (F64Op::Mul, false) => MulStore,
        (F64Op::Add, true) => AddStoreW,
        (F64Op::Sub, true) => SubStoreW,
        (F64Op::Mul, true) => MulStoreW,
        (F64Op::Div, _) => return None,
    })
}
