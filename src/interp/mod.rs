//! The fast interpreter: lazy translation to slot bytecode and its execution loop.

mod backtrace;
mod code;
mod exec;
pub mod isa;
mod num;
mod op;
mod stack;
mod translate;

pub use backtrace::TrapFrame;
pub use code::{CodeCache, CompiledFunc, TranslateError, disassemble};
pub(crate) use exec::invoke;
pub use stack::Stack;
