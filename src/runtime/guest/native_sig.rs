//! Validation of WAMR native-function arguments before the native runs
//! (capability-model.md §4, WAMR `NativeSymbol` signature strings).
//!
//! A signature `(params)result` has one character per wasm parameter:
//! `i` i32, `I` i64, `f` f32, `F` f64, `r` externref, `*` pointer (i32 app
//! offset), `~` byte length of the preceding `*` (must follow it directly),
//! `$` NUL-terminated string. [`NativeSig::parse`] reads it once, at
//! registration; [`NativeSig::check`] validates one call's argument cells:
//!
//! The pointers resolve in a [`GuestAddrSpace`]: the caller's linear memory, or
//! the runtime's `AppSpace`, where an address in a shared heap attached to the
//! caller is as valid as one in linear memory (WAMR).
//!
//! * `*~`: `[p, p + len)` must lie in one region of the space (64-bit arithmetic:
//!   no wrap-around; with [`PtrWidth::W64`] lengths above 4 GiB are ordinary
//!   values that simply fail the bound);
//! * `*` alone: compat mode checks one byte, as WAMR; strict mode rejects the
//!   signature at registration;
//! * `$`: bounded scan ([`max_str`]) and copy: the native gets the snapshot;
//! * `r`: the index must name a live externref (WAMR); in strict mode it must
//!   also belong to the calling compartment or be GLOBAL.
//!
//! Any failure means the native is not called and the call traps with
//! `out of bounds memory access` ([`NativeArgError::trap`]).

#![forbid(unsafe_code)]

use std::fmt;

use super::range::{GuestAddrSpace, GuestStr, VIEW_PERMS, max_str, record_guest_fault};
use crate::cap::CapFault;
use crate::cap::Perms;
use crate::error::{Trap, TrapCode};
use crate::runtime::LinearMemory;
use crate::runtime::compartment::CompartmentId;
use crate::runtime::externref::{self, cell_to_index};
use crate::types::{FuncType, ValType};

/// One parameter of a native signature.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SigParam {
    /// `i`
    I32,
    /// `I`
    I64,
    /// `f`
    F32,
    /// `F`
    F64,
    /// `r`
    ExternRef,
    /// `*` not followed by `~` (one byte is checked).
    Ptr,
    /// `*` followed by `~` (the next parameter is its length).
    PtrWithLen,
    /// `~`
    Len,
    /// `$`
    Str,
}

impl SigParam {
    /// The wasm type the parameter has.
    pub fn val_type(self) -> ValType {
        match self {
            SigParam::I64 => ValType::I64,
            SigParam::F32 => ValType::F32,
            SigParam::F64 => ValType::F64,
            SigParam::ExternRef => ValType::ExternRef,
            _ => ValType::I32,
        }
    }
}

/// Why a signature string was rejected.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SigError(pub String);

impl fmt::Display for SigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid native signature: {}", self.0)
    }
}

impl std::error::Error for SigError {}

/// Width of pointer and length arguments.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum PtrWidth {
    /// 32-bit memories: offsets and lengths are the low 32 bits of the cell.
    #[default]
    W32,
    /// 64-bit memories (memory64): the whole cell.
    W64,
}

/// The native-argument checker: a parsed signature whose
/// [`NativeSig::check`] validates one call's arguments.
pub type NativeArgCheck = NativeSig;

/// A parsed native signature.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct NativeSig {
    params: Vec<SigParam>,
    result: Option<ValType>,
}

fn val_of(c: char) -> Option<ValType> {
    Some(match c {
        'i' => ValType::I32,
        'I' => ValType::I64,
        'f' => ValType::F32,
        'F' => ValType::F64,
        'r' => ValType::ExternRef,
        _ => return None,
    })
}

impl NativeSig {
    /// Parses `sig`; in `strict` mode a `*` without `~` is refused.
    pub fn parse(sig: &str, strict: bool) -> Result<NativeSig, SigError> {
        let err = |m: &str| SigError(format!("{m} in {sig:?}"));
        let inner = sig.strip_prefix('(').ok_or_else(|| err("missing '('"))?;
        let (ps, rs) = inner.split_once(')').ok_or_else(|| err("missing ')'"))?;
        let chars: Vec<char> = ps.chars().collect();
        let mut params = Vec::with_capacity(chars.len());
        for (i, &c) in chars.iter().enumerate() {
            params.push(match c {
                '*' if chars.get(i + 1) == Some(&'~') => SigParam::PtrWithLen,
                '*' if strict => return Err(err("'*' without '~' (strict mode)")),
                '*' => SigParam::Ptr,
                '~' if i > 0 && chars[i - 1] == '*' => SigParam::Len,
                '~' => return Err(err("'~' not after '*'")),
                '$' => SigParam::Str,
                'i' => SigParam::I32,
                'I' => SigParam::I64,
                'f' => SigParam::F32,
                'F' => SigParam::F64,
                'r' => SigParam::ExternRef,
                _ => return Err(err(&format!("unknown parameter type '{c}'"))),
            });
        }
        let mut rc = rs.chars();
        let result = match (rc.next(), rc.next()) {
            (None, _) => None,
            (Some(c), None) => {
                Some(val_of(c).ok_or_else(|| err(&format!("bad result type '{c}'")))?)
            }
            _ => return Err(err("more than one result")),
        };
        Ok(NativeSig { params, result })
    }

    /// The parameters.
    pub fn params(&self) -> &[SigParam] {
        &self.params
    }

    /// The result type.
    pub fn result(&self) -> Option<ValType> {
        self.result
    }

    /// The wasm function type the signature describes.
    pub fn func_type(&self) -> FuncType {
        FuncType::new(self.params.iter().map(|p| p.val_type()), self.result)
    }

    /// Validates the argument `cells` (one per parameter) of a call by
    /// compartment `caller` whose memory 0 is `mem`, appending one
    /// [`NativeArg`] per parameter to `out` (cleared first). Nothing is
    /// appended past the first failure, which is recorded as a violation.
    pub fn check_into(
        &self,
        mem: Option<&LinearMemory>,
        cells: &[u64],
        caller: Option<CompartmentId>,
        width: PtrWidth,
        strict: bool,
        out: &mut Vec<NativeArg>,
    ) -> Result<(), NativeArgError> {
        let space = mem.map(|m| m as &dyn GuestAddrSpace);
        self.check_in_space(space, cells, caller, width, strict, out)
    }

    /// [`NativeSig::check_into`] with the pointers resolved in the app space
    /// `mem` (e.g. linear memory plus an attached shared heap).
    pub fn check_in_space(
        &self,
        mem: Option<&dyn GuestAddrSpace>,
        cells: &[u64],
        caller: Option<CompartmentId>,
        width: PtrWidth,
        strict: bool,
        out: &mut Vec<NativeArg>,
    ) -> Result<(), NativeArgError> {
        out.clear();
        if cells.len() < self.params.len() {
            return Err(NativeArgError {
                index: cells.len(),
                kind: ArgFault::Missing,
            });
        }
        let word = |c: u64| match width {
            PtrWidth::W32 => u64::from(c as u32),
            PtrWidth::W64 => c,
        };
        let cid = caller.map(|c| c.0);
        for (index, (p, &c)) in self.params.iter().zip(cells).enumerate() {
            let fault = |kind| NativeArgError { index, kind };
            let record = |f: CapFault, off: u64, len: u64, perms: Perms| {
                let f = match mem.and_then(|m| m.linear()) {
                    Some(m) => record_guest_fault(f, m, off, len, perms, cid),
                    None => f,
                };
                fault(ArgFault::Memory(f))
            };
            let range = |off: u64, len: u64| {
                let mem = mem.ok_or(fault(ArgFault::Memory(CapFault::Bounds)))?;
                mem.range(off, len, VIEW_PERMS)
                    .map_err(|f| record(f, off, len, VIEW_PERMS))
            };
            out.push(match p {
                SigParam::I32 => NativeArg::I32(c as u32),
                SigParam::I64 => NativeArg::I64(c),
                SigParam::F32 => NativeArg::F32(c as u32),
                SigParam::F64 => NativeArg::F64(c),
                SigParam::Ptr => {
                    let r = range(word(c), 1)?;
                    NativeArg::Ptr {
                        offset: r.offset(),
                        len: 1,
                        ptr: r.native_ptr(),
                    }
                }
                SigParam::PtrWithLen => {
                    let len = word(cells[index + 1]);
                    let r = range(word(c), len)?;
                    NativeArg::Ptr {
                        offset: r.offset(),
                        len,
                        ptr: r.native_ptr(),
                    }
                }
                SigParam::Len => NativeArg::Len(word(c)),
                SigParam::Str => {
                    let mem = mem.ok_or(fault(ArgFault::Memory(CapFault::Bounds)))?;
                    let s = mem
                        .c_string(word(c), max_str())
                        .map_err(|f| record(f, word(c), max_str(), Perms::LOAD))?;
                    NativeArg::Str(s)
                }
                SigParam::ExternRef => {
                    let index_of = cell_to_index(c).ok_or(fault(ArgFault::ExternRef))?;
                    let t = externref::table();
                    let obj = match (strict, caller) {
                        (true, Some(me)) => {
                            t.ref2obj_strict(me, index_of, crate::cap::OType::EXTERNREF)
                        }
                        _ => t.ref2obj(index_of),
                    };
                    NativeArg::ExternRef(obj.map_err(|_| fault(ArgFault::ExternRef))?)
                }
            });
        }
        Ok(())
    }

    /// [`NativeSig::check_into`] into a fresh vector.
    pub fn check(
        &self,
        mem: Option<&LinearMemory>,
        cells: &[u64],
        caller: Option<CompartmentId>,
        width: PtrWidth,
        strict: bool,
    ) -> Result<Vec<NativeArg>, NativeArgError> {
        let mut v = Vec::with_capacity(self.params.len());
        self.check_into(mem, cells, caller, width, strict, &mut v)?;
        Ok(v)
    }
}

/// A validated argument, ready for the native.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum NativeArg {
    /// `i`
    I32(u32),
    /// `I`
    I64(u64),
    /// `f` (bits)
    F32(u32),
    /// `F` (bits)
    F64(u64),
    /// `*` / `*~`: the checked range.
    Ptr {
        /// App offset.
        offset: u64,
        /// Checked length (1 for a lone `*`).
        len: u64,
        /// Native address (memory base + offset).
        ptr: *mut u8,
    },
    /// `~`: the length (already checked with its pointer).
    Len(u64),
    /// `$`: the snapshot (pass [`GuestStr::as_c_ptr`]).
    Str(GuestStr),
    /// `r`: the host object (0 for null).
    ExternRef(usize),
}

impl NativeArg {
    /// The machine word a C native receives for this argument (pointers as
    /// addresses, floats as bits; the snapshot's address for `$`).
    pub fn to_native_word(&self) -> u64 {
        match self {
            NativeArg::I32(v) | NativeArg::F32(v) => u64::from(*v),
            NativeArg::I64(v) | NativeArg::F64(v) | NativeArg::Len(v) => *v,
            NativeArg::Ptr { ptr, .. } => *ptr as usize as u64,
            NativeArg::Str(s) => s.as_c_ptr() as usize as u64,
            NativeArg::ExternRef(o) => *o as u64,
        }
    }
}

/// What was wrong with an argument.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ArgFault {
    /// Fewer cells than parameters.
    Missing,
    /// A pointer, length or string outside memory.
    Memory(CapFault),
    /// An externref that is not live (or, strict, not the caller's).
    ExternRef,
}

/// A refused native call: which argument and why.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct NativeArgError {
    /// Parameter index.
    pub index: usize,
    /// The fault.
    pub kind: ArgFault,
}

impl NativeArgError {
    /// The trap the call raises: `out of bounds memory access` (as WAMR).
    pub fn trap(&self) -> Trap {
        Trap::Code(TrapCode::MemoryOutOfBounds)
    }
}

impl fmt::Display for NativeArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "native argument {}: {:?}", self.index, self.kind)
    }
}

impl std::error::Error for NativeArgError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Limits, MemoryType};

    #[test]
    fn parse_signatures() {
        let s = NativeSig::parse("(i*~$Ir)i", false).unwrap();
        assert_eq!(
            s.params(),
            [
                SigParam::I32,
                SigParam::PtrWithLen,
                SigParam::Len,
                SigParam::Str,
                SigParam::I64,
                SigParam::ExternRef
            ]
        );
        assert_eq!(s.result(), Some(ValType::I32));
        assert_eq!(s.func_type().params().len(), 6);
        assert!(NativeSig::parse("(*)", false).is_ok());
        assert!(NativeSig::parse("(*)", true).is_err());
        assert!(NativeSig::parse("(~)", false).is_err());
        assert!(NativeSig::parse("(i~)", false).is_err());
        assert!(NativeSig::parse("(x)", false).is_err());
        assert!(NativeSig::parse("i)", false).is_err());
        assert!(NativeSig::parse("()ii", false).is_err());
        assert_eq!(NativeSig::parse("()", false).unwrap().result(), None);
    }

    #[test]
    fn pointer_checks_before_the_native() {
        let ty = MemoryType {
            limits: Limits { min: 1, max: None },
            shared: false,
        };
        let m = LinearMemory::new(ty, 4).unwrap();
        let size = m.len() as u64;
        let s = NativeSig::parse("(*~)i", false).unwrap();
        let ok = s
            .check(Some(&m), &[size - 4, 4], None, PtrWidth::W32, false)
            .unwrap();
        assert!(matches!(ok[0], NativeArg::Ptr { offset, len: 4, .. } if offset == size - 4));
        for cells in [[size - 4, 16], [0xFFFF_FFF0, 0x20]] {
            let e = s
                .check(Some(&m), &cells, None, PtrWidth::W32, false)
                .unwrap_err();
            assert_eq!(e.index, 0);
            assert_eq!(e.trap(), Trap::Code(TrapCode::MemoryOutOfBounds));
        }
        // memory64-style: a length above 4 GiB is not truncated.
        let e = s.check(Some(&m), &[0, (1 << 32) + 8], None, PtrWidth::W64, false);
        assert!(e.is_err());
        // With 32-bit cells, the high bits are not part of the value.
        assert!(
            s.check(Some(&m), &[0, (1 << 32) + 8], None, PtrWidth::W32, false)
                .is_ok()
        );
        let lone = NativeSig::parse("(*)", false).unwrap();
        assert!(
            lone.check(Some(&m), &[size - 1], None, PtrWidth::W32, false)
                .is_ok()
        );
        assert!(
            lone.check(Some(&m), &[size], None, PtrWidth::W32, false)
                .is_err()
        );
        assert!(lone.check(None, &[0], None, PtrWidth::W32, false).is_err());
    }
}
