//! Translation of decoder/validator errors into WAMR's load-error wording.
//!
//! Scripts and embedders match on WAMR's phrases (`magic header not detected`, `unexpected end`,
//! ...); wasmparser words the same conditions differently. Known conditions get WAMR's phrase;
//! everything else keeps the decoder's precise text.

/// WAMR's phrase for a wasmparser error.
pub(crate) fn wamr_reason(e: &wasmparser::BinaryReaderError) -> String {
    map_message(e.message())
}

fn map_message(msg: &str) -> String {
    // (prefix or fragment in wasmparser's message, WAMR's phrase)
    const TABLE: &[(&str, &str)] = &[
        ("magic header not detected", "magic header not detected"),
        ("unknown binary version", "unknown binary version"),
        ("unexpected end", "unexpected end"),
        ("malformed section id", "invalid section id"),
        ("section size mismatch", "section size mismatch"),
        (
            "integer representation too long",
            "integer representation too long",
        ),
        (
            "section out of order",
            "unexpected content after last section or junk after last section",
        ),
        ("type mismatch", "type mismatch"),
        ("unknown function", "unknown function"),
        ("unknown global", "unknown global"),
        ("unknown memory", "unknown memory"),
        ("unknown table", "unknown table"),
        ("unknown type", "unknown type"),
        ("unknown local", "unknown local"),
        ("unknown label", "unknown label"),
        ("unknown data segment", "unknown data segment"),
        ("unknown elem segment", "unknown elem segment"),
        ("too many locals", "too many locals"),
    ];
    for (needle, phrase) in TABLE {
        if msg.contains(needle) {
            return (*phrase).to_string();
        }
    }
    msg.to_string()
}

#[cfg(test)]
mod tests {
    use super::map_message;

    #[test]
    fn maps_known_conditions() {
        assert_eq!(
            map_message("magic header not detected: bad magic number"),
            "magic header not detected"
        );
        assert_eq!(map_message("unexpected end-of-file"), "unexpected end");
        assert_eq!(
            map_message("invalid var_u32: integer representation too long"),
            "integer representation too long"
        );
        assert_eq!(
            map_message("section out of order"),
            "unexpected content after last section or junk after last section"
        );
        assert_eq!(map_message("something else"), "something else");
    }
}
