//! Comparing secrets (signatures, tokens, form tokens) without telling an attacker how much
//! of a guess was right: the webhook's secret header, WeCom's signatures and the board's form
//! tokens all go through [`same_secret`].

/// Whether `a` and `b` are the same bytes, in time that depends on their lengths only, not on
/// where they first differ.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(same_secret(b"", b""));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"ab"));
        assert!(!same_secret(b"", b"a"));
    }
}
