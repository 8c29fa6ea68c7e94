//! The embedding layer: what an embedder's program (and both C APIs) stands on.
//!
//! It sits above the runtime and the engines, and is the only layer that picks an engine:
//! [`crate::Store::new`] gives a store whose code runs on the default engine (the interpreter;
//! WAMR's running modes choose among engines here as more arrive).

mod engines;

pub use engines::default_engine;
