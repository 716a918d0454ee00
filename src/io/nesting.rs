//! The nesting limit, measured on the text before the parser sees it.
//!
//! The RON parser counts its own recursion, but not one per bracket: a
//! value in a field Archboard ignores costs two levels per bracket, an
//! `Option` none. So its limit does not match any number a person could
//! check in their file. This pass counts what a person sees, the brackets
//! `(`, `[` and `{` outside strings, characters and comments, and refuses a
//! file nested deeper than [`MAX_NESTING`](super::MAX_NESTING) with the
//! position of the first bracket too many. The parser keeps a looser limit
//! of its own as a backstop for the stack.

/// Where the text first nests deeper than `limit`: byte offset of the
/// bracket that goes one level too deep.
pub(crate) fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'"' => i = skip_string(bytes, i + 1),
            b'\'' => i = skip_char(bytes, i + 1),
            b'r' if starts_token(bytes, i) => i = skip_raw_string(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = bytes
                    .iter()
                    .skip(i)
                    .position(|&c| c == b'\n')
                    .map_or(bytes.len(), |n| i + n + 1);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i + 2),
            _ => i += 1,
        }
    }
    None
}

/// True when the byte at `i` is not the continuation of an identifier.
fn starts_token(bytes: &[u8], i: usize) -> bool {
    i == 0
        || bytes
            .get(i - 1)
            .is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))
}

/// Skips a `"…"` string whose opening quote is just before `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Skips a character literal whose opening quote is just before `i`.
fn skip_char(bytes: &[u8], mut i: usize) -> usize {
    if bytes.get(i) == Some(&b'\\') {
        i += 2;
    } else {
        i += 1;
    }
    // Past the (possibly multi-byte or `\u{…}`) character to the closing quote.
    match bytes.iter().skip(i).take(12).position(|&c| c == b'\'') {
        Some(n) => i + n + 1,
        None => i,
    }
}

/// Skips `r"…"` or `r#"…"#` (any number of `#`) starting at the `r`;
/// anything else (a raw identifier such as `r#None`) moves one byte on.
fn skip_raw_string(bytes: &[u8], start: usize) -> usize {
    let hashes = bytes
        .iter()
        .skip(start + 1)
        .take_while(|&&c| c == b'#')
        .count();
    let quote = start + 1 + hashes;
    if bytes.get(quote) != Some(&b'"') {
        return start + 1;
    }
    let mut i = quote + 1;
    while let Some(&b) = bytes.get(i) {
        if b == b'"'
            && bytes
                .iter()
                .skip(i + 1)
                .take(hashes)
                .filter(|&&c| c == b'#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    bytes.len()
}

/// Skips a block comment (they nest in RON) whose `/*` ends just before `i`.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut open = 1usize;
    while let Some(&b) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        if b == b'/' && next == Some(b'*') {
            open += 1;
            i += 2;
        } else if b == b'*' && next == Some(b'/') {
            open -= 1;
            i += 2;
            if open == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::too_deep;

    #[test]
    fn counts_brackets_of_every_kind() {
        assert_eq!(too_deep("([{}])", 3), None);
        assert_eq!(too_deep("([{}])", 2), Some(2));
        assert_eq!(too_deep("(a: [1, 2], b: (c: 3))", 2), None);
        assert_eq!(
            too_deep(&format!("{}{}", "[".repeat(5), "]".repeat(5)), 4),
            Some(4)
        );
    }

    #[test]
    fn brackets_in_strings_chars_and_comments_do_not_count() {
        let text = r####"(a: "(((\"(((", b: r#"[[["#"#, c: '(', d: '\'', e: r##"]"#]]"##, // (((
        f: /* ((( /* nested ((( */ ((( */ 1, g: r#None)"####;
        assert_eq!(too_deep(text, 1), None);
        assert_eq!(too_deep("(x: '\\u{28}', y: ())", 1), Some(17));
    }

    #[test]
    fn unterminated_strings_and_comments_end_the_scan() {
        assert_eq!(too_deep("(\"(((", 1), None);
        assert_eq!(too_deep("(/* (((", 1), None);
        assert_eq!(too_deep("(r#\"(((", 1), None);
        assert_eq!(too_deep("'", 1), None);
    }
}
