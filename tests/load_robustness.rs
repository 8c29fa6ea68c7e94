//! Malformed input never panics the loader: every truncation and every single-bit flip of the
//! committed example modules either loads (and instantiates or fails cleanly) or is rejected
//! with a `WASM module load failed` error.

use cwamr::{Linker, Module, Store};

fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut files = vec!["examples-c/wasm/fib.wasm".to_string()];
    for w in ["fib", "sieve", "matmul", "sha256", "quicksort", "nbody"] {
        files.push(format!("bench/wasm/{w}.wasm"));
    }
    files
        .into_iter()
        .map(|f| {
            let b = std::fs::read(&f).unwrap_or_else(|e| panic!("{f}: {e}"));
            (f, b)
        })
        .collect()
}

fn load_and_instantiate(bytes: &[u8]) -> bool {
    match Module::new(bytes) {
        Ok(m) => {
            let mut store = Store::default();
            // Instantiation may fail (e.g. a segment now out of bounds) but must not panic.
            let _ = Linker::new().instantiate(&mut store, &m);
            true
        }
        Err(e) => {
            assert!(e.to_string().starts_with("WASM module load failed: "));
            false
        }
    }
}

#[test]
fn every_truncation_is_handled() {
    for (name, bytes) in corpus() {
        let mut loaded = 0;
        for n in 0..bytes.len() {
            // Cuts at a section boundary leave a valid, shorter module; all others fail.
            if load_and_instantiate(&bytes[..n]) {
                loaded += 1;
            }
        }
        assert!(load_and_instantiate(&bytes), "{name} itself must load");
        assert!(loaded < 16, "{name}: {loaded} truncations loaded");
    }
}

#[test]
fn every_single_bit_flip_is_handled() {
    let mut loaded = 0usize;
    let mut rejected = 0usize;
    for (_, bytes) in corpus().into_iter().take(3) {
        let mut b = bytes.clone();
        for i in 0..b.len() {
            for bit in 0..8 {
                b[i] ^= 1 << bit;
                if load_and_instantiate(&b) {
                    loaded += 1;
                } else {
                    rejected += 1;
                }
                b[i] ^= 1 << bit;
            }
        }
    }
    // Both outcomes occur: flips in code bytes often stay valid, flips in headers do not.
    assert!(
        loaded > 0 && rejected > 0,
        "loaded {loaded}, rejected {rejected}"
    );
}
