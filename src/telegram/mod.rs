//! What the Telegram front end ([`crate::bot`]) and the delivery worker ([`crate::notify`])
//! both need of Telegram, so neither imports the other:
//!
//! - [`split`]: HTML texts cut into parts within Telegram's length, measured as Telegram
//!   measures it ([`split::TELEGRAM_LIMIT`], the one length constant);
//! - [`keyboard`]: the front's rows of buttons ([`crate::front::buttons`]) as an inline
//!   keyboard, for the bot's answers and for what a push asks of its reader;
//! - [`client`]: the Bot API client with deliberate timeouts;
//! - [`links`]: `t.me` deep links: invites and residents' links.

pub mod client;
pub mod keyboard;
pub mod links;
pub mod pacer;
pub mod split;
