//! WAMR's libc-builtin native library: the 52 functions WAMR 2.4.3 registers under module
//! `env` (`printf`, `malloc`, `strlen`, ...), the built-in globals `global.NaN` /
//! `global.Infinity`, and (for spec testing) the `spectest` module ([`spectest`]).
//!
//! Every entry has WAMR's signature string. The arguments are checked as WAMR checks them
//! before the native runs (`*` one byte, or `*~` the length that follows; `$` a NUL-terminated
//! string that ends inside memory), but on the capability core: a pointer becomes a
//! [`GuestRange`] of the caller's memory, a string a [`GuestStr`] snapshot, and every read or
//! write of guest memory goes through those bounded views. A refused argument (or a range the
//! function itself re-checks, such as `memcpy`'s destination) is recorded in the violation log
//! and the call traps with WAMR's `out of bounds memory access`; no host memory outside the
//! guest's regions is ever read or written.
//!
//! As in WAMR, a guest pointer may name linear memory or a shared heap attached to the
//! instance: every check asks the caller's [`AppSpace`] (the runtime's one answer to "which
//! region does this app address fall in") for the view, so the functions below never look at
//! regions themselves. Only `sprintf`'s destination must be in linear memory (WAMR bounds it
//! with the end of linear memory and refuses anything else).
//!
//! Name resolution follows WAMR ([`add_to_linker`]): an import `env._NAME` that is not itself
//! an entry binds to `NAME` (WAMR's `_` fallback); natives the embedder registers are defined
//! after the library and shadow it.
//!
//! Files: `printf.rs` (the printf family and its `va_list` walk), `string.rs` (string and
//! memory functions, `atoi`/`strtol`), `heap.rs` (`malloc` & co. on the app heap or the guest's
//! own allocator), `misc.rs` (stdio, ctype, `exit`/`abort`, clocks, `__cxa_*`).
//!
//! This file has no unsafe code; the files that call the host C library (`printf.rs`,
//! `string.rs`, `misc.rs`) state their invariants.

mod heap;
mod misc;
mod printf;
pub mod spectest;
mod string;

use crate::cap::{CapFault, Perms};
use crate::error::{Trap, TrapCode};
use crate::module::{ImportDesc, Module};
use crate::runtime::app_space::AppSpace;
use crate::runtime::guest::native_sig::{NativeSig, SigParam};
use crate::runtime::guest::{GuestRange, GuestStr, VIEW_PERMS, record_guest_fault};
use crate::runtime::{Caller, Definition, Extern, HostFunc, LinearMemory, Linker, Store, Val};
use crate::types::{GlobalType, ValType};

/// The module name of the library.
pub const MODULE: &str = "env";

/// The body of one entry: the checked arguments in, the result cell out (ignored when the
/// signature has no result).
type Native = fn(&mut Caller<'_>, &Args) -> Result<u64, Trap>;

/// The library: name, WAMR's signature string, body (in WAMR's table order).
const ENTRIES: &[(&str, &str, Native)] = &[
    ("printf", "($*)i", printf::printf),
    ("sprintf", "($$*)i", printf::sprintf),
    ("snprintf", "(*~$*)i", printf::snprintf),
    ("vprintf", "($*)i", printf::printf),
    ("vsprintf", "($$*)i", printf::sprintf),
    ("vsnprintf", "(*~$*)i", printf::snprintf),
    ("puts", "($)i", misc::puts),
    ("putchar", "(i)i", misc::putchar),
    ("memcmp", "(**~)i", string::memcmp),
    ("memcpy", "(**~)i", string::memcpy),
    ("memmove", "(**~)i", string::memcpy),
    ("memset", "(*ii)i", string::memset),
    ("strchr", "($i)i", string::strchr),
    ("strcmp", "($$)i", string::strcmp),
    ("strcpy", "(*$)i", string::strcpy),
    ("strlen", "($)i", string::strlen),
    ("strncmp", "(**~)i", string::strncmp),
    ("strncpy", "(**~)i", string::strncpy),
    ("malloc", "(i)i", heap::malloc),
    ("realloc", "(ii)i", heap::realloc),
    ("calloc", "(ii)i", heap::calloc),
    ("strdup", "($)i", heap::strdup),
    ("_strdup", "($)i", heap::strdup),
    ("free", "(*)", heap::free),
    ("atoi", "($)i", string::atoi),
    ("exit", "(i)", misc::exit),
    ("strtol", "($*i)i", string::strtol),
    ("strtoul", "($*i)i", string::strtoul),
    ("memchr", "(*ii)i", string::memchr),
    ("strncasecmp", "($$i)i", string::strncasecmp),
    ("strspn", "($$)i", string::strspn),
    ("strcspn", "($$)i", string::strcspn),
    ("strstr", "($$)i", string::strstr),
    ("isupper", "(i)i", misc::isupper),
    ("isalpha", "(i)i", misc::isalpha),
    ("isspace", "(i)i", misc::isspace),
    ("isgraph", "(i)i", misc::isgraph),
    ("isprint", "(i)i", misc::isprint),
    ("isdigit", "(i)i", misc::isdigit),
    ("isxdigit", "(i)i", misc::isxdigit),
    ("tolower", "(i)i", misc::tolower),
    ("toupper", "(i)i", misc::toupper),
    ("isalnum", "(i)i", misc::isalnum),
    ("emscripten_memcpy_big", "(**~)i", string::memcpy),
    ("abort", "(i)", misc::abort),
    ("abortStackOverflow", "(i)", misc::abort_stack_overflow),
    ("nullFunc_X", "(i)", misc::null_func_x),
    ("__cxa_allocate_exception", "(i)i", heap::malloc),
    ("__cxa_begin_catch", "(*)", misc::cxa_begin_catch),
    ("__cxa_throw", "(**i)", misc::cxa_throw),
    ("clock_gettime", "(i*)i", misc::clock_gettime),
    ("clock", "()I", misc::clock),
];

/// The names and signature strings of the library, in WAMR's order.
pub fn entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    ENTRIES.iter().map(|&(n, s, _)| (n, s))
}

/// The checked arguments of one call: the raw cells, and for each `$` parameter its snapshot.
pub(crate) struct Args {
    cells: Vec<u64>,
    strs: Vec<Option<GuestStr>>,
}

impl Args {
    /// Parameter `i` as an unsigned 32-bit value (pointers, lengths, `int`s).
    fn u32(&self, i: usize) -> u32 {
        self.cells.get(i).map_or(0, |&c| c as u32)
    }

    /// Parameter `i` as a signed 32-bit value.
    fn i32(&self, i: usize) -> i32 {
        self.u32(i) as i32
    }

    /// The snapshot of `$` parameter `i` (checked before the body runs).
    fn str(&self, i: usize) -> &GuestStr {
        match self.strs.get(i) {
            Some(Some(s)) => s,
            // The table's signatures put `$` exactly where the bodies read strings.
            _ => panic!("libc-builtin: parameter {i} is not a string"),
        }
    }
}

/// WAMR's `out of bounds memory access`.
pub(crate) fn oob() -> Trap {
    Trap::Code(TrapCode::MemoryOutOfBounds)
}

/// An exception set by a native (`wasm_runtime_set_exception`): WAMR formats these into a
/// 32-byte buffer, so the text is cut to 31 bytes.
pub(crate) fn exception(text: String) -> Trap {
    let mut t = text;
    t.truncate(31);
    Trap::Host(t)
}

/// The calling instance's app address space (memory 0 and any attached shared heap).
pub(crate) fn space(caller: &Caller<'_>) -> AppSpace {
    AppSpace::of_caller(caller)
}

/// Records a refused guest access `[off, off + len)` by the caller and returns the trap.
pub(crate) fn refuse(caller: &Caller<'_>, mem: Option<&LinearMemory>, off: u64, len: u64) -> Trap {
    let comp = caller
        .instance
        .and_then(|i| crate::runtime::compartment::of(caller.store, i))
        .map(|c| c.id().0);
    match mem {
        Some(m) => {
            record_guest_fault(CapFault::Bounds, m, off, len, VIEW_PERMS, comp);
        }
        None => {
            crate::cap::violation::record(&crate::cap::Violation {
                kind: crate::cap::ViolationKind::CapBounds,
                compartment: comp,
                addr: off,
                len,
                perms: VIEW_PERMS,
                otype: crate::cap::OType::UNSEALED,
            });
        }
    }
    oob()
}

/// The range `[off, off + len)` of the caller's space with `perms`, or the recorded trap.
pub(crate) fn range<'s>(
    caller: &Caller<'_>,
    space: &'s AppSpace,
    off: u64,
    len: u64,
    perms: Perms,
) -> Result<GuestRange<'s>, Trap> {
    space
        .range(off, len, perms)
        .map_err(|_| refuse(caller, space.memory().map(|m| &**m), off, len))
}

/// A snapshot of the C string at `off` (it must end inside the region it starts in, as
/// WAMR's `validate_app_str_addr`), or the recorded trap.
pub(crate) fn c_string(caller: &Caller<'_>, space: &AppSpace, off: u64) -> Result<GuestStr, Trap> {
    space.c_string(off, u64::MAX).map_err(|_| {
        let left = space.region_end(off).unwrap_or(off).saturating_sub(off);
        refuse(caller, space.memory().map(|m| &**m), off, left.max(1))
    })
}

/// Checks one call's cells against `sig` as WAMR's `wasm_runtime_invoke_native` does.
fn check_args(caller: &Caller<'_>, sig: &NativeSig, cells: &[u64]) -> Result<Args, Trap> {
    let space = space(caller);
    let mut strs = Vec::with_capacity(sig.params().len());
    for (i, p) in sig.params().iter().enumerate() {
        let c = u64::from(cells.get(i).copied().unwrap_or(0) as u32);
        let mut snap = None;
        match p {
            SigParam::Ptr | SigParam::PtrWithLen => {
                let len = if *p == SigParam::PtrWithLen {
                    u64::from(cells.get(i + 1).copied().unwrap_or(0) as u32)
                } else {
                    1
                };
                range(caller, &space, c, len, VIEW_PERMS)?;
            }
            SigParam::Str => snap = Some(c_string(caller, &space, c)?),
            _ => {}
        }
        strs.push(snap);
    }
    Ok(Args {
        cells: cells[..sig.params().len().min(cells.len())].to_vec(),
        strs,
    })
}

/// The host function of one entry.
fn host_func(sig: &'static str, body: Native) -> HostFunc {
    let parsed = match NativeSig::parse(sig, false) {
        Ok(s) => s,
        Err(e) => panic!("libc-builtin: bad signature in the table: {e}"),
    };
    let ty = parsed.func_type();
    let has_result = parsed.result().is_some();
    HostFunc::new(ty, move |caller, cells| {
        let args = check_args(caller, &parsed, cells)?;
        let r = body(caller, &args)?;
        if has_result && let Some(c) = cells.first_mut() {
            *c = r;
        }
        Ok(())
    })
}

/// Defines the library under `env` in `linker`, with WAMR's `_` fallback (`env._NAME` binds
/// to `NAME` unless `_NAME` is itself an entry). Definitions made afterwards (the embedder's
/// natives) replace these.
pub fn add_to_linker(linker: &mut Linker) {
    for &(name, sig, body) in ENTRIES {
        let alias = format!("_{name}");
        if !ENTRIES.iter().any(|&(n, _, _)| n == alias) {
            linker.func(MODULE, &alias, host_func(sig, body));
        }
    }
    for &(name, sig, body) in ENTRIES {
        linker.func(MODULE, name, host_func(sig, body));
    }
}

/// True if `env.name` is provided by the library (directly or through the `_` fallback).
pub fn provides(module: &str, name: &str) -> bool {
    module == MODULE
        && ENTRIES
            .iter()
            .any(|&(n, _, _)| n == name || name.strip_prefix('_') == Some(n))
}

/// The type of `module.name` in the library (directly or through the `_` fallback).
pub fn func_type(module: &str, name: &str) -> Option<crate::types::FuncType> {
    if module != MODULE {
        return None;
    }
    let sig = ENTRIES
        .iter()
        .find(|&&(n, _, _)| n == name)
        .or_else(|| {
            ENTRIES
                .iter()
                .find(|&&(n, _, _)| name.strip_prefix('_') == Some(n))
        })?
        .1;
    NativeSig::parse(sig, false).ok().map(|s| s.func_type())
}

/// The built-in imported globals: `global.NaN` and `global.Infinity` (immutable `f64`).
pub fn builtin_global(module: &str, name: &str) -> Option<(GlobalType, u64)> {
    let f64c = GlobalType {
        content: ValType::F64,
        mutable: false,
    };
    match (module, name) {
        ("global", "NaN") => Some((f64c, 0x7FF8_0000_0000_0000)),
        ("global", "Infinity") => Some((f64c, 0x7FF0_0000_0000_0000)),
        _ => None,
    }
}

/// Defines, in `linker`, every built-in global that `module` imports (creating it in
/// `store`). A global import of another type fails to instantiate with the store's
/// `incompatible import type`, as in WAMR.
pub fn add_globals(linker: &mut Linker, store: &mut Store, module: &Module) {
    for imp in module.imports() {
        if let ImportDesc::Global(_) = imp.desc
            && let Some((ty, bits)) = builtin_global(&imp.module, &imp.name)
        {
            let g = store.add_global(ty, Val::from_bits(ty.content, bits));
            linker.define(
                &imp.module,
                &imp.name,
                Definition::Extern(Extern::Global(g)),
            );
        }
    }
}

#[cfg(test)]
mod tests;
