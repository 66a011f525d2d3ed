//! One call to the API: building the request, sending it with retries, and unwrapping
//! Cloudflare's response envelope into the typed result.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::client::Client;
use crate::error::{ApiError, ApiMessage, Error};
use crate::retry::{self, Decision, Outcome};

/// Everything except RFC 3986's unreserved characters is escaped, so a parameter can never
/// add a path segment (`/`), start a query (`?`) or a fragment (`#`), or smuggle an escape (`%`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What the generated code knows about an operation.
#[derive(Debug)]
pub(crate) struct Operation {
    /// Qualified name, as in `zero_trust.risk_scoring.integrations.create`.
    pub(crate) name: &'static str,
    pub(crate) method: Method,
    /// The path template, for traces.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(crate) path: &'static str,
    /// Whether repeating the request is harmless; decides what may be retried.
    pub(crate) idempotent: bool,
}

/// A piece of a request path: literal text from the template, or a parameter's value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PathSegment<'a> {
    Literal(&'static str),
    #[allow(dead_code)] // a spec may have no path parameters
    Param(&'static str, &'a str),
}

/// A call ready to be sent. Await it for the result, or call
/// [`send_with_response`](Request::send_with_response) for the status and headers too.
/// Per-call settings override the client's without a second client.
///
/// ```no_run
/// # async fn run(client: cloudflare_risk_scoring::Client) -> Result<(), cloudflare_risk_scoring::Error> {
/// use std::time::Duration;
///
/// let summary = client
///     .zero_trust()
///     .risk_scoring()
///     .summary()
///     .get("account-id")
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<T> {
    client: Client,
    operation: &'static Operation,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    headers: HeaderMap,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    /// A problem found while building the request, returned when it is sent.
    invalid: Option<Error>,
    result: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Headers may hold secrets added by the caller: only their names are shown.
        f.debug_struct("Request")
            .field("operation", &self.operation.name)
            .field("method", &self.operation.method)
            .field("path", &self.path)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned> Request<T> {
    pub(crate) fn new(
        client: &Client,
        operation: &'static Operation,
        segments: &[PathSegment<'_>],
    ) -> Self {
        let mut invalid = None;
        let mut path = String::new();
        for segment in segments {
            match *segment {
                PathSegment::Literal(text) => path.push_str(text),
                PathSegment::Param(name, value) => {
                    // `.` and `..` would be read as dot-segments and move the request elsewhere.
                    if value.is_empty() || value == "." || value == ".." {
                        invalid.get_or_insert(Error::InvalidParameter {
                            operation: operation.name,
                            name,
                        });
                    }
                    path.extend(utf8_percent_encode(value, COMPONENT));
                }
            }
        }
        Request {
            client: client.clone(),
            operation,
            path,
            query: Vec::new(),
            body: None,
            headers: HeaderMap::new(),
            timeout: None,
            max_retries: None,
            invalid,
            result: PhantomData,
        }
    }

    #[allow(dead_code)] // used by specs with request bodies
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(bytes),
            Err(source) => {
                self.invalid.get_or_insert(Error::Serialize {
                    operation: self.operation.name,
                    source,
                });
            }
        }
        self
    }

    #[allow(dead_code)] // used by specs with query parameters
    pub(crate) fn query(mut self, name: &'static str, value: Option<String>) -> Self {
        if let Some(value) = value {
            self.query.push((name, value));
        }
        self
    }

    /// How long each attempt of this call may take, instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times this call may be retried, instead of the client's policy's number.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Sends an extra header with this call. An invalid name or value makes the call fail
    /// with [`Error::InvalidHeader`] before anything is sent.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::try_from(name), HeaderValue::from_str(value)) {
            (Ok(name), Ok(mut value)) => {
                // The caller's headers may carry secrets; keep them out of debug output.
                value.set_sensitive(true);
                self.headers.append(name, value);
            }
            _ => {
                self.invalid.get_or_insert(Error::InvalidHeader {
                    operation: self.operation.name,
                    name: name.to_owned(),
                });
            }
        }
        self
    }

    /// Sends the call and returns the result with the response's status, headers,
    /// `result_info` and messages.
    pub async fn send_with_response(self) -> Result<Response<T>, Error> {
        if let Some(error) = self.invalid {
            return Err(error);
        }
        let url = self.url();
        let operation = self.operation;
        let policy = self.client.retry_policy();
        let policy = match self.max_retries {
            Some(max) => policy.with_max_retries(max),
            None => *policy,
        };
        let timeout = self.timeout.unwrap_or_else(|| self.client.timeout());
        let mut retries = 0;
        loop {
            let attempt = Attempt::start(operation, retries + 1);
            let mut request = self
                .client
                .http()
                .request(operation.method.clone(), &url)
                .headers(self.client.default_headers().clone())
                .headers(self.headers.clone())
                .timeout(timeout);
            if let Some(body) = &self.body {
                request = request
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            let (outcome, retry_after, failure) = match attempt.run(receive(request)).await {
                Ok((status, headers, body)) => {
                    attempt.record(status, &headers);
                    if status.is_success() {
                        return decode(operation, status, headers, &body);
                    }
                    let error = api_error(operation, status, &headers, &body);
                    (
                        Outcome::Status(status),
                        error.retry_after,
                        Failure::Api(error),
                    )
                }
                Err(error) => (classify(&error), None, Failure::Transport(error)),
            };
            match retry::decide(
                &policy,
                retries,
                operation.idempotent,
                outcome,
                retry_after,
                retry::jitter(),
            ) {
                Decision::Retry(wait) => {
                    retries += 1;
                    tokio::time::sleep(wait).await;
                }
                Decision::GiveUp => return Err(failure.into_error(operation, retries + 1)),
            }
        }
    }

    fn url(&self) -> String {
        let mut url = format!("{}{}", self.client.base_url(), self.path);
        for (i, (name, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(utf8_percent_encode(name, COMPONENT));
            url.push('=');
            url.extend(utf8_percent_encode(value, COMPONENT));
        }
        url
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for Request<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            self.send_with_response()
                .await
                .map(|response| response.result)
        })
    }
}

/// A successful response: the typed result and what came with it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The envelope's `result`, decoded.
    pub result: T,
    /// The envelope's paging counters, for the operations that have them.
    pub result_info: Option<ResultInfo>,
    /// Informational messages from the envelope.
    pub messages: Vec<ApiMessage>,
}

impl<T> Response<T> {
    /// The `cf-ray` header, which identifies the request to Cloudflare.
    pub fn ray_id(&self) -> Option<&str> {
        self.headers
            .get("cf-ray")
            .and_then(|value| value.to_str().ok())
    }
}

/// Paging counters of an envelope (`result_info`). Cloudflare documents all five as
/// numbers and any of them may be missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ResultInfo {
    /// Total number of results for the requested service.
    pub count: Option<f64>,
    /// Current page within the paginated list of results.
    pub page: Option<f64>,
    /// Number of results per page.
    pub per_page: Option<f64>,
    /// Total results available without any search parameters.
    pub total_count: Option<f64>,
    /// The number of pages in the entire result set.
    pub total_pages: Option<f64>,
}

/// Cloudflare's response envelope, with `result` kept raw so that it can be decoded with
/// a path that starts at `result`.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    errors: Vec<ApiMessage>,
    #[serde(default)]
    messages: Vec<ApiMessage>,
    #[serde(default, borrow)]
    result: Option<&'a RawValue>,
    #[serde(default)]
    result_info: Option<ResultInfo>,
}

enum Failure {
    Api(ApiError),
    Transport(reqwest::Error),
}

impl Failure {
    fn into_error(self, operation: &'static Operation, attempts: u32) -> Error {
        match self {
            Failure::Api(error) => Error::Api(Box::new(error)),
            Failure::Transport(source) if source.is_timeout() => Error::Timeout {
                operation: operation.name,
                attempts,
            },
            Failure::Transport(source) => Error::Transport {
                operation: operation.name,
                attempts,
                source,
            },
        }
    }
}

/// Sends the request and reads the whole body: a failure while reading the body is a
/// failure of the attempt like any other.
async fn receive(
    request: reqwest::RequestBuilder,
) -> Result<(StatusCode, HeaderMap, Vec<u8>), reqwest::Error> {
    let response = request.send().await?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    Ok((status, headers, body.to_vec()))
}

fn classify(error: &reqwest::Error) -> Outcome {
    if error.is_connect() {
        Outcome::ConnectFailed
    } else if error.is_timeout() {
        Outcome::TimedOut
    } else {
        Outcome::Interrupted
    }
}

fn ray_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("cf-ray")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

fn api_error(
    operation: &'static Operation,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiError {
    let (errors, body_snippet) = match serde_json::from_slice::<Envelope<'_>>(body) {
        Ok(envelope) => (envelope.errors, None),
        Err(_) => (Vec::new(), Some(snippet(body))),
    };
    ApiError {
        operation: operation.name,
        status,
        errors,
        ray_id: ray_id(headers),
        retry_after: retry::retry_after(headers),
        body_snippet,
    }
}

/// The start of a body for an error message: at most `ApiError::SNIPPET_LIMIT` bytes, cut
/// on a character boundary.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut end = text.len().min(ApiError::SNIPPET_LIMIT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

fn decode<T: DeserializeOwned>(
    operation: &'static Operation,
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
) -> Result<Response<T>, Error> {
    let decode_error = |path: String, message: String| Error::Decode {
        operation: operation.name,
        status,
        path,
        message,
    };
    let mut envelope_json = serde_json::Deserializer::from_slice(body);
    let envelope: Envelope<'_> =
        serde_path_to_error::deserialize(&mut envelope_json).map_err(|error| {
            let path = error.path().to_string();
            decode_error(
                if path == "." {
                    "(body)".to_owned()
                } else {
                    path
                },
                error.into_inner().to_string(),
            )
        })?;
    if envelope.success == Some(false) {
        return Err(Error::Api(Box::new(ApiError {
            operation: operation.name,
            status,
            errors: envelope.errors,
            ray_id: ray_id(&headers),
            retry_after: retry::retry_after(&headers),
            body_snippet: None,
        })));
    }
    // An absent `result` reads as `null`: `Option` results become `None`, and any other
    // type reports that `result` is missing.
    let raw = envelope.result.map_or("null", RawValue::get);
    let mut result_json = serde_json::Deserializer::from_str(raw);
    let result = serde_path_to_error::deserialize(&mut result_json).map_err(|error| {
        let path = error.path().to_string();
        let path = match path.as_str() {
            "." => "result".to_owned(),
            p if p.starts_with('[') => format!("result{p}"),
            p => format!("result.{p}"),
        };
        decode_error(path, error.into_inner().to_string())
    })?;
    Ok(Response {
        status,
        headers,
        result,
        result_info: envelope.result_info,
        messages: envelope.messages,
    })
}

/// The trace of one attempt: a `tracing` span when the feature is on, nothing otherwise.
/// It records the operation, method, path template, attempt number, status and `cf-ray`;
/// never headers or bodies, which may hold secrets.
struct Attempt {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl Attempt {
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    fn start(operation: &'static Operation, attempt: u32) -> Attempt {
        Attempt {
            #[cfg(feature = "tracing")]
            span: tracing::debug_span!(
                "cloudflare_request",
                operation = operation.name,
                method = %operation.method,
                path = operation.path,
                attempt,
                status = tracing::field::Empty,
                cf_ray = tracing::field::Empty,
            ),
        }
    }

    async fn run<F: Future>(&self, future: F) -> F::Output {
        #[cfg(feature = "tracing")]
        let future = tracing::Instrument::instrument(future, self.span.clone());
        future.await
    }

    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    fn record(&self, status: StatusCode, headers: &HeaderMap) {
        #[cfg(feature = "tracing")]
        {
            self.span.record("status", status.as_u16());
            if let Some(ray) = headers.get("cf-ray").and_then(|value| value.to_str().ok()) {
                self.span.record("cf_ray", ray);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_escape_everything_that_could_change_the_target() {
        let encode = |value: &str| utf8_percent_encode(value, COMPONENT).to_string();
        assert_eq!(encode("../x"), "..%2Fx");
        assert_eq!(encode("a/b"), "a%2Fb");
        assert_eq!(encode("a?b#c"), "a%3Fb%23c");
        assert_eq!(encode("100%"), "100%25");
        assert_eq!(encode("a b\u{e9}"), "a%20b%C3%A9");
        assert_eq!(
            encode("182bd5e5-6e1a_4fe4.a799~x"),
            "182bd5e5-6e1a_4fe4.a799~x"
        );
    }

    #[test]
    fn snippets_are_bounded_and_cut_on_character_boundaries() {
        let body = "é".repeat(400);
        let cut = snippet(body.as_bytes());
        assert!(cut.len() <= ApiError::SNIPPET_LIMIT);
        assert!(body.starts_with(&cut));
    }
}
