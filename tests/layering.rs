//! The layer rule of `docs/architecture.md`, checked on the source: a file imports only from its
//! own layer or the layers below it, and nothing outside the interpreter names it except the
//! embedding layer, which picks engines.

use std::fs;
use std::path::{Path, PathBuf};

/// The layers, bottom up: (top-level module under `src/`, layer number).
const LAYERS: &[(&str, u32)] = &[
    ("types", 0),
    ("error", 0),
    ("os", 0),
    ("util", 0),
    ("cap", 1),
    ("module", 2),
    ("runtime", 3),
    ("interp", 4),
    ("libc_builtin", 5),
    ("wasi", 5),
    ("wasi_disabled", 5),
    ("embed", 6),
    ("capi", 7),
    ("iwasm_cli", 7),
    ("bin", 7),
    ("lib", 7),
];

/// Upward imports that are known and still to be removed (none today). The test also fails
/// when one of these is gone, so the list cannot go stale.
const KNOWN_UPWARD: &[(&str, &str)] = &[];

fn layer(name: &str) -> Option<u32> {
    LAYERS.iter().find(|(n, _)| *n == name).map(|(_, l)| *l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The source without line comments (doc comments name other layers freely).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level modules named by `crate::NAME` or `crate::{NAME, ...}` paths in `code`.
fn crate_refs(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + 7..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push(name);
            }
        } else {
            out.push(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    out
}

#[test]
fn imports_run_downward() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut upward = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        let top = f.strip_prefix(&src).unwrap().components().next().unwrap();
        let top = top
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let me = layer(&top).unwrap_or_else(|| panic!("{rel}: {top} has no layer in LAYERS"));
        let code = code_of(&fs::read_to_string(f).unwrap());
        let mut seen: Vec<String> = crate_refs(&code)
            .into_iter()
            .filter(|n| layer(n).is_some_and(|l| l > me))
            .collect();
        seen.sort();
        seen.dedup();
        for to in seen {
            upward.push((rel.clone(), to));
        }
    }
    upward.sort();
    let mut known: Vec<(String, String)> = KNOWN_UPWARD
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    known.sort();
    assert_eq!(
        upward, known,
        "imports that run upward (file, layer it imports) differ from the known list"
    );
}

#[test]
fn only_the_embedding_layer_names_the_interpreter() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut bad = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().into_owned();
        if rel.starts_with("interp/") || rel.starts_with("embed/") {
            continue;
        }
        let code = code_of(&fs::read_to_string(f).unwrap());
        if crate_refs(&code).iter().any(|n| n == "interp") || code.contains("interp::") {
            bad.push(rel);
        }
    }
    assert!(
        bad.is_empty(),
        "files outside interp/ and embed/ that name the interpreter: {bad:?}"
    );
}
