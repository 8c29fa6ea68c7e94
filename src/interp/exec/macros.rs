//! Building blocks for handlers.

/// Define a handler: `op_fn!(Name, |op, sp, mem, len, cx| { body })`. The body reads the op's
/// operands through `op`; falling off its end continues with the next op. Bodies may `return`
/// early (traps, jumps).
macro_rules! op_fn {
    ($name:ident, |$op:ident, $sp:ident, $mem:ident, $len:ident, $cx:ident| $body:block) => {
        op_fn!($name, ip, |$op, $sp, $mem, $len, $cx| $body);
    };
    ($name:ident, $ip:ident, |$op:ident, $sp:ident, $mem:ident, $len:ident, $cx:ident| $body:block) => {
        #[allow(non_snake_case, unused_variables, unused_mut, unreachable_code)]
        pub(crate) unsafe extern "C" fn $name(
            $ip: *const $crate::interp::machine::Op,
            mut $sp: *mut u64,
            mut $mem: *mut u8,
            mut $len: u64,
            $cx: *mut $crate::interp::machine::Cx,
        ) -> u64 {
            // SAFETY: the dispatcher passes a pointer to this handler's op.
            let $op = unsafe { &*$ip };
            $body
            // SAFETY: a non-branching op is followed by another op (module invariants).
            next!(unsafe { $ip.add(1) }, $sp, $mem, $len, $cx)
        }
    };
}

/// Read slot `s` of the frame at `sp`.
macro_rules! rd {
    ($sp:expr, $s:expr) => {{
        // SAFETY: slot operands are inside the frame (module invariants).
        unsafe { *$sp.add($s as usize) }
    }};
}

/// Write slot `s` of the frame at `sp`.
macro_rules! wr {
    ($sp:expr, $s:expr, $v:expr) => {{
        let v: u64 = $v;
        // SAFETY: slot operands are inside the frame (module invariants).
        unsafe { *$sp.add($s as usize) = v }
    }};
}

/// Return from the handler with a trap code, recording the trapping op `op`.
macro_rules! trap {
    ($cx:expr, $op:expr, $c:expr) => {
        // SAFETY: `cx` is the live context; `op` is the current op.
        return unsafe { $crate::interp::machine::trap_code_at($cx, $op, $c) }
    };
}

/// Unwrap a `Result<T, TrapCode>` or trap.
macro_rules! tryc {
    ($cx:expr, $op:expr, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(c) => trap!($cx, $op, c),
        }
    };
}

/// Trap if another thread asked this store to stop.
macro_rules! check_interrupt {
    ($cx:expr, $op:expr) => {
        // SAFETY: `cx` and its interrupt flag are live for the invocation.
        if unsafe { (*(*$cx).interrupt).load(std::sync::atomic::Ordering::Relaxed) } != 0 {
            trap!($cx, $op, $crate::error::TrapCode::TerminatedByUser);
        }
    };
}

/// Jump by `off` ops relative to `ip` (checking for interrupts on backward jumps).
macro_rules! jump {
    ($ip:ident, $off:expr, $sp:expr, $mem:expr, $len:expr, $cx:expr) => {{
        let off = $off as i32;
        if off <= 0 {
            check_interrupt!($cx, $ip);
        }
        // SAFETY: branch targets are ops of the same function (module invariants).
        next!(unsafe { $ip.offset(off as isize) }, $sp, $mem, $len, $cx)
    }};
}

/// The operands of the `Meta` op following `ip`.
macro_rules! meta {
    ($ip:ident) => {{
        // SAFETY: a Meta op follows the ops that read one (module invariants).
        let m = unsafe { &*$ip.add(1) };
        (m.a, m.b)
    }};
}
