//! `codegen::generate_from_str` never panics and never fails with an internal error,
//! whatever text it is given: it returns a tree or located diagnostics.
//!
//! Inputs come from five strategies: arbitrary text, random YAML built from the spec's own
//! vocabulary, edits of real specs (the project's spec, the fixture specs and the bad-spec
//! corpus), valid specs whose every name is awkward, and deep nesting. Each property runs
//! 256 cases by default (`PROPTEST_CASES` raises it); `tests/FUZZING.md` describes long runs.
//!
//! An internal error counts as a failure too: it means validation accepted a spec that the
//! later stages cannot handle, which is the same bug as a panic without the crash.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::Error;
use proptest::prelude::*;
use proptest::sample::{select, Index};
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
    "resources", "operations", "operation_id", "summary", "method", "path", "idempotent",
    "path_params", "query_params", "body", "result", "result_nullable", "result_info",
    "example_response", "get", "list", "new", "self", "ref", "match", "Self", "2fa", "a.b",
    "<<", "", " ", "?", "timeout", "client", "types ", "Crate",
];

/// Scalars of every kind YAML has, type expressions good and bad, paths good and bad.
#[rustfmt::skip]
const VALUES: &[&str] = &[
    "", "~", "null", "true", "yes", "0", "-1", "0x1F", "1e400", ".nan", "-.inf",
    "123456789012345678901234567890", "string", "uuid", "date-time", "json", "object",
    "list<string>", "map<list<uuid>>", "list<", "map<>", "list<Item>", "Item", "RiskLevel",
    "Self", "String", "Option", "GET", "POST", "DELETE", "get", "/a/{b}", "/a/{b}/{b}", "/{",
    "}", "/a/{é}", "[]", "{}", "[1, [2, [3]]]", "{a: 1, a: 2}", "&x 1", "*x", "*undefined",
    "!!binary aGVsbG8=", "!tag x", "|\n  block", ">-\n  folded", "\"quoted \\u0000\"",
    "'single'", "ü", "🦀", "\t", "#comment", "- item", "? complex", "---", "...", "'", "\"",
    ": :", "0.1.0", "\"1.80\"", "https://example.com", "http://[::1]:80",
];

/// Wire names that are fine in a spec and awkward in Rust: keywords, leading digits,
/// names differing only by case or separator, names the generator uses itself.
#[rustfmt::skip]
const AWKWARD_NAMES: &[&str] = &[
    "type", "ref", "match", "self", "Self", "super", "crate", "fn", "async", "gen", "2fa", "1",
    "007", "fooBar", "foo_bar", "FOO_BAR", "foo-bar", "foo bar", "Foo", "extra",
    "extra_fields", "map", "key", "json_key", "access", "body", "request_body", "new",
    "client", "Unknown", "unknown", "value", "caf\u{e9}", "a.b", "a/b", "x_", "_x",
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
}
