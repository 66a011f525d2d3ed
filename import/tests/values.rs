//! The values file of the generated conformance test (`Options::values`): one entry per
//! operation, keyed by the name the generated client gives it, with a value for every
//! parameter the spec declares (by the spec's wire names) and both bodies, valid for the
//! document (no `no_example` warning on Cloudflare's Zero Trust document) and decoded by the
//! spec's types (nor on the whole API). Whether Prism accepts them is `tests/tests/zero_trust.rs`'s to show.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Instant;

use common::{import_with, RISK_SCORING, RISK_SCORING_PATHS};
use serde_json::Value;

/// Checks that the values name exactly the spec's operations, each with exactly the
/// parameters the spec declares, and a body where the spec has one.
fn assert_matches_spec(imported: &import::Imported) {
    let loaded = codegen::load::load("imported.yaml", &imported.yaml)
        .unwrap_or_else(|error| panic!("{error}"));
    let api = codegen::lower::lower(&loaded.spec, "imported.yaml").expect("the spec lowers");
    let values = imported
        .values
        .as_ref()
        .and_then(Value::as_object)
        .expect("values were asked for");
    let mut operations = Vec::new();
    let mut stack: Vec<&codegen::ir::Resource> = api.resources.iter().collect();
    while let Some(resource) = stack.pop() {
        operations.extend(&resource.operations);
        stack.extend(&resource.children);
    }
    let in_spec: BTreeSet<&str> = operations
        .iter()
        .map(|operation| operation.qualified_name.as_str())
        .collect();
    let in_values: BTreeSet<&str> = values.keys().map(String::as_str).collect();
    assert_eq!(in_values, in_spec, "the values name the spec's operations");
    for operation in operations {
        let name = &operation.qualified_name;
        let of = &values[name.as_str()];
        let keys = |section: &str| -> BTreeSet<String> {
            of[section]
                .as_object()
                .unwrap_or_else(|| panic!("{name}: no `{section}` object"))
                .keys()
                .cloned()
                .collect()
        };
        let wire = |params: &mut dyn Iterator<Item = &String>| -> BTreeSet<String> {
            params.cloned().collect()
        };
        assert_eq!(
            keys("path"),
            wire(&mut operation.path_params.iter().map(|p| &p.wire_name)),
            "{name}: path parameters"
        );
        assert_eq!(
            keys("query"),
            wire(&mut operation.query_params.iter().map(|p| &p.wire_name)),
            "{name}: query parameters"
        );
        assert_eq!(
            keys("header"),
            wire(&mut operation.header_params.iter().map(|p| &p.wire_name)),
            "{name}: header parameters"
        );
        for path in of["path"]
            .as_object()
            .into_iter()
            .flat_map(|path| path.values())
        {
            assert!(path.is_string(), "{name}: a path parameter is text: {path}");
        }
        let has_body = operation.body.is_some();
        assert_eq!(of.get("body").is_some(), has_body, "{name}: body");
        assert_eq!(of.get("full_body").is_some(), has_body, "{name}: full_body");
    }
}

fn no_example_warnings(imported: &import::Imported) -> Vec<String> {
    imported
        .warnings
        .iter()
        .filter(|warning| warning.kind == import::WarningKind::NoExample)
        .map(ToString::to_string)
        .collect()
}

#[test]
fn risk_scoring_values() {
    let imported = import_with(
        RISK_SCORING,
        &[RISK_SCORING_PATHS],
        Some("spec/risk_scoring.names.yaml"),
        true,
    );
    assert!(imported.warnings.is_empty(), "{:#?}", imported.warnings);
    assert_matches_spec(&imported);
    let values = imported.values.as_ref().expect("values");
    // Account ids are the document's, or Cloudflare-shaped.
    let account = &values["zero_trust.risk_scoring.integrations.list"]["path"]["account_id"];
    assert!(
        account
            .as_str()
            .is_some_and(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())),
        "{account}"
    );
    insta::assert_snapshot!(serde_json::to_string_pretty(values).expect("JSON"));
}

#[test]
fn zero_trust_values_are_valid_for_the_document_and_the_spec() {
    let started = Instant::now();
    let imported = import_with(
        "cloudflare-openapi-zero-trust.json",
        &["/"],
        Some("spec/zero_trust.names.yaml"),
        true,
    );
    eprintln!("zero trust with values: {:.2?}", started.elapsed());
    let problems = no_example_warnings(&imported);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_matches_spec(&imported);
    // Account and zone ids are Cloudflare-shaped: 32 hexadecimal digits.
    let values = imported
        .values
        .as_ref()
        .and_then(Value::as_object)
        .expect("values");
    for (operation, of) in values {
        for (name, value) in of["path"].as_object().into_iter().flatten() {
            if ["account_id", "zone_id", "account_or_zone_id"].contains(&name.as_str()) {
                let id = value.as_str().unwrap_or_default();
                assert!(
                    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
                    "{operation}: {name} is {value}"
                );
            }
        }
    }
    // The same bytes every time.
    let again = import_with(
        "cloudflare-openapi-zero-trust.json",
        &["/"],
        Some("spec/zero_trust.names.yaml"),
        true,
    );
    assert!(
        again.values == imported.values,
        "two imports' values differ"
    );
}

#[test]
fn the_whole_apis_values_are_made_without_a_panic() {
    let started = Instant::now();
    let imported = import_with("cloudflare-openapi-full.json", &["/"], None, true);
    eprintln!(
        "whole API with values: {} in {:.2?}",
        import::summary(&imported.warnings),
        started.elapsed()
    );
    for warning in &imported.warnings {
        assert!(warning.at.starts_with("#/"), "not located: {warning}");
    }
    assert_matches_spec(&imported);
    let problems = no_example_warnings(&imported);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn crafted_values() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/crafted/everything.yaml");
    let doc = openapi::parse(&common::read(&path)).expect("the crafted document parses");
    let options = import::Options {
        paths: vec!["/accounts/{account_id}".to_owned()],
        crate_name: Some("crafted".to_owned()),
        names_file: String::new(),
        document: "everything.yaml".to_owned(),
        values: true,
    };
    let imported =
        import::import(&doc, &import::NamesFile::default(), &options).expect("something to import");
    assert_matches_spec(&imported);
    let problems = no_example_warnings(&imported);
    insta::assert_snapshot!(
        "crafted_values",
        format!(
            "{}\n\n{}",
            serde_json::to_string_pretty(imported.values.as_ref().expect("values")).expect("JSON"),
            problems.join("\n")
        )
    );
}
