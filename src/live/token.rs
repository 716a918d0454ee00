//! Unguessable tokens for links and room secrets, and their comparison.

/// Bytes of randomness in a token (128 bits).
const TOKEN_BYTES: usize = 16;

/// A fresh random token: 32 lowercase hex digits from the operating
/// system's random source.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares two tokens in time that depends only on their lengths, so a
/// timing probe cannot find a token byte by byte.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `text` looks like a token or room id: 16 to 64 characters of
/// `[A-Za-z0-9_-]`.
pub fn is_well_formed(text: &str) -> bool {
    (16..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_hex_and_compare_exactly() {
        let a = new_token().unwrap_or_default();
        let b = new_token().unwrap_or_default();
        assert_eq!(a.len(), 32);
        assert!(is_well_formed(&a));
        assert_ne!(a, b);
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &b));
        assert!(!same(&a, &a[..31]));
        assert!(!is_well_formed("short"));
        assert!(!is_well_formed("../../../../etc/passwd-xxxxxxxx"));
    }
}
