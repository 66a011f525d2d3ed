//! `cargo xtask synth N`: write a synthetic spec of N operations, shaped like the real one.
//!
//! The spec comes from `codegen::synth`, which the generator's benchmark uses too, so what
//! this writes is exactly what `cargo bench -p codegen` measures.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub const USAGE: &str = "\
cargo xtask synth N [--out PATH]
    write a valid spec of N operations shaped like spec/risk_scoring.yaml, the same
    bytes for the same N (for benchmarks: `cargo xtask gen --spec PATH --out DIR`)
    --out PATH     file to write (default: standard output)";

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut operations = None;
    let mut out: Option<PathBuf> = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = Some(args.next().ok_or("--out needs a path")?.into()),
            count if operations.is_none() => {
                let parsed = count
                    .replace('_', "")
                    .parse::<usize>()
                    .map_err(|_| format!("'{count}' is not a number of operations"))?;
                if parsed == 0 {
                    return Err("a spec needs at least one operation".to_owned());
                }
                operations = Some(parsed);
            }
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    let operations = operations.ok_or("missing the number of operations")?;
    let text = codegen::synth::spec(operations);
    match out {
        Some(path) => {
            if let Some(parent) = path
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty())
            {
                fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!(
                "wrote {} ({operations} operations, {} bytes)",
                path.display(),
                text.len()
            );
        }
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| format!("standard output: {e}"))?,
    }
    Ok(ExitCode::SUCCESS)
}
