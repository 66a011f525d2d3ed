//! `cargo xtask`: the project's own commands.
//!
//! Kept small on purpose: its build time is everybody's waiting time. Each command lives in
//! its own module with a `USAGE` text and a `run` function.

mod build_cost;
mod drift;
mod gen;
mod gen_speed;
mod import;
mod synth;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The generator allocates and frees millions of small token trees; mimalloc does that in a
/// fraction of glibc's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("gen") => gen::run(rest),
        Some("synth") => synth::run(rest),
        Some("build-cost") => build_cost::run(rest),
        Some("drift") => drift::run(rest),
        Some("gen-speed") => gen_speed::run(rest),
        Some("import") => import::run(rest),
        Some("-h" | "--help") => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command '{other}'")),
        None => Err("missing command".to_owned()),
    };
    if std::env::var_os(gen_speed::REPORT_PEAK).is_some() {
        if let Some(kib) = gen_speed::peak_rss_kib() {
            eprintln!("peak-rss-kib: {kib}");
        }
    }
    result.unwrap_or_else(|message| {
        eprintln!("error: {message}\n\n{}", usage());
        ExitCode::from(2)
    })
}

fn usage() -> String {
    let commands = [
        gen::USAGE,
        drift::USAGE,
        import::USAGE,
        synth::USAGE,
        build_cost::USAGE,
        gen_speed::USAGE,
    ];
    format!("usage:\n{}", commands.join("\n\n"))
}

/// The workspace root: commands default to paths inside it.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// How messages and generated headers name a file: relative to the workspace when it is
/// inside it, so output is the same on every machine.
pub fn display_name(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute
        .strip_prefix(workspace_root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
