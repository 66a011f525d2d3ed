//! Every fixture's generated crate compiles cleanly and works on the wire: a snapshot can
//! never bless code that does not build or does not talk HTTP as it should.
//!
//! The crates are written into one scratch workspace under `target/fixture-crates/`, with
//! a `fixture-tests` package whose tests are the fixtures' `client.rs` files: each calls
//! its fixture's generated client against a wiremock server on loopback, sending and
//! decoding real bytes. The workspace is checked with clippy and `-D warnings`, then
//! tested (the fixture crates' own unit tests, among them the runtime modules only some
//! crates include, run too), sharing one build of the dependencies.

use std::fs;
use std::path::Path;
use std::process::Command;

use tests::{fixture_names, workspace_root};

/// The dependencies of the tests, beyond the fixture crates; all are in the workspace's
/// lock file, so this needs no network.
const TEST_DEPENDENCIES: &str = r#"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
wiremock = "0.6"
"#;

#[test]
fn fixture_crates_compile_without_warnings_and_work_on_the_wire() {
    let root = workspace_root();
    let scratch = root.join("target/fixture-crates");
    fs::create_dir_all(&scratch).expect("create scratch workspace");
    let names = fixture_names();
    let mut members = Vec::new();
    // Crates with product features, and the features: each is checked on its own.
    let mut products: Vec<(String, Vec<String>)> = Vec::new();
    let mut dependencies = String::new();
    let tests_dir = scratch.join("fixture-tests/tests");
    // Stale tests of fixtures that are gone must not linger.
    fs::remove_dir_all(&tests_dir).ok();
    fs::create_dir_all(&tests_dir).expect("create the tests' folder");
    for name in &names {
        let spec = format!("tests/fixtures/{name}/spec.yaml");
        let tree = codegen::generate(&root.join(&spec), &spec).unwrap_or_else(|e| panic!("{e}"));
        tree.write(&scratch.join(name))
            .expect("write fixture crate");
        members.push(format!("{name:?}"));
        let package = format!("fixture-{}", name.replace('_', "-"));
        let features = product_features(&tree);
        if features.is_empty() {
            dependencies.push_str(&format!("{package} = {{ path = \"../{name}\" }}\n"));
        } else {
            dependencies.push_str(&format!(
                "{package} = {{ path = \"../{name}\", features = [\"full\"] }}\n"
            ));
            products.push((package, features));
        }
        let client_test = root.join(format!("tests/fixtures/{name}/client.rs"));
        assert!(
            client_test.is_file(),
            "tests/fixtures/{name}/ needs a client.rs that calls its generated client on loopback"
        );
        fs::copy(&client_test, tests_dir.join(format!("{name}.rs"))).expect("copy client.rs");
    }
    members.push("\"fixture-tests\"".to_owned());
    write(
        &scratch.join("fixture-tests/Cargo.toml"),
        &format!(
            "[package]\nname = \"fixture-tests\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\n{TEST_DEPENDENCIES}\n[dev-dependencies]\n{dependencies}"
        ),
    );
    let support = fs::read_to_string(root.join("tests/fixtures/support.rs"))
        .expect("tests/fixtures/support.rs");
    write(&scratch.join("fixture-tests/src/lib.rs"), &support);
    write(
        &scratch.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
            members.join(", ")
        ),
    );
    // The workspace's lock file pins the same dependency versions as `generated/` uses.
    fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).expect("copy Cargo.lock");

    cargo(
        &scratch,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        "fixture crates do not compile cleanly",
    );
    // A product's feature alone compiles its code cleanly, and so does none at all: a
    // missing gate would leave something unused, or not compiled where it is needed.
    for (package, features) in &products {
        for feature in std::iter::once("").chain(features.iter().map(String::as_str)) {
            cargo(
                &scratch,
                &[
                    "clippy",
                    "--package",
                    package,
                    "--no-default-features",
                    "--features",
                    feature,
                    "--",
                    "-D",
                    "warnings",
                ],
                &format!("{package} does not compile cleanly with features [{feature}]"),
            );
        }
    }
    cargo(
        &scratch,
        &["test", "--workspace"],
        "fixture crates fail their tests",
    );
}

/// The product features of a generated crate, as its `Cargo.toml` lists them in `full`.
fn product_features(tree: &codegen::Tree) -> Vec<String> {
    let manifest = tree
        .files
        .get("Cargo.toml")
        .map(String::as_str)
        .unwrap_or_default();
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("full = ["))
        .map(|list| {
            list.trim_end_matches(']')
                .split(',')
                .map(|feature| feature.trim().trim_matches('"').to_owned())
                .filter(|feature| !feature.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
    // Unchanged files keep their times, so cargo rebuilds nothing it built before.
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).expect("write a file");
    }
}

fn cargo(dir: &Path, args: &[&str], failure: &str) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let (subcommand, rest) = args.split_first().expect("a cargo subcommand");
    let output = Command::new(cargo)
        .args([subcommand, "--quiet", "--offline"])
        .args(rest)
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/fixture-check"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "{failure}:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
