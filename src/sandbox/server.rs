//! The HTTP side: an accept loop serving HTTP/1 with hyper, and one axum handler for
//! `/bot{token}/{method}` that records the call and answers it.
//!
//! hyper is driven directly rather than through `axum::serve` for one reason: a dropped
//! connection. A hyper service that fails makes hyper close the connection without writing a
//! response, which is what a client sees when a proxy or the network drops a request.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::any;
use hyper::server::conn::http1;
use hyper::service::{Service, service_fn};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::methods::{self, Answer, Failure};
use super::params::Params;
use super::{Call, Shared, validate};

/// What nginx in front of the Bot API answers while the Bot API is down.
const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
    <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n";

/// Marks a response that must not be sent: the connection is closed instead.
#[derive(Clone, Copy, Debug)]
struct HangUp;

impl std::fmt::Display for HangUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for HangUp {}

/// Serves until the task is aborted; aborting drops the `JoinSet`, which closes every
/// connection, long polls included.
pub(super) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let router = Router::new()
        .route("/{bot}/{method}", any(handle))
        .fallback(|| async {
            failed(&Failure {
                status: 404,
                description: "Not Found".to_owned(),
                retry_after: None,
            })
        })
        .with_state(shared);
    let mut connections = JoinSet::new();
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of file descriptors and the like: wait instead of spinning.
                tracing::warn!(%error, "sandbox: accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let routed = TowerToHyperService::new(router.clone());
        let service = service_fn(move |request| {
            let answered = routed.call(request);
            async move {
                let response = answered.await.unwrap_or_else(|never| match never {});
                match response.extensions().get::<HangUp>() {
                    Some(&hang_up) => Err(hang_up),
                    None => Ok(response),
                }
            }
        });
        connections.spawn(async move {
            // A connection ending in an error is a client going away or a HangUp: nothing to do.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        while connections.try_join_next().is_some() {}
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    Path((bot, method)): Path<(String, String)>,
    request: Request,
) -> Response {
    let received = Instant::now();
    // teloxide writes `SendMessage`, Telegram documents `sendMessage`; both are the same method.
    let method = method.to_ascii_lowercase();
    let params = Params::read(request).await;
    let index = {
        let mut state = shared.state();
        state
            .calls
            .push(call(&method, params.as_ref().ok(), received));
        state.calls.len() - 1
    };
    let answer = match params {
        _ if bot.strip_prefix("bot") != Some(shared.token.as_str()) => {
            Answer::Failed(Failure::unauthorized())
        }
        Err(failure) => Answer::Failed(failure),
        Ok(params) => methods::answer(&shared, &method, &params).await,
    };
    shared.state().calls[index].status = answer.status();
    match answer {
        Answer::Done(result) => Json(json!({ "ok": true, "result": result })).into_response(),
        Answer::Failed(failure) => failed(&failure),
        Answer::BadGateway => (StatusCode::BAD_GATEWAY, Html(BAD_GATEWAY_PAGE)).into_response(),
        Answer::HangUp => {
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(HangUp);
            response
        }
    }
}

fn failed(failure: &Failure) -> Response {
    let status = StatusCode::from_u16(failure.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(failure.body())).into_response()
}

/// The record of a call, from whatever parameters could be read.
fn call(method: &str, params: Option<&Params>, received: Instant) -> Call {
    let file = params.and_then(|p| p.file("photo").or_else(|| p.file("document")));
    Call {
        method: method.to_owned(),
        chat_id: params.and_then(|p| p.int("chat_id")),
        text: params
            .and_then(|p| p.str("text").or_else(|| p.str("caption")))
            .map(str::to_owned),
        parse_mode: params.and_then(|p| p.str("parse_mode")).map(str::to_owned),
        buttons: params
            .map(|p| validate::buttons(p.json("reply_markup").as_ref()))
            .unwrap_or_default(),
        file_name: file.as_ref().and_then(|f| f.name.clone()),
        file_size: file.and_then(|f| f.size),
        status: 0,
        at: received.into_std(),
    }
}
