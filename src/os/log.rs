//! WAMR's log (`bh_log`): one verbosity variable and WAMR's line format, written to C
//! `stdout` through [`super::console`] (WAMR logs with `os_printf`, i.e. `vprintf`).
//!
//! A line is `[HH:MM:SS:mmm - TID]: `, then `FILE, line N, ` when a file is given, the
//! message and `"\n"`. The time is the monotonic (boot) clock modulo 24 hours, the TID `pthread_self()`
//! in uppercase hexadecimal without `0x`. A message that itself ends in `"\n"` therefore
//! produces an empty line after it, as WAMR's do.
//!
//! Levels are WAMR's `LogLevel`: fatal 0, error 1, warning 2, debug 3, verbose 4. A message
//! prints when its level is at most the current verbosity (default 2). The verbosity is one
//! variable for `bh_log_set_verbose_level`, `wasm_runtime_set_log_level` and `iwasm -v=N`;
//! any value is accepted, as in WAMR.
//!
//! # Invariants
//! No unsafe code besides reading `pthread_self`, which has no preconditions.

use std::sync::atomic::{AtomicU32, Ordering};

/// `BH_LOG_LEVEL_FATAL`.
pub const FATAL: u32 = 0;
/// `BH_LOG_LEVEL_ERROR`.
pub const ERROR: u32 = 1;
/// `BH_LOG_LEVEL_WARNING` (the default verbosity).
pub const WARNING: u32 = 2;
/// `BH_LOG_LEVEL_DEBUG`.
pub const DEBUG: u32 = 3;
/// `BH_LOG_LEVEL_VERBOSE`.
pub const VERBOSE: u32 = 4;

static VERBOSITY: AtomicU32 = AtomicU32::new(WARNING);

/// Set the verbosity (any value; messages with a level above it are dropped).
pub fn set_level(level: u32) {
    VERBOSITY.store(level, Ordering::Relaxed);
}

/// The current verbosity.
pub fn level() -> u32 {
    VERBOSITY.load(Ordering::Relaxed)
}

/// Whether a message of `level` would print.
pub fn enabled(level: u32) -> bool {
    level <= self::level()
}

/// The calling thread's id as WAMR prints it (`PRIXPTR` of `pthread_self()`).
fn tid() -> usize {
    // SAFETY: pthread_self has no preconditions and cannot fail.
    unsafe { libc::pthread_self() as usize }
}

/// The line prefix `[HH:MM:SS:mmm - TID]: ` for a boot-clock time `usec` and thread `tid`.
pub fn prefix_at(usec: u64, tid: usize) -> String {
    let t = ((usec / 1_000_000) % (24 * 60 * 60)) as u32;
    let (h, m, s) = (t / 3600, (t % 3600) / 60, t % 60);
    let ms = ((usec % 1_000_000) / 1000) as u32;
    format!("[{h:02}:{m:02}:{s:02}:{ms:03} - {tid:X}]: ")
}

/// The whole line for `msg` (bytes, not necessarily UTF-8) as it is written now.
pub fn line(file: Option<(&[u8], i32)>, msg: &[u8]) -> Vec<u8> {
    let mut out = prefix_at(super::time::boot_us(), tid()).into_bytes();
    if let Some((f, n)) = file {
        out.extend_from_slice(f);
        out.extend_from_slice(format!(", line {n}, ").as_bytes());
    }
    out.extend_from_slice(msg);
    out.push(b'\n');
    out
}

/// Log `msg` at `level` with an optional `(file, line)` origin (WAMR's `bh_log`).
pub fn log_bytes(level: u32, file: Option<(&[u8], i32)>, msg: &[u8]) {
    if enabled(level) {
        super::console::write(&line(file, msg));
    }
}

/// Log `msg` at `level` (WAMR's `LOG_ERROR` / `LOG_WARNING` / `LOG_VERBOSE`: no origin).
pub fn log(level: u32, msg: &str) {
    log_bytes(level, None, msg.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_wamrs() {
        // 1 day + 01:02:03.004005 since boot, thread 0x7f3a2b1c0740
        let us = (86_400 + 3723) * 1_000_000 + 4_005;
        assert_eq!(
            prefix_at(us, 0x7f3a_2b1c_0740),
            "[01:02:03:004 - 7F3A2B1C0740]: "
        );
        assert_eq!(prefix_at(0, 0), "[00:00:00:000 - 0]: ");
    }

    #[test]
    fn lines_end_with_one_newline_added() {
        let l = line(None, b"warning: x\n");
        let s = String::from_utf8(l).unwrap();
        assert!(s.starts_with('['));
        assert!(s.ends_with("]: warning: x\n\n"), "{s}");
        let l = String::from_utf8(line(Some((b"f.c", 7)), b"m")).unwrap();
        assert!(l.ends_with("]: f.c, line 7, m\n"), "{l}");
    }

    #[test]
    fn levels_filter() {
        assert!(enabled(FATAL) && enabled(ERROR));
        let old = level();
        set_level(VERBOSE);
        assert!(enabled(DEBUG) && enabled(VERBOSE));
        set_level(0);
        assert!(!enabled(ERROR) && enabled(FATAL));
        set_level(old);
    }
}
