//! The fast interpreter: lazy translation to slot bytecode and its execution loop.

mod backtrace;
mod code;
mod exec;
mod invoke;
pub mod isa;
mod machine;
mod num;
mod translate;

pub use backtrace::TrapFrame;
pub use code::{CodeCache, disassemble};
pub(crate) use invoke::invoke;
pub use machine::{CompiledFunc, Stack, TranslateError};
