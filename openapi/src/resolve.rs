//! `$ref` resolution into `#/components/…`: never a panic, loops detected, hops bounded.
//!
//! OpenAPI 3.0 ignores the siblings of a `$ref` (Cloudflare writes `type: object` beside
//! some); openapiv3 does the same when it parses, so a reference is all there is to follow.

use std::fmt;

use indexmap::IndexMap;
use openapiv3::{Components, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

use crate::pointer::{unescape, Pointer};

/// How many `$ref` hops one lookup may take before it is called a loop.
pub const MAX_REF_HOPS: usize = 16;

/// Why a `$ref` could not be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// Not a reference into `#/components/{kind}` (another file, another part of the
    /// document, or malformed).
    NotFollowed {
        reference: String,
        kind: &'static str,
    },
    /// A reference into the components that names nothing there.
    Missing { reference: String },
    /// References that lead back to where they started, or a chain longer than
    /// [`MAX_REF_HOPS`].
    TooManyHops { kind: &'static str },
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefError::NotFollowed { reference, kind } => write!(
                f,
                "`$ref: {reference}` is not followed: only references into #/components/{kind} are"
            ),
            RefError::Missing { reference } => write!(f, "`$ref: {reference}` does not resolve"),
            RefError::TooManyHops { kind } => write!(
                f,
                "more than {MAX_REF_HOPS} `$ref` hops in #/components/{kind}: a loop?"
            ),
        }
    }
}

impl std::error::Error for RefError {}

/// Something a `$ref` can point at, and where in `components` those live.
pub trait Component: Sized {
    /// The key under `components` (`schemas`, `parameters`, …).
    const KIND: &'static str;
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

impl Component for Schema {
    const KIND: &'static str = "schemas";
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.schemas
    }
}

impl Component for Parameter {
    const KIND: &'static str = "parameters";
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.parameters
    }
}

impl Component for RequestBody {
    const KIND: &'static str = "requestBodies";
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.request_bodies
    }
}

impl Component for Response {
    const KIND: &'static str = "responses";
    fn table(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.responses
    }
}

/// What a reference led to, and where that is.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'d, T> {
    pub item: &'d T,
    /// The name of the last component followed (`dlp_RiskLevel`), when any was.
    pub component: Option<&'d str>,
}

/// `NAME` from `#/components/{kind}/NAME`, with JSON-pointer escapes undone.
pub fn component_name(reference: &str, kind: &str) -> Option<String> {
    let name = reference
        .strip_prefix("#/components/")?
        .strip_prefix(kind)?
        .strip_prefix('/')?;
    if name.is_empty() || name.contains('/') {
        return None;
    }
    Some(unescape(name))
}

/// A schema or a reference to one, whether it came boxed (properties, items) or not.
#[derive(Debug, Clone, Copy)]
pub enum SchemaRef<'d> {
    Reference(&'d str),
    Inline(&'d Schema),
}

impl<'d> From<&'d ReferenceOr<Schema>> for SchemaRef<'d> {
    fn from(schema: &'d ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Reference(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

impl<'d> From<&'d ReferenceOr<Box<Schema>>> for SchemaRef<'d> {
    fn from(schema: &'d ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Reference(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

/// Looks things up in one document.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'d> {
    components: Option<&'d Components>,
}

impl<'d> Resolver<'d> {
    pub fn new(doc: &'d OpenAPI) -> Resolver<'d> {
        Resolver {
            components: doc.components.as_ref(),
        }
    }

    pub fn components(&self) -> Option<&'d Components> {
        self.components
    }

    /// Follows `item` through `$ref`s to what it finally is.
    pub fn resolve<T: Component>(
        &self,
        item: &'d ReferenceOr<T>,
    ) -> Result<Resolved<'d, T>, RefError> {
        let mut item = item;
        let mut component = None;
        for _ in 0..MAX_REF_HOPS {
            let reference = match item {
                ReferenceOr::Item(item) => return Ok(Resolved { item, component }),
                ReferenceOr::Reference { reference } => reference,
            };
            let (name, target) = self.lookup::<T>(reference)?;
            component = Some(name);
            item = target;
        }
        Err(RefError::TooManyHops { kind: T::KIND })
    }

    /// The component a reference names, one hop: its name as the document spells it and
    /// what is written there (which may be another reference).
    pub fn lookup<T: Component>(
        &self,
        reference: &str,
    ) -> Result<(&'d str, &'d ReferenceOr<T>), RefError> {
        let name = component_name(reference, T::KIND).ok_or_else(|| RefError::NotFollowed {
            reference: reference.to_owned(),
            kind: T::KIND,
        })?;
        self.components
            .and_then(|components| T::table(components).get_key_value(&name))
            .map(|(name, target)| (name.as_str(), target))
            .ok_or_else(|| RefError::Missing {
                reference: reference.to_owned(),
            })
    }

    /// Follows a schema through `$ref`s.
    pub fn schema(&self, schema: SchemaRef<'d>) -> Result<Resolved<'d, Schema>, RefError> {
        match schema {
            SchemaRef::Inline(item) => Ok(Resolved {
                item,
                component: None,
            }),
            SchemaRef::Reference(reference) => {
                let (name, target) = self.lookup::<Schema>(reference)?;
                let resolved = self.resolve(target)?;
                Ok(Resolved {
                    item: resolved.item,
                    component: resolved.component.or(Some(name)),
                })
            }
        }
    }

    /// Where a schema reference points, for messages: the component's pointer, or `at`
    /// for an inline schema.
    pub fn pointer_of(schema: SchemaRef<'_>, at: &Pointer) -> Pointer {
        match schema {
            SchemaRef::Reference(reference) => {
                Pointer::from_reference(reference).unwrap_or_else(|| at.clone())
            }
            SchemaRef::Inline(_) => at.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(yaml: &str) -> OpenAPI {
        crate::parse(yaml).unwrap()
    }

    const LOOPS: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  parameters:
    A: {$ref: '#/components/parameters/B'}
    B: {$ref: '#/components/parameters/A'}
    C: {name: c, in: query, schema: {type: string}}
    D: {$ref: '#/components/parameters/C'}
  schemas:
    S: {$ref: '#/components/schemas/T'}
    T: {type: string}
    a~b/c: {type: integer}
";

    #[test]
    fn follows_chains_and_stops_at_loops() {
        let doc = doc(LOOPS);
        let resolver = Resolver::new(&doc);
        let reference = |name: &str| ReferenceOr::<Parameter>::Reference {
            reference: format!("#/components/parameters/{name}"),
        };
        let d = reference("D");
        let found = resolver.resolve(&d).unwrap();
        assert_eq!(found.component, Some("C"));
        let (a, z) = (reference("A"), reference("Z"));
        assert_eq!(
            resolver.resolve(&a).map(|_| ()),
            Err(RefError::TooManyHops { kind: "parameters" })
        );
        assert_eq!(
            resolver.resolve(&z).unwrap_err().to_string(),
            "`$ref: #/components/parameters/Z` does not resolve"
        );
        let external = ReferenceOr::<Parameter>::Reference {
            reference: "other.yaml#/P".to_owned(),
        };
        assert!(matches!(
            resolver.resolve(&external),
            Err(RefError::NotFollowed { .. })
        ));
    }

    #[test]
    fn schema_references_name_the_last_component_and_unescape_names() {
        let doc = doc(LOOPS);
        let resolver = Resolver::new(&doc);
        let found = resolver
            .schema(SchemaRef::Reference("#/components/schemas/S"))
            .unwrap();
        assert_eq!(found.component, Some("T"));
        let escaped = resolver
            .schema(SchemaRef::Reference("#/components/schemas/a~0b~1c"))
            .unwrap();
        assert_eq!(escaped.component, Some("a~b/c"));
    }
}
