//! Semantics of every libc-builtin function, including hostile pointers.

use super::*;
use crate::cap::violation;
use crate::runtime::InstanceAddr;
use crate::types::FuncType;
use std::sync::Arc;

struct Guest {
    store: Store,
    inst: InstanceAddr,
}

fn wat_type(t: &FuncType) -> String {
    let name = |v: &ValType| match v {
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        _ => "i32",
    };
    let mut s = String::new();
    if !t.params().is_empty() {
        s += &format!(
            " (param {})",
            t.params().iter().map(name).collect::<Vec<_>>().join(" ")
        );
    }
    if !t.results().is_empty() {
        s += &format!(" (result {})", name(&t.results()[0]));
    }
    s
}

/// A guest importing `names` from env and exporting a caller of each as `call_NAME` (not
/// `NAME`: a module exporting `malloc`/`free` would become its own allocator); one page of
/// memory (maximum 2), plus `extra` module fields.
fn guest_with(
    names: &[&str],
    heap: u32,
    extra: &str,
    linker_fix: impl FnOnce(&mut Linker),
) -> Guest {
    let mut imports = String::new();
    let mut exports = String::new();
    for (i, n) in names.iter().enumerate() {
        let base = n
            .strip_prefix('_')
            .filter(|b| !provides_exact(n) && provides_exact(b));
        let lookup = base.unwrap_or(n);
        let sig = entries()
            .find(|(e, _)| *e == lookup)
            .map(|(_, s)| s)
            .unwrap();
        let ty = NativeSig::parse(sig, false).unwrap().func_type();
        let t = wat_type(&ty);
        imports += &format!("(import \"env\" \"{n}\" (func $f{i}{t}))\n");
        let gets: String = (0..ty.params().len())
            .map(|p| format!("local.get {p} "))
            .collect();
        exports += &format!("(func (export \"call_{n}\"){t} {gets} call $f{i})\n");
    }
    let wat = format!("(module {imports} (memory (export \"memory\") 1 2) {exports} {extra})");
    let module = Module::new(&wat::parse_str(&wat).unwrap()).unwrap();
    let mut store = Store::default();
    let mut linker = Linker::new();
    linker.allow_unlinked_funcs = false;
    add_to_linker(&mut linker);
    add_globals(&mut linker, &mut store, &module);
    linker_fix(&mut linker);
    let imports = linker.resolve(&mut store, &module).unwrap();
    let inst = store
        .instantiate_with_heap(&module, &imports, heap)
        .unwrap();
    Guest { store, inst }
}

fn provides_exact(n: &str) -> bool {
    entries().any(|(e, _)| e == n)
}

fn guest(names: &[&str]) -> Guest {
    guest_with(names, 0, "", |_| {})
}

impl Guest {
    fn mem(&self) -> Arc<LinearMemory> {
        self.store
            .instance(self.inst)
            .unwrap()
            .memory0()
            .unwrap()
            .clone()
    }
    fn end(&self) -> u32 {
        self.mem().len() as u32
    }
    fn put(&self, off: u32, data: &[u8]) {
        self.mem().write(u64::from(off), data).unwrap();
    }
    fn get(&self, off: u32, len: u32) -> Vec<u8> {
        let mut v = vec![0; len as usize];
        self.mem().read(u64::from(off), &mut v).unwrap();
        v
    }
    fn call(&mut self, name: &str, args: &[Val]) -> Result<Vec<Val>, Trap> {
        let export = format!("call_{name}");
        let Some(Extern::Func(f)) = self.store.instance(self.inst).unwrap().export(&export) else {
            panic!("no export {name}");
        };
        self.store.call(f, args)
    }
    fn i32(&mut self, name: &str, args: &[i32]) -> Result<i32, Trap> {
        let a: Vec<Val> = args.iter().map(|&v| Val::I32(v)).collect();
        self.call(name, &a).map(|r| match r.first() {
            Some(Val::I32(v)) => *v,
            _ => 0,
        })
    }
    fn ok(&mut self, name: &str, args: &[i32]) -> i32 {
        self.i32(name, args).unwrap()
    }
}

fn is_oob(r: Result<i32, Trap>) -> bool {
    r == Err(Trap::Code(TrapCode::MemoryOutOfBounds))
}

/// A packed wasm32 `va_list` area: 4-byte slots, 8-byte values aligned to 8.
#[derive(Default)]
struct Va(Vec<u8>);

impl Va {
    fn i(mut self, v: i32) -> Va {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn l(mut self, v: i64) -> Va {
        while self.0.len() % 8 != 0 {
            self.0.push(0xAA);
        }
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn f(self, v: f64) -> Va {
        self.l(v.to_bits() as i64)
    }
}

/// `sprintf(buf, fmt, va)` in guest `g`, returning (result, the string written).
fn sprintf(g: &mut Guest, fmt: &str, va: Va) -> (i32, String) {
    let fmt_at = 1000;
    let va_at = 2048;
    let dst = 4096;
    g.put(fmt_at, fmt.as_bytes());
    g.put(fmt_at + fmt.len() as u32, &[0]);
    g.put(va_at, &va.0);
    g.put(dst, &[0; 512]);
    let n = g.ok("sprintf", &[dst as i32, fmt_at as i32, va_at as i32]);
    let out = g.get(dst, 512);
    let end = out.iter().position(|&b| b == 0).unwrap();
    (n, String::from_utf8_lossy(&out[..end]).into_owned())
}

#[test]
fn printf_conversions_match_c() {
    let mut g = guest(&["sprintf"]);
    g.put(3000, b"str\0");
    let va = Va::default()
        .i(-42)
        .f(3.14659)
        .i(3000)
        .i(255)
        .l(1 << 40)
        .i(b'Z' as i32)
        .i(7)
        .i(-1);
    let (n, s) = sprintf(
        &mut g,
        "d=%d f=%5.2f s=[%-5s] x=%#x ll=%lld c=%c %% ld=%ld zu=%zu",
        va,
    );
    assert_eq!(
        s,
        "d=-42 f= 3.15 s=[str  ] x=0xff ll=1099511627776 c=Z % ld=7 zu=4294967295"
    );
    assert_eq!(n as usize, s.len());
    // Floats and 64-bit ints are 8-byte aligned in the va area.
    let (_, s) = sprintf(
        &mut g,
        "%d %e %g %u",
        Va::default().i(1).f(1e10).f(0.5).i(9),
    );
    assert_eq!(s, "1 1.000000e+10 0.5 9");
    // Unknown conversions print themselves, %n prints nothing, NUL of %c stops the output.
    let (_, s) = sprintf(&mut g, "a%qb%nc%5%d%ce", Va::default().i(0));
    assert_eq!(s, "a%qbc%de");
    // %s of offset 0 holding an empty string is NULL for the host ("(null)" with glibc).
    let (_, s) = sprintf(&mut g, "[%s]", Va::default().i(0));
    if cfg!(target_env = "gnu") {
        assert_eq!(s, "[(null)]");
    }
    // %ls is printed as a narrow string (no wchar_t read of the snapshot).
    let (_, s) = sprintf(&mut g, "%ls|%5.1lf", Va::default().i(3000).f(2.25));
    assert_eq!(s, "str|  2.2");
    // A spec cut off by the end of the format prints nothing.
    let (n, s) = sprintf(&mut g, "ab%5", Va::default());
    assert_eq!((n, s.as_str()), (2, "ab"));
}

#[test]
fn snprintf_truncates_and_returns_the_full_length() {
    let mut g = guest(&["snprintf"]);
    g.put(100, b"hello world\0");
    g.put(200, &[0; 16]);
    g.put(300, b"XXXXXXXX");
    assert_eq!(g.ok("snprintf", &[300, 5, 100, 200]), 11);
    assert_eq!(g.get(300, 8), b"hell\0XXX");
    // Size 0 writes nothing.
    g.put(300, b"YYYY");
    assert_eq!(g.ok("snprintf", &[300, 0, 100, 200]), 11);
    assert_eq!(g.get(300, 4), b"YYYY");
    // Room for everything: terminated.
    assert_eq!(g.ok("snprintf", &[300, 64, 100, 200]), 11);
    assert_eq!(g.get(300, 12), b"hello world\0");
    // The destination must lie inside memory for its full size.
    let end = g.end() as i32;
    assert!(is_oob(g.i32("snprintf", &[end - 4, 8, 100, 200])));
}

#[test]
fn printf_va_list_past_the_end_traps_and_is_recorded() {
    let mut g = guest(&["printf", "sprintf"]);
    let end = g.end();
    g.put(100, b"%d %d\n\0");
    let before = violation::count_kind(crate::cap::ViolationKind::CapBounds);
    // The va_list pointer itself: 4 bytes must be inside memory.
    assert!(is_oob(g.i32("printf", &[100, end as i32 - 2])));
    // The first slot is in memory, the second is not.
    g.put(end - 4, &5i32.to_le_bytes());
    assert!(is_oob(g.i32("printf", &[100, end as i32 - 4])));
    assert!(violation::count_kind(crate::cap::ViolationKind::CapBounds) >= before + 2);
    // A format string running off the end of memory.
    g.put(end - 3, b"%d%");
    assert!(is_oob(g.i32("printf", &[end as i32 - 3, 200])));
    // A printf that works returns the number of bytes printed.
    g.put(100, b"[%d]\n\0");
    g.put(200, &77i32.to_le_bytes());
    assert_eq!(g.ok("printf", &[100, 200]), 5);
    // %s with an unterminated string at the end of memory.
    g.put(end - 3, b"abc");
    g.put(300, b"%s\0");
    g.put(200, &(end - 3).to_le_bytes());
    assert!(is_oob(g.i32("sprintf", &[400, 300, 200])));
}

#[test]
fn sprintf_is_bounded_by_the_end_of_memory() {
    let mut g = guest(&["sprintf"]);
    let end = g.end();
    g.put(end - 4, b"zz\0\0");
    g.put(100, b"abcdefgh\0");
    assert_eq!(g.ok("sprintf", &[end as i32 - 4, 100, 200]), 8);
    assert_eq!(g.get(end - 4, 4), b"abc\0");
    // The destination must already be a C string inside memory.
    g.put(end - 2, b"qq");
    assert!(is_oob(g.i32("sprintf", &[end as i32 - 2, 100, 200])));
}

#[test]
fn string_functions() {
    let mut g = guest(&[
        "strlen",
        "strcmp",
        "strncmp",
        "strchr",
        "strstr",
        "strcpy",
        "strncpy",
        "memcmp",
        "memcpy",
        "memmove",
        "memset",
        "memchr",
        "strspn",
        "strcspn",
        "strncasecmp",
        "atoi",
    ]);
    g.put(100, b"hello\0");
    g.put(200, b"help\0");
    assert_eq!(g.ok("strlen", &[100]), 5);
    assert!(g.ok("strcmp", &[100, 200]) < 0);
    assert_eq!(g.ok("strncmp", &[100, 200, 3]), 0);
    assert!(g.ok("memcmp", &[200, 100, 4]) > 0);
    assert_eq!(g.ok("strchr", &[100, b'l' as i32]), 102);
    assert_eq!(g.ok("strchr", &[100, 0]), 105);
    assert_eq!(g.ok("strchr", &[100, b'z' as i32]), 0);
    g.put(300, b"lo\0");
    assert_eq!(g.ok("strstr", &[100, 300]), 103);
    assert_eq!(g.ok("strstr", &[200, 300]), 0);
    assert_eq!(g.ok("strcpy", &[400, 100]), 400);
    assert_eq!(g.get(400, 6), b"hello\0");
    g.put(500, b"XXXXXXXX");
    assert_eq!(g.ok("strncpy", &[500, 200, 7]), 500);
    assert_eq!(g.get(500, 8), b"help\0\0\0X");
    assert_eq!(g.ok("memset", &[500, b'a' as i32, 3]), 500);
    assert_eq!(g.get(500, 4), b"aaap");
    assert_eq!(g.ok("memcpy", &[600, 100, 5]), 600);
    assert_eq!(g.get(600, 5), b"hello");
    assert_eq!(g.ok("memmove", &[601, 600, 5]), 601);
    assert_eq!(g.get(600, 6), b"hhello");
    assert_eq!(g.ok("memchr", &[100, b'o' as i32, 5]), 104);
    assert_eq!(g.ok("memchr", &[100, b'o' as i32, 4]), 0);
    g.put(700, b"lehx\0");
    assert_eq!(g.ok("strspn", &[700, 100]), 3);
    assert_eq!(g.ok("strcspn", &[100, 300]), 2);
    g.put(800, b"HELLO\0");
    assert_eq!(g.ok("strncasecmp", &[100, 800, 5]), 0);
    g.put(900, b"  -123abc\0");
    assert_eq!(g.ok("atoi", &[900]), -123);
    // Hostile ranges: the destination is re-checked for the full size.
    let end = g.end() as i32;
    assert!(is_oob(g.i32("memcpy", &[end - 2, 100, 5])));
    assert!(is_oob(g.i32("memset", &[end - 2, 0, 5])));
    assert!(is_oob(g.i32("strcpy", &[end - 3, 100])));
    assert!(is_oob(g.i32("memcmp", &[end - 2, 100, 5])));
    assert!(is_oob(g.i32("strncpy", &[100, end - 2, 5])));
    assert_eq!(g.ok("memcpy", &[end - 1, 100, 0]), end - 1);
    assert!(is_oob(g.i32("strlen", &[end])));
    assert!(is_oob(g.i32("memcpy", &[0, -16, 32])));
}

#[test]
fn strtol_sets_endptr_as_an_app_offset() {
    let mut g = guest(&["strtol", "strtoul"]);
    g.put(100, b"  123xyz\0");
    assert_eq!(g.ok("strtol", &[100, 200, 10]), 123);
    assert_eq!(g.get(200, 4), 105u32.to_le_bytes());
    g.put(100, b"ff\0");
    assert_eq!(g.ok("strtol", &[100, 200, 16]), 255);
    assert_eq!(g.get(200, 4), 102u32.to_le_bytes());
    g.put(100, b"4294967295\0");
    assert_eq!(g.ok("strtoul", &[100, 200, 0]), -1);
    g.put(100, b"zz\0");
    assert_eq!(g.ok("strtol", &[100, 200, 10]), 0);
    assert_eq!(g.get(200, 4), 100u32.to_le_bytes());
    let end = g.end() as i32;
    assert!(is_oob(g.i32("strtol", &[100, end - 2, 10])));
}

#[test]
fn heap_functions_on_the_app_heap() {
    let mut g = guest_with(
        &["malloc", "calloc", "realloc", "free", "strdup", "_malloc"],
        4096,
        "",
        |_| {},
    );
    let p = g.ok("malloc", &[16]);
    assert_ne!(p, 0);
    assert_ne!(g.ok("_malloc", &[8]), 0, "_malloc binds to malloc");
    g.put(p as u32, b"0123456789abcdef");
    let q = g.ok("realloc", &[p, 64]);
    assert_ne!(q, 0);
    assert_eq!(g.get(q as u32, 16), b"0123456789abcdef");
    g.ok("free", &[q]);
    g.ok("free", &[0]);
    let c = g.ok("calloc", &[4, 8]);
    assert_eq!(g.get(c as u32, 32), vec![0; 32]);
    assert_eq!(g.ok("calloc", &[0x10000, 0x10000]), 0, "calloc overflow");
    assert_eq!(g.ok("calloc", &[1 << 20, 1 << 20]), 0);
    assert_eq!(g.ok("malloc", &[1 << 20]), 0, "too large for the heap");
    g.put(100, b"dup me\0");
    let d = g.ok("strdup", &[100]);
    assert_eq!(g.get(d as u32, 7), b"dup me\0");
    let end = g.end() as i32;
    assert!(is_oob(g.i32("free", &[end - 2])));
}

#[test]
fn no_heap_malloc_returns_zero_and_realloc_traps() {
    let mut g = guest(&["malloc", "realloc", "free", "__cxa_allocate_exception"]);
    assert_eq!(g.ok("malloc", &[16]), 0);
    assert_eq!(g.ok("__cxa_allocate_exception", &[16]), 0);
    assert_eq!(
        g.i32("realloc", &[0, 16]),
        Err(Trap::Host("out of memory".into()))
    );
    assert_eq!(g.ok("free", &[100]), 0, "a pointer nobody owns is ignored");
}

#[test]
fn heap_functions_use_the_guest_allocator() {
    // A module exporting malloc/free gets no app heap: its own allocator serves libc-builtin.
    let extra = r#"(global $next (mut i32) (i32.const 8192))
        (func (export "malloc") (param i32) (result i32)
          global.get $next global.get $next local.get 0 i32.add global.set $next)
        (func (export "free") (param i32))"#;
    let mut g = guest_with(&["calloc", "strdup"], 4096, extra, |_| {});
    assert_eq!(g.ok("calloc", &[2, 8]), 8192);
    g.put(100, b"x\0");
    assert_eq!(g.ok("strdup", &[100]), 8208);
    assert_eq!(g.get(8208, 2), b"x\0");
}

#[test]
fn exit_and_abort_are_exceptions() {
    let mut g = guest(&[
        "exit",
        "abort",
        "abortStackOverflow",
        "nullFunc_X",
        "__cxa_throw",
    ]);
    let e = g.i32("exit", &[3]).unwrap_err();
    assert_eq!(e.exception_string(), "Exception: env.exit(3)");
    assert_eq!(
        g.i32("abort", &[-1]).unwrap_err().message(),
        "env.abort(-1)"
    );
    assert_eq!(
        g.i32("abortStackOverflow", &[i32::MIN])
            .unwrap_err()
            .message(),
        "env.abortStackOverflow(-2147483"
    );
    assert_eq!(
        g.i32("nullFunc_X", &[5]).unwrap_err().message(),
        "env.nullFunc_X(5)"
    );
    assert_eq!(
        g.i32("__cxa_throw", &[0, 0, 0]).unwrap_err().message(),
        "exception thrown by stdc++"
    );
}

#[test]
fn ctype_clock_and_stdio() {
    let mut g = guest(&[
        "isupper",
        "isalpha",
        "isspace",
        "isgraph",
        "isprint",
        "isdigit",
        "isxdigit",
        "isalnum",
        "tolower",
        "toupper",
        "clock_gettime",
        "clock",
        "puts",
        "putchar",
        "__cxa_begin_catch",
        "emscripten_memcpy_big",
    ]);
    assert_ne!(g.ok("isupper", &[b'A' as i32]), 0);
    assert_eq!(g.ok("isupper", &[b'a' as i32]), 0);
    assert_ne!(g.ok("isdigit", &[b'7' as i32]), 0);
    assert_ne!(g.ok("isxdigit", &[b'f' as i32]), 0);
    assert_ne!(g.ok("isspace", &[b'\t' as i32]), 0);
    assert_ne!(g.ok("isalnum", &[b'z' as i32]), 0);
    assert_eq!(g.ok("isgraph", &[b' ' as i32]), 0);
    assert_ne!(g.ok("isprint", &[b' ' as i32]), 0);
    assert_ne!(g.ok("isalpha", &[b'q' as i32]), 0);
    assert_eq!(g.ok("isalpha", &[100_000]), 0, "outside the C tables");
    assert_eq!(g.ok("toupper", &[b'q' as i32]), b'Q' as i32);
    assert_eq!(g.ok("tolower", &[b'Q' as i32]), b'q' as i32);
    assert_eq!(g.ok("tolower", &[100_000]), 100_000);
    assert_eq!(g.ok("clock_gettime", &[0, 64]), 0);
    let sec = u64::from_le_bytes(g.get(64, 8).try_into().unwrap());
    let nsec = u32::from_le_bytes(g.get(72, 4).try_into().unwrap());
    assert!(nsec < 1_000_000_000);
    assert!(sec > 0 || nsec > 0);
    let end = g.end() as i32;
    assert!(is_oob(g.i32("clock_gettime", &[0, end - 8])));
    let Ok(r) = g.call("clock", &[]) else {
        panic!("clock")
    };
    assert!(matches!(r[0], Val::I64(v) if v > 0));
    g.put(100, b"libc-builtin puts test\0");
    assert_eq!(g.ok("puts", &[100]), 23);
    assert_eq!(g.ok("putchar", &[b'\n' as i32]), 1);
    g.ok("__cxa_begin_catch", &[0]);
    assert_eq!(g.ok("emscripten_memcpy_big", &[200, 100, 4]), 200);
    assert_eq!(g.get(200, 4), b"libc");
}

#[test]
fn embedder_natives_shadow_the_library() {
    let mut g = guest_with(&["strlen"], 0, "", |l| {
        l.func(
            "env",
            "strlen",
            HostFunc::new(FuncType::new([ValType::I32], [ValType::I32]), |_, c| {
                c[0] = 99;
                Ok(())
            }),
        );
    });
    assert_eq!(g.ok("strlen", &[0]), 99);
    assert!(provides("env", "_printf"));
    assert!(provides("env", "__strdup"));
    assert!(!provides("env", "setTempRet0"));
    assert!(!provides("wasi", "printf"));
    assert_eq!(entries().count(), 52);
}

#[test]
fn builtin_globals_and_spectest() {
    let wat = r#"(module
        (import "global" "NaN" (global $nan f64))
        (import "global" "Infinity" (global $inf f64))
        (import "spectest" "global_i32" (global $g i32))
        (import "spectest" "global_f64" (global $gf f64))
        (import "spectest" "table" (table 0 funcref))
        (import "spectest" "memory" (memory 1))
        (import "spectest" "print_i32" (func $p (param i32)))
        (import "spectest" "print_f64_f64" (func $pff (param f64 f64)))
        (func (export "nan") (result i64) global.get $nan i64.reinterpret_f64)
        (func (export "inf") (result i64) global.get $inf i64.reinterpret_f64)
        (func (export "g") (result i32) global.get $g)
        (func (export "gf") (result f64) global.get $gf)
        (func (export "tsize") (result i32) table.size 0)
        (func (export "pages") (result i32) memory.size)
        (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
        (func (export "print") i32.const 7 call $p f64.const 1.5 f64.const -2 call $pff))"#;
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::default();
    let mut linker = Linker::new();
    add_globals(&mut linker, &mut store, &module);
    spectest::add_to_linker(&mut linker, &mut store).unwrap();
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let mut call = |n: &str, a: &[Val]| {
        let Some(Extern::Func(f)) = store.instance(inst).unwrap().export(n) else {
            panic!("{n}")
        };
        store.call(f, a).unwrap()
    };
    assert_eq!(call("nan", &[]), [Val::I64(0x7FF8_0000_0000_0000)]);
    assert_eq!(call("inf", &[]), [Val::I64(0x7FF0_0000_0000_0000)]);
    assert_eq!(call("g", &[]), [Val::I32(666)]);
    assert_eq!(call("gf", &[]), [Val::f64(666.6)]);
    assert_eq!(call("tsize", &[]), [Val::I32(10)]);
    assert_eq!(call("pages", &[]), [Val::I32(1)]);
    assert_eq!(call("grow", &[Val::I32(1)]), [Val::I32(1)]);
    assert_eq!(
        call("grow", &[Val::I32(1)]),
        [Val::I32(-1)],
        "maximum 2 pages"
    );
    call("print", &[]);
    assert_eq!(spectest::c_f(1.5), "1.500000");
    assert_eq!(spectest::c_f(f64::INFINITY), "inf");
}

mod shared_heap;
