//! Stage 1: read the YAML text into a [`Spec`] and remember where every key is.
//!
//! serde_yaml reports syntax and shape errors (bad YAML, unknown key, wrong kind of value)
//! with a location, but the values it produces carry none. Semantic checks happen later, on
//! the deserialised spec, so a second, event-level pass over the same text records the
//! position of every mapping key and value in a [`SourceMap`]. Later stages name a place by
//! its key path (`resources.zero_trust.operations.get.path`) and the map turns that into a
//! line and column.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::spec::Spec;

/// A spec with the positions of its nodes.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub spec: Spec,
    pub source_map: SourceMap,
}

/// Parses `text` (named `file` in messages).
pub fn load(file: &str, text: &str) -> Result<Loaded, Diagnostics> {
    let spec = serde_yaml::from_str::<Spec>(text).map_err(|error| {
        let (line, column) = error
            .location()
            .map_or((1, 1), |location| (location.line(), location.column()));
        Diagnostics(vec![Diagnostic {
            file: file.to_owned(),
            line,
            column,
            message: strip_location(&error.to_string()),
        }])
    })?;
    let source_map = SourceMap::build(file, text);
    Ok(Loaded { spec, source_map })
}

/// serde_yaml appends " at line L column C" to its messages; the diagnostic prefix already
/// says that.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => message[..at].to_owned(),
        _ => message.to_owned(),
    }
}

/// Where each node of a YAML document is, by key path.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    file: String,
    /// Position of the key of each mapping entry (or of each sequence item).
    keys: HashMap<String, (usize, usize)>,
    /// Position of each value.
    values: HashMap<String, (usize, usize)>,
}

impl SourceMap {
    fn build(file: &str, text: &str) -> SourceMap {
        let mut builder = Builder {
            map: SourceMap {
                file: file.to_owned(),
                ..SourceMap::default()
            },
            stack: Vec::new(),
        };
        // serde_yaml has already accepted the text, so a scan error cannot happen here; if
        // it somehow did, the map is merely less precise.
        let _ = Parser::new_from_str(text).load(&mut builder, false);
        builder.map
    }

    /// A diagnostic at the key of `path`, or at its nearest located ancestor.
    pub fn at_key(&self, path: &[&str], message: impl Into<String>) -> Diagnostic {
        self.locate(path, &self.keys, message.into())
    }

    /// A diagnostic at the value of `path`, or at its nearest located ancestor.
    pub fn at_value(&self, path: &[&str], message: impl Into<String>) -> Diagnostic {
        self.locate(path, &self.values, message.into())
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
                table.get(&key).or_else(|| self.keys.get(&key)).copied()
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

enum Frame {
    Mapping { path: String, key: Option<String> },
    Sequence { path: String, index: usize },
}

struct Builder {
    map: SourceMap,
    stack: Vec<Frame>,
}

fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}

impl Builder {
    /// Records a node that starts at `mark` and returns its path, or `None` when the node
    /// is a mapping key (which is remembered until its value arrives).
    fn node(&mut self, mark: Marker, key_text: Option<&str>) -> Option<String> {
        let position = (mark.line(), mark.col() + 1);
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Mapping { path, key }) => match key.take() {
                None => {
                    // A non-scalar key has no useful text; it still occupies the key slot.
                    let text = key_text.unwrap_or("?").to_owned();
                    let full = join(path, &text);
                    self.map.keys.insert(full, position);
                    *key = Some(text);
                    None
                }
                Some(text) => {
                    let full = join(path, &text);
                    self.map.values.insert(full.clone(), position);
                    Some(full)
                }
            },
            Some(Frame::Sequence { path, index }) => {
                let full = join(path, &index.to_string());
                *index += 1;
                self.map.keys.insert(full.clone(), position);
                self.map.values.insert(full.clone(), position);
                Some(full)
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => {
                self.node(mark, Some(&text));
            }
            Event::Alias(_) => {
                self.node(mark, None);
            }
            Event::MappingStart(..) => {
                let path = self.node(mark, None).unwrap_or_else(|| "?".to_owned());
                self.stack.push(Frame::Mapping { path, key: None });
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
    fn shape_errors_carry_serde_yaml_locations() {
        let error = load("s.yaml", "crate: {name: x}\n").unwrap_err();
        let first = &error.0[0];
        assert_eq!(first.file, "s.yaml");
        assert!(!first.message.contains(" at line "), "{}", first.message);
    }
}
