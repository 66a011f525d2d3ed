//! The lowered form of a spec: what the emitter needs and nothing else.
//!
//! Every name here is final Rust (converted, escaped, de-duplicated), so the emitter never
//! decides a name; it only arranges tokens.

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
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Object(Object),
    Enum(Enum),
}

#[derive(Debug, Clone)]
pub struct Object {
    pub fields: Vec<Field>,
    /// Name of the field that keeps JSON keys the spec does not know.
    pub extra_field: String,
    /// Whether the type is (part of) a request body, so callers need a constructor.
    pub constructible: bool,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub wire_name: String,
    pub name: String,
    pub doc: String,
    pub ty: Type,
    pub optional: bool,
    pub nullable: bool,
}

impl Field {
    /// Optional and nullable fields are `Option<T>` in Rust.
    pub fn is_option(&self) -> bool {
        self.optional || self.nullable
    }
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub variants: Vec<Variant>,
    /// Name of the variant holding values the spec does not list.
    pub unknown_variant: String,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub wire_value: String,
    pub name: String,
    pub doc: String,
}

/// A Rust type for a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    String,
    Bool,
    I64,
    F64,
    Uuid,
    DateTime,
    Json,
    JsonObject,
    List(Box<Type>),
    Map(Box<Type>),
    /// A type of the `types` module, by its Rust name.
    Named(String),
}

/// A resource handle: a module, a struct, its operations and children.
#[derive(Debug, Clone)]
pub struct Resource {
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
    pub operation_id: String,
    pub summary: String,
    pub doc: String,
    pub http_method: &'static str,
    pub path_template: String,
    pub path: Vec<PathPart>,
    pub path_params: Vec<Param>,
    pub query_params: Vec<QueryParam>,
    /// The Rust name of the body argument and its type.
    pub body: Option<(String, String)>,
    pub result: Type,
    pub result_nullable: bool,
    pub result_info: bool,
    pub idempotent: bool,
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

#[derive(Debug, Clone)]
pub struct QueryParam {
    pub wire_name: String,
    pub name: String,
    pub doc: String,
    pub ty: Type,
    pub optional: bool,
}
