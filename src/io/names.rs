//! File names suggested from a design's title.

/// The longest stem suggested, in bytes: room for an extension and a
/// numbered copy within the usual 255-byte limit of a file name.
const MAX_STEM_BYTES: usize = 200;

/// The stem used when nothing of the title is left.
const FALLBACK_STEM: &str = "design";

/// A file name stem (no extension) for a design titled `title`, safe to
/// offer in a save dialog: path separators, the characters Windows forbids
/// in names (`<>:"|?*`), control characters and bidirectional controls
/// (which can make `evil.exe.ron` display as something else) are dropped,
/// white space runs become one space, and leading dots and spaces go, so
/// the name is never hidden, never `..` and never leaves its folder.
/// Never empty; at most 200 bytes.
pub fn safe_file_stem(title: &str) -> String {
    let kept: String = title
        .chars()
        .filter(|&c| !is_dropped(c))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let mut stem = String::with_capacity(kept.len());
    for word in kept.split(' ').filter(|w| !w.is_empty()) {
        if !stem.is_empty() {
            stem.push(' ');
        }
        stem.push_str(word);
    }
    let stem = stem.trim_start_matches(['.', ' ']);
    let mut end = stem.len().min(MAX_STEM_BYTES);
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    let stem = stem
        .get(..end)
        .unwrap_or_default()
        .trim_end_matches([' ', '.']);
    if stem.is_empty() {
        FALLBACK_STEM.to_owned()
    } else {
        stem.to_owned()
    }
}

fn is_dropped(c: char) -> bool {
    matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
        || (c.is_control() && !c.is_whitespace())
        || is_bidi_control(c)
        || matches!(c, '\u{200b}' | '\u{feff}')
}

/// The invisible characters that reorder text: embeddings, overrides,
/// isolates and marks.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

#[cfg(test)]
mod tests {
    use super::safe_file_stem;

    #[test]
    fn separators_controls_bidi_and_leading_dots_are_dropped() {
        assert_eq!(safe_file_stem("URL shortener"), "URL shortener");
        assert_eq!(safe_file_stem("../../etc/passwd"), "etcpasswd");
        assert_eq!(safe_file_stem("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(safe_file_stem(".hidden"), "hidden");
        assert_eq!(safe_file_stem("a\u{1b}[31mred\u{7}"), "a[31mred");
        assert_eq!(safe_file_stem("invoice\u{202e}nor.exe"), "invoicenor.exe");
        assert_eq!(
            safe_file_stem("two\nlines\tand   spaces "),
            "two lines and spaces"
        );
        assert_eq!(safe_file_stem("a:b*c?d\"e<f>g|h"), "abcdefgh");
        assert_eq!(safe_file_stem("ünïcode 日本"), "ünïcode 日本");
    }

    #[test]
    fn nothing_left_gives_a_plain_name_and_long_titles_are_cut() {
        assert_eq!(safe_file_stem(""), "design");
        assert_eq!(safe_file_stem(" . .. / \u{202e}"), "design");
        assert_eq!(safe_file_stem(".."), "design");
        let long = "é".repeat(300);
        let stem = safe_file_stem(&long);
        assert!(stem.len() <= 200 && stem.chars().all(|c| c == 'é'));
        assert_eq!(stem.chars().count(), 100);
    }
}
