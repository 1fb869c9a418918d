//! Everything the WeCom sandbox remembers, behind the one lock of [`super::Shared`]: tokens,
//! what was delivered to whom, the cards' task ids and response codes, and each member's
//! rolling counts against WeCom's limits.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::validate::{Body, Refusal, Send, Update, errcode, refuse};
use super::{CardUpdate, Delivered, Violation};
use crate::wecom::client::CONTENT_LIMIT;

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);
/// A response_code is good for 72 hours, once (90236, response_code).
const CODE_LIFETIME: Duration = Duration::from_secs(72 * 3600);

/// A response_code handed out, for a card's send or a click on it.
struct Issued {
    task_id: String,
    at: Instant,
    used: bool,
}

/// Which of WeCom's per-member limits a send is over.
enum Over {
    Minute,
    Hour,
}

/// One member's sends: delivered ones against the limits, all of them for the record.
#[derive(Default)]
struct Pace {
    minute: VecDeque<Instant>,
    hour: VecDeque<Instant>,
    tried: VecDeque<Instant>,
    max_in_a_minute: usize,
}

impl Pace {
    /// Counts a send at `now`, or the window whose limit makes WeCom drop it.
    fn admit(&mut self, now: Instant, per_minute: usize, per_hour: usize) -> Result<(), Over> {
        let within = |window: &mut VecDeque<Instant>, span: Duration| {
            while window
                .front()
                .is_some_and(|t| now.duration_since(*t) >= span)
            {
                window.pop_front();
            }
        };
        within(&mut self.tried, MINUTE);
        self.tried.push_back(now);
        self.max_in_a_minute = self.max_in_a_minute.max(self.tried.len());
        within(&mut self.minute, MINUTE);
        within(&mut self.hour, HOUR);
        if self.minute.len() >= per_minute {
            return Err(Over::Minute);
        }
        if self.hour.len() >= per_hour {
            return Err(Over::Hour);
        }
        self.minute.push_back(now);
        self.hour.push_back(now);
        Ok(())
    }
}

#[derive(Default)]
pub(super) struct State {
    /// Every token handed out, and until when it is good.
    tokens: HashMap<String, Instant>,
    current: Option<String>,
    pub tokens_fetched: usize,
    /// Sends still to answer 45009.
    pub failing: u32,
    next_msgid: u64,
    task_ids: HashSet<String>,
    /// Who received each task's card, and its buttons' keys.
    card_holders: HashMap<String, Vec<String>>,
    card_keys: HashMap<String, Vec<String>>,
    codes: HashMap<String, Issued>,
    paces: HashMap<String, Pace>,
    pub delivered: Vec<Delivered>,
    pub card_updates: Vec<CardUpdate>,
    pub menus: Vec<Value>,
    pub violations: Vec<Violation>,
    /// The last callback request the user side made: its query and body.
    pub last_posted: Option<(String, String)>,
    pub next_msg_id: i64,
}

impl State {
    /// WeCom's gettoken: the same token while it is good, a new one after (91039).
    pub fn token(&mut self, now: Instant, lifetime: Duration) -> (String, u64) {
        self.tokens_fetched += 1;
        if let Some(token) = &self.current
            && let Some(until) = self.tokens.get(token).filter(|until| now < **until)
        {
            return (token.clone(), until.duration_since(now).as_secs().max(1));
        }
        let token = random_code(64);
        self.tokens.insert(token.clone(), now + lifetime);
        self.current = Some(token.clone());
        (token, lifetime.as_secs())
    }

    pub fn check_token(&self, token: Option<&str>, now: Instant) -> Result<(), Refusal> {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return refuse(errcode::MISSING_TOKEN, "access_token missing");
        };
        match self.tokens.get(token) {
            None => refuse(errcode::INVALID_TOKEN, "invalid access_token"),
            Some(until) if now >= *until => refuse(errcode::TOKEN_EXPIRED, "access_token expired"),
            Some(_) => Ok(()),
        }
    }

    pub fn expire_token(&mut self, now: Instant) {
        if let Some(token) = self.current.take() {
            self.tokens.insert(token, now);
        }
    }

    /// Delivers a valid send to the members among its recipients, as WeCom would: the
    /// answer's JSON, or why it is refused.
    pub fn deliver(
        &mut self,
        send: Send,
        members: &[String],
        limits: (usize, usize),
        now: Instant,
    ) -> Result<Value, Refusal> {
        // WeCom compares userids without case and answers them in lower case (90236).
        let all = send.touser.iter().any(|u| u == "@all");
        let (valid, invalid): (Vec<String>, Vec<String>) = if all {
            (members.to_vec(), Vec::new())
        } else {
            let known = |u: &String| members.iter().any(|m| m.eq_ignore_ascii_case(u));
            let (valid, invalid) = send.touser.into_iter().partition(known);
            (valid, invalid.iter().map(|u| u.to_lowercase()).collect())
        };
        if valid.is_empty() {
            return Err(Refusal {
                errcode: errcode::ALL_INVALID,
                errmsg: format!("all users invalid: {}", invalid.join("|")),
            });
        }
        if let Body::Card { task_id, .. } = &send.body
            && !self.task_ids.insert(task_id.clone())
        {
            return refuse(
                errcode::INVALID_TASK_ID,
                "taskid has existed or empty or exceed max len",
            );
        }
        self.next_msgid += 1;
        let msgid = format!("sandbox-msg-{}", self.next_msgid);
        let response_code = match &send.body {
            Body::Card { task_id, card } => {
                let keys = card["button_list"].as_array().into_iter().flatten();
                let keys = keys.filter_map(|b| b["key"].as_str().map(String::from));
                self.card_keys.insert(task_id.clone(), keys.collect());
                Some(self.issue_code(task_id, now))
            }
            _ => None,
        };
        for userid in valid {
            self.deliver_one(&send.body, userid, &msgid, limits, now);
        }
        Ok(json!({
            "errcode": 0,
            "errmsg": "ok",
            "invaliduser": invalid.join("|"),
            "msgid": msgid,
            "response_code": response_code.unwrap_or_default(),
        }))
    }

    fn deliver_one(
        &mut self,
        body: &Body,
        userid: String,
        msgid: &str,
        (per_minute, per_hour): (usize, usize),
        now: Instant,
    ) {
        let pace = self.paces.entry(userid.clone()).or_default();
        if let Err(over) = pace.admit(now, per_minute, per_hour) {
            // WeCom answers 0 and drops it: nothing says so but the member's silence.
            self.violations.push(match over {
                Over::Minute => Violation::PerMinute { userid },
                Over::Hour => Violation::PerHour { userid },
            });
            return;
        }
        let (content, card) = match body {
            Body::Text(content) | Body::Markdown(content) => {
                if content.len() > CONTENT_LIMIT {
                    self.violations.push(Violation::ContentTooLong {
                        userid: userid.clone(),
                        bytes: content.len(),
                    });
                }
                (truncate(content, CONTENT_LIMIT).to_owned(), None)
            }
            Body::Card { task_id, card } => {
                self.card_holders
                    .entry(task_id.clone())
                    .or_default()
                    .push(userid.clone());
                (String::new(), Some(card.clone()))
            }
        };
        self.delivered.push(Delivered {
            userid,
            msgid: msgid.to_owned(),
            msgtype: body.msgtype().to_owned(),
            content,
            card,
            at: now,
        });
    }

    /// Applies an update_template_card: the members it names that are not members.
    pub fn update_card(
        &mut self,
        update: Update,
        members: &[String],
        now: Instant,
    ) -> Result<Vec<String>, Refusal> {
        let Some(issued) = self.codes.get_mut(&update.response_code) else {
            return refuse(errcode::INVALID_PARAMETER, "invalid response_code");
        };
        if issued.used || now.duration_since(issued.at) >= CODE_LIFETIME {
            return refuse(errcode::CODE_USED, "response_code has been used or expired");
        }
        issued.used = true;
        let invalid = update
            .userids
            .iter()
            .filter(|u| !members.iter().any(|m| m.eq_ignore_ascii_case(u)))
            .map(|u| u.to_lowercase())
            .collect();
        self.card_updates.push(CardUpdate {
            task_id: issued.task_id.clone(),
            userids: update.userids,
            response_code: update.response_code,
            replace_name: update.replace_name,
            at: now,
        });
        Ok(invalid)
    }

    /// A fresh response_code for a member's click on the button `key` of the card of
    /// `task_id`; or why WeCom's client could not send that click: the card never reached the
    /// member, has no such button, or its buttons were replaced for the member by an
    /// update_template_card (they then show one greyed-out button, 94888).
    pub fn click_code(
        &mut self,
        task_id: &str,
        userid: &str,
        key: &str,
        now: Instant,
    ) -> Result<String, String> {
        let holds = |h: &String| h.eq_ignore_ascii_case(userid);
        if !self
            .card_holders
            .get(task_id)
            .is_some_and(|h| h.iter().any(holds))
        {
            return Err(format!("no card {task_id:?} was delivered to {userid:?}"));
        }
        if !self
            .card_keys
            .get(task_id)
            .is_some_and(|k| k.iter().any(|k| k == key))
        {
            return Err(format!("the card {task_id:?} has no button {key:?}"));
        }
        let replaced = self
            .card_updates
            .iter()
            .any(|u| u.task_id == task_id && u.userids.iter().any(holds));
        if replaced {
            return Err(format!(
                "the card {task_id:?} was marked done for {userid:?}"
            ));
        }
        Ok(self.issue_code(task_id, now))
    }

    fn issue_code(&mut self, task_id: &str, now: Instant) -> String {
        let code = random_code(40);
        let issued = Issued {
            task_id: task_id.to_owned(),
            at: now,
            used: false,
        };
        self.codes.insert(code.clone(), issued);
        code
    }

    pub fn max_in_a_minute(&self, userid: &str) -> usize {
        self.paces.get(userid).map_or(0, |p| p.max_in_a_minute)
    }
}

/// The longest start of `s` within `limit` bytes that ends on a char.
fn truncate(s: &str, limit: usize) -> &str {
    if s.len() <= limit {
        return s;
    }
    let mut cut = limit;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    &s[..cut]
}

/// Random letters and digits, as WeCom's tokens and codes look.
fn random_code(len: usize) -> String {
    use rand::Rng;
    use rand::distr::Alphanumeric;
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}
