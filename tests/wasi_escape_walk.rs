//! The escape cases of `wasi_escape`, resolved by the portable O_NOFOLLOW component walk (the
//! fallback for kernels without `openat2`). The switch is process-wide, so these tests live in
//! their own test binary.

#[path = "wasi/common.rs"]
mod common;
#[path = "wasi/escape_cases.rs"]
mod escape_cases;

fn walk() {
    cwamr::wasi::force_component_walk(true);
    assert!(!cwamr::wasi::openat2_enabled());
}

#[test]
fn fs_escapes_are_refused_by_the_walk() {
    walk();
    escape_cases::fs_escapes_are_refused();
}

#[test]
fn rights_cannot_be_amplified_with_the_walk() {
    walk();
    escape_cases::rights_cannot_be_amplified();
}

#[test]
fn readonly_cannot_be_laundered_with_the_walk() {
    walk();
    escape_cases::readonly_cannot_be_laundered();
}

#[test]
fn proc_magic_links_are_refused_by_the_walk() {
    walk();
    escape_cases::proc_magic_links_are_refused();
}
