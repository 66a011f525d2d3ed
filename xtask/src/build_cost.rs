//! `cargo xtask build-cost`: what the generated crate costs its users to build.
//!
//! The crate is generated from the spec into a scratch workspace of its own (with the
//! workspace's `Cargo.lock` and `[profile]` settings, so dependency versions and flags match),
//! built once to compile the dependencies, and then measured:
//!
//! - a clean debug build of the crate alone: `cargo clean -p` on it, then `cargo build`;
//! - a rebuild with nothing changed (cargo's own overhead, the floor of every build);
//! - a regeneration that writes nothing (an unchanged spec), then `cargo build`;
//! - an incremental rebuild after regenerating from an edited spec (one operation's summary
//!   changed, so one resource file is rewritten), alternating with the original;
//! - its size: lines of Rust, emitted and copied runtime apart;
//! - its dependencies: direct ones, and every package the build compiles for it.
//!
//! Timings are wall-clock times of whole `cargo build` commands, since that is what a user
//! waits for; each is repeated and the median reported with the range. `generated/` is never
//! touched.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use crate::workspace_root;

pub const USAGE: &str = "\
cargo xtask build-cost [--spec PATH] [--features LIST] [--runs N] [--target-dir DIR]
    measure the generated crate's build cost (clean build of the crate alone with its
    dependencies prebuilt, incremental rebuild after regeneration, lines, dependencies)
    in a scratch workspace; generated/ is not touched
    --spec PATH        spec to generate from (default: spec/risk_scoring.yaml)
    --features LIST    the crate's features to build with, for a crate of several
                       products (`full`, or one product's)
    --runs N           repetitions of each timed build (default: 5)
    --target-dir DIR   where to build (default: target/build-cost; keep it apart from
                       other builds so they do not invalidate or lock it)";

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let options = Options::parse(args)?;
    let report = measure(&options)?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

struct Options {
    spec: PathBuf,
    features: Option<String>,
    runs: usize,
    target_dir: PathBuf,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options, String> {
        let root = workspace_root();
        let mut options = Options {
            spec: root.join("spec/risk_scoring.yaml"),
            features: None,
            runs: 5,
            target_dir: root.join("target/build-cost"),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--spec" => options.spec = args.next().ok_or("--spec needs a path")?.into(),
                "--features" => {
                    options.features = Some(args.next().ok_or("--features needs a list")?.clone())
                }
                "--runs" => {
                    let runs = args.next().ok_or("--runs needs a number")?;
                    options.runs = runs
                        .parse()
                        .ok()
                        .filter(|runs| *runs > 0)
                        .ok_or_else(|| format!("--runs: '{runs}' is not a positive number"))?;
                }
                "--target-dir" => {
                    options.target_dir = args.next().ok_or("--target-dir needs a directory")?.into()
                }
                other => return Err(format!("unknown argument '{other}'")),
            }
        }
        options.target_dir = std::path::absolute(&options.target_dir)
            .map_err(|e| format!("{}: {e}", options.target_dir.display()))?;
        Ok(options)
    }
}

/// The scratch workspace: a root manifest and the generated crate in `crate/`.
struct Scratch {
    root: PathBuf,
    target_dir: PathBuf,
    package: String,
    features: Option<String>,
}

impl Scratch {
    fn crate_dir(&self) -> PathBuf {
        self.root.join("crate")
    }

    /// `cargo SUBCOMMAND ARGS` in the scratch workspace; its output is kept for errors.
    fn cargo(&self, subcommand: &str, args: &[&str]) -> Result<(Duration, String), String> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let started = Instant::now();
        let output = Command::new(cargo)
            .arg(subcommand)
            .args(args)
            .arg("--target-dir")
            .arg(&self.target_dir)
            .current_dir(&self.root)
            // Inherited from `cargo xtask`; the build measured is a user's plain build.
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let elapsed = started.elapsed();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if !output.status.success() {
            return Err(format!(
                "`cargo {subcommand} {}` failed:\n{stderr}",
                args.join(" ")
            ));
        }
        Ok((
            elapsed,
            String::from_utf8_lossy(&output.stdout).into_owned() + &stderr,
        ))
    }

    fn build(&self) -> Result<Duration, String> {
        self.cargo("build", &self.feature_args())
            .map(|(elapsed, _)| elapsed)
    }

    fn feature_args(&self) -> Vec<&str> {
        match &self.features {
            Some(features) => vec!["--features", features],
            None => Vec::new(),
        }
    }

    /// Writes `tree` into the crate directory; returns the paths it changed.
    fn write(&self, tree: &codegen::Tree) -> Result<Vec<String>, String> {
        let dir = self.crate_dir();
        let report = tree
            .write(&dir)
            .map_err(|e| format!("writing {}: {e}", dir.display()))?;
        Ok([report.created, report.updated, report.removed].concat())
    }
}

fn measure(options: &Options) -> Result<String, String> {
    let root = workspace_root();
    let spec_text = fs::read_to_string(&options.spec)
        .map_err(|e| format!("{}: {e}", options.spec.display()))?;
    let spec_name = spec_display_name(&options.spec, &root);
    let tree = codegen::generate(&options.spec, &spec_name).map_err(|e| e.to_string())?;
    let edited_text =
        edit_one_summary(&spec_text).ok_or("the spec has no operation summary to edit")?;
    let mut edited =
        codegen::generate_from_str(&edited_text, &spec_name).map_err(|e| e.to_string())?;
    // `generate` adds the examples beside the spec; the edit is to the spec alone.
    for (path, text) in &tree.files {
        if path.starts_with("examples/") {
            edited.files.insert(path.clone(), text.clone());
        }
    }
    let package = package_name(&tree)?;

    let scratch = Scratch {
        root: options.target_dir.join("workspace"),
        target_dir: options.target_dir.clone(),
        package,
        features: options.features.clone(),
    };
    prepare_workspace(&scratch, &root)?;
    scratch.write(&tree)?;

    eprintln!(
        "building dependencies into {} ...",
        scratch.target_dir.display()
    );
    let (first, first_output) = scratch.cargo("build", &scratch.feature_args())?;
    // Zero when the target directory already holds the dependencies from an earlier run.
    let compiled = first_output
        .lines()
        .filter(|line| line.trim_start().starts_with("Compiling "))
        .count();

    let runs = options.runs;
    let mut clean = Vec::new();
    let mut noop = Vec::new();
    let mut regen_same = Vec::new();
    let mut incremental = Vec::new();
    let mut changed_files = Vec::new();
    for run in 1..=runs {
        eprintln!("run {run}/{runs} ...");
        scratch.cargo("clean", &["-p", &scratch.package])?;
        clean.push(scratch.build()?);
        noop.push(scratch.build()?);
        // Regenerating from the same spec writes nothing, so cargo has nothing to do.
        let written = scratch.write(&tree)?;
        if !written.is_empty() {
            return Err(format!(
                "regenerating an unchanged spec rewrote {written:?}"
            ));
        }
        regen_same.push(scratch.build()?);
        // An edited spec, then the original again: two incremental rebuilds.
        changed_files = scratch.write(&edited)?;
        incremental.push(scratch.build()?);
        scratch.write(&tree)?;
        incremental.push(scratch.build()?);
    }

    let (direct, all) = dependencies(&scratch)?;
    let lines = Lines::of(&tree);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "build cost of `{}` generated from {spec_name}{}",
        scratch.package,
        scratch
            .features
            .as_ref()
            .map(|features| format!(", features {features}"))
            .unwrap_or_default()
    );
    let _ = writeln!(out, "machine: {}", machine());
    let _ = writeln!(out, "toolchain: {}", rustc_version());
    let _ = writeln!(
        out,
        "target dir: {} (debug profile)\n",
        scratch.target_dir.display()
    );
    let _ = writeln!(out, "{:<52} {:>9} {:>21}", "build", "median", "range");
    let first_label = format!("first build ({} compiled)", plural(compiled, "package"));
    let rows = [
        (first_label.as_str(), vec![first]),
        ("clean build of the crate alone, deps prebuilt", clean),
        ("no-op rebuild (nothing changed)", noop),
        ("regenerate unchanged spec, then build", regen_same),
        (
            "regenerate after a one-line spec edit, then build",
            incremental,
        ),
    ];
    for (what, times) in rows {
        let _ = writeln!(out, "{what:<52} {}", summary(&times));
    }
    let _ = writeln!(
        out,
        "  (the edit changed {}: {})\n",
        plural(changed_files.len(), "file"),
        changed_files.join(", ")
    );
    let _ = writeln!(
        out,
        "lines of Rust: {} in {} (emitted from the spec: {} in {}; runtime copied from codegen/runtime: {} in {})",
        lines.total(),
        plural(lines.emitted_files + lines.runtime_files, "file"),
        lines.emitted,
        plural(lines.emitted_files, "file"),
        lines.runtime,
        plural(lines.runtime_files, "file"),
    );
    let _ = writeln!(
        out,
        "dependencies: {direct} direct; {} packages compiled for it in all (normal and build dependencies, this platform)",
        all
    );
    Ok(out)
}

/// How headers name the spec: relative to the workspace when inside it, as `gen` does.
fn spec_display_name(spec: &Path, root: &Path) -> String {
    let absolute = std::path::absolute(spec).unwrap_or_else(|_| spec.to_path_buf());
    absolute
        .strip_prefix(root)
        .unwrap_or(spec)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The spec with the first operation's summary changed: a one-line edit that changes one
/// generated file (a method's doc comment), the smallest change a spec edit can make.
fn edit_one_summary(text: &str) -> Option<String> {
    let start = text.find(" summary: ")? + " summary: ".len();
    let mut end = start + text[start..].find('\n')?;
    if text[start..end].starts_with(['"', '\'']) {
        end -= 1; // inside the closing quote
    }
    Some(format!("{} (edited){}", &text[..end], &text[end..]))
}

fn package_name(tree: &codegen::Tree) -> Result<String, String> {
    let manifest = tree
        .files
        .get("Cargo.toml")
        .ok_or("the tree has no Cargo.toml")?;
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("name = "))
        .map(|name| name.trim_matches('"').to_owned())
        .ok_or_else(|| "the generated Cargo.toml names no package".to_owned())
}

/// A workspace around the crate, with the real workspace's lock file and profiles, so the
/// dependencies resolve to the same versions and build with the same settings.
fn prepare_workspace(scratch: &Scratch, root: &Path) -> Result<(), String> {
    let io = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
    fs::create_dir_all(&scratch.root).map_err(|e| io(&scratch.root, e))?;
    let root_manifest = root.join("Cargo.toml");
    let workspace = fs::read_to_string(&root_manifest).map_err(|e| io(&root_manifest, e))?;
    let manifest = format!(
        "# Written by `cargo xtask build-cost`: a workspace around one generated crate.\n\n\
         [workspace]\nresolver = \"2\"\nmembers = [\"crate\"]\n{}",
        profile_tables(&workspace)
    );
    let path = scratch.root.join("Cargo.toml");
    fs::write(&path, manifest).map_err(|e| io(&path, e))?;
    let lock = root.join("Cargo.lock");
    if lock.is_file() {
        let copy = scratch.root.join("Cargo.lock");
        fs::copy(&lock, &copy).map_err(|e| io(&copy, e))?;
    }
    Ok(())
}

/// The `[profile…]` tables of a manifest, verbatim.
fn profile_tables(manifest: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in manifest.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            inside = trimmed.starts_with("[profile");
            if inside {
                out.push('\n');
            }
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Direct dependencies, and every package the crate's build compiles (itself excluded).
fn dependencies(scratch: &Scratch) -> Result<(usize, usize), String> {
    let tree = |extra: &[&str]| -> Result<Vec<String>, String> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args([
                "tree",
                "-p",
                &scratch.package,
                "-e",
                "normal,build",
                "--prefix",
                "none",
            ])
            .args(extra)
            .current_dir(&scratch.root)
            .output()
            .map_err(|e| format!("cannot run cargo tree: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "cargo tree failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let mut packages: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .skip(1) // the crate itself
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                Some(format!("{} {}", words.next()?, words.next()?))
            })
            .collect();
        packages.sort();
        packages.dedup();
        Ok(packages)
    };
    let direct = tree(&["--depth", "1"])?.len();
    let all = tree(&[])?.len();
    Ok((direct, all))
}

struct Lines {
    emitted: usize,
    emitted_files: usize,
    runtime: usize,
    runtime_files: usize,
}

impl Lines {
    fn of(tree: &codegen::Tree) -> Lines {
        let runtime: Vec<String> = codegen::runtime::RUNTIME
            .iter()
            .map(|module| format!("src/{}.rs", module.name))
            .collect();
        let mut lines = Lines {
            emitted: 0,
            emitted_files: 0,
            runtime: 0,
            runtime_files: 0,
        };
        for (path, text) in &tree.files {
            if !(path.starts_with("src/") && path.ends_with(".rs")) {
                continue;
            }
            let count = text.lines().count();
            if runtime.contains(path) {
                lines.runtime += count;
                lines.runtime_files += 1;
            } else {
                lines.emitted += count;
                lines.emitted_files += 1;
            }
        }
        lines
    }

    fn total(&self) -> usize {
        self.emitted + self.runtime
    }
}

/// `median  (min – max)` of `times`, in seconds.
fn summary(times: &[Duration]) -> String {
    let mut sorted = times.to_vec();
    sorted.sort();
    let median = if sorted.len() % 2 == 1 {
        sorted[sorted.len() / 2]
    } else {
        (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) / 2
    };
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    format!(
        "{:>8.2}s {:>8.2}s – {:>6.2}s  (n={})",
        median.as_secs_f64(),
        min.as_secs_f64(),
        max.as_secs_f64(),
        times.len()
    )
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// Cores, CPU model and load average: the numbers only mean something with these.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines().find_map(|line| {
                line.strip_prefix("model name")
                    .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let load = fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "unknown".to_owned());
    format!("{cores} cores, {cpu}; load average at the end {load}")
}

fn rustc_version() -> String {
    Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown rustc".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_the_first_summary_only() {
        let text = "a:\n  x:\n    summary: One\n  y:\n    summary: Two\n";
        assert_eq!(
            edit_one_summary(text).as_deref(),
            Some("a:\n  x:\n    summary: One (edited)\n  y:\n    summary: Two\n")
        );
        assert_eq!(
            edit_one_summary("summary: x\n"),
            None,
            "a top-level key is no operation's"
        );
        assert_eq!(
            edit_one_summary("  summary: \"A: b\"\n").as_deref(),
            Some("  summary: \"A: b (edited)\"\n")
        );
    }

    #[test]
    fn copies_profile_tables_only() {
        let manifest = "[workspace]\nmembers = []\n\n[profile.dev.package.\"*\"]\ndebug = false\n\n[dependencies]\nx = 1\n";
        assert_eq!(
            profile_tables(manifest),
            "\n[profile.dev.package.\"*\"]\ndebug = false\n\n"
        );
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        let s = |v: &[u64]| {
            summary(
                &v.iter()
                    .map(|&ms| Duration::from_millis(ms))
                    .collect::<Vec<_>>(),
            )
        };
        assert!(s(&[3000, 1000, 2000]).starts_with("    2.00s"));
        assert!(s(&[1000, 2000, 3000, 4000]).starts_with("    2.50s"));
    }
}
