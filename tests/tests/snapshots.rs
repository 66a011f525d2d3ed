//! Snapshots of every file the generator writes for the real spec and for each fixture
//! spec. Review changes with `cargo insta review`.

use tests::{fixture_names, is_runtime_copy, snapshot_name, workspace_root};

fn assert_tree_snapshots(tree: &codegen::Tree, snapshot_dir: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(workspace_root().join("tests/snapshots").join(snapshot_dir));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for (path, text) in &tree.files {
            if !is_runtime_copy(path) {
                insta::assert_snapshot!(snapshot_name(path), text);
            }
        }
    });
}

#[test]
fn real_spec() {
    let root = workspace_root();
    let tree = codegen::generate(
        &root.join("spec/risk_scoring.yaml"),
        "spec/risk_scoring.yaml",
    )
    .unwrap_or_else(|error| panic!("the real spec must generate:\n{error}"));
    assert_tree_snapshots(&tree, "real");
}

#[test]
fn fixtures() {
    let root = workspace_root();
    for name in fixture_names() {
        let spec = format!("tests/fixtures/{name}/spec.yaml");
        let tree = codegen::generate(&root.join(&spec), &spec)
            .unwrap_or_else(|error| panic!("fixture {name} must generate:\n{error}"));
        assert_tree_snapshots(&tree, &format!("fixtures/{name}"));
    }
}

/// `cargo insta test --unreferenced=reject` without needing cargo-insta installed: a
/// snapshot left behind by a removed file or fixture fails the suite.
#[test]
fn no_orphaned_snapshots() {
    let root = workspace_root();
    let mut expected = std::collections::BTreeSet::new();
    let mut add = |dir: String, tree: codegen::Tree| {
        for path in tree.files.keys().filter(|path| !is_runtime_copy(path)) {
            expected.insert(format!("{dir}/{}.snap", snapshot_name(path)));
        }
    };
    add(
        "real".to_owned(),
        codegen::generate(
            &root.join("spec/risk_scoring.yaml"),
            "spec/risk_scoring.yaml",
        )
        .unwrap(),
    );
    for name in fixture_names() {
        let spec = format!("tests/fixtures/{name}/spec.yaml");
        add(
            format!("fixtures/{name}"),
            codegen::generate(&root.join(&spec), &spec).unwrap(),
        );
    }
    let snapshots = root.join("tests/snapshots");
    let mut found = std::collections::BTreeSet::new();
    for dir in ["real".to_owned()].into_iter().chain(
        fixture_names()
            .into_iter()
            .map(|name| format!("fixtures/{name}")),
    ) {
        for entry in std::fs::read_dir(snapshots.join(&dir))
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".snap") {
                found.insert(format!("{dir}/{name}"));
            }
        }
    }
    let orphans: Vec<_> = found.difference(&expected).collect();
    assert!(
        orphans.is_empty(),
        "snapshots no test produces any more: {orphans:?}"
    );
}
