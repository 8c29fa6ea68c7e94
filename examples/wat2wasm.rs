//! Build helper: converts WebAssembly text files to binaries for the C tests and examples.
//!
//! `cargo run --example wat2wasm -- IN.wat OUT.wasm [IN2.wat OUT2.wasm ...]`
//! (used by `scripts/build-test-wasm.sh`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args.len() % 2 != 0 {
        eprintln!("usage: wat2wasm IN.wat OUT.wasm [IN.wat OUT.wasm ...]");
        return ExitCode::FAILURE;
    }
    for pair in args.chunks(2) {
        let bytes = match wat::parse_file(&pair[0]) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", pair[0]);
                return ExitCode::FAILURE;
            }
        };
        if let Err(e) = std::fs::write(&pair[1], bytes) {
            eprintln!("{}: {e}", pair[1]);
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
