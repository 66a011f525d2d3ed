//! What the generated conformance test needs besides its calls: the values of every
//! argument, read from a JSON file, and the record of what each call got.
//!
//! The test reads three variables:
//!
//! - `CONFORMANCE_BASE_URL`: the server to call, a mock serving the API's description;
//! - `CONFORMANCE_VALUES`: a JSON file of argument values, by operation (its dotted name),
//!   then `path`, `query` and `header` by wire name, `body` (the body with its required
//!   fields only) and `full_body` (with every field); `cargo xtask import --values` writes
//!   one from the OpenAPI document;
//! - `CONFORMANCE_REPORT`: where to write the outcome of every call, as JSON lines.

use std::fmt::Write as _;

use serde::de::DeserializeOwned;
use serde_json::Value;

use cloudflare_risk_scoring::{Client, Error, Response};

/// The client, the values and an empty report, from the environment.
pub fn setup() -> (Client, Values, Report) {
    let base_url = std::env::var("CONFORMANCE_BASE_URL").expect("CONFORMANCE_BASE_URL is set");
    let path = std::env::var("CONFORMANCE_VALUES").expect("CONFORMANCE_VALUES is set");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let values = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let client = Client::builder()
        .base_url(base_url)
        .api_token("conformance-token")
        .max_response_size(64 << 20)
        .retry_policy(cloudflare_risk_scoring::RetryPolicy::never())
        .build()
        .expect("a client for the mock server");
    (client, Values(values), Report::default())
}

/// Argument values by operation.
pub struct Values(Value);

impl Values {
    /// The values of the operation `name`.
    pub fn operation(&self, name: &'static str) -> Operation<'_> {
        Operation {
            name,
            values: self.0.get(name).unwrap_or(&Value::Null),
        }
    }
}

/// The argument values of one operation.
pub struct Operation<'v> {
    name: &'static str,
    values: &'v Value,
}

impl Operation<'_> {
    fn get<T: DeserializeOwned>(&self, path: &[&str]) -> T {
        let mut value = self.values;
        for key in path {
            value = value.get(key).unwrap_or(&Value::Null);
        }
        serde_json::from_value(value.clone()).unwrap_or_else(|error| {
            panic!(
                "{}: no usable value at {}: {error} (the value is {value})",
                self.name,
                path.join(".")
            )
        })
    }

    /// A path parameter.
    pub fn path(&self, name: &str) -> String {
        self.get(&["path", name])
    }

    /// A query parameter.
    pub fn query<T: DeserializeOwned>(&self, name: &str) -> T {
        self.get(&["query", name])
    }

    /// A header parameter.
    pub fn header<T: DeserializeOwned>(&self, name: &str) -> T {
        self.get(&["header", name])
    }

    /// The body with its required fields only.
    pub fn body<T: DeserializeOwned>(&self) -> T {
        self.get(&["body"])
    }

    /// The body with every field.
    pub fn full_body<T: DeserializeOwned>(&self) -> T {
        self.get(&["full_body"])
    }

    /// A field of a multipart body.
    pub fn part<T: DeserializeOwned>(&self, name: &str) -> T {
        self.get(&["full_body", name])
    }

    /// A raw or text body, from the text of its example.
    pub fn raw_body(&self) -> String {
        self.get(&["body"])
    }
}

/// What every call got, as JSON lines: the operation, the variant (`required` or
/// `optional`), and `ok`, `api` with the status, `decode` or `error` with the message.
#[derive(Default)]
pub struct Report {
    lines: String,
}

impl Report {
    /// Records what the call of `operation` with the arguments of `variant` got.
    pub fn record<T>(
        &mut self,
        operation: &str,
        variant: &str,
        outcome: Result<Response<T>, Error>,
    ) {
        let (kind, status, detail) = match &outcome {
            Ok(response) => ("ok", Some(response.status.as_u16()), String::new()),
            Err(Error::Api(api)) => ("api", Some(api.status.as_u16()), api.to_string()),
            Err(error @ Error::Decode { status, .. }) => {
                ("decode", Some(status.as_u16()), error.to_string())
            }
            Err(error) => ("error", None, error.to_string()),
        };
        let line = serde_json::json!({
            "operation": operation,
            "variant": variant,
            "outcome": kind,
            "status": status,
            "detail": detail,
        });
        let _ = writeln!(self.lines, "{line}");
    }

    /// Writes the report where `CONFORMANCE_REPORT` says.
    pub fn write(self) {
        let path = std::env::var("CONFORMANCE_REPORT").expect("CONFORMANCE_REPORT is set");
        std::fs::write(&path, self.lines).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}
