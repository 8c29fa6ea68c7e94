//! Decoding and validation of a module binary with `wasmparser`.
//!
//! The whole binary, function bodies included, is validated here, so that load errors are
//! reported eagerly as WAMR does. Function bodies are only recorded as byte ranges; the
//! interpreter translates them lazily. Collections are sized from what is actually present,
//! never from declared counts, so a module that declares 2^32-1 items but carries none costs
//! nothing.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;
use wasmparser::{
    ElementItems, ElementKind, ExternalKind, FuncValidatorAllocations, Parser, Payload, TypeRef,
    Validator, WasmFeatures,
};

use super::bytes::{ModuleBytes, dropped_sections, is_dropped_custom};
use super::const_expr::{ConstExpr, ConstOp};
use super::errors::wamr_reason;
use super::*;
use crate::error::LoadError;

/// The feature set of WebAssembly 2.0 without SIMD (the interpreter does not run v128 yet).
pub(crate) fn features() -> WasmFeatures {
    WasmFeatures::WASM2.difference(WasmFeatures::SIMD | WasmFeatures::RELAXED_SIMD)
}

/// Cap for `Vec::with_capacity` from a declared count: the real size grows on demand.
fn cap(declared: u32) -> usize {
    (declared as usize).min(1024)
}

fn err(e: wasmparser::BinaryReaderError) -> LoadError {
    LoadError {
        reason: wamr_reason(&e),
        offset: Some(e.offset() as usize),
    }
}

fn val_type(t: wasmparser::ValType) -> ValType {
    match t {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => ValType::V128,
        wasmparser::ValType::Ref(r) => ref_type(r).into(),
    }
}

fn ref_type(r: wasmparser::RefType) -> RefType {
    if r.is_extern_ref() {
        RefType::Extern
    } else {
        RefType::Func
    }
}

fn table_type(t: wasmparser::TableType) -> TableType {
    TableType {
        elem: ref_type(t.element_type),
        limits: Limits {
            min: t.initial,
            max: t.maximum,
        },
    }
}

fn memory_type(t: wasmparser::MemoryType) -> MemoryType {
    MemoryType {
        limits: Limits {
            min: t.initial,
            max: t.maximum,
        },
        shared: t.shared,
    }
}

fn global_type(t: wasmparser::GlobalType) -> GlobalType {
    GlobalType {
        content: val_type(t.content_type),
        mutable: t.mutable,
    }
}

/// Offset of `sub` inside `whole`; `sub` must be a sub-slice of `whole`.
fn range_in(whole: &[u8], sub: &[u8]) -> std::ops::Range<usize> {
    let start = (sub.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize);
    let start = start.min(whole.len());
    start..(start + sub.len()).min(whole.len())
}

/// WAMR's loader logs each section it loaded at verbose level (`LOG_VERBOSE`); the text is
/// formatted only when that level is enabled.
fn loaded(msg: impl FnOnce() -> String) {
    if crate::os::log::enabled(crate::os::log::VERBOSE) {
        crate::os::log::log(crate::os::log::VERBOSE, &msg());
    }
}

/// A custom section's name as WAMR's loader prints it: up to 31 bytes, longer names cut to 28
/// bytes and `...`.
fn custom_log_name(name: &str) -> String {
    let b = name.as_bytes();
    if b.len() < 32 {
        name.to_string()
    } else {
        format!("{}...", String::from_utf8_lossy(&b[..28]))
    }
}

pub(crate) fn parse(bytes: &[u8]) -> Result<ModuleInner, LoadError> {
    let mut m = ModuleInner {
        bytes: ModuleBytes::default(),
        types: Vec::new(),
        imports: Vec::new(),
        funcs: Vec::new(),
        num_imported_funcs: 0,
        tables: Vec::new(),
        num_imported_tables: 0,
        memories: Vec::new(),
        num_imported_memories: 0,
        globals: Vec::new(),
        num_imported_globals: 0,
        global_inits: Vec::new(),
        exports: Vec::new(),
        export_index: HashMap::new(),
        start: None,
        elems: Vec::new(),
        datas: Vec::new(),
        bodies: Vec::new(),
        customs: Vec::new(),
        code: ModuleCodeSlot::default(),
        name: Mutex::new(String::new()),
    };
    if bytes.len() >= 4 && &bytes[..4] != b"\0asm" {
        return Err(LoadError::new("magic header not detected"));
    }
    let mut validator = Validator::new_with_features(features());
    let mut allocs = FuncValidatorAllocations::default();
    let mut seen_end = false;
    let mut parser = Parser::new(0);
    parser.set_features(features());
    let mut code_left: Option<u32> = None;
    for payload in parser.parse_all(bytes) {
        let payload = payload.map_err(err)?;
        if let wasmparser::ValidPayload::Func(func, body) =
            validator.payload(&payload).map_err(err)?
        {
            let mut fv = func.into_validator(std::mem::take(&mut allocs));
            fv.validate(&body).map_err(err)?;
            allocs = fv.into_allocations();
        }
        let done = if crate::os::log::enabled(crate::os::log::VERBOSE) {
            section_log(&payload, &mut code_left)
        } else {
            None
        };
        match payload {
            Payload::TypeSection(reader) => {
                m.types.reserve(cap(reader.count()));
                for group in reader {
                    for sub in group.map_err(err)?.into_types() {
                        let wasmparser::CompositeInnerType::Func(f) = &sub.composite_type.inner
                        else {
                            return Err(LoadError::new("unsupported type"));
                        };
                        m.types.push(Arc::new(FuncType::new(
                            f.params().iter().map(|&t| val_type(t)),
                            f.results().iter().map(|&t| val_type(t)),
                        )));
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(err)?;
                    let desc = match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            m.funcs.push(TypeIdx(t));
                            m.num_imported_funcs += 1;
                            ImportDesc::Func(TypeIdx(t))
                        }
                        TypeRef::Table(t) => {
                            m.tables.push(table_type(t));
                            m.num_imported_tables += 1;
                            ImportDesc::Table(table_type(t))
                        }
                        TypeRef::Memory(t) => {
                            m.memories.push(memory_type(t));
                            m.num_imported_memories += 1;
                            ImportDesc::Memory(memory_type(t))
                        }
                        TypeRef::Global(t) => {
                            m.globals.push(global_type(t));
                            m.num_imported_globals += 1;
                            ImportDesc::Global(global_type(t))
                        }
                        TypeRef::Tag(_) => return Err(LoadError::new("unsupported import kind")),
                    };
                    m.imports.push(Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        desc,
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                m.funcs.reserve(cap(reader.count()));
                for t in reader {
                    m.funcs.push(TypeIdx(t.map_err(err)?));
                }
            }
            Payload::TableSection(reader) => {
                for t in reader {
                    m.tables.push(table_type(t.map_err(err)?.ty));
                }
            }
            Payload::MemorySection(reader) => {
                for t in reader {
                    m.memories.push(memory_type(t.map_err(err)?));
                }
            }
            Payload::GlobalSection(reader) => {
                for g in reader {
                    let g = g.map_err(err)?;
                    m.globals.push(global_type(g.ty));
                    m.global_inits.push(ConstExpr::decode(&g.init_expr)?);
                }
            }
            Payload::ExportSection(reader) => {
                for e in reader {
                    let e = e.map_err(err)?;
                    let kind = match e.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => ExternKind::Func,
                        ExternalKind::Table => ExternKind::Table,
                        ExternalKind::Memory => ExternKind::Memory,
                        ExternalKind::Global => ExternKind::Global,
                        ExternalKind::Tag => return Err(LoadError::new("unsupported export kind")),
                    };
                    m.export_index.insert(e.name.to_string(), m.exports.len());
                    m.exports.push(Export {
                        name: e.name.to_string(),
                        kind,
                        index: e.index,
                    });
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(FuncIdx(func)),
            Payload::ElementSection(reader) => {
                for e in reader {
                    let e = e.map_err(err)?;
                    let (ty, items) = match e.items {
                        ElementItems::Functions(r) => {
                            let mut items = Vec::with_capacity(cap(r.count()));
                            for f in r {
                                items.push(ConstExpr::single(ConstOp::RefFunc(FuncIdx(
                                    f.map_err(err)?,
                                ))));
                            }
                            (RefType::Func, items)
                        }
                        ElementItems::Expressions(rt, r) => {
                            let mut items = Vec::with_capacity(cap(r.count()));
                            for x in r {
                                items.push(ConstExpr::decode(&x.map_err(err)?)?);
                            }
                            (ref_type(rt), items)
                        }
                    };
                    let mode = match e.kind {
                        ElementKind::Passive => ElemMode::Passive,
                        ElementKind::Declared => ElemMode::Declared,
                        ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => ElemMode::Active {
                            table: TableIdx(table_index.unwrap_or(0)),
                            offset: ConstExpr::decode(&offset_expr)?,
                        },
                    };
                    m.elems.push(ElemSegment { mode, ty, items });
                }
            }
            Payload::DataSection(reader) => {
                for d in reader {
                    let d = d.map_err(err)?;
                    let mode = match d.kind {
                        wasmparser::DataKind::Passive => DataMode::Passive,
                        wasmparser::DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => DataMode::Active {
                            memory: MemIdx(memory_index),
                            offset: ConstExpr::decode(&offset_expr)?,
                        },
                    };
                    m.datas.push(DataSegment {
                        mode,
                        bytes: range_in(bytes, d.data),
                    });
                }
            }
            Payload::CodeSectionEntry(body) => {
                let r = body.range();
                m.bodies.push(FuncBody {
                    range: r.start as usize..r.end as usize,
                });
            }
            Payload::CustomSection(c) if !is_dropped_custom(c.name()) => {
                m.customs.push(CustomSection {
                    name: c.name().to_string(),
                    data: range_in(bytes, c.data()),
                });
            }
            Payload::End(_) => seen_end = true,
            _ => {}
        }
        if let Some(msg) = done {
            crate::os::log::log(crate::os::log::VERBOSE, &msg);
        }
    }
    if !seen_end {
        return Err(LoadError::new("unexpected end"));
    }
    m.bytes = ModuleBytes::new(bytes, &dropped_sections(bytes));
    // Growth by doubling leaves up to half of each table unused for the module's life.
    m.types.shrink_to_fit();
    m.imports.shrink_to_fit();
    m.funcs.shrink_to_fit();
    m.globals.shrink_to_fit();
    m.global_inits.shrink_to_fit();
    m.exports.shrink_to_fit();
    m.export_index.shrink_to_fit();
    m.elems.shrink_to_fit();
    m.datas.shrink_to_fit();
    m.bodies.shrink_to_fit();
    m.customs.shrink_to_fit();
    loaded(|| "Load module success.\n".to_string());
    Ok(m)
}

/// The log line WAMR's loader prints once `payload` completes a section (`None` if it does
/// not; called only when the verbose level is on). `code_left` counts the code section's remaining bodies.
fn section_log(payload: &Payload<'_>, code_left: &mut Option<u32>) -> Option<String> {
    let fixed = |s: &str| Some(s.to_string());
    match payload {
        Payload::TypeSection(_) => fixed("Load type section success.\n"),
        Payload::ImportSection(_) => fixed("Load import section success.\n"),
        Payload::FunctionSection(_) => fixed("Load function section success.\n"),
        Payload::TableSection(_) => fixed("Load table section success.\n"),
        Payload::MemorySection(_) => fixed("Load memory section success.\n"),
        Payload::GlobalSection(_) => fixed("Load global section success.\n"),
        Payload::ExportSection(_) => fixed("Load export section success.\n"),
        Payload::StartSection { .. } => fixed("Load start section success.\n"),
        Payload::ElementSection(_) => fixed("Load table segment section success.\n"),
        Payload::DataCountSection { .. } => fixed("Load datacount section success.\n"),
        Payload::DataSection(_) => fixed("Load data segment section success.\n"),
        Payload::CodeSectionStart { count, .. } => {
            *code_left = Some(*count);
            if *count == 0 {
                *code_left = None;
                fixed("Load code segment section success.\n")
            } else {
                None
            }
        }
        Payload::CodeSectionEntry(_) => match code_left {
            Some(n) if *n <= 1 => {
                *code_left = None;
                fixed("Load code segment section success.\n")
            }
            Some(n) => {
                *n -= 1;
                None
            }
            None => None,
        },
        Payload::CustomSection(c) => Some(format!(
            "Load custom section [{}] success.",
            custom_log_name(c.name())
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::module::Module;

    #[test]
    fn rejects_bad_headers_in_wamr_words() {
        let e = Module::new(b"\0asx\x01\0\0\0").unwrap_err();
        assert_eq!(e.reason, "magic header not detected");
        let e = Module::new(b"\0asm\x02\0\0\0").unwrap_err();
        assert_eq!(e.reason, "unknown binary version");
        let e = Module::new(b"\0asm\x01\0").unwrap_err();
        assert_eq!(e.reason, "unexpected end");
        let e = Module::new(b"").unwrap_err();
        assert_eq!(e.reason, "unexpected end");
    }

    #[test]
    fn huge_declared_counts_cost_nothing() {
        // Function section declaring 2^32-1 entries, with none present.
        let m = b"\0asm\x01\0\0\0\x03\x05\xff\xff\xff\xff\x0f";
        assert!(Module::new(m).is_err());
        // Type section declaring 2^32-1 types.
        let m = b"\0asm\x01\0\0\0\x01\x05\xff\xff\xff\xff\x0f";
        assert!(Module::new(m).is_err());
    }

    #[test]
    fn parses_a_small_module() {
        let wasm = wat::parse_str(
            r#"(module (func (export "add") (param i32 i32) (result i32)
                 local.get 0 local.get 1 i32.add)
                 (memory 1) (data (i32.const 8) "hi"))"#,
        )
        .unwrap();
        let m = Module::new(&wasm).unwrap();
        assert_eq!(m.exports().len(), 1);
        assert_eq!(m.num_funcs(), 1);
        assert_eq!(m.memories().len(), 1);
        let d = &m.inner.datas[0];
        assert_eq!(&m.bytes()[d.bytes.clone()], b"hi");
    }

    #[test]
    fn loader_log_lines_are_wamrs_in_section_order() {
        let wasm = wat::parse_str(
            r#"(module (type (func)) (import "env" "f" (func))
                 (table 1 funcref) (memory 1) (global i32 (i32.const 0))
                 (export "m" (memory 0)) (elem (i32.const 0) 0)
                 (func) (func) (data (i32.const 0) "x") (@custom "demo" "hi"))"#,
        )
        .unwrap();
        let mut left = None;
        let lines: Vec<String> = wasmparser::Parser::new(0)
            .parse_all(&wasm)
            .filter_map(|p| super::section_log(&p.unwrap(), &mut left))
            .collect();
        assert_eq!(
            lines,
            [
                "Load type section success.\n",
                "Load import section success.\n",
                "Load function section success.\n",
                "Load table section success.\n",
                "Load memory section success.\n",
                "Load global section success.\n",
                "Load export section success.\n",
                "Load table segment section success.\n",
                "Load code segment section success.\n",
                "Load data segment section success.\n",
                "Load custom section [demo] success.",
            ]
        );
        let long = "a_custom_section_name_of_forty_bytes_xxxx";
        assert_eq!(super::custom_log_name(long), format!("{}...", &long[..28]));
        assert_eq!(super::custom_log_name("name"), "name");
    }

    #[test]
    fn dwarf_sections_are_not_kept() {
        let mut wasm = wat::parse_str(r#"(module (@custom "keep" "k"))"#).unwrap();
        // Append a 1000-byte `.debug_info` section.
        let mut c = vec![11u8];
        c.extend_from_slice(b".debug_info");
        c.extend_from_slice(&[7; 1000]);
        wasm.push(0);
        wasm.extend_from_slice(&[(c.len() & 0x7f) as u8 | 0x80, (c.len() >> 7) as u8]);
        wasm.extend_from_slice(&c);
        let m = Module::new(&wasm).unwrap();
        assert!(m.custom_section(".debug_info").is_none());
        assert_eq!(m.custom_section("keep"), Some(&b"k"[..]));
        assert!(m.bytes().len() + 1000 < wasm.len());
        // What is kept reloads.
        assert!(Module::new(m.bytes()).is_ok());
    }
}
