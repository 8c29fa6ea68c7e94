//! Runtime objects: the store and what it owns.

pub mod app_heap;
pub mod app_heap_module;
pub mod app_heap_place;
pub mod app_space;
pub mod compartment;
pub mod delegation;
mod engine;
mod exec_stack;
pub mod externref;
mod func;
mod global;
pub mod guest;
pub mod host_refs;
mod instance;
mod linker;
mod memory;
pub mod multi_module;
mod multi_module_load;
pub mod shared_heap;
mod store;
mod table;
pub mod value;

pub use app_heap::{AppHeap, HeapError, HeapStats};
pub use compartment::{Compartment, CompartmentId, TrapOrigin, TrapPolicy};
pub use engine::Engine;
pub use exec_stack::{ExecStack, SavedFrame, TrapFrame};
pub use func::{Caller, FuncEntity, FuncKind, HostFn, HostFunc};
pub use global::Global;
pub use instance::Instance;
pub use linker::{Definition, HostFuncFactory, Linker};
pub use memory::LinearMemory;
pub use store::{
    Extern, FuncAddr, GlobalAddr, InstanceAddr, MemAddr, SigId, Store, StoreConfig, TableAddr,
};
pub use table::Table;
pub use value::Val;
