//! The engine interface: how the runtime gets code for a module and runs it.
//!
//! The runtime (store, instances, the compartment switcher, host calls) never names an
//! engine. A [`Store`] is made with one [`Engine`]; every module instantiated in it is bound to
//! that engine's code ([`crate::module::ModuleCodeSlot`]), and every call of a wasm function of
//! the store runs through [`Engine::invoke`]. Host functions see the engine-neutral
//! [`ExecStack`] through [`super::Caller`]. The interpreter is today's only engine
//! (`src/interp/engine.rs`); the embedding layer picks it (WAMR's running modes).

use super::exec_stack::ExecStack;
use super::store::{FuncAddr, Store};
use crate::error::Trap;
use crate::module::{EngineMismatch, ModuleCode, ModuleInner};

/// An engine: makes the code of modules and runs it.
pub trait Engine: Send + Sync + 'static {
    /// A short name ("interpreter"), also the name a module's code is bound under.
    fn name(&self) -> &'static str;

    /// A code object for `module`: per-function slots the engine fills (lazily or now).
    fn make_code(&self, module: &ModuleInner) -> Box<dyn ModuleCode>;

    /// Run wasm function `func` of `store` on `stack` (`cells`: arguments in, results out,
    /// length `max(params, results)`, checked by the caller).
    fn invoke(
        &self,
        store: &mut Store,
        stack: &mut ExecStack,
        func: FuncAddr,
        cells: &mut [u64],
    ) -> Result<(), Trap>;
}

/// Bind `module`'s code to `engine` (making it on first use).
pub(crate) fn bind_code<'m>(
    engine: &dyn Engine,
    module: &'m ModuleInner,
) -> Result<&'m dyn ModuleCode, EngineMismatch> {
    module
        .code
        .get_or_bind(engine.name(), || engine.make_code(module))
}
