//! Calling registered C natives from WebAssembly.
//!
//! A native registered with a signature string becomes a [`HostFunc`] whose body
//! 1. converts each argument per its signature character (`*` and `*~` ranges checked against
//!    the current memory size with 64-bit arithmetic, or inside the attached shared heap, `$`
//!    strings snapshotted into a runtime buffer after a bounded NUL scan), trapping with `out of bounds memory access` *before*
//!    the native runs if a check fails;
//! 2. publishes the call in the thread's [`active`] frames (so the native can use its
//!    `exec_env` with the API, re-enter WebAssembly and read its attachment);
//! 3. calls the C function with the platform's C calling convention;
//! 4. turns an exception the native set (`wasm_runtime_set_exception`) into a trap.
//!
//! Raw natives get step 1 too, in place: their `*`, `*~` and `$` slots of the `uint64_t`
//! argument array are validated and rewritten as native pointers before the call.
//!
//! **How the C function is called.** The shape of the call is only known at run time, so
//! Rust cannot name the function type statically. Two paths:
//! - *typed fast path*: the common shapes "`n` i32 parameters (n ≤ 4), i32 or no result" are
//!   called through exactly matching `extern "C" fn` pointer types (also what raw natives use:
//!   `void (wasm_exec_env_t, uint64_t *)`);
//! - *generic path* (x86-64 System V): the arguments are assigned to registers and stack
//!   slots by the ABI's classification rules (integer class → `rdi rsi rdx rcx r8 r9`, float
//!   class → `xmm0`–`xmm7`, the rest on the stack in order, 8 bytes each) and a small naked
//!   assembly routine, [`invoke_sysv`], loads exactly that machine state, calls the function
//!   and hands back `rax` and `xmm0`. This is the same technique as WAMR's `invokeNative`
//!   assembly, and it is defined behaviour for any C prototype the signature describes,
//!   unlike casting the pointer to a made-up Rust fn type. Other targets only get the typed
//!   fast path until their assembly routine exists.
//!
//! # Invariants
//! - `NativeEntry::func` is the non-null C function pointer the embedder registered, with the
//!   prototype its signature string (or the import type, for a NULL signature) describes,
//!   taking `wasm_exec_env_t` first; raw natives are `void (wasm_exec_env_t, uint64_t *)`;
//! - every native pointer argument points into the calling instance's linear memory or its
//!   attached shared heap for at least the validated length, or into a snapshot buffer that
//!   outlives the call;
//! - linear memory never moves, so those pointers stay valid if the native grows memory.

use std::ffi::c_void;
use std::sync::Weak;

use super::bounce_buf::BounceBuf;
use super::externref;
use super::native_sig::{NativeEntry, SigParam};
use super::objects::InstObj;
use super::{active, exception};
use crate::cap::violation::{self, Violation, ViolationKind};
use crate::cap::{OType, Perms, SealedHandle};
use crate::error::{Trap, TrapCode};
use crate::runtime::{Caller, HostFunc, shared_heap};
use crate::types::{FuncType, ValType};

/// Longest `$` string a native may receive (bytes before the NUL); `CWAMR_MAX_STR` overrides.
fn max_str() -> usize {
    static MAX: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *MAX.get_or_init(|| {
        std::env::var("CWAMR_MAX_STR")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64 * 1024)
    })
}

/// The host function of native `entry` for instance `inst_id`, with WebAssembly type `ty`.
pub(crate) fn host_func(
    inst_id: u64,
    inst: Weak<InstObj>,
    entry: NativeEntry,
    ty: FuncType,
) -> HostFunc {
    let t = ty.clone();
    HostFunc::new(ty, move |caller, cells| {
        call_native(inst_id, &inst, &entry, &t, caller, cells)
    })
}

fn oob() -> Trap {
    Trap::Code(TrapCode::MemoryOutOfBounds)
}

/// Record a native argument refused before the call (capability-model section 4) and return
/// the trap it becomes.
fn refused_arg(comp: Option<u32>, off: u64, len: u64) -> Trap {
    violation::record(&Violation {
        kind: ViolationKind::CapBounds,
        compartment: comp,
        addr: off,
        len,
        perms: Perms::LOAD.union(Perms::STORE),
        otype: OType::UNSEALED,
    });
    oob()
}

/// Copy the (already checked) guest range `[off, off + len)` into a bounce buffer.
fn bounce_in(caller: &Caller<'_>, off: u64, len: u64) -> Option<BounceBuf> {
    let mem = caller.memory()?;
    BounceBuf::new(usize::try_from(len).ok()?, |dst| mem.read(off, dst).is_ok())
}

/// Check each bounce buffer's canary and copy the contents back into linear memory; a
/// native that overran a buffer is a native fault, and then nothing is copied back.
fn bounce_out(
    caller: &Caller<'_>,
    comp: Option<u32>,
    bounced: &[(u64, BounceBuf)],
) -> Result<(), Trap> {
    for (off, buf) in bounced {
        if buf.checked_contents().is_none() {
            let _ = refused_arg(comp, *off, buf.len() as u64);
            return Err(Trap::Host(
                "native function wrote past the end of its buffer argument".into(),
            ));
        }
    }
    let Some(mem) = caller.memory() else {
        return Ok(());
    };
    for (off, buf) in bounced {
        if let Some(bytes) = buf.checked_contents() {
            // Memory never shrinks, so the range checked before the call is still inside.
            mem.write(*off, bytes)?;
        }
    }
    Ok(())
}

/// Validate the `*`, `*~` and `$` arguments of a raw native (as WAMR does before calling
/// it) and rewrite their slots in `cells` as native pointers: a `*` range into linear memory,
/// a `$` string into a snapshot that the caller keeps alive for the call (returned). A range
/// or string outside memory traps with `out of bounds memory access` before the native runs.
fn raw_pointer_args(
    caller: &mut Caller<'_>,
    sig: &super::native_sig::NativeSig,
    cells: &mut [u64],
) -> Result<Vec<Vec<u8>>, Trap> {
    let comp = externref::compartment_of_store(caller.store());
    let (base, mem_len) = caller
        .memory()
        .map_or((std::ptr::null_mut(), 0u64), |m| (m.base(), m.len() as u64));
    let mut snapshots = Vec::new();
    for (i, p) in sig.params.iter().enumerate() {
        let Some(&c) = cells.get(i) else { break };
        let off = u64::from(c as u32);
        match *p {
            SigParam::Ptr { len_next } => {
                let len = if len_next {
                    u64::from(cells.get(i + 1).copied().unwrap_or(0) as u32)
                } else {
                    1
                };
                match off.checked_add(len) {
                    Some(end) if end <= mem_len => {}
                    _ => return Err(refused_arg(comp, off, len)),
                }
                // Inside memory, or one past its end for an empty range.
                cells[i] = base as u64 + off;
            }
            SigParam::Str => {
                let mut s = match caller.memory() {
                    Some(m) => m
                        .read_cstr(off, max_str().saturating_add(1))
                        .map_err(|_| refused_arg(comp, off, 0))?,
                    None => return Err(refused_arg(comp, off, 0)),
                };
                s.push(0);
                cells[i] = s.as_ptr() as u64;
                snapshots.push(s);
            }
            _ => {}
        }
    }
    Ok(snapshots)
}

/// Arguments assigned to System V registers and stack slots.
#[derive(Default)]
struct ArgAssign {
    gp: [u64; 6],
    ngp: usize,
    fp: [u64; 8],
    nfp: usize,
    stack: Vec<u64>,
    all_i32: bool,
    ints: Vec<u64>,
}

impl ArgAssign {
    fn new() -> ArgAssign {
        ArgAssign {
            all_i32: true,
            ..ArgAssign::default()
        }
    }
    fn int(&mut self, v: u64, is_i32: bool) {
        self.all_i32 &= is_i32;
        self.ints.push(v);
        if self.ngp < self.gp.len() {
            self.gp[self.ngp] = v;
            self.ngp += 1;
        } else {
            self.stack.push(v);
        }
    }
    fn float(&mut self, bits: u64) {
        self.all_i32 = false;
        if self.nfp < self.fp.len() {
            self.fp[self.nfp] = bits;
            self.nfp += 1;
        } else {
            self.stack.push(bits);
        }
    }
}

fn call_native(
    inst_id: u64,
    inst: &Weak<InstObj>,
    entry: &NativeEntry,
    ty: &FuncType,
    caller: &mut Caller<'_>,
    cells: &mut [u64],
) -> Result<(), Trap> {
    if crate::os::native_stack::host_call_overflows() {
        return Err(Trap::Code(TrapCode::NativeStackOverflow));
    }
    let env = active::innermost().map_or(SealedHandle::NULL, |f| f.env);
    let attachment = entry.attachment as *mut c_void;
    if entry.raw {
        // `$` strings stay alive (and unchanged by the guest) until the native returns.
        let snapshots = match &entry.sig {
            Some(Ok(sig)) => raw_pointer_args(caller, sig, cells)?,
            _ => Vec::new(),
        };
        // SAFETY: raw natives have this exact prototype (module invariants).
        let f = unsafe {
            std::mem::transmute::<usize, unsafe extern "C" fn(*mut c_void, *mut u64)>(entry.func)
        };
        let g = active::push_native(inst_id, env, caller, attachment);
        // SAFETY: `cells` has one 64-bit slot per parameter and at least one for the result.
        unsafe { f(env.to_ptr(), cells.as_mut_ptr()) };
        drop(g);
        drop(snapshots);
        return exception::take_native_exception(inst);
    }

    let comp = externref::compartment_of_store(caller.store());
    let (base, mem_len) = caller
        .memory()
        .map_or((std::ptr::null_mut(), 0u64), |m| (m.base(), m.len() as u64));
    let mut a = ArgAssign::new();
    // The exec env is pointer-sized, but it does not disqualify the i32 fast path.
    a.int(env.bits(), true);
    let mut snapshots: Vec<Vec<u8>> = Vec::new();
    // Bounced pointer arguments and the guest offsets they copy back to.
    let mut bounced: Vec<(u64, BounceBuf)> = Vec::new();
    match &entry.sig {
        None => {
            for (t, &c) in ty.params().iter().zip(cells.iter()) {
                match t {
                    ValType::I32 => a.int(u64::from(c as u32), true),
                    ValType::I64 | ValType::FuncRef => a.int(c, false),
                    ValType::F32 => a.float(u64::from(c as u32)),
                    ValType::F64 => a.float(c),
                    ValType::ExternRef => a.int(externref::host_of(comp, c) as u64, false),
                    ValType::V128 => {
                        return Err(Trap::Host("v128 natives are not supported".into()));
                    }
                }
            }
        }
        Some(Ok(sig)) => {
            for (i, p) in sig.params.iter().enumerate() {
                let c = cells.get(i).copied().unwrap_or(0);
                match *p {
                    SigParam::I32 | SigParam::Len => a.int(u64::from(c as u32), true),
                    SigParam::I64 => a.int(c, false),
                    SigParam::F32 => a.float(u64::from(c as u32)),
                    SigParam::F64 => a.float(c),
                    SigParam::ExternRef => a.int(externref::host_of(comp, c) as u64, false),
                    SigParam::Ptr { len_next } => {
                        let off = u64::from(c as u32);
                        let len = if len_next {
                            u64::from(cells.get(i + 1).copied().unwrap_or(0) as u32)
                        } else {
                            1
                        };
                        match off.checked_add(len) {
                            Some(end) if end <= mem_len => {}
                            // WAMR also accepts a range inside the attached shared heap (not
                            // for bounced natives: their copies come from linear memory).
                            _ => match shared_heap::caller_app_to_native(caller, off, len) {
                                Some(p) if !entry.bounce => {
                                    a.int(p as u64, false);
                                    continue;
                                }
                                _ => return Err(refused_arg(comp, off, len)),
                            },
                        }
                        if entry.bounce {
                            let buf = bounce_in(caller, off, len).ok_or_else(|| {
                                Trap::Host("cannot map a bounce buffer for a native".into())
                            })?;
                            a.int(buf.ptr() as u64, false);
                            bounced.push((off, buf));
                            continue;
                        }
                        // `off < mem_len` or (len == 0 and off == mem_len): inside or one past.
                        a.int(base as u64 + off, false);
                    }
                    SigParam::Str => {
                        let off = u64::from(c as u32);
                        let max = max_str().saturating_add(1);
                        let mut s = match shared_heap::caller_read_cstr(caller, off, max) {
                            Some(Some(s)) => s,
                            Some(None) => return Err(refused_arg(comp, off, 0)),
                            None => match caller.memory() {
                                Some(m) => m
                                    .read_cstr(off, max)
                                    .map_err(|_| refused_arg(comp, off, 0))?,
                                None => return Err(refused_arg(comp, off, 0)),
                            },
                        };
                        s.push(0);
                        a.int(s.as_ptr() as u64, false);
                        snapshots.push(s);
                    }
                }
            }
        }
        Some(Err(why)) => return Err(Trap::Host(why.clone())),
    }
    let result = ty.results().first().copied();
    let g = active::push_native(inst_id, env, caller, attachment);
    let ret = invoke(entry.func, &a, result)?;
    drop(g);
    drop(snapshots);
    bounce_out(caller, comp, &bounced)?;
    exception::take_native_exception(inst)?;
    if let (Some(t), Some(slot)) = (result, cells.first_mut()) {
        *slot = match t {
            ValType::I32 => u64::from(ret.rax as u32),
            ValType::F32 => u64::from(ret.xmm0 as u32),
            ValType::F64 => ret.xmm0,
            ValType::ExternRef => externref::ref_of(comp, ret.rax as usize),
            _ => ret.rax,
        };
    }
    Ok(())
}

/// What a native returned in the integer and float return registers.
#[repr(C)]
#[derive(Default, Clone, Copy)]
struct Ret {
    rax: u64,
    xmm0: u64,
}

/// Register image for [`invoke_sysv`]: six integer registers then eight float registers.
#[repr(C)]
struct Regs {
    gp: [u64; 6],
    fp: [u64; 8],
}

fn invoke(func: usize, a: &ArgAssign, result: Option<ValType>) -> Result<Ret, Trap> {
    let int_result = matches!(result, None | Some(ValType::I32));
    // ints[0] is the exec env; the rest are i32 values.
    if a.all_i32 && a.nfp == 0 && int_result && a.ints.len() <= 5 {
        return Ok(typed_i32(func, &a.ints, result.is_some()));
    }
    generic(func, a)
}

/// Exact-prototype calls for `(exec_env, i32 x n) -> i32 | void`, n ≤ 4.
fn typed_i32(func: usize, ints: &[u64], has_result: bool) -> Ret {
    type E = *mut c_void;
    let env = ints[0] as usize as E;
    let i = |k: usize| ints[k] as u32 as i32;
    macro_rules! call {
        // Used only inside `unsafe` blocks whose SAFETY comment covers the transmute: the
        // signature says the native has exactly this prototype.
        ($ret:ty; $($arg:ident),*) => {
            std::mem::transmute::<usize, unsafe extern "C" fn(E $(, $arg)*) -> $ret>(func)
        };
    }
    let rax = if has_result {
        // SAFETY: each call matches the registered prototype (module invariants).
        unsafe {
            match ints.len() {
                1 => call!(i32;)(env),
                2 => call!(i32; i32)(env, i(1)),
                3 => call!(i32; i32, i32)(env, i(1), i(2)),
                4 => call!(i32; i32, i32, i32)(env, i(1), i(2), i(3)),
                _ => call!(i32; i32, i32, i32, i32)(env, i(1), i(2), i(3), i(4)),
            }
        }
    } else {
        // SAFETY: as above.
        unsafe {
            match ints.len() {
                1 => call!(();)(env),
                2 => call!((); i32)(env, i(1)),
                3 => call!((); i32, i32)(env, i(1), i(2)),
                4 => call!((); i32, i32, i32)(env, i(1), i(2), i(3)),
                _ => call!((); i32, i32, i32, i32)(env, i(1), i(2), i(3), i(4)),
            }
        }
        0
    };
    Ret {
        rax: u64::from(rax as u32),
        xmm0: 0,
    }
}

#[cfg(all(target_arch = "x86_64", not(windows)))]
fn generic(func: usize, a: &ArgAssign) -> Result<Ret, Trap> {
    let regs = Regs { gp: a.gp, fp: a.fp };
    let mut ret = Ret::default();
    // SAFETY: `invoke_sysv` loads `regs` into the argument registers, copies `stack` (of
    // `len` words) to the outgoing argument area and calls `func`, whose prototype the
    // signature describes (module invariants); `ret` is writable.
    unsafe { invoke_sysv(func, &regs, a.stack.as_ptr(), a.stack.len(), &mut ret) };
    Ok(ret)
}

#[cfg(not(all(target_arch = "x86_64", not(windows))))]
fn generic(_func: usize, _a: &ArgAssign) -> Result<Ret, Trap> {
    let _ = Regs {
        gp: [0; 6],
        fp: [0; 8],
    };
    Err(Trap::Host(
        "this native signature needs the generic call path, which exists only for x86-64 System V so far"
            .into(),
    ))
}

/// Call `func` with the System V argument state `regs` + `stack[..n_stack]`; store `rax` and
/// `xmm0` in `*ret`.
///
/// Frame: `rbp` and four callee-saved registers are pushed (keeping 16-byte alignment), the
/// stack-argument area is rounded up to 16 bytes, so `rsp` is 16-byte aligned at the `call`.
/// `eax` is set to 8 (upper bound of vector registers used) in case the callee is variadic.
///
/// # Safety
/// `regs` is readable, `stack` has `n_stack` readable words, `ret` is writable, and `func` is
/// a C function whose prototype matches the register/stack assignment.
#[cfg(all(target_arch = "x86_64", not(windows)))]
#[unsafe(naked)]
unsafe extern "sysv64" fn invoke_sysv(
    func: usize,
    regs: *const Regs,
    stack: *const u64,
    n_stack: usize,
    ret: *mut Ret,
) {
    core::arch::naked_asm!(
        "push rbp",
        "mov rbp, rsp",
        "push rbx",
        "push r12",
        "push r13",
        "push r14",
        "mov r10, rdi",
        "mov r11, rsi",
        "mov rbx, r8",
        "mov r12, rcx",
        "lea rax, [rcx*8 + 15]",
        "and rax, -16",
        "sub rsp, rax",
        "xor r13, r13",
        "2:",
        "cmp r13, r12",
        "jae 3f",
        "mov rax, qword ptr [rdx + r13*8]",
        "mov qword ptr [rsp + r13*8], rax",
        "inc r13",
        "jmp 2b",
        "3:",
        "movsd xmm0, qword ptr [r11 + 48]",
        "movsd xmm1, qword ptr [r11 + 56]",
        "movsd xmm2, qword ptr [r11 + 64]",
        "movsd xmm3, qword ptr [r11 + 72]",
        "movsd xmm4, qword ptr [r11 + 80]",
        "movsd xmm5, qword ptr [r11 + 88]",
        "movsd xmm6, qword ptr [r11 + 96]",
        "movsd xmm7, qword ptr [r11 + 104]",
        "mov rdi, qword ptr [r11]",
        "mov rsi, qword ptr [r11 + 8]",
        "mov rdx, qword ptr [r11 + 16]",
        "mov rcx, qword ptr [r11 + 24]",
        "mov r8, qword ptr [r11 + 32]",
        "mov r9, qword ptr [r11 + 40]",
        "mov eax, 8",
        "call r10",
        "mov qword ptr [rbx], rax",
        "movq qword ptr [rbx + 8], xmm0",
        "lea rsp, [rbp - 32]",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        "ret",
    )
}
