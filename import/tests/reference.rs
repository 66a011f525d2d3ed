//! The importer on Cloudflare's own documents: the risk-scoring cut (snapshotted whole), the
//! Zero Trust cut and the whole API (their warning counts snapshotted, every warning located).

mod common;

use std::time::Instant;

use common::{counts, import, RISK_SCORING, RISK_SCORING_PATHS};

#[test]
fn risk_scoring_with_its_names_file() {
    let imported = import(
        RISK_SCORING,
        &[RISK_SCORING_PATHS],
        Some("spec/risk_scoring.names.yaml"),
    );
    assert!(imported.warnings.is_empty(), "{:#?}", imported.warnings);
    insta::assert_snapshot!(imported.yaml);
}

#[test]
fn risk_scoring_without_a_names_file() {
    let imported = import(RISK_SCORING, &[RISK_SCORING_PATHS], None);
    assert!(imported.warnings.is_empty(), "{:#?}", imported.warnings);
    insta::assert_snapshot!(imported.yaml);
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let first = import(RISK_SCORING, &[RISK_SCORING_PATHS], None);
    let second = import(RISK_SCORING, &[RISK_SCORING_PATHS], None);
    assert_eq!(first.yaml, second.yaml);
    let zero_trust = |_| import("cloudflare-openapi-zero-trust.json", &["/"], None).yaml;
    assert!(zero_trust(()) == zero_trust(()), "two imports differ");
}

#[test]
fn zero_trust_warnings_are_located_and_counted() {
    let started = Instant::now();
    let imported = import(
        "cloudflare-openapi-zero-trust.json",
        &["/"],
        Some("spec/zero_trust.names.yaml"),
    );
    eprintln!(
        "zero trust: {} operations, {} types, {} in {:.2?}",
        imported.operations,
        imported.types,
        import::summary(&imported.warnings),
        started.elapsed()
    );
    assert_eq!(imported.operations, 489);
    for warning in &imported.warnings {
        assert!(warning.at.starts_with("#/"), "not located: {warning}");
    }
    insta::assert_snapshot!(counts(&imported.warnings));
}

#[test]
fn the_whole_api_imports_without_a_panic() {
    let started = Instant::now();
    let imported = import("cloudflare-openapi-full.json", &["/"], None);
    eprintln!(
        "whole API: {} operations, {} types, {} in {:.2?}",
        imported.operations,
        imported.types,
        import::summary(&imported.warnings),
        started.elapsed()
    );
    assert_eq!(imported.operations, 3207);
    for warning in &imported.warnings {
        assert!(warning.at.starts_with("#/"), "not located: {warning}");
    }
    insta::assert_snapshot!(counts(&imported.warnings));
}

/// Every description in the Zero Trust document, written as the importer writes docs, reads
/// back as the same string.
#[test]
fn every_description_reads_back_from_the_yaml() {
    let text = common::read(&common::reference_document(
        "cloudflare-openapi-zero-trust.json",
    ));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut strings = Vec::new();
    collect_strings(&value, &mut strings);
    assert!(strings.len() > 1000, "{}", strings.len());
    let yaml = import::yaml_of_strings(&strings);
    let back: Vec<String> =
        serde_yaml::from_str::<Vec<std::collections::BTreeMap<String, String>>>(&yaml)
            .unwrap()
            .into_iter()
            .filter_map(|entry| entry.get("doc").cloned())
            .collect();
    assert_eq!(back, strings);
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) => out.push(text.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_strings(item, out)),
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                out.push(key.clone());
                collect_strings(item, out);
            }
        }
        _ => {}
    }
}
