//! Configuring a client: credentials and the headers they become, the base URL, the
//! `User-Agent`, a caller's own `reqwest` client, and what each call can override.

mod client_support;

use std::future::IntoFuture;
use std::time::{Duration, Instant};

use client_support::*;
use cloudflare_risk_scoring::{Client, Error};
use serde_json::json;
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CREDENTIAL_HEADERS: [&str; 4] = [
    "authorization",
    "x-auth-key",
    "x-auth-email",
    "x-auth-user-service-key",
];

/// Lists integrations with `client` and returns the credential headers the server saw.
async fn credentials_sent(server: &MockServer, client: &Client) -> Vec<(String, String)> {
    Mock::given(any())
        .respond_with(ok(json!([])))
        .expect(1)
        .mount(server)
        .await;
    list(client).await.expect("the call succeeds");
    let request = received(server).await.remove(0);
    CREDENTIAL_HEADERS
        .iter()
        .filter_map(|name| {
            let value = request.headers.get(*name)?;
            Some((name.to_string(), value.to_str().ok()?.to_owned()))
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

#[tokio::test]
async fn an_api_token_is_sent_as_a_bearer_token_and_nothing_else() {
    let server = MockServer::start().await;
    let client = builder(&server).api_token(TOKEN).build().unwrap();
    assert_eq!(
        credentials_sent(&server, &client).await,
        pairs(&[("authorization", &format!("Bearer {TOKEN}"))])
    );
}

#[tokio::test]
async fn an_api_key_is_sent_with_its_email_and_nothing_else() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .api_key("key-5ecret", "me@example.com")
        .build()
        .unwrap();
    assert_eq!(
        credentials_sent(&server, &client).await,
        pairs(&[
            ("x-auth-key", "key-5ecret"),
            ("x-auth-email", "me@example.com")
        ])
    );
}

#[tokio::test]
async fn a_user_service_key_is_sent_in_its_own_header_and_nothing_else() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .user_service_key("v1.0-5ecret")
        .build()
        .unwrap();
    assert_eq!(
        credentials_sent(&server, &client).await,
        pairs(&[("x-auth-user-service-key", "v1.0-5ecret")])
    );
}

#[tokio::test]
async fn the_last_credentials_given_are_the_ones_used() {
    let server = MockServer::start().await;
    let client = builder(&server)
        .api_key("key-5ecret", "me@example.com")
        .api_token(TOKEN)
        .build()
        .unwrap();
    assert_eq!(
        credentials_sent(&server, &client).await,
        pairs(&[("authorization", &format!("Bearer {TOKEN}"))])
    );
}

#[tokio::test]
async fn every_request_names_this_crate_and_its_version() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(json!([])))
        .mount(&server)
        .await;
    list(&client(&server)).await.unwrap();

    let request = received(&server).await.remove(0);
    let user_agent = request.headers["user-agent"].to_str().unwrap().to_owned();
    let version = user_agent
        .strip_prefix("cloudflare-risk-scoring/")
        .unwrap_or_else(|| panic!("{user_agent}"));
    assert!(
        !version.is_empty() && version.split('.').all(|part| part.parse::<u64>().is_ok()),
        "{user_agent}"
    );
}

#[tokio::test]
async fn bodies_are_sent_as_json_and_answers_asked_for_as_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/accounts/{ACCOUNT}/zt_risk_scoring/integrations"
        )))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(body_json(
            json!({"integration_type": "Okta", "tenant_url": "https://tenant.okta.com"}),
        ))
        .respond_with(ok(integration_json()))
        .expect(1)
        .mount(&server)
        .await;
    let created = create(&client(&server)).await.unwrap();
    assert_eq!(created.reference_id, "idp-1");
}

#[tokio::test]
async fn the_base_url_keeps_its_path_with_or_without_a_trailing_slash() {
    let server = MockServer::start().await;
    let expected = format!("/client/v4/accounts/{ACCOUNT}/zt_risk_scoring/summary");
    Mock::given(method("GET"))
        .and(path(expected.as_str()))
        .respond_with(ok(json!({"users": []})))
        .expect(2)
        .mount(&server)
        .await;
    for base_url in [
        format!("{}/client/v4", server.uri()),
        format!("{}/client/v4/", server.uri()),
    ] {
        let client = Client::builder()
            .base_url(&base_url)
            .api_token(TOKEN)
            .build()
            .unwrap();
        let summary = client
            .zero_trust()
            .risk_scoring()
            .summary()
            .get(ACCOUNT)
            .await
            .unwrap();
        assert!(summary.users.is_empty());
    }
    for request in received(&server).await {
        assert_eq!(request.url.path(), expected);
    }
}

#[test]
fn the_default_base_url_is_cloudflares() {
    let client = Client::builder().api_token(TOKEN).build().unwrap();
    let shown = format!("{client:?}");
    assert!(
        shown.contains("\"https://api.cloudflare.com/client/v4\""),
        "{shown}"
    );
}

#[test]
fn bad_configuration_is_an_error_from_build_never_a_panic() {
    let config_error = |result: Result<Client, Error>| match result {
        Err(error @ Error::Config(_)) => error.to_string(),
        other => panic!("expected a configuration error, got {other:?}"),
    };

    let shown = config_error(Client::builder().build());
    assert!(shown.contains("no credentials"), "{shown}");

    for url in [
        "",
        "not a url",
        "api.cloudflare.com/client/v4",
        "ftp://example.com",
        "https://example.com/v4?x=1",
        "https://example.com/v4#x",
        "https://",
        "http://[::1",
    ] {
        let shown = config_error(Client::builder().api_token(TOKEN).base_url(url).build());
        assert!(shown.contains("base URL"), "{url}: {shown}");
    }

    let shown = config_error(
        Client::builder()
            .api_token(TOKEN)
            .http_client(reqwest::Client::new())
            .connect_timeout(Duration::from_secs(1))
            .build(),
    );
    assert!(shown.contains("connect_timeout"), "{shown}");

    for (builder, what) in [
        (Client::builder().api_token("  "), "API token"),
        (Client::builder().api_key("k", ""), "email"),
        (
            Client::builder().user_service_key("a\nb"),
            "user service key",
        ),
    ] {
        let shown = config_error(builder.build());
        assert!(shown.contains(what), "{shown}");
    }
}

#[tokio::test]
async fn a_caller_supplied_reqwest_client_sends_the_requests() {
    let server = MockServer::start().await;
    Mock::given(header("x-from-caller", "yes"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ok(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-from-caller", "yes".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(defaults)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = builder(&server)
        .api_token(TOKEN)
        .http_client(http)
        .build()
        .unwrap();
    list(&client).await.unwrap();
    let request = received(&server).await.remove(0);
    assert!(request.headers["user-agent"]
        .to_str()
        .unwrap()
        .starts_with("cloudflare-risk-scoring/"));
}

#[tokio::test]
async fn a_call_can_add_headers_and_replace_the_clients() {
    let server = MockServer::start().await;
    Mock::given(header("x-request-origin", "nightly-report"))
        .and(header("user-agent", "my-app/2.1"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ok(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    client
        .zero_trust()
        .risk_scoring()
        .integrations()
        .list(ACCOUNT)
        .header("x-request-origin", "nightly-report")
        .header("User-Agent", "my-app/2.1")
        .await
        .unwrap();
    let request = received(&server).await.remove(0);
    assert_eq!(request.headers.get_all("user-agent").iter().count(), 1);
}

#[tokio::test]
async fn a_call_can_replace_the_content_type_of_its_body() {
    let server = MockServer::start().await;
    Mock::given(header("content-type", "application/json; charset=utf-8"))
        .respond_with(ok(integration_json()))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .create(ACCOUNT, &new_integration())
        .header("content-type", "application/json; charset=utf-8")
        .await
        .unwrap();
    let request = received(&server).await.remove(0);
    assert_eq!(request.headers.get_all("content-type").iter().count(), 1);
}

#[tokio::test]
async fn a_call_with_an_unsendable_header_fails_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(json!([])))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    for (name, value) in [("bad name", "v"), ("x-ok", "line\nbreak"), ("", "v")] {
        let error = client
            .zero_trust()
            .risk_scoring()
            .integrations()
            .list(ACCOUNT)
            .header(name, value)
            .await
            .unwrap_err();
        match &error {
            Error::InvalidHeader {
                operation,
                name: got,
            } => {
                assert_eq!(*operation, "zero_trust.risk_scoring.integrations.list");
                assert_eq!(got, name);
            }
            other => panic!("expected an invalid header error, got {other:?}"),
        }
        let shown = error.to_string();
        assert!(
            shown.starts_with("zero_trust.risk_scoring.integrations.list: header"),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn calls_are_send_and_static_so_they_can_be_spawned() {
    fn assert_send_static<T: Send + 'static>(_: &T) {}

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(json!([integration_json()])))
        .mount(&server)
        .await;
    let client = client(&server);
    let integrations = client.zero_trust().risk_scoring().integrations();

    let with_response = integrations.list(ACCOUNT).send_with_response();
    assert_send_static(&with_response);
    let result_only = integrations.list(ACCOUNT).into_future();
    assert_send_static(&result_only);

    // The client may be dropped before the spawned calls run: each call holds its own.
    drop(client);
    let (response, result) = tokio::join!(tokio::spawn(with_response), tokio::spawn(result_only));
    assert_eq!(response.unwrap().unwrap().result.len(), 1);
    assert_eq!(result.unwrap().unwrap().len(), 1);
}

/// The limit the size tests configure: small, so that bodies just over it are cheap.
const LIMIT: usize = 1024;

fn assert_too_large(error: &Error, status: u16) {
    match error {
        Error::ResponseTooLarge {
            operation,
            status: got,
            limit,
        } => {
            assert_eq!(*operation, "zero_trust.risk_scoring.integrations.list");
            assert_eq!(got.as_u16(), status);
            assert_eq!(*limit, LIMIT);
        }
        other => panic!("expected a response that is too large, got {other:?}"),
    }
    assert_eq!(error.status().map(|status| status.as_u16()), Some(status));
    let shown = error.to_string();
    assert!(
        shown.starts_with("zero_trust.risk_scoring.integrations.list: ")
            && shown.contains("1024 bytes")
            && shown.contains("ClientBuilder::max_response_size"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_refused_and_not_retried() {
    for status in [200, 503] {
        let server = MockServer::start().await;
        // Content-Length is sent: refused before reading.
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_raw(format!("[{}]", " ".repeat(LIMIT - 1)), "application/json"),
            )
            .expect(1)
            .mount(&server)
            .await;
        let client = builder(&server)
            .api_token(TOKEN)
            .max_response_size(LIMIT)
            .build()
            .unwrap();
        assert_too_large(&list(&client).await.unwrap_err(), status);
    }
}

#[tokio::test]
async fn a_body_of_exactly_the_size_limit_is_read() {
    let server = MockServer::start().await;
    let envelope = envelope(json!([])).to_string();
    let body = format!("{envelope:<LIMIT$}");
    assert_eq!(body.len(), LIMIT);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let client = builder(&server)
        .api_token(TOKEN)
        .max_response_size(LIMIT)
        .build()
        .unwrap();
    assert!(list(&client).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_size_limit_is_enforced_while_reading_a_chunked_body() {
    // Two chunks that pass the limit together, and no end: only a check while reading
    // stops before the timeout.
    let mut response = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
        transfer-encoding: chunked\r\n\r\n"
        .to_vec();
    for size in [LIMIT / 2, LIMIT / 2 + 1] {
        response.extend_from_slice(format!("{size:x}\r\n{}\r\n", " ".repeat(size)).as_bytes());
    }
    let url = stalling_server(response).await;
    let client = Client::builder()
        .base_url(url)
        .api_token(TOKEN)
        .retry_policy(fast_retries())
        .timeout(Duration::from_secs(10))
        .max_response_size(LIMIT)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = list(&client).await.unwrap_err();
    assert_too_large(&error, 200);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_content_length_over_the_size_limit_is_refused_before_reading() {
    // A gigabyte announced, a few bytes sent: the headers alone decide.
    let url = stalling_server(
        b"HTTP/1.1 200 OK\r\ncontent-length: 1073741824\r\n\r\n{\"success\"".to_vec(),
    )
    .await;
    let client = Client::builder()
        .base_url(url)
        .api_token(TOKEN)
        .retry_policy(fast_retries())
        .timeout(Duration::from_secs(10))
        .max_response_size(LIMIT)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = list(&client).await.unwrap_err();
    assert_too_large(&error, 200);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn the_default_size_limit_is_32_mib() {
    let server = MockServer::start().await;
    let mut body = envelope(json!([])).to_string();
    body.push_str(&" ".repeat(32 * 1024 * 1024 + 1 - body.len()));
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    match list(&client(&server)).await.unwrap_err() {
        Error::ResponseTooLarge { limit, .. } => assert_eq!(limit, 32 * 1024 * 1024),
        other => panic!("expected a response that is too large, got {other:?}"),
    }
}
