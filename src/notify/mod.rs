//! Delivery of the outbox: the worker ([`worker`]) claims rows and sends them within
//! Telegram's limits ([`crate::telegram::pacer`]), split when too long
//! ([`crate::telegram::split`]), through the Bot API ([`telegram`]) or a group-robot webhook
//! ([`mirror`]).

pub mod mirror;
pub mod telegram;
pub mod worker;
