//! Delivery of the outbox: the Telegram worker and group-robot mirrors.

pub mod mirror;
