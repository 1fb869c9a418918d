//! What a member sent the app, read from the decrypted XML (docs 90239 messages, 90240
//! events): a text, an image, a location, a click in the app's menu, or a click on a card's
//! button. Each has an id on its channel, recorded with the change it makes, so a message
//! WeCom delivers again (it retries what is not answered within about 5 s) changes nothing.

use sha2::{Digest, Sha256};

use super::xml::{Fields, XmlError};

#[derive(Debug, Clone, PartialEq)]
pub enum What {
    Text(String),
    /// `MediaId` (usable with WeCom's media API for three days) and `PicUrl`.
    Image {
        media_id: String,
    },
    Location {
        latitude: f64,
        longitude: f64,
    },
    /// A click in the app's custom menu: its key is a command's name.
    MenuClick(String),
    /// A click on a `button_interaction` card.
    CardClick {
        key: String,
        task_id: String,
        response_code: String,
    },
    /// Anything else WeCom tells an app (entering the app, a subscription): not for minyi.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Inbound {
    /// The member's userid (`FromUserName`).
    pub from: String,
    pub agent_id: Option<i64>,
    /// The input's id: a negative number, so it never meets a Telegram update id (those are
    /// positive) in the record of handled inputs.
    pub id: i64,
    pub what: What,
}

/// Reads a decrypted message or event.
pub fn read(fields: &Fields) -> Result<Inbound, XmlError> {
    let from = fields.required("FromUserName")?.to_owned();
    let agent_id = fields.get("AgentID").and_then(|a| a.trim().parse().ok());
    let kind = fields.required("MsgType")?;
    let what = match kind {
        "text" => What::Text(fields.get("Content").unwrap_or_default().to_owned()),
        "image" => What::Image {
            media_id: fields.required("MediaId")?.to_owned(),
        },
        "location" => {
            let number = |name: &'static str| -> Result<f64, XmlError> {
                fields
                    .required(name)?
                    .trim()
                    .parse()
                    .map_err(|_| XmlError::Missing(name))
            };
            What::Location {
                latitude: number("Location_X")?,
                longitude: number("Location_Y")?,
            }
        }
        "event" => match fields.required("Event")? {
            "click" => What::MenuClick(fields.required("EventKey")?.to_owned()),
            "template_card_event" => What::CardClick {
                key: fields.required("EventKey")?.to_owned(),
                task_id: fields.get("TaskId").unwrap_or_default().to_owned(),
                response_code: fields.get("ResponseCode").unwrap_or_default().to_owned(),
            },
            _ => What::Other,
        },
        _ => What::Other,
    };
    let id = match fields.get("MsgId").filter(|m| !m.is_empty()) {
        Some(msg_id) => input_id(&["msg", msg_id]),
        // Events carry no MsgId: WeCom's documentation has them told apart by the member,
        // the time and the event.
        None => input_id(&[
            "event",
            &from,
            fields.get("CreateTime").unwrap_or_default(),
            fields.get("Event").unwrap_or_default(),
            fields.get("EventKey").unwrap_or_default(),
            fields.get("TaskId").unwrap_or_default(),
        ]),
    };
    Ok(Inbound {
        from,
        agent_id,
        id,
        what,
    })
}

/// A stable negative id from the parts that name an input (63 bits of SHA-256).
fn input_id(parts: &[&str]) -> i64 {
    let mut hash = Sha256::new();
    hash.update(b"wecom");
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    let bytes: [u8; 8] = hash.finalize()[..8].try_into().expect("8 bytes");
    let value = (u64::from_be_bytes(bytes) >> 1) as i64;
    -value - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wecom::xml::parse;

    #[test]
    fn the_official_sample_message_is_a_text() {
        let xml = "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\
            <FromUserName><![CDATA[ChenJiaShun]]></FromUserName><CreateTime>1476422779</CreateTime>\
            <MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content>\
            <MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>";
        let inbound = read(&parse(xml).unwrap()).unwrap();
        assert_eq!(inbound.from, "ChenJiaShun");
        assert_eq!(inbound.agent_id, Some(1000002));
        assert_eq!(inbound.what, What::Text("你好".into()));
        assert!(inbound.id < 0);
        // The same message again has the same id; another has another.
        assert_eq!(read(&parse(xml).unwrap()).unwrap().id, inbound.id);
        let other = xml.replace("1456453720", "1456453721");
        assert_ne!(read(&parse(&other).unwrap()).unwrap().id, inbound.id);
    }

    #[test]
    fn card_clicks_and_menu_clicks_are_told_apart_by_time_and_key() {
        let click = |time: &str, key: &str| {
            format!(
                "<xml><FromUserName>u1</FromUserName><CreateTime>{time}</CreateTime>\
                 <MsgType>event</MsgType><Event>template_card_event</Event>\
                 <EventKey>{key}</EventKey><TaskId>t1</TaskId><CardType>button_interaction</CardType>\
                 <ResponseCode>rc1</ResponseCode><AgentID>1</AgentID>\
                 <SelectedItems><SelectedItem><QuestionKey>q</QuestionKey></SelectedItem></SelectedItems></xml>"
            )
        };
        let a = read(&parse(&click("100", "ac:2026-0001")).unwrap()).unwrap();
        assert_eq!(
            a.what,
            What::CardClick {
                key: "ac:2026-0001".into(),
                task_id: "t1".into(),
                response_code: "rc1".into()
            }
        );
        let again = read(&parse(&click("100", "ac:2026-0001")).unwrap()).unwrap();
        assert_eq!(again.id, a.id);
        let later = read(&parse(&click("101", "ac:2026-0001")).unwrap()).unwrap();
        assert_ne!(later.id, a.id);
        let menu = "<xml><FromUserName>u1</FromUserName><CreateTime>100</CreateTime>\
            <MsgType>event</MsgType><Event>click</Event><EventKey>queue</EventKey></xml>";
        let menu = read(&parse(menu).unwrap()).unwrap();
        assert_eq!(menu.what, What::MenuClick("queue".into()));
    }

    #[test]
    fn locations_images_and_other_events() {
        let location = "<xml><FromUserName>u1</FromUserName><MsgType>location</MsgType>\
            <Location_X>31.2304</Location_X><Location_Y>121.4737</Location_Y><MsgId>7</MsgId></xml>";
        let what = read(&parse(location).unwrap()).unwrap().what;
        assert_eq!(
            what,
            What::Location {
                latitude: 31.2304,
                longitude: 121.4737
            }
        );
        let image = "<xml><FromUserName>u1</FromUserName><MsgType>image</MsgType>\
            <PicUrl>http://p/1</PicUrl><MediaId>m1</MediaId><MsgId>8</MsgId></xml>";
        let what = read(&parse(image).unwrap()).unwrap().what;
        assert_eq!(
            what,
            What::Image {
                media_id: "m1".into()
            }
        );
        let enter = "<xml><FromUserName>u1</FromUserName><MsgType>event</MsgType>\
            <Event>enter_agent</Event><CreateTime>1</CreateTime></xml>";
        assert_eq!(read(&parse(enter).unwrap()).unwrap().what, What::Other);
        let broken = "<xml><FromUserName>u1</FromUserName><MsgType>location</MsgType>\
            <Location_X>north</Location_X><Location_Y>1</Location_Y></xml>";
        assert!(read(&parse(broken).unwrap()).is_err());
        let anonymous = "<xml><MsgType>text</MsgType><Content>hi</Content></xml>";
        assert!(read(&parse(anonymous).unwrap()).is_err());
    }
}
