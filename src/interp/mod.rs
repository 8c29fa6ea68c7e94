//! The fast interpreter: lazy translation to slot bytecode and its execution loop.

mod backtrace;
mod code;
mod engine;
mod exec;
pub mod isa;
mod num;
mod op;
mod translate;

pub use code::{CodeCache, CompiledFunc, TranslateError, disassemble};
pub use engine::{INTERPRETER, Interpreter};
