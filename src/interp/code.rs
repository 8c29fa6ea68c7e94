//! Translated function code and the per-module lazy code cache.

use std::sync::OnceLock;

use super::machine::{CompiledFunc, Op, TranslateError};
use super::translate;
use crate::error::{Trap, TrapCode};
use crate::module::ModuleInner;
use crate::types::DefinedFuncIdx;

/// Lazily translated code of every defined function of a module.
#[derive(Debug, Default)]
pub struct CodeCache {
    funcs: Box<[OnceLock<Result<CompiledFunc, TranslateError>>]>,
}

impl CodeCache {
    /// A cache for `n` defined functions, none translated.
    pub fn new(n: usize) -> CodeCache {
        CodeCache {
            funcs: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The code of `f`, translating it on first use. A translation failure (a resource limit)
    /// becomes a trap at call time.
    #[inline]
    pub fn get(&self, module: &ModuleInner, f: DefinedFuncIdx) -> Result<&CompiledFunc, Trap> {
        let cell = self
            .funcs
            .get(f.index())
            .ok_or(Trap::Code(TrapCode::InvalidFunctionIndex))?;
        let res = match cell.get() {
            Some(r) => r,
            None => cell.get_or_init(|| translate::translate(module, f)),
        };
        res.as_ref().map_err(|e| Trap::Host(e.0.clone()))
    }

    /// The code of `f` if it is already translated (the fast path of calls).
    #[inline(always)]
    pub fn try_get(&self, f: DefinedFuncIdx) -> Option<&CompiledFunc> {
        self.funcs.get(f.index())?.get()?.as_ref().ok()
    }

    /// The function whose code contains op `ip`, and the op's index in it (trap locations).
    pub(crate) fn locate(&self, ip: *const Op) -> Option<(DefinedFuncIdx, usize)> {
        let size = std::mem::size_of::<Op>();
        self.funcs.iter().enumerate().find_map(|(i, cell)| {
            let code = cell.get()?.as_ref().ok()?;
            let start = code.ops.as_ptr() as usize;
            let at = (ip as usize).checked_sub(start)? / size;
            (at < code.ops.len()).then_some((DefinedFuncIdx(i as u32), at))
        })
    }

    /// Number of functions translated so far.
    pub fn translated_count(&self) -> usize {
        self.funcs.iter().filter(|c| c.get().is_some()).count()
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
