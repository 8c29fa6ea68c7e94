//! `iwasm` resolves imports from other modules as WAMR's iwasm (built with multi-module):
//! `<module-path>/<name>.wasm`, the module path defaulting to the current directory `.`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cwamr-mm-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn put(dir: &Path, name: &str, wat: &str) -> PathBuf {
    let p = dir.join(format!("{name}.wasm"));
    std::fs::write(&p, wat::parse_str(wat).unwrap()).unwrap();
    p
}

/// Run iwasm in `cwd`; returns (stdout, exit code).
fn run(cwd: &Path, args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_iwasm"))
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

const SUB: &str = r#"(module
  (global (export "base") i32 (i32.const 40))
  (memory (export "mem") 1)
  (data (i32.const 8) "\02")
  (func (export "f") (result i32) (i32.const 42)))"#;

const MAIN: &str = r#"(module
  (import "mm_cli_sub" "f" (func $f (result i32)))
  (func (export "call_f") (result i32) (call $f)))"#;

const MAIN_ALL: &str = r#"(module
  (import "mm_cli_sub" "base" (global $base i32))
  (import "mm_cli_sub" "mem" (memory 1))
  (func (export "sum") (result i32)
    (i32.add (global.get $base) (i32.load8_u (i32.const 8)))))"#;

#[test]
fn module_path_selects_the_directory_of_sub_modules() {
    let subs = dir("subs");
    let mains = dir("mains");
    put(&subs, "mm_cli_sub", SUB);
    let main = put(&mains, "main", MAIN);
    let main_all = put(&mains, "main_all", MAIN_ALL);
    let path = format!("--module-path={}", subs.display());
    let m = main.to_str().unwrap();
    assert_eq!(
        run(&mains, &[&path, "-f", "call_f", m]),
        ("0x2a:i32\n".into(), 0)
    );
    let m = main_all.to_str().unwrap();
    assert_eq!(
        run(&mains, &[&path, "-f", "sum", m]),
        ("0x2a:i32\n".into(), 0)
    );
}

#[test]
fn the_default_module_path_is_the_current_directory() {
    let subs = dir("cwd");
    let elsewhere = dir("elsewhere");
    put(&subs, "mm_cli_sub", SUB);
    let main = put(&elsewhere, "main", MAIN);
    let m = main.to_str().unwrap();
    // Run from the sub-module's directory: found through "./".
    assert_eq!(run(&subs, &["-f", "call_f", m]), ("0x2a:i32\n".into(), 0));
    // Run from the main module's directory: not found there (WAMR does not look next to the
    // main module); the import stays unlinked.
    let (out, code) = run(&elsewhere, &["-f", "call_f", m]);
    assert_eq!(code, 1);
    assert!(
        out.contains("Read file to buffer failed: open file ./mm_cli_sub.wasm failed.\n"),
        "{out}"
    );
    assert!(
        out.ends_with("Exception: failed to call unlinked import function (mm_cli_sub, f)\n"),
        "{out}"
    );
    // A global that cannot be linked fails the instantiation.
    let main_all = put(&elsewhere, "main_all", MAIN_ALL);
    let (out, code) = run(&elsewhere, &["-f", "sum", main_all.to_str().unwrap()]);
    assert_eq!(code, 255);
    assert!(
        out.ends_with(
            "WASM module instantiate failed: failed to link import global (mm_cli_sub, base)\n"
        ),
        "{out}"
    );
}

#[test]
fn an_empty_module_path_is_a_usage_error() {
    let d = dir("usage");
    let (out, code) = run(&d, &["--module-path=", "x.wasm"]);
    assert_eq!(code, 1);
    assert!(out.contains("--module-path=<path>"), "{out}");
}
