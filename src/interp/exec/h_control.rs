//! Handlers: branches, copies, constants, select, globals.

use crate::error::TrapCode;
use crate::runtime::compartment::TableAccess;
use crate::runtime::value::funcref_bits;

op_fn!(Meta, |op, sp, mem, len, cx| {
    trap!(cx, op, TrapCode::Unreachable);
});

op_fn!(Unreachable, |op, sp, mem, len, cx| {
    trap!(cx, op, TrapCode::Unreachable);
});

op_fn!(Trap, |op, sp, mem, len, cx| {
    trap!(
        cx,
        op,
        TrapCode::from_u32(op.a).unwrap_or(TrapCode::Unreachable)
    );
});

op_fn!(Br, ip, |op, sp, mem, len, cx| {
    jump!(ip, op.a, sp, mem, len, cx);
});

macro_rules! br_cond {
    ($name:ident, |$v:ident| $cond:expr) => {
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let $v = rd!(sp, op.a);
            if $cond {
                jump!(ip, op.b, sp, mem, len, cx);
            }
        });
    };
}

br_cond!(BrIfNez, |v| v as u32 != 0);
br_cond!(BrIfEqz, |v| v as u32 == 0);
br_cond!(BrIfI64Nez, |v| v != 0);
br_cond!(BrIfI64Eqz, |v| v == 0);

op_fn!(BrTable, ip, |op, sp, mem, len, cx| {
    let i = (rd!(sp, op.a) as u32).min(op.b);
    // SAFETY: `len + 1` Br entries follow the table (module invariants).
    next!(unsafe { ip.add(1 + i as usize) }, sp, mem, len, cx);
});

macro_rules! br_cmp {
    ($($name:ident, $t:ty, $op:tt;)*) => {$(
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let a = rd!(sp, op.a) as $t;
            let b = rd!(sp, op.b) as $t;
            if a $op b {
                jump!(ip, op.c, sp, mem, len, cx);
            }
        });
    )*};
}

br_cmp! {
    BrI32Eq, u32, ==; BrI32Ne, u32, !=; BrI32LtS, i32, <; BrI32LtU, u32, <;
    BrI32GtS, i32, >; BrI32GtU, u32, >; BrI32LeS, i32, <=; BrI32LeU, u32, <=;
    BrI32GeS, i32, >=; BrI32GeU, u32, >=;
    BrI64Eq, u64, ==; BrI64Ne, u64, !=; BrI64LtS, i64, <; BrI64LtU, u64, <;
    BrI64GtS, i64, >; BrI64GtU, u64, >; BrI64LeS, i64, <=; BrI64LeU, u64, <=;
    BrI64GeS, i64, >=; BrI64GeU, u64, >=;
}

// Immediate forms: the i32 immediate is sign-extended for the 64-bit comparisons.
macro_rules! br_cmp_imm {
    ($($name:ident, $t:ty, $op:tt;)*) => {$(
        op_fn!($name, ip, |op, sp, mem, len, cx| {
            let a = rd!(sp, op.a) as $t;
            let b = i64::from(op.b as i32) as $t;
            if a $op b {
                jump!(ip, op.c, sp, mem, len, cx);
            }
        });
    )*};
}

br_cmp_imm! {
    BrI32EqImm, u32, ==; BrI32NeImm, u32, !=; BrI32LtSImm, i32, <; BrI32LtUImm, u32, <;
    BrI32GtSImm, i32, >; BrI32GtUImm, u32, >; BrI32LeSImm, i32, <=; BrI32LeUImm, u32, <=;
    BrI32GeSImm, i32, >=; BrI32GeUImm, u32, >=;
    BrI64EqImm, u64, ==; BrI64NeImm, u64, !=; BrI64LtSImm, i64, <; BrI64LtUImm, u64, <;
    BrI64GtSImm, i64, >; BrI64GtUImm, u64, >; BrI64LeSImm, i64, <=; BrI64LeUImm, u64, <=;
    BrI64GeSImm, i64, >=; BrI64GeUImm, u64, >=;
}

op_fn!(Copy, |op, sp, mem, len, cx| {
    wr!(sp, op.a, rd!(sp, op.b));
});

// Two sequential copies (`a <- b`, then `c <- d`); the second Copy op is skipped.
op_fn!(CopyPair, ip, |op, sp, mem, len, cx| {
    wr!(sp, op.a, rd!(sp, op.b));
    wr!(sp, op.c, rd!(sp, op.d));
    // SAFETY: the fused second copy follows (encoder invariant).
    next!(unsafe { ip.add(2) }, sp, mem, len, cx);
});

op_fn!(Copy2, |op, sp, mem, len, cx| {
    let (x, y) = (rd!(sp, op.b), rd!(sp, op.c));
    wr!(sp, op.a, x);
    wr!(sp, op.a + 1, y);
});

op_fn!(Const, |op, sp, mem, len, cx| {
    wr!(sp, op.a, op.imm64());
});

op_fn!(Select, ip, |op, sp, mem, len, cx| {
    let (cond, _) = meta!(ip);
    let v = if rd!(sp, cond) as u32 != 0 {
        rd!(sp, op.b)
    } else {
        rd!(sp, op.c)
    };
    wr!(sp, op.a, v);
    // SAFETY: skip the Meta op (module invariants).
    next!(unsafe { ip.add(2) }, sp, mem, len, cx);
});

op_fn!(GlobalGet, |op, sp, mem, len, cx| {
    // SAFETY: `cx.inst` is live; the global index was validated.
    let v = unsafe { (&(*(*cx).inst).globals)[op.b as usize].get() };
    wr!(sp, op.a, v);
});

op_fn!(GlobalSet, |op, sp, mem, len, cx| {
    let v = rd!(sp, op.a);
    // SAFETY: `cx.inst` is live; the global index was validated.
    unsafe { (&(*(*cx).inst).globals)[op.b as usize].set(v) };
});

// Imported externref globals are shared between compartments like imported tables: a
// reference read out must be GLOBAL, null or the reader's own; one written must be GLOBAL or
// null (capability-model §8).
op_fn!(GlobalGetGuarded, |op, sp, mem, len, cx| {
    // SAFETY: `cx.inst` is live; the global index was validated.
    let v = unsafe { (&(*(*cx).inst).globals)[op.b as usize].get() };
    // SAFETY: `cx` is live.
    if !unsafe { super::cap_hooks::guard_value(cx, v, TableAccess::Read) } {
        return crate::interp::machine::TRAPPED;
    }
    wr!(sp, op.a, v);
});

op_fn!(GlobalSetGuarded, |op, sp, mem, len, cx| {
    let v = rd!(sp, op.a);
    // SAFETY: `cx` is live.
    if !unsafe { super::cap_hooks::guard_value(cx, v, TableAccess::Write) } {
        return crate::interp::machine::TRAPPED;
    }
    // SAFETY: `cx.inst` is live; the global index was validated.
    unsafe { (&(*(*cx).inst).globals)[op.b as usize].set(v) };
});

op_fn!(RefFunc, |op, sp, mem, len, cx| {
    // SAFETY: `cx.inst` is live; the function index was validated.
    let a = unsafe { (&(*(*cx).inst).funcs)[op.b as usize] };
    wr!(sp, op.a, funcref_bits(a));
});
