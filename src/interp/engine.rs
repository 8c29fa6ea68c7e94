//! The interpreter as an engine of the runtime ([`crate::runtime::Engine`]).

use super::code::{CodeCache, NAME};
use super::machine::TranslateError;
use super::translate;
use crate::error::Trap;
use crate::module::{ModuleCode, ModuleInner};
use crate::runtime::{Engine, ExecStack, FuncAddr, Store};
use crate::types::DefinedFuncIdx;

/// The fast interpreter: translates each function to slot bytecode on its first call.
#[derive(Debug, Default)]
pub struct Interpreter;

/// The interpreter engine.
pub static INTERPRETER: Interpreter = Interpreter;

impl Engine for Interpreter {
    fn name(&self) -> &'static str {
        NAME
    }

    fn make_code(&self, module: &ModuleInner) -> Box<dyn ModuleCode> {
        Box::new(CodeCache::new(module.bodies.len(), translate::translate))
    }

    fn invoke(
        &self,
        store: &mut Store,
        stack: &mut ExecStack,
        func: FuncAddr,
        cells: &mut [u64],
    ) -> Result<(), Trap> {
        super::invoke::invoke(store, stack, func, cells)
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
