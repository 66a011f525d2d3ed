//! With the `tracing` feature, every attempt is a span that names the operation, method,
//! path template and attempt number, and records the status and `cf-ray` of the answer;
//! no credential, header value or body ever reaches a subscriber.
//!
//! A small subscriber records every field as text, so the test sees exactly what any real
//! subscriber would be given.

mod client_support;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use client_support::*;
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

type Fields = BTreeMap<String, String>;

#[derive(Default)]
struct Recorded {
    /// Spans by id, with their name.
    spans: BTreeMap<u64, (&'static str, Fields)>,
    /// Events, with the id of their parent span.
    events: Vec<(Option<u64>, Fields)>,
}

#[derive(Clone, Default)]
struct Recorder {
    recorded: Arc<Mutex<Recorded>>,
    next_id: Arc<AtomicU64>,
}

struct Collect<'a>(&'a mut Fields);

impl Visit for Collect<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        let mut fields = Fields::new();
        span.record(&mut Collect(&mut fields));
        let mut recorded = self.recorded.lock().unwrap();
        recorded.spans.insert(id, (span.metadata().name(), fields));
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut recorded = self.recorded.lock().unwrap();
        if let Some((_, fields)) = recorded.spans.get_mut(&span.into_u64()) {
            values.record(&mut Collect(fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut Collect(&mut fields));
        let parent = event.parent().map(Id::into_u64);
        self.recorded.lock().unwrap().events.push((parent, fields));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn every_attempt_is_a_span_with_no_secret_in_it() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("cf-ray", "ray-first")
                .set_body_string("body-of-the-503"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ok(integration_json()).insert_header("cf-ray", "ray-second"))
        .mount(&server)
        .await;

    let integration = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .get(ACCOUNT, USER)
        .header("x-extra", "extra-header-value")
        .await
        .unwrap();
    assert_eq!(integration.reference_id, "idp-1");

    let recorded = recorder.recorded.lock().unwrap();
    let attempts: Vec<(&u64, &Fields)> = recorded
        .spans
        .iter()
        .filter(|(_, (name, _))| *name == "cloudflare_request")
        .map(|(id, (_, fields))| (id, fields))
        .collect();
    assert_eq!(attempts.len(), 2, "{:?}", recorded.spans);

    let template = "/accounts/{account_id}/zt_risk_scoring/integrations/{integration_id}";
    for ((_, fields), (attempt, status, ray)) in attempts
        .iter()
        .zip([("1", "503", "ray-first"), ("2", "200", "ray-second")])
    {
        let expected: Fields = [
            ("operation", "zero_trust.risk_scoring.integrations.get"),
            ("method", "GET"),
            ("path", template),
            ("attempt", attempt),
            ("status", status),
            ("cf_ray", ray),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        assert_eq!(*fields, &expected);
    }

    // The retry is announced inside the first attempt's span.
    let first_span = *attempts[0].0;
    assert!(
        recorded
            .events
            .iter()
            .any(|(parent, fields)| *parent == Some(first_span)
                && fields.get("message").map(String::as_str) == Some("retrying")
                && fields.contains_key("wait_ms")),
        "{:?}",
        recorded.events
    );

    let everything = format!("{:?} {:?}", recorded.spans, recorded.events);
    for secret in [
        TOKEN,
        "extra-header-value",
        "body-of-the-503",
        "tenant.okta.com",
        ACCOUNT,
    ] {
        assert!(!everything.contains(secret), "{secret} in {everything}");
    }
}

#[tokio::test]
async fn a_request_body_never_reaches_a_subscriber() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(json!(integration_json())))
        .mount(&server)
        .await;
    create(&client(&server)).await.unwrap();

    let recorded = recorder.recorded.lock().unwrap();
    assert_eq!(recorded.spans.len(), 1, "{:?}", recorded.spans);
    let everything = format!("{:?} {:?}", recorded.spans, recorded.events);
    assert!(
        everything.contains("zero_trust.risk_scoring.integrations.create"),
        "{everything}"
    );
    for secret in [TOKEN, "tenant.okta.com", "Okta"] {
        assert!(!everything.contains(secret), "{secret} in {everything}");
    }
}
