//! `Client::from_env` against the real process environment. The variants of the
//! environment are unit-tested in the runtime without touching it; this checks that the
//! real variables are the ones read.
//!
//! Changing the environment while another thread reads it is undefined behaviour on some
//! platforms, so this file holds a single test, and the test changes the environment only
//! before anything starts a thread: it binds the mock server's port first, builds every
//! client, restores the environment, and only then starts a runtime and the server.

use std::net::TcpListener;

use cloudflare_risk_scoring::{Client, Error};
use serde_json::json;
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VARIABLES: [&str; 5] = [
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_API_KEY",
    "CLOUDFLARE_EMAIL",
    "CLOUDFLARE_API_USER_SERVICE_KEY",
    "CLOUDFLARE_BASE_URL",
];

/// Builds a client from exactly `vars` (and `CLOUDFLARE_BASE_URL`), leaving the others unset.
fn from_env(base_url: &str, vars: &[(&str, &str)]) -> Result<Client, Error> {
    for name in VARIABLES {
        std::env::remove_var(name);
    }
    std::env::set_var("CLOUDFLARE_BASE_URL", base_url);
    for (name, value) in vars {
        std::env::set_var(name, value);
    }
    Client::from_env()
}

#[test]
fn from_env_reads_the_variables_of_cloudflares_sdks() {
    let saved: Vec<(&str, Option<std::ffi::OsString>)> = VARIABLES
        .iter()
        .map(|name| (*name, std::env::var_os(name)))
        .collect();

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/client/v4", listener.local_addr().unwrap());

    let missing = from_env(&base_url, &[]).unwrap_err();
    let key_alone = from_env(&base_url, &[("CLOUDFLARE_API_KEY", "k")]).unwrap_err();
    let token = from_env(&base_url, &[("CLOUDFLARE_API_TOKEN", "env-token")]);
    let key = from_env(
        &base_url,
        &[
            ("CLOUDFLARE_API_KEY", "env-key"),
            ("CLOUDFLARE_EMAIL", "env@example.com"),
        ],
    );
    let service_key = from_env(
        &base_url,
        &[("CLOUDFLARE_API_USER_SERVICE_KEY", "env-service-key")],
    );
    // With several set, the key and email win, as in Cloudflare's own SDKs.
    let all = from_env(
        &base_url,
        &[
            ("CLOUDFLARE_API_TOKEN", "env-token"),
            ("CLOUDFLARE_API_KEY", "env-key"),
            ("CLOUDFLARE_EMAIL", "env@example.com"),
            ("CLOUDFLARE_API_USER_SERVICE_KEY", "env-service-key"),
        ],
    );
    for (name, value) in saved {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }

    assert!(matches!(missing, Error::Config(_)), "{missing:?}");
    let shown = missing.to_string();
    for name in &VARIABLES[..4] {
        assert!(shown.contains(name), "{shown}");
    }
    assert!(
        key_alone.to_string().contains("CLOUDFLARE_EMAIL"),
        "{key_alone}"
    );

    let clients = [
        ("token", token.unwrap()),
        ("key", key.unwrap()),
        ("service-key", service_key.unwrap()),
        ("all", all.unwrap()),
    ];
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async move {
            let server = MockServer::builder().listener(listener).start().await;
            let route = |account: &str| {
                path(format!(
                    "/client/v4/accounts/{account}/zt_risk_scoring/integrations"
                ))
            };
            let ok =
                ResponseTemplate::new(200).set_body_json(json!({"success": true, "result": []}));
            Mock::given(route("token"))
                .and(header("authorization", "Bearer env-token"))
                .respond_with(ok.clone())
                .expect(1)
                .mount(&server)
                .await;
            for account in ["key", "all"] {
                Mock::given(route(account))
                    .and(header("x-auth-key", "env-key"))
                    .and(header("x-auth-email", "env@example.com"))
                    .respond_with(ok.clone())
                    .expect(1)
                    .mount(&server)
                    .await;
            }
            Mock::given(route("service-key"))
                .and(header("x-auth-user-service-key", "env-service-key"))
                .respond_with(ok)
                .expect(1)
                .mount(&server)
                .await;

            for (account, client) in clients {
                client
                    .zero_trust()
                    .risk_scoring()
                    .integrations()
                    .list(account)
                    .await
                    .unwrap_or_else(|error| panic!("{account}: {error}"));
            }
            let all = server.received_requests().await.unwrap().pop().unwrap();
            assert!(!all.headers.contains_key("authorization"));
            assert!(!all.headers.contains_key("x-auth-user-service-key"));
        });
}
