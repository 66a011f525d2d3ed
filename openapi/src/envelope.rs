//! The success response of an operation, and Cloudflare's envelope inside it:
//! `{success, errors, messages, result, result_info}`, usually written as an `allOf` of a
//! shared `api-response-common`-like schema and an object giving `result`.

use indexmap::IndexMap;
use openapiv3::{MediaType, ReferenceOr, Response, Schema, SchemaKind, StatusCode, Type};

use crate::operations::Operation;
use crate::pointer::Pointer;
use crate::resolve::{RefError, Resolved, Resolver, SchemaRef};

/// How deep `allOf`s (and the `$ref`s between them) may nest while looking for the
/// envelope's fields.
const MAX_ENVELOPE_DEPTH: usize = 32;

/// The response an operation answers with when it succeeds.
#[derive(Debug, Clone)]
pub struct Success<'d> {
    /// As written: `200`, `204`, `2XX`.
    pub status: String,
    /// `#/paths/…/get/responses/200`.
    pub pointer: Pointer,
    /// The response after `$ref`s, or why it could not be followed.
    pub response: Result<&'d Response, RefError>,
    /// Where the response is written: `pointer`, or the `#/components/responses` entry it
    /// refers to.
    pub response_pointer: Pointer,
    /// The other 2XX responses, which the chosen one wins over.
    pub others: Vec<String>,
}

impl<'d> Success<'d> {
    /// The media types of the response, in document order, with their pointers.
    pub fn content(&self) -> Vec<Content<'d>> {
        let Ok(response) = self.response else {
            return Vec::new();
        };
        let at = self.response_pointer.push("content");
        response
            .content
            .iter()
            .map(|(media_type, content)| Content {
                media_type,
                content,
                pointer: at.push(media_type),
            })
            .collect()
    }
}

/// One media type of a body or response.
#[derive(Debug, Clone)]
pub struct Content<'d> {
    pub media_type: &'d str,
    pub content: &'d MediaType,
    pub pointer: Pointer,
}

impl<'d> Content<'d> {
    /// The media type without parameters, lower case: `application/json`.
    pub fn essence(&self) -> String {
        essence(self.media_type)
    }

    /// `application/json` or a `…+json` type.
    pub fn is_json(&self) -> bool {
        is_json(self.media_type)
    }

    pub fn schema(&self) -> Option<SchemaRef<'d>> {
        self.content.schema.as_ref().map(SchemaRef::from)
    }
}

/// A media type without its parameters, in lower case.
pub fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// `application/json` or a `…+json` type.
pub fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// The success response of `operation`: the lowest `2xx` code, else the `2XX` range.
/// `None` when the operation has no 2XX response at all.
pub fn success<'d>(resolver: &Resolver<'d>, operation: &Operation<'d>) -> Option<Success<'d>> {
    let mut successes: Vec<(u16, &StatusCode, &'d ReferenceOr<Response>)> = operation
        .operation
        .responses
        .responses
        .iter()
        .filter_map(|(status, response)| match status {
            StatusCode::Code(code @ 200..=299) => Some((*code, status, response)),
            StatusCode::Range(2) => Some((300, status, response)),
            _ => None,
        })
        .collect();
    successes.sort_by_key(|(rank, ..)| *rank);
    let mut successes = successes.into_iter();
    let (_, status, response) = successes.next()?;
    let status = status.to_string();
    let pointer = operation.pointer.push("responses").push(&status);
    let resolved = resolver.resolve(response);
    let response_pointer = match &resolved {
        Ok(Resolved {
            component: Some(name),
            ..
        }) => Pointer::component("responses", name),
        _ => pointer.clone(),
    };
    Some(Success {
        pointer,
        response_pointer,
        status,
        response: resolved.map(|resolved| resolved.item),
        others: successes.map(|(_, status, _)| status.to_string()).collect(),
    })
}

/// A field of the envelope: its schema and where that is written.
#[derive(Debug, Clone, Copy)]
pub struct EnvelopeField<'d> {
    pub schema: SchemaRef<'d>,
    pub required: bool,
}

/// Cloudflare's envelope, taken apart.
#[derive(Debug, Clone)]
pub struct Envelope<'d> {
    /// Whether `success` is in `required`: when it is not, its absence means success
    /// (a "partial" envelope).
    pub success_required: bool,
    /// The `result` schema; `None` when the envelope has no `result` at all.
    pub result: Option<(EnvelopeField<'d>, Pointer)>,
    /// The `result_info` schema, when the envelope has one.
    pub result_info: Option<(EnvelopeField<'d>, Pointer)>,
    /// Names the envelope's `required` lists give twice.
    pub repeated_required: Vec<(&'d str, Pointer)>,
}

/// The properties of an object schema, its `allOf` parts' included, as one map: for each name
/// the last definition (an operation's own part comes after the shared one it refines), and
/// whether any part requires it.
#[derive(Debug, Clone, Default)]
pub struct Properties<'d> {
    pub fields: IndexMap<&'d str, (SchemaRef<'d>, Pointer)>,
    pub required: Vec<&'d str>,
    /// Names a `required` list gives twice (a common defect), where the repeat is.
    pub repeated_required: Vec<(&'d str, Pointer)>,
}

impl<'d> Properties<'d> {
    /// Collects the properties of `schema` at `at`, through `$ref`s and `allOf`s.
    pub fn of(resolver: &Resolver<'d>, schema: SchemaRef<'d>, at: &Pointer) -> Properties<'d> {
        let mut properties = Properties::default();
        properties.collect(resolver, schema, at, MAX_ENVELOPE_DEPTH);
        properties
    }

    fn collect(
        &mut self,
        resolver: &Resolver<'d>,
        schema: SchemaRef<'d>,
        at: &Pointer,
        depth: usize,
    ) {
        let Some(depth) = depth.checked_sub(1) else {
            return;
        };
        let at = Resolver::pointer_of(schema, at);
        let Ok(resolved) = resolver.schema(schema) else {
            return;
        };
        let schema: &'d Schema = resolved.item;
        let (properties, required, all_of): (_, &'d [String], &'d [ReferenceOr<Schema>]) =
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => {
                    (Some(&object.properties), &object.required, &[])
                }
                SchemaKind::AllOf { all_of } => (None, &[], all_of),
                SchemaKind::Any(any) => (Some(&any.properties), &any.required, &any.all_of),
                _ => return,
            };
        for (index, part) in all_of.iter().enumerate() {
            self.collect(resolver, part.into(), &at.push("allOf").index(index), depth);
        }
        if let Some(properties) = properties {
            let at = at.push("properties");
            for (name, property) in properties {
                self.fields
                    .insert(name, (SchemaRef::from(property), at.push(name)));
            }
        }
        for (index, name) in required.iter().enumerate() {
            if required
                .get(..index)
                .is_some_and(|before| before.contains(name))
            {
                self.repeated_required
                    .push((name, at.push("required").index(index)));
            } else if !self.required.contains(&name.as_str()) {
                self.required.push(name);
            }
        }
    }

    pub fn is_required(&self, name: &str) -> bool {
        self.required.contains(&name)
    }

    fn field(&self, name: &str) -> Option<(EnvelopeField<'d>, Pointer)> {
        self.fields.get(name).map(|(schema, pointer)| {
            (
                EnvelopeField {
                    schema: *schema,
                    required: self.is_required(name),
                },
                pointer.clone(),
            )
        })
    }
}

impl<'d> Envelope<'d> {
    /// Cloudflare's envelope in `schema`, or `None` when `schema` is not one: an envelope is
    /// an object with `success` (430 of the whole API's success responses have `success` and
    /// `result` without `errors` and `messages`), or with `result` beside `errors` or
    /// `messages`.
    pub fn of(resolver: &Resolver<'d>, schema: SchemaRef<'d>, at: &Pointer) -> Option<Self> {
        let properties = Properties::of(resolver, schema, at);
        let fields = &properties.fields;
        let reports = fields.contains_key("errors") || fields.contains_key("messages");
        let is_envelope =
            fields.contains_key("success") || (fields.contains_key("result") && reports);
        is_envelope.then(|| Envelope {
            success_required: properties.is_required("success"),
            result: properties.field("result"),
            result_info: properties.field("result_info"),
            repeated_required: properties.repeated_required.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      responses:
        '4XX': {description: failure}
        '2XX': {description: range}
        '202': {$ref: '#/components/responses/Listed'}
        '201': {description: created}
components:
  responses:
    Listed:
      description: listed
      content:
        application/json:
          schema:
            allOf:
              - {$ref: '#/components/schemas/collection'}
              - properties: {result: {type: array, items: {type: string}}}
  schemas:
    common:
      type: object
      required: [success, errors, messages]
      properties:
        success: {type: boolean}
        errors: {type: array, items: {}}
        messages: {type: array, items: {}}
        result: {type: object}
    collection:
      allOf:
        - {$ref: '#/components/schemas/common'}
        - properties: {result_info: {type: object}}
"##;

    #[test]
    fn the_lowest_2xx_code_wins_and_the_envelope_is_taken_apart() {
        let doc = crate::parse(DOC).unwrap();
        let resolver = Resolver::new(&doc);
        let found = crate::operations(&doc);
        let operation = &found.operations[0];
        let success = success(&resolver, operation).unwrap();
        assert_eq!(success.status, "201");
        assert_eq!(success.others, ["202", "2XX"]);
        assert_eq!(
            success.pointer.as_str(),
            "#/paths/~1things/get/responses/201"
        );
        assert!(success.content().is_empty());

        let inline = |yaml: &str| -> Schema { serde_yaml::from_str(yaml).unwrap() };
        let bare = inline("{type: object, properties: {success: {type: boolean}, result: {}}}");
        let bare = Envelope::of(&resolver, SchemaRef::Inline(&bare), &Pointer::root()).unwrap();
        assert!(!bare.success_required && bare.result.is_some() && bare.result_info.is_none());
        let plain = inline("{type: object, properties: {result: {}, count: {type: integer}}}");
        assert!(Envelope::of(&resolver, SchemaRef::Inline(&plain), &Pointer::root()).is_none());

        let listed = &doc.components.as_ref().unwrap().responses["Listed"];
        let ReferenceOr::Item(listed) = listed else {
            panic!()
        };
        let schema = listed.content["application/json"].schema.as_ref().unwrap();
        let at = Pointer::component("responses", "Listed");
        let envelope = Envelope::of(&resolver, schema.into(), &at).unwrap();
        assert!(envelope.success_required);
        let (result, result_at) = envelope.result.unwrap();
        // The operation's own part refines the shared one's `result`.
        assert!(matches!(result.schema, SchemaRef::Inline(schema)
            if matches!(schema.schema_kind, SchemaKind::Type(Type::Array(_)))));
        assert_eq!(
            result_at.as_str(),
            "#/components/responses/Listed/allOf/1/properties/result"
        );
        let (_, info_at) = envelope.result_info.unwrap();
        assert_eq!(
            info_at.as_str(),
            "#/components/schemas/collection/allOf/1/properties/result_info"
        );
    }
}
