//! The board's one stylesheet and one script, compiled into the binary: office intranets
//! often have no internet, so nothing comes from elsewhere.

use axum::http::header;
use axum::response::{IntoResponse, Response};

const STYLESHEET: &str = include_str!("static/minyi.css");
const SCRIPT: &str = include_str!("static/minyi.js");

/// An hour in caches: a new version of minyi is picked up soon after an upgrade.
const CACHE: &str = "public, max-age=3600";

pub(super) async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", STYLESHEET)
}

pub(super) async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, CACHE),
        ],
        body,
    )
        .into_response();
    super::page::protect(&mut response);
    response
}
