//! The one error type of the crate.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;

/// Everything that can go wrong with a call, or with building a client.
///
/// Every variant raised by a call names the operation (`zero_trust.risk_scoring.get`), so a
/// log line says which call failed without a backtrace.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built: a bad base URL, no credentials, a bad header value.
    Config(String),
    /// A path parameter was empty; nothing was sent.
    InvalidParameter {
        /// The operation that was called.
        operation: &'static str,
        /// The parameter's name.
        name: &'static str,
    },
    /// A per-request header could not be used; nothing was sent.
    InvalidHeader {
        /// The operation that was called.
        operation: &'static str,
        /// The header's name as given.
        name: String,
    },
    /// The request body could not be serialised; nothing was sent.
    Serialize {
        /// The operation that was called.
        operation: &'static str,
        /// What serde said.
        source: serde_json::Error,
    },
    /// No answer arrived within the per-attempt timeout, on the last attempt.
    Timeout {
        /// The operation that was called.
        operation: &'static str,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The request could not be sent or the response not received (connection refused,
    /// reset, TLS failure), on the last attempt.
    Transport {
        /// The operation that was called.
        operation: &'static str,
        /// How many attempts were made.
        attempts: u32,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// The API answered with an error: a non-success status, or `"success": false`.
    Api(Box<ApiError>),
    /// The API answered with success, but the body did not decode into the expected type.
    Decode {
        /// The operation that was called.
        operation: &'static str,
        /// The HTTP status of the response.
        status: StatusCode,
        /// Where in the JSON the problem is, such as `result.events[0].timestamp`.
        path: String,
        /// What was wrong there.
        message: String,
    },
}

impl Error {
    /// The API error, when the API answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
            Error::InvalidParameter { operation, name } => {
                write!(f, "{operation}: path parameter `{name}` is empty")
            }
            Error::InvalidHeader { operation, name } => {
                write!(f, "{operation}: invalid header `{name}`")
            }
            Error::Serialize { operation, source } => {
                write!(
                    f,
                    "{operation}: cannot serialise the request body: {source}"
                )
            }
            Error::Timeout {
                operation,
                attempts,
            } => {
                write!(f, "{operation}: timed out ({attempts} attempt(s))")
            }
            Error::Transport {
                operation,
                attempts,
                source,
            } => {
                write!(
                    f,
                    "{operation}: request failed after {attempts} attempt(s): {source}"
                )
            }
            Error::Api(error) => error.fmt(f),
            Error::Decode {
                operation,
                status,
                path,
                message,
            } => {
                write!(f, "{operation}: cannot decode the response (HTTP {status}) at `{path}`: {message}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Serialize { source, .. } => Some(source),
            Error::Api(error) => Some(error.as_ref()),
            _ => None,
        }
    }
}

/// An error answer from the API.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation that was called.
    pub operation: &'static str,
    /// The HTTP status (which may be 200 when the envelope says `"success": false`).
    pub status: StatusCode,
    /// Every error the envelope listed, in order; empty when the body was not an envelope.
    pub errors: Vec<ApiMessage>,
    /// The `cf-ray` header: quote it when asking Cloudflare about a request.
    pub ray_id: Option<String>,
    /// How long the server asked to wait before retrying (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// The start of the body when it was not a JSON envelope (an HTML page from an edge
    /// proxy, say), cut to at most [`ApiError::SNIPPET_LIMIT`] bytes.
    pub body_snippet: Option<String>,
}

impl ApiError {
    /// The most bytes of a non-JSON body kept in [`ApiError::body_snippet`].
    pub const SNIPPET_LIMIT: usize = 512;
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the API answered HTTP {}",
            self.operation, self.status
        )?;
        for (i, error) in self.errors.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{} (code {})", error.message, error.code)?;
        }
        if self.errors.is_empty() {
            if let Some(snippet) = &self.body_snippet {
                write!(f, ": {snippet:?}")?;
            }
        }
        if let Some(ray) = &self.ray_id {
            write!(f, " [cf-ray {ray}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// One entry of an envelope's `errors` or `messages`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ApiMessage {
    /// Cloudflare's numeric code.
    pub code: i64,
    /// What happened.
    pub message: String,
    /// A page explaining the code, when the API gives one.
    #[serde(default)]
    pub documentation_url: Option<String>,
    /// Which part of the request the message is about, when the API says.
    #[serde(default)]
    pub source: Option<MessageSource>,
}

/// The part of a request an [`ApiMessage`] is about.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MessageSource {
    /// A JSON pointer into the request body.
    #[serde(default)]
    pub pointer: Option<String>,
}
