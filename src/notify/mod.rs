//! Delivery of the outbox: the Telegram worker and group-robot mirrors.

pub mod limits;
pub mod split;
pub mod telegram;
pub mod worker;
