//! What the generated client costs over calling `reqwest` by hand.
//!
//! `cargo bench -p tests --bench client_overhead` sends the same request (GET an
//! integration, with a bearer token and a user agent) to the same HTTP/1.1 server on
//! loopback, which answers every request with the reference's example response for
//! `zero_trust.risk_scoring.integrations.get` from `spec/risk_scoring.yaml`. Three clients:
//!
//! - `generated`: `client.zero_trust().risk_scoring().integrations().get(..).await`;
//! - `raw_reqwest`: a hand-written `reqwest` call (same crate, same features: rustls, default
//!   features off) decoding the envelope with `serde_json` into hand-written
//!   `#[derive(Deserialize)]` structs, what one would write without the generator;
//! - `raw_reqwest_generated_types`: the same call decoding into the generated
//!   `types::Integration`, which separates the runtime's cost from the models' cost.
//!
//! Each runs sequentially (one request per iteration) and with 32 requests in flight (32
//! tasks per iteration, on 32 pooled keep-alive connections). Client and server share one
//! single-threaded tokio runtime: no request waits for another core to wake up (on this
//! 2-core VM that wake-up, not the client, would dominate sequential timings and vary with
//! whatever else runs), so a request costs the client's CPU time plus the server's, and
//! the server's is the same for all three. Divan counts requests, so the throughput rows are
//! requests per second, and time per request is time / requests.
//!
//! Note: the `tests` package turns on the generated crate's `tracing` feature for its HTTP
//! tests, and features are per package, so `generated` here includes a disabled `tracing`
//! span per attempt (no subscriber is installed).

use std::net::SocketAddr;

use chrono::{DateTime, Utc};
use cloudflare_risk_scoring::types::Integration;
use cloudflare_risk_scoring::Client;
use divan::counter::ItemsCount;
use divan::Bencher;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;
use tokio::task::JoinSet;
use uuid::Uuid;

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const INTEGRATION: &str = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e";
const TOKEN: &str = "bench-token";
const USER_AGENT: &str = "cloudflare-risk-scoring/0.1.0";
const IN_FLIGHT: usize = 32;

fn main() {
    divan::main();
}

// ---------------------------------------------------------------------------------------
// The three clients.

/// What a person writes without the generator: the envelope and the model as plain serde
/// structs with the fields the API documents (the same the generated client decodes, so
/// both do the same work), unknown keys ignored.
#[derive(Deserialize)]
#[allow(dead_code)] // decoded to be measured, not read
struct HandEnvelope<T> {
    success: bool,
    errors: Vec<HandMessage>,
    messages: Vec<HandMessage>,
    result: T,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandMessage {
    code: i64,
    message: String,
    documentation_url: Option<String>,
    source: Option<HandSource>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandSource {
    pointer: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandIntegration {
    id: Uuid,
    account_tag: String,
    active: bool,
    created_at: DateTime<Utc>,
    integration_type: String,
    reference_id: String,
    tenant_url: String,
    well_known_url: String,
}

#[derive(Clone, Copy, Debug)]
enum Flavour {
    Generated,
    RawReqwest,
    RawReqwestGeneratedTypes,
}

/// A client of one flavour, connected to the shared server.
#[derive(Clone)]
enum AnyClient {
    Generated(Client),
    Raw { http: reqwest::Client, url: String },
}

impl AnyClient {
    fn new(flavour: Flavour, server: SocketAddr) -> AnyClient {
        let base = format!("http://{server}");
        match flavour {
            Flavour::Generated => AnyClient::Generated(
                Client::builder()
                    .base_url(base)
                    .api_token(TOKEN)
                    .build()
                    .expect("the generated client builds"),
            ),
            Flavour::RawReqwest | Flavour::RawReqwestGeneratedTypes => AnyClient::Raw {
                http: reqwest::Client::builder()
                    .user_agent(USER_AGENT)
                    .build()
                    .expect("the reqwest client builds"),
                url: format!(
                    "{base}/accounts/{ACCOUNT}/zt_risk_scoring/integrations/{INTEGRATION}"
                ),
            },
        }
    }

    /// One request, decoded; the integration's id, so nothing is optimised away.
    async fn get(&self, flavour: Flavour) -> Uuid {
        match (self, flavour) {
            (AnyClient::Generated(client), _) => {
                let integration = client
                    .zero_trust()
                    .risk_scoring()
                    .integrations()
                    .get(ACCOUNT, INTEGRATION)
                    .await
                    .expect("the request succeeds");
                integration.id
            }
            (AnyClient::Raw { http, url }, Flavour::RawReqwestGeneratedTypes) => {
                raw_get::<Integration>(http, url).await.id
            }
            (AnyClient::Raw { http, url }, _) => raw_get::<HandIntegration>(http, url).await.id,
        }
    }
}

/// The hand-written call: send, check the status, read the body, decode the envelope.
async fn raw_get<T: DeserializeOwned>(http: &reqwest::Client, url: &str) -> T {
    let response = http
        .get(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .expect("the request succeeds");
    let body = response.bytes().await.expect("the body arrives");
    let envelope: HandEnvelope<T> = serde_json::from_slice(&body).expect("the body decodes");
    envelope.result
}

// ---------------------------------------------------------------------------------------
// The benchmarks.

const FLAVOURS: [Flavour; 3] = [
    Flavour::Generated,
    Flavour::RawReqwest,
    Flavour::RawReqwestGeneratedTypes,
];

/// A single-threaded runtime with the server running on it.
fn runtime_with_server() -> (Runtime, SocketAddr) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the runtime starts");
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port is free");
    let address = listener.local_addr().expect("the listener has an address");
    runtime.spawn(serve(listener, response()));
    (runtime, address)
}

/// One request at a time on one keep-alive connection.
#[divan::bench(args = FLAVOURS)]
fn sequential(bencher: Bencher, flavour: Flavour) {
    let (runtime, server) = runtime_with_server();
    let client = AnyClient::new(flavour, server);
    // Connect before timing: only requests on a warm connection are measured.
    runtime.block_on(client.get(flavour));
    bencher
        .counter(ItemsCount::new(1usize))
        .bench_local(|| runtime.block_on(client.get(flavour)));
}

/// 32 requests at once, each its own task, on up to 32 pooled connections.
#[divan::bench(args = FLAVOURS)]
fn in_flight_32(bencher: Bencher, flavour: Flavour) {
    let (runtime, server) = runtime_with_server();
    let client = AnyClient::new(flavour, server);
    let batch = || {
        let client = client.clone();
        async move {
            let mut tasks = JoinSet::new();
            for _ in 0..IN_FLIGHT {
                let client = client.clone();
                tasks.spawn(async move { client.get(flavour).await });
            }
            let mut last = Uuid::nil();
            while let Some(id) = tasks.join_next().await {
                last = id.expect("the task completes");
            }
            last
        }
    };
    // Open the pool's connections before timing.
    runtime.block_on(batch());
    bencher
        .counter(ItemsCount::new(IN_FLIGHT))
        .bench_local(|| runtime.block_on(batch()));
}

// ---------------------------------------------------------------------------------------
// The server.

/// The whole HTTP response: the reference's example for the operation, as Cloudflare sends
/// it (JSON, with a `cf-ray` header).
fn response() -> &'static [u8] {
    let body = tests::example_response("zero_trust.risk_scoring.integrations.get").to_string();
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         cf-ray: 8f1e2d3c4b5a6978-AMS\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
    .leak()
}

/// Accepts connections for as long as the runtime runs.
async fn serve(listener: TcpListener, response: &'static [u8]) {
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(connection(stream, response));
    }
}

/// Answers every request on the connection with `response` until the client closes it.
/// Requests carry no body (they are GETs), so a request ends at its blank line.
async fn connection(mut stream: TcpStream, response: &'static [u8]) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::with_capacity(4096);
    loop {
        match stream.read_buf(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        while let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            buffer.drain(..end + 4);
            if stream.write_all(response).await.is_err() {
                return;
            }
        }
    }
}
