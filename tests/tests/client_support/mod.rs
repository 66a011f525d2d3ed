//! What the `client_*` test files share: a client pointed at a mock server, with retries
//! fast enough that a test runs in milliseconds, and the JSON the API answers with.

// Each test file uses its own share of these.
#![allow(dead_code)]

use std::time::Duration;

use cloudflare_risk_scoring::types::{CreateIntegration, Integration};
use cloudflare_risk_scoring::{Client, ClientBuilder, Error, RetryPolicy};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::{MockServer, Request, ResponseTemplate};

pub const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
pub const USER: &str = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e";
pub const TOKEN: &str = "tok-5ecret-value";

/// The default policy's rules, with waits of a millisecond.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(2))
}

/// A builder for `server` with fast retries and no credentials yet.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .retry_policy(fast_retries())
}

/// A client for `server` that authenticates with [`TOKEN`].
pub fn client(server: &MockServer) -> Client {
    builder(server)
        .api_token(TOKEN)
        .build()
        .expect("the client builds")
}

/// A successful envelope around `result`.
pub fn envelope(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

/// A 200 answer with a successful envelope around `result`.
pub fn ok(result: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(envelope(result))
}

/// An integration as the API returns it.
pub fn integration_json() -> Value {
    json!({
        "id": USER,
        "account_tag": "account_tag",
        "active": true,
        "created_at": "2024-01-02T03:04:05Z",
        "integration_type": "Okta",
        "reference_id": "idp-1",
        "tenant_url": "https://tenant.okta.com",
        "well_known_url": "/.well-known/sse-configuration/182bd5e5/"
    })
}

/// The body of a create call.
pub fn new_integration() -> CreateIntegration {
    CreateIntegration::new("https://tenant.okta.com")
}

pub async fn list(client: &Client) -> Result<Vec<Integration>, Error> {
    client
        .zero_trust()
        .risk_scoring()
        .integrations()
        .list(ACCOUNT)
        .await
}

pub async fn create(client: &Client) -> Result<Integration, Error> {
    client
        .zero_trust()
        .risk_scoring()
        .integrations()
        .create(ACCOUNT, &new_integration())
        .await
}

/// Every request `server` has received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// A server on loopback that reads each request's head, writes `response` (raw HTTP, which
/// may stop anywhere: in the headers, or in a body it never finishes) and then keeps the
/// connection open without another byte, as a server still at work would. For what
/// wiremock cannot send. Returns the server's URL; it runs until the test's runtime ends.
pub async fn stalling_server(response: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut buffer = [0; 4096];
            while !head.windows(4).any(|window| window == b"\r\n\r\n") {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buffer[..n]),
                }
            }
            let _ = stream.write_all(&response).await;
            open.push(stream);
        }
    });
    url
}
