//! The `iwasm` command line: WAMR's output format, exit codes and error texts, on modules
//! written here (not only the ones in the repository).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn iwasm() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iwasm"))
}

/// Write `bytes` to a fresh temporary file and return its path.
fn temp_wasm(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cwamr-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{name}.wasm"));
    std::fs::write(&p, bytes).unwrap();
    p
}

fn wat_file(name: &str, text: &str) -> PathBuf {
    temp_wasm(name, &wat::parse_str(text).unwrap())
}

/// Run iwasm; returns (stdout, exit code).
fn run(args: &[&str]) -> (String, i32) {
    let out = iwasm().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "iwasm panicked on {args:?}: {stderr}"
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

const SAMPLE: &str = r#"(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "neg64") (param i64) (result i64) (i64.sub (i64.const 0) (local.get 0)))
  (func (export "half") (param f32) (result f32) (f32.div (local.get 0) (f32.const 2)))
  (func (export "third") (param f64) (result f64) (f64.div (local.get 0) (f64.const 3)))
  (func (export "pair") (result i32 f64) (i32.const 7) (f64.const 1e100))
  (func (export "nothing"))
  (func (export "nan") (result f32) (f32.const -nan))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $rec (export "recurse") (param i32) (result i32)
    (i32.add (call $rec (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "nullref") (result externref) (ref.null extern)))"#;

#[test]
fn runs_the_readme_example() {
    let (out, code) = run(&["-f", "fib", "examples-c/wasm/fib.wasm", "30"]);
    assert_eq!((out.as_str(), code), ("0xcb228:i32\n", 0));
}

#[test]
fn prints_results_in_wamr_format() {
    let f = wat_file("sample", SAMPLE);
    let f = f.to_str().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["add", "2", "19"], "0x15:i32\n"),
        (&["add", "-1", "0"], "0xffffffff:i32\n"),
        (&["add", "0x10", "1"], "0x11:i32\n"),
        (&["neg64", "1"], "0xffffffffffffffff:i64\n"),
        (&["half", "3"], "1.5:f32\n"),
        (&["third", "1"], "0.3333333:f64\n"),
        (&["pair"], "0x7:i32,1e+100:f64\n"),
        (&["nothing"], "\n"),
        (&["nan"], "-nan:f32\n"),
        (&["nullref"], "extern:ref.null\n"),
    ];
    for (args, want) in cases {
        let mut all = vec!["-f", args[0], f];
        all.extend_from_slice(&args[1..]);
        let (out, code) = run(&all);
        assert_eq!((out.as_str(), code), (*want, 0), "args {args:?}");
    }
}

#[test]
fn traps_and_lookup_failures_exit_1() {
    let f = wat_file("sample2", SAMPLE);
    let f = f.to_str().unwrap();
    assert_eq!(
        run(&["-f", "div", f, "1", "0"]),
        ("Exception: integer divide by zero\n".into(), 1)
    );
    assert_eq!(
        run(&["-f", "div", f, "-2147483648", "-1"]),
        ("Exception: integer overflow\n".into(), 1)
    );
    assert_eq!(
        run(&["-f", "nope", f]),
        ("Exception: lookup function nope failed\n".into(), 1)
    );
    assert_eq!(
        run(&["-f", "add", f, "1"]),
        ("Exception: invalid input argument count\n".into(), 1)
    );
    assert_eq!(
        run(&["-f", "add", f, "1", "zz"]),
        ("Exception: invalid input argument 1: zz\n".into(), 1)
    );
}

#[test]
fn endless_recursion_is_a_clean_trap() {
    let f = wat_file("sample3", SAMPLE);
    let (out, code) = run(&["-f", "recurse", f.to_str().unwrap(), "0"]);
    assert_eq!(
        (out.as_str(), code),
        ("Exception: wasm operand stack overflow\n", 1)
    );
    // Also with a larger stack.
    let (out, code) = run(&[
        "--stack-size=4194304",
        "-f",
        "recurse",
        f.to_str().unwrap(),
        "0",
    ]);
    assert_eq!(
        (out.as_str(), code),
        ("Exception: wasm operand stack overflow\n", 1)
    );
}

#[test]
fn malformed_modules_fail_to_load_with_exit_255() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty", b"", "unexpected end"),
        ("magic", b"\0asx\x01\0\0\0", "magic header not detected"),
        ("version", b"\0asm\x02\0\0\0", "unknown binary version"),
        (
            "truncated",
            b"\0asm\x01\0\0\0\x01\x05\x01\x60",
            "unexpected end",
        ),
        (
            "leb",
            b"\0asm\x01\0\0\0\x05\x08\x01\x00\x82\x80\x80\x80\x80\x00",
            "integer representation too long",
        ),
        (
            "section-id",
            b"\0asm\x01\0\0\0\x0e\x00",
            "invalid section id",
        ),
        (
            "huge-count",
            b"\0asm\x01\0\0\0\x03\x05\xff\xff\xff\xff\x0f",
            "WASM module load failed: ",
        ),
    ];
    for (name, bytes, want) in cases {
        let f = temp_wasm(name, bytes);
        let (out, code) = run(&["-f", "x", f.to_str().unwrap()]);
        assert!(
            out.starts_with("WASM module load failed: "),
            "{name}: {out}"
        );
        assert!(out.contains(want), "{name}: {out}");
        assert_eq!(code, 255, "{name}");
    }
}

#[test]
fn link_and_start_failures_follow_wamr() {
    let f = wat_file(
        "unlinked",
        r#"(module (import "env" "x" (func $x)) (func (export "f") (call $x)))"#,
    );
    // WAMR (multi-module build) logs the failed sub-module lookup at load and warns at
    // instantiation (two log lines, as its iwasm prints them), then the call traps
    let (out, code) = run(&["-f", "f", f.to_str().unwrap()]);
    let (lookup, out) = out.split_once('\n').unwrap();
    assert_eq!(
        strip_log_prefix(lookup),
        Some("failed to link function (env, x): WASM module instantiate failed: unknown import")
    );
    let (warning, rest) = out.split_once('\n').unwrap();
    assert_eq!(
        strip_log_prefix(warning),
        Some("warning: failed to link import function (env, x)")
    );
    assert_eq!(
        (rest, code),
        (
            "Exception: failed to call unlinked import function (env, x)\n",
            1
        )
    );
    let g = wat_file(
        "unlinked-global",
        r#"(module (import "env" "g" (global i32)))"#,
    );
    assert_eq!(
        run(&["-f", "f", g.to_str().unwrap()]),
        (
            "WASM module instantiate failed: failed to link import global (env, g)\n".into(),
            255
        )
    );
    let s = wat_file("start-trap", r#"(module (func $s unreachable) (start $s))"#);
    assert_eq!(
        run(&["-f", "f", s.to_str().unwrap()]),
        (
            "WASM module instantiate failed: Exception: unreachable\n".into(),
            255
        )
    );
}

#[test]
fn repl_follows_the_prompt_protocol() {
    let f = wat_file("repl", SAMPLE);
    let mut child = iwasm()
        .args(["--repl", f.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"add 1 2\ndiv 1 0\n\nnope\nadd 3 4\n__exit__\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "webassembly> 0x3:i32\n\
         webassembly> Exception: integer divide by zero\n\
         webassembly> webassembly> Exception: lookup function nope failed\n\
         webassembly> 0x7:i32\n\
         webassembly> exit repl mode\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn version_help_and_usage() {
    let (out, code) = run(&["--version"]);
    assert!(out.starts_with("iwasm 2.4.3\n"), "{out}");
    assert_eq!(code, 0);
    let (out, code) = run(&[]);
    assert!(out.starts_with("Usage: iwasm"), "{out}");
    assert_eq!(code, 1);
    let (out, code) = run(&["--bogus", "x.wasm"]);
    assert!(out.starts_with("Usage: iwasm"), "{out}");
    assert_eq!(code, 1);
}

/// WAMR's log line prefix `[HH:MM:SS:mmm - TID]: `; returns the rest of the line.
fn strip_log_prefix(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    if b.len() < 18 || b[0] != b'[' || b[3] != b':' || b[6] != b':' || b[9] != b':' {
        return None;
    }
    let digits = [1, 2, 4, 5, 7, 8, 10, 11, 12];
    if !digits.iter().all(|&i| b[i].is_ascii_digit()) || &line[13..16] != " - " {
        return None;
    }
    let end = line.find("]: ")?;
    let tid = &line[16..end];
    if tid.is_empty()
        || !tid
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(&c))
    {
        return None;
    }
    Some(&line[end + 3..])
}

#[test]
fn unlinked_import_warning_is_wamrs_log_line_on_stdout() {
    let m = wat_file(
        "unlinked_warn",
        r#"(module (import "env" "foo" (func))
             (func (export "one") (result i32) (i32.const 1)))"#,
    );
    let p = m.to_str().unwrap();
    let out = iwasm().args(["-f", "one", p]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    // As WAMR 2.4.3's iwasm (multi-module build) prints it.
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(
        strip_log_prefix(lines[0]),
        Some("failed to link function (env, foo): WASM module instantiate failed: unknown import"),
        "{stdout}"
    );
    assert_eq!(
        strip_log_prefix(lines[1]),
        Some("warning: failed to link import function (env, foo)"),
        "{stdout}"
    );
    assert_eq!(lines[2], "0x1:i32");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // -v=1 (errors only) hides the warning; -v=6 is refused as by WAMR's iwasm
    let (quiet, code) = run(&["-v=1", "-f", "one", p]);
    assert_eq!((quiet.as_str(), code), ("0x1:i32\n", 0));
    let (_, code) = run(&["-v=6", "-f", "one", p]);
    assert_eq!(code, 1);
}

const REFS: &str = r#"(module
  (func $f (result i32) i32.const 1)
  (func $g)
  (elem declare func $f $g)
  (func (export "id") (param externref) (result externref) local.get 0)
  (func (export "fr") (result funcref) ref.func $g)
  (func (export "frn") (result funcref) ref.null func)
  (func (export "a b") (result i32) i32.const 5))"#;

/// Observed with WAMR 2.4.3's iwasm: `0x1:ref.extern`, `N:ref.func` (the function index),
/// and `extern:ref.null` for the values 0 and null.
#[test]
fn references_print_like_wamr() {
    let f = wat_file("refs", REFS);
    let p = f.to_str().unwrap();
    for (func, arg, want) in [
        ("id", Some("1"), "0x1:ref.extern\n"),
        ("id", Some("0x100"), "0x100:ref.extern\n"),
        ("id", Some("0"), "extern:ref.null\n"),
        ("id", Some("null"), "extern:ref.null\n"),
        ("fr", None, "1:ref.func\n"),
        ("frn", None, "func:ref.null\n"),
    ] {
        let mut args = vec!["-f", func, p];
        args.extend(arg);
        assert_eq!(run(&args), (want.to_string(), 0), "{func} {arg:?}");
    }
}

/// WAMR's REPL turns `\` in the function name into a space.
#[test]
fn repl_backslash_is_a_space_in_function_names() {
    let f = wat_file("refs-repl", REFS);
    let mut child = iwasm()
        .args(["--repl", f.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a\\b\nid  7\n__exit__\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "webassembly> 0x5:i32\nwebassembly> 0x7:ref.extern\nwebassembly> exit repl mode\n"
    );
}

/// A C guest built against WAMR's libc-builtin (c-tests/api/wasm/libc_builtin.c) runs in
/// iwasm; the output is the one WAMR 2.4.3's iwasm prints.
#[test]
fn libc_builtin_guests_run() {
    let w = "c-tests/api/wasm/libc_builtin.wasm";
    assert_eq!(
        run(&["--heap-size=8192", "-f", "run_heap", w]),
        (
            "realloc kept [heap string]\nstrdup [heap string] calloc sum 0\n0x1:i32\n".into(),
            0
        )
    );
    let (out, code) = run(&["--heap-size=8192", "-f", "run_strings", w]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("sprintf [abc-123] 7 strlen 7\nsnprintf [trunc] 16\n"),
        "{out}"
    );
    assert_eq!(
        run(&["-f", "run_exit", w, "3"]),
        ("before exit 3\nException: env.exit(3)\n".into(), 1)
    );
    assert_eq!(
        run(&["-f", "bad_printf", w]),
        ("bad [Exception: out of bounds memory access\n".into(), 1)
    );
    // Built-in globals link too.
    let g = wat_file(
        "builtin-global",
        r#"(module (import "global" "Infinity" (global $i f64))
             (func (export "inf") (result f64) global.get $i))"#,
    );
    assert_eq!(
        run(&["-f", "inf", g.to_str().unwrap()]),
        ("inf:f64\n".into(), 0)
    );
}

/// With `--features spectest`, iwasm has WAMR's spectest module; the output is what WAMR
/// 2.4.3's spec-test iwasm prints (`cargo test --features spectest --test iwasm_cli`).
#[cfg(feature = "spectest")]
#[test]
fn spectest_module_like_wamr() {
    let f = wat_file(
        "spectest",
        r#"(module
          (import "spectest" "print_i32" (func $p (param i32)))
          (import "spectest" "print_i32_f32" (func $pf (param i32 f32)))
          (import "spectest" "print_f64_f64" (func $pff (param f64 f64)))
          (import "spectest" "print" (func $pr))
          (import "spectest" "global_i32" (global $g i32))
          (import "spectest" "global_f32" (global $gf f32))
          (import "spectest" "table" (table 0 funcref))
          (import "spectest" "memory" (memory 1))
          (func (export "go") (result i32)
            global.get $g call $p
            i32.const 1 f32.const 666.6 call $pf
            f64.const 1.5 f64.const -0.25 call $pff
            call $pr
            table.size 0)
          (func (export "gf") (result f32) global.get $gf))"#,
    );
    let p = f.to_str().unwrap();
    assert_eq!(
        run(&["-f", "go", p]),
        (
            "in specttest.print_i32(666)\n\
             in specttest.print_i32_f32(1, 666.599976)\n\
             in specttest.print_f64_f64(1.500000, -0.250000)\n\
             in specttest.print()\n\
             0xa:i32\n"
                .into(),
            0
        )
    );
    assert_eq!(run(&["-f", "gf", p]), ("666.6:f32\n".into(), 0));
}

/// `--shared-heap-size=n` creates a shared heap and attaches it, as WAMR's iwasm built with
/// `WAMR_BUILD_SHARED_HEAP=1` (outputs observed with WAMR 2.4.3's iwasm).
#[test]
fn shared_heap_size_option_follows_wamr() {
    let f = wat_file(
        "shared_heap",
        r#"(module
  (import "env" "shared_heap_malloc" (func $malloc (param i32) (result i32)))
  (memory 1)
  (func (export "top") (result i32) (local $p i32)
    (local.set $p (call $malloc (i32.const 16)))
    (i32.store (local.get $p) (i32.const 42))
    (i32.add (i32.load (local.get $p)) (i32.ge_u (local.get $p) (i32.const 0xFFFF0000))))
  (func (export "last") (result i32)
    (i32.store8 (i32.const -1) (i32.const 7))
    (i32.load8_u (i32.const -1))))"#,
    );
    let f = f.to_str().unwrap();
    // Observed with WAMR 2.4.3's iwasm (log lines written here as `[LOG]: `).
    let cases: [(&[&str], &str, i32); 6] = [
        (&["--shared-heap-size=65536", "-f", "top"], "0x2b:i32\n", 0),
        (&["--shared-heap-size=65536", "-f", "last"], "0x7:i32\n", 0),
        (
            &["-f", "last"],
            "Exception: out of bounds memory access\n",
            1,
        ),
        (&["-f", "top"], "0x2a:i32\n", 0),
        (
            &["--shared-heap-size=100", "-f", "last"],
            "[LOG]: Shared heap size aligned from 100 to 4096\n0x7:i32\n",
            0,
        ),
        (
            &["--shared-heap-size=2000000000", "-f", "last"],
            "[LOG]: Shared heap size aligned from 2000000000 to 2000003072\n\
             [LOG]: Invalid size of shared heap\n\
             Create preallocated shared heap failed\n",
            255,
        ),
    ];
    for (args, want, code) in cases {
        let mut a = args.to_vec();
        a.push(f);
        let (out, c) = run(&a);
        let out: String = out
            .lines()
            .map(|l| match strip_log_prefix(l) {
                Some(m) => format!("[LOG]: {m}\n"),
                None => format!("{l}\n"),
            })
            .collect();
        assert_eq!((out.as_str(), c), (want, code), "{args:?}");
    }
}

#[test]
fn wasi_module_without_entry_point_gets_wamrs_warning() {
    let m = wat_file(
        "wasi_no_entry",
        r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
             (memory (export "memory") 1)
             (func (export "two") (result i32) (i32.const 2)))"#,
    );
    let (out, code) = run(&["-f", "two", m.to_str().unwrap()]);
    let (warning, rest) = out.split_once('\n').unwrap();
    assert_eq!(
        strip_log_prefix(warning),
        Some("warning: a module with WASI apis should be either a command or a reactor")
    );
    assert_eq!((rest, code), ("0x2:i32\n", 0));
}
