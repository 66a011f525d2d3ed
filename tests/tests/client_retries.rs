//! Retries and timeouts on the wire: what is retried and how often, `Retry-After`, and
//! never repeating a create whose first attempt may have worked.

mod client_support;

use std::io::Read;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use client_support::*;
use cloudflare_risk_scoring::{Client, Error, RetryPolicy, TimeoutPhase};
use serde_json::json;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts `first` for the first `times` requests, and a success after that.
async fn fail_then_succeed(server: &MockServer, first: ResponseTemplate, times: u64) {
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .expect(times)
        .mount(server)
        .await;
    Mock::given(any())
        .respond_with(ok(json!([integration_json()])))
        .mount(server)
        .await;
}

/// Mounts `answer` for every request, expecting exactly `times` of them.
async fn always(server: &MockServer, answer: ResponseTemplate, times: u64) {
    Mock::given(any())
        .respond_with(answer)
        .expect(times)
        .mount(server)
        .await;
}

fn slow(delay: Duration) -> ResponseTemplate {
    ok(json!([])).set_delay(delay)
}

#[tokio::test]
async fn a_429_is_retried_after_the_wait_retry_after_asks_for() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
    )
    .await;

    let started = Instant::now();
    let integrations = list(&client(&server)).await.unwrap();
    assert_eq!(integrations.len(), 1);
    assert_eq!(received(&server).await.len(), 2);
    // The policy's own waits are a millisecond: only Retry-After explains a second.
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn retry_after_ms_is_honoured_in_milliseconds() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        ResponseTemplate::new(503).insert_header("retry-after-ms", "150"),
        2,
    )
    .await;

    let started = Instant::now();
    list(&client(&server)).await.unwrap();
    assert_eq!(received(&server).await.len(), 3);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_returns_the_error_at_once() {
    let server = MockServer::start().await;
    always(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
        1,
    )
    .await;

    let started = Instant::now();
    let error = list(&client(&server)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    let api = error.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(api.retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(
        error.to_string(),
        "zero_trust.risk_scoring.integrations.list: HTTP 429 Too Many Requests \
         (the server asked to wait 3600 s)"
    );
}

#[tokio::test]
async fn an_error_after_the_retries_run_out_says_how_long_the_server_asked_to_wait() {
    let server = MockServer::start().await;
    always(
        &server,
        ResponseTemplate::new(503)
            .insert_header("retry-after-ms", "5")
            .insert_header("cf-ray", "ray-503"),
        3,
    )
    .await;
    let error = list(&client(&server)).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "zero_trust.risk_scoring.integrations.list: HTTP 503 Service Unavailable \
         (the server asked to wait 5 ms) [cf-ray ray-503]"
    );

    let server = MockServer::start().await;
    always(
        &server,
        ResponseTemplate::new(429)
            .insert_header("retry-after", "120")
            .set_body_json(json!({
                "success": false,
                "errors": [{"code": 971, "message": "Please wait and consider throttling your request speed"}]
            })),
        1,
    )
    .await;
    let error = list(&client(&server)).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "zero_trust.risk_scoring.integrations.list: HTTP 429 Too Many Requests \
         (the server asked to wait 120 s): Please wait and consider throttling your request \
         speed (code 971)"
    );
}

#[tokio::test]
async fn the_cap_on_retry_after_can_be_raised_or_lowered() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after-ms", "50"),
        1,
    )
    .await;
    let impatient = builder(&server)
        .api_token(TOKEN)
        .retry_policy(fast_retries().with_max_retry_after(Duration::from_millis(10)))
        .build()
        .unwrap();
    let error = list(&impatient).await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(429));

    let patient = builder(&server)
        .api_token(TOKEN)
        .retry_policy(fast_retries().with_max_retry_after(Duration::from_millis(100)))
        .build()
        .unwrap();
    list(&patient).await.unwrap();
}

#[tokio::test]
async fn unreadable_retry_after_values_fall_back_to_the_backoff() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        ResponseTemplate::new(503)
            .insert_header("retry-after", "soon")
            .insert_header("retry-after-ms", "1e300"),
        2,
    )
    .await;
    list(&client(&server)).await.unwrap();
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_503_is_retried_until_the_retries_run_out() {
    let server = MockServer::start().await;
    always(&server, ResponseTemplate::new(503), 3).await;
    let error = list(&client(&server)).await.unwrap_err();
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));

    let more = MockServer::start().await;
    always(&more, ResponseTemplate::new(503), 5).await;
    let client = builder(&more)
        .api_token(TOKEN)
        .retry_policy(fast_retries().with_max_retries(4))
        .build()
        .unwrap();
    list(&client).await.unwrap_err();
}

#[tokio::test]
async fn the_default_policy_retries_twice() {
    let server = MockServer::start().await;
    always(&server, ResponseTemplate::new(500), 3).await;
    // The default waits (0.5 s, then 1 s) are real here; this is the one slow test of them.
    let client = Client::builder()
        .base_url(server.uri())
        .api_token(TOKEN)
        .build()
        .unwrap();
    let started = Instant::now();
    list(&client).await.unwrap_err();
    // Jitter shortens each wait by up to a quarter: at least 0.375 s + 0.75 s.
    assert!(started.elapsed() >= Duration::from_millis(1_125));
}

#[tokio::test]
async fn transient_failures_are_retried_until_one_succeeds() {
    for status in [408, 409, 429, 500, 502, 503, 504] {
        let server = MockServer::start().await;
        fail_then_succeed(&server, ResponseTemplate::new(status), 2).await;
        let integrations = list(&client(&server))
            .await
            .unwrap_or_else(|error| panic!("{status}: {error}"));
        assert_eq!(integrations.len(), 1);
        assert_eq!(received(&server).await.len(), 3, "{status}");
    }
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400, 401, 403, 404, 405, 422] {
        let server = MockServer::start().await;
        always(&server, ResponseTemplate::new(status), 1).await;
        let error = list(&client(&server)).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    }
}

#[tokio::test]
async fn a_call_can_change_how_often_it_is_retried() {
    let server = MockServer::start().await;
    always(&server, ResponseTemplate::new(500), 1 + 6 + 3).await;
    let client = client(&server);
    let integrations = client.zero_trust().risk_scoring().integrations();

    integrations.list(ACCOUNT).max_retries(0).await.unwrap_err();
    integrations.list(ACCOUNT).max_retries(5).await.unwrap_err();
    // The client's own policy is untouched.
    integrations.list(ACCOUNT).await.unwrap_err();
}

#[tokio::test]
async fn a_create_is_not_retried_when_it_may_have_worked() {
    for status in [408, 409, 500, 502, 503] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status))
            .expect(1)
            .mount(&server)
            .await;
        let error = create(&client(&server)).await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    }
}

#[tokio::test]
async fn a_create_is_retried_on_a_429_which_means_it_was_not_acted_on() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok(integration_json()))
        .expect(1)
        .mount(&server)
        .await;
    let created = create(&client(&server)).await.unwrap();
    assert_eq!(created.tenant_url, "https://tenant.okta.com");
}

/// A port on loopback that refuses connections.
fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_create() {
    let client = Client::builder()
        .base_url(closed_port())
        .api_token(TOKEN)
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    for result in [
        create(&client).await.map(drop),
        list(&client).await.map(drop),
    ] {
        match result.unwrap_err() {
            Error::Transport {
                operation,
                attempts,
                source,
            } => {
                assert!(operation.starts_with("zero_trust.risk_scoring.integrations."));
                assert_eq!(attempts, 3);
                assert!(source.is_connect(), "{source:?}");
            }
            other => panic!("expected a transport error, got {other:?}"),
        }
    }
}

/// A server that reads each request and hangs up without answering: the request arrived,
/// so whether it was acted on is unknown. Returns its URL and a count of connections.
fn hang_up_server() -> (String, Arc<AtomicU32>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&connections);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let _ = stream.read(&mut [0; 4096]);
        }
    });
    (url, connections)
}

#[tokio::test]
async fn a_connection_lost_after_sending_is_retried_only_when_repeating_is_harmless() {
    let (url, connections) = hang_up_server();
    let client = Client::builder()
        .base_url(url)
        .api_token(TOKEN)
        .retry_policy(fast_retries())
        .build()
        .unwrap();

    let error = create(&client).await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1);

    let error = list(&client).await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1 + 3);
}

#[tokio::test]
async fn a_call_can_have_its_own_timeout() {
    let server = MockServer::start().await;
    always(&server, slow(Duration::from_secs(2)), 1).await;
    let client = builder(&server)
        .api_token(TOKEN)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = client
        .zero_trust()
        .risk_scoring()
        .integrations()
        .list(ACCOUNT)
        .timeout(Duration::from_millis(100))
        .max_retries(0)
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    match &error {
        Error::Timeout {
            operation,
            attempts,
            phase,
        } => {
            assert_eq!(*operation, "zero_trust.risk_scoring.integrations.list");
            assert_eq!(*attempts, 1);
            assert_eq!(*phase, TimeoutPhase::ResponseHeaders);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "zero_trust.risk_scoring.integrations.list: timed out waiting for the response headers \
         (1 attempt)"
    );
}

#[tokio::test]
async fn the_client_timeout_applies_to_calls_that_set_none() {
    let server = MockServer::start().await;
    always(&server, slow(Duration::from_secs(2)), 1).await;
    let client = builder(&server)
        .api_token(TOKEN)
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let error = list(&client).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn timeouts_are_retried_only_when_repeating_is_harmless() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(slow(Duration::from_secs(2)))
        .expect(1 + 3)
        .mount(&server)
        .await;
    let client = builder(&server)
        .api_token(TOKEN)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();

    let error = create(&client).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );

    let error = list(&client).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "zero_trust.risk_scoring.integrations.list: timed out waiting for the response headers \
         (3 attempts)"
    );
}

#[tokio::test]
async fn a_slow_answer_within_the_timeout_succeeds() {
    let server = MockServer::start().await;
    always(&server, slow(Duration::from_millis(100)), 1).await;
    let client = builder(&server)
        .api_token(TOKEN)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    list(&client).await.unwrap();
}

/// A port on loopback where connecting hangs: a listener whose queue of connections not yet
/// accepted is full, so the kernel drops further handshakes instead of answering them. Keep
/// the returned listener and connections alive for as long as the port should hang.
fn hanging_port() -> (String, tokio::net::TcpListener, Vec<std::net::TcpStream>) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let address = socket.local_addr().unwrap();
    let listener = socket.listen(0).unwrap();
    let mut held = Vec::new();
    // A backlog of 0 still queues a connection or so, depending on the kernel: fill it
    // until a connection cannot be made.
    while let Ok(stream) =
        std::net::TcpStream::connect_timeout(&address, Duration::from_millis(100))
    {
        held.push(stream);
        assert!(held.len() < 64, "the listener's queue never filled");
    }
    (format!("http://{address}"), listener, held)
}

#[tokio::test]
async fn a_connect_timeout_says_so_and_is_retried_even_for_a_create() {
    let (url, _listener, _queued) = hanging_port();
    let client = Client::builder()
        .base_url(url)
        .api_token(TOKEN)
        .connect_timeout(Duration::from_millis(100))
        .timeout(Duration::from_secs(10))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = create(&client).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    match &error {
        Error::Timeout {
            attempts, phase, ..
        } => {
            // The request never left, so even a create is tried again.
            assert_eq!(*attempts, 3);
            assert_eq!(*phase, TimeoutPhase::Connect);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "zero_trust.risk_scoring.integrations.create: timed out connecting (3 attempts)"
    );
}

/// The start of an answer whose body never finishes: 100 bytes announced, 10 sent.
fn unfinished_body() -> Vec<u8> {
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n\
      {\"success\""
        .to_vec()
}

#[tokio::test]
async fn a_timeout_while_reading_the_body_says_so() {
    let url = stalling_server(unfinished_body()).await;
    let client = Client::builder()
        .base_url(url)
        .api_token(TOKEN)
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let error = list(&client).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Timeout {
                attempts: 1,
                phase: TimeoutPhase::ResponseBody,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "zero_trust.risk_scoring.integrations.list: timed out reading the response body \
         (1 attempt)"
    );
}

#[tokio::test]
async fn a_caller_supplied_clients_own_timeout_says_where_it_ran_out_too() {
    let server = MockServer::start().await;
    always(&server, slow(Duration::from_secs(2)), 1).await;
    let body_url = stalling_server(unfinished_body()).await;

    for (url, expected) in [
        (server.uri(), TimeoutPhase::ResponseHeaders),
        (body_url, TimeoutPhase::ResponseBody),
    ] {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(200))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let client = Client::builder()
            .base_url(url)
            .api_token(TOKEN)
            .http_client(http)
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        match list(&client).await.unwrap_err() {
            Error::Timeout { phase, .. } => assert_eq!(phase, expected),
            other => panic!("expected a timeout, got {other:?}"),
        }
    }
}
