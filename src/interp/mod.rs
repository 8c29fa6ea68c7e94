//! The fast interpreter: lazy translation to slot bytecode and its execution loop.

mod backtrace;
mod code;
mod engine;
mod exec;
mod invoke;
pub mod isa;
mod machine;
mod num;
mod translate;

pub use code::CodeCache;
pub use engine::{INTERPRETER, Interpreter, disassemble};
pub use machine::{CompiledFunc, TranslateError};
