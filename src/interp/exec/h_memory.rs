//! Handlers: loads, stores and memory instructions on the default memory.
//!
//! Every access is checked explicitly against the current length (`len`, in a register) by
//! the macros of `bounds.rs`: the interpreter never relies on guard pages or signals.

use std::sync::atomic::Ordering;

use super::bounds::memory_len;
use crate::error::TrapCode;
use crate::types::WASM_PAGE_SIZE;

/// Loads: operands `a` = destination slot, `b` = address slot, `c` = offset (`offset`) or
/// displacement (`wrap`, the `*W` forms); address and check in `bounds.rs`.
macro_rules! loads {
    ($($name:ident: $t:ty => |$v:ident| $conv:expr, $wrap:tt;)*) => {$(
        op_fn!($name, |op, sp, mem, len, cx| {
            let $v = load_le!(cx, op, mem, len, ea!($wrap, rd!(sp, op.b) as u32, op.c), $t);
            wr!(sp, op.a, $conv);
        });
    )*};
}

loads! {
    I32Load: u32 => |v| u64::from(v), offset;
    I64Load: u64 => |v| v, offset;
    I32Load8S: i8 => |v| u64::from(i32::from(v) as u32), offset;
    I32Load8U: u8 => |v| u64::from(v), offset;
    I32Load16S: i16 => |v| u64::from(i32::from(v) as u32), offset;
    I32Load16U: u16 => |v| u64::from(v), offset;
    I64Load8S: i8 => |v| i64::from(v) as u64, offset;
    I64Load8U: u8 => |v| u64::from(v), offset;
    I64Load16S: i16 => |v| i64::from(v) as u64, offset;
    I64Load16U: u16 => |v| u64::from(v), offset;
    I64Load32S: i32 => |v| i64::from(v) as u64, offset;
    I64Load32U: u32 => |v| u64::from(v), offset;
    I32LoadW: u32 => |v| u64::from(v), wrap;
    I64LoadW: u64 => |v| v, wrap;
    I32Load8SW: i8 => |v| u64::from(i32::from(v) as u32), wrap;
    I32Load8UW: u8 => |v| u64::from(v), wrap;
    I32Load16SW: i16 => |v| u64::from(i32::from(v) as u32), wrap;
    I32Load16UW: u16 => |v| u64::from(v), wrap;
}

/// Stores: operands `a` = address slot, `b` = value slot, `c` = offset or displacement.
macro_rules! stores {
    ($($name:ident: $t:ty, $wrap:tt;)*) => {$(
        op_fn!($name, |op, sp, mem, len, cx| {
            let ea = ea!($wrap, rd!(sp, op.a) as u32, op.c);
            // The value is read after the check (as `store_le!` evaluates it).
            store_le!(cx, op, mem, len, ea, $t, rd!(sp, op.b) as $t);
        });
    )*};
}

stores! {
    I32Store: u32, offset;
    I64Store: u64, offset;
    I32Store8: u8, offset;
    I32Store16: u16, offset;
    I64Store32: u32, offset;
    I32StoreW: u32, wrap;
    I64StoreW: u64, wrap;
    I32Store8W: u8, wrap;
    I32Store16W: u16, wrap;
}

op_fn!(MemorySize, |op, sp, mem, len, cx| {
    wr!(sp, op.a, len / WASM_PAGE_SIZE);
});

op_fn!(MemoryGrow, |op, sp, mem, len, cx| {
    let delta = u64::from(rd!(sp, op.b) as u32);
    // SAFETY: `cx` is live; `memobj` is null or points into a live Arc.
    let m = unsafe { (*cx).memobj };
    let r = if m.is_null() {
        None
    } else {
        // SAFETY: as above.
        unsafe { (*m).grow(delta) }
    };
    wr!(sp, op.a, u64::from(r.map_or(u32::MAX, |old| old as u32)));
    // SAFETY: `cx` is live.
    len = unsafe { memory_len(cx, len) };
});

/// Bulk operations go through the bounds-checked `LinearMemory` methods; a range they refuse
/// takes the shared-heap slow path `slow_mem::$slow` (or traps).
macro_rules! bulk {
    ($cx:ident, $op:ident, |$m:ident| $e:expr, $slow:ident($($arg:expr),*)) => {{
        // SAFETY: `cx` is live; `memobj` is null or points into a live Arc.
        let p = unsafe { (*$cx).memobj };
        let done = !p.is_null() && {
            // SAFETY: non-null, live (see above).
            let $m = unsafe { &*p };
            $e.is_ok()
        };
        if !done {
            // SAFETY: `cx` is the live context.
            if !unsafe { super::slow_mem::$slow($cx, $($arg),*) } {
                trap!($cx, $op, TrapCode::MemoryOutOfBounds);
            }
        }
    }};
}

op_fn!(MemoryFill, |op, sp, mem, len, cx| {
    let (d, v, n) = (
        u64::from(rd!(sp, op.a) as u32),
        rd!(sp, op.b) as u8,
        u64::from(rd!(sp, op.c) as u32),
    );
    bulk!(cx, op, |m| m.fill(d, v, n), fill(d, v, n));
});

op_fn!(MemoryCopy, |op, sp, mem, len, cx| {
    let (d, s, n) = (
        u64::from(rd!(sp, op.a) as u32),
        u64::from(rd!(sp, op.b) as u32),
        u64::from(rd!(sp, op.c) as u32),
    );
    bulk!(cx, op, |m| m.copy_within(d, s, n), copy(d, s, n));
});

op_fn!(MemoryInit, ip, |op, sp, mem, len, cx| {
    let (seg, _) = meta!(ip);
    let d = u64::from(rd!(sp, op.a) as u32);
    let s = u64::from(rd!(sp, op.b) as u32);
    let n = u64::from(rd!(sp, op.c) as u32);
    // SAFETY: `cx.inst` is live; the segment index was validated.
    let data = unsafe { (*(*cx).inst).data(seg) };
    if s + n > data.len() as u64 {
        trap!(cx, op, TrapCode::MemoryOutOfBounds);
    }
    let bytes = &data[s as usize..(s + n) as usize];
    bulk!(cx, op, |m| m.write(d, bytes), init(d, bytes));
    // SAFETY: skip the Meta op (module invariants).
    next!(unsafe { ip.add(2) }, sp, mem, len, cx);
});

op_fn!(DataDrop, |op, sp, mem, len, cx| {
    // SAFETY: `cx.inst` is live; the segment index was validated.
    unsafe { (&(*(*cx).inst).data_dropped)[op.a as usize].store(true, Ordering::Relaxed) };
});
