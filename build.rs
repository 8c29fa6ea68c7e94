//! Build script: picks the interpreter's dispatch backend.
//!
//! Threaded tail-call dispatch (`cwamr_tail_dispatch`) needs LLVM to turn the handlers'
//! sibling calls into jumps, which it does reliably only when optimising (opt-level 2 or 3).
//! Other builds use the portable loop dispatcher with the same handler bodies.

fn main() {
    println!("cargo:rustc-check-cfg=cfg(cwamr_tail_dispatch)");
    println!("cargo:rerun-if-env-changed=CWAMR_DISPATCH");
    let opt = std::env::var("OPT_LEVEL").unwrap_or_default();
    let forced = std::env::var("CWAMR_DISPATCH").unwrap_or_default();
    let tail = match forced.as_str() {
        "tail" => true,
        "loop" => false,
        _ => opt == "2" || opt == "3",
    };
    if tail {
        println!("cargo:rustc-cfg=cwamr_tail_dispatch");
    }
}
