//! Counting what a filing costs the database, measured rather than read off the code:
//!
//! - statements: every statement sqlx runs logs one event at the target `sqlx::query`; a
//!   tracing layer counts them while [`Statements::counting`] is on (and asks sqlx for nothing
//!   otherwise, so the timed runs pay no logging). sqlx logs no event for a transaction's
//!   `BEGIN`/`COMMIT` on SQLite (they are commands to its connection's thread), nor for the
//!   pool's liveness ping on either backend;
//! - PostgreSQL's round trips: a loopback proxy between the pool and the server reads the
//!   client's side of the wire protocol and counts each message the client then waits on
//!   (a simple `Query`, a `Sync` after an extended-protocol batch, a ping's bare `Sync`), the
//!   statements run (`Execute` and simple `Query`) and the statements prepared (`Parse`).
//!
//! Included with `#[path]` by the benches that use it (not from `common/mod.rs`, which every
//! bench compiles).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};
use tracing_subscriber::layer::Context;

static COUNTING: AtomicBool = AtomicBool::new(false);
static STATEMENTS: AtomicU64 = AtomicU64::new(0);

/// sqlx's statement log target.
const TARGET: &str = "sqlx::query";

/// The layer that counts sqlx's statement events; install it once with [`Statements::install`].
pub struct Statements;

impl Statements {
    pub fn install() {
        use tracing_subscriber::layer::SubscriberExt;
        let subscriber = tracing_subscriber::registry().with(Statements);
        tracing::subscriber::set_global_default(subscriber).expect("one subscriber");
    }

    /// Counts the statements `work` runs (nothing else may run meanwhile).
    pub async fn counting<T>(work: impl AsyncFnOnce() -> T) -> (T, u64) {
        let before = STATEMENTS.load(Ordering::SeqCst);
        COUNTING.store(true, Ordering::SeqCst);
        let out = work().await;
        COUNTING.store(false, Ordering::SeqCst);
        (out, STATEMENTS.load(Ordering::SeqCst) - before)
    }
}

impl<S: Subscriber> tracing_subscriber::Layer<S> for Statements {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if meta.target() == TARGET {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>, _: Context<'_, S>) -> bool {
        meta.target() == TARGET && COUNTING.load(Ordering::Relaxed)
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == TARGET {
            STATEMENTS.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// What the client side of PostgreSQL's wire protocol carried through a [`Wire`].
#[derive(Debug, Default, Clone, Copy)]
pub struct WireCount {
    /// Messages the client waits on the server's answer to: `Query` and `Sync`.
    pub round_trips: u64,
    /// Statements run: `Execute` and simple `Query`.
    pub statements: u64,
    /// Statements prepared (`Parse`): none once each connection's cache is warm.
    pub prepared: u64,
}

#[derive(Default)]
struct Counters {
    round_trips: AtomicU64,
    statements: AtomicU64,
    prepared: AtomicU64,
}

/// A loopback proxy to a PostgreSQL server that counts the client's messages.
pub struct Wire {
    port: u16,
    counters: Arc<Counters>,
}

impl Wire {
    pub async fn start(upstream: (String, u16)) -> Wire {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let counters = Arc::new(Counters::default());
        let shared = Arc::clone(&counters);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let server = TcpStream::connect((upstream.0.as_str(), upstream.1))
                    .await
                    .expect("postgres");
                tokio::spawn(relay(client, server, Arc::clone(&shared)));
            }
        });
        Wire { port, counters }
    }

    /// A proxy to the server of `url`, and a pool through it on `schema`: its connections are
    /// new, so their first statements are prepared again.
    pub async fn pool(url: &str, schema: &str) -> (Wire, sqlx::PgPool) {
        use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgSslMode};
        let options: PgConnectOptions = url.parse().expect("postgres url");
        let wire = Wire::start((options.get_host().to_string(), options.get_port())).await;
        let pool = PgPoolOptions::new()
            .connect_with(
                options
                    .host("127.0.0.1")
                    .port(wire.port)
                    // The proxy reads the protocol: it must pass in the clear.
                    .ssl_mode(PgSslMode::Disable)
                    .options([("search_path", schema)]),
            )
            .await
            .expect("through the proxy");
        (wire, pool)
    }

    pub fn count(&self) -> WireCount {
        WireCount {
            round_trips: self.counters.round_trips.load(Ordering::SeqCst),
            statements: self.counters.statements.load(Ordering::SeqCst),
            prepared: self.counters.prepared.load(Ordering::SeqCst),
        }
    }
}

impl std::ops::Sub for WireCount {
    type Output = WireCount;
    fn sub(self, before: WireCount) -> WireCount {
        WireCount {
            round_trips: self.round_trips - before.round_trips,
            statements: self.statements - before.statements,
            prepared: self.prepared - before.prepared,
        }
    }
}

/// Copies both ways; the client's bytes are parsed into messages as they pass.
async fn relay(client: TcpStream, server: TcpStream, counters: Arc<Counters>) {
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = server.into_split();
    let down = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut from_server, &mut to_client).await;
    });
    let mut pending: Vec<u8> = Vec::new();
    // The first messages (an SSL request, then the startup message) have no type byte.
    let mut started = false;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match from_client.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if to_server.write_all(&chunk[..n]).await.is_err() {
            break;
        }
        pending.extend_from_slice(&chunk[..n]);
        loop {
            let header = if started { 5 } else { 4 };
            if pending.len() < header {
                break;
            }
            let at = header - 4;
            let len = u32::from_be_bytes(pending[at..at + 4].try_into().expect("4 bytes")) as usize;
            if pending.len() < at + len {
                break;
            }
            if started {
                let counter = match pending[0] {
                    b'Q' => {
                        counters.statements.fetch_add(1, Ordering::Relaxed);
                        Some(&counters.round_trips)
                    }
                    b'S' => Some(&counters.round_trips),
                    b'E' => Some(&counters.statements),
                    b'P' => Some(&counters.prepared),
                    _ => None,
                };
                if let Some(c) = counter {
                    c.fetch_add(1, Ordering::Relaxed);
                }
            } else {
                // 80877103: SSLRequest, 80877104: GSSENCRequest; anything else starts up.
                let code = u32::from_be_bytes(pending[4..8].try_into().expect("4 bytes"));
                started = code != 80_877_103 && code != 80_877_104;
            }
            pending.drain(..at + len);
        }
    }
    down.abort();
}
