//! Every kind of mistake a spec can hold is rejected with `file:line:col: what is wrong`.
//!
//! `tests/bad_specs/` has one small spec per mistake, each starting with a comment that
//! says what is wrong with it; the diagnostics the generator gives for each are snapshotted
//! in `tests/snapshots/bad_specs/` (review changes with `cargo insta review`). To cover a
//! new kind of mistake, add a file there and accept its snapshot.

use std::fs;

use tests::workspace_root;

/// The bad specs by name (file stem), sorted, with their bytes: not all of them are UTF-8.
fn bad_specs() -> Vec<(String, Vec<u8>)> {
    let dir = workspace_root().join("tests/bad_specs");
    let mut specs: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .expect("tests/bad_specs exists")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|path| {
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let bytes = fs::read(&path).expect("a readable spec");
            (name, bytes)
        })
        .collect();
    specs.sort();
    specs
}

/// What the generator reports for a bad spec, as a user sees it.
fn diagnostics(name: &str, bytes: &[u8]) -> codegen::Diagnostics {
    match codegen::generate_from_bytes(bytes, &format!("tests/bad_specs/{name}.yaml")) {
        Err(codegen::Error::Spec(diagnostics)) => diagnostics,
        Ok(_) => panic!("{name}.yaml was accepted"),
        Err(other) => panic!("{name}.yaml: expected diagnostics, got: {other}"),
    }
}

/// The leading comment: what is wrong with the spec.
fn what_is_wrong(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .map_while(|line| line.strip_prefix('#'))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_bad_spec_is_rejected_with_located_diagnostics() {
    let specs = bad_specs();
    assert!(specs.len() >= 40, "the corpus is in place: {}", specs.len());
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(workspace_root().join("tests/snapshots/bad_specs"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for (name, text) in specs {
        let description = what_is_wrong(&text);
        assert!(
            !description.is_empty(),
            "{name}.yaml must start with a comment saying what is wrong"
        );
        let diagnostics = diagnostics(&name, &text);
        for diagnostic in &diagnostics.0 {
            assert_eq!(diagnostic.file, format!("tests/bad_specs/{name}.yaml"));
            assert!(
                diagnostic.line >= 1 && diagnostic.column >= 1,
                "{diagnostic}"
            );
        }
        settings.set_description(description);
        settings.bind(|| insta::assert_snapshot!(name, diagnostics.to_string()));
    }
}

/// One run reports every problem, in the order of the file, not just the first.
#[test]
fn all_mistakes_of_a_spec_are_reported_together_in_file_order() {
    let (name, text) = bad_specs()
        .into_iter()
        .find(|(name, _)| name == "many_mistakes")
        .expect("tests/bad_specs/many_mistakes.yaml exists");
    let found = diagnostics(&name, &text).0;
    assert!(found.len() >= 8, "{found:#?}");
    let lines: Vec<usize> = found.iter().map(|diagnostic| diagnostic.line).collect();
    assert!(lines.windows(2).all(|pair| pair[0] <= pair[1]), "{lines:?}");
}
