//! The generated models: open enums, kept unknown fields, optional and nullable fields as
//! the official schema has them, and decode errors at exact JSON paths.

use cloudflare_risk_scoring::types::{
    CreateIntegration, Integration, IntegrationType, RiskEvents, RiskLevel, UpdateIntegration,
};
use serde_json::json;

#[test]
fn unknown_enum_values_decode_into_the_catch_all_and_serialise_back_unchanged() {
    let level: RiskLevel = serde_json::from_value(json!("critical")).unwrap();
    assert_eq!(level, RiskLevel::Unknown("critical".to_owned()));
    assert_eq!(serde_json::to_value(&level).unwrap(), json!("critical"));
    assert_eq!(level.to_string(), "critical");

    let known: RiskLevel = serde_json::from_value(json!("high")).unwrap();
    assert_eq!(known, RiskLevel::High);
    assert_eq!(RiskLevel::from("medium"), RiskLevel::Medium);
    assert_eq!(RiskLevel::Medium.as_str(), "medium");
}

#[test]
fn unknown_fields_are_kept_and_serialised_back() {
    let wire = json!({
        "id": "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e",
        "account_tag": "tag",
        "active": false,
        "created_at": "2024-01-02T03:04:05Z",
        "integration_type": "Azure",
        "reference_id": "ref",
        "tenant_url": "https://tenant.example.com",
        "well_known_url": "/.well-known/x",
        "new_server_field": {"nested": [1, 2, 3]}
    });
    let integration: Integration = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(
        integration.integration_type,
        IntegrationType::Unknown("Azure".to_owned())
    );
    assert_eq!(
        integration.extra["new_server_field"],
        json!({"nested": [1, 2, 3]})
    );
    assert_eq!(serde_json::to_value(&integration).unwrap(), wire);
}

#[test]
fn optional_and_nullable_response_fields_may_be_absent_or_null() {
    let risk: RiskEvents = serde_json::from_value(json!({
        "email": "a@example.com",
        "name": "A",
        "events": [{"id": "e", "name": "n", "risk_level": "low", "timestamp": "2024-01-02T03:04:05Z"}],
        "last_reset_time": null
    }))
    .unwrap();
    assert_eq!(risk.last_reset_time, None);
    assert_eq!(risk.risk_level, None);
    assert_eq!(risk.events[0].event_details, None);
}

#[test]
fn a_missing_required_field_is_an_error_naming_it() {
    let error =
        serde_json::from_value::<RiskEvents>(json!({"email": "a", "name": "b"})).unwrap_err();
    assert!(
        error.to_string().contains("missing field `events`"),
        "{error}"
    );
}

#[test]
fn decode_errors_name_the_json_path() {
    let text = r#"{"email":"a","name":"b","events":[{"id":"e","name":"n","risk_level":"low","timestamp":"yesterday"}]}"#;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let error = serde_path_to_error::deserialize::<_, RiskEvents>(&mut deserializer).unwrap_err();
    assert_eq!(error.path().to_string(), "events[0].timestamp");
}

#[test]
fn request_bodies_omit_unset_optional_fields_and_send_set_ones() {
    let minimal = CreateIntegration::new("https://tenant.okta.com");
    assert_eq!(
        serde_json::to_value(&minimal).unwrap(),
        json!({"integration_type": "Okta", "tenant_url": "https://tenant.okta.com"})
    );
    let full = UpdateIntegration::new(false, "https://tenant.okta.com").with_reference_id("idp");
    assert_eq!(
        serde_json::to_value(&full).unwrap(),
        json!({"active": false, "tenant_url": "https://tenant.okta.com", "reference_id": "idp"})
    );
}
