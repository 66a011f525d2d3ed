//! The Zero Trust API end to end, against an independent mock of it.
//!
//! 1. **import** Cloudflare's Zero Trust document (`../shared/reference/`) with
//!    `spec/zero_trust.names.yaml`, and the values of the conformance test's arguments
//!    (`import::Options::values`);
//! 2. **generate** the crate with its conformance test (`codegen::Options::conformance_test`)
//!    into a scratch workspace, `target/zero-trust-conformance/`, with the workspace's
//!    `Cargo.lock` (so no network is needed);
//! 3. **build** the crate's `conformance` test with every product (`--features full`);
//! 4. run it against **Prism in static mode** (the document's examples), serving the document
//!    with its `security` quirk fixed (`prism::document_for_prism`): every operation is
//!    called with its required arguments only and with every optional one. No request may be
//!    rejected as invalid (422) unless [`PRISM_REJECTS`] says why Prism, not the client, is
//!    wrong, and every 2xx response decodes;
//! 5. run it against **Prism in dynamic mode** (random bodies valid for the document's
//!    schemas): every 2xx response decodes.
//!
//! An outcome that is neither is excused only by an entry of [`KNOWN`], which names a fact
//! of the document that makes it so for the operation (checked here, operation by
//! operation), and says whose bug it is. The failure message lists every other outcome with
//! Prism's log for its request; the counts and each phase's time are printed either way
//! (`cargo test --test zero_trust -- --nocapture`), and written to
//! `target/zero-trust-conformance/summary.txt`.
//!
//! Slow: compiling a crate of ~500 operations takes minutes on two cores.

#![cfg(unix)]

// Shared with conformance.rs, which uses other parts of it.
#[allow(dead_code)]
#[path = "../conformance/prism.rs"]
mod prism;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use openapi::example::{Checker, Direction};
use openapi::{Pointer, Properties, Resolver, SchemaRef};
use prism::{Mode, Prism};
use serde_json::{json, Value};

const DOCUMENT: &str = "cloudflare-openapi-zero-trust.json";
const NAMES: &str = "spec/zero_trust.names.yaml";
/// The generated package, as the names file calls it.
const PACKAGE: &str = "cloudflare-zero-trust";

/// Requests Prism rejects (422) though they are what the document describes: the
/// operation, and why Prism is wrong. Each entry must still be needed.
const PRISM_REJECTS: &[(&str, &str)] = &[];

/// How many operations have each `security` in the document, before
/// `prism::document_for_prism` gives them all `{api_token}` or `{api_email, api_key}`.
const SECURITY: &[(&str, usize)] = &[
    (r#"[{"api_email":[],"api_key":[]}]"#, 10),
    (r#"[{"api_token":[]},{"api_email":[],"api_key":[]}]"#, 426),
    (r#"[{"api_token":[]}]"#, 53),
];

/// Lines of Prism's log kept: it writes about six per request, and the test makes ~740.
const LOG_LINES: usize = 100_000;

/// What one call got, as the generated test reports it.
#[derive(Debug, Clone)]
struct Outcome {
    operation: String,
    variant: String,
    /// `ok`, `api`, `decode` or `error`.
    outcome: String,
    status: Option<u16>,
    detail: String,
    /// What Prism logged for the request: the route and its violations.
    prism: Option<Block>,
}

impl Outcome {
    fn success(&self) -> bool {
        self.status
            .is_some_and(|status| (200..300).contains(&status))
    }

    fn describe(&self) -> String {
        let mut text = format!(
            "{} ({}): {} {}: {}",
            self.operation,
            self.variant,
            self.outcome,
            self.status
                .map_or_else(|| "-".to_owned(), |status| status.to_string()),
            shorten(&self.detail, 600)
        );
        if let Some(block) = &self.prism {
            let _ = write!(text, "\n      Prism: {}", block.request);
            for line in &block.violations {
                let _ = write!(text, "\n        {line}");
            }
        }
        text
    }
}

/// One request in Prism's log: its line, and its violations (requests and responses).
#[derive(Debug, Clone)]
struct Block {
    request: String,
    violations: Vec<String>,
    passed: bool,
}

/// Whether the document makes an outcome what it is, for one kind of outcome.
struct Known {
    /// A short name, for the counts.
    name: &'static str,
    /// Whose the fault is, and why.
    why: &'static str,
    /// Whether it applies to an outcome of an operation, given the document's facts about
    /// the operation.
    applies: fn(&Outcome, &Facts) -> bool,
}

/// What excuses an outcome that is not `ok` (422s aside, which [`PRISM_REJECTS`] excuses).
const KNOWN: &[Known] = &[
    Known {
        name: "success: false",
        why: "Prism's random envelope says `success: false`, which the operation's schema \
              allows (a plain boolean, not `enum: [true]`); the client rightly reads it as a \
              failure. Dynamic mode only.",
        applies: |outcome, facts| {
            outcome.outcome == "api"
                && outcome.success()
                && outcome.detail.contains("the API reported failure")
                && facts.success_may_be_false
        },
    },
    Known {
        name: "result: null beside its $ref",
        why: "BUG (importer): the document writes `nullable: true` beside the `$ref` of \
              `result`, which OpenAPI 3.0 says to ignore and `openapiv3` drops, so the spec's \
              result is not nullable; Prism honours it and answers `result: null`.",
        applies: |outcome, facts| {
            outcome.outcome == "decode"
                && outcome.detail.contains("at `result`: invalid type: null")
                && facts.result_nullable_beside_ref
        },
    },
    Known {
        name: "null the spec cannot hold",
        why: "BUG (importer, and the format): the response's schema allows `null` where the \
              spec's type cannot hold it: in a map's values (`additionalProperties: {nullable: \
              true}`; `map<T>` drops it silently), in a list's items (`list<T>`; the importer \
              comments on it), or beside a `$ref` (dropped, as above). Dynamic mode only.",
        applies: |outcome, facts| {
            outcome.outcome == "decode"
                && outcome.detail.contains("invalid type: null")
                && facts.null_the_spec_cannot_hold
        },
    },
    Known {
        name: "Prism's faker crashed",
        why: "Prism's json-schema-faker throws while making a random response (`Cannot read \
              properties of undefined (reading 'items')`) and Prism answers 500: Prism's bug. \
              Dynamic mode only.",
        applies: |outcome, _| {
            outcome.status == Some(500) && outcome.detail.contains("json-schema-faker")
        },
    },
];

/// What the document says about one operation that decides whether an outcome is excused.
#[derive(Debug, Clone, Default)]
struct Facts {
    /// The envelope's `success` may be `false` in a success response.
    success_may_be_false: bool,
    /// `result` is a `$ref` with `nullable: true` beside it.
    result_nullable_beside_ref: bool,
    /// Somewhere in the response, `null` is allowed in a map's values, a list's items or
    /// beside a `$ref`.
    null_the_spec_cannot_hold: bool,
}

/// One run of the conformance test against Prism.
struct Run {
    mode: &'static str,
    outcomes: Vec<Outcome>,
    /// Requests Prism's log shows, and those it found valid.
    requests: usize,
    passed: usize,
    /// Whether the log's requests lined up with the report's calls, one to one.
    aligned: bool,
    took: Duration,
}

#[test]
fn zero_trust_conformance_with_prism() {
    let root = tests::workspace_root();
    let scratch = root.join("target/zero-trust-conformance");
    fs::create_dir_all(&scratch).expect("create the scratch workspace");
    let mut phases: Vec<(&str, Duration)> = Vec::new();
    let mut failures: Vec<String> = Vec::new();

    // 1. Import, with the values.
    let started = Instant::now();
    let document_path = tests::reference_document(DOCUMENT);
    let text = read(&document_path);
    let doc = openapi::parse(&text).unwrap_or_else(|error| panic!("{DOCUMENT}: {error}"));
    let names = import::NamesFile::parse(NAMES, &read(&root.join(NAMES)))
        .unwrap_or_else(|error| panic!("{error}"));
    let options = import::Options {
        paths: vec!["/".to_owned()],
        crate_name: None,
        names_file: NAMES.to_owned(),
        document: format!("../shared/reference/{DOCUMENT}"),
        values: true,
    };
    let imported = import::import(&doc, &names, &options).unwrap_or_else(|error| panic!("{error}"));
    for warning in &imported.warnings {
        if warning.kind == import::WarningKind::NoExample {
            failures.push(format!("values: {warning}"));
        }
    }
    let values = imported.values.clone().expect("values were asked for");
    let values_path = scratch.join("values.json");
    write(
        &values_path,
        &serde_json::to_string_pretty(&values).expect("JSON"),
    );
    write(&scratch.join("zero_trust.yaml"), &imported.yaml);
    phases.push(("import (spec and values)", started.elapsed()));

    // 2. Generate the crate and its conformance test into a scratch workspace.
    let started = Instant::now();
    let spec_name = "target/zero-trust-conformance/zero_trust.yaml";
    let tree = codegen::generate_with(
        &imported.yaml,
        spec_name,
        &codegen::Options {
            conformance_test: true,
        },
    )
    .unwrap_or_else(|error| panic!("{error}"));
    tree.write(&scratch.join("crate"))
        .expect("write the generated crate");
    write(
        &scratch.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"crate\"]\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
    );
    // The workspace's lock file pins the versions `generated/` builds with.
    fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).expect("copy Cargo.lock");
    phases.push(("generate", started.elapsed()));

    // 3. Build the conformance test.
    let started = Instant::now();
    cargo(&scratch, &["test", "--no-run"], &[]).unwrap_or_else(|error| panic!("{error}"));
    phases.push((
        "build (cargo test --no-run --features full)",
        started.elapsed(),
    ));

    // 3b. The crate as its users build it: clippy and rustdoc with `-D warnings` with every
    // product, and clippy with none and with each product alone, so that a missing feature
    // gate fails here.
    let started = Instant::now();
    let manifest = read(&scratch.join("crate/Cargo.toml"));
    let products = products(&manifest);
    assert!(
        products.len() > 10,
        "the crate's `full` feature names {products:?}"
    );
    let mut checks: Vec<(String, Vec<String>)> = vec![(
        "clippy --all-targets --features full".to_owned(),
        strings(&[
            "clippy",
            "--all-targets",
            "--features",
            "full",
            "--",
            "-D",
            "warnings",
        ]),
    )];
    checks.push((
        "doc --features full".to_owned(),
        strings(&["doc", "--no-deps", "--features", "full"]),
    ));
    for product in std::iter::once("").chain(products.iter().map(String::as_str)) {
        let mut args = strings(&["clippy", "--no-default-features"]);
        if !product.is_empty() {
            args.extend(strings(&["--features", product]));
        }
        args.extend(strings(&["--", "-D", "warnings"]));
        checks.push((format!("clippy with only [{product}]"), args));
    }
    for (name, args) in &checks {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        if let Err(error) = cargo_in(&scratch, &args, &[("RUSTDOCFLAGS", "-D warnings")]) {
            failures.push(format!("{name}: {error}"));
        }
    }
    // 3c. Built with one product, the crate holds that product's code and nothing else: its
    // docs list exactly the product's module and the models its operations reach, as read
    // from the spec here rather than by the generator.
    let product = "risk_scoring";
    let reached = reachable_types(&imported.yaml, product);
    let args = [
        "doc",
        "--no-deps",
        "--no-default-features",
        "--features",
        product,
    ];
    match cargo_in(&scratch, &args, &[]) {
        Ok(()) => {
            let doc = root.join("target/zero-trust-check/doc/cloudflare_zero_trust");
            let wrong = compiled_only(&doc, &products, product, &reached);
            if wrong.is_empty() {
                eprintln!(
                    "built with only [{product}]: its module and the {} models it reaches, of {}",
                    reached.len(),
                    imported.types
                );
            }
            failures.extend(wrong);
        }
        Err(error) => failures.push(format!("doc with only [{product}]: {error}")),
    }
    phases.push((
        "checks (clippy and rustdoc with -D warnings: full, none, each product alone)",
        started.elapsed(),
    ));

    let facts = facts(&doc, &text, &imported.yaml);
    let operations: BTreeSet<String> = facts.keys().cloned().collect();

    // 4 and 5. Prism, static then dynamic.
    let served = prism::document_for_prism(DOCUMENT).unwrap_or_else(|error| panic!("{error}"));
    let expected: BTreeMap<String, usize> = SECURITY
        .iter()
        .map(|(security, count)| ((*security).to_owned(), *count))
        .collect();
    assert_eq!(
        served.security, expected,
        "the document's security reads otherwise than it did: re-read it and adjust SECURITY"
    );
    let mut runs = Vec::new();
    for (mode, name) in [(Mode::Static, "static"), (Mode::Dynamic, "dynamic")] {
        let started = Instant::now();
        let run = run(&scratch, &served.path, &values_path, mode, name)
            .unwrap_or_else(|error| panic!("{error}"));
        phases.push((
            if mode == Mode::Static {
                "static run (Prism start and every call)"
            } else {
                "dynamic run (Prism start and every call)"
            },
            started.elapsed(),
        ));
        runs.push(run);
    }

    // Judge every outcome.
    let mut summary = String::new();
    let _ = writeln!(
        summary,
        "values for {} operations; {} no_example warnings",
        values.as_object().map_or(0, |values| values.len()),
        failures.len()
    );
    let with = |fact: fn(&Facts) -> bool| facts.values().filter(|facts| fact(facts)).count();
    let _ = writeln!(
        summary,
        "the document's facts, by operation: success may be false {}, result nullable beside its $ref {}, null the spec cannot hold {}",
        with(|facts| facts.success_may_be_false),
        with(|facts| facts.result_nullable_beside_ref),
        with(|facts| facts.null_the_spec_cannot_hold),
    );
    let mut used_rejects: BTreeSet<&str> = BTreeSet::new();
    for run in &runs {
        let called: BTreeSet<&str> = run.outcomes.iter().map(|o| o.operation.as_str()).collect();
        let missing: Vec<&String> = operations
            .iter()
            .filter(|operation| !called.contains(operation.as_str()))
            .collect();
        if !missing.is_empty() {
            failures.push(format!(
                "{}: operations never called: {missing:?}",
                run.mode
            ));
        }
        if !run.aligned {
            failures.push(format!(
                "{}: Prism's log shows {} requests for {} calls that got an answer: the reasons \
                 below may be missing",
                run.mode,
                run.requests,
                run.outcomes.iter().filter(|o| o.status.is_some()).count()
            ));
        }
        let mut excused: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut unexcused = Vec::new();
        let no_facts = Facts::default();
        for outcome in &run.outcomes {
            if outcome.outcome == "ok" {
                continue;
            }
            if outcome.status == Some(422) {
                match PRISM_REJECTS
                    .iter()
                    .find(|(operation, _)| *operation == outcome.operation)
                {
                    Some((operation, _)) => {
                        used_rejects.insert(operation);
                        excused
                            .entry("422 allowed")
                            .or_default()
                            .push(format!("{} ({})", outcome.operation, outcome.variant));
                    }
                    None => unexcused.push(outcome),
                }
                continue;
            }
            let facts_of = facts.get(&outcome.operation).unwrap_or(&no_facts);
            match KNOWN
                .iter()
                .find(|known| (known.applies)(outcome, facts_of))
            {
                Some(known) => {
                    excused
                        .entry(known.name)
                        .or_default()
                        .push(format!("{} ({})", outcome.operation, outcome.variant));
                }
                None => unexcused.push(outcome),
            }
        }
        let count = |kind: &str| run.outcomes.iter().filter(|o| o.outcome == kind).count();
        let rejected = run
            .outcomes
            .iter()
            .filter(|o| o.status == Some(422))
            .count();
        let _ = writeln!(
            summary,
            "\n{} mode ({:.1?}): {} operations called, {} calls; Prism accepted {} of {} \
             requests, rejected {rejected} (422); outcomes: {} ok (decoded), {} api, {} decode, \
             {} error; 2xx not decoded: {}",
            run.mode,
            run.took,
            called.len(),
            run.outcomes.len(),
            run.passed,
            run.requests,
            count("ok"),
            count("api"),
            count("decode"),
            count("error"),
            run.outcomes
                .iter()
                .filter(|o| o.success() && o.outcome != "ok")
                .count(),
        );
        for (name, which) in &excused {
            let why = KNOWN
                .iter()
                .find(|known| known.name == *name)
                .map_or("see PRISM_REJECTS", |known| known.why);
            let _ = writeln!(summary, "  excused, {name} ({}): {why}", which.len());
            for operation in which {
                let _ = writeln!(summary, "    {operation}");
            }
        }
        for outcome in unexcused {
            let failure = format!("{}: {}", run.mode, outcome.describe());
            let _ = writeln!(summary, "  FAILED {failure}");
            failures.push(failure);
        }
    }
    for (operation, why) in PRISM_REJECTS {
        if !used_rejects.contains(operation) {
            failures.push(format!(
                "PRISM_REJECTS: {operation} is no longer rejected; remove its entry ({why})"
            ));
        }
    }
    let _ = writeln!(summary, "\ntimes:");
    for (phase, took) in &phases {
        let _ = writeln!(summary, "  {phase}: {took:.1?}");
    }
    write(&scratch.join("summary.txt"), &summary);
    eprintln!("{summary}");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}\n\n{summary}",
        failures.len(),
        failures.join("\n")
    );
}

/// Starts Prism, runs the conformance test against it, and reads the report and Prism's
/// log.
fn run(
    scratch: &Path,
    document: &Path,
    values: &Path,
    mode: Mode,
    name: &'static str,
) -> Result<Run, String> {
    let started = Instant::now();
    let prism = Prism::start_keeping(document, mode, LOG_LINES)?;
    let report = scratch.join(format!("report-{name}.jsonl"));
    let _ = fs::remove_file(&report);
    let base_url = prism.base_url();
    let values = values.display().to_string();
    let report_path = report.display().to_string();
    cargo(
        scratch,
        &["test"],
        &[
            ("CONFORMANCE_BASE_URL", base_url.as_str()),
            ("CONFORMANCE_VALUES", values.as_str()),
            ("CONFORMANCE_REPORT", report_path.as_str()),
        ],
    )
    .map_err(|error| {
        format!(
            "{name} run: {error}\n\nPrism's log ends:\n{}",
            tail(&prism.log())
        )
    })?;
    let log = prism.log();
    drop(prism);
    write(&scratch.join(format!("prism-{name}.log")), &log);
    let mut outcomes: Vec<Outcome> = read(&report)
        .lines()
        .map(|line| {
            let row: Value = serde_json::from_str(line)
                .unwrap_or_else(|error| panic!("{}: {error}: {line}", report.display()));
            Outcome {
                operation: row["operation"].as_str().unwrap_or_default().to_owned(),
                variant: row["variant"].as_str().unwrap_or_default().to_owned(),
                outcome: row["outcome"].as_str().unwrap_or_default().to_owned(),
                status: row["status"]
                    .as_u64()
                    .and_then(|status| u16::try_from(status).ok()),
                detail: row["detail"].as_str().unwrap_or_default().to_owned(),
                prism: None,
            }
        })
        .collect();
    let blocks = blocks(&log);
    // The test calls one operation at a time, without retries: the requests in the log are
    // the calls that got an answer, in order.
    let answered = outcomes.iter().filter(|o| o.status.is_some()).count();
    let aligned = answered == blocks.len();
    if aligned {
        let mut blocks = blocks.iter();
        for outcome in outcomes.iter_mut().filter(|o| o.status.is_some()) {
            outcome.prism = blocks.next().cloned();
        }
    }
    Ok(Run {
        mode: name,
        requests: blocks.len(),
        passed: blocks.iter().filter(|block| block.passed).count(),
        outcomes,
        aligned,
        took: started.elapsed(),
    })
}

/// Prism's log cut into requests: each starts at `[HTTP SERVER] … Request received`.
fn blocks(log: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for line in log.lines() {
        if line.contains("[HTTP SERVER]") && line.contains("Request received") {
            let request = line
                .split("[HTTP SERVER]")
                .nth(1)
                .unwrap_or(line)
                .replace("Request received", "")
                .replace('ℹ', "")
                .replace("info", "")
                .trim()
                .to_owned();
            blocks.push(Block {
                request,
                violations: Vec::new(),
                passed: false,
            });
            continue;
        }
        let Some(block) = blocks.last_mut() else {
            continue;
        };
        if line.contains("The request passed the validation rules") {
            block.passed = true;
        }
        let violation = line.contains("Violation:") || line.contains("✖");
        if violation && !line.contains("is deprecated") {
            let text = line.split("] ›").nth(1).unwrap_or(line).trim();
            block.violations.push(shorten(text, 400));
        }
    }
    blocks
}

/// The document's facts about each operation of the spec, by its dotted name.
fn facts(doc: &openapi::openapiv3::OpenAPI, text: &str, yaml: &str) -> BTreeMap<String, Facts> {
    let raw: Value = serde_json::from_str(text).expect("the document is JSON");
    let resolver = Resolver::new(doc);
    let checker = Checker::new(resolver, Direction::Response);
    let upstream = openapi::operations(doc);
    // Operations by method and path, placeholders blanked: the spec renames some.
    let blank = |path: &str| -> String {
        let mut out = String::new();
        let mut inside = false;
        for c in path.chars() {
            match c {
                '{' => {
                    inside = true;
                    out.push('{');
                }
                '}' => {
                    inside = false;
                    out.push('}');
                }
                _ if inside => {}
                c => out.push(c),
            }
        }
        out
    };
    let by_route: BTreeMap<(String, String), &openapi::Operation<'_>> = upstream
        .operations
        .iter()
        .map(|operation| {
            (
                (operation.method.to_owned(), blank(operation.path)),
                operation,
            )
        })
        .collect();
    let spec = codegen::load::load("zero_trust.yaml", yaml)
        .unwrap_or_else(|error| panic!("{error}"))
        .spec;
    let mut facts = BTreeMap::new();
    for (name, operation) in tests::operations(&spec) {
        let key = (operation.method.as_str().to_owned(), blank(&operation.path));
        let found = by_route
            .get(&key)
            .map(|upstream| operation_facts(&resolver, &checker, &raw, upstream))
            .unwrap_or_default();
        facts.insert(name, found);
    }
    facts
}

fn operation_facts(
    resolver: &Resolver<'_>,
    checker: &Checker<'_>,
    raw: &Value,
    operation: &openapi::Operation<'_>,
) -> Facts {
    let mut facts = Facts::default();
    let Some(success) = openapi::success(resolver, operation) else {
        return facts;
    };
    let content = success.content();
    let Some(json) = content.iter().find(|content| content.is_json()) else {
        return facts;
    };
    let Some(schema) = json.schema() else {
        return facts;
    };
    let properties = Properties::of(resolver, schema, &json.pointer.push("schema"));
    facts.success_may_be_false =
        properties
            .fields
            .get("success")
            .is_some_and(|(schema, at): &(SchemaRef<'_>, Pointer)| {
                checker.fits(*schema, at, &json!(false))
            });
    facts.null_the_spec_cannot_hold = raw
        .pointer(json.pointer.push("schema").as_str().trim_start_matches('#'))
        .is_some_and(|schema| holds_null_the_spec_cannot(raw, schema, &mut BTreeSet::new(), 0));
    facts.result_nullable_beside_ref = properties.fields.get("result").is_some_and(|(_, at)| {
        raw.pointer(at.as_str().trim_start_matches('#'))
            .is_some_and(|written| {
                written.get("$ref").is_some() && written.get("nullable") == Some(&json!(true))
            })
    });
    facts
}

/// Whether `schema` (raw JSON, `$ref`s followed once each) allows `null` in a map's values,
/// a list's items, or beside a `$ref`, anywhere inside.
fn holds_null_the_spec_cannot(
    raw: &Value,
    schema: &Value,
    seen: &mut BTreeSet<String>,
    depth: usize,
) -> bool {
    let Some(object) = schema.as_object().filter(|_| depth < 64) else {
        return false;
    };
    let nullable = |value: &Value| value.get("nullable") == Some(&json!(true));
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        if nullable(schema) {
            return true;
        }
        if !seen.insert(reference.to_owned()) {
            return false;
        }
        return raw
            .pointer(reference.trim_start_matches('#'))
            .is_some_and(|target| holds_null_the_spec_cannot(raw, target, seen, depth + 1));
    }
    for key in ["additionalProperties", "items"] {
        if let Some(inner) = object.get(key) {
            if nullable(inner) || holds_null_the_spec_cannot(raw, inner, seen, depth + 1) {
                return true;
            }
        }
    }
    let properties = object
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|properties| properties.values());
    let parts = ["allOf", "anyOf", "oneOf"]
        .iter()
        .filter_map(|key| object.get(*key).and_then(Value::as_array))
        .flatten();
    properties
        .chain(parts)
        .any(|inner| holds_null_the_spec_cannot(raw, inner, seen, depth + 1))
}

/// The models the operations of `product` reach in `yaml`: every type named in the product's
/// subtree of `resources`, then every type those name, and so on. Names are words of the
/// spec's strings (`list<Integration>`), prose and wire values apart.
fn reachable_types(yaml: &str, product: &str) -> BTreeSet<String> {
    let spec: serde_yaml::Value = serde_yaml::from_str(yaml).expect("the imported spec is YAML");
    let types = spec["types"].as_mapping().expect("the spec has types");
    let names: BTreeSet<&str> = types.keys().filter_map(serde_yaml::Value::as_str).collect();
    let mut reached = BTreeSet::new();
    let mut to_read = vec![&spec["resources"][product]];
    while let Some(node) = to_read.pop() {
        let mut named = Vec::new();
        type_names_in(node, &names, &mut named);
        for name in named {
            if reached.insert(name.to_owned()) {
                to_read.push(&spec["types"][name]);
            }
        }
    }
    reached
}

fn type_names_in<'a>(node: &serde_yaml::Value, names: &BTreeSet<&'a str>, out: &mut Vec<&'a str>) {
    use serde_yaml::Value;
    match node {
        Value::String(text) => out.extend(
            text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter_map(|word| names.get(word).copied()),
        ),
        Value::Sequence(items) => {
            for item in items {
                type_names_in(item, names, out);
            }
        }
        Value::Mapping(entries) => {
            for (key, value) in entries {
                // A resource may be named `summary` too: only a string is prose.
                let prose_or_wire = value.is_string()
                    && matches!(
                        key.as_str(),
                        Some("doc" | "summary" | "deprecated" | "value" | "path")
                            | Some("operation_id" | "wire_name")
                    );
                if !prose_or_wire && !matches!(key.as_str(), Some("example" | "examples")) {
                    type_names_in(value, names, out);
                }
            }
        }
        Value::Tagged(tagged) => type_names_in(&tagged.value, names, out),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// What the docs at `doc` (of the crate built with only `product`) show that they should
/// not, or lack: product modules other than `product`'s, and models other than `expected`.
fn compiled_only(
    doc: &Path,
    products: &[String],
    product: &str,
    expected: &BTreeSet<String>,
) -> Vec<String> {
    let entries = |dir: &Path| -> BTreeSet<String> {
        fs::read_dir(dir)
            .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
            .map(|entry| {
                entry
                    .expect("a directory entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    };
    let modules: Vec<&String> = products
        .iter()
        .filter(|module| entries(doc).contains(module.as_str()))
        .collect();
    let models: BTreeSet<String> = entries(&doc.join("types"))
        .iter()
        .filter_map(|file| {
            let page = file.strip_suffix(".html")?;
            page.strip_prefix("struct.")
                .or_else(|| page.strip_prefix("enum."))
                .map(str::to_owned)
        })
        .collect();
    let mut failures = Vec::new();
    if modules != [product] {
        failures.push(format!(
            "built with only [{product}], the crate documents the product modules {modules:?}"
        ));
    }
    let extra: Vec<&String> = models.difference(expected).collect();
    let missing: Vec<&String> = expected.difference(&models).collect();
    if !extra.is_empty() || !missing.is_empty() {
        failures.push(format!(
            "built with only [{product}], the crate has {} models; not reached by its operations: \
             {extra:?}; reached but missing: {missing:?}",
            models.len()
        ));
    }
    failures
}

/// The products of the generated crate: what its `full` feature turns on.
fn products(manifest: &str) -> Vec<String> {
    let line = manifest
        .lines()
        .find_map(|line| line.strip_prefix("full = ["))
        .unwrap_or_default();
    line.trim_end_matches(']')
        .split(',')
        .map(|product| product.trim().trim_matches('"').to_owned())
        .filter(|product| !product.is_empty() && !product.starts_with("dep:"))
        .collect()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| (*arg).to_owned()).collect()
}

/// Runs cargo in the scratch workspace for the generated crate's conformance test, with its
/// own target directory (the suite's is locked while it runs).
fn cargo(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let args = [args, &["--features", "full", "--test", "conformance"]].concat();
    cargo_in(dir, &args, env)
}

/// Runs `cargo ARGS` on the generated package in the scratch workspace.
fn cargo_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // Options after `--` are the tool's, not cargo's.
    let split = args
        .iter()
        .position(|arg| *arg == "--")
        .unwrap_or(args.len());
    let mut command = Command::new(cargo);
    command
        .args(&args[..split])
        .args(["--offline", "--package", PACKAGE])
        .args(&args[split..])
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            tests::workspace_root().join("target/zero-trust-check"),
        )
        .env_remove("RUSTFLAGS");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "cargo {} failed:\n{}\n{}",
        args.join(" "),
        tail(&String::from_utf8_lossy(&output.stdout)),
        tail(&String::from_utf8_lossy(&output.stderr))
    ))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn write(path: &PathBuf, text: &str) {
    fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
    // Unchanged files keep their times, so cargo rebuilds nothing it built before.
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    }
}

/// The last hundred lines of `text`.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(100)..].join("\n")
}

fn shorten(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        return text.to_owned();
    }
    let cut: String = text.chars().take(most).collect();
    format!("{cut}…")
}
