//! `cargo xtask` as a user runs it.
//!
//! xtask is a workspace of its own (so that it builds when `generated/` is gone), so these
//! tests build it with cargo, once, into `target/xtask-cli/`, and run the binary; its own
//! unit tests run from here too, so that `cargo test --workspace` is still every test.
//!
//! - `gen` recreates the committed `generated/` byte for byte in a copy of the workspace
//!   after `generated/` is deleted, `generated/src` is deleted, or `generated/Cargo.toml`
//!   is emptied, with the README's command, `cargo xtask gen`;
//! - `gen --spec --out` writes elsewhere, `--check` reports a stale tree with a diff;
//! - a bad spec is reported, located, and nothing is written.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::SystemTime;

use tests::workspace_root;

/// The target directory of every cargo run here: apart from the one running the tests,
/// whose lock it would wait for.
fn target_dir() -> PathBuf {
    workspace_root().join("target/xtask-cli")
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn succeeded(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed:\n{}\n{}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

/// The xtask binary of this checkout, built once for all the tests of this file.
fn xtask_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let manifest = workspace_root().join("xtask/Cargo.toml");
        let build = cargo()
            .args(["build", "--locked", "--quiet", "--manifest-path"])
            .arg(&manifest)
            .output()
            .expect("run cargo build");
        succeeded(&build, "building xtask");
        target_dir().join("debug/xtask")
    })
}

fn xtask(args: &[&str]) -> Output {
    Command::new(xtask_binary())
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("run xtask")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
    fs::remove_dir_all(&dir).ok();
    dir
}

/// Every file under `dir`, by path relative to it, with its bytes; `skip` names directories
/// left out wherever they are.
fn files(dir: &Path, skip: &[&str]) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, skip: &[&str], out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("a readable directory") {
            let path = entry.expect("an entry").path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if path.is_dir() {
                if !skip.contains(&name.as_ref()) {
                    walk(root, &path, skip, out);
                }
            } else {
                let relative = path.strip_prefix(root).expect("inside root").to_path_buf();
                out.insert(relative, fs::read(&path).expect("a readable file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, skip, &mut out);
    out
}

/// A copy of the workspace as a clone would have it: no build output, no git metadata.
fn copy_of_workspace(to: &Path) {
    for (relative, bytes) in files(&workspace_root(), &["target", ".git"]) {
        let path = to.join(relative);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create a directory");
        fs::write(path, bytes).expect("write a file");
    }
}

#[test]
fn cargo_xtask_gen_rebuilds_generated_from_nothing_in_place() {
    let committed = files(&workspace_root().join("generated"), &["target"]);
    let copy = scratch("workspace");
    copy_of_workspace(&copy);
    let generated = copy.join("generated");
    let regenerate = |broken: &str| {
        let run = cargo()
            .args(["xtask", "gen"])
            .current_dir(&copy)
            .output()
            .expect("run cargo xtask gen");
        succeeded(&run, &format!("`cargo xtask gen` after {broken}"));
        assert!(
            files(&generated, &["target"]) == committed,
            "after {broken}, `cargo xtask gen` does not recreate the committed tree"
        );
    };

    fs::remove_dir_all(&generated).expect("remove generated/");
    regenerate("`rm -rf generated`");
    fs::remove_dir_all(generated.join("src")).expect("remove generated/src");
    regenerate("`rm -rf generated/src`");
    fs::write(generated.join("Cargo.toml"), "").expect("truncate generated/Cargo.toml");
    regenerate("emptying generated/Cargo.toml");
    fs::remove_dir_all(&copy).ok();
}

#[test]
fn xtask_unit_tests_pass() {
    let run = cargo()
        .args(["test", "--locked", "--quiet", "--manifest-path"])
        .arg(workspace_root().join("xtask/Cargo.toml"))
        .output()
        .expect("run cargo test");
    succeeded(&run, "xtask's unit tests");
}

#[test]
fn gen_writes_elsewhere_then_check_passes_and_a_second_run_changes_nothing() {
    let out = scratch("fixture");
    let out_arg = out.to_str().expect("a UTF-8 temporary directory");
    let spec = "tests/fixtures/enums/spec.yaml";

    let first = xtask(&["gen", "--spec", spec, "--out", out_arg]);
    succeeded(&first, "the first gen");
    assert!(
        text(&first.stdout).contains("created"),
        "{}",
        text(&first.stdout)
    );
    assert!(out.join("src/types.rs").is_file());

    let second = xtask(&["gen", "--spec", spec, "--out", out_arg]);
    succeeded(&second, "the second gen");
    assert!(
        text(&second.stdout).contains("0 created, 0 updated, 0 removed"),
        "{}",
        text(&second.stdout)
    );

    let check = xtask(&["gen", "--check", "--spec", spec, "--out", out_arg]);
    succeeded(&check, "gen --check");

    // A hand edit makes --check fail with a unified diff, and --check writes nothing.
    let types = out.join("src/types.rs");
    let edited = fs::read_to_string(&types)
        .expect("types.rs")
        .replace("/// Red.", "/// Crimson.");
    fs::write(&types, &edited).expect("edit types.rs");
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
    assert_eq!(fs::read_to_string(&types).expect("types.rs"), edited);
    fs::remove_dir_all(&out).ok();
}

#[test]
fn a_bad_spec_is_reported_with_its_location_and_nothing_is_written() {
    let dir = scratch("bad");
    fs::create_dir_all(&dir).expect("create scratch");
    let spec = dir.join("spec.yaml");
    let good = fs::read_to_string(workspace_root().join("tests/fixtures/enums/spec.yaml"))
        .expect("the enums fixture");
    fs::write(&spec, good.replace("type: Color", "type: Colour")).expect("write spec");
    let out = dir.join("out");

    let run = xtask(&[
        "gen",
        "--spec",
        spec.to_str().expect("UTF-8"),
        "--out",
        out.to_str().expect("UTF-8"),
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

/// Every file under `dir` with its content and modification time.
fn contents_and_mtimes(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    files(dir, &[])
        .into_iter()
        .map(|(relative, bytes)| {
            let modified = fs::metadata(dir.join(&relative))
                .and_then(|meta| meta.modified())
                .expect("an mtime");
            (relative, (bytes, modified))
        })
        .collect()
}

#[test]
fn a_spec_with_mistakes_changes_nothing_in_an_existing_output_directory() {
    let scratch = scratch("bad-over-good");
    let out = scratch.join("generated");
    let out_arg = out.to_str().expect("a UTF-8 temporary directory");

    let good = xtask(&[
        "gen",
        "--spec",
        "tests/fixtures/enums/spec.yaml",
        "--out",
        out_arg,
    ]);
    succeeded(&good, "gen of a good spec");
    fs::write(out.join("NOTES.md"), "a file the generator does not own\n").expect("write");
    let before = contents_and_mtimes(&out);

    let spec = "tests/bad_specs/many_mistakes.yaml";
    let bad = xtask(&["gen", "--spec", spec, "--out", out_arg]);

    assert!(!bad.status.success());
    let stderr = text(&bad.stderr);
    let located = stderr
        .lines()
        .filter(|line| line.starts_with(&format!("{spec}:")))
        .count();
    assert!(
        located >= 8,
        "every mistake is reported, each located:\n{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(
        contents_and_mtimes(&out),
        before,
        "the output directory is untouched"
    );
    let siblings: Vec<_> = fs::read_dir(&scratch)
        .expect("readable")
        .map(|entry| entry.expect("an entry").file_name())
        .collect();
    assert_eq!(
        siblings,
        ["generated"],
        "no staging directory is left behind"
    );
    fs::remove_dir_all(&scratch).ok();
}

#[test]
fn unknown_arguments_are_usage_errors() {
    let run = xtask(&["gen", "--frobnicate"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("usage"));
}

#[test]
fn import_writes_a_spec_and_strict_mode_writes_nothing_on_warnings() {
    let scratch = scratch("import");
    fs::create_dir_all(&scratch).unwrap();
    let out = scratch.join("risk_scoring.yaml");
    let values = scratch.join("values.json");
    let document = tests::reference_document("cloudflare-openapi-zt-risk-scoring.json");
    let document = document.to_str().unwrap();
    let run = xtask(&[
        "import",
        document,
        "--paths",
        "/accounts/{account_id}/zt_risk_scoring",
        "--names",
        "spec/risk_scoring.names.yaml",
        "--out",
        out.to_str().unwrap(),
        "--values",
        values.to_str().unwrap(),
        "--strict",
    ]);
    succeeded(&run, "cargo xtask import");
    assert!(
        text(&run.stderr).contains("values for 11 operations"),
        "{}",
        text(&run.stderr)
    );
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&values).unwrap()).unwrap();
    assert!(
        written["zero_trust.risk_scoring.integrations.create"]["body"].is_object(),
        "{written}"
    );
    assert!(
        text(&run.stderr).contains("11 operations, 13 types; no warnings"),
        "{}",
        text(&run.stderr)
    );
    let written = fs::read_to_string(&out).unwrap();
    assert!(
        written.contains("name: cloudflare-risk-scoring"),
        "{written}"
    );

    // The crafted document has warnings: --strict prints them, fails, and writes nothing.
    let crafted = workspace_root().join("import/tests/crafted/everything.yaml");
    let strict_out = scratch.join("strict.yaml");
    let strict_values = scratch.join("strict.json");
    let run = xtask(&[
        "import",
        crafted.to_str().unwrap(),
        "--paths",
        "/accounts/{account_id}",
        "--out",
        strict_out.to_str().unwrap(),
        "--values",
        strict_values.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run.stderr));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("warning: #/paths/"), "{stderr}");
    assert!(
        stderr.contains("error: --strict: nothing was written"),
        "{stderr}"
    );
    assert!(!strict_out.exists());
    assert!(!strict_values.exists());
    let leftovers: Vec<_> = fs::read_dir(&scratch)
        .unwrap()
        .filter_map(Result::ok)
        .map(|entry| entry.file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");

    let run = xtask(&["import", document]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("missing --paths"),
        "{}",
        text(&run.stderr)
    );
    fs::remove_dir_all(&scratch).ok();
}
