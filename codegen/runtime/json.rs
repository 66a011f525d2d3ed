//! Reading JSON, and saying where in it a failure is.
//!
//! Every model is read the same way, with serde_json's deserializer over a byte slice, so
//! that each model's `Deserialize` is compiled once rather than once per way of reading.
//! Nothing is tracked while reading, so a success costs nothing extra: where a failure is
//! (`result.events[0].timestamp`) is found afterwards, from the position serde_json gives,
//! by reading the text again up to there.

use serde::Deserialize;

/// A failure to read JSON, and where it is.
pub(crate) struct Failure {
    /// From the root of the body, as in `result.events[0].timestamp`; empty when the
    /// failure is the body as a whole.
    pub(crate) path: String,
    pub(crate) error: serde_json::Error,
}

/// `bytes` as a `T`; a failure says where it is, its path starting with `root` (empty, or
/// `result` for an envelope's result).
pub(crate) fn parse<'a, T: Deserialize<'a>>(bytes: &'a [u8], root: &str) -> Result<T, Failure> {
    serde_json::from_slice(bytes).map_err(|error| failure(bytes, root, error))
}

/// `error`, which reading `bytes` gave, with where it is.
pub(crate) fn failure(bytes: &[u8], root: &str, error: serde_json::Error) -> Failure {
    let offset = offset(bytes, error.line(), error.column());
    let mut place = place_at(bytes, offset);
    // At the end of the input, what ended early is the container being read, not the value
    // before: `{"id": 1` ends inside the object, after its `id`. A key given twice is a
    // mistake of the object that has it twice.
    let duplicate = error.to_string().starts_with("duplicate field");
    if (error.is_eof() && place.last_value_complete)
        || (duplicate && matches!(place.segments.last(), Some(Segment::Key(_))))
    {
        place.segments.pop();
    }
    Failure {
        path: text(root, &place.segments),
        error,
    }
}

/// The value of a field a model requires, or the error of its absence. A function rather
/// than a closure at each field, so that it is compiled once per field type rather than
/// once per field.
#[allow(dead_code)] // a spec without required fields never calls it
pub(crate) fn required<T, E: serde::de::Error>(
    value: Option<T>,
    field: &'static str,
) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

/// The `Deserialize` impl of a model, from its fields' names in Rust and in JSON:
///
/// ```text
/// crate::json::deserialize_object! {
///     #[cfg(feature = "risk_scoring")]
///     Integration {
///         id: "id",
///         reference_id: "reference_id" optional,
///         ..extra: serde_json::Map
///     }
/// }
/// ```
///
/// A field marked `optional` is an `Option` that a missing key or `null` leaves `None`; any
/// other missing field fails with serde's `missing field` error. Keys the model does not
/// list go into the map named after `..`. Written out for every model, this impl was two
/// fifths of all the generated code; as a macro it is one line per field, and reads the same
/// JSON the same way, failures at the same places.
#[allow(unused_macros)] // a spec without models never calls it
macro_rules! deserialize_object {
    (
        $(#[$attr:meta])*
        $name:ident {
            $($field:ident: $wire:literal $($optional:ident)?,)*
            ..$extra:ident: $($map:ident)::+
        }
    ) => {
        $(#[$attr])*
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct FieldVisitor;

                impl<'de> serde::de::Visitor<'de> for FieldVisitor {
                    type Value = $name;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        formatter.write_str(concat!("a ", stringify!($name), " object"))
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        // Macro hygiene keeps `map`, `key` and `extra` apart from fields of
                        // the same names.
                        $(let mut $field = None;)*
                        let mut extra = $($map)::+::new();
                        while let Some(key) = map.next_key::<String>()? {
                            match key.as_str() {
                                $($wire => $crate::json::deserialize_object!(
                                    @read $field map $($optional)?
                                ),)*
                                _ => {
                                    extra.insert(key, map.next_value()?);
                                }
                            }
                        }
                        Ok($name {
                            $($field: $crate::json::deserialize_object!(
                                @finish $field $wire $($optional)?
                            ),)*
                            $extra: extra,
                        })
                    }
                }

                deserializer.deserialize_map(FieldVisitor)
            }
        }
    };
    (@read $field:ident $map:ident) => {
        $field = Some($map.next_value()?)
    };
    (@read $field:ident $map:ident optional) => {
        $field = $map.next_value()?
    };
    (@finish $field:ident $wire:literal) => {
        $crate::json::required($field, $wire)?
    };
    (@finish $field:ident $wire:literal optional) => {
        $field
    };
}
#[allow(unused_imports)] // a spec without models never calls it
pub(crate) use deserialize_object;

/// `Display`, `Serialize` and `Deserialize` of an open enum, from the `as_str` (for
/// strings) or `value` (for numbers and booleans) and the `From` it is written with:
///
/// ```text
/// crate::json::open_enum!(RiskLevel, str);
/// crate::json::open_enum!(Priority, i64);
/// ```
#[allow(unused_macros)] // a spec without enums never calls it
macro_rules! open_enum {
    ($name:ident, str) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    };
    ($name:ident, $repr:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(formatter, "{}", self.value())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&self.value(), serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$repr as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}
#[allow(unused_imports)] // a spec without enums never calls it
pub(crate) use open_enum;

/// What `error` says, without where in its text it is: for a message about a value that
/// was read from other text (a union's variant, read again on its own), where the
/// position would mislead, and where serde_json would take it for the position of the
/// error that carries the message.
#[allow(dead_code)] // only unions read values again
pub(crate) fn message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) if error.line() > 0 => text[..at].to_owned(),
        _ => text,
    }
}

/// Where reading had got to at a 1-based line and column: serde_json counts columns in
/// bytes, and points at the last byte it read (or looked at), which is counted in.
fn offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(newline) => start += newline + 1,
            None => return bytes.len(),
        }
    }
    (start + column).min(bytes.len())
}

/// One step of a path into JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Where an offset is: the keys and indices from the root down to the innermost value
/// that contains it or ends there.
#[derive(Debug, Default)]
struct Place {
    segments: Vec<Segment>,
    /// Whether the value the last segment names was read to its end.
    last_value_complete: bool,
}

/// A container being read.
enum Frame {
    /// An object, with the key whose value is being read (or was just read).
    Object { key: Option<String>, complete: bool },
    /// An array, with the index of the element being read (or just read), if any.
    Array {
        index: Option<usize>,
        complete: bool,
    },
}

/// Reads `bytes` up to `offset` and says where that is. The text need not be valid JSON
/// beyond what serde_json read before it stopped: anything unexpected is skipped.
fn place_at(bytes: &[u8], offset: usize) -> Place {
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    let end = offset.min(bytes.len());
    // Whether the next string in an object is a key.
    let mut expect_key = false;
    while i < end {
        match bytes[i] {
            b'{' => {
                start_value(&mut frames);
                frames.push(Frame::Object {
                    key: None,
                    complete: false,
                });
                expect_key = true;
                i += 1;
            }
            b'[' => {
                start_value(&mut frames);
                frames.push(Frame::Array {
                    index: None,
                    complete: false,
                });
                i += 1;
            }
            b'}' | b']' => {
                frames.pop();
                complete_value(&mut frames);
                i += 1;
            }
            b',' => {
                match frames.last_mut() {
                    Some(Frame::Object { key, complete }) => {
                        *key = None;
                        *complete = false;
                        expect_key = true;
                    }
                    Some(Frame::Array { index, complete }) => {
                        *index = Some(index.map_or(0, |index| index + 1));
                        *complete = false;
                    }
                    None => {}
                }
                i += 1;
            }
            b':' => {
                expect_key = false;
                i += 1;
            }
            b'"' => {
                let (text, next, closed) = string(bytes, i + 1, end);
                let is_key = expect_key && matches!(frames.last(), Some(Frame::Object { .. }));
                if is_key {
                    if let Some(Frame::Object { key, .. }) = frames.last_mut() {
                        *key = Some(text);
                    }
                } else {
                    start_value(&mut frames);
                    if closed {
                        complete_value(&mut frames);
                    }
                }
                i = next;
            }
            byte if byte.is_ascii_whitespace() => i += 1,
            _ => {
                // A number or `true`, `false`, `null`: up to the next delimiter.
                start_value(&mut frames);
                while i < end
                    && !matches!(bytes[i], b',' | b'}' | b']' | b':')
                    && !bytes[i].is_ascii_whitespace()
                {
                    i += 1;
                }
                if i < end || end == bytes.len() || !is_scalar_byte(bytes.get(end)) {
                    complete_value(&mut frames);
                }
            }
        }
    }
    let mut place = Place::default();
    for frame in &frames {
        match frame {
            Frame::Object {
                key: Some(key),
                complete,
            } => {
                place.segments.push(Segment::Key(key.clone()));
                place.last_value_complete = *complete;
            }
            Frame::Array {
                index: Some(index),
                complete,
            } => {
                place.segments.push(Segment::Index(*index));
                place.last_value_complete = *complete;
            }
            _ => place.last_value_complete = false,
        }
    }
    place
}

fn is_scalar_byte(byte: Option<&u8>) -> bool {
    byte.is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'))
}

/// A value starts in the innermost container: the first element of an array is element 0.
fn start_value(frames: &mut [Frame]) {
    if let Some(Frame::Array { index, complete }) = frames.last_mut() {
        index.get_or_insert(0);
        *complete = false;
    }
}

/// The value being read in the innermost container is read to its end.
fn complete_value(frames: &mut [Frame]) {
    match frames.last_mut() {
        Some(Frame::Object { complete, .. } | Frame::Array { complete, .. }) => *complete = true,
        None => {}
    }
}

/// The string whose text starts at `start` (after its opening quote), unescaped; where
/// reading goes on (after the closing quote, or at `end`); and whether it was closed.
fn string(bytes: &[u8], start: usize, end: usize) -> (String, usize, bool) {
    let mut text = Vec::new();
    let mut i = start;
    while i < end {
        match bytes[i] {
            b'"' => return (String::from_utf8_lossy(&text).into_owned(), i + 1, true),
            b'\\' if i + 1 < end => {
                let escaped = bytes[i + 1];
                i += 2;
                match escaped {
                    b'n' => text.push(b'\n'),
                    b't' => text.push(b'\t'),
                    b'r' => text.push(b'\r'),
                    b'b' => text.push(0x08),
                    b'f' => text.push(0x0c),
                    b'u' if i + 4 <= end => {
                        let code = std::str::from_utf8(&bytes[i..i + 4])
                            .ok()
                            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                            .and_then(char::from_u32)
                            .unwrap_or(char::REPLACEMENT_CHARACTER);
                        let mut buffer = [0; 4];
                        text.extend_from_slice(code.encode_utf8(&mut buffer).as_bytes());
                        i += 4;
                    }
                    other => text.push(other),
                }
            }
            byte => {
                text.push(byte);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&text).into_owned(), end, false)
}

/// How many segments a path may show: a path longer than this (the root counts as one)
/// loses its middle, as in `result.a.b…(40 more)….y.z`, since a hundred nested keys do not
/// read in a log line while where the path starts and where it ends do.
const SEGMENTS_SHOWN: usize = 32;

/// How many segments a path too deep to show keeps at its start, and at its end.
const ENDS_KEPT: usize = 8;

/// `segments` as text after `root`, as in `result.events[0].timestamp`.
fn text(root: &str, segments: &[Segment]) -> String {
    let root_segments = usize::from(!root.is_empty());
    let elided = if root_segments + segments.len() > SEGMENTS_SHOWN {
        ENDS_KEPT - root_segments..segments.len() - ENDS_KEPT
    } else {
        0..0
    };
    let mut text = root.to_owned();
    for (index, segment) in segments.iter().enumerate() {
        if elided.contains(&index) {
            if index == elided.start {
                text += &format!("…({} more)…", elided.len());
            }
            continue;
        }
        match segment {
            Segment::Key(key) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text += key;
            }
            Segment::Index(index) => text += &format!("[{index}]"),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde::de::DeserializeOwned;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Event {
        id: u32,
        at: String,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Events {
        events: Vec<Event>,
        note: Option<String>,
    }

    fn path_of<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        match parse::<T>(json.as_bytes(), "result") {
            Ok(value) => panic!("{json} read as {value:?}"),
            Err(failure) => failure.path,
        }
    }

    #[test]
    fn a_wrong_value_is_named_by_its_key_or_index() {
        let path = path_of::<Events>;
        assert_eq!(
            path(r#"{"events": [{"id": 1, "at": "x"}, {"id": "2", "at": "y"}]}"#),
            "result.events[1].id"
        );
        assert_eq!(
            path(r#"{"events": [{"id": -1, "at": "x"}]}"#),
            "result.events[0].id"
        );
        assert_eq!(path(r#"{"events": [], "note": 5}"#), "result.note");
        assert_eq!(
            path("{\"events\": [{\"id\": 1,\n \"at\": 7}]}"),
            "result.events[0].at"
        );
        assert_eq!(path(r#"{"ev\"ents": [], "events": 3}"#), "result.events");
        assert_eq!(path(r#"{"\u00e9": 1, "events": {}}"#), "result.events");
    }

    #[test]
    fn a_missing_field_is_named_by_the_object_without_it() {
        let path = path_of::<Events>;
        assert_eq!(path(r#"{"events": [{"id": 1}]}"#), "result.events[0]");
        assert_eq!(path(r#"{"note": null}"#), "result");
    }

    #[test]
    fn text_that_is_not_json_or_ends_early_is_named_as_far_as_it_goes() {
        let path = path_of::<Events>;
        assert_eq!(path(r#"{"events": [{"id": 1"#), "result.events[0]");
        assert_eq!(path(r#"{"events": [{"id": 1, oops}]}"#), "result.events[0]");
        assert_eq!(path("[1]"), "result[0]");
        assert_eq!(path(r#"{"events": []} trailing"#), "result");
        assert_eq!(
            parse::<Events>(b"<html>", "").err().map(|f| f.path),
            Some(String::new())
        );
    }

    #[test]
    fn a_message_can_leave_its_position_out() {
        let error = serde_json::from_slice::<u8>(b"\"x\"").unwrap_err();
        assert!(error.to_string().ends_with("at line 1 column 3"), "{error}");
        assert_eq!(message(&error), "invalid type: string \"x\", expected u8");
        let positionless = <serde_json::Error as serde::de::Error>::custom("no place at line");
        assert_eq!(message(&positionless), "no place at line");
    }

    #[test]
    fn deep_paths_lose_their_middle() {
        let deep = (0..40).map(|i| format!("{{\"a{i}\": ")).collect::<String>()
            + "{\"n\": \"x\"}"
            + &"}".repeat(40);
        let offset = deep.find("\"x\"").unwrap() + 3;
        let place = place_at(deep.as_bytes(), offset);
        assert_eq!(
            text("result", &place.segments),
            "result.a0.a1.a2.a3.a4.a5.a6…(26 more)….a33.a34.a35.a36.a37.a38.a39.n"
        );
    }
}
