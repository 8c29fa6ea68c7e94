//! Build script: compiles the C half of the WAMR ABI (the two variadic functions, see
//! `src/capi/wamr/call_v.c`) and gives the shared library a versioned SONAME.
//!
//! The C file is compiled by invoking the system C compiler directly (`$CC`, default `cc`)
//! and archived with `ar`: it is one small file, and the `cc` crate is not in the project's
//! dependency budget.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn run(cmd: &mut Command) {
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(status.success(), "{cmd:?} failed with {status}");
}

fn main() {
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    let src = "src/capi/wamr/call_v.c";
    println!("cargo:rerun-if-changed={src}");
    println!("cargo:rerun-if-changed=include/wasm_export.h");
    println!("cargo:rerun-if-changed=include/lib_export.h");
    println!("cargo:rerun-if-env-changed=CC");
    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let obj = out.join("call_v.o");
    run(Command::new(&cc)
        .args([
            "-std=c11",
            "-O2",
            "-fPIC",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-Iinclude",
            "-c",
            src,
            "-o",
        ])
        .arg(&obj));
    let lib = out.join("libcwamr_c.a");
    let _ = std::fs::remove_file(&lib);
    run(
        Command::new(env::var("AR").unwrap_or_else(|_| "ar".to_string()))
            .arg("crs")
            .arg(&lib)
            .arg(&obj),
    );
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=cwamr_c");

    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        // Versioned SONAME: programs linked with -lcwamr or -liwasm record libcwamr.so.0.
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libcwamr.so.0");
    }
}
