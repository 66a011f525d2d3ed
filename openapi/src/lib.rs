//! One reading of Cloudflare's OpenAPI 3.0 documents, shared by the drift check and the
//! importer so that both read a document the same way.
//!
//! - [`parse`]: JSON or YAML text into `openapiv3`'s model, OpenAPI 3.0 only, with errors
//!   that say why;
//! - [`Resolver`]: `$ref`s into `#/components/{schemas,parameters,requestBodies,responses}`,
//!   never a panic, loops and long chains cut;
//! - [`operations`]: every operation in document order, path-item and operation parameters
//!   merged (the operation's winning);
//! - [`success`] and [`Envelope`]: which 2XX response an operation answers with, its media
//!   types, and Cloudflare's envelope in it (`success` required or not, the `result` schema,
//!   whether there is `result_info`);
//! - [`example`]: example values made from schemas, valid for them, and a checker that
//!   says whether a value is;
//! - [`Pointer`]: a JSON pointer (RFC 6901) for everything above, so a message can say where
//!   in the document it comes from.
//!
//! ```
//! let doc = openapi::parse(r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}"#)?;
//! assert!(openapi::operations(&doc).operations.is_empty());
//! # Ok::<(), openapi::ParseError>(())
//! ```

mod envelope;
pub mod example;
mod operations;
mod parse;
mod pointer;
mod resolve;

pub use envelope::{
    essence, is_json, success, Content, Envelope, EnvelopeField, Properties, Success,
};
pub use openapiv3;
pub use operations::{operations, Location, Operation, Operations, Param, Problem, UnreadablePath};
pub use parse::{parse, ParseError};
pub use pointer::{unescape, Pointer};
pub use resolve::{
    component_name, Component, RefError, Resolved, Resolver, SchemaRef, MAX_REF_HOPS,
};
