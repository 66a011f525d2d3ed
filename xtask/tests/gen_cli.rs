//! `cargo xtask gen` as a user runs it: `--spec` and `--out` to generate elsewhere,
//! `--check` to detect a stale tree with a diff, and a bad spec reported and nothing written.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("run xtask")
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-gen-{name}-{}", std::process::id()));
    fs::remove_dir_all(&dir).ok();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn gen_writes_elsewhere_then_check_passes_and_a_second_run_changes_nothing() {
    let out = scratch("fixture");
    let out_arg = out.to_str().unwrap();
    let spec = "tests/fixtures/enums/spec.yaml";

    let first = xtask(&["gen", "--spec", spec, "--out", out_arg]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout).contains("created"),
        "{}",
        text(&first.stdout)
    );
    assert!(out.join("src/types.rs").is_file());

    let second = xtask(&["gen", "--spec", spec, "--out", out_arg]);
    assert!(second.status.success());
    assert!(
        text(&second.stdout).contains("0 created, 0 updated, 0 removed"),
        "{}",
        text(&second.stdout)
    );

    let check = xtask(&["gen", "--check", "--spec", spec, "--out", out_arg]);
    assert!(check.status.success(), "{}", text(&check.stderr));

    // A hand edit makes --check fail with a unified diff, and --check writes nothing.
    let types = out.join("src/types.rs");
    let edited = fs::read_to_string(&types)
        .unwrap()
        .replace("/// Red.", "/// Crimson.");
    fs::write(&types, &edited).unwrap();
    let stale = xtask(&["gen", "--check", "--spec", spec, "--out", out_arg]);
    assert!(!stale.status.success());
    let diff = text(&stale.stdout);
    assert!(
        diff.contains("-    /// Crimson.") && diff.contains("+    /// Red."),
        "{diff}"
    );
    assert!(
        text(&stale.stderr).contains("cargo xtask gen"),
        "{}",
        text(&stale.stderr)
    );
    assert_eq!(fs::read_to_string(&types).unwrap(), edited);
    fs::remove_dir_all(&out).ok();
}

#[test]
fn a_bad_spec_is_reported_with_its_location_and_nothing_is_written() {
    let dir = scratch("bad");
    fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("spec.yaml");
    let good = fs::read_to_string(workspace_root().join("tests/fixtures/enums/spec.yaml")).unwrap();
    fs::write(&spec, good.replace("type: Color", "type: Colour")).unwrap();
    let out = dir.join("out");

    let run = xtask(&[
        "gen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!run.status.success());
    let stderr = text(&run.stderr);
    assert!(
        stderr.contains("unknown type 'Colour' (did you mean 'Color'?)"),
        "{stderr}"
    );
    assert!(stderr.contains("spec.yaml:"), "{stderr}");
    assert!(!out.exists(), "nothing may be written for a bad spec");
    fs::remove_dir_all(&dir).ok();
}

#[test]
fn unknown_arguments_are_usage_errors() {
    let run = xtask(&["gen", "--frobnicate"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("usage"));
}
