//! `cargo xtask drift`: compare `spec/` with Cloudflare's OpenAPI document.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::{display_name, workspace_root};

pub const USAGE: &str = "\
cargo xtask drift OPENAPI_FILE [--json] [--spec PATH] [--allow PATH]
    compare the spec with an OpenAPI 3.0 document (JSON or YAML); exits 1 when a
    difference is not explained in the allow-list or an allow-list entry is stale
    --json         print the report as JSON
    --spec PATH    spec to check (default: spec/risk_scoring.yaml)
    --allow PATH   differences kept on purpose (default: spec/drift-allow.yaml)";

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let args = DriftArgs::parse(args)?;
    let spec = drift::load_spec(&display_name(&args.spec), &read(&args.spec)?)
        .map_err(|error| error.to_string())?;
    let openapi = drift::parse_openapi(&read(&args.openapi)?)
        .map_err(|error| format!("{}: {error}", args.openapi.display()))?;
    let allow = drift::AllowList::parse(&display_name(&args.allow), &read(&args.allow)?)
        .map_err(|error| error.to_string())?;

    let report = drift::check(&spec, &openapi, &allow);
    if args.json {
        println!("{}", report.to_json());
    } else {
        println!(
            "drift of {} against {} (OpenAPI {}, API version {})",
            display_name(&args.spec),
            args.openapi.display(),
            openapi.openapi,
            openapi.info.version
        );
        print!("{report}");
    }
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

struct DriftArgs {
    openapi: PathBuf,
    json: bool,
    spec: PathBuf,
    allow: PathBuf,
}

impl DriftArgs {
    fn parse(args: &[String]) -> Result<DriftArgs, String> {
        let root = workspace_root();
        let (mut openapi, mut json) = (None, false);
        let mut spec = root.join("spec/risk_scoring.yaml");
        let mut allow = root.join("spec/drift-allow.yaml");
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--json" => json = true,
                "--spec" => spec = args.next().ok_or("--spec needs a path")?.into(),
                "--allow" => allow = args.next().ok_or("--allow needs a path")?.into(),
                other if other.starts_with('-') => {
                    return Err(format!("unknown argument '{other}'"))
                }
                path if openapi.is_none() => openapi = Some(PathBuf::from(path)),
                extra => {
                    return Err(format!(
                        "unexpected argument '{extra}': give one OpenAPI file"
                    ))
                }
            }
        }
        let openapi = openapi.ok_or("missing OPENAPI_FILE")?;
        Ok(DriftArgs {
            openapi,
            json,
            spec,
            allow,
        })
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))
}
