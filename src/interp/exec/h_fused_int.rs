//! Integer superinstructions: pairs that dominate loops over arrays and pointers.
//!
//! - `i32 load` → compare-and-branch on the loaded value (`while (a[i] < pivot)`);
//! - `i32.add imm` / `i32.shl imm` → load through the result (`p += 4; *p`, `a[i << 2]`);
//! - `i32.add imm` → `i32.add imm` (two induction updates);
//! - `i32.add imm` → `copy` of anything.
//!
//! As in `h_fused`, each handler executes its own op (operands in `op`) and then the next op
//! (operands read from `ip + 1`, which keeps its own plain handler for branches that land on
//! it), passing the linking value in a register, and continues at `ip + 2` (or branches
//! relative to `ip + 1`). Both ops keep all their effects, including the linking value's slot
//! write, and a trap names the op that trapped.
//!
//! For load → compare-and-branch the encoder puts the comparison's *other* operand slot in the
//! load op's spare `d` field and picks the handler with the comparison normalised so that the
//! loaded value is its left-hand side.

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
