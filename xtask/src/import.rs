//! `cargo xtask import`: write a spec from Cloudflare's OpenAPI document.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::display_name;

pub const USAGE: &str = "\
cargo xtask import OPENAPI_FILE --paths PREFIX_OR_GLOB... [--names NAMES.yaml] [--out SPEC.yaml]
                   [--values VALUES.json] [--crate-name NAME] [--strict]
    write a spec in the generator's format from an OpenAPI 3.0 document (JSON or YAML);
    prints a `warning: POINTER: what; did instead` line for everything it could not map
    --paths P...       path prefixes (`/accounts/{account_id}/zt_risk_scoring`) or globs
                       (`*` within a segment, `**` across) of the operations to import
    --names PATH       names file: resource, method and type names and other choices that
                       survive a re-import (format: import/README.md)
    --out PATH         spec to write (default: print it)
    --values PATH      also write the argument values of the conformance test that
                       `cargo xtask gen --conformance-test` generates, valid for the
                       document (see codegen/conformance/support.rs)
    --crate-name NAME  crate name when the names file gives none (default: cloudflare-api)
    --strict           warnings are errors: exit 1 and write nothing";

pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let args = ImportArgs::parse(args)?;
    let started = Instant::now();
    let text = std::fs::read_to_string(&args.openapi)
        .map_err(|error| format!("cannot read {}: {error}", args.openapi.display()))?;
    let doc =
        openapi::parse(&text).map_err(|error| format!("{}: {error}", args.openapi.display()))?;
    let names_file = args
        .names
        .as_ref()
        .map(|path| display_name(path))
        .unwrap_or_default();
    let names = match &args.names {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            import::NamesFile::parse(&names_file, &text)?
        }
        None => import::NamesFile::default(),
    };
    let options = import::Options {
        paths: args.paths.clone(),
        crate_name: args.crate_name.clone(),
        names_file,
        document: args.openapi.display().to_string(),
        values: args.values.is_some(),
    };
    let imported = import::import(&doc, &names, &options).map_err(|error| error.to_string())?;
    for warning in &imported.warnings {
        eprintln!("{warning}");
    }
    let summary = format!(
        "{} operations, {} types; {} ({:.2?})",
        imported.operations,
        imported.types,
        import::summary(&imported.warnings),
        started.elapsed()
    );
    if args.strict && !imported.warnings.is_empty() {
        eprintln!("{summary}");
        eprintln!("error: --strict: nothing was written");
        return Ok(ExitCode::FAILURE);
    }
    if let (Some(path), Some(values)) = (&args.values, &imported.values) {
        let text = serde_json::to_string_pretty(values)
            .map_err(|error| format!("cannot write the values: {error}"))?;
        import::write_atomically(path, &(text + "\n"))
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        let operations = values.as_object().map_or(0, |values| values.len());
        eprintln!(
            "wrote {}: values for {operations} operations",
            path.display()
        );
    }
    match &args.out {
        Some(out) => {
            import::write_atomically(out, &imported.yaml)
                .map_err(|error| format!("cannot write {}: {error}", out.display()))?;
            eprintln!("wrote {}: {summary}", out.display());
        }
        None => {
            print!("{}", imported.yaml);
            eprintln!("{summary}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

struct ImportArgs {
    openapi: PathBuf,
    paths: Vec<String>,
    names: Option<PathBuf>,
    out: Option<PathBuf>,
    values: Option<PathBuf>,
    crate_name: Option<String>,
    strict: bool,
}

impl ImportArgs {
    fn parse(args: &[String]) -> Result<ImportArgs, String> {
        let mut parsed = ImportArgs {
            openapi: PathBuf::new(),
            paths: Vec::new(),
            names: None,
            out: None,
            values: None,
            crate_name: None,
            strict: false,
        };
        let mut openapi = None;
        let mut in_paths = false;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--paths" => in_paths = true,
                "--names" => {
                    in_paths = false;
                    parsed.names = Some(args.next().ok_or("--names needs a path")?.into());
                }
                "--out" => {
                    in_paths = false;
                    parsed.out = Some(args.next().ok_or("--out needs a path")?.into());
                }
                "--values" => {
                    in_paths = false;
                    parsed.values = Some(args.next().ok_or("--values needs a path")?.into());
                }
                "--crate-name" => {
                    in_paths = false;
                    parsed.crate_name =
                        Some(args.next().ok_or("--crate-name needs a name")?.clone());
                }
                "--strict" => {
                    in_paths = false;
                    parsed.strict = true;
                }
                other if other.starts_with("--") => {
                    return Err(format!("unknown argument '{other}'"))
                }
                path if in_paths => parsed.paths.push(path.to_owned()),
                path if openapi.is_none() => openapi = Some(PathBuf::from(path)),
                extra => {
                    return Err(format!(
                        "unexpected argument '{extra}': give one OpenAPI file"
                    ))
                }
            }
        }
        parsed.openapi = openapi.ok_or("missing OPENAPI_FILE")?;
        if parsed.paths.is_empty() {
            return Err("missing --paths: say which operations to import".to_owned());
        }
        Ok(parsed)
    }
}
