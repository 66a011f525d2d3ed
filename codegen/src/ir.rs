//! The lowered form of a spec: what the emitter needs and nothing else.
//!
//! Every name here is final Rust (converted, escaped, de-duplicated), every composition is
//! merged and every recursion is boxed, so the emitter never decides anything; it only
//! arranges tokens.

/// The cargo feature of a crate of several products that turns them all on; types no
/// operation uses are compiled with it alone.
pub const FULL_FEATURE: &str = "full";

/// A whole client crate.
#[derive(Debug, Clone)]
pub struct Api {
    /// How the spec is named in generated headers (`spec/risk_scoring.yaml`).
    pub spec_name: String,
    pub krate: Crate,
    pub base_url: String,
    pub types: Vec<TypeDef>,
    /// Top-level resources (children of the client).
    pub resources: Vec<Resource>,
    /// The cargo features that select products, one per top-level resource, when there is
    /// more than one; empty for a crate of one product, which has none.
    pub features: Vec<String>,
    /// Where each type is in `types`, by its Rust name.
    pub type_index: std::collections::BTreeMap<String, usize>,
}

impl Api {
    /// The type called `name`.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.type_index
            .get(name)
            .and_then(|&index| self.types.get(index))
    }
}

/// Metadata of the generated crate.
#[derive(Debug, Clone)]
pub struct Crate {
    pub name: String,
    pub version: String,
    pub description: String,
    pub license: String,
    pub repository: String,
    pub rust_version: String,
    pub doc: String,
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub doc: String,
    pub deprecated: Option<String>,
    pub kind: TypeKind,
    /// The product features of which any one compiles this type: those whose operations
    /// use it, directly or through other types. Empty: always compiled.
    pub features: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Object(Object),
    Enum(Enum),
    Union(Union),
}

#[derive(Debug, Clone)]
pub struct Object {
    /// Its own fields and those of its `all_of` members, merged.
    pub fields: Vec<Field>,
    /// Name of the field that keeps the keys that are not fields.
    pub extra_field: String,
    /// The type of those keys' values: `None` for any JSON.
    pub extra_type: Option<Type>,
    /// Whether the type is (part of) a request body, so callers need a constructor.
    pub constructible: bool,
    /// Whether it is sent as a `multipart/form-data` body, so it has parts.
    pub multipart: bool,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub wire_name: String,
    pub name: String,
    pub doc: String,
    pub ty: Type,
    pub optional: bool,
    pub nullable: bool,
    /// Held in a `Box`: the type contains itself through this field.
    pub boxed: bool,
    /// The field's type is an enum of one value, which a constructor fills in.
    pub constant: bool,
    pub deprecated: Option<String>,
}

impl Field {
    /// Optional and nullable fields are `Option<T>` in Rust.
    pub fn is_option(&self) -> bool {
        self.optional || self.nullable
    }
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub repr: EnumRepr,
    pub variants: Vec<Variant>,
    /// Name of the variant holding values the spec does not list.
    pub unknown_variant: String,
}

impl Enum {
    /// An enum of one value: a constant that callers never have to give.
    pub fn is_constant(&self) -> bool {
        self.variants.len() == 1
    }
}

/// What an enum's values are on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    String,
    Integer,
    Boolean,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub wire_value: WireValue,
    pub name: String,
    pub doc: String,
}

/// An enum value as it appears in JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireValue {
    String(String),
    Integer(i64),
    Boolean(bool),
}

#[derive(Debug, Clone)]
pub struct Union {
    /// The property that names the variant, for a discriminated union.
    pub discriminator: Option<String>,
    pub variants: Vec<UnionVariant>,
    /// Name of the variant holding what matches no other.
    pub other_variant: String,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub name: String,
    pub doc: String,
    pub ty: Type,
    /// The discriminator's value for this variant.
    pub tag: Option<String>,
    pub boxed: bool,
}

/// A Rust type for a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    String,
    Bool,
    I32,
    I64,
    U64,
    F32,
    F64,
    Uuid,
    DateTime,
    Json,
    JsonObject,
    /// Raw bytes: the runtime's `Upload` in a multipart body.
    Binary,
    List(Box<Type>),
    Map(Box<Type>),
    /// A type of the `types` module, by its Rust name.
    Named(String),
}

/// A resource handle: a module, a struct, its operations and children.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The cargo feature that compiles it, for a top-level resource of a crate of several.
    pub feature: Option<String>,
    /// Module name and accessor method name.
    pub module: String,
    /// Handle struct name.
    pub handle: String,
    pub doc: String,
    pub operations: Vec<Operation>,
    pub children: Vec<Resource>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The method name on the handle.
    pub method_name: String,
    /// Dotted path used in errors and traces: `zero_trust.risk_scoring.integrations.create`.
    pub qualified_name: String,
    pub operation_id: Option<String>,
    pub summary: String,
    pub doc: String,
    pub deprecated: Option<String>,
    pub http_method: &'static str,
    pub path_template: String,
    pub path: Vec<PathPart>,
    pub path_params: Vec<Param>,
    pub query_params: Vec<ValueParam>,
    pub header_params: Vec<ValueParam>,
    pub body: Option<Body>,
    pub response: Response,
    /// What the call returns; `None` for nothing.
    pub result: Option<Type>,
    pub result_nullable: bool,
    pub result_info: bool,
    pub pagination: Option<Pagination>,
    pub idempotent: bool,
    /// The type that marks this operation's requests, when it has optional parameters to
    /// set on them (or pages to follow).
    pub marker: Option<String>,
}

impl Operation {
    /// The parameters given to the method: path parameters, then the required query and
    /// header parameters.
    pub fn required_params(&self) -> impl Iterator<Item = &ValueParam> {
        self.query_params
            .iter()
            .chain(&self.header_params)
            .filter(|param| !param.optional)
    }

    /// The parameters set on the request.
    pub fn optional_params(&self) -> impl Iterator<Item = &ValueParam> {
        self.query_params
            .iter()
            .chain(&self.header_params)
            .filter(|param| param.optional)
    }
}

#[derive(Debug, Clone)]
pub enum PathPart {
    Literal(String),
    /// Index into `Operation::path_params`.
    Param(usize),
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire_name: String,
    pub name: String,
    pub doc: String,
    /// `uuid` params say so in their docs; both are `&str`.
    pub is_uuid: bool,
}

/// Where a [`ValueParam`] is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Query,
    Header,
}

/// A query or header parameter.
#[derive(Debug, Clone)]
pub struct ValueParam {
    pub location: ParamLocation,
    pub wire_name: String,
    pub name: String,
    pub doc: String,
    pub ty: Type,
    pub optional: bool,
    /// For lists in the query: repeat the name (`true`) or join with commas.
    pub explode: bool,
    pub deprecated: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Body {
    /// The method argument's name.
    pub argument: String,
    pub ty: Type,
    pub format: BodyFormat,
    pub content_type: String,
    pub optional: bool,
    pub doc: Option<String>,
}

pub use crate::spec::BodyFormat;

/// How the answer is read.
pub use crate::spec::ResponseKind as Response;

#[derive(Debug, Clone)]
pub struct Pagination {
    pub style: crate::spec::Pagination,
    /// The type of one item.
    pub item: Type,
    /// For items inside the result (`result.items`): the Rust name of the field.
    pub items_field: Option<String>,
}
