//! With the `tracing` feature, every attempt is a span naming the operation, method, path
//! template, attempt number, status and cf-ray, and never a credential.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudflare_risk_scoring::{Client, RetryPolicy};
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn every_attempt_is_a_span_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("cf-ray", "ray-42")
                .set_body_json(serde_json::json!({"success": true, "errors": [], "messages": [], "result": []})),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_token("tr4ce-s3cret")
        .retry_policy(
            RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    client
        .zero_trust()
        .risk_scoring()
        .integrations()
        .list("acc")
        .await
        .unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let spans: Vec<&str> = output
        .lines()
        .filter(|line| line.contains("cloudflare_request") && line.contains(" close "))
        .collect();
    assert_eq!(spans.len(), 2, "{output}");
    assert!(
        spans[0].contains("attempt=1") && spans[0].contains("status=503"),
        "{output}"
    );
    assert!(
        spans[1].contains("attempt=2") && spans[1].contains("status=200"),
        "{output}"
    );
    assert!(
        spans[1].contains("cf_ray=\"ray-42\"") || spans[1].contains("cf_ray=ray-42"),
        "{output}"
    );
    assert!(
        spans[1].contains("zero_trust.risk_scoring.integrations.list"),
        "{output}"
    );
    assert!(
        spans[1].contains("/accounts/{account_id}/zt_risk_scoring/integrations"),
        "{output}"
    );
    assert!(!output.contains("tr4ce-s3cret"), "{output}");
}
