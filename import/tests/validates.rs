//! What the importer writes loads and validates with the generator's own stages, so a spec
//! it writes is one the generator accepts.

mod common;

use common::{import, RISK_SCORING, RISK_SCORING_PATHS};

fn validate(name: &str, yaml: &str) {
    let loaded = codegen::load::load(name, yaml)
        .unwrap_or_else(|diagnostics| panic!("{name} does not load:\n{diagnostics}"));
    if let Err(diagnostics) = codegen::validate::validate(&loaded) {
        panic!(
            "{name} does not validate ({} problems):\n{diagnostics}",
            diagnostics.0.len()
        );
    }
}

#[test]
fn the_imported_risk_scoring_spec_validates() {
    let imported = import(
        RISK_SCORING,
        &[RISK_SCORING_PATHS],
        Some("spec/risk_scoring.names.yaml"),
    );
    validate("risk_scoring.yaml", &imported.yaml);
    let imported = import(RISK_SCORING, &[RISK_SCORING_PATHS], None);
    validate("risk_scoring_without_names.yaml", &imported.yaml);
}

#[test]
fn the_imported_zero_trust_spec_validates() {
    let imported = import(
        "cloudflare-openapi-zero-trust.json",
        &["/"],
        Some("spec/zero_trust.names.yaml"),
    );
    validate("zero_trust.yaml", &imported.yaml);
}

#[test]
fn the_imported_whole_api_validates() {
    let imported = import("cloudflare-openapi-full.json", &["/"], None);
    validate("cloudflare.yaml", &imported.yaml);
}
