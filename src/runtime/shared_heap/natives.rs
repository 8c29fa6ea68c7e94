//! WAMR's shared-heap natives under module `env`: `shared_heap_malloc` and
//! `shared_heap_free`, with WAMR's argument checks.

#![forbid(unsafe_code)]

use super::attach::{app_to_native, caller_instance, free, malloc};
use super::msg;
use crate::cap::Perms;
use crate::error::{Trap, TrapCode};
use crate::runtime::func::HostFunc;
use crate::runtime::linker::Linker;
use crate::types::{FuncType, ValType};

/// True if `module.name` of type `ty` is one of the natives [`add_to_linker`] defines.
pub fn provides(module: &str, name: &str, ty: &FuncType) -> bool {
    use ValType::I32;
    module == "env"
        && match name {
            "shared_heap_malloc" => ty == &FuncType::new([I32], [I32]),
            "shared_heap_free" => ty == &FuncType::new([I32], []),
            _ => false,
        }
}

/// Defines WAMR's shared-heap natives in `linker` unless already defined there (an embedder's
/// own natives of the same name win, as registrations made after `wasm_runtime_init` do in
/// WAMR):
/// - `env.shared_heap_malloc(i32 size) -> i32` (`(i)i`): the app offset of a new block, 0 on
///   failure;
/// - `env.shared_heap_free(i32 ptr)` (`(*)`): the pointer is checked as a `*` argument (one byte
///   in linear memory or the shared heap, else the call traps out of bounds), then as 8 bytes
///   (else the warning `Invalid app address` and an out-of-bounds trap), then freed.
pub fn add_to_linker(linker: &mut Linker, warn: fn(&str)) {
    use ValType::I32;
    if !linker.contains("env", "shared_heap_malloc") {
        let ty = FuncType::new([I32], [I32]);
        let f = HostFunc::new(ty, move |caller, cells| {
            let inst = caller_instance(caller)?;
            let size = u64::from(cells.first().copied().unwrap_or(0) as u32);
            let app = malloc(inst, size, &warn).map_or(0, |(a, _)| a);
            if let Some(c) = cells.first_mut() {
                *c = u64::from(app as u32);
            }
            Ok(())
        });
        linker.func("env", "shared_heap_malloc", f);
    }
    if !linker.contains("env", "shared_heap_free") {
        let ty = FuncType::new([I32], []);
        let f = HostFunc::new(ty, move |caller, cells| {
            let oob = Trap::Code(TrapCode::MemoryOutOfBounds);
            let inst = caller_instance(caller)?;
            let app = u64::from(cells.first().copied().unwrap_or(0) as u32);
            let rw = Perms::LOAD.union(Perms::STORE);
            let mem_len = inst.memory0().map_or(0, |m| m.len() as u64);
            let in_heap = app_to_native(&inst.compartment, app, 1, rw).is_some();
            if !in_heap && app + 1 > mem_len {
                return Err(oob);
            }
            let whole = if in_heap {
                app_to_native(&inst.compartment, app, 8, rw).is_some()
            } else {
                app + 8 <= mem_len
            };
            if !whole {
                warn(msg::FREE_INVALID);
                return Err(oob);
            }
            free(inst, app, &warn);
            Ok(())
        });
        linker.func("env", "shared_heap_free", f);
    }
}
