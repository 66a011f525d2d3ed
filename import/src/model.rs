//! The spec being written, as the importer builds it: the shape of `spec/README.md`'s format,
//! with types referred to by [`TypeId`] until names are decided at the end.
//!
//! Everything is a `Vec` in the order it will be written, so the output is ordered by
//! construction; the derives of `Eq` and `Hash` let identical inline types be shared.

use openapi::Pointer;

/// An index into [`Types`].
pub type TypeId = usize;

/// A type expression; `Named` refers to an entry of [`Types`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    String,
    Boolean,
    Integer,
    Int32,
    Int64,
    Uint64,
    Number,
    Float,
    Double,
    Uuid,
    DateTime,
    Uri,
    Json,
    Object,
    Binary,
    List(Box<Ty>),
    Map(Box<Ty>),
    Named(TypeId),
}

impl Ty {
    /// Whether this is a scalar a query or header parameter can carry.
    pub fn is_scalar(&self) -> bool {
        !matches!(
            self,
            Ty::Json | Ty::Object | Ty::Binary | Ty::List(_) | Ty::Map(_) | Ty::Named(_)
        )
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeDef {
    pub doc: String,
    pub deprecated: Option<String>,
    pub kind: Kind,
    /// YAML comments written above the type: what the importer decided.
    pub comments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    Object(Object),
    Enum(Vec<EnumValue>),
    Union(Union),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Object {
    pub all_of: Vec<TypeId>,
    pub fields: Vec<(String, Field)>,
    pub additional: Option<Ty>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    pub ty: Ty,
    pub doc: String,
    pub optional: bool,
    pub nullable: bool,
    /// The Rust name, when the one made from the wire name will not do.
    pub name: Option<String>,
    pub deprecated: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Literal {
    String(String),
    Integer(i64),
    Boolean(bool),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumValue {
    pub value: Literal,
    pub doc: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Union {
    pub discriminator: Option<String>,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    pub ty: Ty,
    pub tag: Option<String>,
}

/// Where a type sits, to name it: a component schema, or a place under some base (a
/// component's type or an operation) spelled as name parts (`["Rules", "Item"]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    Component { name: String },
    Inline { base: Base, parts: Vec<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Base {
    /// Inside the type of a component schema.
    Type(TypeId),
    /// Directly in an operation (its body, result or a parameter): the operation's index.
    Operation(usize),
}

/// What one entry of [`Types`] turned out to be.
#[derive(Debug, Clone)]
pub enum State {
    /// Being lowered: met again, it is referred to by name (a recursive type).
    Pending,
    /// A named type.
    Def(TypeDef),
    /// A component that is a type expression (a scalar, a list, a map): written in place of
    /// every reference to it.
    Alias(Ty),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub origin: Origin,
    /// Where it is written in the document.
    pub pointer: Pointer,
    pub state: State,
    /// A component that is `nullable`: references to it are nullable fields.
    pub nullable: bool,
    /// A component's description, for the docs of the fields that refer to it.
    pub doc: Option<String>,
    /// When its lowering started: inline types are written in this order (the document's,
    /// an object before the types inside it), though they are created after their parts.
    pub started: usize,
}

/// Every type the importer met, in the order it met them.
#[derive(Debug, Clone, Default)]
pub struct Types {
    pub entries: Vec<Entry>,
}

impl Types {
    pub fn def(&self, id: TypeId) -> Option<&TypeDef> {
        match self.entries.get(id).map(|entry| &entry.state) {
            Some(State::Def(def)) => Some(def),
            _ => None,
        }
    }

    pub fn object(&self, id: TypeId) -> Option<&Object> {
        match self.def(id).map(|def| &def.kind) {
            Some(Kind::Object(object)) => Some(object),
            _ => None,
        }
    }

    /// The single value of a one-value string enum, the tag of a discriminated variant.
    pub fn constant(&self, ty: &Ty) -> Option<&str> {
        let Ty::Named(id) = ty else { return None };
        match self.def(*id).map(|def| &def.kind) {
            Some(Kind::Enum(values)) => match values.as_slice() {
                [EnumValue {
                    value: Literal::String(value),
                    ..
                }] => Some(value),
                _ => None,
            },
            _ => None,
        }
    }

    /// The fields of an object type, those of its `all_of` members first, as the generator
    /// merges them; bounded so that a (malformed) cycle of members ends.
    pub fn all_fields(&self, id: TypeId) -> Vec<&(String, Field)> {
        let mut fields = Vec::new();
        self.collect_fields(id, &mut fields, 16);
        fields
    }

    fn collect_fields<'t>(&'t self, id: TypeId, out: &mut Vec<&'t (String, Field)>, depth: usize) {
        let (Some(object), Some(depth)) = (self.object(id), depth.checked_sub(1)) else {
            return;
        };
        for member in &object.all_of {
            self.collect_fields(*member, out, depth);
        }
        out.extend(&object.fields);
    }
}

/// A path, query or header parameter.
#[derive(Debug, Clone)]
pub struct Param {
    pub wire: String,
    /// The upstream parameter, as an index into the operation's merged parameters (none
    /// for a path parameter upstream does not declare).
    pub source: Option<usize>,
    pub ty: Ty,
    pub doc: String,
    pub optional: bool,
    pub name: Option<String>,
    pub explode: Option<bool>,
    pub deprecated: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub ty: Ty,
    pub content_type: String,
    pub optional: bool,
    pub doc: Option<String>,
    pub comment: Option<String>,
}

/// How the answer arrives, as the format spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    Envelope,
    PartialEnvelope,
    Json,
    Empty,
    Bytes,
    Text,
}

impl Response {
    pub fn as_str(self) -> &'static str {
        match self {
            Response::Envelope => "envelope",
            Response::PartialEnvelope => "partial_envelope",
            Response::Json => "json",
            Response::Empty => "empty",
            Response::Bytes => "bytes",
            Response::Text => "text",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pagination {
    Page,
    PageItems,
    Cursor,
    CursorAfter,
    CursorLimit,
}

impl Pagination {
    pub fn as_str(self) -> &'static str {
        match self {
            Pagination::Page => "page",
            Pagination::PageItems => "page_items",
            Pagination::Cursor => "cursor",
            Pagination::CursorAfter => "cursor_after",
            Pagination::CursorLimit => "cursor_limit",
        }
    }

    pub fn parse(text: &str) -> Option<Pagination> {
        [
            Pagination::Page,
            Pagination::PageItems,
            Pagination::Cursor,
            Pagination::CursorAfter,
            Pagination::CursorLimit,
        ]
        .into_iter()
        .find(|style| style.as_str() == text)
    }
}

/// One operation, lowered.
#[derive(Debug, Clone)]
pub struct Operation {
    pub operation_id: Option<String>,
    pub summary: String,
    pub doc: String,
    pub deprecated: Option<String>,
    pub method: &'static str,
    pub path: String,
    pub idempotent: Option<bool>,
    pub path_params: Vec<Param>,
    pub query_params: Vec<Param>,
    pub header_params: Vec<Param>,
    pub body: Option<Body>,
    pub response: Response,
    pub result: Option<Ty>,
    pub result_nullable: bool,
    pub result_info: bool,
    pub pagination: Option<Pagination>,
    /// YAML comments written above the operation.
    pub comments: Vec<String>,
}

/// A node of the resource tree.
#[derive(Debug, Clone, Default)]
pub struct Resource {
    pub doc: String,
    /// `(method name, index into the operation list)`.
    pub operations: Vec<(String, usize)>,
    pub resources: Vec<(String, Resource)>,
}

impl Resource {
    pub fn child_mut(&mut self, name: &str) -> &mut Resource {
        let index = match self.resources.iter().position(|(child, _)| child == name) {
            Some(index) => index,
            None => {
                self.resources.push((name.to_owned(), Resource::default()));
                self.resources.len() - 1
            }
        };
        // The index was found or pushed just above.
        &mut self.resources[index].1
    }
}

/// The crate metadata.
#[derive(Debug, Clone)]
pub struct CrateMeta {
    pub name: String,
    pub version: String,
    pub description: String,
    pub license: String,
    pub repository: String,
    pub rust_version: String,
    pub doc: String,
}
