//! Shared helpers of the cWASI integration tests: temporary directories, running a test
//! program through the library or through `iwasm`, and snapshots of host directories.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use cwamr::runtime::Extern;
use cwamr::wasi::{WasiConfig, WasiCtx};
use cwamr::{Linker, Module, Store, StoreConfig, Trap};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("cwamr-wasi-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn wasm_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/wasi/bin/{name}.wasm"))
}

/// What a run produced.
#[derive(Debug)]
pub struct Outcome {
    /// The exit code, or the exception text of a trap.
    pub exit: Result<u32, String>,
    pub stdout: String,
    pub stderr: String,
}

fn scratch_file(content: &[u8]) -> File {
    let d = std::env::temp_dir().join(format!(
        "cwamr-wasi-io-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let mut f = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&d)
        .unwrap();
    std::fs::remove_file(&d).unwrap();
    f.write_all(content).unwrap();
    f.rewind().unwrap();
    f
}

fn read_back(mut f: File) -> String {
    let mut s = String::new();
    f.rewind().unwrap();
    f.read_to_string(&mut s).unwrap();
    s
}

/// Run `name` through the library with `cfg` (stdio replaced by scratch files; `stdin` is fed
/// to the guest). Returns the outcome and the context (for inspection).
pub fn run_lib_ctx(
    name: &str,
    mut cfg: WasiConfig,
    stdin: &[u8],
) -> (Outcome, std::sync::Arc<WasiCtx>) {
    let bytes = std::fs::read(wasm_path(name)).unwrap();
    let module = Module::new(&bytes).unwrap();
    assert!(cwamr::wasi::is_wasi_module(&module));
    let (i, o, e) = (scratch_file(stdin), scratch_file(b""), scratch_file(b""));
    cfg.stdio = [
        Some(i.as_raw_fd() as i64),
        Some(o.as_raw_fd() as i64),
        Some(e.as_raw_fd() as i64),
    ];
    if cfg.args.is_empty() {
        cfg.args = vec![format!("{name}.wasm")];
    }
    let ctx = WasiCtx::new(&cfg).unwrap();
    let mut linker = Linker::new();
    cwamr::wasi::add_to_linker(&mut linker, &ctx);
    let mut store = Store::new(StoreConfig::default());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let start = match store.instance(inst).unwrap().export("_start") {
        Some(Extern::Func(f)) => f,
        other => panic!("no _start: {other:?}"),
    };
    let exit = match store.call(start, &[]) {
        Ok(_) => Ok(ctx.exit_code().unwrap_or(0)),
        Err(Trap::Exit(c)) => {
            assert_eq!(ctx.exit_code(), Some(c));
            Ok(c)
        }
        Err(t) => Err(t.exception_string()),
    };
    let out = Outcome {
        exit,
        stdout: read_back(o),
        stderr: read_back(e),
    };
    drop(i);
    (out, ctx)
}

pub fn run_lib(name: &str, cfg: WasiConfig, stdin: &[u8]) -> Outcome {
    run_lib_ctx(name, cfg, stdin).0
}

/// A config with `args` (argv[0] added) and one preopen `.` of `dir`.
pub fn cfg_with_dot(name: &str, dir: &Path, args: &[&str]) -> WasiConfig {
    let mut argv = vec![format!("{name}.wasm")];
    argv.extend(args.iter().map(|s| s.to_string()));
    let mut cfg = WasiConfig::from_wamr_lists(&[], &[], &[], &argv);
    cfg.preopens.push(cwamr::wasi::Preopen {
        guest_path: ".".into(),
        host_path: dir.to_path_buf(),
        readonly: false,
    });
    cfg
}

/// Run `iwasm OPTIONS file.wasm ARGS` in `cwd` with `stdin`. Returns (status, stdout, stderr).
pub fn run_cli(
    opts: &[&str],
    name: &str,
    args: &[&str],
    cwd: &Path,
    stdin: &[u8],
) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iwasm"));
    cmd.args(opts)
        .arg(wasm_path(name))
        .args(args)
        .current_dir(cwd);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Everything observable about a directory tree, without following symlinks: file contents
/// and mtimes, symlink targets, directory names.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeMap::new();
    fn walk(root: &Path, p: &Path, out: &mut BTreeMap<PathBuf, String>) {
        let md = std::fs::symlink_metadata(p).unwrap();
        let rel = p.strip_prefix(root).unwrap().to_path_buf();
        let ft = md.file_type();
        if ft.is_symlink() {
            out.insert(
                rel,
                format!("link -> {}", std::fs::read_link(p).unwrap().display()),
            );
        } else if ft.is_dir() {
            out.insert(rel, "dir".into());
            let mut names: Vec<_> = std::fs::read_dir(p)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            names.sort();
            for n in names {
                walk(root, &n, out);
            }
        } else {
            let content = std::fs::read(p).unwrap();
            out.insert(
                rel,
                format!(
                    "file {:?} mtime={}.{} mode={:o} nlink={}",
                    String::from_utf8_lossy(&content),
                    md.mtime(),
                    md.mtime_nsec(),
                    md.mode(),
                    md.nlink()
                ),
            );
        }
    }
    walk(root, root, &mut out);
    out
}

/// Lines of `s` as a vector (for readable assertion failures).
pub fn lines(s: &str) -> Vec<&str> {
    s.lines().collect()
}
