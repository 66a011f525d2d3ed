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
    let tree = codegen::generate(&root.join("spec/risk_scoring.yaml"), "spec/risk_scoring.yaml")
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
