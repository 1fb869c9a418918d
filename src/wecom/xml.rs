//! WeCom's XML: a root element whose children each hold one value, as text or CDATA
//! (`<xml><ToUserName><![CDATA[ww…]]></ToUserName><CreateTime>1348831860</CreateTime>…</xml>`).
//! Only the root's direct children are read; deeper elements (a card's `SelectedItems`) are
//! skipped. A DOCTYPE is refused: WeCom never sends one, and entities are not expanded.

use std::collections::BTreeMap;

use quick_xml::events::{BytesCData, BytesEnd, BytesStart, BytesText, Event};

/// Why a body is not WeCom's XML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("not well-formed XML: {0}")]
    Malformed(String),
    #[error("a DOCTYPE is not accepted")]
    DocType,
    #[error("no root element")]
    NoRoot,
    #[error("the field {0} is missing")]
    Missing(&'static str),
}

/// The values of a document's root's children, by element name. A name given twice keeps
/// its first value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(BTreeMap<String, String>);

impl Fields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A field that must be there, with a value.
    pub fn required(&self, name: &'static str) -> Result<&str, XmlError> {
        self.get(name)
            .filter(|v| !v.is_empty())
            .ok_or(XmlError::Missing(name))
    }
}

/// Reads the root's children of a document.
pub fn parse(xml: &str) -> Result<Fields, XmlError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let malformed = |e: &dyn std::fmt::Display| XmlError::Malformed(e.to_string());
    let mut fields = BTreeMap::new();
    let mut depth = 0usize;
    let mut root = false;
    // The child being read and its text so far.
    let mut current: Option<(String, String)> = None;
    loop {
        match reader.read_event().map_err(|e| malformed(&e))? {
            Event::Start(start) => {
                depth += 1;
                match depth {
                    1 => root = true,
                    2 => current = Some((name_of(&start)?, String::new())),
                    _ => {}
                }
            }
            Event::Empty(start) => match depth {
                0 => root = true,
                1 => {
                    fields.entry(name_of(&start)?).or_insert_with(String::new);
                }
                _ => {}
            },
            Event::End(_) => {
                if depth == 2
                    && let Some((name, value)) = current.take()
                {
                    fields.entry(name).or_insert(value);
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(text) if depth == 2 => {
                let text = text.unescape().map_err(|e| malformed(&e))?;
                if let Some((_, value)) = current.as_mut() {
                    value.push_str(&text);
                }
            }
            Event::CData(data) if depth == 2 => {
                let text = data.decode().map_err(|e| malformed(&e))?;
                if let Some((_, value)) = current.as_mut() {
                    value.push_str(&text);
                }
            }
            Event::DocType(_) => return Err(XmlError::DocType),
            Event::Eof => break,
            Event::Text(_)
            | Event::CData(_)
            | Event::Comment(_)
            | Event::Decl(_)
            | Event::PI(_) => {}
        }
    }
    if !root {
        return Err(XmlError::NoRoot);
    }
    // Values are trimmed of the whitespace of indented documents; CDATA keeps the rest.
    Ok(Fields(
        fields
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_owned()))
            .collect(),
    ))
}

fn name_of(start: &BytesStart<'_>) -> Result<String, XmlError> {
    std::str::from_utf8(start.name().as_ref())
        .map(str::to_owned)
        .map_err(|e| XmlError::Malformed(e.to_string()))
}

/// One value of a document that minyi (or the sandbox playing WeCom) writes.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    /// Written as CDATA, as WeCom writes strings.
    Text(&'a str),
    /// Written as is, as WeCom writes numbers.
    Number(i64),
}

/// A document `<xml>…</xml>` with these children, in order.
pub fn document(fields: &[(&str, Value<'_>)]) -> String {
    let mut writer = quick_xml::Writer::new(Vec::new());
    let write = |writer: &mut quick_xml::Writer<Vec<u8>>, event: Event<'_>| {
        writer.write_event(event).expect("writing to memory");
    };
    write(&mut writer, Event::Start(BytesStart::new("xml")));
    for (name, value) in fields {
        write(&mut writer, Event::Start(BytesStart::new(*name)));
        match value {
            // A "]]>" inside is split over two sections, as XML requires.
            Value::Text(text) => {
                for part in BytesCData::escaped(text) {
                    write(&mut writer, Event::CData(part));
                }
            }
            Value::Number(n) => write(&mut writer, Event::Text(BytesText::new(&n.to_string()))),
        }
        write(&mut writer, Event::End(BytesEnd::new(*name)));
    }
    write(&mut writer, Event::End(BytesEnd::new("xml")));
    String::from_utf8(writer.into_inner()).expect("UTF-8 in, UTF-8 out")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_reads_by_field() {
        let xml = "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n\
                   <FromUserName><![CDATA[ChenJiaShun]]></FromUserName>\n\
                   <CreateTime>1476422779</CreateTime>\n\
                   <MsgType><![CDATA[text]]></MsgType>\n\
                   <Content><![CDATA[你好 <b>&amp;</b>]]></Content>\n\
                   <MsgId>1456453720</MsgId><AgentID>1000002</AgentID>\n\
                   <SelectedItems><SelectedItem><QuestionKey><![CDATA[q]]></QuestionKey></SelectedItem></SelectedItems>\n\
                   <Empty/></xml>";
        let fields = parse(xml).unwrap();
        assert_eq!(fields.get("FromUserName"), Some("ChenJiaShun"));
        assert_eq!(fields.get("Content"), Some("你好 <b>&amp;</b>"));
        assert_eq!(fields.get("MsgId"), Some("1456453720"));
        assert_eq!(fields.get("Empty"), Some(""));
        assert_eq!(fields.get("QuestionKey"), None);
        assert_eq!(fields.required("Empty"), Err(XmlError::Missing("Empty")));
    }

    #[test]
    fn escaped_text_is_read_as_meant() {
        let fields = parse("<xml><Content>a &lt; b &amp;&amp; c</Content></xml>").unwrap();
        assert_eq!(fields.get("Content"), Some("a < b && c"));
    }

    #[test]
    fn what_is_not_a_document_is_refused() {
        assert!(matches!(
            parse("<xml><a></b></xml>"),
            Err(XmlError::Malformed(_))
        ));
        assert_eq!(parse(""), Err(XmlError::NoRoot));
        assert_eq!(parse("just text"), Err(XmlError::NoRoot));
        let entity =
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><a>&e;</a></xml>";
        assert_eq!(parse(entity), Err(XmlError::DocType));
        assert!(matches!(
            parse("<xml><a>&e;</a></xml>"),
            Err(XmlError::Malformed(_))
        ));
    }

    #[test]
    fn a_written_document_reads_back() {
        let tricky = "x]]>y <z> & 你好";
        let xml = document(&[
            ("Content", Value::Text(tricky)),
            ("CreateTime", Value::Number(1_700_000_000)),
        ]);
        let fields = parse(&xml).unwrap();
        assert_eq!(fields.get("Content"), Some(tricky));
        assert_eq!(fields.get("CreateTime"), Some("1700000000"));
    }
}
