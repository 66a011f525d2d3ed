//! The hand-written part of the generated crate.
//!
//! Its source lives in `codegen/runtime/` (so it is reviewed and tested like any code) and
//! is copied verbatim into the generated crate, which keeps `generated/` fully reproducible
//! from `codegen/` and `spec/`.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::ir::{Api, BodyFormat, Operation, Resource, TypeKind};

/// A runtime module: its name in the generated crate, its source, what `lib.rs` re-exports
/// from it, and which crates need it.
pub struct RuntimeModule {
    pub name: &'static str,
    pub source: &'static str,
    pub exports: &'static [&'static str],
    pub needed: Need,
}

/// Which generated crates include a runtime module or dependency: every crate, or only
/// those whose spec uses what it is for, so that a crate carries no code it cannot call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Always,
    /// Operations whose results come in pages.
    Pagination,
    /// Request bodies sent as `multipart/form-data`.
    Multipart,
    /// Union types.
    Unions,
}

impl Need {
    fn met_by(self, api: &Api) -> bool {
        let operations = || all_operations(&api.resources);
        match self {
            Need::Always => true,
            Need::Pagination => operations().any(|op| op.pagination.is_some()),
            Need::Multipart => operations().any(|op| {
                op.body
                    .as_ref()
                    .is_some_and(|body| body.format == BodyFormat::Multipart)
            }),
            Need::Unions => api
                .types
                .iter()
                .any(|def| matches!(def.kind, TypeKind::Union(_))),
        }
    }
}

fn all_operations(resources: &[Resource]) -> Box<dyn Iterator<Item = &Operation> + '_> {
    Box::new(resources.iter().flat_map(|resource| {
        resource
            .operations
            .iter()
            .chain(all_operations(&resource.children))
    }))
}

/// Every module of the runtime, in the order `lib.rs` declares them.
pub const RUNTIME: &[RuntimeModule] = &[
    RuntimeModule {
        name: "client",
        source: include_str!("../runtime/client.rs"),
        exports: &["Client", "ClientBuilder"],
        needed: Need::Always,
    },
    RuntimeModule {
        name: "error",
        source: include_str!("../runtime/error.rs"),
        exports: &[
            "ApiError",
            "ApiMessage",
            "Error",
            "MessageSource",
            "TimeoutPhase",
        ],
        needed: Need::Always,
    },
    RuntimeModule {
        name: "multipart",
        source: include_str!("../runtime/multipart.rs"),
        exports: &["Upload"],
        needed: Need::Multipart,
    },
    RuntimeModule {
        name: "pagination",
        source: include_str!("../runtime/pagination.rs"),
        exports: &["Items", "PageStyle", "Pages", "Paginated"],
        needed: Need::Pagination,
    },
    RuntimeModule {
        name: "request",
        source: include_str!("../runtime/request.rs"),
        exports: &["Request"],
        needed: Need::Always,
    },
    RuntimeModule {
        name: "response",
        source: include_str!("../runtime/response.rs"),
        exports: &["Binary", "Cursors", "Response", "ResultInfo", "Text"],
        needed: Need::Always,
    },
    RuntimeModule {
        name: "retry",
        source: include_str!("../runtime/retry.rs"),
        exports: &["RetryPolicy"],
        needed: Need::Always,
    },
    RuntimeModule {
        name: "union",
        source: include_str!("../runtime/union.rs"),
        exports: &["Unmatched"],
        needed: Need::Unions,
    },
];

/// The runtime modules the crate of `api` includes.
pub fn modules(api: &Api) -> impl Iterator<Item = &'static RuntimeModule> + '_ {
    RUNTIME.iter().filter(|module| module.needed.met_by(api))
}

/// `[dependencies]` of the generated crate: what the runtime and the models use.
const DEPENDENCIES: &[(&str, &str, Need)] = &[
    (
        "chrono",
        r#"{ version = "0.4", default-features = false, features = ["serde", "std"] }"#,
        Need::Always,
    ),
    ("futures-core", r#""0.3""#, Need::Pagination),
    ("httpdate", r#""1""#, Need::Always),
    ("percent-encoding", r#""2""#, Need::Always),
    (
        "reqwest",
        r#"{ version = "0.12", default-features = false, features = ["rustls-tls"] }"#,
        Need::Always,
    ),
    (
        "serde",
        r#"{ version = "1", features = ["derive"] }"#,
        Need::Always,
    ),
    (
        "serde_json",
        r#"{ version = "1", features = ["raw_value"] }"#,
        Need::Always,
    ),
    ("serde_path_to_error", r#""0.1""#, Need::Always),
    (
        "tokio",
        r#"{ version = "1", features = ["time"] }"#,
        Need::Always,
    ),
    (
        "tracing",
        r#"{ version = "0.1", optional = true }"#,
        Need::Always,
    ),
    (
        "uuid",
        r#"{ version = "1", features = ["serde"] }"#,
        Need::Always,
    ),
];

/// The `[dependencies]` the crate of `api` needs, as `(name, requirement)`.
pub fn dependencies(api: &Api) -> Vec<(&'static str, &'static str)> {
    DEPENDENCIES
        .iter()
        .filter(|(_, _, need)| need.met_by(api))
        .map(|(name, requirement, _)| (*name, *requirement))
        .collect()
}

/// `[features]` of the generated crate.
pub const FEATURES: &[(&str, &str)] = &[("tracing", r#"["dep:tracing"]"#)];

/// `[dev-dependencies]`: what the examples need.
pub const DEV_DEPENDENCIES: &[(&str, &str)] = &[(
    "tokio",
    r#"{ version = "1", features = ["macros", "rt-multi-thread", "time"] }"#,
)];

/// The methods the runtime's `Client` defines, which top-level resources cannot be named.
pub fn client_methods() -> &'static BTreeSet<String> {
    static METHODS: OnceLock<BTreeSet<String>> = OnceLock::new();
    METHODS.get_or_init(|| inherent_methods("client", "Client"))
}

/// The methods the runtime's `Request` defines, which the setters of optional parameters
/// cannot be named.
pub fn request_methods() -> &'static BTreeSet<String> {
    static METHODS: OnceLock<BTreeSet<String>> = OnceLock::new();
    METHODS.get_or_init(|| {
        let mut methods = inherent_methods("request", "Request");
        methods.extend(inherent_methods("pagination", "Request"));
        methods
    })
}

/// Names of the methods of the inherent `impl` blocks of `type_name` in the runtime module
/// `module`, read from its source so the list cannot fall behind it. Should the source ever
/// fail to parse, nothing is reserved: a clash would then surface when the generated crate
/// is compiled.
fn inherent_methods(module: &str, type_name: &str) -> BTreeSet<String> {
    let Some(file) = RUNTIME
        .iter()
        .find(|runtime| runtime.name == module)
        .and_then(|runtime| syn::parse_file(runtime.source).ok())
    else {
        return BTreeSet::new();
    };
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() => Some(block),
            _ => None,
        })
        .filter(|block| {
            matches!(&*block.self_ty, syn::Type::Path(ty)
                if ty.path.segments.last().is_some_and(|last| last.ident == type_name))
        })
        .flat_map(|block| &block.items)
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method) => Some(method.sig.ident.to_string()),
            _ => None,
        })
        .collect()
}
