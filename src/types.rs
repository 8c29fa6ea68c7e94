//! WebAssembly types and the index newtypes used across the runtime.
//!
//! Index spaces are kept apart by type: a [`FuncIdx`] counts imported and defined functions of a
//! module, a [`DefinedFuncIdx`] only the defined ones. Converting between them needs the module's
//! import count, so mixing them up is a compile error rather than an off-by-imports bug.

use std::fmt;

macro_rules! index_newtype {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub u32);

        impl $name {
            /// The index as a `usize`, for indexing Rust collections.
            #[inline(always)]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

index_newtype! {
    /// Index into a module's type section.
    TypeIdx;
    /// Index into a module's function index space (imports first).
    FuncIdx;
    /// Index among the functions a module defines (its code section).
    DefinedFuncIdx;
    /// Index into a module's table index space.
    TableIdx;
    /// Index into a module's memory index space.
    MemIdx;
    /// Index into a module's global index space.
    GlobalIdx;
    /// Index among the globals a module defines.
    DefinedGlobalIdx;
    /// Index of an element segment.
    ElemIdx;
    /// Index of a data segment.
    DataIdx;
}

/// A value type of WebAssembly 2.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit float.
    F32,
    /// 64-bit float.
    F64,
    /// 128-bit vector (parsed for introspection; not executable yet).
    V128,
    /// Nullable function reference.
    FuncRef,
    /// Nullable external (host) reference.
    ExternRef,
}

impl ValType {
    /// True for `funcref` and `externref`.
    pub fn is_ref(self) -> bool {
        matches!(self, ValType::FuncRef | ValType::ExternRef)
    }

    /// Number of 32-bit cells this type occupies in WAMR's `argv` convention.
    pub fn cell_count(self) -> usize {
        match self {
            ValType::I32 | ValType::F32 => 1,
            ValType::I64 | ValType::F64 => 2,
            ValType::V128 => 4,
            // WAMR passes references as pointer-sized values: two cells on 64-bit hosts.
            ValType::FuncRef | ValType::ExternRef => std::mem::size_of::<usize>() / 4,
        }
    }

    /// The wasm text name (`i32`, `funcref`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
        }
    }
}

/// The element type of a table: a reference type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefType {
    /// `funcref`
    Func,
    /// `externref`
    Extern,
}

impl From<RefType> for ValType {
    fn from(r: RefType) -> ValType {
        match r {
            RefType::Func => ValType::FuncRef,
            RefType::Extern => ValType::ExternRef,
        }
    }
}

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FuncType {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
}

impl FuncType {
    /// A signature from its parameter and result types.
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> FuncType {
        FuncType {
            params: params.into_iter().collect(),
            results: results.into_iter().collect(),
        }
    }

    /// Parameter types.
    pub fn params(&self) -> &[ValType] {
        &self.params
    }

    /// Result types.
    pub fn results(&self) -> &[ValType] {
        &self.results
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[ValType]| v.iter().map(|t| t.name()).collect::<Vec<_>>().join(" ");
        write!(
            f,
            "(func (param {}) (result {}))",
            list(&self.params),
            list(&self.results)
        )
    }
}

/// Limits of a table or memory, in elements or pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Initial size.
    pub min: u64,
    /// Maximum size, if declared.
    pub max: Option<u64>,
}

impl Limits {
    /// True if `self` (an actual import) satisfies `required` (the import's declared limits).
    pub fn matches(&self, required: &Limits) -> bool {
        if self.min < required.min {
            return false;
        }
        match (self.max, required.max) {
            (_, None) => true,
            (Some(a), Some(r)) => a <= r,
            (None, Some(_)) => false,
        }
    }
}

/// A table type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableType {
    /// Element type.
    pub elem: RefType,
    /// Size limits in elements.
    pub limits: Limits,
}

/// A memory type (32-bit index space, 64 KiB pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    /// Size limits in pages.
    pub limits: Limits,
    /// Declared `shared` (threads proposal).
    pub shared: bool,
}

/// A global type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalType {
    /// Value type.
    pub content: ValType,
    /// Whether `global.set` is allowed.
    pub mutable: bool,
}

/// What kind of entity an import or export names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExternKind {
    /// A function.
    Func,
    /// A table.
    Table,
    /// A linear memory.
    Memory,
    /// A global.
    Global,
}

impl ExternKind {
    /// Lower-case name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            ExternKind::Func => "function",
            ExternKind::Table => "table",
            ExternKind::Memory => "memory",
            ExternKind::Global => "global",
        }
    }
}

/// Size of a WebAssembly page.
pub const WASM_PAGE_SIZE: u64 = 65536;
/// Maximum number of pages of a 32-bit memory.
pub const MAX_WASM_PAGES: u64 = 65536;
/// Maximum number of table elements we allow (as WAMR, a u32 length).
pub const MAX_TABLE_ELEMS: u64 = 10_000_000;
