//! The interpreter as an engine of the runtime ([`crate::runtime::Engine`]).

use super::code::CodeCache;
use crate::error::Trap;
use crate::module::{EngineId, ModuleCode, ModuleInner};
use crate::runtime::{Engine, ExecStack, FuncAddr, Store};

/// The name the interpreter's code objects are bound under.
pub(crate) const NAME: &str = "interpreter";

/// The interpreter's engine id: its code objects are all `CodeCache`s.
pub(crate) const ID: EngineId = EngineId(1);

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
        Box::new(CodeCache::new(module.bodies.len()))
    }

    fn invoke(
        &self,
        store: &mut Store,
        stack: &mut ExecStack,
        func: FuncAddr,
        cells: &mut [u64],
    ) -> Result<(), Trap> {
        super::exec::invoke(store, stack, func, cells)
    }
}
