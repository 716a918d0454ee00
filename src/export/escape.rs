//! Escaping of user text for XML (SVG) and cleaning of characters that
//! could change how surrounding text reads.

use std::fmt::Write as _;

/// True for the Unicode bidi embedding, override and isolate controls
/// (U+202A–U+202E, U+2066–U+2069): inside a file they can make text read
/// differently from what it is, so exports drop them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters XML 1.0 cannot hold at all (most C0 controls, surrogates are
/// impossible in `str`, U+FFFE and U+FFFF).
fn is_xml_forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// One line of text: line breaks and tabs become spaces, bidi controls and
/// other control characters are dropped.
pub fn one_line(text: &str) -> String {
    text.chars()
        .filter(|&c| !is_bidi_control(c))
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .filter(|&c| !is_xml_forbidden(c) && !c.is_control())
        .collect()
}

/// Appends `text` escaped for XML character data or a quoted attribute:
/// `& < > " '` become entities, forbidden characters and bidi controls are
/// dropped. Line breaks are kept (callers split lines themselves).
pub fn push_xml(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => {}
            c if is_bidi_control(c) || is_xml_forbidden(c) => {}
            c => out.push(c),
        }
    }
}

/// `text` escaped for XML (see [`push_xml`]).
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_xml(&mut out, text);
    out
}

/// A double-quoted string of a text format with backslash escapes (D2,
/// DOT): `"`, `\` and the `extra` characters get a backslash, line breaks
/// become `\n`, other control characters and bidi controls are dropped.
pub fn backslash_quoted(text: &str, extra: &[char]) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if extra.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Formats a coordinate for a file: at most two decimals, no trailing
/// zeros, never `-0`, and `0` for values that are not finite.
pub fn num(v: f32) -> String {
    let mut out = String::new();
    push_num(&mut out, v);
    out
}

/// Appends a coordinate formatted like [`num`].
pub fn push_num(out: &mut String, v: f32) {
    let rounded = if v.is_finite() {
        (f64::from(v) * 100.0).round() / 100.0
    } else {
        0.0
    };
    if rounded == 0.0 {
        out.push('0');
        return;
    }
    let start = out.len();
    let _ = write!(out, "{rounded:.2}");
    while out.ends_with('0') {
        out.pop();
    }
    if out.ends_with('.') {
        out.pop();
    }
    debug_assert!(out.len() > start);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_and_bidi_controls_are_neutralised() {
        let hostile = "<script>alert(\"x\")</script> & 'q' ]]> --> \u{202E}evil\u{2066}";
        let escaped = xml(hostile);
        assert!(!escaped.contains('<') && !escaped.contains('>'));
        assert!(!escaped.contains('"') && !escaped.contains('\''));
        assert!(!escaped.contains("]]>") && !escaped.contains("-->"));
        assert!(!escaped.contains('\u{202E}') && !escaped.contains('\u{2066}'));
        assert!(escaped.contains("&lt;script&gt;") && escaped.contains("&amp;"));
        assert_eq!(one_line("a\nb\r\nc\u{7}\u{202D}d"), "a b  cd");
    }

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(1.234_567), "1.23");
        assert_eq!(num(f32::NAN), "0");
        assert_eq!(num(-3.10), "-3.1");
    }
}
