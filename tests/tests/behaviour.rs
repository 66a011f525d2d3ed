//! How the generated client behaves on the wire: credentials, envelopes, errors, retries,
//! timeouts and path safety, each against a real HTTP server on loopback.

use std::time::Duration;

use cloudflare_risk_scoring::types::{CreateIntegration, IntegrationType};
use cloudflare_risk_scoring::{Client, ClientBuilder, Error, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{any, header, header_exists, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ACCOUNT: &str = "acc";
const USER: &str = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e";
const SECRET: &str = "s3cr3t-token-value";

/// Retries in milliseconds, so the suite stays fast.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .retry_policy(fast_retries())
}

fn client(server: &MockServer) -> Client {
    builder(server)
        .api_token(SECRET)
        .build()
        .expect("client builds")
}

fn envelope(result: Value) -> Value {
    json!({"success": true, "errors": [], "messages": [], "result": result})
}

fn integration() -> Value {
    json!({
        "id": USER,
        "account_tag": "tag",
        "active": true,
        "created_at": "2024-01-02T03:04:05Z",
        "integration_type": "Okta",
        "reference_id": "ref",
        "tenant_url": "https://tenant.okta.com",
        "well_known_url": "/.well-known/sse-configuration/x/"
    })
}

fn list_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(envelope(json!([integration()])))
}

async fn list(client: &Client) -> Result<Vec<cloudflare_risk_scoring::types::Integration>, Error> {
    client
        .zero_trust()
        .risk_scoring()
        .integrations()
        .list(ACCOUNT)
        .await
}

async fn create(client: &Client) -> Result<cloudflare_risk_scoring::types::Integration, Error> {
    let body = CreateIntegration::new(IntegrationType::Okta, "https://tenant.okta.com");
    client
        .zero_trust()
        .risk_scoring()
        .integrations()
        .create(ACCOUNT, &body)
        .await
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

// --- credentials -------------------------------------------------------------------------

#[tokio::test]
async fn api_token_is_sent_as_a_bearer_token_and_nothing_else() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", format!("Bearer {SECRET}").as_str()))
        .respond_with(list_ok())
        .expect(1)
        .mount(&server)
        .await;
    list(&client(&server)).await.unwrap();
    let request = &received(&server).await[0];
    assert!(!request.headers.contains_key("x-auth-key"));
    assert!(!request.headers.contains_key("x-auth-user-service-key"));
}

#[tokio::test]
async fn api_key_and_email_are_sent_in_their_headers() {
    let server = MockServer::start().await;
    Mock::given(header("x-auth-key", "key-123"))
        .and(header("x-auth-email", "me@example.com"))
        .respond_with(list_ok())
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .api_key("key-123", "me@example.com")
        .build()
        .unwrap();
    list(&client).await.unwrap();
    assert!(!received(&server).await[0]
        .headers
        .contains_key("authorization"));
}

#[tokio::test]
async fn user_service_key_is_sent_in_its_header() {
    let server = MockServer::start().await;
    Mock::given(header("x-auth-user-service-key", "v1.0-service"))
        .respond_with(list_ok())
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .user_service_key("v1.0-service")
        .build()
        .unwrap();
    list(&client).await.unwrap();
    assert!(!received(&server).await[0]
        .headers
        .contains_key("authorization"));
}

#[test]
fn debug_output_never_shows_a_credential() {
    let clients = [
        Client::builder().api_token(SECRET).build().unwrap(),
        Client::builder()
            .api_key(SECRET, "me@example.com")
            .build()
            .unwrap(),
        Client::builder().user_service_key(SECRET).build().unwrap(),
    ];
    for client in clients {
        let shown = format!("{client:?} {client:#?}");
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
    let builder = Client::builder().api_key(SECRET, "me@example.com");
    assert!(!format!("{builder:?}").contains(SECRET));
}

#[test]
fn building_without_credentials_or_with_a_bad_url_is_an_error_not_a_panic() {
    assert!(matches!(Client::builder().build(), Err(Error::Config(_))));
    for url in ["not a url", "ftp://example.com", ""] {
        let result = Client::builder().api_token("t").base_url(url).build();
        assert!(matches!(result, Err(Error::Config(_))), "{url}");
    }
    let result = Client::builder().api_token("bad\ntoken").build();
    let message = result.unwrap_err().to_string();
    assert!(!message.contains("bad\ntoken"), "{message}");
}

#[tokio::test]
async fn user_agent_names_the_crate_and_its_version() {
    let server = MockServer::start().await;
    Mock::given(header("user-agent", "cloudflare-risk-scoring/0.1.0"))
        .respond_with(list_ok())
        .expect(1)
        .mount(&server)
        .await;
    list(&client(&server)).await.unwrap();
}

#[tokio::test]
async fn a_redirect_is_not_followed_so_credentials_never_reach_another_host() {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(list_ok())
        .expect(0)
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/steal", elsewhere.uri())),
        )
        .expect(1)
        .mount(&server)
        .await;

    let error = list(&client(&server)).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(307));
    assert!(received(&elsewhere).await.is_empty());
}

// --- per-request options and raw access --------------------------------------------------

#[tokio::test]
async fn a_request_can_carry_extra_headers_and_return_status_and_headers() {
    let server = MockServer::start().await;
    Mock::given(header("x-trace", "abc"))
        .respond_with(list_ok().insert_header("cf-ray", "8a1b2c3d4e5f-LHR"))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .list(ACCOUNT)
        .header("x-trace", "abc")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.ray_id(), Some("8a1b2c3d4e5f-LHR"));
    assert_eq!(response.result.len(), 1);
    assert_eq!(response.result_info, None);
}

#[tokio::test]
async fn an_invalid_extra_header_fails_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(list_ok())
        .expect(0)
        .mount(&server)
        .await;
    let error = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .list(ACCOUNT)
        .header("bad header", "x")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidHeader { .. }), "{error:?}");
}

// --- envelopes and errors ----------------------------------------------------------------

#[tokio::test]
async fn an_error_envelope_becomes_a_typed_api_error_with_every_field() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("cf-ray", "7f00aa-SJC")
                .set_body_json(json!({
                    "success": false,
                    "errors": [
                        {"code": 10000, "message": "Authentication error",
                         "documentation_url": "https://developers.cloudflare.com/x",
                         "source": {"pointer": "/tenant_url"}},
                        {"code": 10001, "message": "Second problem"}
                    ],
                    "messages": [],
                    "result": null
                })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let error = create(&client(&server)).await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.operation, "zero_trust.risk_scoring.integrations.create");
    assert_eq!(api.status.as_u16(), 403);
    assert_eq!(api.ray_id.as_deref(), Some("7f00aa-SJC"));
    assert_eq!(api.errors.len(), 2);
    assert_eq!(api.errors[0].code, 10000);
    assert_eq!(api.errors[0].message, "Authentication error");
    assert_eq!(
        api.errors[0].documentation_url.as_deref(),
        Some("https://developers.cloudflare.com/x")
    );
    assert_eq!(
        api.errors[0]
            .source
            .as_ref()
            .and_then(|s| s.pointer.as_deref()),
        Some("/tenant_url")
    );
    assert_eq!(api.errors[1].documentation_url, None);
    let shown = error.to_string();
    assert!(
        shown.contains("zero_trust.risk_scoring.integrations.create"),
        "{shown}"
    );
    assert!(
        shown.contains("Authentication error") && shown.contains("7f00aa-SJC"),
        "{shown}"
    );
}

#[tokio::test]
async fn success_false_is_an_error_even_with_http_200() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": false,
            "errors": [{"code": 1003, "message": "Invalid account"}],
            "messages": [],
            "result": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let error = list(&client(&server)).await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 200);
    assert_eq!(api.errors[0].code, 1003);
}

#[tokio::test]
async fn an_html_502_keeps_the_status_and_a_bounded_snippet() {
    let server = MockServer::start().await;
    let page = format!(
        "<html><body>502 Bad Gateway{}</body></html>",
        "x".repeat(10_000)
    );
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .expect(3)
        .mount(&server)
        .await;
    let error = list(&client(&server)).await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 502);
    assert!(api.errors.is_empty());
    let snippet = api.body_snippet.as_deref().expect("a snippet");
    assert!(snippet.starts_with("<html><body>502 Bad Gateway"));
    assert!(snippet.len() <= 512);
}

#[tokio::test]
async fn malformed_and_truncated_json_are_decode_errors_naming_the_operation() {
    for body in [
        "{not json",
        r#"{"success": true, "result": [{"id": "182b"#,
        "",
    ] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .expect(1)
            .mount(&server)
            .await;
        let error = list(&client(&server)).await.unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{body}: {error:?}");
        assert!(
            error
                .to_string()
                .contains("zero_trust.risk_scoring.integrations.list"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn decode_errors_name_the_json_path_from_result() {
    let server = MockServer::start().await;
    let mut body = json!({
        "success": true, "errors": [], "messages": [],
        "result": {"email": "a", "name": "b", "events": [
            {"id": "e", "name": "n", "risk_level": "low", "timestamp": "not a time"}
        ]}
    });
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body.take()))
        .mount(&server)
        .await;
    let error = client(&server)
        .zero_trust()
        .risk_scoring()
        .get(ACCOUNT, USER)
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            operation, path, ..
        } => {
            assert_eq!(*operation, "zero_trust.risk_scoring.get");
            assert_eq!(path, "result.events[0].timestamp");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_missing_result_is_a_decode_error_for_a_required_result() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": true, "errors": [], "messages": []})),
        )
        .mount(&server)
        .await;
    let error = list(&client(&server)).await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, .. } if path == "result"),
        "{error:?}"
    );
}

// --- retries and timeouts ----------------------------------------------------------------

#[tokio::test]
async fn a_429_with_retry_after_is_retried_once_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(list_ok())
        .expect(1)
        .mount(&server)
        .await;

    let started = std::time::Instant::now();
    list(&client(&server)).await.unwrap();
    assert_eq!(received(&server).await.len(), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
}

#[tokio::test]
async fn retry_after_ms_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after-ms", "20"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(list_ok())
        .mount(&server)
        .await;
    list(&client(&server)).await.unwrap();
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_503_is_retried_until_the_retries_run_out() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&server)
        .await;
    let error = list(&client(&server)).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));

    let more = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .expect(5)
        .mount(&more)
        .await;
    let client = builder(&more)
        .api_token("t")
        .retry_policy(fast_retries().with_max_retries(4))
        .build()
        .unwrap();
    list(&client).await.unwrap_err();
}

#[tokio::test]
async fn a_request_can_override_the_number_of_retries() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let result = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .list(ACCOUNT)
        .max_retries(0)
        .await;
    assert!(result.is_err());
}

#[tokio::test]
async fn creating_an_integration_is_not_retried_on_a_500() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let error = create(&client(&server)).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn creating_an_integration_is_retried_on_a_429() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(integration())))
        .expect(1)
        .mount(&server)
        .await;
    create(&client(&server)).await.unwrap();
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_create_and_reported_as_transport() {
    // Bind and drop a listener to get a port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .api_token("t")
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    match create(&client).await.unwrap_err() {
        Error::Transport {
            attempts,
            operation,
            ..
        } => {
            assert_eq!(attempts, 3);
            assert_eq!(operation, "zero_trust.risk_scoring.integrations.create");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_slow_answer_times_out_per_request_and_a_create_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(list_ok().set_delay(Duration::from_millis(500)))
        .mount(&server)
        .await;
    let client = client(&server);
    let body = CreateIntegration::new(IntegrationType::Okta, "https://tenant.okta.com");
    let error = client
        .zero_trust()
        .risk_scoring()
        .integrations()
        .create(ACCOUNT, &body)
        .timeout(Duration::from_millis(50))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );

    let error = client
        .zero_trust()
        .risk_scoring()
        .integrations()
        .list(ACCOUNT)
        .timeout(Duration::from_millis(50))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(received(&server).await.len(), 4);
}

#[tokio::test]
async fn the_client_timeout_applies_when_a_request_sets_none() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(list_ok().set_delay(Duration::from_millis(500)))
        .mount(&server)
        .await;
    let client = builder(&server)
        .api_token("t")
        .timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    assert!(matches!(list(&client).await, Err(Error::Timeout { .. })));
}

// --- path safety -------------------------------------------------------------------------

#[tokio::test]
async fn path_parameters_are_percent_encoded_and_cannot_change_the_target() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(integration())))
        .mount(&server)
        .await;
    let client = client(&server);
    let cases = [
        ("../x", "..%2Fx"),
        ("a/b", "a%2Fb"),
        ("what?admin=1", "what%3Fadmin%3D1"),
        ("frag#ment", "frag%23ment"),
        ("100%", "100%25"),
        ("sp ace", "sp%20ace"),
    ];
    for (value, encoded) in cases {
        client
            .zero_trust()
            .risk_scoring()
            .integrations()
            .references()
            .get(ACCOUNT, value)
            .await
            .unwrap();
        let request = received(&server).await.pop().unwrap();
        assert_eq!(
            request.url.path(),
            format!("/accounts/{ACCOUNT}/zt_risk_scoring/integrations/reference_id/{encoded}")
        );
        assert_eq!(request.url.query(), None);
        assert_eq!(request.url.fragment(), None);
    }
}

#[tokio::test]
async fn empty_and_dot_path_parameters_are_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(list_ok())
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    for (account, user) in [("", USER), (ACCOUNT, ""), (ACCOUNT, ".."), (ACCOUNT, ".")] {
        let error = client
            .zero_trust()
            .risk_scoring()
            .get(account, user)
            .await
            .unwrap_err();
        match error {
            Error::InvalidParameter { operation, name } => {
                assert_eq!(operation, "zero_trust.risk_scoring.get");
                assert_eq!(
                    name,
                    if account.is_empty() {
                        "account_id"
                    } else {
                        "user_id"
                    }
                );
            }
            other => panic!("expected an invalid parameter error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn json_bodies_are_sent_with_a_json_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/accounts/{ACCOUNT}/zt_risk_scoring/integrations"
        )))
        .and(header("content-type", "application/json"))
        .and(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope(integration())))
        .expect(1)
        .mount(&server)
        .await;
    create(&client(&server)).await.unwrap();
}
