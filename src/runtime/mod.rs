//! Runtime objects: the store and what it owns.

mod func;
mod global;
mod instance;
mod linker;
mod memory;
mod store;
mod table;
pub mod value;

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
