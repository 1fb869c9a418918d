//! WeCom's callback scheme (document 91144, 加解密方案): every message and event minyi's
//! callback receives is AES-256-CBC encrypted with the app's EncodingAESKey and signed with
//! SHA-1 over the app's Token, the timestamp, the nonce and the ciphertext.
//!
//! - The key is the EncodingAESKey (43 characters) read as base64 with one `=` added: 32
//!   bytes. The IV is its first 16 bytes.
//! - The plaintext is 16 random bytes, the message's length (4 bytes, big-endian), the
//!   message, and the receive id (the CorpID of a self-built app), padded PKCS#7-style to a
//!   multiple of **32** bytes: a pad byte from 1 to 32. A standard 16-byte unpad fails on
//!   about half of WeCom's messages, so the padding is added and checked here, by hand.
//! - The signature is the lower-case hex SHA-1 of the four strings sorted and concatenated.
//!
//! Checked against WeCom's own sample vectors (see the tests).

use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::Engine;
use base64::engine::{GeneralPurpose, GeneralPurposeConfig};
use sha1::{Digest, Sha1};

use crate::compare::same_secret;

type Decryptor = cbc::Decryptor<aes::Aes256>;
type Encryptor = cbc::Encryptor<aes::Aes256>;

/// WeCom's padding block: PKCS#7 to a multiple of 32 bytes.
const PAD_BLOCK: usize = 32;
/// The random prefix and the length field before the message.
const HEAD: usize = 16 + 4;

/// Base64 as WeCom writes it: standard alphabet, padded, and lenient about the unused low
/// bits of the last symbol (an EncodingAESKey is 43 random characters, so its last one
/// usually has some set; strict decoders refuse it, WeCom's own samples do not).
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);

/// Why a key cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// WeCom's EncodingAESKey is exactly 43 characters of `[a-zA-Z0-9]`.
    #[error("an EncodingAESKey is 43 letters and digits")]
    Shape,
}

/// Why a callback's body is refused. Nothing in it is trusted until all of these pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the signature does not match")]
    Signature,
    #[error("the ciphertext is not base64")]
    Base64,
    #[error("the ciphertext is not a whole number of 32-byte blocks")]
    Length,
    #[error("the padding is not WeCom's")]
    Padding,
    #[error("the message's length field points outside the plaintext")]
    Layout,
    #[error("the message is for another corporation or app")]
    ReceiveId,
    #[error("the message is not UTF-8")]
    Utf8,
}

/// An app's callback settings: Token, the decoded EncodingAESKey, and the receive id (the
/// CorpID) every message must carry.
#[derive(Clone)]
pub struct Keys {
    token: String,
    key: [u8; 32],
    receive_id: String,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token and the key are secrets.
        f.debug_struct("Keys")
            .field("receive_id", &self.receive_id)
            .finish_non_exhaustive()
    }
}

/// Whether `s` has the shape of an EncodingAESKey.
pub fn is_encoding_aes_key(s: &str) -> bool {
    s.len() == 43 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Keys {
    pub fn new(token: &str, encoding_aes_key: &str, receive_id: &str) -> Result<Keys, KeyError> {
        if !is_encoding_aes_key(encoding_aes_key) {
            return Err(KeyError::Shape);
        }
        let bytes = LENIENT
            .decode(format!("{encoding_aes_key}="))
            .map_err(|_| KeyError::Shape)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Shape)?;
        Ok(Keys {
            token: token.to_owned(),
            key,
            receive_id: receive_id.to_owned(),
        })
    }

    /// `msg_signature` for these parts.
    pub fn signature(&self, timestamp: &str, nonce: &str, encrypted: &str) -> String {
        let mut parts = [self.token.as_str(), timestamp, nonce, encrypted];
        parts.sort_unstable();
        let digest = Sha1::digest(parts.concat().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Checks the signature, then decrypts: the message, or why it is refused.
    pub fn open(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypted: &str,
    ) -> Result<String, Refused> {
        let expected = self.signature(timestamp, nonce, encrypted);
        if !same_secret(
            expected.as_bytes(),
            msg_signature.to_ascii_lowercase().as_bytes(),
        ) {
            return Err(Refused::Signature);
        }
        self.decrypt(encrypted)
    }

    /// Decrypts a ciphertext (base64) whose signature was checked.
    pub fn decrypt(&self, encrypted: &str) -> Result<String, Refused> {
        let mut buf = LENIENT.decode(encrypted).map_err(|_| Refused::Base64)?;
        if buf.is_empty() || buf.len() % PAD_BLOCK != 0 {
            return Err(Refused::Length);
        }
        let iv: [u8; 16] = self.key[..16].try_into().expect("16 bytes");
        let plain = Decryptor::new(&self.key.into(), &iv.into())
            .decrypt_padded_mut::<NoPadding>(&mut buf)
            .map_err(|_| Refused::Length)?;
        let plain = unpad(plain)?;
        if plain.len() < HEAD {
            return Err(Refused::Layout);
        }
        let len = u32::from_be_bytes(plain[16..20].try_into().expect("4 bytes")) as usize;
        let rest = &plain[HEAD..];
        if len > rest.len() {
            return Err(Refused::Layout);
        }
        let (message, receive_id) = rest.split_at(len);
        if receive_id != self.receive_id.as_bytes() {
            return Err(Refused::ReceiveId);
        }
        String::from_utf8(message.to_vec()).map_err(|_| Refused::Utf8)
    }

    /// Encrypts a message as WeCom does, with these 16 random bytes first (the sandbox plays
    /// WeCom with this; tests fix the bytes to compare with WeCom's samples).
    pub fn encrypt(&self, message: &str, random: [u8; 16]) -> String {
        let mut plain = Vec::with_capacity(HEAD + message.len() + self.receive_id.len() + 32);
        plain.extend_from_slice(&random);
        plain.extend_from_slice(&(message.len() as u32).to_be_bytes());
        plain.extend_from_slice(message.as_bytes());
        plain.extend_from_slice(self.receive_id.as_bytes());
        let pad = PAD_BLOCK - plain.len() % PAD_BLOCK;
        plain.extend(std::iter::repeat_n(pad as u8, pad));
        let len = plain.len();
        let iv: [u8; 16] = self.key[..16].try_into().expect("16 bytes");
        let cipher = Encryptor::new(&self.key.into(), &iv.into())
            .encrypt_padded_mut::<NoPadding>(&mut plain, len)
            .expect("a whole number of blocks");
        base64::engine::general_purpose::STANDARD.encode(cipher)
    }

    /// Encrypts and signs a message: the ciphertext and its `msg_signature`.
    pub fn seal(&self, message: &str, timestamp: &str, nonce: &str) -> (String, String) {
        let encrypted = self.encrypt(message, rand::random());
        let signature = self.signature(timestamp, nonce, &encrypted);
        (encrypted, signature)
    }
}

/// Removes WeCom's padding, checking every pad byte.
fn unpad(plain: &[u8]) -> Result<&[u8], Refused> {
    let pad = usize::from(*plain.last().ok_or(Refused::Padding)?);
    if pad == 0 || pad > PAD_BLOCK || pad > plain.len() {
        return Err(Refused::Padding);
    }
    let (message, padding) = plain.split_at(plain.len() - pad);
    if padding.iter().any(|&b| usize::from(b) != pad) {
        return Err(Refused::Padding);
    }
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    // WeCom's Sample.py (the official samples of document 91144).
    const TOKEN: &str = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
    const KEY: &str = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
    const CORP: &str = "ww1436e0e65a779aee";

    fn keys() -> Keys {
        Keys::new(TOKEN, KEY, CORP).unwrap()
    }

    #[test]
    fn the_url_verification_sample_opens() {
        let echo = keys().open(
            "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb",
            "1476416373",
            "47744683",
            "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==",
        );
        assert_eq!(echo.unwrap(), "1288432023552776189");
    }

    const MESSAGE: &str = "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+";

    #[test]
    fn the_message_sample_opens_with_its_padding_of_22() {
        let text = keys()
            .open(
                "0c3914025cb4b4d68103f6bfc8db550f79dcf48e",
                "1476422779",
                "1597212914",
                MESSAGE,
            )
            .unwrap();
        assert_eq!(
            text,
            "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName>\
             <CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content>\
             <MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>"
        );
        // The sample's pad is 22: a 16-byte unpad would have failed.
        let mut buf = LENIENT.decode(MESSAGE).unwrap();
        let key = keys().key;
        let iv: [u8; 16] = key[..16].try_into().unwrap();
        let plain = Decryptor::new(&key.into(), &iv.into())
            .decrypt_padded_mut::<NoPadding>(&mut buf)
            .unwrap();
        assert_eq!(*plain.last().unwrap(), 22);
    }

    #[test]
    fn encryption_round_trips_with_every_padding_length() {
        let keys = keys();
        let mut seen = std::collections::BTreeSet::new();
        // Lengths 0..=40 cover every pad from 1 to 32.
        for n in 0..=40 {
            let message = "消".repeat(n / 3) + &"x".repeat(n % 3);
            let sealed = keys.encrypt(&message, [7; 16]);
            let raw = LENIENT.decode(&sealed).unwrap();
            assert_eq!(raw.len() % 32, 0);
            let pad = 32 - (HEAD + message.len() + CORP.len()) % 32;
            seen.insert(pad);
            assert_eq!(keys.decrypt(&sealed).unwrap(), message);
            let (encrypted, signature) = keys.seal(&message, "1700000000", "nonce");
            assert_eq!(
                keys.open(&signature, "1700000000", "nonce", &encrypted)
                    .unwrap(),
                message
            );
        }
        assert!(seen.contains(&1) && seen.contains(&32), "{seen:?}");
    }

    #[test]
    fn what_is_not_wecoms_is_refused() {
        let keys = keys();
        let (encrypted, signature) = keys.seal("<xml/>", "1", "2");
        // A signature off by one character, or over another timestamp.
        let mut forged = signature.clone().into_bytes();
        forged[0] = if forged[0] == b'0' { b'1' } else { b'0' };
        let forged = String::from_utf8(forged).unwrap();
        assert_eq!(
            keys.open(&forged, "1", "2", &encrypted),
            Err(Refused::Signature)
        );
        assert_eq!(
            keys.open(&signature, "3", "2", &encrypted),
            Err(Refused::Signature)
        );
        // Sealed for another corporation.
        let other = Keys::new(TOKEN, KEY, "wwanothercorp").unwrap();
        let (encrypted, signature) = other.seal("<xml/>", "1", "2");
        assert_eq!(
            keys.open(&signature, "1", "2", &encrypted),
            Err(Refused::ReceiveId)
        );
        // A bad pad byte: 0, 33, and pads that disagree.
        for pad in [vec![0u8], vec![33u8], vec![3u8, 2, 3]] {
            let sealed = encrypt_raw(&keys, &pad);
            assert_eq!(keys.decrypt(&sealed), Err(Refused::Padding), "{pad:?}");
        }
        // Not base64, not whole blocks, a length field past the end.
        assert_eq!(keys.decrypt("!!!"), Err(Refused::Base64));
        assert_eq!(keys.decrypt("AAAA"), Err(Refused::Length));
        let mut plain = vec![0u8; 16];
        plain.extend_from_slice(&1000u32.to_be_bytes());
        plain.resize(31, 0);
        plain.push(1);
        assert_eq!(
            keys.decrypt(&encrypt_block(&keys, &plain)),
            Err(Refused::Layout)
        );
    }

    #[test]
    fn a_key_must_have_wecoms_shape() {
        assert_eq!(
            Keys::new(TOKEN, "short", CORP).unwrap_err(),
            KeyError::Shape
        );
        let with_plus = format!("{}+", &KEY[..42]);
        assert_eq!(
            Keys::new(TOKEN, &with_plus, CORP).unwrap_err(),
            KeyError::Shape
        );
        assert!(is_encoding_aes_key(KEY));
        assert!(!format!("{:?}", keys()).contains(TOKEN));
    }

    /// A plaintext ending in `tail`, filled to 32 bytes, encrypted without padding.
    fn encrypt_raw(keys: &Keys, tail: &[u8]) -> String {
        let mut plain = vec![b'a'; 32 - tail.len()];
        plain.extend_from_slice(tail);
        encrypt_block(keys, &plain)
    }

    fn encrypt_block(keys: &Keys, plain: &[u8]) -> String {
        let mut buf = plain.to_vec();
        let len = buf.len();
        let iv: [u8; 16] = keys.key[..16].try_into().unwrap();
        let cipher = Encryptor::new(&keys.key.into(), &iv.into())
            .encrypt_padded_mut::<NoPadding>(&mut buf, len)
            .unwrap();
        base64::engine::general_purpose::STANDARD.encode(cipher)
    }
}
