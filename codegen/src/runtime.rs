//! The hand-written part of the generated crate.
//!
//! Its source lives in `codegen/runtime/` (so it is reviewed and tested like any code) and
//! is copied verbatim into the generated crate, which keeps `generated/` fully reproducible
//! from `codegen/` and `spec/`.

/// A runtime module: its name in the generated crate, its source, and what `lib.rs`
/// re-exports from it.
pub struct RuntimeModule {
    pub name: &'static str,
    pub source: &'static str,
    pub exports: &'static [&'static str],
}

pub const RUNTIME: &[RuntimeModule] = &[
    RuntimeModule {
        name: "client",
        source: include_str!("../runtime/client.rs"),
        exports: &["Client", "ClientBuilder"],
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
    },
    RuntimeModule {
        name: "request",
        source: include_str!("../runtime/request.rs"),
        exports: &["Request"],
    },
    RuntimeModule {
        name: "response",
        source: include_str!("../runtime/response.rs"),
        exports: &["Response", "ResultInfo"],
    },
    RuntimeModule {
        name: "retry",
        source: include_str!("../runtime/retry.rs"),
        exports: &["RetryPolicy"],
    },
];

/// `[dependencies]` of the generated crate: what the runtime and the models use.
pub const DEPENDENCIES: &[(&str, &str)] = &[
    (
        "chrono",
        r#"{ version = "0.4", default-features = false, features = ["serde", "std"] }"#,
    ),
    ("httpdate", r#""1""#),
    ("percent-encoding", r#""2""#),
    (
        "reqwest",
        r#"{ version = "0.12", default-features = false, features = ["rustls-tls"] }"#,
    ),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    (
        "serde_json",
        r#"{ version = "1", features = ["raw_value"] }"#,
    ),
    ("serde_path_to_error", r#""0.1""#),
    ("tokio", r#"{ version = "1", features = ["time"] }"#),
    ("tracing", r#"{ version = "0.1", optional = true }"#),
    ("uuid", r#"{ version = "1", features = ["serde"] }"#),
];

/// `[features]` of the generated crate.
pub const FEATURES: &[(&str, &str)] = &[("tracing", r#"["dep:tracing"]"#)];

/// `[dev-dependencies]`: what the examples need.
pub const DEV_DEPENDENCIES: &[(&str, &str)] = &[(
    "tokio",
    r#"{ version = "1", features = ["macros", "rt-multi-thread", "time"] }"#,
)];
