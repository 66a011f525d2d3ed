//! Stage 1: read the YAML text into a [`Spec`] and remember where every key is.
//!
//! serde_yaml reports syntax and shape errors (bad YAML, unknown key, wrong kind of value)
//! with a location, but the values it produces carry none. Semantic checks happen later, on
//! the deserialised spec, so a second, event-level pass over the same text records the
//! position of every mapping key and value in a [`SourceMap`]. Later stages name a place by
//! its key path (`resources.zero_trust.operations.get.path`) and the map turns that into a
//! line and column.
//!
//! The same pass finds what serde cannot: a key written twice in one mapping. serde_yaml
//! fills an `IndexMap` by inserting, so a second `get:` under `operations:` would silently
//! replace the first; the source map reports it instead, and validation passes that on
//! together with its own findings.

use std::collections::HashMap;
use std::sync::OnceLock;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::names;
use crate::spec::Spec;

/// A spec with the positions of its nodes.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub spec: Spec,
    pub source_map: SourceMap,
}

/// Parses `text` (named `file` in messages). Syntax and shape errors stop at the first,
/// as serde_yaml does; keys written twice are left for [`crate::validate`] to report with
/// everything else.
pub fn load(file: &str, text: &str) -> Result<Loaded, Diagnostics> {
    if let Some((line, column)) = bracket_nesting_beyond(text, MAX_BRACKET_NESTING) {
        return Err(Diagnostics(vec![Diagnostic {
            file: file.to_owned(),
            line,
            column,
            message: format!(
                "`[` and `{{` nest more than {MAX_BRACKET_NESTING} levels deep here; a spec \
                 needs a few"
            ),
        }]));
    }
    // The two parses read the same text independently, so they run on two cores at once.
    let (spec, source_map) = std::thread::scope(|scope| {
        let source_map = scope.spawn(|| SourceMap::build(file, text));
        let spec = serde_yaml::from_str::<Spec>(text);
        let source_map = source_map
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (spec, source_map)
    });
    let spec = spec.map_err(|error| Diagnostics(vec![rejected(file, text, &error)]))?;
    Ok(Loaded { spec, source_map })
}

/// `bytes` as text, or where they stop being UTF-8: the line and column (in characters) of
/// the first byte that is not, as every other mistake is located.
pub fn utf8<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, Diagnostics> {
    let error = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(error) => error,
    };
    let valid = &bytes[..error.valid_up_to()];
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    // The prefix is valid UTF-8 by construction, so its characters can be counted.
    let column = String::from_utf8_lossy(&valid[line_start..])
        .chars()
        .count()
        + 1;
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let bad = bytes.get(error.valid_up_to()).copied().unwrap_or_default();
    let message = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        "the spec is UTF-16 text; save it as UTF-8".to_owned()
    } else {
        format!("byte 0x{bad:02x} is not valid UTF-8; a spec is UTF-8 text")
    };
    Err(Diagnostics(vec![Diagnostic {
        file: file.to_owned(),
        line,
        column,
        message,
    }]))
}

/// How deep brackets may nest before the text is refused unparsed. libyaml (under
/// serde_yaml) takes time proportional to the nesting depth for every token it reads, so
/// 100,000 nested `[` keep it busy for minutes; serde_yaml refuses anything deeper than 128
/// levels anyway, but only after that.
const MAX_BRACKET_NESTING: usize = 512;

/// Where the count of unclosed `[` and `{` first exceeds `limit`, as a 1-based line and
/// column. Every bracket counts, quoted or not: that over-estimates nesting only for text
/// with hundreds of unbalanced brackets in its prose.
fn bracket_nesting_beyond(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > limit {
            return Some((line, column));
        }
    }
    None
}

/// The diagnostic for what serde_yaml rejected, in the spec author's terms where its own
/// words fall short.
fn rejected(file: &str, text: &str, error: &serde_yaml::Error) -> Diagnostic {
    let (mut line, mut column) = error
        .location()
        .map_or((1, 1), |location| (location.line(), location.column()));
    let said = strip_location(&error.to_string());
    let message = if is_blank(text) {
        (line, column) = (1, 1);
        "the spec is empty: expected a mapping with `crate`, `base_url` and `resources`".to_owned()
    } else if said.contains("more than one document") {
        // serde_yaml gives no position for this one.
        if let Some(start) = second_document(text) {
            (line, column) = start;
        }
        "a second YAML document starts here; a spec is one document".to_owned()
    } else if said == "unknown anchor" {
        match alias_at(text, line, column) {
            Some(name) => format!("unknown anchor: nothing before `*{name}` is marked `&{name}`"),
            None => said,
        }
    } else {
        with_suggestion(&said)
    };
    Diagnostic {
        file: file.to_owned(),
        line,
        column,
        message,
    }
}

/// Where the second document of a YAML stream starts, if it has one.
fn second_document(text: &str) -> Option<(usize, usize)> {
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    while let Ok((event, mark)) = parser.next_token() {
        match event {
            Event::DocumentStart => {
                documents += 1;
                if documents == 2 {
                    return Some((mark.line(), mark.col() + 1));
                }
            }
            Event::StreamEnd => break,
            _ => {}
        }
    }
    None
}

/// The name of the alias (`*name`) at a 1-based line and column (in characters).
fn alias_at(text: &str, line: usize, column: usize) -> Option<String> {
    let line = text.lines().nth(line.checked_sub(1)?)?;
    let mut rest = line.chars().skip(column.checked_sub(1)?);
    if rest.next() != Some('*') {
        return None;
    }
    let name: String = rest
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
        .collect();
    (!name.is_empty()).then_some(name)
}

/// Nothing but whitespace and comments, for which serde_yaml would only say "missing field
/// `crate`".
fn is_blank(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#')
    })
}

/// serde_yaml writes positions into its messages as " at line L column C". The first is
/// the diagnostic's own position, which its prefix already gives; a second one tells where
/// the construct being read started (`…, while scanning a quoted scalar at line 30 column
/// 10`), which is worth keeping in words that say so.
fn strip_location(message: &str) -> String {
    const AT: &str = " at line ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    let mut first = true;
    while let Some(start) = rest.find(AT) {
        let after_at = &rest[start + AT.len()..];
        let position = split_number(after_at).and_then(|(line, after)| {
            let (column, after) = after.strip_prefix(" column ").and_then(split_number)?;
            Some((line, column, after))
        });
        let Some((line, column, after)) = position else {
            out.push_str(&rest[..start + AT.len()]);
            rest = after_at;
            continue;
        };
        out.push_str(&rest[..start]);
        if !first {
            out.push_str(&format!(" that starts at line {line}, column {column}"));
        }
        first = false;
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The leading decimal number of `text` and what follows it.
fn split_number(text: &str) -> Option<(&str, &str)> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    (digits > 0).then(|| text.split_at(digits))
}

/// serde lists every accepted name after an unknown one (``unknown field `sumary`, expected
/// one of `operation_id`, `summary`, …``). When one of them is a likely fix of a typo,
/// naming just that one helps more than the list.
fn with_suggestion(message: &str) -> String {
    let Some((head, expected)) = message.split_once(", expected ") else {
        return message.to_owned();
    };
    let unknown = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|prefix| head.split_once(prefix))
        .and_then(|(_, rest)| rest.strip_suffix('`'));
    // The accepted names are every other piece between backticks.
    let accepted = expected.split('`').skip(1).step_by(2);
    match unknown.and_then(|unknown| names::suggest(unknown, accepted)) {
        Some(close) => format!("{head}, did you mean `{close}`?"),
        None => message.to_owned(),
    }
}

/// Where each node of a YAML document is, by key path.
///
/// Loading walks the YAML events once to find keys written twice; the positions of every
/// node, which only a diagnostic needs, are found on first use by walking them again. A
/// valid spec thus never pays for the position tables, which cost more time and memory than
/// deserialising the spec does (full key paths of every node, as `String` keys).
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    file: String,
    text: String,
    positions: OnceLock<Positions>,
    /// Keys written a second time in the same mapping, in source order.
    duplicates: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Default)]
struct Positions {
    /// Position of the key of each mapping entry (or of each sequence item).
    keys: HashMap<String, (usize, usize)>,
    /// Position of each value.
    values: HashMap<String, (usize, usize)>,
}

impl SourceMap {
    fn build(file: &str, text: &str) -> SourceMap {
        let walked = walk(file, text, false);
        SourceMap {
            file: file.to_owned(),
            text: text.to_owned(),
            positions: OnceLock::new(),
            duplicates: walked.duplicates,
        }
    }

    fn positions(&self) -> &Positions {
        self.positions.get_or_init(|| {
            walk(&self.file, &self.text, true)
                .positions
                .unwrap_or_default()
        })
    }

    /// Keys written twice in one mapping, each reported at its second occurrence.
    pub fn duplicate_keys(&self) -> &[Diagnostic] {
        &self.duplicates
    }

    /// A diagnostic at the key of `path`, or at its nearest located ancestor.
    pub fn at_key(&self, path: &[&str], message: impl Into<String>) -> Diagnostic {
        self.locate(path, &self.positions().keys, message.into())
    }

    /// A diagnostic at the value of `path`, or at its nearest located ancestor.
    pub fn at_value(&self, path: &[&str], message: impl Into<String>) -> Diagnostic {
        self.locate(path, &self.positions().values, message.into())
    }

    fn locate(
        &self,
        path: &[&str],
        table: &HashMap<String, (usize, usize)>,
        message: String,
    ) -> Diagnostic {
        let (line, column) = (0..=path.len())
            .rev()
            .find_map(|len| {
                let key = path[..len].join(".");
                table
                    .get(&key)
                    .or_else(|| self.positions().keys.get(&key))
                    .copied()
            })
            .unwrap_or((1, 1));
        Diagnostic {
            file: self.file.clone(),
            line,
            column,
            message,
        }
    }
}

/// One pass over the events of `text`: keys written twice, and with `positions` the position
/// of every node by its full key path.
fn walk<'f>(file: &'f str, text: &str, positions: bool) -> Builder<'f> {
    let mut builder = Builder {
        file,
        positions: positions.then(Positions::default),
        duplicates: Vec::new(),
        stack: Vec::new(),
    };
    // Events are pulled one at a time rather than through `Parser::load`, which recurses
    // once per level of nesting and asserts on what it reads; this loop does neither.
    // serde_yaml has already accepted the text, so a scan error is not expected here; if
    // one happened, the map would merely be less precise.
    let mut parser = Parser::new_from_str(text);
    while let Ok((event, mark)) = parser.next_token() {
        if event == Event::StreamEnd {
            break;
        }
        builder.event(event, mark);
    }
    builder
}

/// A mapping or sequence being read. `path` is the node's full key path when positions are
/// recorded, else only its last part (enough to name what a mapping's keys are).
enum Frame {
    Mapping {
        path: String,
        /// The key whose value comes next, once it has been read.
        key: Option<String>,
        /// Scalar keys read so far, with where each was written.
        seen: HashMap<String, (usize, usize)>,
    },
    Sequence {
        path: String,
        index: usize,
    },
}

struct Builder<'f> {
    file: &'f str,
    /// Present when the positions of nodes are wanted.
    positions: Option<Positions>,
    duplicates: Vec<Diagnostic>,
    stack: Vec<Frame>,
}

/// What the keys of the mapping at `path` name, for messages: a second `get:` under
/// `operations:` is a "duplicate operation".
fn what_is_keyed(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("operations") => "operation",
        Some("resources") => "resource",
        Some("types") => "type",
        Some("fields") => "field",
        Some("path_params") => "path parameter",
        Some("query_params") => "query parameter",
        _ => "key",
    }
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}

impl Builder<'_> {
    /// Records a node that starts at `mark` and returns its path, or `None` when the node
    /// is a mapping key (which is remembered until its value arrives).
    fn node(&mut self, mark: Marker, key_text: Option<&str>) -> Option<String> {
        let position = (mark.line(), mark.col() + 1);
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Mapping { path, key, seen }) => match key.take() {
                None => {
                    if let Some(text) = key_text {
                        if let Some(&(line, column)) = seen.get(text) {
                            self.duplicates.push(Diagnostic {
                                file: self.file.to_owned(),
                                line: position.0,
                                column: position.1,
                                message: format!(
                                    "duplicate {} '{text}': already defined at line {line}, \
                                     column {column}",
                                    what_is_keyed(path)
                                ),
                            });
                        } else {
                            seen.insert(text.to_owned(), position);
                        }
                    }
                    // A non-scalar key has no useful text; it still occupies the key slot.
                    let text = key_text.unwrap_or("?").to_owned();
                    if let Some(positions) = &mut self.positions {
                        positions.keys.insert(join(path, &text), position);
                    }
                    *key = Some(text);
                    None
                }
                Some(text) => match &mut self.positions {
                    Some(positions) => {
                        let full = join(path, &text);
                        positions.values.insert(full.clone(), position);
                        Some(full)
                    }
                    None => Some(text),
                },
            },
            Some(Frame::Sequence { path, index }) => {
                let item = index.to_string();
                *index += 1;
                match &mut self.positions {
                    Some(positions) => {
                        let full = join(path, &item);
                        positions.keys.insert(full.clone(), position);
                        positions.values.insert(full.clone(), position);
                        Some(full)
                    }
                    None => Some(item),
                }
            }
        }
    }

    fn event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => {
                self.node(mark, Some(&text));
            }
            Event::Alias(_) => {
                self.node(mark, None);
            }
            Event::MappingStart(..) => {
                let path = self.node(mark, None).unwrap_or_else(|| "?".to_owned());
                self.stack.push(Frame::Mapping {
                    path,
                    key: None,
                    seen: HashMap::new(),
                });
            }
            Event::SequenceStart(..) => {
                let path = self.node(mark, None).unwrap_or_else(|| "?".to_owned());
                self.stack.push(Frame::Sequence { path, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
crate:
  name: x
resources:
  zero_trust:
    doc: hello
    operations:
      get:
        path: /a/{b}
list:
  - first
  - second: 2
";

    #[test]
    fn text_that_is_not_utf8_is_located_at_its_first_bad_byte() {
        assert_eq!(utf8("s.yaml", b"crate: x\n"), Ok("crate: x\n"));
        let at = |bytes: &[u8]| {
            let Err(Diagnostics(found)) = utf8("s.yaml", bytes) else {
                panic!("accepted {bytes:?}");
            };
            found[0].to_string()
        };
        assert_eq!(
            at(b"crate:\n  doc: caf\xc3\xa9 \xff\n"),
            "s.yaml:2:13: byte 0xff is not valid UTF-8; a spec is UTF-8 text"
        );
        // A character cut short at the very end is located at its first byte.
        assert_eq!(
            at(b"a\xe2\x82"),
            "s.yaml:1:2: byte 0xe2 is not valid UTF-8; a spec is UTF-8 text"
        );
        assert!(at(b"\xff\xfec\x00").ends_with("1:1: the spec is UTF-16 text; save it as UTF-8"));
    }

    #[test]
    fn locates_keys_and_values_by_path() {
        let map = SourceMap::build("spec.yaml", TEXT);
        let key = map.at_key(&["resources", "zero_trust", "doc"], "m");
        assert_eq!((key.line, key.column), (5, 5));
        let value = map.at_value(
            &["resources", "zero_trust", "operations", "get", "path"],
            "m",
        );
        assert_eq!((value.line, value.column), (8, 15));
        let item = map.at_key(&["list", "1", "second"], "m");
        assert_eq!((item.line, item.column), (11, 5));
    }

    #[test]
    fn falls_back_to_the_nearest_ancestor() {
        let map = SourceMap::build("spec.yaml", TEXT);
        let d = map.at_key(&["resources", "zero_trust", "missing", "deeper"], "m");
        assert_eq!((d.line, d.column), (4, 3));
        assert_eq!(d.to_string(), "spec.yaml:4:3: m");
    }

    #[test]
    fn finds_keys_written_twice_in_one_mapping_only() {
        let text =
            "types:\n  A: 1\n  B: {A: 2}\n  A: 3\nresources: {a: {operations: {get: 1, get: 2}}}\n";
        let map = SourceMap::build("s.yaml", text);
        let found: Vec<String> = map
            .duplicate_keys()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            found,
            [
                "s.yaml:4:3: duplicate type 'A': already defined at line 2, column 3",
                "s.yaml:5:38: duplicate operation 'get': already defined at line 5, column 30",
            ]
        );
    }

    #[test]
    fn deep_brackets_are_refused_before_parsing() {
        let nested = |depth: usize| format!("a:\n  {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        let started = std::time::Instant::now();
        let error = load("s.yaml", &nested(1_000_000)).unwrap_err();
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        assert_eq!(
            error.to_string(),
            "s.yaml:2:515: `[` and `{` nest more than 512 levels deep here; a spec needs a few"
        );
        // Within the limit, serde_yaml reports whatever is wrong.
        let error = load("s.yaml", &nested(MAX_BRACKET_NESTING)).unwrap_err();
        assert!(error.to_string().contains("unknown field `a`"), "{error}");
    }

    #[test]
    fn the_source_map_pass_does_not_recurse() {
        let depth = 10_000;
        let text = format!("a: {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        assert!(SourceMap::build("s.yaml", &text)
            .duplicate_keys()
            .is_empty());
    }

    #[test]
    fn unknown_names_get_a_suggestion_when_one_is_close() {
        assert_eq!(
            with_suggestion("a.b: unknown field `sumary`, expected one of `doc`, `summary`"),
            "a.b: unknown field `sumary`, did you mean `summary`?"
        );
        let far = "unknown variant `FETCH`, expected one of `GET`, `POST`";
        assert_eq!(with_suggestion(far), far);
    }

    #[test]
    fn positions_in_messages_are_dropped_or_put_in_words() {
        assert_eq!(
            strip_location("unknown field `a`, expected `b` at line 3 column 5"),
            "unknown field `a`, expected `b`"
        );
        assert_eq!(
            strip_location(
                "found unexpected end of stream at line 47 column 1, while scanning a quoted \
                 scalar at line 30 column 10"
            ),
            "found unexpected end of stream, while scanning a quoted scalar that starts at \
             line 30, column 10"
        );
        assert_eq!(
            strip_location("look at line x column 2"),
            "look at line x column 2"
        );
        assert_eq!(strip_location("at line 1 column"), "at line 1 column");
    }

    #[test]
    fn a_second_document_and_an_unknown_anchor_are_explained() {
        // serde_yaml only notices a second document after a valid first one, so the whole
        // path is covered by `tests/bad_specs/syntax_two_documents.yaml`.
        assert_eq!(second_document("a: 1\n---\nb: 2\n"), Some((2, 1)));
        assert_eq!(second_document("--- \na: 1\n"), None);
        let error = load("s.yaml", "crate:\n  name: *nick\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "s.yaml:2:9: unknown anchor: nothing before `*nick` is marked `&nick`"
        );
    }

    #[test]
    fn an_empty_spec_says_so() {
        for text in ["", "\n\n", "# only a comment\n"] {
            let error = load("s.yaml", text).unwrap_err();
            assert_eq!(
                error.to_string(),
                "s.yaml:1:1: the spec is empty: expected a mapping with `crate`, `base_url` \
                 and `resources`"
            );
        }
    }

    #[test]
    fn shape_errors_carry_serde_yaml_locations() {
        let error = load("s.yaml", "crate: {name: x}\n").unwrap_err();
        let first = &error.0[0];
        assert_eq!(first.file, "s.yaml");
        assert!(!first.message.contains(" at line "), "{}", first.message);
    }
}
