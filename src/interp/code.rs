//! Translated function code and the interpreter's per-module code object (lazy slots).
//!
//! # Invariants
//! Every code object the interpreter makes is a [`CodeCache`], so the code object of any
//! instance of an interpreter store (`Instance::code_addr`) is one.

use std::any::Any;

use super::machine::{CompiledFunc, Op, TranslateError};
use crate::error::{Trap, TrapCode};
use crate::module::{LazySlots, ModuleCode, ModuleInner};
use crate::types::DefinedFuncIdx;

/// The interpreter's code for one module: one lazily translated slot per defined function.
pub struct CodeCache {
    funcs: LazySlots<Result<CompiledFunc, TranslateError>>,
    /// Fills a slot on a function's first call: the translator, handed in by the engine so that
    /// this file (which the call handlers use) does not import the translator.
    translate: TranslateFn,
}

/// Translates one defined function of a module.
pub(crate) type TranslateFn =
    fn(&ModuleInner, DefinedFuncIdx) -> Result<CompiledFunc, TranslateError>;

impl std::fmt::Debug for CodeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "CodeCache({} of {} translated)",
            self.funcs.filled_count(),
            self.funcs.len()
        )
    }
}

/// The name the interpreter's code objects are bound under.
pub(crate) const NAME: &str = "interpreter";

impl ModuleCode for CodeCache {
    fn engine_name(&self) -> &'static str {
        NAME
    }

    fn compiled_count(&self) -> usize {
        self.funcs.filled_count()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The interpreter's code of instance `inst`, without a lookup.
///
/// # Safety
/// `inst` belongs to a store whose engine is the interpreter (every instance the interpreter
/// runs does: it is reached only through `Engine::invoke` of its store), so its `code_addr` is
/// the address of a `CodeCache` owned by the instance's module, alive as long as `inst`.
#[inline(always)]
pub(crate) unsafe fn code_of_instance(inst: &crate::runtime::Instance) -> &CodeCache {
    // SAFETY: forwarded contract: the store bound the module's code to the interpreter at
    // instantiation (`runtime::engine::bind_code`), and the interpreter makes only `CodeCache`s.
    unsafe { &*(inst.code_addr as *const CodeCache) }
}

impl CodeCache {
    /// A cache for `n` defined functions, none translated; `translate` fills a slot.
    pub(crate) fn new(n: usize, translate: TranslateFn) -> CodeCache {
        CodeCache {
            funcs: LazySlots::new(n),
            translate,
        }
    }

    /// The code of `f`, translating it on first use. A translation failure (a resource limit)
    /// becomes a trap at call time.
    #[inline]
    pub fn get(&self, module: &ModuleInner, f: DefinedFuncIdx) -> Result<&CompiledFunc, Trap> {
        let res = self
            .funcs
            .get_or_fill(f, || (self.translate)(module, f))
            .ok_or(Trap::Code(TrapCode::InvalidFunctionIndex))?;
        res.as_ref().map_err(|e| Trap::Host(e.0.clone()))
    }

    /// The code of `f` if it is already translated (the fast path of calls).
    #[inline(always)]
    pub fn try_get(&self, f: DefinedFuncIdx) -> Option<&CompiledFunc> {
        self.funcs.get(f)?.as_ref().ok()
    }

    /// The function whose code contains op `ip`, and the op's index in it (trap locations).
    pub(crate) fn locate(&self, ip: *const Op) -> Option<(DefinedFuncIdx, usize)> {
        let size = std::mem::size_of::<Op>();
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
