//! Handlers: table instructions.

use std::sync::atomic::Ordering;

use super::cap_hooks::{guard_copy, guard_value, guarded};
use crate::error::TrapCode;
use crate::runtime::TableAddr;
use crate::runtime::compartment::TableAccess;

/// Capability guard of an imported externref table (capability-model §8): a flag test, and an
/// out-of-line check only for such tables.
macro_rules! guard {
    ($cx:ident, $t:expr, $v:expr, $access:expr) => {
        // SAFETY: `cx` is live; the table index was validated.
        if unsafe { guarded($cx, $t) } && !unsafe { guard_value($cx, $v, $access) } {
            return crate::interp::machine::TRAPPED;
        }
    };
}

/// The store address of table `t` of the current instance.
macro_rules! table_addr {
    ($cx:ident, $t:expr) => {{
        // SAFETY: `cx.inst` is live; the table index was validated.
        let a: TableAddr = unsafe { (&(*(*$cx).inst).tables)[$t as usize] };
        a
    }};
}

/// The store, mutably (no other reference to it is live while a handler runs).
macro_rules! store {
    ($cx:ident) => {
        // SAFETY: `cx.store` is live and only accessed through `cx` during the invocation.
        unsafe { &mut *(*$cx).store }
    };
}

op_fn!(TableGet, |op, sp, mem, len, cx| {
    let t = table_addr!(cx, op.c);
    let i = rd!(sp, op.b) as u32;
    let v = tryc!(
        cx,
        op,
        store!(cx).tables[t.index()]
            .get(i)
            .map_err(|_| TrapCode::TableOutOfBounds)
    );
    guard!(cx, op.c, v, TableAccess::Read);
    wr!(sp, op.a, v);
});

op_fn!(TableSet, |op, sp, mem, len, cx| {
    let t = table_addr!(cx, op.c);
    let (i, v) = (rd!(sp, op.a) as u32, rd!(sp, op.b));
    guard!(cx, op.c, v, TableAccess::Write);
    tryc!(
        cx,
        op,
        store!(cx).tables[t.index()]
            .set(i, v)
            .map_err(|_| TrapCode::TableOutOfBounds)
    );
});

op_fn!(TableSize, |op, sp, mem, len, cx| {
    let t = table_addr!(cx, op.b);
    wr!(sp, op.a, u64::from(store!(cx).tables[t.index()].size()));
});

op_fn!(TableGrow, ip, |op, sp, mem, len, cx| {
    let (table, _) = meta!(ip);
    let t = table_addr!(cx, table);
    let (v, d) = (rd!(sp, op.b), rd!(sp, op.c) as u32);
    guard!(cx, table, v, TableAccess::Write);
    let r = store!(cx).tables[t.index()].grow(d, v);
    wr!(sp, op.a, u64::from(r.unwrap_or(u32::MAX)));
    // SAFETY: skip the Meta op (module invariants).
    next!(unsafe { ip.add(2) }, sp, mem, len, cx);
});

op_fn!(TableFill, ip, |op, sp, mem, len, cx| {
    let (table, _) = meta!(ip);
    let t = table_addr!(cx, table);
    let (i, v, n) = (rd!(sp, op.a) as u32, rd!(sp, op.b), rd!(sp, op.c) as u32);
    guard!(cx, table, v, TableAccess::Write);
    tryc!(
        cx,
        op,
        store!(cx).tables[t.index()]
            .fill(i, v, n)
            .map_err(|_| TrapCode::TableOutOfBounds)
    );
    // SAFETY: skip the Meta op (module invariants).
    next!(unsafe { ip.add(2) }, sp, mem, len, cx);
});

op_fn!(TableCopy, ip, |op, sp, mem, len, cx| {
    let (dt, st) = meta!(ip);
    let (da, sa) = (table_addr!(cx, dt), table_addr!(cx, st));
    let (d, s, n) = (
        rd!(sp, op.a) as u32,
        rd!(sp, op.b) as u32,
        rd!(sp, op.c) as u32,
    );
    // SAFETY: `cx` is live; the table indices were validated.
    let guarded_copy = unsafe { guarded(cx, dt) || guarded(cx, st) };
    // SAFETY: as above.
    if guarded_copy && !unsafe { guard_copy(cx, (dt, st), sa, s, n) } {
        return crate::interp::machine::TRAPPED;
    }
    tryc!(
        cx,
        op,
        store!(cx)
            .table_copy(da, sa, d, s, n)
            .map_err(|_| TrapCode::TableOutOfBounds)
    );
    // SAFETY: skip the Meta op (module invariants).
    next!(unsafe { ip.add(2) }, sp, mem, len, cx);
});

op_fn!(TableInit, ip, |op, sp, mem, len, cx| {
    let (table, seg) = meta!(ip);
    let t = table_addr!(cx, table);
    // SAFETY: `cx.inst` is live; the segment index was validated.
    let items = unsafe { (*(*cx).inst).elem(seg) };
    let (d, s, n) = (
        rd!(sp, op.a) as u32,
        rd!(sp, op.b) as u32,
        rd!(sp, op.c) as u32,
    );
    // Into a table shared with another compartment: every reference written is checked (the
    // out-of-range part, if any, is left to `init` to report).
    // SAFETY: `cx` is live; the table index was validated.
    if unsafe { guarded(cx, table) } {
        let end = (s as usize).saturating_add(n as usize).min(items.len());
        for &v in items.get(s as usize..end).unwrap_or(&[]) {
            // SAFETY: `cx` is live.
            if !unsafe { guard_value(cx, v, TableAccess::Write) } {
                return crate::interp::machine::TRAPPED;
            }
        }
    }
    tryc!(
        cx,
        op,
        store!(cx).tables[t.index()]
            .init(d, items, s, n)
            .map_err(|_| TrapCode::TableOutOfBounds)
    );
    // SAFETY: skip the Meta op (module invariants).
    next!(unsafe { ip.add(2) }, sp, mem, len, cx);
});

op_fn!(ElemDrop, |op, sp, mem, len, cx| {
    // SAFETY: `cx.inst` is live; the segment index was validated.
    unsafe { (&(*(*cx).inst).elem_dropped)[op.a as usize].store(true, Ordering::Relaxed) };
});
