//! `codegen::generate_from_str` never panics and never fails with an internal error,
//! whatever text it is given: it returns a tree or located diagnostics.
//!
//! Inputs come from six strategies: arbitrary text, random YAML built from the spec's own
//! vocabulary, edits of real specs (the project's spec, the fixture specs and the bad-spec
//! corpus), valid specs whose every name is awkward, specs using every feature of the format
//! (unions, `all_of`, enums of numbers, parameters, bodies, responses, pagination) with
//! awkward names in each, and deep nesting. Each property runs 256 cases by default
//! (`PROPTEST_CASES` raises it); `tests/FUZZING.md` describes long runs.
//!
//! An internal error counts as a failure too: it means validation accepted a spec that the
//! later stages cannot handle, which is the same bug as a panic without the crash.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::Error;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::ValueTree;
use proptest::test_runner::Config;

const SPEC_NAME: &str = "fuzz.yaml";

/// The configuration of every property: proptest's defaults, which honour the `PROPTEST_*`
/// environment variables (`PROPTEST_CASES`, `PROPTEST_FORK`, `PROPTEST_TIMEOUT`, …).
fn config() -> Config {
    Config::default()
}

/// Runs the whole pipeline on `text`; fails the case on an internal error or on a
/// diagnostic without a place.
fn generate(text: &str) -> Result<(), TestCaseError> {
    generate_bytes(text.as_bytes())
}

/// [`generate`] of the bytes of a file, which need not be UTF-8.
fn generate_bytes(bytes: &[u8]) -> Result<(), TestCaseError> {
    match codegen::generate_from_bytes(bytes, SPEC_NAME) {
        Ok(_) => Ok(()),
        Err(Error::Spec(diagnostics)) => {
            prop_assert!(!diagnostics.0.is_empty(), "an error without diagnostics");
            for diagnostic in &diagnostics.0 {
                prop_assert_eq!(&diagnostic.file, SPEC_NAME);
                prop_assert!(
                    diagnostic.line >= 1 && diagnostic.column >= 1,
                    "{}",
                    diagnostic
                );
            }
            Ok(())
        }
        Err(error) => Err(TestCaseError::fail(format!(
            "not a spec error: {error}\n--- input ---\n{}",
            String::from_utf8_lossy(bytes)
        ))),
    }
}

// ---------------------------------------------------------------------------------------
// Seeds: real specs to mutate.

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The project's spec (when it exists), every fixture spec and every bad spec, read once,
/// valid ones first.
fn seeds() -> &'static [String] {
    static SEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = workspace_root();
        let mut paths = vec![root.join("spec/risk_scoring.yaml")];
        for (dir, file) in [
            ("tests/fixtures", Some("spec.yaml")),
            ("tests/bad_specs", None),
        ] {
            let Ok(entries) = fs::read_dir(root.join(dir)) else {
                continue;
            };
            let mut found: Vec<PathBuf> = entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .map(|path| match file {
                    Some(file) => path.join(file),
                    None => path,
                })
                .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
                .collect();
            found.sort();
            paths.extend(found);
        }
        paths
            .iter()
            .filter_map(|path| fs::read_to_string(path).ok())
            .collect()
    })
}

// ---------------------------------------------------------------------------------------
// Vocabulary: the words a spec is made of, and the awkward ones.

/// Every key the spec format knows, and some it does not.
#[rustfmt::skip]
const KEYS: &[&str] = &[
    "crate", "name", "version", "description", "license", "repository", "rust_version", "doc",
    "base_url", "types", "fields", "enum", "value", "type", "optional", "nullable",
    "deprecated", "all_of", "additional", "union", "discriminator", "variants", "tag",
    "resources", "operations", "operation_id", "summary", "method", "path", "idempotent",
    "path_params", "query_params", "header_params", "explode", "body", "content_type",
    "response", "result", "result_nullable", "result_info", "pagination", "example_response",
    "get", "list", "new", "self", "ref", "match", "Self", "2fa", "a.b", "<<", "", " ", "?",
    "timeout", "client", "types ", "Crate", "items", "page", "cursor", "kind",
];

/// Scalars of every kind YAML has, type expressions good and bad, paths good and bad, and
/// the values of the spec's own enumerations.
#[rustfmt::skip]
const VALUES: &[&str] = &[
    "", "~", "null", "true", "false", "yes", "0", "-1", "0x1F", "1e400", ".nan", "-.inf",
    "1.5", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "18446744073709551616",
    "123456789012345678901234567890", "string", "uuid", "date-time", "json", "object",
    "int32", "int64", "uint64", "float", "double", "binary", "list<binary>", "map<binary>",
    "list<string>", "map<list<uuid>>", "list<", "map<>", "list<Item>", "Item", "RiskLevel",
    "Self", "String", "Option", "Upload", "Binary", "Text", "Unmatched", "GET", "POST",
    "DELETE", "get", "/a/{b}", "/a/{b}/{b}", "/{", "}", "/a/{é}", "[]", "{}",
    "[1, [2, [3]]]", "{a: 1, a: 2}", "&x 1", "*x", "*undefined", "!!binary aGVsbG8=",
    "!tag x", "|\n  block", ">-\n  folded", "\"quoted \\u0000\"", "'single'", "ü", "🦀",
    "\t", "#comment", "- item", "? complex", "---", "...", "'", "\"", ": :", "0.1.0",
    "\"1.80\"", "https://example.com", "http://[::1]:80", "envelope", "partial_envelope",
    "empty", "bytes", "text", "page", "page_items", "cursor", "cursor_after", "cursor_limit",
    "application/json", "application/merge-patch+json", "multipart/form-data", "text/csv",
    "text/plain; charset=utf-8", "application/octet-stream", "zip", "\"a/b\\nc: d\"",
    "[User, Item]", "{variants: []}", "{discriminator: kind, variants: [{type: A, tag: a}]}",
];

/// Wire names that are fine in a spec and awkward in Rust: keywords, leading digits,
/// names differing only by case or separator, names the generator uses itself.
#[rustfmt::skip]
const AWKWARD_NAMES: &[&str] = &[
    "type", "ref", "match", "self", "Self", "super", "crate", "fn", "async", "gen", "2fa", "1",
    "007", "fooBar", "foo_bar", "FOO_BAR", "foo-bar", "foo bar", "Foo", "extra",
    "extra_fields", "map", "key", "json_key", "access", "body", "request_body", "new",
    "client", "Unknown", "unknown", "value", "caf\u{e9}", "a.b", "a/b", "x_", "_x",
    "items", "Other", "other", "OtherValue", "kind", "tag", "page", "cursor", "pages",
    "send", "header", "max_retries", "Upload", "Binary", "filter[name]", "per-page",
];

/// Any name at all: awkward, random ASCII or random Unicode.
fn any_name() -> impl Strategy<Value = String> {
    prop_oneof![
        select(AWKWARD_NAMES).prop_map(str::to_owned),
        select(vec![
            "",
            " ",
            "_",
            "__",
            "-",
            "\u{e9}",
            "\u{1f980}",
            "a\u{0}b",
            "{x}",
            "'",
            "\n"
        ])
        .prop_map(str::to_owned),
        "[a-z_][a-z0-9_]{0,8}",
        "[A-Za-z0-9_ .\\-]{0,10}",
        any::<String>().prop_map(|name| name.chars().take(12).collect()),
    ]
}

/// `valid`, or when `wild`, now and then any name at all.
fn or_wild(valid: impl Strategy<Value = String> + 'static, wild: bool) -> BoxedStrategy<String> {
    if wild {
        prop_oneof![4 => valid, 1 => any_name()].boxed()
    } else {
        valid.boxed()
    }
}

/// A name for a field, query parameter or enum value.
fn wire_name(wild: bool) -> BoxedStrategy<String> {
    let valid = prop_oneof![
        2 => select(AWKWARD_NAMES).prop_map(str::to_owned),
        1 => "[a-z][a-zA-Z0-9_]{0,8}",
    ];
    or_wild(valid, wild)
}

/// A name for an operation or resource, which must be snake_case or a keyword.
fn member_name(wild: bool) -> BoxedStrategy<String> {
    let valid = prop_oneof![
        2 => select(vec![
            "type", "self", "match", "ref", "async", "gen", "crate", "super", "get", "list",
            "a1", "x_y",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z][a-z0-9]{0,4}(_[a-z0-9]{1,4}){0,2}",
    ];
    let reserved =
        select(vec!["new", "client", "builder", "timeout", "types"]).prop_map(str::to_owned);
    or_wild(prop_oneof![9 => valid, 1 => reserved], wild)
}

/// A name for a path parameter, which must also fit a `{name}` placeholder.
fn path_param_name(wild: bool) -> BoxedStrategy<String> {
    let valid = prop_oneof![
        2 => select(vec![
            "type", "self", "ref", "match", "body", "request_body", "id", "_x", "fooBar", "a1",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z_][a-zA-Z0-9_]{0,6}",
    ];
    or_wild(valid, wild)
}

/// A name for a type: PascalCase, sometimes one the generated code uses itself.
fn type_name(wild: bool) -> BoxedStrategy<String> {
    let valid = prop_oneof![
        2 => select(vec![
            "Self", "Type", "Match", "Ref", "V2", "A", "Item", "Items", "Unknown", "Extra",
            "Kind", "Thing", "ThingKind",
        ])
        .prop_map(str::to_owned),
        2 => "[A-Z][a-z0-9]{0,8}",
    ];
    let reserved = select(vec![
        "String",
        "Option",
        "Result",
        "Vec",
        "Box",
        "Client",
        "Request",
        "Operation",
        "PathSegment",
        "FieldVisitor",
        "Visitor",
        "Uuid",
        "DateTime",
    ])
    .prop_map(str::to_owned);
    or_wild(prop_oneof![9 => valid, 1 => reserved], wild)
}

/// A YAML scalar holding `text` exactly, whatever it contains: JSON strings are valid
/// YAML double-quoted scalars.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

// ---------------------------------------------------------------------------------------
// Strategy: random YAML from the spec's vocabulary.

#[derive(Debug, Clone)]
enum Node {
    /// Written as it is, which may not be valid YAML at all.
    Raw(String),
    /// Written quoted, so it is always a string.
    Text(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        select(VALUES).prop_map(|value| Node::Raw(value.to_owned())),
        any_name().prop_map(Node::Text),
    ];
    leaf.prop_recursive(6, 96, 6, |inner| {
        let key = prop_oneof![select(KEYS).prop_map(str::to_owned), any_name()];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Node::Seq),
            prop::collection::vec((key, inner), 0..7).prop_map(Node::Map),
        ]
    })
}

/// Block-style YAML for `node`, indented by `indent` spaces; `flow` switches to the
/// `[a, b]` / `{k: v}` style for this node and everything in it.
fn render(node: &Node, indent: usize, flow: bool, out: &mut String) {
    let pad = " ".repeat(indent);
    match (node, flow) {
        (Node::Raw(text), _) => out.push_str(text),
        (Node::Text(text), _) => out.push_str(&quoted(text)),
        (Node::Seq(items), _) if items.is_empty() => out.push_str("[]"),
        (Node::Map(entries), _) if entries.is_empty() => out.push_str("{}"),
        (Node::Seq(items), true) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(item, indent, true, out);
            }
            out.push(']');
        }
        (Node::Map(entries), true) => {
            out.push('{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quoted(key));
                out.push_str(": ");
                render(value, indent, true, out);
            }
            out.push('}');
        }
        (Node::Seq(items), false) => {
            for item in items {
                out.push('\n');
                out.push_str(&pad);
                out.push_str("- ");
                render(item, indent + 2, false, out);
            }
        }
        (Node::Map(entries), false) => {
            for (key, value) in entries {
                out.push('\n');
                out.push_str(&pad);
                out.push_str(key);
                out.push(':');
                if !matches!(value, Node::Seq(_) | Node::Map(_)) {
                    out.push(' ');
                }
                render(value, indent + 2, false, out);
            }
        }
    }
}

/// A top-level mapping with the spec's own keys and random values.
fn random_spec() -> impl Strategy<Value = String> {
    let top_key = prop_oneof![
        4 => select(&["crate", "base_url", "types", "resources"][..]).prop_map(str::to_owned),
        1 => select(KEYS).prop_map(str::to_owned),
    ];
    (
        prop::collection::vec((top_key, node()), 0..6),
        any::<bool>(),
    )
        .prop_map(|(entries, flow)| {
            let mut out = String::new();
            render(&Node::Map(entries), 0, flow, &mut out);
            out
        })
}

// ---------------------------------------------------------------------------------------
// Strategy: edits of real specs.

#[derive(Debug, Clone)]
enum Edit {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    CopyLineOver(Index, Index),
    /// Moves a line left or right by some spaces.
    Reindent(Index, i8),
    IndentWithTab(Index),
    /// Inserts text at a character of the whole document.
    Insert(Index, String),
    ReplaceKey(Index, String),
    ReplaceValue(Index, String),
    Truncate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let junk = prop_oneof![
        select(vec![
            ":", ": ", "- ", "? ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!", "|", ">", "'",
            "\"", "%", "@", "`", "\t", "\n", "\r\n", "\u{0}", "\u{feff}", "é", "🦀", "\n---\n",
            "\n...\n", "<<: *a\n", "\\",
        ])
        .prop_map(str::to_owned),
        "[ -~]{1,6}",
        any::<String>().prop_map(|text| text.chars().take(6).collect()),
    ];
    let key = prop_oneof![select(KEYS).prop_map(str::to_owned), any_name()];
    let value = prop_oneof![
        select(VALUES).prop_map(str::to_owned),
        any_name().prop_map(|name| quoted(&name)),
        type_name(true),
    ];
    prop_oneof![
        1 => any::<Index>().prop_map(Edit::DeleteLine),
        1 => any::<Index>().prop_map(Edit::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::CopyLineOver(a, b)),
        1 => (any::<Index>(), -4i8..=4).prop_map(|(line, by)| Edit::Reindent(line, by)),
        1 => any::<Index>().prop_map(Edit::IndentWithTab),
        2 => (any::<Index>(), junk).prop_map(|(at, text)| Edit::Insert(at, text)),
        2 => (any::<Index>(), key).prop_map(|(line, key)| Edit::ReplaceKey(line, key)),
        3 => (any::<Index>(), value).prop_map(|(line, value)| Edit::ReplaceValue(line, value)),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let len = lines.len();
    match edit {
        Edit::DeleteLine(at) => {
            lines.remove(at.index(len));
        }
        Edit::DuplicateLine(at) => {
            let at = at.index(len);
            lines.insert(at, lines[at].clone());
        }
        Edit::SwapLines(a, b) => lines.swap(a.index(len), b.index(len)),
        Edit::CopyLineOver(from, to) => lines[to.index(len)] = lines[from.index(len)].clone(),
        Edit::Reindent(at, by) => {
            let line = &mut lines[at.index(len)];
            let spaces = " ".repeat(usize::from(by.unsigned_abs()));
            if *by >= 0 {
                line.insert_str(0, &spaces);
            } else if let Some(rest) = line.strip_prefix(&spaces) {
                *line = rest.to_owned();
            }
        }
        Edit::IndentWithTab(at) => lines[at.index(len)].insert(0, '\t'),
        Edit::Insert(at, junk) => {
            let mut whole = lines.join("\n");
            let boundaries: Vec<usize> = whole
                .char_indices()
                .map(|(i, _)| i)
                .chain([whole.len()])
                .collect();
            whole.insert_str(boundaries[at.index(boundaries.len())], junk);
            return whole;
        }
        Edit::ReplaceKey(at, key) => {
            let line = &mut lines[at.index(len)];
            if let Some(colon) = line.find(':') {
                let indent = line.len() - line.trim_start().len();
                line.replace_range(indent.min(colon)..colon, key);
            }
        }
        Edit::ReplaceValue(at, value) => {
            let line = &mut lines[at.index(len)];
            match line.find(": ") {
                Some(colon) => line.replace_range(colon + 2.., value),
                None => line.push_str(&format!(": {value}")),
            }
        }
        Edit::Truncate(at) => lines.truncate(at.index(len)),
    }
    lines.join("\n") + "\n"
}

fn edited_spec() -> impl Strategy<Value = String> {
    let count = seeds().len().max(1);
    (any::<Index>(), prop::collection::vec(edit(), 1..6)).prop_map(move |(seed, edits)| {
        let seeds = seeds();
        let seed = seeds.get(seed.index(count)).map_or("", String::as_str);
        edits
            .iter()
            .fold(seed.to_owned(), |text, edit| apply(&text, edit))
    })
}

// ---------------------------------------------------------------------------------------
// Strategy: valid specs with awkward names everywhere.

#[derive(Debug, Clone)]
struct Names {
    object: String,
    enumeration: String,
    fields: Vec<String>,
    values: Vec<String>,
    resources: Vec<String>,
    operation: String,
    path_params: Vec<String>,
    query: String,
}

/// Names for [`spec_with`]: half the time only names valid where they are used, so that
/// most specs reach the later stages; otherwise any name may turn up anywhere.
fn names() -> impl Strategy<Value = Names> {
    any::<bool>().prop_flat_map(names_with)
}

fn names_with(wild: bool) -> impl Strategy<Value = Names> {
    (
        (type_name(wild), type_name(wild)),
        prop::collection::vec(wire_name(wild), 1..5),
        prop::collection::vec(wire_name(wild), 1..4),
        prop::collection::vec(member_name(wild), 1..4),
        member_name(wild),
        prop::collection::vec(path_param_name(wild), 1..3),
        wire_name(wild),
    )
        .prop_map(
            |((object, enumeration), fields, values, resources, operation, path_params, query)| {
                Names {
                    object,
                    enumeration,
                    fields,
                    values,
                    resources,
                    operation,
                    path_params,
                    query,
                }
            },
        )
}

fn spec_with(names: &Names) -> String {
    let q = |name: &str| quoted(name);
    let mut fields = String::new();
    for (i, field) in names.fields.iter().enumerate() {
        let ty = if i == 0 {
            q(&names.enumeration)
        } else {
            "string".to_owned()
        };
        fields.push_str(&format!(
            "      {}: {{type: {ty}, doc: d, optional: {}}}\n",
            q(field),
            i % 2 == 1
        ));
    }
    let mut values = String::new();
    for value in &names.values {
        values.push_str(&format!("      - {{value: {}, doc: d}}\n", q(value)));
    }
    let mut path = String::from("/x");
    let mut params = String::new();
    for param in &names.path_params {
        path.push_str(&format!("/{{{param}}}"));
        params.push_str(&format!("{}: {{type: uuid, doc: d}}, ", q(param)));
    }
    // Resources nest, each inside the one before.
    let mut resources = String::new();
    for (depth, resource) in names.resources.iter().enumerate() {
        let pad = "  ".repeat(2 * depth + 1);
        resources.push_str(&format!("{pad}{}:\n{pad}  doc: d\n", q(resource)));
        if depth + 1 < names.resources.len() {
            resources.push_str(&format!("{pad}  resources:\n"));
        }
    }
    let pad = "  ".repeat(2 * names.resources.len());
    format!(
        "crate:
  name: fuzz-names
  version: 0.1.0
  description: d
  license: MIT
  repository: https://example.com
  rust_version: \"1.80\"
  doc: d
base_url: https://api.example.com
types:
  {object}:
    doc: d
    fields:
{fields}  {enumeration}:
    doc: d
    enum:
{values}resources:
{resources}{pad}operations:
{pad}  {operation}:
{pad}    operation_id: op
{pad}    summary: s
{pad}    doc: d
{pad}    method: PUT
{pad}    path: {path}
{pad}    path_params: {{{params}}}
{pad}    query_params: {{{query}: {{type: boolean, doc: d, optional: true}}}}
{pad}    body: {object}
{pad}    result: {result}
{pad}    example_response: {{success: true, errors: [], messages: [], result: []}}
",
        result = q(&format!("list<{}>", names.object)),
        object = q(&names.object),
        enumeration = q(&names.enumeration),
        operation = q(&names.operation),
        path = q(&path),
        query = q(&names.query),
    )
}

// ---------------------------------------------------------------------------------------
// Strategy: specs that use every feature of the format, with awkward names in each.

/// Scalar type expressions: what a parameter may be.
#[rustfmt::skip]
const SCALAR_TYPES: &[&str] = &[
    "string", "boolean", "integer", "int32", "int64", "uint64", "number", "float", "double",
    "uuid", "date-time", "uri", "Kind",
];

/// Type expressions for fields, union variants and results (the named ones are the types
/// [`features_spec`] declares).
#[rustfmt::skip]
const FIELD_TYPES: &[&str] = &[
    "json", "object", "Base", "Derived", "Choice", "Kind", "list<Kind>", "map<Base>",
    "list<Choice>", "map<list<uuid>>", "list<Derived>", "map<int32>", "list<double>",
];

/// Type expressions that are wrong somewhere, or everywhere.
#[rustfmt::skip]
const ODD_TYPES: &[&str] = &[
    "binary", "list<binary>", "map<binary>", "Form", "Page", "Missing", "list<list<string>>",
    "Upload", "Choice", "object", "json",
];

fn type_expr(wild: bool) -> BoxedStrategy<String> {
    let valid = prop_oneof![
        2 => select(SCALAR_TYPES).prop_map(str::to_owned),
        2 => select(FIELD_TYPES).prop_map(str::to_owned),
        1 => select(SCALAR_TYPES).prop_map(|item| format!("list<{item}>")),
    ];
    if wild {
        prop_oneof![4 => valid, 2 => select(ODD_TYPES).prop_map(str::to_owned)].boxed()
    } else {
        valid.boxed()
    }
}

/// A query parameter's type: a scalar or a list of them, or when `wild` anything.
fn param_type(wild: bool) -> BoxedStrategy<String> {
    let valid = prop_oneof![
        3 => select(SCALAR_TYPES).prop_map(str::to_owned),
        1 => select(SCALAR_TYPES).prop_map(|item| format!("list<{item}>")),
    ];
    if wild {
        prop_oneof![3 => valid, 1 => type_expr(true)].boxed()
    } else {
        valid.boxed()
    }
}

/// A Rust name given with `name`: snake_case for fields and parameters.
fn given_snake(wild: bool) -> BoxedStrategy<String> {
    let valid = select(vec![
        "type_", "self_", "ref_", "r", "extra", "items", "body", "x_1", "value", "page",
    ])
    .prop_map(str::to_owned);
    let bad = select(vec!["kind_", "_x", "type", "fooBar", "Kind", ""]).prop_map(str::to_owned);
    or_wild(
        prop_oneof![6 => valid, 1 => bad, 2 => "[a-z][a-z0-9_]{0,6}"],
        wild,
    )
}

/// A Rust name given with `name`: PascalCase for enum and union variants.
fn given_pascal(wild: bool) -> BoxedStrategy<String> {
    let valid = select(vec![
        "A",
        "V1",
        "Unknown",
        "UnknownValue",
        "Other",
        "True",
        "Minus1",
        "String",
        "Value",
        "HTTPServer",
    ])
    .prop_map(str::to_owned);
    let bad = select(vec![
        "Self",
        "Self_",
        "self",
        "very_high",
        "lower",
        "",
        "Crate",
    ])
    .prop_map(str::to_owned);
    or_wild(
        prop_oneof![6 => valid, 1 => bad, 2 => "[A-Z][A-Za-z0-9]{0,6}"],
        wild,
    )
}

/// `deprecated`: mostly absent, `true`, a note, and when `wild` `false` or nonsense.
fn deprecated(wild: bool) -> BoxedStrategy<Option<String>> {
    let valid = prop_oneof![
        6 => Just(None),
        1 => Just(Some("true".to_owned())),
        1 => any_name().prop_map(|note| Some(quoted(&note))),
    ];
    if wild {
        prop_oneof![5 => valid, 1 => select(VALUES).prop_map(|value| Some(value.to_owned()))]
            .boxed()
    } else {
        valid.boxed()
    }
}

#[derive(Debug, Clone)]
struct FieldSpec {
    wire: String,
    ty: String,
    optional: bool,
    nullable: bool,
    name: Option<String>,
    deprecated: Option<String>,
}

fn field_spec(wild: bool) -> impl Strategy<Value = FieldSpec> {
    (
        wire_name(wild),
        type_expr(wild),
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::option::weighted(0.2, given_snake(wild)),
        deprecated(wild),
    )
        .prop_map(
            |(wire, ty, optional, nullable, name, deprecated)| FieldSpec {
                wire,
                ty,
                optional,
                nullable,
                name,
                deprecated,
            },
        )
}

/// One enum value as written in YAML, with its given name.
#[derive(Debug, Clone)]
struct ValueSpec {
    value: String,
    name: Option<String>,
}

fn enum_values(wild: bool) -> BoxedStrategy<Vec<ValueSpec>> {
    let named = move |values: Vec<String>| {
        let count = values.len();
        (
            Just(values),
            prop::collection::vec(prop::option::weighted(0.2, given_pascal(wild)), count),
        )
            .prop_map(|(values, names)| {
                values
                    .into_iter()
                    .zip(names)
                    .map(|(value, name)| ValueSpec { value, name })
                    .collect::<Vec<_>>()
            })
    };
    let strings = prop::collection::btree_set(wire_name(wild), 1..4)
        .prop_map(|values| values.iter().map(|value| quoted(value)).collect::<Vec<_>>());
    let integers = prop::collection::btree_set(
        prop_oneof![
            select(vec![0i64, 1, -1, 2, i64::MAX, i64::MIN, 404]),
            any::<i64>()
        ],
        1..4,
    )
    .prop_map(|values| values.iter().map(i64::to_string).collect::<Vec<_>>());
    let booleans = select(vec![vec!["true"], vec!["false"], vec!["true", "false"]])
        .prop_map(|values| values.into_iter().map(str::to_owned).collect::<Vec<_>>());
    let values = if wild {
        prop_oneof![
            strings,
            integers,
            booleans,
            prop::collection::vec(
                prop_oneof![
                    select(VALUES).prop_map(str::to_owned),
                    any_name().prop_map(|name| quoted(&name)),
                ],
                0..4
            ),
        ]
        .boxed()
    } else {
        prop_oneof![strings, integers, booleans].boxed()
    };
    values.prop_flat_map(named).boxed()
}

#[derive(Debug, Clone)]
struct VariantSpec {
    ty: String,
    name: Option<String>,
    tag: Option<String>,
}

#[derive(Debug, Clone)]
struct UnionSpec {
    discriminator: Option<String>,
    variants: Vec<VariantSpec>,
}

fn union_spec(wild: bool) -> BoxedStrategy<UnionSpec> {
    // Untagged: any types, tried in order.
    let untagged = prop::collection::vec(
        (
            type_expr(wild),
            prop::option::weighted(0.3, given_pascal(wild)),
        ),
        1..4,
    )
    .prop_map(|variants| UnionSpec {
        discriminator: None,
        variants: variants
            .into_iter()
            .map(|(ty, name)| VariantSpec {
                ty,
                name,
                tag: None,
            })
            .collect(),
    });
    // Tagged by `kind`, a string field of `Base` that `Derived` has too.
    let tagged = (
        prop::collection::btree_set(wire_name(wild), 2..3),
        prop::option::weighted(0.3, given_pascal(wild)),
    )
        .prop_map(|(tags, name)| {
            let mut tags = tags.into_iter();
            let mut variant = |ty: &str, name: Option<String>| VariantSpec {
                ty: ty.to_owned(),
                name,
                tag: tags.next(),
            };
            UnionSpec {
                discriminator: Some("kind".to_owned()),
                variants: vec![variant("Base", None), variant("Derived", name)],
            }
        });
    if wild {
        let anything = (
            prop::option::of(wire_name(true)),
            prop::collection::vec(
                (
                    type_expr(true),
                    prop::option::of(given_pascal(true)),
                    prop::option::of(wire_name(true)),
                ),
                0..4,
            ),
        )
            .prop_map(|(discriminator, variants)| UnionSpec {
                discriminator,
                variants: variants
                    .into_iter()
                    .map(|(ty, name, tag)| VariantSpec { ty, name, tag })
                    .collect(),
            });
        prop_oneof![untagged, tagged, anything].boxed()
    } else {
        prop_oneof![untagged, tagged].boxed()
    }
}

#[derive(Debug, Clone)]
struct ParamSpec {
    wire: String,
    ty: String,
    optional: bool,
    name: Option<String>,
    explode: Option<bool>,
    deprecated: Option<String>,
}

fn param_spec(wild: bool, header: bool) -> impl Strategy<Value = ParamSpec> {
    let wire = if header {
        or_wild(
            prop_oneof![
                select(vec![
                    "X-Request-Id",
                    "If-Match",
                    "cf-ray",
                    "X-Auth-Email",
                    "Accept"
                ])
                .prop_map(str::to_owned),
                "[A-Za-z][A-Za-z0-9-]{0,10}",
            ],
            wild,
        )
    } else {
        wire_name(wild)
    };
    let ty = if header && !wild {
        select(SCALAR_TYPES).prop_map(str::to_owned).boxed()
    } else {
        param_type(wild)
    };
    (
        wire,
        ty,
        any::<bool>(),
        prop::option::weighted(0.2, given_snake(wild)),
        prop::option::weighted(0.2, any::<bool>()),
        deprecated(wild),
    )
        .prop_map(
            move |(wire, ty, optional, name, explode, deprecated)| ParamSpec {
                // `explode` belongs to lists; when not wild, keep it there.
                explode: explode.filter(|_| wild || ty.starts_with("list<")),
                wire,
                ty,
                optional,
                name,
                deprecated,
            },
        )
}

#[derive(Debug, Clone)]
struct BodySpec {
    ty: String,
    content_type: Option<String>,
    optional: bool,
    doc: Option<String>,
}

fn body_spec(wild: bool) -> BoxedStrategy<BodySpec> {
    let json = prop_oneof![
        select(vec![
            "Base",
            "Derived",
            "Choice",
            "list<Base>",
            "map<Kind>",
            "string",
            "json"
        ])
        .prop_map(str::to_owned),
        type_expr(false),
    ]
    .prop_map(|ty| (ty, None));
    let other = select(vec![
        ("Form", "multipart/form-data"),
        ("string", "text/plain"),
        ("string", "text/csv; charset=utf-8"),
        ("binary", "application/octet-stream"),
        ("binary", "application/zip"),
        ("Base", "application/merge-patch+json"),
    ])
    .prop_map(|(ty, content_type)| (ty.to_owned(), Some(content_type.to_owned())));
    let valid = prop_oneof![json, other];
    let written = if wild {
        let anything = (
            type_expr(true),
            prop::option::of(prop_oneof![
                select(VALUES).prop_map(str::to_owned),
                any_name()
            ]),
        );
        prop_oneof![3 => valid, 1 => anything].boxed()
    } else {
        valid.boxed()
    };
    (
        written,
        any::<bool>(),
        prop::option::weighted(0.3, any_name()),
    )
        .prop_map(|((ty, content_type), optional, doc)| BodySpec {
            ty,
            content_type,
            optional,
            doc,
        })
        .boxed()
}

/// What an operation returns and how it pages: `(response, result, result_nullable,
/// result_info, pagination)`.
type Answer = (Option<String>, Option<String>, bool, bool, Option<String>);

fn answer(wild: bool) -> BoxedStrategy<Answer> {
    let plain = (
        select(vec![
            None,
            Some("envelope"),
            Some("partial_envelope"),
            Some("json"),
        ]),
        prop::option::weighted(0.9, type_expr(false)),
        prop::bool::weighted(0.2),
        any::<bool>(),
    )
        .prop_map(|(response, result, nullable, info)| {
            let json = response == Some("json");
            (
                response.map(str::to_owned),
                // A `json` response needs its result.
                result.or_else(|| json.then(|| "Base".to_owned())),
                nullable,
                info && !json,
                None,
            )
        });
    let bodiless = select(vec!["empty", "bytes", "text"])
        .prop_map(|response| (Some(response.to_owned()), None, false, false, None));
    let paged = select(vec![
        "page",
        "page_items",
        "cursor",
        "cursor_after",
        "cursor_limit",
    ])
    .prop_map(|style| {
        let result = if style == "page_items" {
            "Page"
        } else {
            "list<Derived>"
        };
        (
            None,
            Some(result.to_owned()),
            false,
            true,
            Some(style.to_owned()),
        )
    });
    let valid = prop_oneof![4 => plain, 1 => bodiless, 2 => paged];
    if wild {
        let anything = (
            prop::option::of(prop_oneof![
                select(VALUES).prop_map(str::to_owned),
                any_name()
            ]),
            prop::option::of(type_expr(true)),
            any::<bool>(),
            any::<bool>(),
            prop::option::of(prop_oneof![
                select(VALUES).prop_map(str::to_owned),
                any_name()
            ]),
        );
        prop_oneof![3 => valid, 1 => anything].boxed()
    } else {
        valid.boxed()
    }
}

/// A spec with an object type (`Base`), one composed from it (`Derived`, with `all_of` and
/// `additional`), an enum (`Kind`), a union (`Choice`), a multipart form (`Form`) and a page
/// (`Page`), and one operation with query and header parameters, a body, a response kind
/// and pagination.
#[derive(Debug, Clone)]
struct Features {
    wild: bool,
    base: Vec<FieldSpec>,
    derived: Vec<FieldSpec>,
    all_of: Vec<String>,
    additional: Option<String>,
    kind: Vec<ValueSpec>,
    choice: UnionSpec,
    deprecated: Option<String>,
    method: &'static str,
    query: Vec<ParamSpec>,
    headers: Vec<ParamSpec>,
    body: Option<BodySpec>,
    answer: Answer,
    operation_id: Option<String>,
}

fn features() -> impl Strategy<Value = Features> {
    any::<bool>().prop_flat_map(features_with)
}

fn features_with(wild: bool) -> impl Strategy<Value = Features> {
    let all_of = if wild {
        prop::collection::vec(
            prop_oneof![
                select(vec![
                    "Base", "Derived", "Kind", "Choice", "Form", "object", "Missing"
                ])
                .prop_map(str::to_owned),
                type_name(true),
            ],
            0..3,
        )
        .boxed()
    } else {
        Just(vec!["Base".to_owned()]).boxed()
    };
    let method = if wild {
        select(vec!["GET", "POST", "PUT", "PATCH", "DELETE"]).boxed()
    } else {
        select(vec!["POST", "PUT", "PATCH", "DELETE"]).boxed()
    };
    (
        (
            prop::collection::vec(field_spec(wild), 0..4),
            prop::collection::vec(field_spec(wild), 0..3),
            all_of,
            prop::option::weighted(0.3, type_expr(wild)),
        ),
        (enum_values(wild), union_spec(wild), deprecated(wild)),
        (
            method,
            prop::collection::vec(param_spec(wild, false), 0..3),
            prop::collection::vec(param_spec(wild, true), 0..2),
            prop::option::weighted(0.7, body_spec(wild)),
            answer(wild),
            prop::option::weighted(
                0.8,
                or_wild("[a-z][a-z-]{0,10}".prop_map(|id| id.to_owned()), wild),
            ),
        ),
    )
        .prop_map(
            move |(
                (base, derived, all_of, additional),
                (kind, choice, deprecated),
                (method, query, headers, body, answer, operation_id),
            )| Features {
                wild,
                base,
                derived,
                all_of,
                additional,
                kind,
                choice,
                deprecated,
                method,
                query,
                headers,
                body,
                answer,
                operation_id,
            },
        )
}

fn render_fields(fields: &[FieldSpec], out: &mut String) {
    for field in fields {
        out.push_str(&format!(
            "      {}: {{type: {}, doc: d, optional: {}, nullable: {}",
            quoted(&field.wire),
            quoted(&field.ty),
            field.optional,
            field.nullable
        ));
        if let Some(name) = &field.name {
            out.push_str(&format!(", name: {}", quoted(name)));
        }
        if let Some(deprecated) = &field.deprecated {
            out.push_str(&format!(", deprecated: {deprecated}"));
        }
        out.push_str("}\n");
    }
}

fn render_params(key: &str, params: &[ParamSpec], out: &mut String) {
    if params.is_empty() {
        return;
    }
    out.push_str(&format!("        {key}:\n"));
    for param in params {
        out.push_str(&format!(
            "          {}: {{type: {}, doc: d, optional: {}",
            quoted(&param.wire),
            quoted(&param.ty),
            param.optional
        ));
        if let Some(name) = &param.name {
            out.push_str(&format!(", name: {}", quoted(name)));
        }
        if let Some(explode) = param.explode {
            out.push_str(&format!(", explode: {explode}"));
        }
        if let Some(deprecated) = &param.deprecated {
            out.push_str(&format!(", deprecated: {deprecated}"));
        }
        out.push_str("}\n");
    }
}

fn features_spec(features: &Features) -> String {
    let mut out = String::from(
        "crate:
  name: fuzz-features
  version: 0.1.0
  description: d
  license: MIT
  repository: https://example.com
  rust_version: \"1.80\"
  doc: d
base_url: https://api.example.com
types:
  Base:
    doc: d
",
    );
    if let Some(deprecated) = &features.deprecated {
        out.push_str(&format!("    deprecated: {deprecated}\n"));
    }
    out.push_str("    fields:\n");
    // The discriminator of tagged unions; the wild ones may do without.
    if !features.wild || features.base.is_empty() {
        out.push_str("      kind: {type: string, doc: The variant.}\n");
    }
    render_fields(&features.base, &mut out);
    out.push_str("  Derived:\n    doc: d\n    all_of: [");
    let members: Vec<String> = features
        .all_of
        .iter()
        .map(|member| quoted(member))
        .collect();
    out.push_str(&members.join(", "));
    out.push_str("]\n");
    if !features.derived.is_empty() {
        out.push_str("    fields:\n");
        render_fields(&features.derived, &mut out);
    }
    if let Some(additional) = &features.additional {
        out.push_str(&format!("    additional: {}\n", quoted(additional)));
    }
    out.push_str("  Kind:\n    doc: d\n    enum:\n");
    for value in &features.kind {
        out.push_str(&format!("      - {{value: {}, doc: d", value.value));
        if let Some(name) = &value.name {
            out.push_str(&format!(", name: {}", quoted(name)));
        }
        out.push_str("}\n");
    }
    if features.kind.is_empty() {
        out.push_str("      []\n");
    }
    out.push_str("  Choice:\n    doc: d\n    union:\n");
    if let Some(discriminator) = &features.choice.discriminator {
        out.push_str(&format!("      discriminator: {}\n", quoted(discriminator)));
    }
    out.push_str("      variants:\n");
    for variant in &features.choice.variants {
        out.push_str(&format!("        - {{type: {}", quoted(&variant.ty)));
        if let Some(name) = &variant.name {
            out.push_str(&format!(", name: {}", quoted(name)));
        }
        if let Some(tag) = &variant.tag {
            out.push_str(&format!(", tag: {}", quoted(tag)));
        }
        out.push_str(", doc: d}\n");
    }
    if features.choice.variants.is_empty() {
        out.push_str("        []\n");
    }
    // `binary` fields are refused in a type that is not a multipart body.
    let multipart = features.body.as_ref().is_some_and(|body| body.ty == "Form");
    if multipart || features.wild {
        out.push_str(
            "  Form:
    doc: d
    fields:
      file: {type: binary, doc: d}
      files: {type: list<binary>, doc: d, optional: true}
      meta: {type: Base, doc: d, optional: true}
",
        );
    }
    out.push_str(
        "  Page:
    doc: d
    fields:
      items: {type: list<Base>, doc: d}
resources:
  things:
    doc: d
    operations:
      call:
",
    );
    if let Some(id) = &features.operation_id {
        out.push_str(&format!("        operation_id: {}\n", quoted(id)));
    }
    out.push_str(&format!(
        "        summary: s\n        doc: d\n        method: {}\n        path: /things\n",
        features.method
    ));
    let (response, result, result_nullable, result_info, pagination) = &features.answer;
    let mut query = features.query.clone();
    // A paged operation needs its page parameter, which the wild ones may lack.
    if let Some(style) = pagination {
        let (page, ty) = if style.starts_with("page") {
            ("page", "integer")
        } else {
            ("cursor", "string")
        };
        if !features.wild || query.is_empty() {
            query.retain(|param| param.wire != page);
            query.push(ParamSpec {
                wire: page.to_owned(),
                ty: ty.to_owned(),
                optional: true,
                name: None,
                explode: None,
                deprecated: None,
            });
        }
    }
    render_params("query_params", &query, &mut out);
    render_params("header_params", &features.headers, &mut out);
    if let Some(body) = &features.body {
        match (&body.content_type, body.optional, &body.doc) {
            (None, false, None) => out.push_str(&format!("        body: {}\n", quoted(&body.ty))),
            (content_type, optional, doc) => {
                out.push_str(&format!(
                    "        body:\n          type: {}\n          optional: {optional}\n",
                    quoted(&body.ty)
                ));
                if let Some(content_type) = content_type {
                    out.push_str(&format!(
                        "          content_type: {}\n",
                        quoted(content_type)
                    ));
                }
                if let Some(doc) = doc {
                    out.push_str(&format!("          doc: {}\n", quoted(doc)));
                }
            }
        }
    }
    if let Some(response) = response {
        out.push_str(&format!("        response: {}\n", quoted(response)));
    }
    if let Some(result) = result {
        out.push_str(&format!("        result: {}\n", quoted(result)));
    }
    out.push_str(&format!(
        "        result_nullable: {result_nullable}\n        result_info: {result_info}\n"
    ));
    if let Some(pagination) = pagination {
        out.push_str(&format!("        pagination: {}\n", quoted(pagination)));
    }
    out
}

// ---------------------------------------------------------------------------------------
// Strategy: deep nesting, in every way a spec can nest.

fn deeply_nested() -> impl Strategy<Value = String> {
    prop_oneof![
        // Flow collections, up to far past every limit.
        3 => (0usize..5_000, any::<bool>()).prop_map(|(depth, map)| {
            let (open, close) = if map { ("{a: ", "}") } else { ("[", "]") };
            format!(
                "resources:\n  x:\n    doc: {}1{}\n",
                open.repeat(depth),
                close.repeat(depth)
            )
        }),
        // Block mappings and sequences.
        3 => (0usize..400, any::<bool>()).prop_map(|(depth, seq)| {
            (0..depth)
                .map(|level| {
                    let pad = "  ".repeat(level);
                    if seq {
                        format!("{pad}- k{level}:\n")
                    } else {
                        format!("{pad}k{level}:\n")
                    }
                })
                .collect::<String>()
                + &"  ".repeat(depth)
                + "v\n"
        }),
        // Type expressions.
        3 => (0usize..2_000).prop_map(|depth| {
            let expr = format!("{}string{}", "list<".repeat(depth), ">".repeat(depth));
            let names = Names {
                object: "Thing".into(),
                enumeration: "Kind".into(),
                fields: vec!["id".into()],
                values: vec!["a".into()],
                resources: vec!["things".into()],
                operation: "get".into(),
                path_params: vec!["id".into()],
                query: "q".into(),
            };
            spec_with(&names).replace("result: \"list<Thing>\"", &format!("result: {expr}"))
        }),
        // Resources inside resources, past serde_yaml's recursion limit.
        3 => (1usize..90).prop_map(|depth| {
            let names = Names {
                object: "Thing".into(),
                enumeration: "Kind".into(),
                fields: vec!["id".into()],
                values: vec!["a".into()],
                resources: (0..depth).map(|level| format!("r{level}")).collect(),
                operation: "get".into(),
                path_params: vec!["id".into()],
                query: "q".into(),
            };
            spec_with(&names)
        }),
        // Aliases that expand to far more than they take to write.
        1 => (1usize..5).prop_map(|levels| {
            let mut text = String::from(
                "resources:\n  x:\n    doc: d\n    operations:\n      o:\n        \
                 example_response:\n          a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
            );
            for level in 1..=levels {
                let items = vec![format!("*a{}", level - 1); 10].join(", ");
                text.push_str(&format!("          a{level}: &a{level} [{items}]\n"));
            }
            text
        }),
    ]
}

// ---------------------------------------------------------------------------------------
// The properties.

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text(text in any::<String>()) {
        generate(&text)?;
    }

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        generate_bytes(&bytes)?;
    }

    #[test]
    fn random_yaml_in_the_spec_vocabulary(text in random_spec()) {
        generate(&text)?;
    }

    #[test]
    fn edited_real_specs(text in edited_spec()) {
        generate(&text)?;
    }

    #[test]
    fn valid_specs_with_awkward_names(names in names()) {
        generate(&spec_with(&names))?;
    }

    #[test]
    fn specs_using_every_feature(features in features()) {
        generate(&features_spec(&features))?;
    }

    #[test]
    fn deep_nesting(text in deeply_nested()) {
        generate(&text)?;
    }
}

/// The generators above are only useful if their output reaches the later stages; this
/// checks that a plain run of them does, so a broken template cannot go unnoticed.
#[test]
fn the_generators_reach_every_stage() {
    let names = Names {
        object: "Thing".into(),
        enumeration: "Kind".into(),
        fields: vec!["type".into(), "2fa".into(), "fooBar".into()],
        values: vec!["self".into(), "1".into()],
        resources: vec!["things".into(), "match".into()],
        operation: "ref".into(),
        path_params: vec!["type".into(), "self".into()],
        query: "async".into(),
    };
    let text = spec_with(&names);
    let tree = codegen::generate_from_str(&text, SPEC_NAME)
        .unwrap_or_else(|error| panic!("{error}\n{text}"));
    let keyword_module = tree.files.keys().any(|path| path.ends_with("/match_.rs"));
    assert!(keyword_module, "{:?}", tree.files.keys());
    let valid = seeds()
        .iter()
        .filter(|seed| codegen::generate_from_str(seed, SPEC_NAME).is_ok())
        .count();
    assert!(
        valid >= 2,
        "the real spec and the fixtures are among the seeds"
    );
    // Most specs using every feature, when their names are not wild, are valid.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = features_with(false);
    let cases = 100;
    let generated = (0..cases)
        .filter(|_| {
            let features = strategy.new_tree(&mut runner).expect("a case").current();
            codegen::generate_from_str(&features_spec(&features), SPEC_NAME).is_ok()
        })
        .count();
    assert!(generated * 2 >= cases, "{generated} of {cases}");
}
