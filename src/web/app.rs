//! The board's routes and what they share.
//!
//! | path | who | what |
//! |---|---|---|
//! | `GET /web` | anyone | how to sign in |
//! | `GET, POST /web/in/{token}` | anyone with a link | the one-time link: a button, then the session |
//! | `GET /web/app`, `POST /web/app` | Telegram | the Mini App: its script posts `initData` |
//! | `GET /web/login` | Telegram | Telegram Login's redirect (widget or `LoginUrl` button) |
//! | `POST /web/out` | signed in | signing out |
//! | `GET /board` | signed in | the traffic-light board, with filters |
//! | `GET, POST /s/{no}` | signed in | a suggestion, and its next steps as forms |
//! | `GET /record/{code}?year=YYYY` | the deputy; clerks and chairs above them | a deputy's performance file (履职档案) of a year |
//! | `GET /reports`, `GET /reports/{chart.png,ledger.xlsx,ledger.csv,monthly.xlsx}` | clerks, secretaries, chairs, admins | an org's month: figures, chart, downloads |
//! | `GET /wall/{org}[/{no}]` | anyone | the public wall (回音壁) of an org that opted in |
//! | `GET /web/static/…` | anyone | the one stylesheet and the one script |
//!
//! Every page is rendered here from the same repository calls as the chat commands: the
//! board is [`crate::storage::Repository::board`], a form is
//! [`crate::storage::Repository::act`], so a step taken on the web is checked, recorded and
//! pushed exactly as in chat.

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use super::session::Limiter;
use super::{assets, board, item, record, reports, session, wall};
use crate::clock::Clock;
use crate::config::{Config, Secret};
use crate::storage::{LoopPolicy, Repository};

/// What every route reads.
pub struct WebApp {
    pub repo: Arc<dyn Repository>,
    pub config: Arc<Config>,
    pub policy: LoopPolicy,
    pub clock: Arc<dyn Clock>,
    /// The bot's token, which signs a Mini App's launch and a Telegram Login; without it
    /// those two sign-ins are refused and the one-time link still works.
    pub bot_token: Option<Secret>,
    pub(super) limiter: Limiter,
}

impl WebApp {
    pub fn new(
        repo: Arc<dyn Repository>,
        config: Arc<Config>,
        clock: Arc<dyn Clock>,
    ) -> Arc<WebApp> {
        Arc::new(WebApp {
            repo,
            policy: config.loop_policy(),
            bot_token: config.telegram_token.clone(),
            config,
            clock,
            limiter: Limiter::default(),
        })
    }

    /// Whether cookies may travel over plain http: only when the board's address says so
    /// (a test or `minyi demo`); a deployment serves https and marks them `Secure`.
    pub(super) fn secure_cookies(&self) -> bool {
        !self.config.web.plain_http()
    }
}

/// The board's and the wall's routes, for the service's HTTP listener.
pub fn router(app: Arc<WebApp>) -> Router {
    Router::new()
        .route("/web", get(session::sign_in_help))
        .route(
            "/web/in/{token}",
            get(session::link_page).post(session::link_sign_in),
        )
        .route(
            "/web/app",
            get(session::mini_app).post(session::mini_app_sign_in),
        )
        .route("/web/login", get(session::telegram_login))
        .route("/web/out", post(session::sign_out))
        .route("/web/static/minyi.css", get(assets::stylesheet))
        .route("/web/static/minyi.js", get(assets::script))
        .route("/board", get(board::page))
        .route("/s/{no}", get(item::page).post(item::step))
        .route("/record/{code}", get(record::page))
        .route("/reports", get(reports::page))
        .route("/reports/chart.png", get(reports::chart))
        .route("/reports/ledger.xlsx", get(reports::ledger_xlsx))
        .route("/reports/ledger.csv", get(reports::ledger_csv))
        .route("/reports/monthly.xlsx", get(reports::monthly_xlsx))
        .route("/wall/{org}", get(wall::page))
        .route("/wall/{org}/{no}", get(wall::entry))
        .with_state(app)
}
