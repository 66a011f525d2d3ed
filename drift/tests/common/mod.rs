//! Test data: the crafted documents in `tests/openapi/crafted/`, and Cloudflare's own
//! documents where they live, in `../shared/reference/` beside the workspace.

use std::path::PathBuf;

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[allow(dead_code)] // not every test file reads one
pub fn crafted_dir() -> PathBuf {
    workspace_root().join("tests/openapi/crafted")
}

/// A document of `../shared/reference/`; a checkout without it fails the test that needs
/// it, with the path to put it at.
#[allow(dead_code)] // not every test file reads one
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

pub fn read(path: impl Into<PathBuf>) -> String {
    let path = path.into();
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}
