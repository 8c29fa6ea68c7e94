//! Fused f64 handlers (superinstructions) for pairs the encoder recognises (see `translate/fuse.rs`):
//! load → operation, operation → store, operation → operation.
//! Each executes its own op (operands in `op`) and then the next op (operands read from
//! `ip + 1`), passing the value that links them in a register, and continues at `ip + 2`.
//! Both ops keep their full effects, including the linking value's slot write.

/// `i64.load`/`f64.load` then an f64 operation reading the loaded value.
macro_rules! load_then_op {
    ($name:ident, $wrap:tt, |$x:ident, $y:ident| $e:expr, $side:ident) => {
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let v = load_le!(cx, op, mem, len, ea!($wrap, rd!(sp, op.b) as u32, op.c), u64);
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
            store_le!(
                cx,
                o2,
                mem,
                len,
                ea!($wrap, rd!(sp, o2.a) as u32, o2.c),
                u64,
                v
            );
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
