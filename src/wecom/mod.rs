//! What minyi's WeCom (企业微信, and 政务微信 which speaks the same API) parts share, so the
//! app's front end ([`crate::wecom_app`]) and the delivery worker ([`crate::notify`]) never
//! import each other:
//!
//! - [`crypto`] and [`xml`]: the callback's signatures, encryption and XML;
//! - [`inbound`]: what a member sent, read from the decrypted XML, with its input id;
//! - [`client`]: WeCom's server API (token, messages, cards, menu);
//! - [`pacer`] and [`sender`]: the per-member limits every send keeps;
//! - [`render`]: the front's answers and the outbox's pushes as text messages and cards;
//! - [`menu`]: the app's custom menu, each click a command.
//!
//! Protocol notes, with the WeCom documents they come from: `../shared/research/wecom.md`.

pub mod client;
pub mod crypto;
pub mod inbound;
pub mod menu;
pub mod pacer;
pub mod render;
pub mod sender;
pub mod xml;
