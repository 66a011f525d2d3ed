//! `cargo xtask gen` with a spec that fails validation reports every problem, exits
//! non-zero and leaves an existing output directory byte for byte as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("xtask runs")
}

/// Every file under `dir` with its content and modification time.
fn contents(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, (Vec<u8>, SystemTime)>) {
        for entry in fs::read_dir(dir).expect("readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                let modified = fs::metadata(&path).and_then(|meta| meta.modified());
                let content = fs::read(&path).expect("readable");
                out.insert(path, (content, modified.expect("an mtime")));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, &mut out);
    out
}

#[test]
fn a_spec_with_mistakes_changes_nothing_in_an_existing_output_directory() {
    let scratch = std::env::temp_dir().join(format!("xtask-gen-bad-{}", std::process::id()));
    fs::remove_dir_all(&scratch).ok();
    let out = scratch.join("generated");
    let out_arg = out.to_str().expect("a UTF-8 temporary directory");

    let good = xtask(&[
        "gen",
        "--spec",
        "tests/fixtures/enums/spec.yaml",
        "--out",
        out_arg,
    ]);
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    fs::write(out.join("NOTES.md"), "a file the generator does not own\n").expect("write");
    let before = contents(&out);

    let spec = "tests/bad_specs/many_mistakes.yaml";
    let bad = xtask(&["gen", "--spec", spec, "--out", out_arg]);

    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    let located = stderr
        .lines()
        .filter(|line| line.starts_with(&format!("{spec}:")))
        .count();
    assert!(
        located >= 8,
        "every mistake is reported, each located:\n{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(contents(&out), before, "the output directory is untouched");
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
