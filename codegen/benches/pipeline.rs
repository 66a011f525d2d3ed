//! Throughput and scaling of the generator, stage by stage.
//!
//! `cargo bench -p codegen --bench pipeline` times every stage of the pipeline (load,
//! validate, lower, emit, emit and format, write) and the whole run, on the real spec and on
//! synthetic specs of 100, 1,000 and 5,000 operations (`codegen::synth`, the same text
//! `cargo xtask synth N` writes). Each benchmark counts operations, so divan reports
//! operations per second next to the time; per-operation time and the growth with N are in
//! BENCHMARKS.md.
//!
//! Only the stage under test is timed: its input is made once, outside the timing, and for
//! the stages that consume their input a fresh copy is made per iteration, also untimed.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use codegen::load::Loaded;
use codegen::{emit, format, load, lower, synth, validate, Tree};
use divan::counter::ItemsCount;
use divan::Bencher;

fn main() {
    divan::main();
}

/// The spec a benchmark runs on.
#[derive(Clone, Copy)]
enum Input {
    /// `spec/risk_scoring.yaml`, 11 operations.
    Real,
    /// `codegen::synth::spec(n)`.
    Synthetic(usize),
}

const INPUTS: [Input; 4] = [
    Input::Real,
    Input::Synthetic(100),
    Input::Synthetic(1_000),
    Input::Synthetic(5_000),
];

const SPEC_NAME: &str = "spec/risk_scoring.yaml";

impl fmt::Display for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Real => f.write_str("real (11 ops)"),
            Input::Synthetic(n) => write!(f, "synthetic {n} ops"),
        }
    }
}

impl Input {
    fn text(self) -> String {
        match self {
            Input::Real => include_str!("../../spec/risk_scoring.yaml").to_owned(),
            Input::Synthetic(n) => synth::spec(n),
        }
    }

    fn loaded(self) -> Loaded {
        let loaded = load::load(SPEC_NAME, &self.text()).expect("the spec loads");
        validate::validate(&loaded).expect("the spec is valid");
        loaded
    }

    fn api(self) -> codegen::ir::Api {
        lower::lower(&self.loaded().spec, SPEC_NAME).expect("the spec lowers")
    }

    fn tree(self) -> Tree {
        codegen::generate_from_str(&self.text(), SPEC_NAME).expect("the spec generates")
    }

    /// Operations in the spec: what the throughput counts.
    fn operations(self) -> ItemsCount {
        fn count(resources: &indexmap::IndexMap<String, codegen::spec::Resource>) -> usize {
            resources
                .values()
                .map(|resource| resource.operations.len() + count(&resource.resources))
                .sum()
        }
        ItemsCount::new(count(&self.loaded().spec.resources))
    }
}

#[divan::bench(name = "1_load", args = INPUTS, max_time = 10)]
fn load(bencher: Bencher, input: Input) {
    let text = input.text();
    bencher
        .counter(input.operations())
        .bench_local(|| load::load(SPEC_NAME, &text).expect("the spec loads"));
}

#[divan::bench(name = "2_validate", args = INPUTS, max_time = 10)]
fn validate(bencher: Bencher, input: Input) {
    let loaded = input.loaded();
    bencher
        .counter(input.operations())
        .bench_local(|| validate::validate(&loaded).expect("the spec is valid"));
}

#[divan::bench(name = "3_lower", args = INPUTS, max_time = 10)]
fn lower(bencher: Bencher, input: Input) {
    let loaded = input.loaded();
    bencher
        .counter(input.operations())
        .bench_local(|| lower::lower(&loaded.spec, SPEC_NAME).expect("the spec lowers"));
}

/// Emission alone: every piece's tokens, on one thread.
#[divan::bench(name = "4_emit", args = INPUTS, max_time = 10)]
fn emit(bencher: Bencher, input: Input) {
    let api = input.api();
    bencher
        .counter(input.operations())
        .bench_local(|| emit::emit(&api));
}

/// What the pipeline runs after lowering: every piece emitted, parsed and printed, on all
/// cores (tokens cannot cross threads, so emission and formatting are timed together).
#[divan::bench(name = "5_emit_and_format", args = INPUTS, max_time = 10)]
fn emit_and_format(bencher: Bencher, input: Input) {
    let api = input.api();
    bencher.counter(input.operations()).bench_local(|| {
        format::format_planned(emit::plan(&api), SPEC_NAME).expect("the tokens format")
    });
}

/// Writing into a directory that does not exist yet: every file is created.
#[divan::bench(name = "6_write_fresh", args = INPUTS, max_time = 10)]
fn write_fresh(bencher: Bencher, input: Input) {
    let tree = input.tree();
    bencher
        .counter(input.operations())
        .with_inputs(Scratch::new)
        .bench_local_values(|scratch| {
            tree.write(&scratch.crate_dir()).expect("the tree writes");
            // Returned so that removing the files happens outside the timing.
            scratch
        });
}

/// Writing over an identical earlier output: every file is read, compared and left alone.
#[divan::bench(name = "7_write_unchanged", args = INPUTS, max_time = 10)]
fn write_unchanged(bencher: Bencher, input: Input) {
    let tree = input.tree();
    let scratch = Scratch::new();
    let dir = scratch.crate_dir();
    tree.write(&dir).expect("the tree writes");
    bencher.counter(input.operations()).bench_local(|| {
        let report = tree.write(&dir).expect("the tree writes");
        debug_assert_eq!(report.unchanged, tree.files.len());
        report
    });
}

/// What `cargo xtask gen` does in a checkout: from spec text to files, over an earlier
/// output that the spec still gives (so the write finds nothing to change; a first run into
/// an empty directory costs `6_write_fresh` instead of `7_write_unchanged`).
#[divan::bench(name = "8_whole_run", args = INPUTS, max_time = 10)]
fn whole_run(bencher: Bencher, input: Input) {
    let text = input.text();
    let scratch = Scratch::new();
    let dir = scratch.crate_dir();
    input.tree().write(&dir).expect("the tree writes");
    bencher.counter(input.operations()).bench_local(|| {
        let tree = codegen::generate_from_str(&text, SPEC_NAME).expect("the spec generates");
        tree.write(&dir).expect("the tree writes")
    });
}

/// A directory of its own under the system's temporary directory, removed on drop.
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "codegen-bench-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&root).expect("the scratch directory is created");
        Scratch { root }
    }

    /// Where the crate goes: inside the scratch directory, not created yet.
    fn crate_dir(&self) -> PathBuf {
        Path::new(&self.root).join("generated")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
