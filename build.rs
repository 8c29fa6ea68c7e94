//! Build script:
//! 1. picks the interpreter's dispatch backend. Threaded tail-call dispatch
//!    (`cwamr_tail_dispatch`) needs LLVM to turn the handlers' sibling calls into jumps, which
//!    it does reliably only when optimising (opt-level 2 or 3). Other builds use the portable
//!    loop dispatcher with the same handler bodies;
//! 2. compiles the C half of the WAMR ABI (the two variadic functions, see
//!    `src/capi/wamr/call_v.c`) by invoking the system C compiler directly (`$CC`, default
//!    `cc`) and archiving with `ar` — one small file, and the `cc` crate is not in the
//!    project's dependency budget;
//! 3. gives the shared library a versioned SONAME when asked to (`CWAMR_SONAME`, set by the
//!    CMake build, which installs it as `libcwamr.so.<version>`); plain cargo builds keep a
//!    SONAME-less `target/<profile>/libcwamr.so` that links and runs in place.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn pick_dispatch() {
    println!("cargo:rustc-check-cfg=cfg(cwamr_tail_dispatch)");
    println!("cargo:rerun-if-env-changed=CWAMR_DISPATCH");
    let opt = env::var("OPT_LEVEL").unwrap_or_default();
    let forced = env::var("CWAMR_DISPATCH").unwrap_or_default();
    let tail = match forced.as_str() {
        "tail" => true,
        "loop" => false,
        _ => opt == "2" || opt == "3",
    };
    if tail {
        println!("cargo:rustc-cfg=cwamr_tail_dispatch");
    }
}

fn run(cmd: &mut Command) {
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(status.success(), "{cmd:?} failed with {status}");
}

fn build_c_half() {
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    let src = "src/capi/wamr/call_v.c";
    println!("cargo:rerun-if-changed=build.rs");
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
}

fn main() {
    pick_dispatch();
    build_c_half();
    println!("cargo:rerun-if-env-changed=CWAMR_SONAME");
    if let Ok(soname) = env::var("CWAMR_SONAME") {
        if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") && !soname.is_empty() {
            // Programs linked with -lcwamr or -liwasm against the install record this name.
            println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
        }
    }
}
