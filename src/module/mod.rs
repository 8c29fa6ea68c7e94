//! A decoded, validated, immutable WebAssembly module.
//!
//! [`Module::new`] decodes and fully validates a binary (WAMR reports load errors eagerly), but
//! makes no code: the engine that first instantiates the module binds its code object to it
//! (`code.rs`), and fills each function's slot on its first call, shared by every instance.

mod bytes;
mod code;
mod const_expr;
mod errors;
mod parse;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use parking_lot::Mutex;

pub use bytes::ModuleBytes;
pub use code::{EngineMismatch, LazySlots, ModuleCode, ModuleCodeSlot};
pub use const_expr::{ConstExpr, ConstOp};

use crate::error::LoadError;
use crate::types::*;

/// What an import asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportDesc {
    /// A function with this signature (index into the type section).
    Func(TypeIdx),
    /// A table.
    Table(TableType),
    /// A memory.
    Memory(MemoryType),
    /// A global.
    Global(GlobalType),
}

impl ImportDesc {
    /// The kind of entity imported.
    pub fn kind(&self) -> ExternKind {
        match self {
            ImportDesc::Func(_) => ExternKind::Func,
            ImportDesc::Table(_) => ExternKind::Table,
            ImportDesc::Memory(_) => ExternKind::Memory,
            ImportDesc::Global(_) => ExternKind::Global,
        }
    }
}

/// One import of a module.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// Module name.
    pub module: String,
    /// Field name.
    pub name: String,
    /// What is imported.
    pub desc: ImportDesc,
}

/// One export of a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// Export name.
    pub name: String,
    /// Kind of entity.
    pub kind: ExternKind,
    /// Index in the kind's index space.
    pub index: u32,
}

/// Where an element segment goes.
#[derive(Debug, Clone, PartialEq)]
pub enum ElemMode {
    /// Used only by `table.init`.
    Passive,
    /// Only declares functions for `ref.func`; dropped at instantiation.
    Declared,
    /// Copied into a table at instantiation.
    Active {
        /// Target table.
        table: TableIdx,
        /// Offset expression.
        offset: ConstExpr,
    },
}

/// An element segment.
#[derive(Debug, Clone, PartialEq)]
pub struct ElemSegment {
    /// Placement.
    pub mode: ElemMode,
    /// Element type.
    pub ty: RefType,
    /// Items: one constant expression each (function indices are `ref.func` expressions).
    pub items: Vec<ConstExpr>,
}

/// Where a data segment goes.
#[derive(Debug, Clone, PartialEq)]
pub enum DataMode {
    /// Used only by `memory.init`.
    Passive,
    /// Copied into a memory at instantiation.
    Active {
        /// Target memory.
        memory: MemIdx,
        /// Offset expression.
        offset: ConstExpr,
    },
}

/// A data segment; its bytes stay in the module's binary.
#[derive(Debug, Clone, PartialEq)]
pub struct DataSegment {
    /// Placement.
    pub mode: DataMode,
    /// Byte range of the contents inside the module binary.
    pub bytes: Range<usize>,
}

/// A custom section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomSection {
    /// Section name.
    pub name: String,
    /// Byte range of the payload inside the module binary.
    pub data: Range<usize>,
}

/// The body of a defined function inside the module binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuncBody {
    /// Byte range of the body (locals and code) inside the binary.
    pub range: Range<usize>,
}

/// The decoded contents of a module. Shared, immutable (but for the code cache and the name).
#[derive(Debug)]
pub struct ModuleInner {
    /// The binary without its DWARF sections, indexed by original offsets (module `bytes`).
    pub(crate) bytes: ModuleBytes,
    pub(crate) types: Vec<Arc<FuncType>>,
    pub(crate) imports: Vec<Import>,
    /// Type of every function of the index space (imports first).
    pub(crate) funcs: Vec<TypeIdx>,
    pub(crate) num_imported_funcs: u32,
    pub(crate) tables: Vec<TableType>,
    pub(crate) num_imported_tables: u32,
    pub(crate) memories: Vec<MemoryType>,
    pub(crate) num_imported_memories: u32,
    pub(crate) globals: Vec<GlobalType>,
    pub(crate) num_imported_globals: u32,
    /// Initialisers of the defined globals.
    pub(crate) global_inits: Vec<ConstExpr>,
    pub(crate) exports: Vec<Export>,
    pub(crate) export_index: HashMap<String, usize>,
    pub(crate) start: Option<FuncIdx>,
    pub(crate) elems: Vec<ElemSegment>,
    pub(crate) datas: Vec<DataSegment>,
    pub(crate) bodies: Vec<FuncBody>,
    pub(crate) customs: Vec<CustomSection>,
    /// The code an engine made for the defined functions (bound on first instantiation).
    pub(crate) code: ModuleCodeSlot,
    pub(crate) name: Mutex<String>,
}

/// A validated module. Cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

impl Module {
    /// Decode and validate a WebAssembly 2.0 binary. The bytes the module needs are copied
    /// (all but its DWARF sections, see module `bytes`); `bytes` is not referenced afterwards.
    pub fn new(bytes: &[u8]) -> Result<Module, LoadError> {
        parse::parse(bytes).map(|inner| Module {
            inner: Arc::new(inner),
        })
    }

    /// Decode and validate, consuming the bytes.
    pub fn from_vec(bytes: Vec<u8>) -> Result<Module, LoadError> {
        parse::parse(&bytes).map(|inner| Module {
            inner: Arc::new(inner),
        })
    }

    /// True if both handles name the same module.
    pub fn same(&self, other: &Module) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// The module's binary as kept: the loaded one without its DWARF (`.debug_*`) custom
    /// sections (still a valid module).
    pub fn bytes(&self) -> &[u8] {
        self.inner.bytes.binary()
    }

    /// All imports, in order.
    pub fn imports(&self) -> &[Import] {
        &self.inner.imports
    }

    /// All exports, in order.
    pub fn exports(&self) -> &[Export] {
        &self.inner.exports
    }

    /// Find an export by name.
    pub fn export(&self, name: &str) -> Option<&Export> {
        self.inner
            .export_index
            .get(name)
            .map(|&i| &self.inner.exports[i])
    }

    /// The type section.
    pub fn types(&self) -> &[Arc<FuncType>] {
        &self.inner.types
    }

    /// The signature of function `f` (imported or defined).
    pub fn func_type(&self, f: FuncIdx) -> Option<&FuncType> {
        let t = self.inner.funcs.get(f.index())?;
        self.inner.types.get(t.index()).map(|a| &**a)
    }

    /// Number of functions in the index space.
    pub fn num_funcs(&self) -> u32 {
        self.inner.funcs.len() as u32
    }

    /// Number of imported functions.
    pub fn num_imported_funcs(&self) -> u32 {
        self.inner.num_imported_funcs
    }

    /// Table types (imports first).
    pub fn tables(&self) -> &[TableType] {
        &self.inner.tables
    }

    /// Memory types (imports first).
    pub fn memories(&self) -> &[MemoryType] {
        &self.inner.memories
    }

    /// Global types (imports first).
    pub fn globals(&self) -> &[GlobalType] {
        &self.inner.globals
    }

    /// The start function, if any.
    pub fn start(&self) -> Option<FuncIdx> {
        self.inner.start
    }

    /// Custom sections in order (DWARF `.debug_*` sections are not kept).
    pub fn custom_sections(&self) -> &[CustomSection] {
        &self.inner.customs
    }

    /// The payload of the first custom section named `name`.
    pub fn custom_section(&self, name: &str) -> Option<&[u8]> {
        self.inner
            .customs
            .iter()
            .find(|c| c.name == name)
            .map(|c| &self.inner.bytes[c.data.clone()])
    }

    /// The module's name (WAMR's `wasm_runtime_set_module_name`); empty by default.
    pub fn name(&self) -> String {
        self.inner.name.lock().clone()
    }

    /// Set the module's name.
    pub fn set_name(&self, name: &str) {
        *self.inner.name.lock() = name.to_string();
    }

    /// Map a function index to a defined-function index, if the function is defined here.
    pub fn defined_func(&self, f: FuncIdx) -> Option<DefinedFuncIdx> {
        f.0.checked_sub(self.inner.num_imported_funcs)
            .filter(|&d| (d as usize) < self.inner.bodies.len())
            .map(DefinedFuncIdx)
    }
}

impl ModuleInner {
    /// Signature of function `f`. Callers pass validated indices.
    pub(crate) fn func_sig(&self, f: FuncIdx) -> &Arc<FuncType> {
        &self.types[self.funcs[f.index()].index()]
    }
}
