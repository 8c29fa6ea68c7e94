//! The `spectest` host module of WAMR's spec-test build (`WAMR_BUILD_SPEC_TEST=1`), for
//! running the WebAssembly spec suite through `iwasm` (cargo feature `spectest` of the
//! binary).
//!
//! - `print`, `print_i32`, `print_i64`, `print_i32_f32`, `print_f64_f64`, `print_f32`,
//!   `print_f64`: print WAMR's texts (`in specttest.print_i32(7)`, sic) on the console,
//!   floats with C's `%f`;
//! - immutable globals `global_i32` = 666, `global_i64` = 666, `global_f32` = 666.6,
//!   `global_f64` = 666.6, and WAMR's `test` globals (`global-i32`, `global-f32`: 0,
//!   immutable; `global-mut-i32`, `global-mut-i64`, `g`: 0, mutable);
//! - `table`: funcref, 10 elements, maximum 20; `memory`: 1 page, maximum 2 (WAMR's
//!   `wasm_loader.c` limits).
//!
//! # Invariants
//! [`c_f`] gives the host `snprintf` a writable buffer with its length, the constant spec
//! `%f` and one `double`.

use crate::error::Trap;
use crate::os::console;
use crate::runtime::{Definition, Extern, HostFunc, Linker, Store, Val};
use crate::types::{FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType};

/// C's `printf("%f", v)`.
pub fn c_f(v: f64) -> String {
    let mut buf = [0u8; 512];
    // SAFETY: module invariants (buffer and length, constant spec, one double).
    let n = unsafe { libc::snprintf(buf.as_mut_ptr().cast(), buf.len(), c"%f".as_ptr(), v) };
    let n = (n.max(0) as usize).min(buf.len() - 1);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

fn print(params: &[ValType], text: fn(&[u64]) -> String) -> HostFunc {
    HostFunc::new(
        FuncType::new(params.iter().copied(), []),
        move |_caller, cells| -> Result<(), Trap> {
            console::write_str(&text(cells));
            Ok(())
        },
    )
}

fn f32_of(c: u64) -> f64 {
    f64::from(f32::from_bits(c as u32))
}

/// Defines the `spectest` module (and WAMR's `test` globals) in `linker`; the globals, the
/// table and the memory are created in `store`.
pub fn add_to_linker(linker: &mut Linker, store: &mut Store) -> Result<(), String> {
    use ValType::*;
    let m = "spectest";
    linker.func(m, "print", print(&[], |_| "in specttest.print()\n".into()));
    linker.func(
        m,
        "print_i32",
        print(&[I32], |c| {
            format!("in specttest.print_i32({})\n", c[0] as i32)
        }),
    );
    linker.func(
        m,
        "print_i64",
        print(&[I64], |c| {
            format!("in specttest.print_i64({})\n", c[0] as i64)
        }),
    );
    linker.func(
        m,
        "print_i32_f32",
        print(&[I32, F32], |c| {
            format!(
                "in specttest.print_i32_f32({}, {})\n",
                c[0] as i32,
                c_f(f32_of(c[1]))
            )
        }),
    );
    linker.func(
        m,
        "print_f64_f64",
        print(&[F64, F64], |c| {
            format!(
                "in specttest.print_f64_f64({}, {})\n",
                c_f(f64::from_bits(c[0])),
                c_f(f64::from_bits(c[1]))
            )
        }),
    );
    linker.func(
        m,
        "print_f32",
        print(&[F32], |c| {
            format!("in specttest.print_f32({})\n", c_f(f32_of(c[0])))
        }),
    );
    linker.func(
        m,
        "print_f64",
        print(&[F64], |c| {
            format!("in specttest.print_f64({})\n", c_f(f64::from_bits(c[0])))
        }),
    );
    let globals: [(&str, &str, ValType, bool, Val); 9] = [
        (m, "global_i32", I32, false, Val::I32(666)),
        (m, "global_i64", I64, false, Val::I64(666)),
        (m, "global_f32", F32, false, Val::f32(666.6)),
        (m, "global_f64", F64, false, Val::f64(666.6)),
        ("test", "global-i32", I32, false, Val::I32(0)),
        ("test", "global-f32", F32, false, Val::f32(0.0)),
        ("test", "global-mut-i32", I32, true, Val::I32(0)),
        ("test", "global-mut-i64", I64, true, Val::I64(0)),
        ("test", "g", I32, true, Val::I32(0)),
    ];
    for (module, name, content, mutable, v) in globals {
        let g = store.add_global(GlobalType { content, mutable }, v);
        linker.define(module, name, Definition::Extern(Extern::Global(g)));
    }
    let table = store.add_table(
        TableType {
            elem: RefType::Func,
            limits: Limits {
                min: 10,
                max: Some(20),
            },
        },
        Val::FuncRef(None),
    )?;
    linker.define(m, "table", Definition::Extern(Extern::Table(table)));
    let memory = store.add_memory(MemoryType {
        limits: Limits {
            min: 1,
            max: Some(2),
        },
        shared: false,
    })?;
    linker.define(m, "memory", Definition::Extern(Extern::Memory(memory)));
    Ok(())
}
