//! Example values made from schemas: a value a validating mock server (Prism) accepts for
//! the schema, for a request, with only the required properties ([`Variant::Required`]) or
//! with every property ([`Variant::Full`]).
//!
//! ```
//! use openapi::example::{example, Variant};
//! use openapi::{Pointer, Resolver, SchemaRef};
//!
//! let doc = openapi::parse(r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
//!   "components": {"schemas": {"Rule": {"type": "object", "required": ["name"], "properties": {
//!     "name": {"type": "string", "example": "block ads"},
//!     "precedence": {"type": "integer", "minimum": 10}}}}}}"#)?;
//! let resolver = Resolver::new(&doc);
//! let rule = SchemaRef::Reference("#/components/schemas/Rule");
//! let required = example(&resolver, rule, &Pointer::root(), Variant::Required);
//! assert_eq!(required.value, serde_json::json!({"name": "block ads"}));
//! let full = example(&resolver, rule, &Pointer::root(), Variant::Full);
//! assert_eq!(full.value, serde_json::json!({"name": "block ads", "precedence": 10}));
//! assert!(full.problems.is_empty());
//! # Ok::<(), openapi::ParseError>(())
//! ```
//!
//! The rules, for each schema (after `$ref`s):
//!
//! - the document's `example`, then its `default`, then (for an `enum`) its values, then a
//!   value made for the type, format, `pattern` and bounds, the first that is valid: an
//!   object or an array of objects is always built from its properties;
//! - objects: the required properties (those the document requires and those
//!   [`Hints::requires`] adds), and with [`Variant::Full`] every other property that is not
//!   `readOnly` and does not lead back to a schema being built (a recursive schema stops at
//!   its optional properties); `allOf` parts are merged into one object first, as Prism
//!   merges them, and so are the properties beside a union with each of its variants; a
//!   property defined twice gets a value that fits both; a map gets one entry with `Full`;
//! - arrays: `minItems` items, at least one (none when the items lead back to a schema being
//!   built), at most `maxItems`, made distinct for `uniqueItems`;
//! - `oneOf`/`anyOf`: the first variant, in the order [`Hints::variant_order`] gives (the
//!   document's by default), whose value fits it (and, for `oneOf`, no other); with a
//!   `discriminator`, the variant's tag is set;
//! - `null` only where nothing else is allowed; never a `readOnly` property that is not
//!   required.
//!
//! Every value is then checked against the schema ([`Checker`]): what does not hold is a
//! [`Problem`], and the value is still the best one found. Nothing here panics, and the
//! work is bounded: depth, size and how often one schema may enclose itself are capped.

mod check;
mod keywords;
mod pattern;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, Discriminator, ReferenceOr, Schema};
use serde_json::{Map, Value};

pub use check::{Checker, Direction};

use crate::pointer::Pointer;
use crate::resolve::{component_name, Resolver, SchemaRef};
use keywords::Keywords;

/// How deep schemas may nest in one value.
pub const MAX_DEPTH: usize = 48;
/// How many schemas one value may be made of.
const MAX_NODES: usize = 20_000;
/// How many times one component may enclose itself along a path before the value is cut.
const MAX_RECURSION: usize = 2;

/// Something about a value that could not be made valid, and where in the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Problem {
    /// The schema the value breaks.
    pub pointer: Pointer,
    pub message: String,
}

/// Which properties an object gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Only the required ones, at every depth.
    Required,
    /// Every property that may be sent.
    Full,
}

/// What the reader of the values needs beyond the document: how the code that will decode
/// them reads each schema.
pub trait Hints {
    /// Whether `property` of the object schema written at `at` must be present although the
    /// document does not require it (a union's tag, which the reader needs).
    fn requires(&self, _at: &Pointer, _property: &str) -> bool {
        false
    }

    /// The order in which to try the variants of the `oneOf`/`anyOf` written at `at`, as
    /// indexes into it: the order the reader tries them in. Variants left out are tried
    /// after, in document order.
    fn variant_order(&self, _at: &Pointer) -> Option<Vec<usize>> {
        None
    }
}

/// No hints: the document alone decides.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHints;

impl Hints for NoHints {}

/// A value, and what could not be made valid in it (nothing, usually).
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub value: Value,
    pub problems: Vec<Problem>,
}

/// The example of `schema` (written at `at`), without hints.
pub fn example<'d>(
    resolver: &Resolver<'d>,
    schema: SchemaRef<'d>,
    at: &Pointer,
    variant: Variant,
) -> Example {
    Examples::new(*resolver, &NoHints).example(schema, at, variant)
}

/// Whether `text` is valid for the string `format` as the checker reads it (RFC 3339 for
/// `date-time`, hyphenated for `uuid`, …); formats it does not know hold.
pub fn format_holds(format: &str, text: &str) -> bool {
    check::string_format(format, text)
}

/// Makes examples from the schemas of one document.
pub struct Examples<'d, 'h> {
    resolver: Resolver<'d>,
    hints: &'h dyn Hints,
    checker: Checker<'d>,
}

/// The state of making one value.
struct Run {
    variant: Variant,
    problems: Vec<Problem>,
    /// The components being made, outermost first.
    stack: Vec<Pointer>,
    nodes: usize,
}

impl Run {
    fn problem(&mut self, at: &Pointer, message: impl Into<String>) {
        let problem = Problem {
            pointer: at.clone(),
            message: message.into(),
        };
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }
}

/// An object schema with its `allOf` parts merged.
#[derive(Clone)]
struct View<'d> {
    /// Where the object and each merged part are written, for [`Hints::requires`].
    at: Vec<Pointer>,
    /// Each property's definitions, in merge order: the last is the one the importer keeps,
    /// and the value must fit them all.
    properties: IndexMap<String, Vec<(SchemaRef<'d>, Pointer)>>,
    required: Vec<String>,
    additional: Option<(SchemaRef<'d>, Pointer)>,
    closed: bool,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    examples: Vec<&'d Value>,
}

impl<'d, 'h> Examples<'d, 'h> {
    pub fn new(resolver: Resolver<'d>, hints: &'h dyn Hints) -> Examples<'d, 'h> {
        Examples {
            resolver,
            hints,
            checker: Checker::new(resolver, Direction::Request),
        }
    }

    /// The checker the examples are held to.
    pub fn checker(&self) -> &Checker<'d> {
        &self.checker
    }

    /// A value for `schema`, written at `at`.
    pub fn example(&self, schema: SchemaRef<'d>, at: &Pointer, variant: Variant) -> Example {
        self.example_preferring(&[], schema, at, variant)
    }

    /// A value for `schema`: the first of `preferred` that is valid (a parameter's own
    /// examples), else one made as [`Examples::example`] makes it.
    pub fn example_preferring(
        &self,
        preferred: &[Value],
        schema: SchemaRef<'d>,
        at: &Pointer,
        variant: Variant,
    ) -> Example {
        let integer = resolve(&self.resolver, schema, at)
            .is_ok_and(|(schema, _)| Keywords::of(schema).typ == Some("integer"));
        for candidate in preferred.iter().filter(|candidate| !candidate.is_null()) {
            let candidate = if integer {
                whole(candidate.clone())
            } else {
                candidate.clone()
            };
            if self.checker.fits(schema, at, &candidate) {
                return Example {
                    value: candidate,
                    problems: Vec::new(),
                };
            }
        }
        let mut run = Run {
            variant,
            problems: Vec::new(),
            stack: Vec::new(),
            nodes: 0,
        };
        let value = self.generate(&mut run, schema, at, 0);
        let mut problems = run.problems;
        for problem in self.checker.check(schema, at, &value) {
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        Example { value, problems }
    }

    fn generate(&self, run: &mut Run, schema: SchemaRef<'d>, at: &Pointer, depth: usize) -> Value {
        if depth > MAX_DEPTH || run.nodes >= MAX_NODES {
            run.problem(
                at,
                format!(
                    "the value would nest deeper than {MAX_DEPTH} levels or hold more than \
                     {MAX_NODES} values: cut here"
                ),
            );
            return Value::Null;
        }
        run.nodes += 1;
        let (resolved, at) = match resolve(&self.resolver, schema, at) {
            Ok(found) => found,
            Err(problem) => {
                run.problems.push(problem);
                return Value::Null;
            }
        };
        let entered = matches!(schema, SchemaRef::Reference(_));
        if entered {
            let times = run.stack.iter().filter(|open| **open == at).count();
            if times >= MAX_RECURSION {
                if !resolved.schema_data.nullable {
                    run.problem(
                        &at,
                        "a required property leads back to this schema again and again: the \
                         value cannot end",
                    );
                }
                return Value::Null;
            }
            run.stack.push(at.clone());
        }
        let value = self.shape(run, resolved, &at, depth);
        if entered {
            run.stack.pop();
        }
        value
    }

    fn shape(&self, run: &mut Run, schema: &'d Schema, at: &Pointer, depth: usize) -> Value {
        let k = Keywords::of(schema);
        if k.only_null() {
            return Value::Null;
        }
        if let Some((variants, keyword)) = k.union() {
            return self.union(run, &k, variants, keyword, at, depth);
        }
        if !k.all_of.is_empty() {
            return self.all_of(run, schema, &k, at, depth);
        }
        if k.is_object() {
            let view = self.view(&k, at, depth);
            return self.object(run, &view, depth);
        }
        if k.is_array() {
            return self.array(run, &k, at, depth);
        }
        self.scalar(run, schema, &k, at)
    }

    /// A string, number, boolean or untyped value: the first valid candidate.
    fn scalar(&self, run: &mut Run, schema: &'d Schema, k: &Keywords<'d>, at: &Pointer) -> Value {
        let mut documented: Vec<Value> = Vec::new();
        documented.extend(k.data.example.clone());
        documented.extend(k.data.default.clone());
        if let Some(values) = &k.enumeration {
            // Empty strings last: some readers cannot name them.
            let (empty, listed): (Vec<&Value>, Vec<&Value>) =
                values.iter().partition(|value| value.as_str() == Some(""));
            documented.extend(listed.into_iter().cloned());
            documented.extend(empty.into_iter().cloned());
        }
        let made = if k.enumeration.is_some() {
            Vec::new()
        } else {
            made(k)
        };
        // Whole numbers as integers (`30.0` as `30`): a reader of integers needs them so,
        // one of numbers takes them as well.
        let as_read = |candidate: &Value| whole(candidate.clone());
        let fits = |candidate: &Value| {
            !candidate.is_null() && self.checker.fits(SchemaRef::Inline(schema), at, candidate)
        };
        if let Some(found) = documented.iter().map(as_read).find(fits) {
            return found;
        }
        // Made values cannot be checked against a pattern the regex crate cannot read.
        if let Some(pattern) = k.pattern {
            if self.checker.pattern(pattern).is_none() {
                run.problem(
                    at,
                    format!(
                        "the pattern {pattern:?} cannot be read here (a look-around or a \
                         back-reference?), and the document gives no valid example: the value \
                         made is not checked against it"
                    ),
                );
            }
        }
        if let Some(found) = made.iter().map(as_read).find(fits) {
            return found;
        }
        // Nothing fits: the made value is closer to valid than the document's example.
        made.into_iter()
            .chain(documented)
            .find(|candidate| !candidate.is_null())
            .map(|candidate| as_read(&candidate))
            .unwrap_or(Value::Null)
    }

    fn array(&self, run: &mut Run, k: &Keywords<'d>, at: &Pointer, depth: usize) -> Value {
        let items_at = at.push("items");
        let min = k.min_items.unwrap_or(0);
        let Some(items) = k.items else {
            let count = k.max_items.map_or(min, |max| min.min(max));
            return Value::Array(vec![Value::String("example".to_owned()); count]);
        };
        let plain = match resolve(&self.resolver, items.into(), &items_at) {
            Ok((schema, _)) => {
                let ik = Keywords::of(schema);
                !(ik.is_object() || ik.is_array() || !ik.all_of.is_empty() || ik.union().is_some())
            }
            Err(_) => false,
        };
        if plain {
            let documented = k.data.example.iter().chain(&k.data.default);
            for candidate in documented.filter(|candidate| candidate.is_array()) {
                if self
                    .checker
                    .fits(SchemaRef::Inline(k.schema), at, candidate)
                {
                    return candidate.clone();
                }
            }
        }
        let recursive = self.leads_back(run, items.into(), &items_at, 0);
        let mut count = if recursive { min } else { min.max(1) };
        if let Some(max) = k.max_items {
            count = count.min(max);
        }
        let mut values: Vec<Value> = (0..count)
            .map(|_| self.generate(run, items.into(), &items_at, depth + 1))
            .collect();
        if k.unique_items && values.len() > 1 {
            self.distinct(items.into(), &items_at, &mut values);
        }
        Value::Array(values)
    }

    /// Makes the items of a `uniqueItems` array differ: other enum values, or numbered
    /// strings and numbers.
    fn distinct(&self, items: SchemaRef<'d>, at: &Pointer, values: &mut [Value]) {
        let enumeration = resolve(&self.resolver, items, at)
            .ok()
            .and_then(|(schema, _)| Keywords::of(schema).enumeration);
        for index in 1..values.len() {
            let repeated = values
                .iter()
                .take(index)
                .any(|earlier| check::same(earlier, &values[index]));
            if !repeated {
                continue;
            }
            let replacement = match (&enumeration, &values[index]) {
                (Some(listed), _) => listed.get(index).cloned(),
                (None, Value::String(text)) => Some(Value::String(format!("{text}-{index}"))),
                (None, Value::Number(number)) => number
                    .as_i64()
                    .map(|number| Value::from(number + index as i64))
                    .or_else(|| {
                        number
                            .as_f64()
                            .map(|number| Value::from(number + index as f64))
                    }),
                _ => None,
            };
            if let Some(replacement) = replacement {
                values[index] = replacement;
            }
        }
    }

    /// `k` as one object: its properties, then those of its `allOf` parts that are objects
    /// (through `$ref`s and nested `allOf`s), a later definition of a property winning as
    /// the importer merges them.
    fn view(&self, k: &Keywords<'d>, at: &Pointer, depth: usize) -> View<'d> {
        let mut view = View {
            at: Vec::new(),
            properties: IndexMap::new(),
            required: Vec::new(),
            additional: None,
            closed: false,
            min_properties: None,
            max_properties: None,
            examples: Vec::new(),
        };
        self.merge_into(&mut view, k, at, depth);
        view
    }

    fn merge_into(&self, view: &mut View<'d>, k: &Keywords<'d>, at: &Pointer, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        view.at.push(at.clone());
        for (index, part) in k.all_of.iter().enumerate() {
            let part_at = at.push("allOf").index(index);
            if let Ok((schema, part_at)) = resolve(&self.resolver, part.into(), &part_at) {
                let pk = Keywords::of(schema);
                if pk.is_object() || !pk.all_of.is_empty() {
                    self.merge_into(view, &pk, &part_at, depth + 1);
                }
            }
        }
        if let Some(properties) = k.properties {
            for (name, property) in properties {
                let property_at = at.push("properties").push(name);
                view.properties
                    .entry(name.clone())
                    .or_default()
                    .push((property.into(), property_at));
            }
        }
        for name in k.required {
            if !view.required.contains(name) {
                view.required.push(name.clone());
            }
        }
        match k.additional {
            Some(AdditionalProperties::Any(false)) => view.closed = true,
            Some(AdditionalProperties::Schema(schema)) if !is_empty(schema) => {
                view.additional = Some((schema.as_ref().into(), at.push("additionalProperties")));
            }
            _ => {}
        }
        view.min_properties = view.min_properties.max(k.min_properties);
        view.max_properties = match (view.max_properties, k.max_properties) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        view.examples.extend(k.data.example.iter());
    }

    fn object(&self, run: &mut Run, view: &View<'d>, depth: usize) -> Value {
        let full = run.variant == Variant::Full;
        let mut object = Map::new();
        let mut skipped = Vec::new();
        for (name, definitions) in &view.properties {
            let required = view.required.contains(name)
                || view.at.iter().any(|at| self.hints.requires(at, name));
            if !required {
                let sendable = !definitions
                    .iter()
                    .any(|(schema, at)| self.read_only(*schema, at));
                let recurs = definitions
                    .iter()
                    .any(|(schema, at)| self.leads_back(run, *schema, at, 0));
                if !full || !sendable || recurs {
                    if sendable {
                        skipped.push((name, definitions));
                    }
                    continue;
                }
            }
            let value = self.property(run, definitions, depth);
            object.insert(name.clone(), value);
        }
        // Required names no property defines: the document's example says what they hold.
        for name in &view.required {
            if object.contains_key(name) || view.properties.contains_key(name) {
                continue;
            }
            let documented = view
                .examples
                .iter()
                .find_map(|example| example.get(name))
                .cloned();
            let value = match (documented, &view.additional) {
                (Some(value), _) => value,
                (None, Some((schema, at))) => self.generate(run, *schema, at, depth + 1),
                (None, None) => Value::String("example".to_owned()),
            };
            object.insert(name.clone(), value);
        }
        if view.properties.is_empty() && full {
            match &view.additional {
                Some((schema, at)) => {
                    let value = self.generate(run, *schema, at, depth + 1);
                    object.insert("example".to_owned(), value);
                }
                None if !view.closed => {
                    let documented = view.examples.iter().find_map(|example| example.as_object());
                    if let Some(documented) = documented {
                        for (key, value) in documented {
                            object.entry(key.clone()).or_insert_with(|| value.clone());
                        }
                    }
                }
                None => {}
            }
        }
        let min = view.min_properties.unwrap_or(0);
        for (name, definitions) in skipped {
            if object.len() >= min {
                break;
            }
            let value = self.property(run, definitions, depth);
            object.insert(name.clone(), value);
        }
        let mut extra = 1;
        while object.len() < min && !view.closed && extra <= min {
            let value = match &view.additional {
                Some((schema, at)) => self.generate(run, *schema, at, depth + 1),
                None => Value::String("example".to_owned()),
            };
            object.insert(format!("example{extra}"), value);
            extra += 1;
        }
        // `maxProperties`: optional properties go, the last first.
        if let Some(max) = view.max_properties {
            let optional: Vec<String> = object
                .keys()
                .filter(|name| !view.required.contains(name))
                .cloned()
                .collect();
            for name in optional.iter().rev() {
                if object.len() <= max {
                    break;
                }
                object.remove(name);
            }
        }
        Value::Object(object)
    }

    /// A property's value: made from its last definition, or from an earlier one when that
    /// one's value does not fit them all (`allOf` parts, or a union's variant and the
    /// properties beside it, that define the property twice).
    fn property(
        &self,
        run: &mut Run,
        definitions: &[(SchemaRef<'d>, Pointer)],
        depth: usize,
    ) -> Value {
        let mut first = None;
        for (schema, at) in definitions.iter().rev() {
            let mark = run.problems.len();
            let value = self.generate(run, *schema, at, depth + 1);
            let fits_all = definitions.len() == 1
                || definitions
                    .iter()
                    .all(|(schema, at)| self.checker.fits(*schema, at, &value));
            if fits_all {
                if first.is_some() {
                    // The problems kept are the first attempt's; this one has none to add.
                    run.problems.truncate(mark);
                }
                return value;
            }
            if first.is_none() {
                first = Some(value);
            } else {
                run.problems.truncate(mark);
            }
        }
        first.unwrap_or(Value::Null)
    }

    fn all_of(
        &self,
        run: &mut Run,
        schema: &'d Schema,
        k: &Keywords<'d>,
        at: &Pointer,
        depth: usize,
    ) -> Value {
        let view = self.view(k, at, depth);
        // Parts that are not objects: unions (merged into the object) or scalars.
        let mut others: Vec<(SchemaRef<'d>, Pointer)> = Vec::new();
        self.other_parts(k, at, depth, &mut others);
        let objects = k.is_object() || view.at.len() > 1 || !view.properties.is_empty();
        if objects {
            let mut value = self.object(run, &view, depth);
            for (part, part_at) in others {
                let part_value = self.generate(run, part, &part_at, depth + 1);
                merge_missing(&mut value, part_value);
            }
            return value;
        }
        let mut first = None;
        for (part, part_at) in others {
            let mark = run.problems.len();
            let value = self.generate(run, part, &part_at, depth + 1);
            if self.checker.fits(SchemaRef::Inline(schema), at, &value) {
                run.problems.truncate(mark);
                return value;
            }
            if first.is_none() {
                first = Some(value);
            } else {
                run.problems.truncate(mark);
            }
        }
        first.unwrap_or_else(|| Value::Object(Map::new()))
    }

    /// The `allOf` parts (through nested `allOf`s) that are not objects.
    fn other_parts(
        &self,
        k: &Keywords<'d>,
        at: &Pointer,
        depth: usize,
        out: &mut Vec<(SchemaRef<'d>, Pointer)>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for (index, part) in k.all_of.iter().enumerate() {
            let part_at = at.push("allOf").index(index);
            let Ok((schema, resolved_at)) = resolve(&self.resolver, part.into(), &part_at) else {
                continue;
            };
            let pk = Keywords::of(schema);
            if !pk.all_of.is_empty() {
                self.other_parts(&pk, &resolved_at, depth + 1, out);
                if pk.union().is_some() {
                    out.push((SchemaRef::Inline(schema), resolved_at));
                }
            } else if (!pk.is_object() && !describes_only(schema)) || pk.union().is_some() {
                out.push((part.into(), part_at));
            }
        }
    }

    fn union(
        &self,
        run: &mut Run,
        k: &Keywords<'d>,
        variants: &'d [ReferenceOr<Schema>],
        keyword: &str,
        at: &Pointer,
        depth: usize,
    ) -> Value {
        let order = self.order(variants, keyword, at);
        let variant_at = |index: usize| at.push(keyword).index(index);
        let discriminator = k.discriminator();
        // Properties beside the union are the value's too: a variant that only requires
        // some of them (`anyOf: [{required: [a]}, {required: [b]}]`) says which.
        let own = k.properties.is_some() || !k.all_of.is_empty() || !k.required.is_empty();
        let beside = own.then(|| self.view(k, at, depth));
        let mut best: Option<(Value, Vec<Problem>)> = None;
        for index in order {
            let Some(variant) = variants.get(index) else {
                continue;
            };
            let here = variant_at(index);
            let mark = run.problems.len();
            let mut value = match &beside {
                Some(beside) => self.variant_value(run, beside, variant.into(), &here, depth),
                None => self.generate(run, variant.into(), &here, depth + 1),
            };
            if let Some(discriminator) = discriminator {
                self.set_tag(discriminator, variant, &here, &mut value);
            }
            let made: Vec<Problem> = run.problems.drain(mark..).collect();
            // The whole schema: the variant, no other for a `oneOf`, and what is beside.
            if made.is_empty() && self.checker.fits(SchemaRef::Inline(k.schema), at, &value) {
                return value;
            }
            if best.is_none() {
                best = Some((value, made));
            }
        }
        match best {
            Some((value, problems)) => {
                for problem in problems {
                    run.problem(&problem.pointer, problem.message);
                }
                value
            }
            None => Value::Null,
        }
    }

    /// A value for a variant of a union that has properties beside it (`beside`: those of
    /// the union, and of every union it is a variant of): an object variant merged with
    /// them; a variant that is a union itself, each of its own variants so merged in turn,
    /// the first whose value fits it; any other variant's value with them added.
    fn variant_value(
        &self,
        run: &mut Run,
        beside: &View<'d>,
        variant: SchemaRef<'d>,
        here: &Pointer,
        depth: usize,
    ) -> Value {
        if depth > MAX_DEPTH {
            run.problem(
                here,
                format!("unions nest deeper than {MAX_DEPTH} levels: cut here"),
            );
            return Value::Null;
        }
        let (schema, variant_at) = match resolve(&self.resolver, variant, here) {
            Ok(found) => found,
            Err(problem) => {
                run.problems.push(problem);
                return Value::Null;
            }
        };
        let vk = Keywords::of(schema);
        let objecty = vk.is_object() || !vk.all_of.is_empty() || vk.properties.is_some();
        let Some((inner, keyword)) = vk.union() else {
            if objecty {
                let mut view = beside.clone();
                self.merge_into(&mut view, &vk, &variant_at, depth + 1);
                return self.object(run, &view, depth);
            }
            let mut value = self.generate(run, variant, here, depth + 1);
            let own = self.object(run, beside, depth);
            merge_missing(&mut value, own);
            return value;
        };
        let mut view = beside.clone();
        if objecty {
            self.merge_into(&mut view, &vk, &variant_at, depth + 1);
        }
        let mut best: Option<(Value, Vec<Problem>)> = None;
        for index in self.order(inner, keyword, &variant_at) {
            let Some(each) = inner.get(index) else {
                continue;
            };
            let each_at = variant_at.push(keyword).index(index);
            let mark = run.problems.len();
            let mut value = self.variant_value(run, &view, each.into(), &each_at, depth + 1);
            if let Some(discriminator) = vk.discriminator() {
                self.set_tag(discriminator, each, &each_at, &mut value);
            }
            let made: Vec<Problem> = run.problems.drain(mark..).collect();
            if made.is_empty()
                && self
                    .checker
                    .fits(SchemaRef::Inline(schema), &variant_at, &value)
            {
                return value;
            }
            if best.is_none() {
                best = Some((value, made));
            }
        }
        match best {
            Some((value, problems)) => {
                for problem in problems {
                    run.problem(&problem.pointer, problem.message);
                }
                value
            }
            None => Value::Null,
        }
    }

    /// The order in which to try a union's variants: the reader's, then the rest in
    /// document order, variants that only allow `null` left out.
    fn order(
        &self,
        variants: &'d [ReferenceOr<Schema>],
        keyword: &str,
        at: &Pointer,
    ) -> Vec<usize> {
        let count = variants.len();
        let mut order: Vec<usize> = Vec::new();
        for index in self.hints.variant_order(at).unwrap_or_default() {
            if index < count && !order.contains(&index) {
                order.push(index);
            }
        }
        let rest: Vec<usize> = (0..count).filter(|index| !order.contains(index)).collect();
        order.extend(rest);
        order.retain(|index| {
            variants.get(*index).is_some_and(|variant| {
                !resolve(
                    &self.resolver,
                    variant.into(),
                    &at.push(keyword).index(*index),
                )
                .is_ok_and(|(schema, _)| Keywords::of(schema).only_null())
            })
        });
        order
    }

    /// Sets the discriminator property of a variant's value to the variant's tag: the
    /// `mapping` entry naming it, its constant value, or its component's name. A tag the
    /// variant would not accept is not set.
    fn set_tag(
        &self,
        discriminator: &Discriminator,
        variant: &'d ReferenceOr<Schema>,
        at: &Pointer,
        value: &mut Value,
    ) {
        let property = &discriminator.property_name;
        let component = match variant {
            ReferenceOr::Reference { reference } => component_name(reference, "schemas"),
            ReferenceOr::Item(_) => None,
        };
        let mapped = discriminator.mapping.iter().find_map(|(tag, target)| {
            let same = component.is_some() && component_name(target, "schemas") == component;
            same.then(|| tag.clone())
        });
        let tag = match (mapped, value.get(property)) {
            (Some(tag), _) => tag,
            (None, Some(Value::String(_))) => return,
            (None, _) => match component {
                Some(name) => name,
                None => return,
            },
        };
        let Value::Object(object) = value else {
            return;
        };
        let before = object.insert(property.clone(), Value::String(tag));
        if !self.checker.fits(variant.into(), at, value) {
            if let Value::Object(object) = value {
                match before {
                    Some(before) => object.insert(property.clone(), before),
                    None => object.remove(property),
                };
            }
        }
    }

    fn read_only(&self, schema: SchemaRef<'d>, at: &Pointer) -> bool {
        resolve(&self.resolver, schema, at).is_ok_and(|(schema, _)| schema.schema_data.read_only)
    }

    /// Whether a schema refers (directly, or through items, maps and compositions written
    /// in place) to a component being made: a property that would make the value recur.
    fn leads_back(&self, run: &Run, schema: SchemaRef<'d>, at: &Pointer, depth: usize) -> bool {
        if depth > 4 {
            return false;
        }
        match schema {
            SchemaRef::Reference(_) => resolve(&self.resolver, schema, at)
                .is_ok_and(|(_, pointer)| run.stack.contains(&pointer)),
            SchemaRef::Inline(inline) => {
                let k = Keywords::of(inline);
                let parts = k.all_of.iter().chain(k.one_of).chain(k.any_of);
                k.items
                    .is_some_and(|items| self.leads_back(run, items.into(), at, depth + 1))
                    || check::additional_schema(k.additional)
                        .is_some_and(|values| self.leads_back(run, values.into(), at, depth + 1))
                    || parts
                        .into_iter()
                        .any(|part| self.leads_back(run, part.into(), at, depth + 1))
                    || k.properties.is_some_and(|properties| {
                        properties.iter().any(|(name, property)| {
                            k.required.contains(name)
                                && self.leads_back(run, property.into(), at, depth + 1)
                        })
                    })
            }
        }
    }
}

/// Follows `$ref`s: the schema, and where it is written (the component, for a reference).
fn resolve<'d>(
    resolver: &Resolver<'d>,
    schema: SchemaRef<'d>,
    at: &Pointer,
) -> Result<(&'d Schema, Pointer), Problem> {
    match schema {
        SchemaRef::Inline(schema) => Ok((schema, at.clone())),
        SchemaRef::Reference(_) => {
            let resolved = resolver.schema(schema).map_err(|error| Problem {
                pointer: at.clone(),
                message: error.to_string(),
            })?;
            let pointer = resolved
                .component
                .map(|name| Pointer::component("schemas", name))
                .unwrap_or_else(|| at.clone());
            Ok((resolved.item, pointer))
        }
    }
}

/// Values made for a scalar's type, format, pattern and lengths, best first.
fn made(k: &Keywords<'_>) -> Vec<Value> {
    let stringy = k.typ == Some("string")
        || (k.typ.is_none()
            && (k.format.is_some()
                || k.pattern.is_some()
                || k.min_length.is_some()
                || k.max_length.is_some()));
    if stringy {
        return strings(k).into_iter().map(Value::String).collect();
    }
    match k.typ {
        Some("integer") => vec![integer(k)],
        Some("number") => vec![number(k)],
        Some("boolean") => vec![Value::Bool(true)],
        // Untyped, or a type the document makes up (`unknown`): any value will do.
        _ => vec![Value::Object(Map::new())],
    }
}

fn strings(k: &Keywords<'_>) -> Vec<String> {
    let base = match k.format.as_deref() {
        Some("uuid") => "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e",
        Some("date-time") => "2024-01-01T00:00:00Z",
        Some("date") => "2024-01-01",
        Some("time") => "00:00:00Z",
        Some("email") => "user@example.com",
        Some("uri" | "url" | "uri-reference" | "iri" | "iri-reference") => "https://example.com",
        Some("hostname" | "idn-hostname") => "example.com",
        Some("ipv4") => "192.0.2.1",
        Some("ipv6") => "2001:db8::1",
        Some("byte") => "ZXhhbXBsZQ==",
        Some("cidr") => "192.0.2.0/24",
        Some("password") => "password",
        _ => "example",
    };
    let mut made = Vec::new();
    if let Some(pattern) = k.pattern {
        // More repetitions until a string is long enough for `minLength`.
        let extra: Vec<u32> = match k.min_length {
            Some(min) => (1..=min.clamp(3, 256) as u32).collect(),
            None => vec![1, 3],
        };
        made.extend(pattern::samples(pattern, &extra));
    }
    made.push(base.to_owned());
    if k.format.is_none() {
        let mut fitted: String = base.to_owned();
        if let Some(min) = k.min_length {
            while fitted.chars().count() < min {
                fitted.push('x');
            }
        }
        if let Some(max) = k.max_length {
            fitted = fitted.chars().take(max).collect();
        }
        if !made.contains(&fitted) {
            made.push(fitted);
        }
    }
    made
}

fn integer(k: &Keywords<'_>) -> Value {
    let mut low = k.minimum.map(|bound| {
        if bound.exclusive {
            bound.limit.floor() + 1.0
        } else {
            bound.limit.ceil()
        }
    });
    let mut high = k.maximum.map(|bound| {
        if bound.exclusive {
            bound.limit.ceil() - 1.0
        } else {
            bound.limit.floor()
        }
    });
    if k.format.as_deref() == Some("int32") {
        low = Some(low.map_or(i32::MIN as f64, |low| low.max(i32::MIN as f64)));
        high = Some(high.map_or(i32::MAX as f64, |high| high.min(i32::MAX as f64)));
    }
    let mut pick = 1.0f64;
    if let Some(low) = low.filter(|low| pick < *low) {
        pick = low;
    }
    if let Some(high) = high.filter(|high| pick > *high) {
        pick = high;
    }
    if let Some(step) = k.multiple_of.filter(|step| *step >= 1.0) {
        let step = step.round();
        pick = (pick / step).ceil() * step;
        if let Some(high) = high.filter(|high| pick > *high) {
            pick = (high / step).floor() * step;
        }
    }
    Value::from(pick as i64)
}

fn number(k: &Keywords<'_>) -> Value {
    let mut pick = 1.0f64;
    if let Some(bound) = k.minimum {
        if pick < bound.limit || (bound.exclusive && pick <= bound.limit) {
            pick = if bound.exclusive {
                bound.limit + 1.0
            } else {
                bound.limit
            };
        }
    }
    if let Some(bound) = k.maximum {
        if pick > bound.limit || (bound.exclusive && pick >= bound.limit) {
            pick = if bound.exclusive {
                bound.limit - 1.0
            } else {
                bound.limit
            };
            if let Some(low) = k
                .minimum
                .filter(|low| pick < low.limit || (low.exclusive && pick <= low.limit))
            {
                pick = (low.limit + bound.limit) / 2.0;
            }
        }
    }
    if let Some(step) = k.multiple_of.filter(|step| *step > 0.0) {
        pick = (pick / step).ceil() * step;
    }
    if pick.fract() == 0.0 && pick.abs() < 9.0e15 {
        Value::from(pick as i64)
    } else {
        serde_json::Number::from_f64(pick).map_or(Value::from(1), Value::Number)
    }
}

/// A whole float as an integer (`5.0` as `5`), for a reader that wants an integer.
fn whole(value: Value) -> Value {
    match &value {
        Value::Number(number) if !number.is_i64() && !number.is_u64() => match number.as_f64() {
            Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => {
                Value::from(float as i64)
            }
            _ => value,
        },
        _ => value,
    }
}

/// Adds the keys of `from` that `into` lacks, when both are objects.
fn merge_missing(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                into.entry(key).or_insert(value);
            }
        }
        (into @ Value::Null, from) => *into = from,
        _ => {}
    }
}

/// `{}`: any value.
fn is_empty(schema: &ReferenceOr<Schema>) -> bool {
    matches!(schema, ReferenceOr::Item(schema)
        if matches!(&schema.schema_kind, openapiv3::SchemaKind::Any(any) if *any == openapiv3::AnySchema::default()))
}

/// An `allOf` part with no keyword, only a description or `nullable`.
fn describes_only(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, openapiv3::SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
}

#[cfg(test)]
mod tests;
