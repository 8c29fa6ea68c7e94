//! Translated function code and the interpreter's per-module code object (lazy slots).
//!
//! # Invariants
//! Every code object bound under the interpreter's [`super::engine::ID`] is a [`CodeCache`].

use std::any::Any;

use super::translate;
use crate::error::{Trap, TrapCode};
use crate::module::{EngineId, LazySlots, ModuleCode, ModuleInner};
use crate::types::DefinedFuncIdx;

/// A function translated to slot bytecode.
#[derive(Debug)]
pub struct CompiledFunc {
    /// The executable ops, one per instruction.
    pub(crate) ops: Box<[super::op::Op]>,
    /// Module byte offset of the wasm operator each instruction came from.
    pub offsets: Box<[u32]>,
    /// Number of parameters (slots `0..num_params`).
    pub num_params: u32,
    /// Number of declared locals, zeroed on entry (slots after the parameters).
    pub num_locals: u32,
    /// Total slots the frame needs.
    pub frame_size: u32,
    /// First slot of the constant pool.
    pub const_base: u32,
    /// Constant pool, copied to `const_base..` on entry.
    pub consts: Box<[u64]>,
}

/// Why a function could not be translated (only resource limits; the module is validated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslateError(pub String);

/// The interpreter's code for one module: one lazily translated slot per defined function.
#[derive(Debug)]
pub struct CodeCache {
    funcs: LazySlots<Result<CompiledFunc, TranslateError>>,
}

impl ModuleCode for CodeCache {
    fn engine_name(&self) -> &'static str {
        super::engine::NAME
    }

    fn engine_id(&self) -> EngineId {
        super::engine::ID
    }

    fn compiled_count(&self) -> usize {
        self.funcs.filled_count()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The interpreter's code of `module`, if the module is bound to the interpreter (it is once
/// it has been instantiated in a store whose engine is the interpreter).
#[inline(always)]
pub(crate) fn code_of(module: &ModuleInner) -> Option<&CodeCache> {
    let data = module.code.data_for(super::engine::ID)?;
    // SAFETY: `engine::ID` is the interpreter's alone and every code object it makes is a
    // `CodeCache` (`Interpreter::make_code`), so `data` points to a live `CodeCache` owned by
    // the module's slot for as long as `module` is borrowed (module/code.rs invariants).
    Some(unsafe { &*data.cast::<CodeCache>() })
}

/// The trap of running a module whose code belongs to no interpreter (not reachable through
/// the store, which binds the module at instantiation).
#[cold]
pub(crate) fn unbound() -> Trap {
    Trap::Host("the module's code is not bound to the interpreter".into())
}

impl CodeCache {
    /// A cache for `n` defined functions, none translated.
    pub fn new(n: usize) -> CodeCache {
        CodeCache {
            funcs: LazySlots::new(n),
        }
    }

    /// The code of `f`, translating it on first use. A translation failure (a resource limit)
    /// becomes a trap at call time.
    #[inline]
    pub fn get(&self, module: &ModuleInner, f: DefinedFuncIdx) -> Result<&CompiledFunc, Trap> {
        let res = self
            .funcs
            .get_or_fill(f, || translate::translate(module, f))
            .ok_or(Trap::Code(TrapCode::InvalidFunctionIndex))?;
        res.as_ref().map_err(|e| Trap::Host(e.0.clone()))
    }

    /// The code of `f` if it is already translated (the fast path of calls).
    #[inline(always)]
    pub fn try_get(&self, f: DefinedFuncIdx) -> Option<&CompiledFunc> {
        self.funcs.get(f)?.as_ref().ok()
    }

    /// The function whose code contains op `ip`, and the op's index in it (trap locations).
    pub(crate) fn locate(&self, ip: *const super::op::Op) -> Option<(DefinedFuncIdx, usize)> {
        let size = std::mem::size_of::<super::op::Op>();
        self.funcs.filled().find_map(|(f, res)| {
            let code = res.as_ref().ok()?;
            let start = code.ops.as_ptr() as usize;
            let at = (ip as usize).checked_sub(start)? / size;
            (at < code.ops.len()).then_some((f, at))
        })
    }

    /// Number of functions translated so far.
    pub fn translated_count(&self) -> usize {
        self.funcs.filled_count()
    }

    /// Translate every function now (eager mode, for benchmarks and validation tests).
    pub fn translate_all(&self, module: &ModuleInner) -> Result<(), TranslateError> {
        for i in 0..self.funcs.len() {
            if let Err(Trap::Host(m)) = self.get(module, DefinedFuncIdx(i as u32)) {
                return Err(TranslateError(m));
            }
        }
        Ok(())
    }
}

/// A readable listing of the translated code of defined function `f` (for tests and tuning).
pub fn disassemble(module: &crate::Module, f: DefinedFuncIdx) -> Result<String, TranslateError> {
    let (code, listing) = translate::translate_listing(&module.inner, f)?;
    let mut out = format!(
        "params {} locals {} frame {} consts@{} {:?}\n",
        code.num_params, code.num_locals, code.frame_size, code.const_base, code.consts
    );
    for (i, ins) in listing.iter().enumerate() {
        out.push_str(&format!("{i:4}: {ins:?}\n"));
    }
    Ok(out)
}
