//! Native signature strings (`(params)result` of `NativeSymbol`, grammar in `natives.rs`) and
//! the copied registration entry of one native: what registration (`natives.rs`) produces and
//! the call path (`native_call.rs`) reads.

use crate::types::{FuncType, ValType};

/// One parameter of a signature string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SigParam {
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
    /// `*`, with `len_next` when a `~` follows.
    Ptr { len_next: bool },
    /// `~`
    Len,
    /// `$`
    Str,
}

/// A parsed signature string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NativeSig {
    pub params: Vec<SigParam>,
    /// `None`: no result.
    pub result: Option<ValType>,
}

impl NativeSig {
    /// Parse `(params)result` exactly as WAMR's signature grammar.
    pub fn parse(s: &str) -> Result<NativeSig, String> {
        let b = s.as_bytes();
        if b.first() != Some(&b'(') {
            return Err(format!("signature \"{s}\" must start with '('"));
        }
        let close = s
            .find(')')
            .ok_or_else(|| format!("signature \"{s}\" has no ')'"))?;
        let mut params = Vec::new();
        for (i, &c) in b[1..close].iter().enumerate() {
            let p = match c {
                b'i' => SigParam::I32,
                b'I' => SigParam::I64,
                b'f' => SigParam::F32,
                b'F' => SigParam::F64,
                b'r' => SigParam::ExternRef,
                // Parameter `i` is byte `i + 1`; the next one is byte `i + 2`.
                b'*' => SigParam::Ptr {
                    len_next: i + 2 < close && b[i + 2] == b'~',
                },
                b'~' => {
                    // The previous parameter is byte `i`.
                    if i == 0 || b[i] != b'*' {
                        return Err(format!("signature \"{s}\": '~' must directly follow '*'"));
                    }
                    SigParam::Len
                }
                b'$' => SigParam::Str,
                other => {
                    return Err(format!(
                        "signature \"{s}\": unknown parameter type '{}'",
                        other as char
                    ));
                }
            };
            params.push(p);
        }
        let result = match &b[close + 1..] {
            [] => None,
            [c] => Some(match c {
                b'i' => ValType::I32,
                b'I' => ValType::I64,
                b'f' => ValType::F32,
                b'F' => ValType::F64,
                b'r' => ValType::ExternRef,
                other => {
                    return Err(format!(
                        "signature \"{s}\": unknown result type '{}'",
                        *other as char
                    ));
                }
            }),
            _ => return Err(format!("signature \"{s}\": at most one result")),
        };
        Ok(NativeSig { params, result })
    }

    /// The WebAssembly type the signature stands for (pointers, lengths, strings are i32).
    pub fn wasm_type(&self) -> FuncType {
        FuncType::new(
            self.params.iter().map(|p| match p {
                SigParam::I64 => ValType::I64,
                SigParam::F32 => ValType::F32,
                SigParam::F64 => ValType::F64,
                SigParam::ExternRef => ValType::ExternRef,
                _ => ValType::I32,
            }),
            self.result,
        )
    }
}

/// One registered native.
#[derive(Clone)]
pub(crate) struct NativeEntry {
    pub name: String,
    pub func: usize,
    /// `None`: NULL signature. `Some(Err)`: malformed (never links).
    pub sig: Option<Result<NativeSig, String>>,
    /// The signature string as registered ("" for NULL), for WAMR's load-time warning.
    pub sig_text: String,
    pub attachment: usize,
    pub raw: bool,
    /// Pointer arguments go through bounce buffers (`cwamr_register_natives_bounce`).
    pub bounce: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_parse_like_wamr() {
        let s = NativeSig::parse("(i*~$)i").unwrap();
        assert_eq!(
            s.params,
            vec![
                SigParam::I32,
                SigParam::Ptr { len_next: true },
                SigParam::Len,
                SigParam::Str
            ]
        );
        assert_eq!(s.result, Some(ValType::I32));
        assert_eq!(
            s.wasm_type(),
            FuncType::new([ValType::I32; 4], [ValType::I32])
        );
        let s = NativeSig::parse("(*$)").unwrap();
        assert_eq!(s.params[0], SigParam::Ptr { len_next: false });
        assert_eq!(s.result, None);
        let s = NativeSig::parse("(IfFr)F").unwrap();
        assert_eq!(
            s.wasm_type(),
            FuncType::new(
                [ValType::I64, ValType::F32, ValType::F64, ValType::ExternRef],
                [ValType::F64]
            )
        );
        assert!(NativeSig::parse("(~)").is_err());
        assert!(NativeSig::parse("(i~)").is_err());
        assert!(NativeSig::parse("(i").is_err());
        assert!(NativeSig::parse("i)i").is_err());
        assert!(NativeSig::parse("(x)").is_err());
        assert!(NativeSig::parse("(i)ii").is_err());
        assert!(NativeSig::parse("(i)z").is_err());
    }
}
