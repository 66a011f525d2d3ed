//! The drift check on small crafted documents, one per kind of difference, each compared
//! with the crafted spec beside them (`tests/openapi/crafted/`). The snapshots are the
//! reports: reading one shows what the check says about that kind of difference.

mod common;

use common::{crafted_dir, read};

fn crafted(name: &str) -> String {
    crafted_dir().join(name).to_string_lossy().into_owned()
}

fn report_with(document: &str, allow: &drift::AllowList) -> drift::Report {
    let spec = drift::load_spec("spec.yaml", &read(crafted("spec.yaml"))).unwrap();
    let openapi = drift::parse_openapi(&read(crafted(document))).unwrap();
    drift::check(&spec, &openapi, allow)
}

fn report(document: &str) -> drift::Report {
    report_with(document, &drift::AllowList::default())
}

/// One snapshot test per crafted document, named after it.
macro_rules! crafted_documents {
    ($($name:ident),* $(,)?) => {
        const DOCUMENTS: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                let report = report(concat!(stringify!($name), ".yaml"));
                assert_eq!(report.is_clean(), stringify!($name) == "identical", "{report}");
                insta::assert_snapshot!(report.to_string());
            }
        )*
    };
}

crafted_documents!(
    identical,
    operations,
    moved,
    presence,
    types,
    format,
    required,
    nullable,
    enum_values,
    result_info,
    uninterpretable,
);

#[test]
fn every_crafted_document_has_a_test() {
    let mut on_disk: Vec<String> = std::fs::read_dir(crafted_dir())
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".yaml").map(str::to_owned))
        .filter(|name| name != "spec" && !name.ends_with("-allow"))
        .collect();
    on_disk.sort();
    let mut tested: Vec<String> = DOCUMENTS.iter().map(|name| name.to_string()).collect();
    tested.sort();
    assert_eq!(on_disk, tested);
}

#[test]
fn json_report() {
    insta::assert_snapshot!(report("result_info.yaml").to_json());
}

#[test]
fn allowed_differences_pass_and_stale_entries_fail() {
    let allow =
        drift::AllowList::parse("format-allow.yaml", &read(crafted("format-allow.yaml"))).unwrap();
    let report = report_with("format.yaml", &allow);
    assert!(!report.is_clean(), "a stale entry fails the check");
    assert_eq!(report.unused_allowances.len(), 1);
    insta::assert_snapshot!(report.to_string());
}

#[test]
fn allowing_every_difference_makes_the_report_clean() {
    let format = report("format.yaml");
    let entries: Vec<String> = format
        .operations
        .iter()
        .flat_map(|operation| {
            operation.findings.iter().map(move |finding| {
                format!(
                    "  - operation: {:?}\n    difference: {:?}\n    why: Kept on purpose.\n",
                    operation.operation,
                    finding.difference.to_string()
                )
            })
        })
        .collect();
    let allow =
        drift::AllowList::parse("all.yaml", &format!("allow:\n{}", entries.concat())).unwrap();
    let report = report_with("format.yaml", &allow);
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.needs_attention(), 0);
}

#[test]
fn the_allow_list_rejects_entries_without_a_reason_unknown_keys_and_repeats() {
    let entry = "  - {operation: GET /x, difference: \"differs: a\", why: because}\n";
    let cases = [
        "allow:\n  - {operation: GET /x, difference: \"differs: a\", why: \" \"}\n".to_owned(),
        "allow:\n  - {operation: GET /x, difference: \"differs: a\", why: because, note: x}\n"
            .to_owned(),
        format!("allow:\n{entry}{entry}"),
        "allowed: []\n".to_owned(),
    ];
    let errors: Vec<String> = cases
        .iter()
        .map(|text| {
            drift::AllowList::parse("allow.yaml", text)
                .expect_err(text)
                .to_string()
        })
        .collect();
    insta::assert_snapshot!(errors.join("\n"));
}
