//! Helpers shared by the importer's tests; each test file uses some of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// A document of Cloudflare's in `../shared/reference/`, beside the workspace: Cloudflare's
/// text is referred to where it lives, never copied into the project. A checkout without it
/// fails the test that needs it, with the path to put it at.
pub fn reference_document(name: &str) -> PathBuf {
    let path = workspace_root().join("../shared/reference").join(name);
    assert!(
        path.is_file(),
        "{} is missing: the tests read Cloudflare's OpenAPI documents from ../shared/reference/ \
         beside the workspace (see the README)",
        path.display()
    );
    path
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

pub const RISK_SCORING: &str = "cloudflare-openapi-zt-risk-scoring.json";
pub const RISK_SCORING_PATHS: &str = "/accounts/{account_id}/zt_risk_scoring";

/// Imports `document` with `names` (a path in the workspace, or none).
pub fn import(document: &str, paths: &[&str], names: Option<&str>) -> import::Imported {
    import_with(document, paths, names, false)
}

/// [`import`], with the conformance test's values when `values` is set.
pub fn import_with(
    document: &str,
    paths: &[&str],
    names: Option<&str>,
    values: bool,
) -> import::Imported {
    let doc = openapi::parse(&read(&reference_document(document))).expect("the document parses");
    let names_file = match names {
        Some(path) => import::NamesFile::parse(path, &read(&workspace_root().join(path)))
            .expect("the names file parses"),
        None => import::NamesFile::default(),
    };
    let options = import::Options {
        paths: paths.iter().map(|path| (*path).to_owned()).collect(),
        crate_name: None,
        names_file: names.unwrap_or_default().to_owned(),
        document: format!("../shared/reference/{document}"),
        values,
    };
    import::import(&doc, &names_file, &options).expect("something to import")
}

/// `kind: count` lines.
pub fn counts(warnings: &[import::Warning]) -> String {
    import::counts(warnings)
        .into_iter()
        .map(|(kind, count)| format!("{kind}: {count}\n"))
        .collect()
}
