//! Everything minyi sends a WeCom member goes through one [`Sender`]: the app's client and the
//! per-member pacer, shared by the answers to what a member wrote and the delivery worker's
//! pushes, so the two together keep WeCom's limits.

use std::time::Duration;

use super::client::{Client, Message, SendError, Sent};
use super::pacer::MemberPacer;
use crate::config::WeCom;

/// How long every send waits after WeCom answered 45009 or 45033 (too many calls): its
/// counters are per minute.
pub const RATE_PAUSE: Duration = Duration::from_secs(60);

pub struct Sender {
    pub client: Client,
    pub pacer: MemberPacer,
    /// [`RATE_PAUSE`] in service.
    pub rate_pause: Duration,
}

impl Sender {
    pub fn new(config: &WeCom) -> Sender {
        Sender {
            client: Client::new(config),
            pacer: MemberPacer::new(config.per_member_per_minute, config.per_member_per_hour),
            rate_pause: RATE_PAUSE,
        }
    }

    /// Sends one message once its member has room; a rate answer pauses every send.
    pub async fn send(&self, userid: &str, message: &Message) -> Result<Sent, SendError> {
        self.pacer.wait(userid).await;
        let sent = self.client.send(userid, message).await;
        if let Err(SendError::RateLimited { .. }) = &sent {
            self.pacer.pause(self.rate_pause);
        }
        sent
    }

    /// Sends messages in order, each tried up to three times while WeCom's answer says a
    /// later try can help (the member is waiting for this answer and nothing else would send
    /// it). Stops at the first message that cannot be sent.
    pub async fn answer(&self, userid: &str, messages: Vec<Message>) -> Result<(), SendError> {
        for message in messages {
            let mut tried = 0;
            loop {
                tried += 1;
                match self.send(userid, &message).await {
                    Ok(_) => break,
                    Err(e) if e.retry() && tried < 3 => {
                        tracing::debug!(error = %e, "an answer to a WeCom member failed; trying again");
                        tokio::time::sleep(Duration::from_millis(500) * tried).await;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }
}
