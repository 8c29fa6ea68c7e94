//! Print the interpreter code of every function of a module: `cargo run --example disasm -- f.wasm`.
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: disasm FILE.wasm [FUNC-INDEX]");
    let only: Option<u32> = std::env::args().nth(2).and_then(|s| s.parse().ok());
    let bytes = std::fs::read(&path).expect("read file");
    let m = cwamr::Module::new(&bytes).expect("load");
    let n = m.num_funcs() - m.num_imported_funcs();
    for d in 0..n {
        if only.is_some_and(|o| o != d) {
            continue;
        }
        println!("== defined func {d}");
        match cwamr::interp::disassemble(&m, cwamr::types::DefinedFuncIdx(d)) {
            Ok(s) => print!("{s}"),
            Err(e) => println!("error: {e:?}"),
        }
    }
}
