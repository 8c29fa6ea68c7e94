//! Capabilities bound to guest memory and runtime objects (capability model §4): checked views
//! of linear memory and string snapshots (`range.rs`), the validation of WAMR native arguments
//! before a native runs (`native_sig.rs`), and the bounded views strict mode hands to C instead
//! of raw pointers (`view.rs`). Built on the pure primitives of [`crate::cap`].

pub mod native_sig;
pub mod range;
pub mod view;

pub use native_sig::{NativeArg, NativeArgCheck, NativeArgError, NativeSig, PtrWidth, SigParam};
pub use range::{GuestAddrSpace, GuestRange, GuestStr, set_strict_mode, strict_mode};
pub(crate) use range::{VIEW_PERMS, record_guest_fault};
pub use view::{ViewInfo, ViewTable, views};
