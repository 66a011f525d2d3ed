//! Helpers shared by the test files in `tests/tests/`.

use std::path::{Path, PathBuf};

/// The workspace root, whatever directory the tests run from.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// A document of Cloudflare's in `../shared/reference/`, beside the workspace: Cloudflare's
/// text is referred to where it lives, never copied into the project. A checkout without
/// it fails the test that needs it, with the path to put it at.
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

/// The folders of `tests/fixtures/`, by name, sorted.
pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(workspace_root().join("tests/fixtures"))
        .expect("tests/fixtures exists")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("spec.yaml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A snapshot name for a generated file: `src/zero_trust/risk_scoring.rs` becomes
/// `src__zero_trust__risk_scoring.rs`.
pub fn snapshot_name(path: &str) -> String {
    path.replace('/', "__")
}

/// Whether `path` is a verbatim copy of the hand-written runtime. Those files are reviewed
/// where they are written, in `codegen/runtime/`, so snapshots leave them out.
pub fn is_runtime_copy(path: &str) -> bool {
    codegen::runtime::RUNTIME
        .iter()
        .any(|module| path == format!("src/{}.rs", module.name))
}

/// The real spec, loaded with the generator's own loader.
pub fn real_spec() -> codegen::spec::Spec {
    let path = workspace_root().join("spec/risk_scoring.yaml");
    let text = std::fs::read_to_string(&path).expect("spec/risk_scoring.yaml is readable");
    codegen::load::load("spec/risk_scoring.yaml", &text)
        .unwrap_or_else(|error| panic!("{error}"))
        .spec
}

/// Every operation of `spec` by its qualified name (`zero_trust.risk_scoring.get`).
pub fn operations(spec: &codegen::spec::Spec) -> Vec<(String, codegen::spec::Operation)> {
    fn walk(
        prefix: &str,
        resources: &indexmap::IndexMap<String, codegen::spec::Resource>,
        out: &mut Vec<(String, codegen::spec::Operation)>,
    ) {
        for (name, resource) in resources {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            for (op_name, operation) in &resource.operations {
                out.push((format!("{path}.{op_name}"), operation.clone()));
            }
            walk(&path, &resource.resources, out);
        }
    }
    let mut out = Vec::new();
    walk("", &spec.resources, &mut out);
    out
}

/// The example response the spec keeps for the operation `qualified_name`.
pub fn example_response(qualified_name: &str) -> serde_json::Value {
    operations(&real_spec())
        .into_iter()
        .find(|(name, _)| name == qualified_name)
        .map(|(_, operation)| operation.example_response)
        .unwrap_or_else(|| panic!("no operation {qualified_name} in the spec"))
        .unwrap_or_else(|| panic!("operation {qualified_name} has no example_response"))
}

/// The README's Rust examples compile (`cargo test --doc -p tests`).
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeExamples;

#[cfg(test)]
mod tests {
    #[test]
    #[should_panic(expected = "../shared/reference/no-such-document.json is missing")]
    fn a_missing_reference_document_fails_naming_its_path() {
        super::reference_document("no-such-document.json");
    }
}
