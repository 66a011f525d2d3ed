//! The importer on a small crafted document with one of each construct and defect
//! (`tests/crafted/everything.yaml`): the spec it writes and the warnings, snapshotted.

mod common;

use std::path::Path;

fn import_crafted(names: &str) -> import::Imported {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/crafted/everything.yaml");
    let doc = openapi::parse(&common::read(&path)).expect("the crafted document parses");
    let names = import::NamesFile::parse("names.yaml", names).expect("the names file parses");
    let options = import::Options {
        paths: vec!["/accounts/{account_id}".to_owned()],
        crate_name: Some("crafted".to_owned()),
        names_file: "names.yaml".to_owned(),
        document: "everything.yaml".to_owned(),
        values: false,
    };
    import::import(&doc, &names, &options).expect("something to import")
}

#[test]
fn every_construct() {
    let imported = import_crafted("");
    insta::assert_snapshot!("spec", imported.yaml);
    let warnings: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!("warnings", warnings.join("\n"));
}

#[test]
fn the_names_file_renames_places_and_overrides() {
    let imported = import_crafted(
        "
resources:
  widgets: gadgets
operations:
  widgets-archive: {resource: gadgets.archive, method: run}
  GET /accounts/{account_id}/widgets/{widget_id}: {method: fetch}
  pages-list: {pagination: none}
  events-list: {pagination: cursor}
  nothing-like-this: {method: x}
types:
  w_Widget:
    name: Gadget
    fields: {fooBar: foo_bar_camel, nowhere: x}
  w_Gone: {name: Gone}
  w_NewWidget: {name: NewGadget}
  \"#/components/schemas/w_NewWidget/properties/value\":
    variant_order: [string, integer, list<string>, boolean]
",
    );
    let yaml = &imported.yaml;
    assert!(yaml.contains("\n  Gadget:\n"), "{yaml}");
    assert!(yaml.contains("name: foo_bar_camel"), "{yaml}");
    assert!(yaml.contains("  gadgets:\n"), "{yaml}");
    assert!(yaml.contains("      run:\n"), "{yaml}");
    assert!(yaml.contains("      fetch:\n"), "{yaml}");
    let value = yaml
        .split("\n  NewGadgetValue:\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_default();
    assert!(
        value.contains("variants:\n        - type: string\n        - type: integer\n        - type: list<string>\n        - type: NewGadgetValueVariant4"),
        "{value}"
    );
    let unused: Vec<&str> = imported
        .warnings
        .iter()
        .filter(|warning| warning.kind == import::WarningKind::UnusedName)
        .map(|warning| warning.at.as_str())
        .collect();
    assert_eq!(
        unused,
        [
            "names.yaml: types.#/components/schemas/w_NewWidget/properties/value.variant_order",
            "names.yaml: operations.nothing-like-this",
            "names.yaml: types.w_Widget.fields.nowhere",
            "names.yaml: types.w_Gone",
        ]
    );
}

#[test]
fn strict_mode_is_the_callers_and_nothing_panics_on_an_empty_selection() {
    let doc =
        openapi::parse("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
    let error = import::import(
        &doc,
        &import::NamesFile::default(),
        &import::Options {
            paths: vec!["/x".to_owned()],
            ..import::Options::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "no operation of the document is under /x"
    );
}
