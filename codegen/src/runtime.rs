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

/// Whether a crate includes a runtime module or dependency, once its spec is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Included {
    /// Nothing in the crate needs it.
    No,
    /// Always compiled.
    Always,
    /// Compiled with any of these product features: those whose operations need it.
    With(Vec<String>),
}

impl Need {
    /// Whether, and with which product features, the crate of `api` includes what this
    /// need is for.
    pub fn included(self, api: &Api) -> Included {
        if self == Need::Always {
            return Included::Always;
        }
        if let Need::Unions = self {
            let unions = api
                .types
                .iter()
                .filter(|def| matches!(def.kind, TypeKind::Union(_)));
            let mut features = Vec::new();
            for def in unions {
                if def.features.is_empty() {
                    return Included::Always;
                }
                features.extend(def.features.iter().cloned());
            }
            return gated(features);
        }
        let needs = |operation: &Operation| match self {
            Need::Pagination => operation.pagination.is_some(),
            Need::Multipart => operation
                .body
                .as_ref()
                .is_some_and(|body| body.format == BodyFormat::Multipart),
            Need::Always | Need::Unions => true,
        };
        let mut features = Vec::new();
        for resource in &api.resources {
            if all_operations(std::slice::from_ref(resource)).any(needs) {
                match &resource.feature {
                    Some(feature) => features.push(feature.clone()),
                    None => return Included::Always,
                }
            }
        }
        gated(features)
    }
}

/// Included with `features`, sorted and without repeats; with none, not at all. Needed by
/// every product is still not needed by a crate built with none.
fn gated(mut features: Vec<String>) -> Included {
    features.sort();
    features.dedup();
    if features.is_empty() {
        Included::No
    } else {
        Included::With(features)
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
        name: "json",
        source: include_str!("../runtime/json.rs"),
        exports: &[],
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

/// The name the runtime's doc examples use for the crate they document: the source is
/// written for `generated/`, and every other crate gets its own name in their place.
const CRATE_IN_EXAMPLES: &str = "cloudflare_risk_scoring";

impl RuntimeModule {
    /// The module's source for the crate `package` (a Cargo package name): its doc
    /// examples name that crate.
    pub fn source_for(&self, package: &str) -> std::borrow::Cow<'static, str> {
        let lib = package.replace('-', "_");
        if lib == CRATE_IN_EXAMPLES {
            std::borrow::Cow::Borrowed(self.source)
        } else {
            std::borrow::Cow::Owned(self.source.replace(CRATE_IN_EXAMPLES, &lib))
        }
    }
}

/// The runtime modules the crate of `api` includes, and with which features.
pub fn modules(api: &Api) -> impl Iterator<Item = (&'static RuntimeModule, Included)> + '_ {
    RUNTIME
        .iter()
        .map(|module| (module, module.needed.included(api)))
        .filter(|(_, included)| *included != Included::No)
}

/// `[dependencies]` of the generated crate: what the runtime and the models use. A
/// dependency that only some products need is optional, and their features enable it.
const DEPENDENCIES: &[(&str, &str, Need)] = &[
    (
        "chrono",
        r#"{ version = "0.4", default-features = false, features = ["serde", "std"] }"#,
        Need::Always,
    ),
    (
        "futures-core",
        r#"{ version = "0.3", default-features = false }"#,
        Need::Pagination,
    ),
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

/// A dependency of the crate of `api`.
pub struct Dependency {
    pub name: &'static str,
    /// The requirement as written in `Cargo.toml`, `optional = true` included when only
    /// some products need it.
    pub requirement: String,
    /// The product features that enable an optional dependency.
    pub enabled_by: Vec<String>,
}

/// The `[dependencies]` the crate of `api` needs.
pub fn dependencies(api: &Api) -> Vec<Dependency> {
    DEPENDENCIES
        .iter()
        .filter_map(|(name, requirement, need)| match need.included(api) {
            Included::No => None,
            Included::Always => Some(Dependency {
                name,
                requirement: (*requirement).to_owned(),
                enabled_by: Vec::new(),
            }),
            Included::With(features) => Some(Dependency {
                name,
                requirement: optional(requirement),
                enabled_by: features,
            }),
        })
        .collect()
}

/// `requirement` with `optional = true`.
fn optional(requirement: &str) -> String {
    match requirement.strip_suffix(" }") {
        Some(table) => format!("{table}, optional = true }}"),
        None => format!("{{ version = {requirement}, optional = true }}"),
    }
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
