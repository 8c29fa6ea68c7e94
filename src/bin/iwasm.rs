//! `iwasm`: WAMR-compatible command line for cwamr.
//!
//! `iwasm [options] file.wasm [args...]`. Options are parsed left to right until the first
//! non-option; `-f NAME` calls an export with the remaining args as parameters and prints the
//! results in WAMR's format. Everything is printed on stdout, as WAMR's iwasm does. Exit codes:
//! 0 (or the WASI exit code), 1 for a trap or the help text, 255 for load/instantiate failures.

use std::io::BufRead;
use std::process::ExitCode;

use cwamr::iwasm_cli::{format_results_in, parse_args};
use cwamr::runtime::{Extern, InstanceAddr};
use cwamr::{Linker, Module, Store, StoreConfig, Trap};

/// `print!` through C stdio (`cwamr::os::console`), the stream of WAMR's `os_printf`, so that
/// iwasm's own lines, the runtime's log lines and libc-builtin output keep their order.
macro_rules! print {
    ($($t:tt)*) => {{
        cwamr::os::console::write_str(&format!($($t)*));
    }};
}

/// `println!` through C stdio (see `print!`).
macro_rules! println {
    () => {{
        cwamr::os::console::write_str("\n");
    }};
    ($($t:tt)*) => {{
        cwamr::os::console::write_str(&format!($($t)*));
        cwamr::os::console::write_str("\n");
    }};
}

const HELP: &str = "\
Usage: iwasm [-options] wasm_file [args...]
options:
  -f|--function name       Call the exported function `name` with the remaining
                           arguments and print its results (e.g. 0x15:i32)
  -v=n                     Log verbosity 0 to 5, default 2
  --interp                 Run in the interpreter (the only mode of this build)
  --stack-size=n           Interpreter stack size in bytes, default 64 KiB
  --heap-size=n            Host-managed app heap size in bytes, default 0
  --shared-heap-size=n     Create shared heap of n bytes and attach to the wasm app.
                           The size n will be adjusted to a minumum number aligned to page size
  --repl                   Read-eval-print loop: each line is `FUNC ARGS...`,
                           `__exit__` quits
  --env=<env>              WASI environment variable, e.g. --env=\"k=v\"; repeatable
  --dir=<dir>              Grant a host directory to the WASI guest; repeatable
  --map-dir=<guest::host>  Grant a host directory under a guest path; repeatable
  --dir-ro=<dir>           As --dir, but read-only (cwamr extension)
  --map-dir-ro=<guest::host>  As --map-dir, but read-only (cwamr extension)
  --addr-pool=<addrs>      Socket addresses the guest may use (CIDR, comma separated)
  --allow-resolve=<domain> Domain names the guest may resolve (wildcards allowed)
  --native-lib=<lib>       Load native functions from a shared library
  --module-path=<path>     Indicate a module search path. default is current
                           directory('./')
  --version                Show the version and the supported proposals
";

#[derive(Debug, Default)]
struct Options {
    function: Option<String>,
    repl: bool,
    stack_size: usize,
    heap_size: u32,
    shared_heap_size: u32,
    envs: Vec<String>,
    dirs: Vec<String>,
    map_dirs: Vec<String>,
    ro_dirs: Vec<String>,
    ro_map_dirs: Vec<String>,
    addr_pool: Vec<String>,
    allow_resolve: Vec<String>,
    native_libs: Vec<String>,
    module_path: Option<String>,
    file: String,
    args: Vec<String>,
}

enum Parsed {
    Run(Box<Options>),
    Exit(u8),
}

fn parse_num(v: &str) -> Option<u64> {
    let v = v.trim();
    if let Some(h) = v.strip_prefix("0x") {
        u64::from_str_radix(h, 16).ok()
    } else {
        v.parse().ok()
    }
}

/// C's `atoi`: optional blanks and sign, then the leading digits (0 if none).
fn atoi(v: &str) -> i64 {
    let t = v.trim_start();
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n = digits
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0i64, |a, d| {
            a.saturating_mul(10).saturating_add((d - b'0') as i64)
        });
    if neg { -n } else { n }
}

fn parse_options(argv: Vec<String>) -> Parsed {
    let mut o = Options {
        stack_size: 64 * 1024,
        ..Options::default()
    };
    let mut it = argv.into_iter().skip(1).peekable();
    let usage = || {
        print!("{HELP}");
        Parsed::Exit(1)
    };
    while let Some(a) = it.next() {
        if !a.starts_with('-') {
            o.file = a;
            o.args = it.collect();
            return Parsed::Run(Box::new(o));
        }
        let (key, val) = match a.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        match (key.as_str(), val) {
            ("-f" | "--function", None) => match it.next() {
                Some(f) => o.function = Some(f),
                None => return usage(),
            },
            // WAMR's iwasm: -v=N (read with atoi) sets the log verbosity, 0 to 5
            ("-v", Some(v)) => match atoi(&v) {
                n @ 0..=5 => cwamr::os::log::set_level(n as u32),
                _ => return usage(),
            },
            ("--interp", None) => {}
            ("--fast-jit" | "--llvm-jit" | "--multi-tier-jit", None) => {
                println!(
                    "Running mode {key} is not supported by this build of cwamr (interpreter only)"
                );
                return Parsed::Exit(1);
            }
            ("--stack-size", Some(v)) => match parse_num(&v) {
                Some(n) => o.stack_size = n as usize,
                None => return usage(),
            },
            ("--heap-size", Some(v)) => match parse_num(&v) {
                Some(n) => o.heap_size = n as u32,
                None => return usage(),
            },
            ("--shared-heap-size", Some(v)) => match parse_num(&v) {
                Some(n) => o.shared_heap_size = n as u32,
                None => return usage(),
            },
            ("--repl", None) => o.repl = true,
            ("--env", Some(v)) => o.envs.push(v.trim_matches('"').to_string()),
            ("--dir", Some(v)) => o.dirs.push(v),
            ("--map-dir", Some(v)) => o.map_dirs.push(v),
            ("--dir-ro", Some(v)) => o.ro_dirs.push(v),
            ("--map-dir-ro", Some(v)) => o.ro_map_dirs.push(v),
            ("--addr-pool", Some(v)) => o.addr_pool.extend(v.split(',').map(str::to_string)),
            ("--allow-resolve", Some(v)) => o.allow_resolve.push(v),
            ("--native-lib", Some(v)) => o.native_libs.push(v),
            ("--module-path", Some(v)) if !v.is_empty() => o.module_path = Some(v),
            ("--version", None) => {
                print_version();
                return Parsed::Exit(0);
            }
            _ => return usage(),
        }
    }
    usage()
}

fn print_version() {
    println!("iwasm 2.4.3");
    println!(
        "cwamr {} (WAMR 2.4.3 compatible)",
        env!("CARGO_PKG_VERSION")
    );
    println!("About Wasm Proposals:");
    println!("  Always-on:");
    for p in [
        "Extended Constant Expressions",
        "Multi-value",
        "Mutable Globals",
        "Non-trapping float-to-int Conversions",
        "Sign-extension Operators",
        "Bulk Memory Operations",
        "Reference Types",
    ] {
        println!("    - {p}");
    }
    println!("  Unsupported:");
    for p in [
        "Fixed-width SIMD",
        "Multiple Memories",
        "Memory64",
        "Threads",
        "Tail Call",
        "Exception Handling",
        "Garbage Collection",
    ] {
        println!("    - {p}");
    }
}

/// Call export `name` with string arguments; prints results or the exception. Returns false on
/// a trap (after printing it).
fn run_function(store: &mut Store, inst: InstanceAddr, name: &str, args: &[String]) -> bool {
    let instance = store.instance(inst).expect("instance exists").clone();
    let Some(Extern::Func(f)) = instance.export(name) else {
        println!("Exception: lookup function {name} failed");
        return false;
    };
    let ty = store
        .func(f)
        .expect("exported function exists")
        .ty()
        .clone();
    let vals = match parse_args(&ty, args, |i| instance.func(cwamr::types::FuncIdx(i))) {
        Ok(v) => v,
        Err(e) => {
            println!("Exception: {e}");
            return false;
        }
    };
    let r = store.call(f, &vals);
    // The guest's output (libc-builtin, WASI) is in C stdio's buffer: keep it before ours.
    cwamr::os::console::flush();
    match r {
        Ok(results) => {
            println!("{}", format_results_in(&results, &instance));
            true
        }
        Err(t) => {
            println!("{}", t.exception_string());
            false
        }
    }
}

fn repl(store: &mut Store, inst: InstanceAddr) {
    let stdin = std::io::stdin();
    let mut line = String::new();
    loop {
        print!("webassembly> ");
        cwamr::os::console::flush();
        line.clear();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let cmd = line.strip_suffix('\n').unwrap_or(&line);
        if cmd == "__exit__" {
            println!("exit repl mode");
            break;
        }
        // WAMR splits on spaces only, and a `\` in the function name stands for a space.
        let mut words = cmd.split(' ').filter(|w| !w.is_empty());
        let Some(func) = words.next() else { continue };
        let func = func.replace('\\', " ");
        let args: Vec<String> = words.map(str::to_string).collect();
        run_function(store, inst, &func, &args);
        store.clear_interrupt();
    }
}

fn real_main() -> u8 {
    let o = match parse_options(std::env::args().collect()) {
        Parsed::Run(o) => o,
        Parsed::Exit(code) => return code,
    };
    let bytes = match std::fs::read(&o.file) {
        Ok(b) => b,
        Err(e) => {
            println!("read file {} failed: {e}", o.file);
            return 255;
        }
    };
    let module = match Module::from_vec(bytes) {
        Ok(m) => m,
        Err(e) => {
            println!("{e}");
            return 255;
        }
    };
    if let Some(w) = cwamr::wasi::entry_warning(&module) {
        cwamr::os::log::log(cwamr::os::log::WARNING, w);
        // log lines are in C stdio's buffer; this program prints with Rust's stdout
        cwamr::os::console::flush();
    }
    let mut store = Store::new(StoreConfig {
        stack_size: o.stack_size,
        ..StoreConfig::default()
    });
    let mut linker = Linker::new();
    for lib in &o.native_libs {
        println!("warning: --native-lib={lib} ignored: native libraries are not supported yet");
    }
    cwamr::runtime::shared_heap::add_to_linker(&mut linker, warn);
    let wasi_ctx = match wasi_context(&o) {
        Ok(c) => c,
        Err(e) => {
            println!("{e}");
            return 255;
        }
    };
    // WAMR's libc-builtin (module env) and its built-in globals; WASI modules are separate.
    cwamr::libc_builtin::add_to_linker(&mut linker);
    cwamr::libc_builtin::add_globals(&mut linker, &mut store, &module);
    #[cfg(feature = "spectest")]
    if let Err(e) = cwamr::libc_builtin::spectest::add_to_linker(&mut linker, &mut store) {
        println!("{e}");
        return 255;
    }
    if let Some(ctx) = &wasi_ctx {
        cwamr::wasi::add_to_linker(&mut linker, ctx);
    }
    let loaded = load_with_deps(&o, &linker, module);
    for imp in loaded.host_imports() {
        if linker.is_unlinked_func(loaded.module(), imp) {
            cwamr::os::log::log(
                cwamr::os::log::WARNING,
                &format!(
                    "warning: failed to link import function ({}, {})",
                    imp.module, imp.name
                ),
            );
        }
    }
    cwamr::os::console::flush();
    let inst = match cwamr::runtime::multi_module::instantiate(
        &mut store,
        &linker,
        &loaded,
        o.heap_size,
    ) {
        Ok(i) => i,
        Err(e) => {
            println!("{e}");
            return 255;
        }
    };
    if o.shared_heap_size > 0 {
        use cwamr::runtime::shared_heap;
        let Some(heap) = shared_heap::new(o.shared_heap_size, std::ptr::null_mut(), &warn) else {
            println!("Create preallocated shared heap failed");
            return 255;
        };
        let attached = store
            .instance(inst)
            .is_some_and(|i| shared_heap::attach(i, &heap, &warn));
        if !attached {
            println!("Attach shared heap failed.");
            return 255;
        }
    }
    if o.repl {
        repl(&mut store, inst);
        return 0;
    }
    if let Some(f) = &o.function {
        return if run_function(&mut store, inst, f, &o.args) {
            0
        } else {
            1
        };
    }
    run_main(&mut store, inst)
}

/// Resolve imports from other modules as WAMR's iwasm does (multi-module): natives first,
/// then `<module-path>/<name>.wasm` (default `.`), read through a registry of this run.
fn load_with_deps(
    o: &Options,
    linker: &Linker,
    module: Module,
) -> std::sync::Arc<cwamr::runtime::multi_module::LoadedModule> {
    use cwamr::runtime::multi_module as mm;
    let registry = mm::Registry::new();
    let dir = o.module_path.clone().unwrap_or_else(|| ".".into());
    registry.set_reader(Some(mm::dir_reader(dir, |path| {
        println!("Read file to buffer failed: open file {path} failed.");
    })));
    let natives = |m: &str, n: &str, t: &cwamr::FuncType| linker.provides_func(m, n, t);
    let warn = |w: &str| cwamr::capi::ffi::log(cwamr::capi::ffi::LOG_WARNING, w);
    registry.load(
        module,
        &mm::LoadHooks {
            is_native: &natives,
            is_builtin_global: &|m, n| cwamr::libc_builtin::builtin_global(m, n).is_some(),
            warn: &warn,
            reject_command_sub_modules: cwamr::wasi::ENABLED,
        },
    )
}

/// The WASI grants of the command line, as WAMR's iwasm makes them: `--dir` entries, then
/// `--map-dir` entries, argv = the wasm file followed by its arguments. `None` when this
/// build has no WASI.
fn wasi_context(o: &Options) -> Result<Option<std::sync::Arc<cwamr::wasi::WasiCtx>>, String> {
    if !cwamr::wasi::ENABLED {
        return Ok(None);
    }
    let mut argv = vec![o.file.clone()];
    argv.extend(o.args.iter().cloned());
    let mut cfg = cwamr::wasi::WasiConfig::from_wamr_lists(&o.dirs, &o.map_dirs, &o.envs, &argv);
    for d in &o.ro_dirs {
        cfg.add_readonly(d, false);
    }
    for d in &o.ro_map_dirs {
        cfg.add_readonly(d, true);
    }
    cfg.addr_pool = o.addr_pool.clone();
    cfg.ns_lookup_pool = o.allow_resolve.clone();
    cwamr::wasi::WasiCtx::new(&cfg).map(Some)
}

/// Call `func` as the program's entry point: the exit status is the WASI exit code, or 1 after
/// printing the exception of a trap.
fn run_entry(store: &mut Store, f: cwamr::FuncAddr) -> u8 {
    let n = store.func(f).expect("exported").ty().params().len();
    let args = vec![cwamr::Val::I32(0); n];
    let r = store.call(f, &args);
    cwamr::os::console::flush();
    match r {
        Ok(_) => 0,
        Err(Trap::Exit(code)) => (code & 0xff) as u8,
        Err(t) => {
            println!("{}", t.exception_string());
            1
        }
    }
}

/// Run `_start` (WASI command) or `main` without `-f`.
fn run_main(store: &mut Store, inst: InstanceAddr) -> u8 {
    let instance = store.instance(inst).expect("instance exists").clone();
    if let Some(Extern::Func(f)) = instance.export("_start") {
        return run_entry(store, f);
    }
    match instance.export("main") {
        Some(Extern::Func(f)) => run_entry(store, f),
        _ => {
            println!(
                "Exception: lookup the entry point symbol (like _start, main, _main, __main_void) failed"
            );
            1
        }
    }
}

/// WAMR's warnings (shared heap).
fn warn(m: &str) {
    cwamr::capi::ffi::log(cwamr::capi::ffi::LOG_WARNING, m);
}

fn main() -> ExitCode {
    ExitCode::from(real_main())
}
