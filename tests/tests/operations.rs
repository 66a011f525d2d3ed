//! Each of the 11 operations against a real HTTP server on loopback: the request's method,
//! path and JSON body are checked by the mock, and the reply is the reference's example
//! response from the spec, decoded into the generated types.

use cloudflare_risk_scoring::types::{
    CreateIntegration, IntegrationType, RiskLevel, UpdateBehavior, UpdateBehaviors,
    UpdateIntegration,
};
use cloudflare_risk_scoring::Client;
use serde_json::{json, Value};
use tests::{example_response, operations, real_spec};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCOUNT: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const USER: &str = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e";
const INTEGRATION: &str = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e";

/// The operations this file tests; `every_operation_in_the_spec_is_tested` keeps it honest.
const TESTED: &[&str] = &[
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

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_token("test-token")
        .build()
        .expect("client builds")
}

/// Mounts a mock answering `verb url` with the operation's example response, expecting
/// exactly one matching request (with `body` as its JSON body, when given).
async fn serve_example(
    server: &MockServer,
    operation: &str,
    verb: &str,
    url: &str,
    body: Option<Value>,
) {
    let mut mock = Mock::given(method(verb))
        .and(path(url))
        .and(header("authorization", "Bearer test-token"));
    if let Some(body) = body {
        mock = mock.and(body_json(body));
    }
    mock.respond_with(ResponseTemplate::new(200).set_body_json(example_response(operation)))
        .expect(1)
        .mount(server)
        .await;
}

fn example_result(operation: &str) -> Value {
    example_response(operation)["result"].clone()
}

#[test]
fn every_operation_in_the_spec_is_tested() {
    let mut in_spec: Vec<String> = operations(&real_spec())
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    in_spec.sort();
    let mut tested: Vec<String> = TESTED.iter().map(|name| name.to_string()).collect();
    tested.sort();
    assert_eq!(in_spec, tested);
}

#[tokio::test]
async fn user_risk_get() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.get";
    serve_example(
        &server,
        op,
        "GET",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/{USER}"),
        None,
    )
    .await;

    let risk = client(&server)
        .zero_trust()
        .risk_scoring()
        .get(ACCOUNT, USER)
        .await
        .unwrap();

    let expected = example_result(op);
    assert_eq!(risk.email, expected["email"].as_str().unwrap());
    assert_eq!(risk.name, expected["name"].as_str().unwrap());
    assert_eq!(risk.risk_level, Some(RiskLevel::Low));
    assert_eq!(risk.events.len(), 1);
    assert_eq!(risk.events[0].risk_level, RiskLevel::Low);
    assert_eq!(
        risk.events[0].timestamp.to_rfc3339(),
        "2019-12-27T18:11:19.117+00:00"
    );
    assert_eq!(risk.events[0].event_details, Some(json!({})));
    assert!(risk.last_reset_time.is_some());
}

#[tokio::test]
async fn user_risk_get_exposes_result_info() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.get";
    serve_example(
        &server,
        op,
        "GET",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/{USER}"),
        None,
    )
    .await;

    let response = client(&server)
        .zero_trust()
        .risk_scoring()
        .get(ACCOUNT, USER)
        .send_with_response()
        .await
        .unwrap();

    let info = response.result_info.expect("result_info");
    assert_eq!(info.count, Some(1.0));
    assert_eq!(info.total_count, Some(2000.0));
    assert_eq!(info.total_pages, Some(100.0));
}

#[tokio::test]
async fn user_risk_reset() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.reset";
    serve_example(
        &server,
        op,
        "POST",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/{USER}/reset"),
        None,
    )
    .await;

    let result = client(&server)
        .zero_trust()
        .risk_scoring()
        .reset(ACCOUNT, USER)
        .await
        .unwrap();

    assert_eq!(result, Some(serde_json::Map::new()));
}

#[tokio::test]
async fn behaviours_get() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.behaviours.get";
    serve_example(
        &server,
        op,
        "GET",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/behaviors"),
        None,
    )
    .await;

    let behaviours = client(&server)
        .zero_trust()
        .risk_scoring()
        .behaviours()
        .get(ACCOUNT)
        .await
        .unwrap();

    let foo = &behaviours.behaviors["foo"];
    assert_eq!(foo.description, "description");
    assert_eq!(foo.name, "name");
    assert!(foo.enabled);
    assert_eq!(foo.risk_level, RiskLevel::Low);
}

#[tokio::test]
async fn behaviours_update_sends_the_map_of_behaviours() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.behaviours.update";
    serve_example(
        &server,
        op,
        "PUT",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/behaviors"),
        Some(json!({"behaviors": {"foo": {"enabled": true, "risk_level": "low"}}})),
    )
    .await;

    let body = UpdateBehaviors::new(
        [("foo".to_owned(), UpdateBehavior::new(true, RiskLevel::Low))]
            .into_iter()
            .collect(),
    );
    let updated = client(&server)
        .zero_trust()
        .risk_scoring()
        .behaviours()
        .update(ACCOUNT, &body)
        .await
        .unwrap();

    assert_eq!(updated, body);
}

#[tokio::test]
async fn summary_get() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.summary.get";
    serve_example(
        &server,
        op,
        "GET",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/summary"),
        None,
    )
    .await;

    let response = client(&server)
        .zero_trust()
        .risk_scoring()
        .summary()
        .get(ACCOUNT)
        .send_with_response()
        .await
        .unwrap();

    let user = &response.result.users[0];
    assert_eq!(user.user_id.to_string(), USER);
    assert_eq!(user.event_count, 0);
    assert_eq!(user.max_risk_level, RiskLevel::Low);
    assert_eq!(
        user.last_event.to_rfc3339(),
        "2019-12-27T18:11:19.117+00:00"
    );
    assert_eq!(
        response.result_info.and_then(|info| info.per_page),
        Some(20.0)
    );
}

fn assert_is_example_integration(integration: &cloudflare_risk_scoring::types::Integration) {
    assert_eq!(integration.id.to_string(), INTEGRATION);
    assert_eq!(integration.account_tag, "account_tag");
    assert!(integration.active);
    assert_eq!(
        integration.created_at.to_rfc3339(),
        "2019-12-27T18:11:19.117+00:00"
    );
    assert_eq!(integration.integration_type, IntegrationType::Okta);
    assert_eq!(integration.reference_id, "reference_id");
    assert_eq!(integration.tenant_url, "tenant_url");
    assert_eq!(integration.well_known_url, "well_known_url");
}

#[tokio::test]
async fn integrations_list() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.integrations.list";
    serve_example(
        &server,
        op,
        "GET",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/integrations"),
        None,
    )
    .await;

    let integrations = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .list(ACCOUNT)
        .await
        .unwrap();

    assert_eq!(integrations.len(), 1);
    assert_is_example_integration(&integrations[0]);
}

#[tokio::test]
async fn integrations_get() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.integrations.get";
    serve_example(
        &server,
        op,
        "GET",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/integrations/{INTEGRATION}"),
        None,
    )
    .await;

    let integration = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .get(ACCOUNT, INTEGRATION)
        .await
        .unwrap();

    assert_is_example_integration(&integration);
}

#[tokio::test]
async fn integrations_create_sends_required_fields_and_omits_unset_ones() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.integrations.create";
    serve_example(
        &server,
        op,
        "POST",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/integrations"),
        Some(json!({"integration_type": "Okta", "tenant_url": "https://tenant.okta.com"})),
    )
    .await;

    let body = CreateIntegration::new("https://tenant.okta.com");
    let integration = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .create(ACCOUNT, &body)
        .await
        .unwrap();

    assert_is_example_integration(&integration);
}

#[tokio::test]
async fn integrations_create_sends_the_optional_reference_id_when_set() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.integrations.create";
    serve_example(
        &server,
        op,
        "POST",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/integrations"),
        Some(json!({
            "integration_type": "Okta",
            "tenant_url": "https://tenant.okta.com",
            "reference_id": "idp-1",
        })),
    )
    .await;

    let body = CreateIntegration::new("https://tenant.okta.com").with_reference_id("idp-1");
    client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .create(ACCOUNT, &body)
        .await
        .unwrap();
}

#[tokio::test]
async fn integrations_update() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.integrations.update";
    serve_example(
        &server,
        op,
        "PUT",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/integrations/{INTEGRATION}"),
        Some(json!({"active": true, "tenant_url": "https://example.com"})),
    )
    .await;

    let body = UpdateIntegration::new(true, "https://example.com");
    let integration = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .update(ACCOUNT, INTEGRATION, &body)
        .await
        .unwrap();

    assert_is_example_integration(&integration);
}

#[tokio::test]
async fn integrations_delete() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.integrations.delete";
    serve_example(
        &server,
        op,
        "DELETE",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/integrations/{INTEGRATION}"),
        None,
    )
    .await;

    let result = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .delete(ACCOUNT, INTEGRATION)
        .await
        .unwrap();

    assert_eq!(result, Some(serde_json::Map::new()));
}

#[tokio::test]
async fn integrations_delete_accepts_a_null_result() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"success": true, "errors": [], "messages": [], "result": null}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;

    let result = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .delete(ACCOUNT, INTEGRATION)
        .await
        .unwrap();

    assert_eq!(result, None);
}

#[tokio::test]
async fn integrations_references_get() {
    let server = MockServer::start().await;
    let op = "zero_trust.risk_scoring.integrations.references.get";
    serve_example(
        &server,
        op,
        "GET",
        &format!("/accounts/{ACCOUNT}/zt_risk_scoring/integrations/reference_id/idp-ref-1"),
        None,
    )
    .await;

    let integration = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .references()
        .get(ACCOUNT, "idp-ref-1")
        .await
        .unwrap();

    assert_is_example_integration(&integration);
}
