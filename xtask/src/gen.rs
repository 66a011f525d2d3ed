//! `cargo xtask gen`: regenerate `generated/`, or check that it is up to date.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::{display_name, workspace_root};

pub const USAGE: &str = "\
cargo xtask gen [--check] [--spec PATH] [--out DIR] [--conformance-test]
    regenerate the client crate from the spec
    --check             write nothing; fail with a diff when the output is stale
    --spec PATH         spec to read (default: spec/risk_scoring.yaml)
    --out DIR           crate directory to write (default: generated)
    --conformance-test  also write tests/conformance.rs, which calls every operation
                        against a mock server (see codegen/conformance/support.rs)";

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    Ok(gen(&GenArgs::parse(args)?))
}

struct GenArgs {
    check: bool,
    conformance_test: bool,
    spec: PathBuf,
    out: PathBuf,
}

impl GenArgs {
    fn parse(args: &[String]) -> Result<GenArgs, String> {
        let root = workspace_root();
        let mut parsed = GenArgs {
            check: false,
            conformance_test: false,
            spec: root.join("spec/risk_scoring.yaml"),
            out: root.join("generated"),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--check" => parsed.check = true,
                "--conformance-test" => parsed.conformance_test = true,
                "--spec" => parsed.spec = args.next().ok_or("--spec needs a path")?.into(),
                "--out" => parsed.out = args.next().ok_or("--out needs a directory")?.into(),
                other => return Err(format!("unknown argument '{other}'")),
            }
        }
        Ok(parsed)
    }
}

fn gen(args: &GenArgs) -> ExitCode {
    let started = Instant::now();
    let options = codegen::Options {
        conformance_test: args.conformance_test,
    };
    let tree = match codegen::generate_file_with(&args.spec, &display_name(&args.spec), &options) {
        Ok(tree) => tree,
        Err(error) => {
            eprintln!("{error}");
            eprintln!("error: nothing was written");
            return ExitCode::FAILURE;
        }
    };
    let out = args.out.display();
    if args.check {
        return match tree.check(&args.out) {
            Ok(stale) if stale.is_empty() => {
                println!(
                    "{out} is up to date ({} files, {:.2?})",
                    tree.files.len(),
                    started.elapsed()
                );
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                for file in &stale {
                    print!("{}", file.diff);
                }
                eprintln!(
                    "error: {out} is stale: {} file(s) differ from what the spec gives; run `cargo xtask gen`",
                    stale.len()
                );
                ExitCode::FAILURE
            }
            Err(error) => {
                eprintln!("error: cannot read {out}: {error}");
                ExitCode::FAILURE
            }
        };
    }
    match tree.write(&args.out) {
        Ok(report) => {
            for (verb, paths) in [
                ("created", &report.created),
                ("updated", &report.updated),
                ("removed", &report.removed),
            ] {
                for path in paths {
                    println!("{verb} {out}/{path}");
                }
            }
            println!(
                "{out}: {} created, {} updated, {} removed, {} unchanged in {:.2?}",
                report.created.len(),
                report.updated.len(),
                report.removed.len(),
                report.unchanged,
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: writing {out} failed: {error}");
            ExitCode::FAILURE
        }
    }
}
