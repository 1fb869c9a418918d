//! The query string both Telegram sign-in schemes sign: parsed, its data-check-string made,
//! and its hash checked.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{CLOCK_SKEW, Refused};

/// A query string Telegram signed: its fields without `hash`, and the hash.
#[derive(Debug)]
pub(super) struct Signed {
    fields: BTreeMap<String, String>,
    pub(super) hash: String,
}

impl Signed {
    /// Reads `raw` as `application/x-www-form-urlencoded`. Every pair must have a `=` and a
    /// name, and no name may come twice: Telegram never sends one twice, and a second value
    /// would make "the" value ambiguous between the check and the reader.
    pub(super) fn parse(raw: &str) -> Result<Signed, Refused> {
        let mut fields = BTreeMap::new();
        if !raw.is_empty() {
            for pair in raw.split('&') {
                let (name, value) = pair.split_once('=').ok_or(Refused::Malformed)?;
                let name = form_decode(name).ok_or(Refused::Malformed)?;
                let value = form_decode(value).ok_or(Refused::Malformed)?;
                if name.is_empty() || fields.insert(name, value).is_some() {
                    return Err(Refused::Malformed);
                }
            }
        }
        let hash = fields.remove("hash").ok_or(Refused::NoHash)?;
        Ok(Signed { fields, hash })
    }

    /// Telegram's data-check-string: every field but `hash`, sorted by name, `name=value`
    /// joined by `\n`, each value as received (a JSON value is not re-serialized).
    fn check_string(&self) -> String {
        let lines: Vec<String> = self
            .fields
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        lines.join("\n")
    }

    /// Whether `hash` is the hex HMAC-SHA256 of the check string under `key`, compared in
    /// constant time.
    pub(super) fn verify(&self, key: &[u8]) -> Result<(), Refused> {
        let claimed = unhex(&self.hash).ok_or(Refused::BadHash)?;
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
        mac.update(self.check_string().as_bytes());
        mac.verify_slice(&claimed).map_err(|_| Refused::BadHash)
    }

    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    /// `auth_date` (Unix seconds) if it is at most `max_age` before `now` and at most
    /// [`CLOCK_SKEW`] after it.
    pub(super) fn auth_date(
        &self,
        now: DateTime<Utc>,
        max_age: TimeDelta,
    ) -> Result<DateTime<Utc>, Refused> {
        let seconds: i64 = self
            .get("auth_date")
            .and_then(|s| s.parse().ok())
            .ok_or(Refused::Malformed)?;
        let at = DateTime::from_timestamp(seconds, 0).ok_or(Refused::Malformed)?;
        if now - at > max_age {
            Err(Refused::Stale)
        } else if at - now > CLOCK_SKEW {
            Err(Refused::FromTheFuture)
        } else {
            Ok(at)
        }
    }
}

/// Decodes one name or value of a form-encoded query string: `+` is a space, `%XX` a byte,
/// and the bytes must be UTF-8. Telegram's data is `application/x-www-form-urlencoded`, so a
/// `+` is a space here, unlike in WeCom's callback (`wecom_app`), where it stays a `+`.
pub(super) fn form_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let high = hex_digit(*bytes.get(i + 1)?)?;
                let low = hex_digit(*bytes.get(i + 2)?)?;
                out.push(high << 4 | low);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Hex (either case) as bytes; `None` for an odd length or a character that is not hex.
fn unhex(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| Some(hex_digit(pair[0])? << 4 | hex_digit(pair[1])?))
        .collect()
}

fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding_reads_plus_as_space_and_percent_as_bytes() {
        assert_eq!(form_decode("a+b%2Bc%3D").as_deref(), Some("a b+c="));
        assert_eq!(form_decode("%E7%8E%8B").as_deref(), Some("王"));
        assert_eq!(form_decode("%zz"), None);
        assert_eq!(form_decode("%4"), None);
        assert_eq!(form_decode("%FF"), None, "not UTF-8");
    }

    #[test]
    fn hex_decodes_both_cases_and_refuses_the_rest() {
        assert_eq!(unhex("00aBfF"), Some(vec![0x00, 0xab, 0xff]));
        assert_eq!(unhex(""), Some(vec![]));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("zz"), None);
    }

    #[test]
    fn a_query_needs_well_formed_unique_pairs_and_a_hash() {
        let signed = Signed::parse("b=2&a=x+y&hash=00").unwrap();
        assert_eq!(signed.check_string(), "a=x y\nb=2");
        assert_eq!(signed.hash, "00");
        for malformed in [
            "a=1&&hash=00",
            "a&hash=00",
            "=1&hash=00",
            "a=1&a=1&hash=00",
            "a=%",
        ] {
            assert_eq!(
                Signed::parse(malformed).unwrap_err(),
                Refused::Malformed,
                "{malformed}"
            );
        }
        assert_eq!(Signed::parse("").unwrap_err(), Refused::NoHash);
        assert_eq!(Signed::parse("a=1").unwrap_err(), Refused::NoHash);
        assert_eq!(
            Signed::parse("a=1&hash=00&hash=00").unwrap_err(),
            Refused::Malformed
        );
    }

    #[test]
    fn a_hash_that_is_not_hex_is_a_bad_hash() {
        let signed = Signed::parse("a=1&hash=not-hex").unwrap();
        assert_eq!(signed.verify(b"key"), Err(Refused::BadHash));
    }
}
