//! `os_printf`'s destination: C `stdout`, through the C library's stdio buffer.
//!
//! WAMR prints everything (log lines, libc-builtin `printf`/`puts`/`putchar`, `iwasm`
//! results) with `vprintf`, so it shares one `FILE` buffer with the embedder's own `printf`:
//! when stdout is a pipe, both are flushed together, in program order. Writing through Rust's
//! `std::io::stdout` (a separate buffer) or straight to fd 1 would reorder the two streams;
//! every console write of the runtime therefore goes through [`write`].
//!
//! # Invariants
//! `stdout` is the C library's `FILE *` for standard output; it is valid for the whole life of
//! the process (C programs may `freopen` it, which keeps the variable valid).

use std::ffi::c_void;

unsafe extern "C" {
    /// glibc's / musl's `FILE *stdout` variable.
    #[link_name = "stdout"]
    static mut C_STDOUT: *mut libc::FILE;
}

/// The C library's current `stdout` stream.
fn stream() -> *mut libc::FILE {
    // SAFETY: `stdout` is a process-lifetime C variable (module invariant); reading the
    // pointer value through a raw place does not create a Rust reference to it.
    unsafe { std::ptr::addr_of!(C_STDOUT).read() }
}

/// Write `bytes` to C `stdout` (buffered, as `vprintf` would). Returns the bytes written.
pub fn write(bytes: &[u8]) -> usize {
    if bytes.is_empty() {
        return 0;
    }
    // SAFETY: `bytes` is a valid slice for its length; the stream is valid (module invariant).
    unsafe { libc::fwrite(bytes.as_ptr().cast::<c_void>(), 1, bytes.len(), stream()) }
}

/// Write a string to C `stdout`.
pub fn write_str(s: &str) -> usize {
    write(s.as_bytes())
}

/// Flush C `stdout`.
pub fn flush() {
    // SAFETY: the stream is valid (module invariant).
    unsafe { libc::fflush(stream()) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_report_their_length() {
        assert_eq!(write(b""), 0);
        assert_eq!(write_str("console test\n"), 13);
        flush();
    }
}
