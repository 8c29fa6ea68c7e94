//! Superinstruction handlers, for the pairs `translate/fuse.rs` picks.
//!
//! Each executes its own op (operands in `op`) and then the next op (operands read from
//! `ip + 1`, which keeps its own plain handler for branches that land on it), passing the
//! value that links them in a register, and continues at `ip + 2` (or branches relative to
//! `ip + 1`). Both ops keep all their effects, including the linking value's slot write, and
//! a trap names the op that trapped. Memory accesses go through `bounds.rs` like the plain
//! loads and stores. Three families:
//!
//! - f64: load → operation, operation → store, operation → operation;
//! - integer, the pairs that dominate loops over arrays and pointers: `i32 load` →
//!   compare-and-branch on the loaded value (`while (a[i] < pivot)`), `i32.add imm` /
//!   `i32.shl imm` → load through the result (`p += 4; *p`, `a[i << 2]`), `i32.add imm` →
//!   `i32.add imm` (two induction updates), `i32.add imm` → `copy`;
//! - loop closers: an integer addition whose sum a compare-and-branch tests
//!   (`i += step; if (i < n) continue`, `i++; if (i != n) continue`).
//!
//! For a comparison with a slot, the fuser puts the comparison's *other* operand slot in the
//! first op's spare `d` field and picks the handler with the comparison normalised so that the
//! linked value (loaded value, sum) is its left-hand side.

// f64 superinstructions.

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

// Integer superinstructions.

/// `i32.load` (`wrap`: the `W` form) then a branch on `loaded <cmp> slot d`.
macro_rules! load_br_cmp {
    ($($name:ident, $wrap:tt, $t:ty, $cmp:tt;)*) => {$(
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let v = load_le!(cx, op, mem, len, ea!($wrap, rd!(sp, op.b) as u32, op.c), u32);
            wr!(sp, op.a, u64::from(v));
            let w = rd!(sp, op.d) as u32;
            // SAFETY: the fused branch follows (encoder invariant).
            let br = unsafe { ip.add(1) };
            if (v as $t) $cmp (w as $t) {
                // SAFETY: as above; `br` is the branch op.
                jump!(br, unsafe { (*br).c }, sp, mem, len, cx);
            }
            // SAFETY: continue after the fused pair.
            next!(unsafe { ip.add(2) }, sp, mem, len, cx);
        });
    )*};
}

load_br_cmp! {
    LdBrEq, offset, u32, ==; LdBrNe, offset, u32, !=;
    LdBrLtS, offset, i32, <; LdBrLtU, offset, u32, <;
    LdBrGtS, offset, i32, >; LdBrGtU, offset, u32, >;
    LdBrLeS, offset, i32, <=; LdBrLeU, offset, u32, <=;
    LdBrGeS, offset, i32, >=; LdBrGeU, offset, u32, >=;
    LdWBrEq, wrap, u32, ==; LdWBrNe, wrap, u32, !=;
    LdWBrLtS, wrap, i32, <; LdWBrLtU, wrap, u32, <;
    LdWBrGtS, wrap, i32, >; LdWBrGtU, wrap, u32, >;
    LdWBrLeS, wrap, i32, <=; LdWBrLeU, wrap, u32, <=;
    LdWBrGeS, wrap, i32, >=; LdWBrGeU, wrap, u32, >=;
}

/// `i32.load` then a branch on `loaded <cmp> imm` (the branch op's `b`), or on
/// `loaded != 0` / `loaded == 0` (`nez`/`eqz`, offset in the branch op's `b`).
macro_rules! load_br_imm {
    ($($name:ident, $wrap:tt, $t:ty, $cmp:tt;)*) => {$(
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let v = load_le!(cx, op, mem, len, ea!($wrap, rd!(sp, op.b) as u32, op.c), u32);
            wr!(sp, op.a, u64::from(v));
            // SAFETY: the fused branch follows (encoder invariant).
            let br = unsafe { ip.add(1) };
            // SAFETY: as above.
            let o2 = unsafe { &*br };
            if (v as $t) $cmp (o2.b as $t) {
                jump!(br, o2.c, sp, mem, len, cx);
            }
            // SAFETY: continue after the fused pair.
            next!(unsafe { ip.add(2) }, sp, mem, len, cx);
        });
    )*};
    (@if $($name:ident, $wrap:tt, $cmp:tt;)*) => {$(
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let v = load_le!(cx, op, mem, len, ea!($wrap, rd!(sp, op.b) as u32, op.c), u32);
            wr!(sp, op.a, u64::from(v));
            // SAFETY: the fused branch follows (encoder invariant).
            let br = unsafe { ip.add(1) };
            if v $cmp 0 {
                // SAFETY: as above.
                jump!(br, unsafe { (*br).b }, sp, mem, len, cx);
            }
            // SAFETY: continue after the fused pair.
            next!(unsafe { ip.add(2) }, sp, mem, len, cx);
        });
    )*};
}

load_br_imm! {
    LdBrEqImm, offset, u32, ==; LdBrNeImm, offset, u32, !=;
    LdBrLtSImm, offset, i32, <; LdBrLtUImm, offset, u32, <;
    LdBrGtSImm, offset, i32, >; LdBrGtUImm, offset, u32, >;
    LdBrLeSImm, offset, i32, <=; LdBrLeUImm, offset, u32, <=;
    LdBrGeSImm, offset, i32, >=; LdBrGeUImm, offset, u32, >=;
    LdWBrEqImm, wrap, u32, ==; LdWBrNeImm, wrap, u32, !=;
    LdWBrLtSImm, wrap, i32, <; LdWBrLtUImm, wrap, u32, <;
    LdWBrGtSImm, wrap, i32, >; LdWBrGtUImm, wrap, u32, >;
    LdWBrLeSImm, wrap, i32, <=; LdWBrLeUImm, wrap, u32, <=;
    LdWBrGeSImm, wrap, i32, >=; LdWBrGeUImm, wrap, u32, >=;
}

load_br_imm! {@if
    LdBrNez, offset, !=; LdBrEqz, offset, ==;
    LdWBrNez, wrap, !=; LdWBrEqz, wrap, ==;
}

/// `i32.add imm` / `i32.shl imm` then a load whose address is the result.
macro_rules! addr_then_load {
    ($($name:ident, |$x:ident, $k:ident| $e:expr, $wrap:tt, $t:ty;)*) => {$(
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let ($x, $k) = (rd!(sp, op.b) as u32, op.c);
            let a: u32 = $e;
            wr!(sp, op.a, u64::from(a));
            // SAFETY: the fused load follows (encoder invariant).
            let o2 = unsafe { &*ip.add(1) };
            let v = load_le!(cx, o2, mem, len, ea!($wrap, a, o2.c), $t);
            wr!(sp, o2.a, u64::from(v));
            // SAFETY: continue after the fused pair.
            next!(unsafe { ip.add(2) }, sp, mem, len, cx);
        });
    )*};
}

addr_then_load! {
    AddImmLd32, |x, k| x.wrapping_add(k), offset, u32;
    AddImmLdW32, |x, k| x.wrapping_add(k), wrap, u32;
    AddImmLd64, |x, k| x.wrapping_add(k), offset, u64;
    AddImmLdW64, |x, k| x.wrapping_add(k), wrap, u64;
    ShlImmLd32, |x, k| x.wrapping_shl(k), offset, u32;
    ShlImmLdW32, |x, k| x.wrapping_shl(k), wrap, u32;
    ShlImmLd64, |x, k| x.wrapping_shl(k), offset, u64;
    ShlImmLdW64, |x, k| x.wrapping_shl(k), wrap, u64;
}

// Two `i32.add imm`s; the second reads its source after the first wrote its result.
op_fn!(AddImmAddImm, ip, |op, sp, mem, len, cx| {
    let x = (rd!(sp, op.b) as u32).wrapping_add(op.c);
    wr!(sp, op.a, u64::from(x));
    // SAFETY: the fused add follows (encoder invariant).
    let o2 = unsafe { &*ip.add(1) };
    let y = (rd!(sp, o2.b) as u32).wrapping_add(o2.c);
    wr!(sp, o2.a, u64::from(y));
    // SAFETY: continue after the fused pair.
    next!(unsafe { ip.add(2) }, sp, mem, len, cx);
});

// `i32.add imm` then a copy.
op_fn!(AddImmCopy, ip, |op, sp, mem, len, cx| {
    let x = (rd!(sp, op.b) as u32).wrapping_add(op.c);
    wr!(sp, op.a, u64::from(x));
    // SAFETY: the fused copy follows (encoder invariant).
    let o2 = unsafe { &*ip.add(1) };
    wr!(sp, o2.a, rd!(sp, o2.b));
    // SAFETY: continue after the fused pair.
    next!(unsafe { ip.add(2) }, sp, mem, len, cx);
});

// Loop closers.

/// The sum of the addition op `op`: `i32.add`, `i32.add imm`, `i64.add imm` (immediates are
/// sign-extended like the plain `*Imm` handlers).
macro_rules! sum {
    (sum32, $op:ident, $sp:ident) => {
        u64::from((rd!($sp, $op.b) as u32).wrapping_add(rd!($sp, $op.c) as u32))
    };
    (sumimm32, $op:ident, $sp:ident) => {
        u64::from((rd!($sp, $op.b) as u32).wrapping_add($op.c))
    };
    (sumimm64, $op:ident, $sp:ident) => {
        rd!($sp, $op.b).wrapping_add(i64::from($op.c as i32) as u64)
    };
}

/// An addition, then a branch on `sum <cmp> other`, where `other` is slot `op.d` (`slot`) or
/// the branch's immediate (`imm`, sign-extended like the plain `*Imm` branches).
macro_rules! add_br {
    ($($name:ident, $sum:ident, $t:ty, $cmp:tt, $form:ident;)*) => {$(
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let sum: u64 = sum!($sum, op, sp);
            wr!(sp, op.a, sum);
            // SAFETY: the fused branch follows (encoder invariant).
            let br = unsafe { ip.add(1) };
            // SAFETY: as above.
            let o2 = unsafe { &*br };
            let other: u64 = add_br!(@other $form, op, sp, o2);
            if (sum as $t) $cmp (other as $t) {
                jump!(br, o2.c, sp, mem, len, cx);
            }
            // SAFETY: continue after the fused pair.
            next!(unsafe { ip.add(2) }, sp, mem, len, cx);
        });
    )*};
    (@other slot, $op:ident, $sp:ident, $o2:ident) => { rd!($sp, $op.d) };
    (@other imm, $op:ident, $sp:ident, $o2:ident) => { i64::from($o2.b as i32) as u64 };
}

add_br! {
    AddBrEq, sum32, u32, ==, slot;
    AddBrNe, sum32, u32, !=, slot;
    AddBrLtS, sum32, i32, <, slot;
    AddBrLtU, sum32, u32, <, slot;
    AddBrGtS, sum32, i32, >, slot;
    AddBrGtU, sum32, u32, >, slot;
    AddBrLeS, sum32, i32, <=, slot;
    AddBrLeU, sum32, u32, <=, slot;
    AddBrGeS, sum32, i32, >=, slot;
    AddBrGeU, sum32, u32, >=, slot;
    AddBrEqImm, sum32, u32, ==, imm;
    AddBrNeImm, sum32, u32, !=, imm;
    AddBrLtSImm, sum32, i32, <, imm;
    AddBrLtUImm, sum32, u32, <, imm;
    AddBrGtSImm, sum32, i32, >, imm;
    AddBrGtUImm, sum32, u32, >, imm;
    AddBrLeSImm, sum32, i32, <=, imm;
    AddBrLeUImm, sum32, u32, <=, imm;
    AddBrGeSImm, sum32, i32, >=, imm;
    AddBrGeUImm, sum32, u32, >=, imm;
    AddImmBrEq, sumimm32, u32, ==, slot;
    AddImmBrNe, sumimm32, u32, !=, slot;
    AddImmBrLtS, sumimm32, i32, <, slot;
    AddImmBrLtU, sumimm32, u32, <, slot;
    AddImmBrGtS, sumimm32, i32, >, slot;
    AddImmBrGtU, sumimm32, u32, >, slot;
    AddImmBrLeS, sumimm32, i32, <=, slot;
    AddImmBrLeU, sumimm32, u32, <=, slot;
    AddImmBrGeS, sumimm32, i32, >=, slot;
    AddImmBrGeU, sumimm32, u32, >=, slot;
    AddImmBrEqImm, sumimm32, u32, ==, imm;
    AddImmBrNeImm, sumimm32, u32, !=, imm;
    AddImmBrLtSImm, sumimm32, i32, <, imm;
    AddImmBrLtUImm, sumimm32, u32, <, imm;
    AddImmBrGtSImm, sumimm32, i32, >, imm;
    AddImmBrGtUImm, sumimm32, u32, >, imm;
    AddImmBrLeSImm, sumimm32, i32, <=, imm;
    AddImmBrLeUImm, sumimm32, u32, <=, imm;
    AddImmBrGeSImm, sumimm32, i32, >=, imm;
    AddImmBrGeUImm, sumimm32, u32, >=, imm;
    AddImm64BrEqImm, sumimm64, u64, ==, imm;
    AddImm64BrNeImm, sumimm64, u64, !=, imm;
    AddImm64BrLtSImm, sumimm64, i64, <, imm;
    AddImm64BrLtUImm, sumimm64, u64, <, imm;
    AddImm64BrGtSImm, sumimm64, i64, >, imm;
    AddImm64BrGtUImm, sumimm64, u64, >, imm;
    AddImm64BrLeSImm, sumimm64, i64, <=, imm;
    AddImm64BrLeUImm, sumimm64, u64, <=, imm;
    AddImm64BrGeSImm, sumimm64, i64, >=, imm;
    AddImm64BrGeUImm, sumimm64, u64, >=, imm;
}
