//! The drift check on Cloudflare's official document (in `../shared/reference/`), with the
//! real spec and the real allow-list: what `cargo xtask drift` reports on it.

mod common;

use common::{read, reference_document, workspace_root};

fn report() -> drift::Report {
    let root = workspace_root();
    let spec = drift::load_spec(
        "spec/risk_scoring.yaml",
        &read(root.join("spec/risk_scoring.yaml")),
    )
    .unwrap();
    let openapi = drift::parse_openapi(&read(reference_document(
        "cloudflare-openapi-zt-risk-scoring.json",
    )))
    .unwrap();
    let allow = drift::AllowList::parse(
        "spec/drift-allow.yaml",
        &read(root.join("spec/drift-allow.yaml")),
    )
    .unwrap();
    drift::check(&spec, &openapi, &allow)
}

#[test]
fn the_spec_has_no_unexplained_differences_from_the_official_document() {
    let report = report();
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.prefix, "/accounts/{account_id}/zt_risk_scoring");
    assert_eq!(
        report.operations.len(),
        11,
        "every spec operation is paired, and upstream has no other"
    );
}

#[test]
fn report_on_the_official_document() {
    insta::assert_snapshot!(report().to_string());
}

#[test]
fn json_report_on_the_official_document() {
    insta::assert_snapshot!(report().to_json());
}

#[test]
fn the_document_reads_the_same_as_yaml() {
    let json = read(reference_document(
        "cloudflare-openapi-zt-risk-scoring.json",
    ));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let yaml = serde_yaml::to_string(&value).unwrap();
    assert_eq!(
        drift::parse_openapi(&yaml).unwrap(),
        drift::parse_openapi(&json).unwrap()
    );
}
