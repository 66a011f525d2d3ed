//! Whether a value is valid for a schema, as a validating mock server (Prism, which runs
//! Ajv on the document) reads OpenAPI 3.0: `type` with `nullable`, `enum`, the formats Ajv
//! knows (others pass), lengths, `pattern`, bounds, `multipleOf`, items, properties,
//! `required`, `additionalProperties` (over the properties of every `allOf` part, as Prism
//! merges them first), `allOf`, `anyOf`, `oneOf` (exactly one), `not`.
//!
//! In a request, `readOnly` properties are not required (Prism strips them from requests).
//! A `discriminator` is not read: Ajv, as Prism runs it, ignores it, so a `oneOf` must match
//! one variant by its shape alone.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use regex::Regex;
use serde_json::Value;

use super::keywords::{Bound, Keywords};
use super::Problem;
use crate::pointer::Pointer;
use crate::resolve::{Resolver, SchemaRef};

/// How deep schemas may nest (through `$ref`s and compositions) while checking one value.
const MAX_DEPTH: usize = 96;

/// Whether a value is sent or received: a request leaves `readOnly` properties out of
/// `required`, a response `writeOnly` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

/// Checks values against the schemas of one document. Patterns are compiled once.
pub struct Checker<'d> {
    resolver: Resolver<'d>,
    direction: Direction,
    patterns: RefCell<HashMap<String, Option<Regex>>>,
}

impl<'d> Checker<'d> {
    pub fn new(resolver: Resolver<'d>, direction: Direction) -> Checker<'d> {
        Checker {
            resolver,
            direction,
            patterns: RefCell::default(),
        }
    }

    /// Every way `value` breaks the schema written at `at` (none: it is valid).
    pub fn check(&self, schema: SchemaRef<'d>, at: &Pointer, value: &Value) -> Vec<Problem> {
        let mut problems = Vec::new();
        self.value(schema, at, value, "", &BTreeSet::new(), 0, &mut problems);
        problems
    }

    /// Whether `value` is valid for the schema.
    pub fn fits(&self, schema: SchemaRef<'d>, at: &Pointer, value: &Value) -> bool {
        self.check(schema, at, value).is_empty()
    }

    /// The compiled `pattern`, or `None` when the regex crate cannot read it (look-arounds,
    /// back-references): such a pattern is not checked.
    pub fn pattern(&self, pattern: &str) -> Option<Regex> {
        let mut patterns = self.patterns.borrow_mut();
        patterns
            .entry(pattern.to_owned())
            .or_insert_with(|| Regex::new(pattern).ok())
            .clone()
    }

    /// `allowed`: property names other `allOf` parts define, which an
    /// `additionalProperties: false` here does not forbid.
    #[allow(clippy::too_many_arguments)]
    fn value(
        &self,
        schema: SchemaRef<'d>,
        at: &Pointer,
        value: &Value,
        path: &str,
        allowed: &BTreeSet<String>,
        depth: usize,
        out: &mut Vec<Problem>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let (schema, at) = match super::resolve(&self.resolver, schema, at) {
            Ok(found) => found,
            Err(problem) => {
                out.push(problem);
                return;
            }
        };
        let k = Keywords::of(schema);
        let problem = |out: &mut Vec<Problem>, message: String| {
            out.push(Problem {
                pointer: at.clone(),
                message: if path.is_empty() {
                    message
                } else {
                    format!("at `{path}`: {message}")
                },
            });
        };
        if value.is_null() {
            let allowed_null = k.data.nullable
                || k.only_null()
                || (k.typ.is_none()
                    && k.enumeration.is_none()
                    && k.all_of.is_empty()
                    && k.union().is_none()
                    && !k.is_object()
                    && !k.is_array());
            if !allowed_null {
                problem(out, "null, but the schema is not nullable".to_owned());
            }
            return;
        }
        if let Some(expected) = k.typ {
            if !has_type(value, expected) {
                problem(
                    out,
                    format!("{} where the schema wants {expected}", kind(value)),
                );
                return;
            }
        }
        if let Some(values) = &k.enumeration {
            if !values.iter().any(|listed| same(listed, value)) {
                problem(out, format!("{value} is not one of the enum's values"));
            }
        }
        match value {
            Value::String(text) => self.string(&k, text, &mut |message| problem(out, message)),
            Value::Number(number) => {
                number_keywords(&k, number, &mut |message| problem(out, message))
            }
            _ => {}
        }
        if let Value::Array(items) = value {
            self.array(&k, &at, items, path, depth, out);
        }
        // The properties of every `allOf` part, for `additionalProperties: false`.
        let mut names = allowed.clone();
        if !k.all_of.is_empty() {
            self.property_names(&k, &at, &mut names, depth);
        }
        if let Value::Object(object) = value {
            self.object(&k, &at, object, path, &names, depth, out);
        }
        for (index, part) in k.all_of.iter().enumerate() {
            self.value(
                part.into(),
                &at.push("allOf").index(index),
                value,
                path,
                &names,
                depth + 1,
                out,
            );
        }
        if let Some((variants, keyword)) = k.union() {
            let mut failures = Vec::new();
            let mut matched = 0;
            for (index, variant) in variants.iter().enumerate() {
                let mut found = Vec::new();
                self.value(
                    variant.into(),
                    &at.push(keyword).index(index),
                    value,
                    path,
                    &names,
                    depth + 1,
                    &mut found,
                );
                if found.is_empty() {
                    matched += 1;
                } else {
                    failures.push(found);
                }
            }
            if matched == 0 {
                let why = failures
                    .iter()
                    .filter_map(|found| found.first())
                    .map(|first| first.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
                problem(
                    out,
                    format!("matches no variant of the `{keyword}` ({why})"),
                );
            } else if matched > 1 && keyword == "oneOf" {
                problem(
                    out,
                    format!("matches {matched} variants of the `oneOf`, which wants exactly one"),
                );
            }
        }
        if let Some(not) = k.not {
            let mut found = Vec::new();
            self.value(
                not.into(),
                &at.push("not"),
                value,
                path,
                &names,
                depth + 1,
                &mut found,
            );
            if found.is_empty() {
                problem(out, "matches the schema under `not`".to_owned());
            }
        }
    }

    fn string(&self, k: &Keywords<'d>, text: &str, problem: &mut dyn FnMut(String)) {
        let length = text.chars().count();
        if let Some(min) = k.min_length.filter(|min| length < *min) {
            problem(format!("{length} characters, fewer than minLength {min}"));
        }
        if let Some(max) = k.max_length.filter(|max| length > *max) {
            problem(format!("{length} characters, more than maxLength {max}"));
        }
        if let Some(pattern) = k.pattern {
            if let Some(regex) = self.pattern(pattern) {
                if !regex.is_match(text) {
                    problem(format!("{text:?} does not match the pattern {pattern:?}"));
                }
            }
        }
        if let Some(format) = &k.format {
            if !string_format(format, text) {
                problem(format!("{text:?} is not a valid {format}"));
            }
        }
    }

    fn array(
        &self,
        k: &Keywords<'d>,
        at: &Pointer,
        items: &[Value],
        path: &str,
        depth: usize,
        out: &mut Vec<Problem>,
    ) {
        let problem = |out: &mut Vec<Problem>, message: String| {
            out.push(Problem {
                pointer: at.clone(),
                message: if path.is_empty() {
                    message
                } else {
                    format!("at `{path}`: {message}")
                },
            });
        };
        if let Some(min) = k.min_items.filter(|min| items.len() < *min) {
            problem(
                out,
                format!("{} items, fewer than minItems {min}", items.len()),
            );
        }
        if let Some(max) = k.max_items.filter(|max| items.len() > *max) {
            problem(
                out,
                format!("{} items, more than maxItems {max}", items.len()),
            );
        }
        if k.unique_items {
            let repeated = items
                .iter()
                .enumerate()
                .any(|(index, item)| items.iter().skip(index + 1).any(|other| same(item, other)));
            if repeated {
                problem(
                    out,
                    "an item is repeated, but uniqueItems is set".to_owned(),
                );
            }
        }
        if let Some(schema) = k.items {
            for (index, item) in items.iter().enumerate() {
                self.value(
                    schema.into(),
                    &at.push("items"),
                    item,
                    &format!("{path}/{index}"),
                    &BTreeSet::new(),
                    depth + 1,
                    out,
                );
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn object(
        &self,
        k: &Keywords<'d>,
        at: &Pointer,
        object: &serde_json::Map<String, Value>,
        path: &str,
        allowed: &BTreeSet<String>,
        depth: usize,
        out: &mut Vec<Problem>,
    ) {
        let problem = |out: &mut Vec<Problem>, message: String| {
            out.push(Problem {
                pointer: at.clone(),
                message: if path.is_empty() {
                    message
                } else {
                    format!("at `{path}`: {message}")
                },
            });
        };
        let properties = k.properties;
        for name in k.required {
            if object.contains_key(name) {
                continue;
            }
            let property = properties.and_then(|properties| properties.get(name));
            if let Some(property) = property {
                if self.skipped_when_required(property.into(), &at.push("properties").push(name)) {
                    continue;
                }
            }
            problem(out, format!("the required property `{name}` is missing"));
        }
        if let Some(min) = k.min_properties.filter(|min| object.len() < *min) {
            problem(
                out,
                format!(
                    "{} properties, fewer than minProperties {min}",
                    object.len()
                ),
            );
        }
        if let Some(max) = k.max_properties.filter(|max| object.len() > *max) {
            problem(
                out,
                format!("{} properties, more than maxProperties {max}", object.len()),
            );
        }
        for (name, item) in object {
            let item_path = format!("{path}/{}", escape(name));
            match properties.and_then(|properties| properties.get(name)) {
                Some(property) => self.value(
                    property.into(),
                    &at.push("properties").push(name),
                    item,
                    &item_path,
                    &BTreeSet::new(),
                    depth + 1,
                    out,
                ),
                None if allowed.contains(name) => {}
                None => match k.additional {
                    Some(AdditionalProperties::Any(false)) => problem(
                        out,
                        format!(
                            "the property `{name}` is not allowed (additionalProperties: false)"
                        ),
                    ),
                    Some(AdditionalProperties::Schema(schema)) => self.value(
                        schema.as_ref().into(),
                        &at.push("additionalProperties"),
                        item,
                        &item_path,
                        &BTreeSet::new(),
                        depth + 1,
                        out,
                    ),
                    _ => {}
                },
            }
        }
    }

    /// Whether a required property may be absent here: a `readOnly` one in a request, a
    /// `writeOnly` one in a response.
    fn skipped_when_required(&self, property: SchemaRef<'d>, at: &Pointer) -> bool {
        let Ok((schema, _)) = super::resolve(&self.resolver, property, at) else {
            return false;
        };
        match self.direction {
            Direction::Request => schema.schema_data.read_only,
            Direction::Response => schema.schema_data.write_only,
        }
    }

    /// The names of the properties `k`'s `allOf` parts define, through `$ref`s and nested
    /// `allOf`s.
    fn property_names(
        &self,
        k: &Keywords<'d>,
        at: &Pointer,
        names: &mut BTreeSet<String>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(properties) = k.properties {
            names.extend(properties.keys().cloned());
        }
        for (index, part) in k.all_of.iter().enumerate() {
            let part_at = at.push("allOf").index(index);
            if let Ok((schema, part_at)) = super::resolve(&self.resolver, part.into(), &part_at) {
                self.property_names(&Keywords::of(schema), &part_at, names, depth + 1);
            }
        }
    }
}

/// Whether `value` is of the JSON Schema type `expected` (an integer is a number with no
/// fraction, as Ajv counts it). Types a document invents are not checked.
fn has_type(value: &Value, expected: &str) -> bool {
    match expected {
        "string" => value.is_string(),
        "integer" => is_integer(value),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "null" => value.is_null(),
        _ => true,
    }
}

pub(super) fn is_integer(value: &Value) -> bool {
    match value {
        Value::Number(number) => {
            number.is_i64()
                || number.is_u64()
                || number.as_f64().is_some_and(|float| float.fract() == 0.0)
        }
        _ => false,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(number) if number.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// JSON equality, numbers by value (`1` is `1.0`).
pub(super) fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, a)| b.get(key).is_some_and(|b| same(a, b)))
        }
        (a, b) => a == b,
    }
}

fn number_keywords(k: &Keywords<'_>, number: &serde_json::Number, problem: &mut dyn FnMut(String)) {
    let Some(float) = number.as_f64() else {
        return;
    };
    let below = |bound: &Bound| {
        if bound.exclusive {
            float <= bound.limit
        } else {
            float < bound.limit
        }
    };
    let above = |bound: &Bound| {
        if bound.exclusive {
            float >= bound.limit
        } else {
            float > bound.limit
        }
    };
    if let Some(bound) = k.minimum.as_ref().filter(|bound| below(bound)) {
        let relation = if bound.exclusive { "at most" } else { "below" };
        problem(format!(
            "{number} is {relation} the minimum {}",
            bound.limit
        ));
    }
    if let Some(bound) = k.maximum.as_ref().filter(|bound| above(bound)) {
        let relation = if bound.exclusive { "at least" } else { "above" };
        problem(format!(
            "{number} is {relation} the maximum {}",
            bound.limit
        ));
    }
    if let Some(step) = k.multiple_of.filter(|step| *step > 0.0) {
        let quotient = float / step;
        if (quotient - quotient.round()).abs() > 1e-9 {
            problem(format!("{number} is not a multiple of {step}"));
        }
    }
    match k.format.as_deref() {
        Some("int32")
            if !(i32::MIN as f64..=i32::MAX as f64).contains(&float) || float.fract() != 0.0 =>
        {
            problem(format!("{number} is not an int32"));
        }
        Some("int64") if float.fract() != 0.0 => problem(format!("{number} is not an int64")),
        _ => {}
    }
}

/// The string formats Ajv's `ajv-formats` checks (and Prism's own `date-time`); other
/// formats pass. `date-time` is held to RFC 3339 (`T`, seconds and an offset), which both
/// Prism and `chrono` accept.
pub(super) fn string_format(format: &str, text: &str) -> bool {
    match format {
        "date-time" => date_time(text),
        "date" => date(text),
        "time" => time(text),
        "uuid" => uuid(text),
        "email" => email(text),
        "hostname" => hostname(text),
        "ipv4" => text.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => text.parse::<std::net::Ipv6Addr>().is_ok(),
        "uri" => uri(text),
        "url" => url(text),
        "byte" => base64(text),
        _ => true,
    }
}

fn digits(text: &str, count: usize) -> Option<u32> {
    (text.len() == count && text.bytes().all(|byte| byte.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn date(text: &str) -> bool {
    let mut parts = text.split('-');
    let (Some(year), Some(month), Some(day), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(year), Some(month), Some(day)) = (digits(year, 4), digits(month, 2), digits(day, 2))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `HH:MM:SS`, an optional fraction, and `Z` or `±HH:MM`.
fn time(text: &str) -> bool {
    let (clock, offset) = match text.find(['Z', 'z', '+', '-']) {
        Some(index) => (
            text.get(..index).unwrap_or(""),
            text.get(index..).unwrap_or(""),
        ),
        None => return false,
    };
    let (clock, fraction) = match clock.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (clock, None),
    };
    if fraction.is_some_and(|fraction| {
        fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit())
    }) {
        return false;
    }
    let mut parts = clock.split(':');
    let (Some(hour), Some(minute), Some(second), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(hour), Some(minute), Some(second)) =
        (digits(hour, 2), digits(minute, 2), digits(second, 2))
    else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    if offset.eq_ignore_ascii_case("z") {
        return true;
    }
    let Some(offset) = offset.get(1..) else {
        return false;
    };
    match offset.split_once(':') {
        Some((hours, minutes)) => {
            digits(hours, 2).is_some_and(|h| h <= 23) && digits(minutes, 2).is_some_and(|m| m <= 59)
        }
        None => false,
    }
}

fn date_time(text: &str) -> bool {
    match text.split_once(['T', 't']) {
        Some((day, clock)) => date(day) && time(clock),
        None => false,
    }
}

/// Hyphenated, as Ajv's `uuid` format requires (with an optional `urn:uuid:`).
fn uuid(text: &str) -> bool {
    let text = text.strip_prefix("urn:uuid:").unwrap_or(text);
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, length)| {
            group.len() == length && group.bytes().all(|b| b.is_ascii_hexdigit())
        })
}

fn email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    let atom = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c))
    };
    local.split('.').all(atom) && domain.contains('.') && hostname(domain)
}

fn hostname(text: &str) -> bool {
    let text = text.strip_suffix('.').unwrap_or(text);
    if text.is_empty() || text.len() > 253 {
        return false;
    }
    text.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    })
}

/// A scheme, then characters a URI may hold.
fn uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    scheme_ok
        && rest
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"<>\"{}|\\^`".contains(c))
}

fn url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let rest = ["http://", "https://", "ftp://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme));
    rest.is_some_and(|rest| !rest.is_empty()) && uri(text)
}

fn base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return false;
    }
    let padding = bytes.iter().rev().take_while(|byte| **byte == b'=').count();
    padding <= 2
        && bytes
            .iter()
            .take(bytes.len() - padding)
            .all(|byte| byte.is_ascii_alphanumeric() || *byte == b'+' || *byte == b'/')
}

/// A property name as a JSON pointer token.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// The schema of `additionalProperties`, when it is one and not `{}`.
pub(super) fn additional_schema(
    additional: Option<&AdditionalProperties>,
) -> Option<&ReferenceOr<Schema>> {
    match additional {
        Some(AdditionalProperties::Schema(schema)) => Some(schema.as_ref()),
        _ => None,
    }
}
