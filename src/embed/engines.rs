//! Which engine runs a store's code.

use crate::interp::INTERPRETER;
use crate::runtime::{Engine, Store, StoreConfig};

/// The engine stores get unless told otherwise: the interpreter.
pub fn default_engine() -> &'static dyn Engine {
    &INTERPRETER
}

impl Store {
    /// An empty store on the default engine ([`default_engine`]).
    ///
    /// ```
    /// let store = cwamr::Store::new(cwamr::StoreConfig::default());
    /// assert_eq!(store.engine().name(), "interpreter");
    /// ```
    pub fn new(config: StoreConfig) -> Store {
        Store::with_engine(config, default_engine())
    }
}

impl Default for Store {
    fn default() -> Store {
        Store::new(StoreConfig::default())
    }
}
