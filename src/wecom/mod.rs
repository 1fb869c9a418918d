//! What minyi's WeCom (企业微信, and 政务微信 which speaks the same API) parts share: the
//! callback's signatures and encryption ([`crypto`]) and its XML ([`xml`]). Protocol notes,
//! with the WeCom documents they come from: `../shared/research/wecom.md`.

pub mod crypto;
pub mod xml;
