//! Every fixture's generated crate compiles cleanly: a snapshot can never bless code that
//! does not build. The crates are written into one scratch workspace under `target/` and
//! checked together with clippy and `-D warnings`, sharing one build of the dependencies.

use std::fs;
use std::process::Command;

use tests::{fixture_names, workspace_root};

#[test]
fn fixture_crates_compile_without_warnings() {
    let root = workspace_root();
    let scratch = root.join("target/fixture-crates");
    fs::create_dir_all(&scratch).expect("create scratch workspace");
    let mut members = Vec::new();
    for name in fixture_names() {
        let spec = format!("tests/fixtures/{name}/spec.yaml");
        let tree = codegen::generate(&root.join(&spec), &spec).unwrap_or_else(|e| panic!("{e}"));
        tree.write(&scratch.join(&name))
            .expect("write fixture crate");
        members.push(format!("{name:?}"));
    }
    fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("write workspace manifest");
    // The workspace's lock file pins the same dependency versions as `generated/` uses,
    // so this needs no network.
    fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).expect("copy Cargo.lock");

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "clippy",
            "--quiet",
            "--offline",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", root.join("target/fixture-check"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo clippy");
    assert!(
        output.status.success(),
        "fixture crates do not compile cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
