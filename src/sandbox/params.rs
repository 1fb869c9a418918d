//! A method's parameters, from any of the encodings the Bot API accepts: a JSON body (what
//! teloxide sends), `multipart/form-data` (teloxide's file uploads), a URL-encoded form, or
//! the query string. Form values are all strings, so the accessors read numbers and JSON
//! objects leniently.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{FromRequest, Multipart, Query, Request};
use axum::http::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use super::methods::Failure;

#[derive(Debug, Default)]
pub(super) struct Params {
    fields: Map<String, Value>,
    /// Uploaded files by part name: (file name, size in bytes).
    files: HashMap<String, (String, usize)>,
}

/// A file parameter: an upload, or a file_id or URL the sandbox takes at its word.
pub(super) struct FileRef {
    pub name: Option<String>,
    pub size: Option<usize>,
}

impl Params {
    pub(super) async fn read(request: Request) -> Result<Params, Failure> {
        let mut params = Params::default();
        if let Ok(Query(query)) = Query::<HashMap<String, String>>::try_from_uri(request.uri()) {
            params.add_strings(query);
        }
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            let multipart = Multipart::from_request(request, &())
                .await
                .map_err(|_| Failure::bad_request("invalid multipart body"))?;
            params.add_multipart(multipart).await?;
            return Ok(params);
        }
        if content_type.starts_with("application/x-www-form-urlencoded") {
            let Form(form) = Form::<HashMap<String, String>>::from_request(request, &())
                .await
                .map_err(|_| Failure::bad_request("invalid form body"))?;
            params.add_strings(form);
            return Ok(params);
        }
        let body = axum::body::to_bytes(request.into_body(), usize::MAX)
            .await
            .map_err(|_| Failure::bad_request("can't read the request body"))?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(params);
        }
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(fields)) => params.fields.extend(fields),
            _ => return Err(Failure::bad_request("can't parse JSON object")),
        }
        Ok(params)
    }

    fn add_strings(&mut self, pairs: HashMap<String, String>) {
        self.fields.extend(
            pairs
                .into_iter()
                .map(|(key, value)| (key, Value::String(value))),
        );
    }

    async fn add_multipart(&mut self, mut multipart: Multipart) -> Result<(), Failure> {
        let broken = |_| Failure::bad_request("invalid multipart body");
        while let Some(field) = multipart.next_field().await.map_err(broken)? {
            let name = field.name().unwrap_or_default().to_owned();
            match field.file_name().map(str::to_owned) {
                Some(file_name) => {
                    let size = field.bytes().await.map_err(broken)?.len();
                    self.files.insert(name, (file_name, size));
                }
                None => {
                    let text = field.text().await.map_err(broken)?;
                    self.fields.insert(name, Value::String(text));
                }
            }
        }
        Ok(())
    }

    pub(super) fn str(&self, key: &str) -> Option<&str> {
        self.fields.get(key).and_then(Value::as_str)
    }

    /// A boolean, whether sent as JSON or as the string `true`.
    pub(super) fn flag(&self, key: &str) -> bool {
        match self.fields.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s == "true",
            _ => false,
        }
    }

    /// An integer, whether sent as a JSON number or as a string.
    pub(super) fn int(&self, key: &str) -> Option<i64> {
        match self.fields.get(key)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A JSON object or array, whether sent as JSON or as a string holding JSON.
    pub(super) fn json(&self, key: &str) -> Option<Value> {
        match self.fields.get(key)? {
            Value::String(s) => serde_json::from_str(s).ok(),
            Value::Null => None,
            other => Some(other.clone()),
        }
    }

    /// A file parameter. teloxide sends `attach://<part>` and the file in that part; other
    /// clients put the file in a part named after the parameter.
    pub(super) fn file(&self, key: &str) -> Option<FileRef> {
        let upload = |part: &str| {
            self.files.get(part).map(|(name, size)| FileRef {
                name: Some(name.clone()),
                size: Some(*size),
            })
        };
        match self.str(key) {
            Some(value) => match value.strip_prefix("attach://") {
                Some(part) => upload(part),
                None => Some(FileRef {
                    name: None,
                    size: None,
                }),
            },
            None => upload(key),
        }
    }
}
