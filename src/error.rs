//! Errors and traps, with WAMR's exact wording.
//!
//! Embedders compare WAMR's exception strings byte for byte, so every trap cause maps to the
//! message WAMR 2.4.3 prints (see `behaviour.md` of the reference). The `Exception: ` prefix is
//! added where WAMR adds it ([`Trap::exception_string`]).

use std::fmt;

/// The cause of a WebAssembly trap raised by the runtime itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrapCode {
    /// `unreachable` executed.
    Unreachable,
    /// An allocation inside the runtime failed.
    AllocateMemoryFailed,
    /// Linear-memory access out of bounds (including bulk memory operations).
    MemoryOutOfBounds,
    /// Signed division overflow or float-to-int conversion out of range.
    IntegerOverflow,
    /// Division or remainder by zero.
    IntegerDivideByZero,
    /// Float-to-int conversion of NaN.
    InvalidConversionToInteger,
    /// `call_indirect` signature mismatch.
    IndirectCallTypeMismatch,
    /// A function index that names no function.
    InvalidFunctionIndex,
    /// `call_indirect` element index at or beyond the table size.
    UndefinedElement,
    /// `call_indirect` through a null table entry.
    UninitializedElement,
    /// The native (host) stack is exhausted.
    NativeStackOverflow,
    /// Misaligned atomic access.
    UnalignedAtomic,
    /// `__stack_pointer` went below the auxiliary stack.
    AuxStackOverflow,
    /// `__stack_pointer` went above the auxiliary stack.
    AuxStackUnderflow,
    /// Table access out of bounds (`table.get/set/fill/copy/init`).
    TableOutOfBounds,
    /// The interpreter's operand or frame stack is exhausted.
    OperandStackOverflow,
    /// `wasm_runtime_terminate` was called.
    TerminatedByUser,
    /// An instruction budget ran out.
    InstructionLimitExceeded,
}

impl TrapCode {
    /// All trap codes, indexed by their discriminant.
    pub const ALL: [TrapCode; 18] = [
        TrapCode::Unreachable,
        TrapCode::AllocateMemoryFailed,
        TrapCode::MemoryOutOfBounds,
        TrapCode::IntegerOverflow,
        TrapCode::IntegerDivideByZero,
        TrapCode::InvalidConversionToInteger,
        TrapCode::IndirectCallTypeMismatch,
        TrapCode::InvalidFunctionIndex,
        TrapCode::UndefinedElement,
        TrapCode::UninitializedElement,
        TrapCode::NativeStackOverflow,
        TrapCode::UnalignedAtomic,
        TrapCode::AuxStackOverflow,
        TrapCode::AuxStackUnderflow,
        TrapCode::TableOutOfBounds,
        TrapCode::OperandStackOverflow,
        TrapCode::TerminatedByUser,
        TrapCode::InstructionLimitExceeded,
    ];

    /// The trap code with discriminant `n` (`code as u32`), if any.
    pub fn from_u32(n: u32) -> Option<TrapCode> {
        TrapCode::ALL.get(n as usize).copied()
    }

    /// The message WAMR uses for this trap, without the `Exception: ` prefix.
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::AllocateMemoryFailed => "allocate memory failed",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::IntegerDivideByZero => "integer divide by zero",
            TrapCode::InvalidConversionToInteger => "invalid conversion to integer",
            TrapCode::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapCode::InvalidFunctionIndex => "invalid function index",
            TrapCode::UndefinedElement => "undefined element",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::NativeStackOverflow => "native stack overflow",
            TrapCode::UnalignedAtomic => "unaligned atomic",
            TrapCode::AuxStackOverflow => "wasm auxiliary stack overflow",
            TrapCode::AuxStackUnderflow => "wasm auxiliary stack underflow",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::OperandStackOverflow => "wasm operand stack overflow",
            TrapCode::TerminatedByUser => "terminated by user",
            TrapCode::InstructionLimitExceeded => "instruction limit exceeded",
        }
    }
}

/// A trap: why a call into WebAssembly did not complete normally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trap {
    /// A trap raised by the runtime.
    Code(TrapCode),
    /// A call reached a function import that was never linked.
    UnlinkedImport {
        /// Import module name.
        module: String,
        /// Import field name.
        name: String,
    },
    /// WASI `proc_exit(code)`: not an error for the guest, but it ends the call.
    Exit(u32),
    /// A trap raised by host code with its own message (already without `Exception: `).
    Host(String),
}

impl Trap {
    /// The message without the `Exception: ` prefix.
    pub fn message(&self) -> String {
        match self {
            Trap::Code(c) => c.message().to_string(),
            Trap::UnlinkedImport { module, name } => {
                format!("failed to call unlinked import function ({module}, {name})")
            }
            Trap::Exit(_) => "wasi proc exit".to_string(),
            Trap::Host(m) => m.clone(),
        }
    }

    /// The text `wasm_runtime_get_exception` returns: `Exception: <message>`.
    pub fn exception_string(&self) -> String {
        format!("Exception: {}", self.message())
    }

    /// The trap code, when the runtime raised it.
    pub fn code(&self) -> Option<TrapCode> {
        match self {
            Trap::Code(c) => Some(*c),
            _ => None,
        }
    }
}

impl From<TrapCode> for Trap {
    fn from(c: TrapCode) -> Trap {
        Trap::Code(c)
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Trap {}

/// A module failed to load (decode or validate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The reason in WAMR's wording, without the `WASM module load failed: ` prefix.
    pub reason: String,
    /// Byte offset in the binary where the problem was found, when known.
    pub offset: Option<usize>,
}

impl LoadError {
    /// A load error with a reason and no offset.
    pub fn new(reason: impl Into<String>) -> LoadError {
        LoadError {
            reason: reason.into(),
            offset: None,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WASM module load failed: {}", self.reason)
    }
}

impl std::error::Error for LoadError {}

/// Instantiation failed: a link error, a segment out of bounds, or a trapping start function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstantiateError {
    /// An import could not be resolved or has the wrong type. The text is WAMR's reason.
    Link(String),
    /// A resource limit or a segment out of bounds (`out of bounds memory access` /
    /// `out of bounds table access`, without `Exception: `, as WAMR words them).
    Failed(String),
    /// The start function trapped (the reason is the exception text, `Exception: ...`).
    Trap(Trap),
}

impl InstantiateError {
    /// The reason in WAMR's wording, without the `WASM module instantiate failed: ` prefix.
    pub fn reason(&self) -> String {
        match self {
            InstantiateError::Link(s) | InstantiateError::Failed(s) => s.clone(),
            InstantiateError::Trap(t) => t.exception_string(),
        }
    }
}

impl fmt::Display for InstantiateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WASM module instantiate failed: {}", self.reason())
    }
}

impl std::error::Error for InstantiateError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trap_codes_round_trip() {
        for (i, c) in TrapCode::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
            assert_eq!(TrapCode::from_u32(i as u32), Some(*c));
        }
        assert_eq!(TrapCode::from_u32(99), None);
    }

    #[test]
    fn exception_strings_match_wamr() {
        assert_eq!(
            Trap::Code(TrapCode::IntegerDivideByZero).exception_string(),
            "Exception: integer divide by zero"
        );
        assert_eq!(
            Trap::UnlinkedImport {
                module: "env".into(),
                name: "x".into()
            }
            .exception_string(),
            "Exception: failed to call unlinked import function (env, x)"
        );
        assert_eq!(
            InstantiateError::Trap(TrapCode::Unreachable.into()).to_string(),
            "WASM module instantiate failed: Exception: unreachable"
        );
        assert_eq!(
            LoadError::new("magic header not detected").to_string(),
            "WASM module load failed: magic header not detected"
        );
    }
}
