//! The capability escape attempts of capability-model §9 (cases 32–38), shared by the
//! `wasi_escape` (openat2) and `wasi_escape_walk` (component walk) test binaries. Each case
//! asserts the exact errno of every attempt and that the host file system is unchanged.
#![allow(dead_code)]

use std::os::unix::fs::symlink;
use std::path::Path;

use super::common::*;
use cwamr::wasi::{Preopen, WasiConfig};

/// `root/` holds secrets outside the sandbox; `root/box` is the preopen.
pub struct Fixture {
    pub root: TempDir,
}

impl Fixture {
    pub fn new(tag: &str) -> Fixture {
        let root = TempDir::new(tag);
        let r = root.path();
        std::fs::write(r.join("secret.txt"), "secret\n").unwrap();
        std::fs::write(r.join("outside"), "outside\n").unwrap();
        std::fs::create_dir_all(r.join("box/a/deep")).unwrap();
        std::fs::write(r.join("box/a/f.txt"), "f\n").unwrap();
        std::fs::write(r.join("box/f_top.txt"), "top\n").unwrap();
        symlink("/", r.join("box/link_root")).unwrap();
        symlink("../../", r.join("box/up2")).unwrap();
        symlink("../secret.txt", r.join("box/lout")).unwrap();
        symlink("/proc/self/mem", r.join("box/pm")).unwrap();
        symlink("/proc/self/fd/1", r.join("box/pfd")).unwrap();
        symlink("../f_top.txt", r.join("box/a/inside_link")).unwrap();
        std::fs::create_dir_all(r.join("ro")).unwrap();
        std::fs::create_dir_all(r.join("rw")).unwrap();
        std::fs::write(r.join("ro/f.txt"), "readonly\n").unwrap();
        std::fs::write(r.join("rw/w.txt"), "w\n").unwrap();
        Fixture { root }
    }

    pub fn boxed(&self) -> std::path::PathBuf {
        self.root.join("box")
    }
}

pub const FS_EXPECTED: &[&str] = &[
    "open ../secret.txt=76",
    "open a/../../secret.txt=76",
    "open /etc/passwd=76",
    "open link_root/etc/passwd=76",
    "open up2/secret.txt=76",
    "open lout=76",
    "open a/deep/../../../secret.txt=76",
    "open pm=76",
    "open pfd=76",
    "open a/inside_link=0",
    "stat ../secret.txt=76",
    "stat link_root/etc=76",
    "stat nofollow lout=0",
    "settimes ..=76",
    "settimes lout follow=76",
    "symlink /etc=76",
    "open x/passwd=44",
    "symlink ../../outside=76",
    "symlink a/../..=76",
    "symlink deep ok=0",
    "mkdir ../evil=76",
    "mkdir link_root/tmp/evil=76",
    "unlink ../secret.txt=76",
    "rename out=76",
    "link out=76",
    "link in via lout=76",
    "readlink ../x=76",
    "rmdir ..=76",
    "open subdir all rights=76",
    "open subdir for writing=31",
    "open subdir=0",
    "open ../f_top.txt=76",
    "open f.txt=0",
    "bad fd=8",
    "close subdir=0",
    "open f.txt=8",
    "cleanup=0",
];

/// Case 32/33: `..`, absolute paths, symlink escapes (host-made and guest-made), magic links.
pub fn fs_escapes_are_refused() {
    let fx = Fixture::new("esc-fs");
    let before = snapshot(fx.root.path());
    let tmp_evil = Path::new("/tmp/evil").exists();
    let out = run_lib("escape", cfg_with_dot("escape", &fx.boxed(), &["fs"]), b"");
    assert_eq!(out.exit, Ok(0), "{}", out.stdout);
    assert_eq!(lines(&out.stdout), FS_EXPECTED);
    assert_eq!(snapshot(fx.root.path()), before, "host tree changed");
    assert_eq!(Path::new("/tmp/evil").exists(), tmp_evil);
    let (code, cli_out, _) = run_cli(&["--dir=."], "escape", &["fs"], &fx.boxed(), b"");
    assert_eq!(code, 0);
    assert_eq!(lines(&cli_out), FS_EXPECTED);
    assert_eq!(
        snapshot(fx.root.path()),
        before,
        "host tree changed (iwasm)"
    );
}

pub const RIGHTS_EXPECTED: &[&str] = &[
    "open ro=0",
    "write=76",
    "add write right=76",
    "write again=76",
    "seek=76",
    "drop read=0",
    "read after drop=76",
    "regain read=76",
    "rights now=0",
    "open dir narrow=0",
    "open write beneath narrow=76",
    "open read beneath narrow=0",
    "create beneath narrow=76",
    "mkdir beneath narrow=76",
    "inheriting widen=76",
    "trunc without right=76",
];

/// Case 34: rights only shrink; requests beyond the parent's inheriting rights fail.
pub fn rights_cannot_be_amplified() {
    let fx = Fixture::new("esc-rights");
    let before = snapshot(fx.root.path());
    let out = run_lib(
        "escape",
        cfg_with_dot("escape", &fx.boxed(), &["rights"]),
        b"",
    );
    assert_eq!(out.exit, Ok(0));
    assert_eq!(lines(&out.stdout), RIGHTS_EXPECTED);
    assert_eq!(snapshot(fx.root.path()), before);
}

pub const RO_EXPECTED: &[&str] = &[
    "link ro->rw=76",
    "rename ro->rw=76",
    "rename rw->ro=76",
    "link rw->ro=76",
    "open ro for write=76",
    "open ro trunc=76",
    "create in ro=76",
    "unlink in ro=76",
    "symlink in ro=76",
    "settimes in ro=76",
    "link within ro=76",
    "open ro for read=0",
    "read ro=[readonly",
    "]",
    "rw still writable=0",
];

/// Case 35: read-only to read-write laundering by link or rename between preopens.
pub fn readonly_cannot_be_laundered() {
    let fx = Fixture::new("esc-ro");
    let before = snapshot(fx.root.path());
    let mut cfg = WasiConfig::from_wamr_lists(&[], &[], &[], &["escape.wasm".into(), "ro".into()]);
    cfg.preopens = vec![
        Preopen {
            guest_path: "ro".into(),
            host_path: fx.root.join("ro"),
            readonly: true,
        },
        Preopen {
            guest_path: "rw".into(),
            host_path: fx.root.join("rw"),
            readonly: false,
        },
    ];
    let out = run_lib("escape", cfg, b"");
    assert_eq!(out.exit, Ok(0));
    assert_eq!(lines(&out.stdout), RO_EXPECTED);
    assert_eq!(snapshot(fx.root.path()), before);
    let (code, cli_out, _) = run_cli(
        &["--dir-ro=ro", "--dir=rw"],
        "escape",
        &["ro"],
        fx.root.path(),
        b"",
    );
    assert_eq!(code, 0);
    assert_eq!(lines(&cli_out), RO_EXPECTED);
    assert_eq!(snapshot(fx.root.path()), before);
}

/// Case 33 (magic links): with `/proc` itself granted, the host process's memory, environment
/// and descriptor links stay out of reach.
pub fn proc_magic_links_are_refused() {
    let d = TempDir::new("esc-proc");
    let mut cfg = WasiConfig::from_wamr_lists(
        &[],
        &["proc::/proc".into()],
        &[],
        &["escape.wasm".into(), "proc".into()],
    );
    cfg.stdio = [None; 3];
    let out = run_lib("escape", cfg, b"");
    assert_eq!(out.exit, Ok(0));
    let l = lines(&out.stdout);
    assert_eq!(l.len(), 5, "{l:?}");
    for line in &l {
        assert!(!line.ends_with("=0"), "opened: {line}");
    }
    assert_eq!(l[0], "open self/mem=76");
    assert_eq!(l[4], "open self/environ=76");
    drop(d);
}

pub const IOV_EXPECTED: &[&str] = &[
    "iovcnt 1025=28 n=12345",
    "iovcnt 0=0 n=0",
    "read 8GiB iovecs=0 n=3",
];

/// Case 38: iovec counts over IOV_MAX are `inval` before any I/O; totals over 2^32 are
/// handled with 64-bit sums (bounded work: one readv of a 3-byte file).
pub fn iovec_bombs_are_bounded() {
    let fx = Fixture::new("esc-iov");
    let out = run_lib("escape", cfg_with_dot("escape", &fx.boxed(), &["iov"]), b"");
    assert_eq!(out.exit, Ok(0));
    let printed: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("iovcnt") || l.starts_with("read"))
        .collect();
    assert_eq!(printed, IOV_EXPECTED);
    assert!(!fx.boxed().join("sink.bin").exists());
}

/// Cases 37/38: guest pointers outside memory trap before the host touches anything.
pub fn out_of_bounds_pointers_trap() {
    let fx = Fixture::new("esc-oob");
    for mode in [
        "iov-huge-count",
        "iov-oob-buf",
        "sock-iov-oob",
        "sock-addr-oob",
        "out-oob",
    ] {
        let out = run_lib("escape", cfg_with_dot("escape", &fx.boxed(), &[mode]), b"");
        assert_eq!(
            out.exit,
            Err("Exception: out of bounds memory access".into()),
            "{mode}"
        );
        assert!(out.stdout.starts_with("about to"), "{mode}: {}", out.stdout);
        assert!(!out.stdout.contains("not reached"), "{mode}");
        assert!(
            !out.stdout.contains("ok"),
            "{mode}: nothing of the partial write happened"
        );
    }
}
