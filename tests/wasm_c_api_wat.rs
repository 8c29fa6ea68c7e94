//! The WebAssembly modules used by the C programs of `examples-c/wasm-c-api/` and
//! `c-tests/wasm-c-api/` are committed as `.wasm` files next to their `.wat` sources. This
//! test checks that every committed binary is exactly what its source assembles to.
//!
//! Rebuild the binaries after editing a `.wat` file:
//!
//! ```sh
//! CWAMR_REGEN_WASM=1 cargo test --release --test wasm_c_api_wat
//! ```

use std::path::{Path, PathBuf};

const DIRS: &[&str] = &["examples-c/wasm-c-api", "c-tests/wasm-c-api"];

fn wat_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for d in DIRS {
        let Ok(rd) = std::fs::read_dir(root.join(d)) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "wat") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn committed_wasm_matches_wat_sources() {
    let regen = std::env::var_os("CWAMR_REGEN_WASM").is_some_and(|v| v == "1");
    let files = wat_files();
    assert!(
        files.len() >= 13,
        "expected the example sources, found {files:?}"
    );
    for wat_path in files {
        let wasm =
            wat::parse_file(&wat_path).unwrap_or_else(|e| panic!("{}: {e}", wat_path.display()));
        cwamr::Module::new(&wasm).unwrap_or_else(|e| panic!("{}: {e}", wat_path.display()));
        let wasm_path = wat_path.with_extension("wasm");
        if regen {
            std::fs::write(&wasm_path, &wasm).expect("write .wasm");
            continue;
        }
        let committed = std::fs::read(&wasm_path).unwrap_or_else(|_| {
            panic!(
                "{} is missing: run CWAMR_REGEN_WASM=1 cargo test --release --test wasm_c_api_wat",
                wasm_path.display()
            )
        });
        assert!(
            committed == wasm,
            "{} is out of date: run CWAMR_REGEN_WASM=1 cargo test --release --test wasm_c_api_wat",
            wasm_path.display()
        );
    }
}
