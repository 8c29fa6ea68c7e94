//! The interpreter loop.
//!
//! A `loop { match *ip { ... } }` over [`Instr`]s with the hot state in locals: the instruction
//! pointer, the frame base `sp`, the current instance and its default memory's base and length.
//! Calls push a [`Frame`] instead of recursing natively, so wasm recursion depth is bounded by
//! the exec env's stack and traps with `wasm operand stack overflow`. This loop is the
//! *dispatch seam*: a threaded tail-call backend can replace it with the same handler bodies.
//!
//! # Invariants
//! The translator (see `translate/mod.rs`) guarantees, for code it produced:
//! - every slot operand is `< frame_size` of its function, and a frame is entered only after
//!   checking `sp + frame_size <= end of stack`, so every slot access is inside the stack;
//! - every branch lands on an instruction of the same function, `Meta` words follow the
//!   instructions that read them, and every path ends in a return;
//! - global, function, table, type, segment indices are valid for the module (validated).
//!
//! `inst` points into an `Arc<Instance>` owned by the store, which outlives this call and never
//! drops instances; `mem` points into the instance's `Arc<LinearMemory>`; `mem_base..+mem_len`
//! is accessible memory (re-read after anything that may grow it).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::isa::Instr;
use super::num;
use super::stack::{Frame, Stack};
use crate::error::{Trap, TrapCode};
use crate::runtime::compartment::{self, TableAccess};
use crate::runtime::value::{funcref_addr, funcref_bits};
use crate::runtime::{Caller, FuncAddr, FuncKind, Instance, LinearMemory, Store, TableAddr};
use crate::types::DefinedFuncIdx;

/// Call `func` on `stack` with raw cells (args in, results out).
pub(crate) fn invoke(
    store: &mut Store,
    stack: &mut Stack,
    func: FuncAddr,
    cells: &mut [u64],
) -> Result<(), Trap> {
    if store.interrupt.load(Ordering::Relaxed) != 0 {
        return Err(Trap::Code(TrapCode::TerminatedByUser));
    }
    let entity = store
        .funcs
        .get(func.index())
        .ok_or(Trap::Code(TrapCode::InvalidFunctionIndex))?;
    let nres = entity.ty.results().len();
    let (inst_addr, def) = match &entity.kind {
        FuncKind::Host(h) => {
            let f = h.callback.clone();
            let mut caller = Caller {
                store,
                stack,
                instance: None,
            };
            return f(&mut caller, cells);
        }
        FuncKind::Unlinked { module, name } => {
            return Err(Trap::UnlinkedImport {
                module: module.clone(),
                name: name.clone(),
            });
        }
        FuncKind::Wasm { instance, def } => (*instance, *def),
    };
    let inst: Arc<Instance> = store.instances[inst_addr.index()].clone();
    if inst.compartment.is_poisoned() {
        return Err(compartment::poisoned_trap(&inst.compartment));
    }
    let module = &*inst.module.inner;
    let code = module.code.get(module, def)?;
    let base = stack.top;
    if base + code.frame_size as usize > stack.capacity() {
        return Err(Trap::Code(TrapCode::OperandStackOverflow));
    }
    // SAFETY: `base + frame_size <= capacity` (checked above), so the frame is inside the stack.
    let sp = unsafe { stack.base_ptr().add(base) };
    let np = code.num_params as usize;
    // SAFETY: params and locals are inside the frame just checked; `cells` is a distinct buffer.
    unsafe {
        std::ptr::copy_nonoverlapping(cells.as_ptr(), sp, np.min(cells.len()));
        std::ptr::write_bytes(sp.add(np), 0, code.num_locals as usize);
    }
    let depth = stack.frames.len();
    let saved_top = stack.top;
    let mark = stack.switcher.mark();
    // SAFETY: the code, the frame and the instance satisfy the invariants of `run`.
    let r = unsafe {
        run(
            store,
            stack,
            Arc::as_ptr(&inst),
            code.code.as_ptr(),
            sp,
            depth,
        )
    };
    stack.frames.truncate(depth);
    stack.top = saved_top;
    if let Err(e) = &r {
        compartment::unwind(store, &mut stack.switcher, mark, &inst, e);
    }
    r?;
    // SAFETY: results are in the first cells of the frame, which is inside the stack.
    unsafe { std::ptr::copy_nonoverlapping(sp, cells.as_mut_ptr(), nres.min(cells.len())) };
    Ok(())
}

/// Call a host function from interpreted code: arguments at `args`, results written back there.
///
/// # Safety
/// `args .. args + max(params, results)` must be inside `stack`'s cells and not used by any
/// live frame other than as this call's arguments/results.
unsafe fn call_host(
    store: &mut Store,
    stack: &mut Stack,
    func: FuncAddr,
    caller: crate::runtime::InstanceAddr,
    args: *mut u64,
) -> Result<(), Trap> {
    let e = &store.funcs[func.index()];
    let n = e.ty.params().len().max(e.ty.results().len());
    let FuncKind::Host(h) = &e.kind else {
        unreachable!("call_host on a host function")
    };
    let f = h.callback.clone();
    let mut small = [0u64; 16];
    let mut big;
    let buf: &mut [u64] = if n <= small.len() {
        &mut small[..n]
    } else {
        big = vec![0u64; n];
        &mut big
    };
    // SAFETY: the caller guarantees `args..args+n` is inside the stack; `buf` is distinct.
    unsafe { std::ptr::copy_nonoverlapping(args, buf.as_mut_ptr(), n) };
    let saved_top = stack.top;
    // SAFETY: `args` points into the stack's allocation, at or after its base.
    stack.top = unsafe { args.offset_from(stack.base_ptr()) } as usize;
    let r = f(
        &mut Caller {
            store,
            stack,
            instance: Some(caller),
        },
        buf,
    );
    stack.top = saved_top;
    r?;
    // SAFETY: as above.
    unsafe { std::ptr::copy_nonoverlapping(buf.as_ptr(), args, n) };
    Ok(())
}

/// The switcher's entry check for a call from `caller` into another instance `callee`
/// (capability-model §8). Kept out of line: only cross-instance calls get here.
///
/// # Safety
/// Both instances are alive (module invariant of `run`); `args` points at the call's
/// `params(func)` argument cells inside the caller's frame.
#[cold]
#[inline(never)]
unsafe fn switch_enter(
    store: &Store,
    stack: &mut Stack,
    caller: *const Instance,
    callee: *const Instance,
    func: FuncAddr,
    args: *const u64,
) -> Result<(), Trap> {
    let n = store.funcs[func.index()].ty.params().len();
    // SAFETY: see the function's contract.
    let (caller, callee, args) =
        unsafe { (&*caller, &*callee, std::slice::from_raw_parts(args, n)) };
    compartment::enter(store, &mut stack.switcher, caller, callee, func, args)
}

/// The switcher's exit check when a cross-instance call returns: pops the boundary and checks
/// externref results.
///
/// # Safety
/// `results` points at the returning frame's base, which holds its result cells.
#[cold]
#[inline(never)]
unsafe fn switch_leave(store: &Store, stack: &mut Stack, results: *const u64) -> Result<(), Trap> {
    let n = compartment::results_to_check(store, &stack.switcher);
    // SAFETY: see the function's contract; the first `n` cells of the frame are results.
    let cells = unsafe { std::slice::from_raw_parts(results, n) };
    compartment::leave(store, &mut stack.switcher, cells)
}

/// Guard of `table.copy` touching an imported externref table (see `check_table_range`).
#[cold]
#[inline(never)]
fn guard_table_copy(
    store: &Store,
    inst: &Instance,
    (dt, st): (u32, u32),
    src: TableAddr,
    s: u32,
    len: u32,
) -> Result<(), Trap> {
    // The values that move are `src[s..s + len]`: read out of an imported table, and/or
    // written into one.
    if inst.guarded_tables[st as usize] {
        compartment::check_table_range(store, inst, src, s, len, TableAccess::Read)?;
    }
    if inst.guarded_tables[dt as usize] {
        compartment::check_table_range(store, inst, src, s, len, TableAccess::Write)?;
    }
    Ok(())
}

/// The interpreter loop. Returns when the frame entered at depth `depth` returns.
///
/// # Safety
/// `ip` is the start of translated code of a function of `inst`, `sp` its frame base with
/// `frame_size` cells available and parameters/locals initialised, `inst` alive for the call
/// (see the module invariants).
#[allow(clippy::too_many_lines)]
unsafe fn run(
    store: &mut Store,
    stack: &mut Stack,
    mut inst: *const Instance,
    mut ip: *const Instr,
    mut sp: *mut u64,
    depth: usize,
) -> Result<(), Trap> {
    let interrupt = store.interrupt.clone();
    let stack_end = stack.end_ptr();
    let mut mem: *const LinearMemory;
    let mut mem_base: *mut u8;
    let mut mem_len: u64;

    macro_rules! load_mem {
        () => {{
            // SAFETY: `inst` is alive (module invariant).
            mem = match unsafe { (*inst).memories.first() } {
                Some(m) => Arc::as_ptr(m),
                None => std::ptr::null(),
            };
            if !mem.is_null() {
                // SAFETY: `mem` points into an Arc held by the instance.
                mem_base = unsafe { (*mem).base() };
                // SAFETY: as above.
                mem_len = unsafe { (*mem).len() } as u64;
            } else {
                mem_base = std::ptr::null_mut();
                mem_len = 0;
            }
        }};
    }
    macro_rules! reload_len {
        () => {
            if !mem.is_null() {
                // SAFETY: `mem` points into an Arc held by the instance.
                mem_len = unsafe { (*mem).len() } as u64;
            }
        };
    }
    load_mem!();

    macro_rules! trap {
        ($c:expr) => {
            return Err(Trap::Code($c))
        };
    }
    macro_rules! rd {
        ($s:expr) => {
            // SAFETY: slot operands are inside the frame (module invariant).
            unsafe { *sp.add($s as usize) }
        };
    }
    macro_rules! wr {
        ($s:expr, $v:expr) => {{
            let v: u64 = $v;
            // SAFETY: slot operands are inside the frame (module invariant).
            unsafe { *sp.add($s as usize) = v }
        }};
    }
    macro_rules! r32 {
        ($s:expr) => {
            (rd!($s) as u32)
        };
    }
    macro_rules! ri32 {
        ($s:expr) => {
            (rd!($s) as u32 as i32)
        };
    }
    macro_rules! ri64 {
        ($s:expr) => {
            (rd!($s) as i64)
        };
    }
    macro_rules! rf32 {
        ($s:expr) => {
            f32::from_bits(rd!($s) as u32)
        };
    }
    macro_rules! rf64 {
        ($s:expr) => {
            f64::from_bits(rd!($s))
        };
    }
    macro_rules! w32 {
        ($s:expr, $v:expr) => {
            wr!($s, u64::from(($v) as u32))
        };
    }
    macro_rules! wf32 {
        ($s:expr, $v:expr) => {
            wr!($s, u64::from(f32::to_bits($v)))
        };
    }
    macro_rules! wf64 {
        ($s:expr, $v:expr) => {
            wr!($s, f64::to_bits($v))
        };
    }
    macro_rules! meta {
        () => {
            // SAFETY: a `Meta` word follows the instruction (module invariant).
            match unsafe { *ip.add(1) } {
                Instr::Meta { a, b, c } => (a, b, c),
                _ => unreachable!("Meta word expected"),
            }
        };
    }
    macro_rules! check_interrupt {
        () => {
            if interrupt.load(Ordering::Relaxed) != 0 {
                trap!(TrapCode::TerminatedByUser);
            }
        };
    }
    macro_rules! jump {
        ($off:expr) => {{
            let off: i32 = $off;
            if off <= 0 {
                check_interrupt!();
            }
            // SAFETY: branch targets are inside the function's code (module invariant).
            ip = unsafe { ip.offset(off as isize) };
            continue;
        }};
    }
    macro_rules! br_if {
        ($cond:expr, $off:expr) => {{
            if $cond {
                jump!($off);
            }
        }};
    }
    macro_rules! ea {
        ($addr:expr, $off:expr, $n:expr) => {{
            let ea = u64::from(r32!($addr)) + u64::from($off);
            if ea + $n > mem_len {
                trap!(TrapCode::MemoryOutOfBounds);
            }
            ea as usize
        }};
    }
    macro_rules! load {
        ($dst:expr, $addr:expr, $off:expr, $t:ty, $conv:expr) => {{
            let ea = ea!($addr, $off, std::mem::size_of::<$t>() as u64);
            // SAFETY: `[ea, ea + size)` is inside accessible memory (checked by `ea!`).
            let raw = unsafe { std::ptr::read_unaligned(mem_base.add(ea) as *const $t) };
            let v = <$t>::from_le(raw);
            wr!($dst, $conv(v));
        }};
    }
    macro_rules! store_mem {
        ($addr:expr, $src:expr, $off:expr, $t:ty) => {{
            let ea = ea!($addr, $off, std::mem::size_of::<$t>() as u64);
            let v = (rd!($src) as $t).to_le();
            // SAFETY: `[ea, ea + size)` is inside accessible memory (checked by `ea!`).
            unsafe { std::ptr::write_unaligned(mem_base.add(ea) as *mut $t, v) };
        }};
    }
    macro_rules! tryt {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(c) => trap!(c),
            }
        };
    }
    // Enter a wasm function `def` of instance `callee` with frame base `new_sp`; `adv` is the
    // size of the call instruction (1, or 2 with a Meta word).
    macro_rules! enter {
        ($callee:expr, $def:expr, $new_sp:expr, $adv:expr, $faddr:expr) => {{
            let callee: *const Instance = $callee;
            // SAFETY: `callee` is alive (module invariant).
            let module = unsafe { &*(*callee).module.inner };
            let code = module.code.get(module, $def)?;
            let new_sp: *mut u64 = $new_sp;
            if (stack_end as usize - new_sp as usize) / 8 < code.frame_size as usize
                || stack.frames.len() >= stack.max_frames
            {
                trap!(TrapCode::OperandStackOverflow);
            }
            check_interrupt!();
            // SAFETY: the declared locals lie inside the new frame, just checked to fit.
            unsafe {
                std::ptr::write_bytes(
                    new_sp.add(code.num_params as usize),
                    0,
                    code.num_locals as usize,
                )
            };
            stack.frames.push(Frame {
                // SAFETY: the return point is inside the caller's code.
                ip: unsafe { ip.add($adv) },
                sp,
                inst,
            });
            if callee != inst {
                // Crossing into another compartment: the switcher checks it (cold path).
                // SAFETY: both instances are alive; the arguments are at the new frame's base.
                unsafe { switch_enter(store, stack, inst, callee, $faddr, new_sp)? };
                sp = new_sp;
                ip = code.code.as_ptr();
                inst = callee;
                load_mem!();
            } else {
                sp = new_sp;
                ip = code.code.as_ptr();
            }
            continue;
        }};
    }
    // Capability guard on an imported externref table (capability-model §8); a flag test
    // otherwise.
    macro_rules! guard_table {
        ($table:expr, $v:expr, $access:expr) => {
            // SAFETY: `inst` is alive; `table` validated.
            if unsafe { (&(*inst).guarded_tables)[$table as usize] } {
                // SAFETY: `inst` is alive.
                compartment::check_table_access(unsafe { &*inst }, $v, $access)?;
            }
        };
    }
    // Call function `faddr` with arguments at slot `base`.
    macro_rules! call_addr {
        ($faddr:expr, $base:expr, $adv:expr) => {{
            let faddr: FuncAddr = $faddr;
            // SAFETY: `base` is a slot of the frame (module invariant).
            let args = unsafe { sp.add($base as usize) };
            match &store.funcs[faddr.index()].kind {
                FuncKind::Wasm { instance, def } => {
                    let callee = Arc::as_ptr(&store.instances[instance.index()]);
                    enter!(callee, *def, args, $adv, faddr);
                }
                FuncKind::Host(_) => {
                    // SAFETY: `inst` is alive.
                    let caller = unsafe { (*inst).addr };
                    // SAFETY: the arguments occupy the top of the caller's frame; nothing above
                    // them is live.
                    unsafe { call_host(store, stack, faddr, caller, args)? };
                    reload_len!();
                }
                FuncKind::Unlinked { module, name } => {
                    return Err(Trap::UnlinkedImport {
                        module: module.clone(),
                        name: name.clone(),
                    });
                }
            }
        }};
    }
    macro_rules! ret {
        () => {{
            match stack.frames.pop() {
                Some(f) if stack.frames.len() >= depth => {
                    ip = f.ip;
                    if f.inst != inst {
                        // Returning across a compartment boundary: the switcher checks the
                        // results (cold path).
                        // SAFETY: the returning frame's results are at its base `sp`.
                        unsafe { switch_leave(store, stack, sp)? };
                        sp = f.sp;
                        inst = f.inst;
                        load_mem!();
                    } else {
                        sp = f.sp;
                        reload_len!();
                    }
                    continue;
                }
                Some(f) => {
                    stack.frames.push(f);
                    return Ok(());
                }
                None => return Ok(()),
            }
        }};
    }

    macro_rules! binop {
        ($i:expr, $rd:ident, $wr:ident, |$a:ident, $b:ident| $e:expr) => {{
            let (dst, lhs, rhs) = $i;
            let $a = $rd!(lhs);
            let $b = $rd!(rhs);
            $wr!(dst, $e);
        }};
    }
    macro_rules! binimm {
        ($i:expr, $rd:ident, $wr:ident, $t:ty, |$a:ident, $b:ident| $e:expr) => {{
            let (dst, lhs, imm) = $i;
            let $a = $rd!(lhs);
            let $b = imm as $t;
            $wr!(dst, $e);
        }};
    }
    macro_rules! w64 {
        ($s:expr, $v:expr) => {
            wr!($s, ($v) as u64)
        };
    }
    macro_rules! wb {
        ($s:expr, $v:expr) => {
            wr!($s, u64::from($v))
        };
    }

    loop {
        // SAFETY: `ip` always points at an instruction of the current function.
        let instr = unsafe { *ip };
        use Instr as I;
        match instr {
            I::Meta { .. } => unreachable!("Meta word executed"),
            I::Unreachable => trap!(TrapCode::Unreachable),
            I::Trap { code } => trap!(code),
            I::Br { offset } => jump!(offset),
            I::BrIfNez { cond, offset } => br_if!(r32!(cond) != 0, offset),
            I::BrIfEqz { cond, offset } => br_if!(r32!(cond) == 0, offset),
            I::BrIfI64Nez { cond, offset } => br_if!(rd!(cond) != 0, offset),
            I::BrIfI64Eqz { cond, offset } => br_if!(rd!(cond) == 0, offset),
            I::BrTable { index, len } => {
                let i = r32!(index).min(len);
                // SAFETY: `len + 1` `Br` entries follow the table (module invariant).
                ip = unsafe { ip.add(1 + i as usize) };
                continue;
            }
            I::BrI32Eq { lhs, rhs, offset } => br_if!(r32!(lhs) == r32!(rhs), offset),
            I::BrI32Ne { lhs, rhs, offset } => br_if!(r32!(lhs) != r32!(rhs), offset),
            I::BrI32LtS { lhs, rhs, offset } => br_if!(ri32!(lhs) < ri32!(rhs), offset),
            I::BrI32LtU { lhs, rhs, offset } => br_if!(r32!(lhs) < r32!(rhs), offset),
            I::BrI32GtS { lhs, rhs, offset } => br_if!(ri32!(lhs) > ri32!(rhs), offset),
            I::BrI32GtU { lhs, rhs, offset } => br_if!(r32!(lhs) > r32!(rhs), offset),
            I::BrI32LeS { lhs, rhs, offset } => br_if!(ri32!(lhs) <= ri32!(rhs), offset),
            I::BrI32LeU { lhs, rhs, offset } => br_if!(r32!(lhs) <= r32!(rhs), offset),
            I::BrI32GeS { lhs, rhs, offset } => br_if!(ri32!(lhs) >= ri32!(rhs), offset),
            I::BrI32GeU { lhs, rhs, offset } => br_if!(r32!(lhs) >= r32!(rhs), offset),
            I::BrI64Eq { lhs, rhs, offset } => br_if!(rd!(lhs) == rd!(rhs), offset),
            I::BrI64Ne { lhs, rhs, offset } => br_if!(rd!(lhs) != rd!(rhs), offset),
            I::BrI64LtS { lhs, rhs, offset } => br_if!(ri64!(lhs) < ri64!(rhs), offset),
            I::BrI64LtU { lhs, rhs, offset } => br_if!(rd!(lhs) < rd!(rhs), offset),
            I::BrI64GtS { lhs, rhs, offset } => br_if!(ri64!(lhs) > ri64!(rhs), offset),
            I::BrI64GtU { lhs, rhs, offset } => br_if!(rd!(lhs) > rd!(rhs), offset),
            I::BrI64LeS { lhs, rhs, offset } => br_if!(ri64!(lhs) <= ri64!(rhs), offset),
            I::BrI64LeU { lhs, rhs, offset } => br_if!(rd!(lhs) <= rd!(rhs), offset),
            I::BrI64GeS { lhs, rhs, offset } => br_if!(ri64!(lhs) >= ri64!(rhs), offset),
            I::BrI64GeU { lhs, rhs, offset } => br_if!(rd!(lhs) >= rd!(rhs), offset),
            I::BrI32EqImm { lhs, imm, offset } => br_if!(ri32!(lhs) == imm, offset),
            I::BrI32NeImm { lhs, imm, offset } => br_if!(ri32!(lhs) != imm, offset),
            I::BrI32LtSImm { lhs, imm, offset } => br_if!(ri32!(lhs) < imm, offset),
            I::BrI32LtUImm { lhs, imm, offset } => br_if!(r32!(lhs) < imm as u32, offset),
            I::BrI32GtSImm { lhs, imm, offset } => br_if!(ri32!(lhs) > imm, offset),
            I::BrI32GtUImm { lhs, imm, offset } => br_if!(r32!(lhs) > imm as u32, offset),
            I::BrI32LeSImm { lhs, imm, offset } => br_if!(ri32!(lhs) <= imm, offset),
            I::BrI32LeUImm { lhs, imm, offset } => br_if!(r32!(lhs) <= imm as u32, offset),
            I::BrI32GeSImm { lhs, imm, offset } => br_if!(ri32!(lhs) >= imm, offset),
            I::BrI32GeUImm { lhs, imm, offset } => br_if!(r32!(lhs) >= imm as u32, offset),
            I::BrI64EqImm { lhs, imm, offset } => br_if!(ri64!(lhs) == i64::from(imm), offset),
            I::BrI64NeImm { lhs, imm, offset } => br_if!(ri64!(lhs) != i64::from(imm), offset),
            I::BrI64LtSImm { lhs, imm, offset } => br_if!(ri64!(lhs) < i64::from(imm), offset),
            I::BrI64LtUImm { lhs, imm, offset } => {
                br_if!(rd!(lhs) < i64::from(imm) as u64, offset)
            }
            I::BrI64GtSImm { lhs, imm, offset } => br_if!(ri64!(lhs) > i64::from(imm), offset),
            I::BrI64GtUImm { lhs, imm, offset } => {
                br_if!(rd!(lhs) > i64::from(imm) as u64, offset)
            }
            I::BrI64LeSImm { lhs, imm, offset } => br_if!(ri64!(lhs) <= i64::from(imm), offset),
            I::BrI64LeUImm { lhs, imm, offset } => {
                br_if!(rd!(lhs) <= i64::from(imm) as u64, offset)
            }
            I::BrI64GeSImm { lhs, imm, offset } => br_if!(ri64!(lhs) >= i64::from(imm), offset),
            I::BrI64GeUImm { lhs, imm, offset } => {
                br_if!(rd!(lhs) >= i64::from(imm) as u64, offset)
            }
            I::Return => ret!(),
            I::ReturnSlot { src } => {
                wr!(0u32, rd!(src));
                ret!();
            }
            I::CallInternal { func, base } => {
                // SAFETY: `base` is a slot of the frame (module invariant).
                let args = unsafe { sp.add(base as usize) };
                // Same instance: never crosses, so the function address is not needed.
                enter!(inst, DefinedFuncIdx(func), args, 1, FuncAddr(u32::MAX));
            }
            I::CallImport { func, base } => {
                // SAFETY: `inst` is alive; `func` is a valid function index (validated).
                let faddr = unsafe { (&(*inst).funcs)[func as usize] };
                call_addr!(faddr, base, 1);
            }
            I::CallIndirect {
                type_idx,
                index,
                base,
            } => {
                let (table, _, _) = meta!();
                // SAFETY: `inst` is alive; indices are validated.
                let (taddr, want) = unsafe {
                    (
                        (&(*inst).tables)[table as usize],
                        (&(*inst).sig_ids)[type_idx as usize],
                    )
                };
                let i = r32!(index);
                let Ok(bits) = store.tables[taddr.index()].get(i) else {
                    trap!(TrapCode::UndefinedElement);
                };
                let Some(faddr) = funcref_addr(bits) else {
                    trap!(TrapCode::UninitializedElement);
                };
                if store.funcs[faddr.index()].sig != want {
                    trap!(TrapCode::IndirectCallTypeMismatch);
                }
                call_addr!(faddr, base, 2);
                // SAFETY: skip the Meta word.
                ip = unsafe { ip.add(2) };
                continue;
            }
            I::Copy { dst, src } => wr!(dst, rd!(src)),
            I::Copy2 { dst, src0, src1 } => {
                let (a, b) = (rd!(src0), rd!(src1));
                wr!(dst, a);
                wr!(dst + 1, b);
            }
            I::Const { dst, val } => wr!(dst, val),
            I::RefFunc { dst, func } => {
                // SAFETY: `inst` is alive; `func` validated.
                let a = unsafe { (&(*inst).funcs)[func as usize] };
                wr!(dst, funcref_bits(a));
            }
            I::Select { dst, a, b } => {
                let (cond, _, _) = meta!();
                let v = if r32!(cond) != 0 { rd!(a) } else { rd!(b) };
                wr!(dst, v);
                // SAFETY: skip the Meta word.
                ip = unsafe { ip.add(2) };
                continue;
            }
            I::GlobalGet { dst, idx } => {
                // SAFETY: `inst` is alive; `idx` validated.
                let g = unsafe { (&(*inst).globals)[idx as usize].get() };
                wr!(dst, g);
            }
            I::GlobalSet { src, idx } => {
                let v = rd!(src);
                // SAFETY: `inst` is alive; `idx` validated.
                unsafe { (&(*inst).globals)[idx as usize].set(v) };
            }
            I::I32Load { dst, addr, offset } => load!(dst, addr, offset, u32, u64::from),
            I::I64Load { dst, addr, offset } => load!(dst, addr, offset, u64, |v| v),
            I::I32Load8S { dst, addr, offset } => {
                load!(dst, addr, offset, i8, |v| u64::from(i32::from(v) as u32))
            }
            I::I32Load8U { dst, addr, offset } => load!(dst, addr, offset, u8, u64::from),
            I::I32Load16S { dst, addr, offset } => {
                load!(dst, addr, offset, i16, |v| u64::from(i32::from(v) as u32))
            }
            I::I32Load16U { dst, addr, offset } => load!(dst, addr, offset, u16, u64::from),
            I::I64Load8S { dst, addr, offset } => {
                load!(dst, addr, offset, i8, |v| i64::from(v) as u64)
            }
            I::I64Load8U { dst, addr, offset } => load!(dst, addr, offset, u8, u64::from),
            I::I64Load16S { dst, addr, offset } => {
                load!(dst, addr, offset, i16, |v| i64::from(v) as u64)
            }
            I::I64Load16U { dst, addr, offset } => load!(dst, addr, offset, u16, u64::from),
            I::I64Load32S { dst, addr, offset } => {
                load!(dst, addr, offset, i32, |v| i64::from(v) as u64)
            }
            I::I64Load32U { dst, addr, offset } => load!(dst, addr, offset, u32, u64::from),
            I::I32Store { addr, src, offset } => store_mem!(addr, src, offset, u32),
            I::I64Store { addr, src, offset } => store_mem!(addr, src, offset, u64),
            I::I32Store8 { addr, src, offset } | I::I64Store8 { addr, src, offset } => {
                store_mem!(addr, src, offset, u8)
            }
            I::I32Store16 { addr, src, offset } | I::I64Store16 { addr, src, offset } => {
                store_mem!(addr, src, offset, u16)
            }
            I::I64Store32 { addr, src, offset } => store_mem!(addr, src, offset, u32),
            I::MemorySize { dst } => w32!(dst, mem_len / crate::types::WASM_PAGE_SIZE),
            I::MemoryGrow { dst, delta } => {
                let d = u64::from(r32!(delta));
                let r = if mem.is_null() {
                    None
                } else {
                    // SAFETY: `mem` points into an Arc held by the instance.
                    unsafe { (*mem).grow(d) }
                };
                w32!(dst, r.map_or(u32::MAX, |old| old as u32));
                reload_len!();
            }
            I::MemoryFill { dst, val, len } => {
                if mem.is_null() {
                    trap!(TrapCode::MemoryOutOfBounds);
                }
                let (d, v, n) = (r32!(dst), r32!(val), r32!(len));
                // SAFETY: `mem` points into an Arc held by the instance.
                tryt!(
                    unsafe { (*mem).fill(u64::from(d), v as u8, u64::from(n)) }
                        .map_err(|_| TrapCode::MemoryOutOfBounds)
                );
            }
            I::MemoryCopy { dst, src, len } => {
                if mem.is_null() {
                    trap!(TrapCode::MemoryOutOfBounds);
                }
                let (d, s, n) = (r32!(dst), r32!(src), r32!(len));
                // SAFETY: `mem` points into an Arc held by the instance.
                tryt!(
                    unsafe { (*mem).copy_within(u64::from(d), u64::from(s), u64::from(n)) }
                        .map_err(|_| TrapCode::MemoryOutOfBounds)
                );
            }
            I::MemoryInit { dst, src, len } => {
                let (seg, _, _) = meta!();
                let (d, s, n) = (
                    u64::from(r32!(dst)),
                    u64::from(r32!(src)),
                    u64::from(r32!(len)),
                );
                // SAFETY: `inst` is alive.
                let data = unsafe { (*inst).data(seg) };
                if s + n > data.len() as u64 || mem.is_null() {
                    trap!(TrapCode::MemoryOutOfBounds);
                }
                // SAFETY: `mem` points into an Arc held by the instance.
                tryt!(
                    unsafe { (*mem).write(d, &data[s as usize..(s + n) as usize]) }
                        .map_err(|_| TrapCode::MemoryOutOfBounds)
                );
                // SAFETY: skip the Meta word.
                ip = unsafe { ip.add(2) };
                continue;
            }
            I::DataDrop { seg } => {
                // SAFETY: `inst` is alive; `seg` validated.
                unsafe { (&(*inst).data_dropped)[seg as usize].store(true, Ordering::Relaxed) };
            }
            I::ElemDrop { seg } => {
                // SAFETY: `inst` is alive; `seg` validated.
                unsafe { (&(*inst).elem_dropped)[seg as usize].store(true, Ordering::Relaxed) };
            }
            I::TableGet { dst, index, table } => {
                // SAFETY: `inst` is alive; `table` validated.
                let t = unsafe { (&(*inst).tables)[table as usize] };
                let v = tryt!(
                    store.tables[t.index()]
                        .get(r32!(index))
                        .map_err(|_| TrapCode::TableOutOfBounds)
                );
                guard_table!(table, v, TableAccess::Read);
                wr!(dst, v);
            }
            I::TableSet { index, val, table } => {
                // SAFETY: `inst` is alive; `table` validated.
                let t = unsafe { (&(*inst).tables)[table as usize] };
                let (i, v) = (r32!(index), rd!(val));
                guard_table!(table, v, TableAccess::Write);
                tryt!(
                    store.tables[t.index()]
                        .set(i, v)
                        .map_err(|_| TrapCode::TableOutOfBounds)
                );
            }
            I::TableSize { dst, table } => {
                // SAFETY: `inst` is alive; `table` validated.
                let t = unsafe { (&(*inst).tables)[table as usize] };
                w32!(dst, store.tables[t.index()].size());
            }
            I::TableGrow { dst, init, delta } => {
                let (table, _, _) = meta!();
                // SAFETY: `inst` is alive; `table` validated.
                let t = unsafe { (&(*inst).tables)[table as usize] };
                let (v, d) = (rd!(init), r32!(delta));
                guard_table!(table, v, TableAccess::Write);
                let r = store.tables[t.index()].grow(d, v);
                w32!(dst, r.unwrap_or(u32::MAX));
                // SAFETY: skip the Meta word.
                ip = unsafe { ip.add(2) };
                continue;
            }
            I::TableFill { index, val, len } => {
                let (table, _, _) = meta!();
                // SAFETY: `inst` is alive; `table` validated.
                let t = unsafe { (&(*inst).tables)[table as usize] };
                let (i, v, n) = (r32!(index), rd!(val), r32!(len));
                guard_table!(table, v, TableAccess::Write);
                tryt!(
                    store.tables[t.index()]
                        .fill(i, v, n)
                        .map_err(|_| TrapCode::TableOutOfBounds)
                );
                // SAFETY: skip the Meta word.
                ip = unsafe { ip.add(2) };
                continue;
            }
            I::TableCopy { dst, src, len } => {
                let (dt, st, _) = meta!();
                // SAFETY: `inst` is alive; tables validated.
                let (da, sa) = unsafe {
                    (
                        (&(*inst).tables)[dt as usize],
                        (&(*inst).tables)[st as usize],
                    )
                };
                let (d, s, n) = (r32!(dst), r32!(src), r32!(len));
                // SAFETY: `inst` is alive; tables validated.
                if unsafe {
                    (&(*inst).guarded_tables)[dt as usize] || (&(*inst).guarded_tables)[st as usize]
                } {
                    // SAFETY: `inst` is alive.
                    guard_table_copy(store, unsafe { &*inst }, (dt, st), sa, s, n)?;
                }
                tryt!(
                    store
                        .table_copy(da, sa, d, s, n)
                        .map_err(|_| TrapCode::TableOutOfBounds)
                );
                // SAFETY: skip the Meta word.
                ip = unsafe { ip.add(2) };
                continue;
            }
            I::TableInit { dst, src, len } => {
                let (table, seg, _) = meta!();
                // SAFETY: `inst` is alive; `table`/`seg` validated.
                let (t, items) = unsafe { ((&(*inst).tables)[table as usize], (*inst).elem(seg)) };
                let (d, s, n) = (r32!(dst), r32!(src), r32!(len));
                tryt!(
                    store.tables[t.index()]
                        .init(d, items, s, n)
                        .map_err(|_| TrapCode::TableOutOfBounds)
                );
                // SAFETY: skip the Meta word.
                ip = unsafe { ip.add(2) };
                continue;
            }
            I::RefIsNull { dst, src } => wb!(dst, rd!(src) == 0),

            I::I32Eq { dst, lhs, rhs } => binop!((dst, lhs, rhs), r32, wb, |a, b| a == b),
            I::I32Ne { dst, lhs, rhs } => binop!((dst, lhs, rhs), r32, wb, |a, b| a != b),
            I::I32LtS { dst, lhs, rhs } => binop!((dst, lhs, rhs), ri32, wb, |a, b| a < b),
            I::I32LtU { dst, lhs, rhs } => binop!((dst, lhs, rhs), r32, wb, |a, b| a < b),
            I::I32GtS { dst, lhs, rhs } => binop!((dst, lhs, rhs), ri32, wb, |a, b| a > b),
            I::I32GtU { dst, lhs, rhs } => binop!((dst, lhs, rhs), r32, wb, |a, b| a > b),
            I::I32LeS { dst, lhs, rhs } => binop!((dst, lhs, rhs), ri32, wb, |a, b| a <= b),
            I::I32LeU { dst, lhs, rhs } => binop!((dst, lhs, rhs), r32, wb, |a, b| a <= b),
            I::I32GeS { dst, lhs, rhs } => binop!((dst, lhs, rhs), ri32, wb, |a, b| a >= b),
            I::I32GeU { dst, lhs, rhs } => binop!((dst, lhs, rhs), r32, wb, |a, b| a >= b),
            I::I32Add { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), r32, w32, |a, b| a.wrapping_add(b))
            }
            I::I32Sub { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), r32, w32, |a, b| a.wrapping_sub(b))
            }
            I::I32Mul { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), r32, w32, |a, b| a.wrapping_mul(b))
            }
            I::I32DivS { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), ri32, w32, |a, b| tryt!(num::i32_div_s(
                    a, b
                )))
            }
            I::I32DivU { dst, lhs, rhs } => binop!((dst, lhs, rhs), r32, w32, |a, b| {
                tryt!(a.checked_div(b).ok_or(TrapCode::IntegerDivideByZero))
            }),
            I::I32RemS { dst, lhs, rhs } => binop!((dst, lhs, rhs), ri32, w32, |a, b| {
                if b == 0 {
                    trap!(TrapCode::IntegerDivideByZero)
                } else {
                    a.wrapping_rem(b)
                }
            }),
            I::I32RemU { dst, lhs, rhs } => binop!((dst, lhs, rhs), r32, w32, |a, b| {
                tryt!(a.checked_rem(b).ok_or(TrapCode::IntegerDivideByZero))
            }),
            I::I32And { dst, lhs, rhs } => binop!((dst, lhs, rhs), r32, w32, |a, b| a & b),
            I::I32Or { dst, lhs, rhs } => binop!((dst, lhs, rhs), r32, w32, |a, b| a | b),
            I::I32Xor { dst, lhs, rhs } => binop!((dst, lhs, rhs), r32, w32, |a, b| a ^ b),
            I::I32Shl { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), r32, w32, |a, b| a.wrapping_shl(b))
            }
            I::I32ShrS { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), ri32, w32, |a, b| a.wrapping_shr(b as u32))
            }
            I::I32ShrU { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), r32, w32, |a, b| a.wrapping_shr(b))
            }
            I::I32Rotl { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), r32, w32, |a, b| a.rotate_left(b))
            }
            I::I32Rotr { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), r32, w32, |a, b| a.rotate_right(b))
            }

            I::I32EqImm { dst, lhs, imm } => binimm!((dst, lhs, imm), ri32, wb, i32, |a, b| a == b),
            I::I32NeImm { dst, lhs, imm } => binimm!((dst, lhs, imm), ri32, wb, i32, |a, b| a != b),
            I::I32LtSImm { dst, lhs, imm } => binimm!((dst, lhs, imm), ri32, wb, i32, |a, b| a < b),
            I::I32LtUImm { dst, lhs, imm } => binimm!((dst, lhs, imm), r32, wb, u32, |a, b| a < b),
            I::I32GtSImm { dst, lhs, imm } => binimm!((dst, lhs, imm), ri32, wb, i32, |a, b| a > b),
            I::I32GtUImm { dst, lhs, imm } => binimm!((dst, lhs, imm), r32, wb, u32, |a, b| a > b),
            I::I32LeSImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), ri32, wb, i32, |a, b| a <= b)
            }
            I::I32LeUImm { dst, lhs, imm } => binimm!((dst, lhs, imm), r32, wb, u32, |a, b| a <= b),
            I::I32GeSImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), ri32, wb, i32, |a, b| a >= b)
            }
            I::I32GeUImm { dst, lhs, imm } => binimm!((dst, lhs, imm), r32, wb, u32, |a, b| a >= b),
            I::I32AddImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), r32, w32, u32, |a, b| a.wrapping_add(b))
            }
            I::I32SubImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), r32, w32, u32, |a, b| a.wrapping_sub(b))
            }
            I::I32MulImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), r32, w32, u32, |a, b| a.wrapping_mul(b))
            }
            I::I32DivSImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), ri32, w32, i32, |a, b| tryt!(
                    num::i32_div_s(a, b)
                ))
            }
            I::I32DivUImm { dst, lhs, imm } => binimm!((dst, lhs, imm), r32, w32, u32, |a, b| {
                tryt!(a.checked_div(b).ok_or(TrapCode::IntegerDivideByZero))
            }),
            I::I32RemSImm { dst, lhs, imm } => binimm!((dst, lhs, imm), ri32, w32, i32, |a, b| {
                if b == 0 {
                    trap!(TrapCode::IntegerDivideByZero)
                } else {
                    a.wrapping_rem(b)
                }
            }),
            I::I32RemUImm { dst, lhs, imm } => binimm!((dst, lhs, imm), r32, w32, u32, |a, b| {
                tryt!(a.checked_rem(b).ok_or(TrapCode::IntegerDivideByZero))
            }),
            I::I32AndImm { dst, lhs, imm } => binimm!((dst, lhs, imm), r32, w32, u32, |a, b| a & b),
            I::I32OrImm { dst, lhs, imm } => binimm!((dst, lhs, imm), r32, w32, u32, |a, b| a | b),
            I::I32XorImm { dst, lhs, imm } => binimm!((dst, lhs, imm), r32, w32, u32, |a, b| a ^ b),
            I::I32ShlImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), r32, w32, u32, |a, b| a.wrapping_shl(b))
            }
            I::I32ShrSImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), ri32, w32, u32, |a, b| a.wrapping_shr(b))
            }
            I::I32ShrUImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), r32, w32, u32, |a, b| a.wrapping_shr(b))
            }
            I::I32RotlImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), r32, w32, u32, |a, b| a.rotate_left(b))
            }
            I::I32RotrImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), r32, w32, u32, |a, b| a.rotate_right(b))
            }

            I::I64Eq { dst, lhs, rhs } => binop!((dst, lhs, rhs), rd, wb, |a, b| a == b),
            I::I64Ne { dst, lhs, rhs } => binop!((dst, lhs, rhs), rd, wb, |a, b| a != b),
            I::I64LtS { dst, lhs, rhs } => binop!((dst, lhs, rhs), ri64, wb, |a, b| a < b),
            I::I64LtU { dst, lhs, rhs } => binop!((dst, lhs, rhs), rd, wb, |a, b| a < b),
            I::I64GtS { dst, lhs, rhs } => binop!((dst, lhs, rhs), ri64, wb, |a, b| a > b),
            I::I64GtU { dst, lhs, rhs } => binop!((dst, lhs, rhs), rd, wb, |a, b| a > b),
            I::I64LeS { dst, lhs, rhs } => binop!((dst, lhs, rhs), ri64, wb, |a, b| a <= b),
            I::I64LeU { dst, lhs, rhs } => binop!((dst, lhs, rhs), rd, wb, |a, b| a <= b),
            I::I64GeS { dst, lhs, rhs } => binop!((dst, lhs, rhs), ri64, wb, |a, b| a >= b),
            I::I64GeU { dst, lhs, rhs } => binop!((dst, lhs, rhs), rd, wb, |a, b| a >= b),
            I::I64Add { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), rd, wr, |a, b| a.wrapping_add(b))
            }
            I::I64Sub { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), rd, wr, |a, b| a.wrapping_sub(b))
            }
            I::I64Mul { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), rd, wr, |a, b| a.wrapping_mul(b))
            }
            I::I64DivS { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), ri64, w64, |a, b| tryt!(num::i64_div_s(
                    a, b
                )))
            }
            I::I64DivU { dst, lhs, rhs } => binop!((dst, lhs, rhs), rd, wr, |a, b| {
                tryt!(a.checked_div(b).ok_or(TrapCode::IntegerDivideByZero))
            }),
            I::I64RemS { dst, lhs, rhs } => binop!((dst, lhs, rhs), ri64, w64, |a, b| {
                if b == 0 {
                    trap!(TrapCode::IntegerDivideByZero)
                } else {
                    a.wrapping_rem(b)
                }
            }),
            I::I64RemU { dst, lhs, rhs } => binop!((dst, lhs, rhs), rd, wr, |a, b| {
                tryt!(a.checked_rem(b).ok_or(TrapCode::IntegerDivideByZero))
            }),
            I::I64And { dst, lhs, rhs } => binop!((dst, lhs, rhs), rd, wr, |a, b| a & b),
            I::I64Or { dst, lhs, rhs } => binop!((dst, lhs, rhs), rd, wr, |a, b| a | b),
            I::I64Xor { dst, lhs, rhs } => binop!((dst, lhs, rhs), rd, wr, |a, b| a ^ b),
            I::I64Shl { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), rd, wr, |a, b| a.wrapping_shl(b as u32))
            }
            I::I64ShrS { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), ri64, w64, |a, b| a.wrapping_shr(b as u32))
            }
            I::I64ShrU { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), rd, wr, |a, b| a.wrapping_shr(b as u32))
            }
            I::I64Rotl { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), rd, wr, |a, b| a
                    .rotate_left((b & 63) as u32))
            }
            I::I64Rotr { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), rd, wr, |a, b| a
                    .rotate_right((b & 63) as u32))
            }

            I::I64EqImm { dst, lhs, imm } => binimm!((dst, lhs, imm), ri64, wb, i64, |a, b| a == b),
            I::I64NeImm { dst, lhs, imm } => binimm!((dst, lhs, imm), ri64, wb, i64, |a, b| a != b),
            I::I64LtSImm { dst, lhs, imm } => binimm!((dst, lhs, imm), ri64, wb, i64, |a, b| a < b),
            I::I64LtUImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wb, i64, |a, b| a < b as u64)
            }
            I::I64GtSImm { dst, lhs, imm } => binimm!((dst, lhs, imm), ri64, wb, i64, |a, b| a > b),
            I::I64GtUImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wb, i64, |a, b| a > b as u64)
            }
            I::I64LeSImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), ri64, wb, i64, |a, b| a <= b)
            }
            I::I64LeUImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wb, i64, |a, b| a <= b as u64)
            }
            I::I64GeSImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), ri64, wb, i64, |a, b| a >= b)
            }
            I::I64GeUImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wb, i64, |a, b| a >= b as u64)
            }
            I::I64AddImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wr, i64, |a, b| a
                    .wrapping_add(b as u64))
            }
            I::I64SubImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wr, i64, |a, b| a
                    .wrapping_sub(b as u64))
            }
            I::I64MulImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wr, i64, |a, b| a
                    .wrapping_mul(b as u64))
            }
            I::I64DivSImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), ri64, w64, i64, |a, b| tryt!(
                    num::i64_div_s(a, b)
                ))
            }
            I::I64DivUImm { dst, lhs, imm } => binimm!((dst, lhs, imm), rd, wr, i64, |a, b| {
                tryt!(a.checked_div(b as u64).ok_or(TrapCode::IntegerDivideByZero))
            }),
            I::I64RemSImm { dst, lhs, imm } => binimm!((dst, lhs, imm), ri64, w64, i64, |a, b| {
                if b == 0 {
                    trap!(TrapCode::IntegerDivideByZero)
                } else {
                    a.wrapping_rem(b)
                }
            }),
            I::I64RemUImm { dst, lhs, imm } => binimm!((dst, lhs, imm), rd, wr, i64, |a, b| {
                tryt!(a.checked_rem(b as u64).ok_or(TrapCode::IntegerDivideByZero))
            }),
            I::I64AndImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wr, i64, |a, b| a & b as u64)
            }
            I::I64OrImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wr, i64, |a, b| a | b as u64)
            }
            I::I64XorImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wr, i64, |a, b| a ^ b as u64)
            }
            I::I64ShlImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wr, i64, |a, b| a
                    .wrapping_shl(b as u32))
            }
            I::I64ShrSImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), ri64, w64, i64, |a, b| a
                    .wrapping_shr(b as u32))
            }
            I::I64ShrUImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wr, i64, |a, b| a
                    .wrapping_shr(b as u32))
            }
            I::I64RotlImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wr, i64, |a, b| a
                    .rotate_left((b & 63) as u32))
            }
            I::I64RotrImm { dst, lhs, imm } => {
                binimm!((dst, lhs, imm), rd, wr, i64, |a, b| a
                    .rotate_right((b & 63) as u32))
            }

            I::F32Eq { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf32, wb, |a, b| a == b),
            I::F32Ne { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf32, wb, |a, b| a != b),
            I::F32Lt { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf32, wb, |a, b| a < b),
            I::F32Gt { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf32, wb, |a, b| a > b),
            I::F32Le { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf32, wb, |a, b| a <= b),
            I::F32Ge { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf32, wb, |a, b| a >= b),
            I::F32Add { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf32, wf32, |a, b| a + b),
            I::F32Sub { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf32, wf32, |a, b| a - b),
            I::F32Mul { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf32, wf32, |a, b| a * b),
            I::F32Div { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf32, wf32, |a, b| a / b),
            I::F32Min { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), rf32, wf32, |a, b| num::f32_min(a, b))
            }
            I::F32Max { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), rf32, wf32, |a, b| num::f32_max(a, b))
            }
            I::F32Copysign { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), r32, w32, |a, b| num::f32_copysign(a, b))
            }
            I::F64Eq { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf64, wb, |a, b| a == b),
            I::F64Ne { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf64, wb, |a, b| a != b),
            I::F64Lt { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf64, wb, |a, b| a < b),
            I::F64Gt { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf64, wb, |a, b| a > b),
            I::F64Le { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf64, wb, |a, b| a <= b),
            I::F64Ge { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf64, wb, |a, b| a >= b),
            I::F64Add { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf64, wf64, |a, b| a + b),
            I::F64Sub { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf64, wf64, |a, b| a - b),
            I::F64Mul { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf64, wf64, |a, b| a * b),
            I::F64Div { dst, lhs, rhs } => binop!((dst, lhs, rhs), rf64, wf64, |a, b| a / b),
            I::F64Min { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), rf64, wf64, |a, b| num::f64_min(a, b))
            }
            I::F64Max { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), rf64, wf64, |a, b| num::f64_max(a, b))
            }
            I::F64Copysign { dst, lhs, rhs } => {
                binop!((dst, lhs, rhs), rd, wr, |a, b| num::f64_copysign(a, b))
            }

            I::I32Eqz { dst, src } => wb!(dst, r32!(src) == 0),
            I::I32Clz { dst, src } => w32!(dst, r32!(src).leading_zeros()),
            I::I32Ctz { dst, src } => w32!(dst, r32!(src).trailing_zeros()),
            I::I32Popcnt { dst, src } => w32!(dst, r32!(src).count_ones()),
            I::I64Eqz { dst, src } => wb!(dst, rd!(src) == 0),
            I::I64Clz { dst, src } => wr!(dst, u64::from(rd!(src).leading_zeros())),
            I::I64Ctz { dst, src } => wr!(dst, u64::from(rd!(src).trailing_zeros())),
            I::I64Popcnt { dst, src } => wr!(dst, u64::from(rd!(src).count_ones())),
            I::F32Abs { dst, src } => w32!(dst, r32!(src) & 0x7fff_ffff),
            I::F32Neg { dst, src } => w32!(dst, r32!(src) ^ 0x8000_0000),
            I::F32Ceil { dst, src } => wf32!(dst, num::f32_quiet(rf32!(src).ceil())),
            I::F32Floor { dst, src } => wf32!(dst, num::f32_quiet(rf32!(src).floor())),
            I::F32Trunc { dst, src } => wf32!(dst, num::f32_quiet(rf32!(src).trunc())),
            I::F32Nearest { dst, src } => wf32!(dst, num::f32_nearest(rf32!(src))),
            I::F32Sqrt { dst, src } => wf32!(dst, rf32!(src).sqrt()),
            I::F64Abs { dst, src } => wr!(dst, rd!(src) & 0x7fff_ffff_ffff_ffff),
            I::F64Neg { dst, src } => wr!(dst, rd!(src) ^ 0x8000_0000_0000_0000),
            I::F64Ceil { dst, src } => wf64!(dst, num::f64_quiet(rf64!(src).ceil())),
            I::F64Floor { dst, src } => wf64!(dst, num::f64_quiet(rf64!(src).floor())),
            I::F64Trunc { dst, src } => wf64!(dst, num::f64_quiet(rf64!(src).trunc())),
            I::F64Nearest { dst, src } => wf64!(dst, num::f64_nearest(rf64!(src))),
            I::F64Sqrt { dst, src } => wf64!(dst, rf64!(src).sqrt()),
            I::I32WrapI64 { dst, src } => w32!(dst, rd!(src)),
            I::I32TruncF32S { dst, src } => w32!(dst, tryt!(num::i32_trunc_f32(rf32!(src)))),
            I::I32TruncF32U { dst, src } => w32!(dst, tryt!(num::u32_trunc_f32(rf32!(src)))),
            I::I32TruncF64S { dst, src } => w32!(dst, tryt!(num::i32_trunc_f64(rf64!(src)))),
            I::I32TruncF64U { dst, src } => w32!(dst, tryt!(num::u32_trunc_f64(rf64!(src)))),
            I::I64ExtendI32S { dst, src } => w64!(dst, i64::from(ri32!(src))),
            I::I64ExtendI32U { dst, src } => wr!(dst, u64::from(r32!(src))),
            I::I64TruncF32S { dst, src } => w64!(dst, tryt!(num::i64_trunc_f32(rf32!(src)))),
            I::I64TruncF32U { dst, src } => wr!(dst, tryt!(num::u64_trunc_f32(rf32!(src)))),
            I::I64TruncF64S { dst, src } => w64!(dst, tryt!(num::i64_trunc_f64(rf64!(src)))),
            I::I64TruncF64U { dst, src } => wr!(dst, tryt!(num::u64_trunc_f64(rf64!(src)))),
            I::F32ConvertI32S { dst, src } => wf32!(dst, ri32!(src) as f32),
            I::F32ConvertI32U { dst, src } => wf32!(dst, r32!(src) as f32),
            I::F32ConvertI64S { dst, src } => wf32!(dst, ri64!(src) as f32),
            I::F32ConvertI64U { dst, src } => wf32!(dst, rd!(src) as f32),
            I::F32DemoteF64 { dst, src } => wf32!(dst, rf64!(src) as f32),
            I::F64ConvertI32S { dst, src } => wf64!(dst, f64::from(ri32!(src))),
            I::F64ConvertI32U { dst, src } => wf64!(dst, f64::from(r32!(src))),
            I::F64ConvertI64S { dst, src } => wf64!(dst, ri64!(src) as f64),
            I::F64ConvertI64U { dst, src } => wf64!(dst, rd!(src) as f64),
            I::F64PromoteF32 { dst, src } => wf64!(dst, f64::from(rf32!(src))),
            I::I32Extend8S { dst, src } => w32!(dst, i32::from(rd!(src) as i8)),
            I::I32Extend16S { dst, src } => w32!(dst, i32::from(rd!(src) as i16)),
            I::I64Extend8S { dst, src } => w64!(dst, i64::from(rd!(src) as i8)),
            I::I64Extend16S { dst, src } => w64!(dst, i64::from(rd!(src) as i16)),
            I::I64Extend32S { dst, src } => w64!(dst, i64::from(rd!(src) as i32)),
            I::I32TruncSatF32S { dst, src } => w32!(dst, rf32!(src) as i32),
            I::I32TruncSatF32U { dst, src } => w32!(dst, rf32!(src) as u32),
            I::I32TruncSatF64S { dst, src } => w32!(dst, rf64!(src) as i32),
            I::I32TruncSatF64U { dst, src } => w32!(dst, rf64!(src) as u32),
            I::I64TruncSatF32S { dst, src } => w64!(dst, rf32!(src) as i64),
            I::I64TruncSatF32U { dst, src } => wr!(dst, rf32!(src) as u64),
            I::I64TruncSatF64S { dst, src } => w64!(dst, rf64!(src) as i64),
            I::I64TruncSatF64U { dst, src } => wr!(dst, rf64!(src) as u64),
        }
        // SAFETY: the next instruction is inside the function (every path ends in a return).
        ip = unsafe { ip.add(1) };
    }
}
