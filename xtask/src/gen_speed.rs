//! `cargo xtask gen-speed`: how long the generator takes, as a maintainer runs it: whole
//! `cargo xtask import` and `cargo xtask gen` processes (this binary, so build it with
//! `--release` first), repeated, with each run's peak memory.
//!
//! The cases: synthetic specs of 100, 1,000 and 5,000 operations (`cargo xtask synth`), and
//! Cloudflare's Zero Trust document and whole API, imported and then generated. Each `gen`
//! writes over the output of the run before (a first run writes it), which is what running
//! it again after an edit costs; writing thousands of new files into an empty directory is
//! dominated by the file system, not the generator.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use crate::workspace_root;

pub const USAGE: &str = "\
cargo xtask gen-speed [--runs N] [--cases synthetic,zero-trust,full]
    time whole import and gen processes on synthetic specs and Cloudflare's documents
    (../shared/reference/), with peak memory; build xtask with --release to measure it
    --runs N      repetitions of each step (default: 5)
    --cases LIST  which cases to run (default: all)";

/// The environment variable that makes an xtask process report its peak memory on exit.
pub const REPORT_PEAK: &str = "XTASK_REPORT_PEAK";

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut runs = 5;
    let mut cases = vec!["synthetic", "zero-trust", "full"];
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                let text = args.next().ok_or("--runs needs a number")?;
                runs = text
                    .parse()
                    .ok()
                    .filter(|runs| *runs > 0)
                    .ok_or_else(|| format!("--runs: '{text}' is not a positive number"))?;
            }
            "--cases" => {
                let list = args.next().ok_or("--cases needs a list")?;
                cases = ["synthetic", "zero-trust", "full"]
                    .into_iter()
                    .filter(|case| list.split(',').any(|given| given == *case))
                    .collect();
            }
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    let dir = workspace_root().join("target/gen-speed");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut report = String::new();
    let _ = writeln!(
        report,
        "{:<34} {:>7} {:>10} {:>21} {:>9} {:>10}",
        "case", "ops", "median", "range", "µs/op", "peak RSS"
    );
    for case in cases {
        let steps: Vec<(String, usize, Vec<String>)> = match case {
            "synthetic" => {
                let mut steps = Vec::new();
                for operations in [100, 1_000, 5_000] {
                    let spec = dir.join(format!("synthetic-{operations}.yaml"));
                    std::fs::write(&spec, codegen::synth::spec(operations))
                        .map_err(|e| format!("{}: {e}", spec.display()))?;
                    let out = dir.join(format!("synthetic-{operations}"));
                    steps.push((
                        format!("gen, synthetic {operations}"),
                        operations,
                        gen_args(&spec, &out),
                    ));
                }
                steps
            }
            "zero-trust" => document_steps(
                &dir,
                "Zero Trust",
                "cloudflare-openapi-zero-trust.json",
                "zero-trust",
                Some("spec/zero_trust.names.yaml"),
            )?,
            _ => document_steps(
                &dir,
                "whole API",
                "cloudflare-openapi-full.json",
                "full",
                None,
            )?,
        };
        for (label, operations, args) in steps {
            eprintln!("{label} ...");
            let runs = time_runs(&args, runs)?;
            let _ = writeln!(report, "{}", row(&label, operations, &runs));
        }
    }
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

/// The import and gen steps of a document of `../shared/reference/`, and their sum.
fn document_steps(
    dir: &Path,
    label: &str,
    document: &str,
    name: &str,
    names: Option<&str>,
) -> Result<Vec<(String, usize, Vec<String>)>, String> {
    let root = workspace_root();
    let path = root.join("../shared/reference").join(document);
    if !path.is_file() {
        return Err(format!(
            "{} is missing: Cloudflare's documents live in ../shared/reference/",
            path.display()
        ));
    }
    let spec = dir.join(format!("{name}.yaml"));
    let mut import = vec![
        "import".to_owned(),
        path.to_string_lossy().into_owned(),
        "--paths".to_owned(),
        "/**".to_owned(),
        "--out".to_owned(),
        spec.to_string_lossy().into_owned(),
    ];
    if let Some(names) = names {
        import.push("--names".to_owned());
        import.push(root.join(names).to_string_lossy().into_owned());
    }
    // The import once, to know how many operations the spec has and to give gen a spec.
    let output = xtask(&import)?;
    // Its last line: `wrote PATH: N operations, …` (warnings may say "wrote" too).
    let operations = output
        .lines()
        .find_map(|line| line.strip_prefix("wrote "))
        .and_then(|rest| rest.split(": ").nth(1))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|count| count.replace(',', "").parse().ok())
        .unwrap_or(0);
    let out = dir.join(name);
    Ok(vec![
        (format!("import, {label}"), operations, import),
        (format!("gen, {label}"), operations, gen_args(&spec, &out)),
    ])
}

fn gen_args(spec: &Path, out: &Path) -> Vec<String> {
    vec![
        "gen".to_owned(),
        "--spec".to_owned(),
        spec.to_string_lossy().into_owned(),
        "--out".to_owned(),
        out.to_string_lossy().into_owned(),
    ]
}

/// One run of this binary with `args`: what it printed to stderr.
fn xtask(args: &[String]) -> Result<String, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find xtask itself: {e}"))?;
    let output = Command::new(exe)
        .args(args)
        .env(REPORT_PEAK, "1")
        .output()
        .map_err(|e| format!("cannot run xtask: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("`xtask {}` failed:\n{text}", args.join(" ")));
    }
    Ok(text)
}

/// A run's time and peak memory in KiB.
struct Run {
    time: Duration,
    peak_kib: Option<u64>,
}

fn time_runs(args: &[String], runs: usize) -> Result<Vec<Run>, String> {
    // One run first, so that every timed run finds its output in place.
    xtask(args)?;
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            let output = xtask(args)?;
            Ok(Run {
                time: started.elapsed(),
                peak_kib: output
                    .lines()
                    .find_map(|line| line.strip_prefix("peak-rss-kib: "))
                    .and_then(|kib| kib.trim().parse().ok()),
            })
        })
        .collect()
}

fn row(label: &str, operations: usize, runs: &[Run]) -> String {
    let mut times: Vec<Duration> = runs.iter().map(|run| run.time).collect();
    times.sort();
    let median = times[times.len() / 2];
    let (low, high) = (times[0], times[times.len() - 1]);
    let per_op = median.as_secs_f64() * 1e6 / operations.max(1) as f64;
    let peak = runs
        .iter()
        .filter_map(|run| run.peak_kib)
        .max()
        .map_or("?".to_owned(), |kib| format!("{} MB", kib / 1024));
    format!(
        "{label:<34} {operations:>7} {:>10} {:>21} {per_op:>9.0} {peak:>10}",
        format!("{:.3} s", median.as_secs_f64()),
        format!("{:.3}–{:.3} s", low.as_secs_f64(), high.as_secs_f64()),
    )
}

/// This process's peak resident memory, from Linux's `/proc`; `None` elsewhere.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
}
