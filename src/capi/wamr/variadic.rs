//! Exported entry points of the C-variadic functions of the ABI, `wasm_runtime_call_wasm_v`,
//! `bh_log` and `os_printf`, and of `os_vprintf` (whose `va_list` Rust cannot name).
//!
//! Stable Rust cannot *define* a C-variadic function, so they are implemented in C
//! (`call_v.c`, compiled by `build.rs` with hidden visibility). The exported symbols are naked
//! Rust functions consisting of a single tail jump to the C implementation: no register or
//! stack slot is touched, so the variadic arguments (and `al` on x86-64) arrive exactly as the
//! caller passed them. They are Rust items so that they are exported from the cdylib like
//! every other API function. The C side has no Rust code to panic, and
//! `wasm_runtime_call_wasm_v` does all its work through `wasm_runtime_call_wasm_a`, which runs
//! inside the panic guard.

unsafe extern "C" {
    fn cwamr_call_wasm_v_impl();
    fn cwamr_bh_log_impl();
    fn cwamr_os_printf_impl();
    fn cwamr_os_vprintf_impl();
}

/// `bool wasm_runtime_call_wasm_v(wasm_exec_env_t, wasm_function_inst_t, uint32_t num_results,
/// wasm_val_t results[], uint32_t num_args, ...)`.
///
/// # Safety
/// As the C prototype: the variadic arguments match the function's parameter kinds.
#[unsafe(no_mangle)]
#[unsafe(naked)]
pub unsafe extern "C" fn wasm_runtime_call_wasm_v() {
    #[cfg(target_arch = "x86_64")]
    core::arch::naked_asm!("jmp {f}", f = sym cwamr_call_wasm_v_impl);
    #[cfg(target_arch = "aarch64")]
    core::arch::naked_asm!("b {f}", f = sym cwamr_call_wasm_v_impl);
}

/// `void bh_log(LogLevel, const char *file, int line, const char *fmt, ...)`.
///
/// # Safety
/// As the C prototype: `fmt` is a format string matching the variadic arguments.
#[unsafe(no_mangle)]
#[unsafe(naked)]
pub unsafe extern "C" fn bh_log() {
    #[cfg(target_arch = "x86_64")]
    core::arch::naked_asm!("jmp {f}", f = sym cwamr_bh_log_impl);
    #[cfg(target_arch = "aarch64")]
    core::arch::naked_asm!("b {f}", f = sym cwamr_bh_log_impl);
}

/// `int os_printf(const char *format, ...)`: `vprintf` to C `stdout`.
///
/// # Safety
/// As the C prototype: `format` is a format string matching the variadic arguments.
#[unsafe(no_mangle)]
#[unsafe(naked)]
pub unsafe extern "C" fn os_printf() {
    #[cfg(target_arch = "x86_64")]
    core::arch::naked_asm!("jmp {f}", f = sym cwamr_os_printf_impl);
    #[cfg(target_arch = "aarch64")]
    core::arch::naked_asm!("b {f}", f = sym cwamr_os_printf_impl);
}

/// `int os_vprintf(const char *format, va_list ap)`: `vprintf` to C `stdout`.
///
/// # Safety
/// As the C prototype: `ap` is a `va_list` matching `format`.
#[unsafe(no_mangle)]
#[unsafe(naked)]
pub unsafe extern "C" fn os_vprintf() {
    #[cfg(target_arch = "x86_64")]
    core::arch::naked_asm!("jmp {f}", f = sym cwamr_os_vprintf_impl);
    #[cfg(target_arch = "aarch64")]
    core::arch::naked_asm!("b {f}", f = sym cwamr_os_vprintf_impl);
}
