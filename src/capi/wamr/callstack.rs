//! Call-stack dumps after a trap: `wasm_runtime_dump_call_stack`,
//! `wasm_runtime_get_call_stack_buf_size`, `wasm_runtime_dump_call_stack_to_buf`.
//!
//! The interpreter records the frames of the last trap of a store (innermost first: the
//! trapping instruction, then each caller's call site). The text is WAMR's:
//! `#NN: 0xOFFSET - NAME` per frame, where NAME is the function's export name or `$f<index>`.

use std::ffi::c_char;

use super::ctypes::*;
use super::handles;
use super::objects::InstObj;
use crate::capi::ffi::guard;
use crate::types::ExternKind;

fn func_name(inst: &InstObj, index: u32) -> String {
    inst.module
        .module
        .exports()
        .iter()
        .find(|e| e.kind == ExternKind::Func && e.index == index)
        .map_or_else(|| format!("$f{index}"), |e| e.name.clone())
}

/// The dump of the last trap of the exec env's instance (empty if none).
fn dump(api: &str, exec_env: wasm_exec_env_t) -> Option<String> {
    let env = handles::exec_env(api, exec_env)?;
    let inst = env.inst.lock().clone();
    let frames = inst.with_store(|s| s.last_trap_frames().to_vec())?;
    let mut out = String::new();
    for (n, f) in frames.iter().enumerate() {
        out.push_str(&format!(
            "#{n:02}: 0x{:04x} - {}\n",
            f.func_offset,
            func_name(&inst, f.func_index)
        ));
    }
    Some(out)
}

/// Print the call stack of the last trap to stdout.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_dump_call_stack(exec_env: wasm_exec_env_t) {
    guard("wasm_runtime_dump_call_stack", (), || {
        if let Some(text) = dump("wasm_runtime_dump_call_stack", exec_env) {
            print!("{text}");
        }
    })
}

/// Bytes needed for [`wasm_runtime_dump_call_stack_to_buf`], including the NUL.
#[unsafe(no_mangle)]
pub extern "C" fn wasm_runtime_get_call_stack_buf_size(exec_env: wasm_exec_env_t) -> u32 {
    guard("wasm_runtime_get_call_stack_buf_size", 0, || {
        dump("wasm_runtime_get_call_stack_buf_size", exec_env)
            .map_or(0, |t| (t.len() + 1).min(u32::MAX as usize) as u32)
    })
}

/// Copy the dump into `buf` (truncated to `len - 1` bytes, NUL-terminated); bytes written
/// without the NUL.
///
/// # Safety
/// `buf` is NULL or has `len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wasm_runtime_dump_call_stack_to_buf(
    exec_env: wasm_exec_env_t,
    buf: *mut c_char,
    len: u32,
) -> u32 {
    guard("wasm_runtime_dump_call_stack_to_buf", 0, || {
        let Some(text) = dump("wasm_runtime_dump_call_stack_to_buf", exec_env) else {
            return 0;
        };
        if buf.is_null() || len == 0 {
            return 0;
        }
        // SAFETY: per the contract.
        unsafe { crate::capi::ffi::write_error_buf(buf, len, &text) };
        text.len().min(len as usize - 1) as u32
    })
}
