//! Drift check between the Rust definitions of the WAMR API (`src/capi/wamr/`) and the
//! hand-written `include/wasm_export.h`.
//!
//! cbindgen (configured by `cbindgen.toml`) generates C declarations from the Rust sources;
//! every function of the reference list is then compared with the header's prototype: same
//! name, same arity, same parameter and result types after a light normalisation (parameter
//! names dropped, `T x[]` → `T *`, top-level `const` on by-value parameters dropped, `struct`
//! keyword dropped, function-pointer parameters compared as "fnptr"). The two C-variadic
//! functions are implemented in C and checked against the header by the C compiler itself
//! (`call_v.c` has a `_Static_assert` on the prototype), so they are skipped here.

use std::collections::BTreeMap;
use std::path::Path;

const VARIADIC: [&str; 1] = ["wasm_runtime_call_wasm_v"];

/// Split `ret name(params)` declarations out of C text (one per `;`).
fn prototypes(c: &str) -> BTreeMap<String, (String, Vec<String>)> {
    // Drop comments and preprocessor lines.
    let mut text = String::new();
    let mut in_block = false;
    for line in c.lines() {
        let mut l = line.to_string();
        if in_block {
            match l.find("*/") {
                Some(i) => {
                    l = l[i + 2..].to_string();
                    in_block = false;
                }
                None => continue,
            }
        }
        while let Some(i) = l.find("/*") {
            match l[i..].find("*/") {
                Some(j) => l = format!("{}{}", &l[..i], &l[i + j + 2..]),
                None => {
                    l.truncate(i);
                    in_block = true;
                }
            }
        }
        if let Some(i) = l.find("//") {
            l.truncate(i);
        }
        if l.trim_start().starts_with('#') {
            continue;
        }
        text.push_str(&l);
        text.push(' ');
    }
    let text = text.replace("WASM_RUNTIME_API_EXTERN", " ");
    let mut out = BTreeMap::new();
    for decl in text.split([';', '{', '}']) {
        let d = decl.split_whitespace().collect::<Vec<_>>().join(" ");
        if d.starts_with("typedef") || !d.ends_with(')') {
            continue;
        }
        let Some(open) = d.find('(') else { continue };
        let head = d[..open].trim();
        // A function declaration's head ends with its name.
        let name_start = head
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let name = &head[name_start..];
        if name.is_empty() || head.contains('=') || head.contains('(') {
            continue;
        }
        let ret = norm_type(&head[..name_start]);
        let params_text = &d[open + 1..d.len() - 1];
        let params = split_top(params_text)
            .into_iter()
            .map(|p| norm_param(&p))
            .filter(|p| p != "void")
            .collect();
        out.insert(name.to_string(), (ret, params));
    }
    out
}

/// Split on commas that are not inside parentheses.
fn split_top(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        parts.push(cur.trim().to_string());
    }
    parts
}

fn norm_type(t: &str) -> String {
    let t = t.replace('*', " * ").replace("struct ", " ");
    let mut words: Vec<&str> = t.split_whitespace().collect();
    // Top-level const on a by-value type (`const wasm_module_t m`) does not change the ABI.
    if words.first() == Some(&"const") && !words.contains(&"*") {
        words.remove(0);
    }
    words.join(" ")
}

fn norm_param(p: &str) -> String {
    if p.contains("(*") {
        return "fnptr".to_string();
    }
    let mut p = p.trim().to_string();
    let mut arrays = 0;
    while p.ends_with("[]") {
        p.truncate(p.len() - 2);
        arrays += 1;
    }
    // Drop the parameter name (the last identifier), unless only a type is left.
    let t = p.replace('*', " * ");
    let mut words: Vec<&str> = t.split_whitespace().collect();
    if words.len() > 1 && words.last().is_some_and(|w| *w != "*") {
        words.pop();
    }
    let mut ty = norm_type(&words.join(" "));
    for _ in 0..arrays {
        ty.push_str(" *");
    }
    ty
}

fn reference_functions(root: &Path) -> Vec<String> {
    let p = root.join("../shared/reference/wamr-2.4.3/wasm_export_functions.txt");
    let Ok(text) = std::fs::read_to_string(&p) else {
        // Outside the workspace the header itself is the reference.
        return Vec::new();
    };
    let body = text
        .split("EXPORTED TYPES")
        .next()
        .unwrap_or_default()
        .to_string();
    body.lines()
        .filter(|l| l.starts_with("  ") && l.contains('('))
        .filter_map(|l| {
            let head = &l[..l.find('(')?];
            Some(
                head.split_whitespace()
                    .last()?
                    .trim_start_matches('*')
                    .to_string(),
            )
        })
        .collect()
}

/// C declarations cbindgen generates from the Rust sources of `src/capi/wamr/`.
fn rust_prototypes(root: &Path) -> BTreeMap<String, (String, Vec<String>)> {
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut builder = cbindgen::Builder::new().with_config(config);
    let mut files: Vec<_> = std::fs::read_dir(root.join("src/capi/wamr"))
        .expect("src/capi/wamr")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    for f in &files {
        builder = builder.with_src(f);
    }
    let bindings = builder
        .generate()
        .expect("cbindgen generates the declarations");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("UTF-8");
    prototypes(&generated)
}

#[test]
fn rust_definitions_match_wasm_export_h() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rust = rust_prototypes(root);
    let header_text =
        std::fs::read_to_string(root.join("include/wasm_export.h")).expect("wasm_export.h");
    let header = prototypes(&header_text);

    let mut names: Vec<String> = reference_functions(root);
    if names.is_empty() {
        names = header.keys().cloned().collect();
    }
    assert!(
        names.len() >= 175,
        "reference list has {} functions",
        names.len()
    );
    assert!(
        rust.len() >= 170,
        "cbindgen saw only {} functions",
        rust.len()
    );
    let mut drift = Vec::new();
    let mut compared = 0;
    for name in &names {
        if VARIADIC.contains(&name.as_str()) {
            continue;
        }
        match (header.get(name), rust.get(name)) {
            (Some(h), Some(r)) if h == r => compared += 1,
            (Some(h), Some(r)) => drift.push(format!("{name}: header {h:?} vs rust {r:?}")),
            (None, _) => drift.push(format!("{name}: missing from include/wasm_export.h")),
            (_, None) => drift.push(format!("{name}: no Rust definition")),
        }
    }
    assert!(
        compared >= 174 || !drift.is_empty(),
        "compared only {compared}"
    );
    assert!(
        drift.is_empty(),
        "{} drifted declarations:\n{}",
        drift.len(),
        drift.join("\n")
    );
}

/// Every `cwamr_*` extension function defined in Rust is declared in `include/cwamr.h` with the
/// same prototype, and every one declared there is defined.
#[test]
fn rust_definitions_match_cwamr_h() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rust = rust_prototypes(root);
    let header = prototypes(&std::fs::read_to_string(root.join("include/cwamr.h")).unwrap());
    // Opaque handle typedefs of cwamr.h that the Rust side spells as plain pointers.
    let alias = |t: &str| {
        t.replace("cwamr_delegation_t", "void *")
            .replace("cwamr_cap_violation_t", "ViolationRecord")
    };
    // Functions implemented in C (`call_v.c`) and declared in Rust, not part of cwamr.h.
    const C_SIDE: [&str; 4] = [
        "cwamr_bh_log_impl",
        "cwamr_call_wasm_v_impl",
        "cwamr_os_printf_impl",
        "cwamr_os_vprintf_impl",
    ];
    let norm = |(r, ps): &(String, Vec<String>)| {
        (alias(r), ps.iter().map(|p| alias(p)).collect::<Vec<_>>())
    };
    let mut names: Vec<&String> = rust
        .keys()
        .chain(header.keys())
        .filter(|n| n.starts_with("cwamr_") && !C_SIDE.contains(&n.as_str()))
        .collect();
    names.sort();
    names.dedup();
    assert!(names.len() >= 12, "only {} cwamr_ functions", names.len());
    let mut drift = Vec::new();
    for name in names {
        match (header.get(name), rust.get(name)) {
            (Some(h), Some(r)) if norm(h) == norm(r) => {}
            (Some(h), Some(r)) => drift.push(format!("{name}: header {h:?} vs rust {r:?}")),
            (None, _) => drift.push(format!("{name}: missing from include/cwamr.h")),
            (_, None) => drift.push(format!("{name}: no Rust definition")),
        }
    }
    assert!(
        drift.is_empty(),
        "{} drifted declarations:\n{}",
        drift.len(),
        drift.join("\n")
    );
}
