//! Conformance of the generated client with an independent mock of the API: Prism, serving
//! Cloudflare's official OpenAPI document (`../shared/reference/`).
//!
//! Prism checks every request against the document and answers 422 when one breaks it (a
//! path parameter that is not a UUID, a body field of the wrong type, a missing required
//! field), and answers valid requests with bodies shaped by the document's schemas. So every
//! call through the generated client must succeed and decode: in static mode (the
//! document's examples) with required arguments only and with every optional one, and in
//! dynamic mode (`-d`: random schema-valid bodies, many per operation).
//!
//! Prism is installed with npm into `target/prism/` on first use (about 15 s; later runs
//! reuse it) and stopped when each test ends, whether it passes or not. Without Node.js and
//! npm the suite fails and says so: CI has them.
//!
//! Routing, as observed with Prism 5.14: a literal path segment wins over a template, so
//! `/zt_risk_scoring/integrations`, `/summary` and `/behaviors` reach their own operations
//! and not `/zt_risk_scoring/{user_id}`; and `{user_id}` and `{integration_id}` are
//! validated as UUIDs (a non-UUID gets 422, see
//! `prism_rejects_requests_that_break_the_document`). Each call decodes into its own
//! operation's result type, which a neighbour's response would not.

#![cfg(unix)]

#[path = "../conformance/prism.rs"]
mod prism;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use cloudflare_risk_scoring::types::{
    CreateIntegration, IntegrationType, RiskLevel, UpdateBehavior, UpdateBehaviors,
    UpdateIntegration,
};
use cloudflare_risk_scoring::{Client, Error, ResultInfo, RetryPolicy};
use prism::{Mode, Prism};
use serde_json::json;

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
/// Path parameters in the formats the document requires: `user_id` and `integration_id`
/// are UUIDs; `reference_id` is any string.
const USER: &str = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e";
const INTEGRATION: &str = "0b8c5a6e-6f0a-4d7f-9a47-6a2f3c1d9e21";
const REFERENCE: &str = "okta-idp-8a1c";
const TENANT: &str = "https://tenant.okta.com";

/// Dynamic-mode calls per operation, per argument set.
const DYNAMIC_ROUNDS: usize = 25;

/// The operations `call_every_operation` calls; `every_operation_in_the_spec_is_called`
/// keeps the list honest.
const CALLED: &[&str] = &[
    "zero_trust.risk_scoring.get",
    "zero_trust.risk_scoring.reset",
    "zero_trust.risk_scoring.behaviours.get",
    "zero_trust.risk_scoring.behaviours.update",
    "zero_trust.risk_scoring.summary.get",
    "zero_trust.risk_scoring.integrations.list",
    "zero_trust.risk_scoring.integrations.get",
    "zero_trust.risk_scoring.integrations.create",
    "zero_trust.risk_scoring.integrations.update",
    "zero_trust.risk_scoring.integrations.delete",
    "zero_trust.risk_scoring.integrations.references.get",
];

/// Which arguments a round of calls passes.
#[derive(Debug, Clone, Copy)]
enum Arguments {
    /// Only what each operation requires; behaviours are updated with an empty map.
    RequiredOnly,
    /// Every optional field set too (the integrations' `reference_id`); behaviours are
    /// updated with several entries.
    AllOptional,
}

/// The official document as Prism should read it (see `prism::document_for_prism`): every
/// operation of the risk-scoring document lists `api_email`, `api_key` and `api_token` in a
/// single requirement object, which Prism reads as "all three at once".
fn document_for_prism() -> PathBuf {
    static DOCUMENT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let document = DOCUMENT.get_or_init(|| {
        let copy = prism::document_for_prism("cloudflare-openapi-zt-risk-scoring.json")?;
        let as_written = json!([{"api_email": [], "api_key": [], "api_token": []}]).to_string();
        let expected = BTreeMap::from([(as_written, CALLED.len())]);
        // A document whose security reads otherwise needs a fresh look, not a silent pass.
        if copy.security != expected {
            return Err(format!(
                "expected the {} operations of the document to have the security {expected:?}, \
                 found {:?}: re-read the document and adjust document_for_prism",
                CALLED.len(),
                copy.security
            ));
        }
        Ok(copy.path)
    });
    document.clone().unwrap_or_else(|error| panic!("{error}"))
}

fn start(mode: Mode) -> Prism {
    Prism::start(&document_for_prism(), mode).unwrap_or_else(|error| panic!("{error}"))
}

fn client(prism: &Prism) -> Client {
    client_with(prism, |builder| builder.api_token("test-token"))
}

fn client_with(
    prism: &Prism,
    credentials: impl FnOnce(
        cloudflare_risk_scoring::ClientBuilder,
    ) -> cloudflare_risk_scoring::ClientBuilder,
) -> Client {
    // No retries: an error must show as itself, at once.
    credentials(
        Client::builder()
            .base_url(prism.base_url())
            .retry_policy(RetryPolicy::never()),
    )
    .build()
    .expect("client builds")
}

/// What one call did: the operation, and its `result_info` or the error.
type Outcome = (&'static str, Result<Option<ResultInfo>, Error>);

/// Calls all 11 operations once, each decoding its whole response.
async fn call_every_operation(client: &Client, arguments: Arguments) -> Vec<Outcome> {
    let risk_scoring = client.zero_trust().risk_scoring();
    let integrations = risk_scoring.integrations();
    let optional = matches!(arguments, Arguments::AllOptional);

    let mut create = CreateIntegration::new(TENANT);
    let mut update = UpdateIntegration::new(true, TENANT);
    let mut behaviours = BTreeMap::new();
    if optional {
        create = create.with_reference_id(REFERENCE);
        update = update.with_reference_id(REFERENCE);
        behaviours.insert(
            "impossible_travel".to_owned(),
            UpdateBehavior::new(true, RiskLevel::High),
        );
        behaviours.insert(
            "sso_failed_login".to_owned(),
            UpdateBehavior::new(false, RiskLevel::Low),
        );
    }
    let behaviours = UpdateBehaviors::new(behaviours);

    vec![
        (
            CALLED[0],
            risk_scoring
                .get(ACCOUNT, USER)
                .send_with_response()
                .await
                .map(|r| r.result_info),
        ),
        (
            CALLED[1],
            risk_scoring
                .reset(ACCOUNT, USER)
                .send_with_response()
                .await
                .map(|r| r.result_info),
        ),
        (
            CALLED[2],
            risk_scoring
                .behaviours()
                .get(ACCOUNT)
                .send_with_response()
                .await
                .map(|r| r.result_info),
        ),
        (
            CALLED[3],
            risk_scoring
                .behaviours()
                .update(ACCOUNT, &behaviours)
                .send_with_response()
                .await
                .map(|r| r.result_info),
        ),
        (
            CALLED[4],
            risk_scoring
                .summary()
                .get(ACCOUNT)
                .send_with_response()
                .await
                .map(|r| r.result_info),
        ),
        (
            CALLED[5],
            integrations
                .list(ACCOUNT)
                .send_with_response()
                .await
                .map(|r| r.result_info),
        ),
        (
            CALLED[6],
            integrations
                .get(ACCOUNT, INTEGRATION)
                .send_with_response()
                .await
                .map(|r| r.result_info),
        ),
        (
            CALLED[7],
            integrations
                .create(ACCOUNT, &create)
                .send_with_response()
                .await
                .map(|r| r.result_info),
        ),
        (
            CALLED[8],
            integrations
                .update(ACCOUNT, INTEGRATION, &update)
                .send_with_response()
                .await
                .map(|r| r.result_info),
        ),
        (
            CALLED[9],
            integrations
                .delete(ACCOUNT, INTEGRATION)
                .send_with_response()
                .await
                .map(|r| r.result_info),
        ),
        (
            CALLED[10],
            integrations
                .references()
                .get(ACCOUNT, REFERENCE)
                .send_with_response()
                .await
                .map(|r| r.result_info),
        ),
    ]
}

/// Fails with every failed call and Prism's log, which names the rule a rejected request
/// broke.
fn assert_all_succeeded(prism: &Prism, what: &str, outcomes: &[Outcome]) {
    let failures: Vec<String> = outcomes
        .iter()
        .filter_map(|(operation, outcome)| {
            outcome
                .as_ref()
                .err()
                .map(|error| format!("  {operation}: {error}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{what}: {} of {} calls failed:\n{}\n\nPrism's log:\n{}",
        failures.len(),
        outcomes.len(),
        failures.join("\n"),
        prism.log()
    );
}

/// In static mode the collection envelopes carry the document's example `result_info`,
/// and the others none: a call routed to the wrong operation would show here.
fn assert_result_info_where_the_document_has_it(outcomes: &[Outcome]) {
    let with_result_info = [
        "zero_trust.risk_scoring.get",
        "zero_trust.risk_scoring.summary.get",
    ];
    for (operation, outcome) in outcomes {
        if let Ok(result_info) = outcome {
            assert_eq!(
                result_info.is_some(),
                with_result_info.contains(operation),
                "{operation}: {result_info:?}"
            );
        }
    }
}

#[test]
fn every_operation_in_the_spec_is_called() {
    let mut in_spec: Vec<String> = tests::operations(&tests::real_spec())
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    in_spec.sort();
    let mut called: Vec<String> = CALLED.iter().map(|name| name.to_string()).collect();
    called.sort();
    assert_eq!(in_spec, called);
}

#[tokio::test]
async fn static_responses_decode_with_required_arguments_only() {
    let prism = start(Mode::Static);
    let outcomes = call_every_operation(&client(&prism), Arguments::RequiredOnly).await;
    assert_all_succeeded(&prism, "required arguments only", &outcomes);
    assert_result_info_where_the_document_has_it(&outcomes);
}

#[tokio::test]
async fn static_responses_decode_with_every_optional_argument() {
    let prism = start(Mode::Static);
    let outcomes = call_every_operation(&client(&prism), Arguments::AllOptional).await;
    assert_all_succeeded(&prism, "every optional argument", &outcomes);
    assert_result_info_where_the_document_has_it(&outcomes);
}

#[tokio::test]
async fn an_email_and_a_key_authenticate_too() {
    let prism = start(Mode::Static);
    let client = client_with(&prism, |builder| {
        builder.api_key("0123456789abcdef", "user@example.com")
    });
    let outcomes = call_every_operation(&client, Arguments::AllOptional).await;
    assert_all_succeeded(&prism, "email and key", &outcomes);
}

#[tokio::test]
async fn dynamic_responses_decode() {
    let prism = start(Mode::Dynamic);
    let client = client(&prism);
    let mut outcomes = Vec::new();
    for round in 0..DYNAMIC_ROUNDS * 2 {
        let arguments = if round % 2 == 0 {
            Arguments::RequiredOnly
        } else {
            Arguments::AllOptional
        };
        outcomes.extend(call_every_operation(&client, arguments).await);
    }
    assert_eq!(outcomes.len(), DYNAMIC_ROUNDS * 2 * CALLED.len());
    assert_all_succeeded(&prism, "dynamic responses", &outcomes);
    // Passing for the right reason: the bodies were generated afresh, not the examples
    // every time (the summary's `result_info` is optional and its counters are random).
    let summaries: Vec<&Option<ResultInfo>> = outcomes
        .iter()
        .filter(|(operation, _)| *operation == "zero_trust.risk_scoring.summary.get")
        .filter_map(|(_, outcome)| outcome.as_ref().ok())
        .collect();
    assert!(
        summaries.iter().any(|info| *info != summaries[0]),
        "Prism answered the same body every time: is it in dynamic mode?"
    );
}

/// The successes above mean something only if Prism does reject what breaks the document.
#[tokio::test]
async fn prism_rejects_requests_that_break_the_document() {
    let prism = start(Mode::Static);
    let client = client(&prism);
    let risk_scoring = client.zero_trust().risk_scoring();

    assert_eq!(
        status(risk_scoring.get(ACCOUNT, "not-a-uuid").await),
        Some(422),
        "user_id must be a UUID"
    );
    assert_eq!(
        status(
            risk_scoring
                .integrations()
                .delete(ACCOUNT, "not-a-uuid")
                .await
        ),
        Some(422),
        "integration_id must be a UUID"
    );
    let bad_url = CreateIntegration::new("not a url");
    assert_eq!(
        status(risk_scoring.integrations().create(ACCOUNT, &bad_url).await),
        Some(422),
        "tenant_url is a URI"
    );
    let mut unknown_type = CreateIntegration::new(TENANT);
    unknown_type.integration_type = IntegrationType::from("Auth0");
    assert_eq!(
        status(
            risk_scoring
                .integrations()
                .create(ACCOUNT, &unknown_type)
                .await
        ),
        Some(422),
        "integration_type is an enum"
    );
}

/// The HTTP status of a failed call.
fn status<T>(result: Result<T, Error>) -> Option<u16> {
    result
        .err()
        .and_then(|error| error.status())
        .map(|status| status.as_u16())
}

#[test]
fn a_prism_that_cannot_start_fails_clearly() {
    let missing = tests::workspace_root().join("target/no-such-document.json");
    let error = match Prism::start(&missing, Mode::Static) {
        Ok(_) => panic!("Prism started without a document"),
        Err(error) => error,
    };
    assert!(error.contains("Prism exited"), "{error}");
    assert!(
        error.contains("no-such-document.json"),
        "the message carries Prism's own output: {error}"
    );
}
