//! The HTTP side of the WeCom sandbox: the four `/cgi-bin` calls minyi makes, each answered
//! with HTTP 200 and WeCom's `{errcode, errmsg, …}` as WeCom answers, refusals included.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::Shared;
use super::validate::{self, Refusal, errcode, refuse};

type Params = Query<HashMap<String, String>>;

/// Serves until the task is aborted.
pub(super) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let router = Router::new()
        .route("/cgi-bin/gettoken", get(gettoken))
        .route("/cgi-bin/message/send", post(send))
        .route("/cgi-bin/message/update_template_card", post(update_card))
        .route("/cgi-bin/menu/create", post(menu))
        .fallback(|| async {
            (StatusCode::NOT_FOUND, "not a call the sandbox plays").into_response()
        })
        .with_state(shared);
    if let Err(error) = axum::serve(listener, router).await {
        tracing::warn!(%error, "wecom sandbox: the server stopped");
    }
}

async fn gettoken(State(shared): State<Arc<Shared>>, Query(params): Params) -> Response {
    let options = &shared.options;
    let answer = if params.get("corpid") != Some(&options.corp_id) {
        refuse(errcode::INVALID_CORPID, "invalid corpid")
    } else if params.get("corpsecret") != Some(&options.secret) {
        refuse(errcode::INVALID_SECRET, "invalid credential")
    } else {
        let lifetime = Duration::from_secs(options.expires_in);
        let (token, expires_in) = shared.state().token(Instant::now(), lifetime);
        Ok(json!({
            "errcode": 0,
            "errmsg": "ok",
            "access_token": token,
            "expires_in": expires_in,
        }))
    };
    answered(answer)
}

async fn send(State(shared): State<Arc<Shared>>, Query(params): Params, body: Bytes) -> Response {
    let now = Instant::now();
    let answer = authorized(&shared, &params, &body, now).and_then(|body| {
        let mut state = shared.state();
        if state.failing > 0 {
            state.failing -= 1;
            return refuse(errcode::FREQ_LIMIT, "api freq out of limit");
        }
        let send = validate::send(&body, shared.options.agent_id)?;
        state.deliver(send, &shared.options.members, shared.limits(), now)
    });
    answered(answer)
}

async fn update_card(
    State(shared): State<Arc<Shared>>,
    Query(params): Params,
    body: Bytes,
) -> Response {
    let now = Instant::now();
    let answer = authorized(&shared, &params, &body, now).and_then(|body| {
        let update = validate::update(&body, shared.options.agent_id)?;
        let invalid = shared
            .state()
            .update_card(update, &shared.options.members, now)?;
        // Arrays here too, as the request's.
        Ok(json!({ "errcode": 0, "errmsg": "ok", "invaliduser": invalid }))
    });
    answered(answer)
}

async fn menu(State(shared): State<Arc<Shared>>, Query(params): Params, body: Bytes) -> Response {
    let now = Instant::now();
    let answer = authorized(&shared, &params, &body, now).and_then(|body| {
        let agent = params.get("agentid").and_then(|a| a.parse::<i64>().ok());
        if agent != Some(shared.options.agent_id) {
            return refuse(errcode::INVALID_AGENTID, "invalid agentid");
        }
        validate::menu(&body)?;
        shared.state().menus.push(body);
        Ok(json!({ "errcode": 0, "errmsg": "ok" }))
    });
    answered(answer)
}

/// The body of a call whose access_token is good, as JSON.
fn authorized(
    shared: &Shared,
    params: &HashMap<String, String>,
    body: &[u8],
    now: Instant,
) -> Result<Value, Refusal> {
    let token = params.get("access_token").map(String::as_str);
    shared.state().check_token(token, now)?;
    serde_json::from_slice(body).or_else(|_| refuse(errcode::NOT_JSON, "invalid json"))
}

fn answered(answer: Result<Value, Refusal>) -> Response {
    let body = answer
        .unwrap_or_else(|refusal| json!({ "errcode": refusal.errcode, "errmsg": refusal.errmsg }));
    Json(body).into_response()
}
