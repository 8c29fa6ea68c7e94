//! The part of a module's binary the runtime keeps after loading.
//!
//! The loader parses the caller's buffer in place and then keeps one copy of the binary
//! *without its DWARF sections* (custom sections named `.debug_*`): function bodies, data
//! segments and the other custom sections are read from it for the module's whole life, while
//! DWARF is only of use to a source-level debugger, which cwamr does not have. A C program
//! built with `-g` carries several times its code size in DWARF (WAMR's `file` sample: 189 KB
//! of 235 KB), and in `Alloc_With_Pool` mode that copy would come out of the embedder's pool;
//! WAMR keeps no copy at all (it reads the caller's buffer, which must outlive the module).
//!
//! What is kept is itself a valid module binary (whole sections are cut out), so
//! [`ModuleBytes::binary`] can be serialised and reloaded. Everything else in the module refers
//! to bytes by their offsets in the *original* binary (backtraces and trap offsets report
//! those, as WAMR does); indexing a [`ModuleBytes`] with such a range maps it into the copy.

use std::ops::{Index, Range};

/// Whether a custom section with this name is left out of the kept copy.
pub(crate) fn is_dropped_custom(name: &str) -> bool {
    name.starts_with(".debug_")
}

/// The kept bytes, addressed by offsets of the original binary.
#[derive(Debug, Default)]
pub struct ModuleBytes {
    data: Box<[u8]>,
    /// One entry per cut, in order: (original offset where the cut ends, bytes removed up to
    /// and including this cut).
    cuts: Box<[(usize, usize)]>,
}

impl ModuleBytes {
    /// Keep `whole` minus the byte ranges in `cut` (sorted, disjoint, inside `whole`).
    pub(crate) fn new(whole: &[u8], cut: &[Range<usize>]) -> ModuleBytes {
        let removed: usize = cut.iter().map(|r| r.len()).sum();
        let mut data = Vec::with_capacity(whole.len() - removed);
        let mut cuts = Vec::with_capacity(cut.len());
        let mut at = 0;
        let mut total = 0;
        for r in cut {
            data.extend_from_slice(&whole[at..r.start]);
            total += r.len();
            cuts.push((r.end, total));
            at = r.end;
        }
        data.extend_from_slice(&whole[at..]);
        ModuleBytes {
            data: data.into_boxed_slice(),
            cuts: cuts.into_boxed_slice(),
        }
    }

    /// The kept binary (a valid module: the original without its DWARF sections).
    pub fn binary(&self) -> &[u8] {
        &self.data
    }

    /// Bytes removed before original offset `orig` (which is not inside a cut).
    fn shift(&self, orig: usize) -> usize {
        match self.cuts.partition_point(|&(end, _)| end <= orig) {
            0 => 0,
            i => self.cuts[i - 1].1,
        }
    }

    /// The kept bytes of an original range, if the range was kept.
    pub fn get(&self, r: Range<usize>) -> Option<&[u8]> {
        let s = self.shift(r.start);
        let (a, b) = (r.start.checked_sub(s)?, r.end.checked_sub(s)?);
        self.data.get(a..b)
    }
}

impl Index<Range<usize>> for ModuleBytes {
    type Output = [u8];

    /// The bytes of original range `r` (a body, a data segment or a kept custom section).
    fn index(&self, r: Range<usize>) -> &[u8] {
        self.get(r).unwrap_or(&[])
    }
}

/// The ranges (section id to end of contents) of the custom sections to cut from a binary
/// that has already been validated; empty if there are none or the binary is not well formed.
pub(crate) fn dropped_sections(whole: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 8;
    while at < whole.len() {
        let start = at;
        let id = whole[at];
        at += 1;
        let Some((size, n)) = leb_u32(&whole[at..]) else {
            return Vec::new();
        };
        at += n;
        let end = at + size as usize;
        if end > whole.len() {
            return Vec::new();
        }
        if id == 0 {
            if let Some((name_len, k)) = leb_u32(&whole[at..end]) {
                let name = whole.get(at + k..at + k + name_len as usize);
                if name
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .is_some_and(is_dropped_custom)
                {
                    out.push(start..end);
                }
            }
        }
        at = end;
    }
    out
}

fn leb_u32(b: &[u8]) -> Option<(u32, usize)> {
    let mut v: u64 = 0;
    for (i, &x) in b.iter().enumerate().take(5) {
        v |= u64::from(x & 0x7f) << (7 * i);
        if x & 0x80 == 0 {
            return u32::try_from(v).ok().map(|v| (v, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(name: &str, payload: &[u8]) -> Vec<u8> {
        let mut c = vec![name.len() as u8];
        c.extend_from_slice(name.as_bytes());
        c.extend_from_slice(payload);
        let mut s = vec![0, c.len() as u8];
        s.extend(c);
        s
    }

    #[test]
    fn cuts_debug_sections_and_maps_offsets() {
        let mut w = b"\0asm\x01\0\0\0".to_vec();
        w.extend(custom(".debug_info", &[1; 20]));
        let keep_at = w.len();
        w.extend(custom("demo", b"hello"));
        w.extend(custom(".debug_line", &[2; 30]));
        let tail_at = w.len();
        w.extend(custom("name", b"xy"));
        let cut = dropped_sections(&w);
        assert_eq!(cut.len(), 2);
        let kept = ModuleBytes::new(&w, &cut);
        assert_eq!(
            kept.binary().len(),
            w.len() - cut.iter().map(|r| r.len()).sum::<usize>()
        );
        // "demo"'s payload by its original offsets.
        let demo = keep_at + 2 + 1 + 4;
        assert_eq!(&kept[demo..demo + 5], b"hello");
        let name = tail_at + 2 + 1 + 4;
        assert_eq!(&kept[name..name + 2], b"xy");
        assert_eq!(&kept[0..4], b"\0asm");
        // The kept binary is a valid module with the two sections left.
        let m = crate::module::Module::new(kept.binary()).unwrap();
        let names: Vec<_> = m.custom_sections().iter().map(|c| c.name.clone()).collect();
        assert_eq!(names, ["demo", "name"]);
    }

    #[test]
    fn nothing_to_cut_keeps_everything() {
        let w = b"\0asm\x01\0\0\0".to_vec();
        assert!(dropped_sections(&w).is_empty());
        let kept = ModuleBytes::new(&w, &[]);
        assert_eq!(kept.binary(), &w[..]);
        assert_eq!(&kept[4..8], b"\x01\0\0\0");
        assert!(kept.get(6..20).is_none());
    }
}
