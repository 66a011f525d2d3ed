//! One call to the API: the request the generated code describes, and sending it with
//! timeouts and retries.

use std::borrow::Cow;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::Serialize;

use crate::client::Client;
use crate::error::{ApiError, Error, TimeoutPhase};
pub(crate) use crate::response::ResponseKind;
use crate::response::{self, Decode, Reply, Response};
use crate::retry::{self, Decision, Outcome};

/// The percent-encoded path that `segments` spell out, and the first parameter that must
/// not be sent. Not generic, so that it is compiled once for every operation.
fn path(operation: &Operation, segments: &[PathSegment<'_>]) -> (String, Option<Error>) {
    let mut invalid = None;
    let mut path = String::new();
    for segment in segments {
        match *segment {
            PathSegment::Literal(text) => path.push_str(text),
            PathSegment::Param(name, value) => {
                if matches!(value, "" | "." | "..") {
                    invalid.get_or_insert(Error::InvalidParameter {
                        operation: operation.name,
                        name,
                    });
                }
                path.extend(utf8_percent_encode(value, UNRESERVED));
            }
        }
    }
    (path, invalid)
}

/// Everything but RFC 3986's unreserved characters is escaped, so that a value can never
/// add a path segment (`/`), start a query (`?`) or fragment (`#`), or pass for an
/// escape (`%`).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What the generated code knows about an operation.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The operation's place in the resource tree, as in
    /// `zero_trust.risk_scoring.integrations.create`; errors name it.
    pub(crate) name: &'static str,
    pub(crate) method: Method,
    /// The path template, as in `/accounts/{account_id}/zt_risk_scoring/integrations`.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))] // only traces show it
    pub(crate) path: &'static str,
    /// Whether sending the request twice does no more than sending it once; decides
    /// which failures may be retried.
    pub(crate) idempotent: bool,
}

/// A piece of a request path: literal text from the template, or a parameter's value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PathSegment<'a> {
    Literal(&'static str),
    /// A parameter's name and value.
    #[allow(dead_code)] // a spec whose paths have no parameters never builds one
    Param(&'static str, &'a str),
}

/// One call, ready to send: `.await` it for the result, or call
/// [`send_with_response`](Request::send_with_response) for the status and headers too.
///
/// Settings made here apply to this call only, in place of the client's.
///
/// ```no_run
/// # async fn run<T: Send + 'static>(
/// #     request: cloudflare_risk_scoring::Request<T>,
/// # ) -> Result<(), cloudflare_risk_scoring::Error> {
/// use std::time::Duration;
///
/// // `request` is what any operation's method returns.
/// let result = request
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .header("x-request-origin", "nightly-report")
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until it is awaited"]
pub struct Request<T, P = ()> {
    call: Call,
    /// How a 2xx answer becomes the result: chosen where `T` is known to be decodable, so
    /// that sending needs no bound on `T`.
    decode: Decoder<T>,
    /// `P` marks the operation, for the setters of its optional parameters.
    marker: PhantomData<fn() -> (T, P)>,
}

type Decoder<T> = fn(&Operation, ResponseKind, Reply) -> Result<Response<T>, Error>;

/// What a request is, whatever its result: kept apart from [`Request`], which is generic
/// over the result, so that building and sending a request are compiled once for every
/// operation rather than once per operation.
struct Call {
    client: Client,
    operation: &'static Operation,
    /// Percent-encoded.
    path: String,
    /// Names and values as given, encoded when the request is sent.
    query: Vec<(&'static str, String)>,
    body: Option<Body>,
    headers: HeaderMap,
    timeout: Option<Duration>,
    max_retries: Option<u32>,
    /// The first problem found while building, returned instead of sending anything.
    invalid: Option<Error>,
    kind: ResponseKind,
}

/// A request body and its media type.
#[derive(Clone)]
struct Body {
    content_type: HeaderValue,
    bytes: Vec<u8>,
}

impl<T, P> fmt::Debug for Request<T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let call = &self.call;
        // Extra headers may hold secrets: show their names only.
        f.debug_struct("Request")
            .field("operation", &call.operation.name)
            .field("method", &call.operation.method)
            .field("path", &call.path)
            .field("headers", &call.headers.keys().collect::<Vec<_>>())
            .field("timeout", &call.timeout)
            .field("max_retries", &call.max_retries)
            .finish_non_exhaustive()
    }
}

/// A value that a query string or a header carries as text.
pub(crate) trait QueryValue {
    fn to_text(&self) -> String;
}

macro_rules! query_value_by_display {
    ($($ty:ty),*) => {
        $(impl QueryValue for $ty {
            fn to_text(&self) -> String {
                self.to_string()
            }
        })*
    };
}

query_value_by_display!(&str, String, bool, i32, i64, u64, f32, f64, uuid::Uuid);

/// Timestamps as RFC 3339, as the API writes them.
impl QueryValue for chrono::DateTime<chrono::Utc> {
    fn to_text(&self) -> String {
        self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

// The bound is on each constructor rather than on the block: `Decode` is the crate's own,
// and a public type's impl block may not be bound by it.
impl<T, P> Request<T, P> {
    /// A request for `operation` at the path that `segments` spell out, whose answer is
    /// Cloudflare's envelope.
    #[allow(dead_code)] // a spec whose every operation answers otherwise never calls it
    pub(crate) fn new(
        client: &Client,
        operation: &'static Operation,
        segments: &[PathSegment<'_>],
    ) -> Self
    where
        T: Decode,
    {
        Request::with_response(client, operation, ResponseKind::Envelope, segments)
    }

    /// As [`new`](Request::new), for an answer of another kind.
    ///
    /// An empty parameter, or one that is `.` or `..`, is refused: the URL parser that
    /// `reqwest` uses resolves dot segments even when they are percent-encoded (`%2E%2E`),
    /// so escaping cannot keep them from moving the request to another path.
    pub(crate) fn with_response(
        client: &Client,
        operation: &'static Operation,
        kind: ResponseKind,
        segments: &[PathSegment<'_>],
    ) -> Self
    where
        T: Decode,
    {
        Request {
            call: Call::new(client, operation, kind, segments),
            decode: T::decode,
            marker: PhantomData,
        }
    }

    /// Changes the call that this request is.
    fn with(mut self, change: impl FnOnce(&mut Call)) -> Self {
        change(&mut self.call);
        self
    }

    /// Sends `body` as JSON.
    #[allow(dead_code)] // a spec without JSON bodies never calls it
    pub(crate) fn json<B: Serialize + ?Sized>(self, body: &B) -> Self {
        self.json_as("application/json", body)
    }

    /// Sends `body` as JSON of the media type `content_type`, such as
    /// `application/merge-patch+json`.
    #[allow(dead_code)] // a spec without JSON bodies never calls it
    pub(crate) fn json_as<B: Serialize + ?Sized>(
        self,
        content_type: &'static str,
        body: &B,
    ) -> Self {
        let bytes = serde_json::to_vec(body);
        self.with(|call| call.set_json(content_type, bytes))
    }

    /// Sends `text` as it is, as `content_type`.
    #[allow(dead_code)] // a spec without text bodies never calls it
    pub(crate) fn text(self, content_type: &'static str, text: impl Into<String>) -> Self {
        self.bytes(content_type, text.into().into_bytes())
    }

    /// Sends `bytes` as they are, as `content_type`.
    #[allow(dead_code)] // a spec without raw bodies never calls it
    pub(crate) fn bytes(self, content_type: &'static str, bytes: impl Into<Vec<u8>>) -> Self {
        let bytes = bytes.into();
        self.with(|call| call.set_body(HeaderValue::from_static(content_type), bytes))
    }

    /// Sends `bytes` as the body, as `content_type`.
    #[allow(dead_code)] // only multipart bodies make their media type
    pub(crate) fn body(self, content_type: HeaderValue, bytes: Vec<u8>) -> Self {
        self.with(|call| call.set_body(content_type, bytes))
    }

    /// `set` applied to this request and `value`, when there is a value: an optional body.
    #[allow(dead_code)] // a spec without optional bodies never calls it
    pub(crate) fn maybe<V>(self, value: Option<V>, set: impl FnOnce(Self, V) -> Self) -> Self {
        match value {
            Some(value) => set(self, value),
            None => self,
        }
    }

    /// Sets `name=value` in the query string, in place of any value set before.
    #[allow(dead_code)] // a spec without query parameters never calls it
    pub(crate) fn query(self, name: &'static str, value: impl QueryValue) -> Self {
        let value = value.to_text();
        self.with(|call| call.set_query(name, value))
    }

    /// Sets the list `name` in the query string, in place of any value set before: the
    /// name repeated for each value (`explode`), or once with the values joined by commas.
    #[allow(dead_code)] // a spec without list parameters never calls it
    pub(crate) fn query_list<V: QueryValue>(
        self,
        name: &'static str,
        values: impl IntoIterator<Item = V>,
        explode: bool,
    ) -> Self {
        let values: Vec<String> = values.into_iter().map(|value| value.to_text()).collect();
        self.with(|call| call.set_query_list(name, values, explode))
    }

    /// Sends the header `name` with `value`, a parameter of the operation.
    #[allow(dead_code)] // a spec without header parameters never calls it
    pub(crate) fn header_param(self, name: &'static str, value: impl QueryValue) -> Self {
        let value = value.to_text();
        self.with(|call| call.add_header(name, &value))
    }

    /// Replaces the values of `name` in the query string with `value`.
    #[allow(dead_code)] // only pagination sets a parameter after building
    pub(crate) fn set_query(&mut self, name: &'static str, value: String) {
        self.call.set_query(name, value);
    }

    /// The first value of `name` in the query string.
    #[allow(dead_code)] // only pagination reads its parameters back
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.call
            .query
            .iter()
            .find(|(set, _)| *set == name)
            .map(|(_, value)| value.as_str())
    }

    /// The operation's name, as errors say it.
    #[allow(dead_code)] // only pagination needs it outside this module
    pub(crate) fn operation_name(&self) -> &'static str {
        self.call.operation.name
    }

    /// The same request again, to send once more (the next page of a list).
    #[allow(dead_code)] // only pagination sends a request twice
    pub(crate) fn duplicate(&self) -> Self {
        Request {
            call: self.call.duplicate(),
            decode: self.decode,
            marker: PhantomData,
        }
    }

    /// How long each attempt of this call may take, in place of the client's
    /// [`timeout`](crate::ClientBuilder::timeout).
    pub fn timeout(self, timeout: Duration) -> Self {
        self.with(|call| call.timeout = Some(timeout))
    }

    /// How many times this call may be retried, in place of the client's
    /// [`RetryPolicy::max_retries`](crate::RetryPolicy::max_retries). Which failures are
    /// retried, and the waits between, stay as the policy says.
    pub fn max_retries(self, max_retries: u32) -> Self {
        self.with(|call| call.max_retries = Some(max_retries))
    }

    /// Sends a header with this call. It replaces a header of the same name that the call
    /// would otherwise send (such as `User-Agent`); giving a name twice sends both values.
    ///
    /// The value is treated as a secret: it is kept out of `Debug` output. A name or value
    /// that HTTP does not allow makes the call fail with [`Error::InvalidHeader`] before
    /// anything is sent.
    pub fn header(self, name: &str, value: &str) -> Self {
        self.with(|call| call.add_header(name, value))
    }

    /// Sends the call, retrying as the client's [`RetryPolicy`](crate::RetryPolicy) allows,
    /// and returns the result with the response's status, headers, `result_info` and
    /// messages.
    pub async fn send_with_response(self) -> Result<Response<T>, Error> {
        let (operation, kind) = (self.call.operation, self.call.kind);
        let reply = self.call.send().await?;
        (self.decode)(operation, kind, reply)
    }
}

impl Call {
    fn new(
        client: &Client,
        operation: &'static Operation,
        kind: ResponseKind,
        segments: &[PathSegment<'_>],
    ) -> Call {
        let (path, invalid) = path(operation, segments);
        Call {
            client: client.clone(),
            operation,
            path,
            query: Vec::new(),
            body: None,
            headers: HeaderMap::new(),
            timeout: None,
            max_retries: None,
            invalid,
            kind,
        }
    }

    /// The first problem found, kept until the call would be sent.
    fn fail(&mut self, error: Error) {
        self.invalid.get_or_insert(error);
    }

    fn set_json(&mut self, content_type: &'static str, bytes: serde_json::Result<Vec<u8>>) {
        match bytes {
            Ok(bytes) => self.set_body(HeaderValue::from_static(content_type), bytes),
            Err(source) => self.fail(Error::Serialize {
                operation: self.operation.name,
                source,
            }),
        }
    }

    fn set_body(&mut self, content_type: HeaderValue, bytes: Vec<u8>) {
        self.body = Some(Body {
            content_type,
            bytes,
        });
    }

    fn set_query(&mut self, name: &'static str, value: String) {
        self.query.retain(|(set, _)| *set != name);
        self.query.push((name, value));
    }

    fn set_query_list(&mut self, name: &'static str, values: Vec<String>, explode: bool) {
        self.query.retain(|(set, _)| *set != name);
        if explode {
            self.query
                .extend(values.into_iter().map(|value| (name, value)));
        } else {
            self.query.push((name, values.join(",")));
        }
    }

    fn add_header(&mut self, name: &str, value: &str) {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(name), Ok(mut value)) => {
                value.set_sensitive(true);
                self.headers.append(name, value);
            }
            _ => self.fail(Error::InvalidHeader {
                operation: self.operation.name,
                name: name.to_owned(),
            }),
        }
    }

    /// The same call again (the request of the next page; a request that was invalid is
    /// never sent, so there is no problem to copy).
    fn duplicate(&self) -> Call {
        Call {
            client: self.client.clone(),
            operation: self.operation,
            path: self.path.clone(),
            query: self.query.clone(),
            body: self.body.clone(),
            headers: self.headers.clone(),
            timeout: self.timeout,
            max_retries: self.max_retries,
            invalid: None,
            kind: self.kind,
        }
    }

    /// Sends the call, retrying as the client's policy allows, and returns the 2xx answer,
    /// read to its end, or why there is none.
    async fn send(self) -> Result<Reply, Error> {
        let Call {
            client,
            operation,
            path,
            query,
            body,
            headers,
            timeout,
            max_retries,
            invalid,
            kind,
        } = self;
        if let Some(error) = invalid {
            return Err(error);
        }
        let url = client.url(&path, &encode_query(&query));
        let mut policy = client.retry_policy();
        if let Some(max_retries) = max_retries {
            policy = policy.with_max_retries(max_retries);
        }
        let timeout = timeout.unwrap_or_else(|| client.timeout());
        let max_response_size = client.max_response_size();
        // The client's headers, then what this operation accepts and sends, then this
        // call's: each replaces any of the same name before it. Most calls add none, and
        // share the client's.
        let raw_answer = matches!(kind, ResponseKind::Bytes | ResponseKind::Text);
        let all_headers = if body.is_none() && headers.is_empty() && !raw_answer {
            Cow::Borrowed(client.default_headers())
        } else {
            let mut all_headers = client.default_headers().clone();
            if raw_answer {
                // A file, not JSON: a server that honours `Accept` would refuse
                // `application/json` with a 406.
                all_headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
            }
            if let Some(body) = &body {
                all_headers.insert(CONTENT_TYPE, body.content_type.clone());
            }
            for name in headers.keys() {
                all_headers.remove(name);
            }
            for (name, value) in &headers {
                all_headers.append(name, value.clone());
            }
            Cow::Owned(all_headers)
        };

        let mut attempt = 1;
        loop {
            let trace = Trace::start(operation, attempt);
            let mut request = client
                .http()
                .request(operation.method.clone(), url.clone())
                .headers(all_headers.as_ref().clone());
            if let Some(body) = &body {
                request = request.body(body.bytes.clone());
            }

            // One timer for the whole attempt, sending and reading the body alike; reqwest's
            // own per-request timeout arms two and measurably slows every call. `phase` is
            // where the attempt is when the timer fires, for the error to say; `exchange`
            // moves it on.
            let mut phase = TimeoutPhase::ResponseHeaders;
            let exchanged =
                tokio::time::timeout(timeout, exchange(request, max_response_size, &mut phase));
            let exchanged = trace.follow(exchanged).await;
            let failure = match exchanged {
                Err(_elapsed) => Failure::TimedOut(phase),
                Ok(Ok(reply)) => {
                    trace.answered(reply.status, &reply.headers);
                    if reply.status.is_success() {
                        return Ok(reply);
                    }
                    Failure::Api(response::api_error(operation, &reply))
                }
                Ok(Err(Interrupted::TooLarge { status, headers })) => {
                    trace.answered(status, &headers);
                    return Err(Error::ResponseTooLarge {
                        operation: operation.name,
                        status,
                        limit: max_response_size,
                    });
                }
                // reqwest's own timeouts: the connect timeout, or those of a caller's client.
                Ok(Err(Interrupted::Transport(error))) if error.is_timeout() => {
                    Failure::TimedOut(if error.is_connect() {
                        TimeoutPhase::Connect
                    } else {
                        phase
                    })
                }
                Ok(Err(Interrupted::Transport(error))) => Failure::Transport(error),
            };
            let (outcome, retry_after) = failure.for_retry();
            match retry::decide(
                &policy,
                attempt - 1,
                operation.idempotent,
                outcome,
                retry_after,
                retry::jitter(),
            ) {
                Decision::Retry(wait) => {
                    trace.retrying(outcome, wait);
                    tokio::time::sleep(wait).await;
                    attempt = attempt.saturating_add(1);
                }
                Decision::GiveUp => return Err(failure.into_error(operation, attempt)),
            }
        }
    }
}

/// `.await` sends the call and gives the result alone. The future is `Send` and
/// `'static`, so it can be spawned.
impl<T: Send + 'static, P: 'static> IntoFuture for Request<T, P> {
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

/// The query string of `pairs`, percent-encoded, without the `?`.
fn encode_query(pairs: &[(&'static str, String)]) -> String {
    let mut query = String::new();
    for (name, value) in pairs {
        if !query.is_empty() {
            query.push('&');
        }
        query.extend(utf8_percent_encode(name, UNRESERVED));
        query.push('=');
        query.extend(utf8_percent_encode(value, UNRESERVED));
    }
    query
}

/// Sends the request and reads the whole body, of at most `max_size` bytes: a failure while
/// reading the body is a failure of the attempt like any other. `phase` becomes
/// [`TimeoutPhase::ResponseBody`] once the headers are in.
async fn exchange(
    request: reqwest::RequestBuilder,
    max_size: usize,
    phase: &mut TimeoutPhase,
) -> Result<Reply, Interrupted> {
    let mut response = request.send().await?;
    *phase = TimeoutPhase::ResponseBody;
    let status = response.status();
    // Taken rather than cloned: reading the body needs only the response's stream.
    let headers = std::mem::take(response.headers_mut());
    // The exact length, when the server declared it: enough to refuse a body before
    // reading any of it, and to allocate once for one that fits.
    let declared = response
        .content_length()
        .map(|length| usize::try_from(length).unwrap_or(usize::MAX));
    if declared.is_some_and(|length| length > max_size) {
        return Err(Interrupted::TooLarge { status, headers });
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = response.chunk().await? {
        // `body` never holds more than `max_size`, so this cannot underflow.
        if chunk.len() > max_size - body.len() {
            return Err(Interrupted::TooLarge { status, headers });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// Why [`exchange`] got no complete answer.
enum Interrupted {
    Transport(reqwest::Error),
    /// The body would have passed the client's `max_response_size`.
    TooLarge {
        status: StatusCode,
        headers: HeaderMap,
    },
}

impl From<reqwest::Error> for Interrupted {
    fn from(error: reqwest::Error) -> Self {
        Interrupted::Transport(error)
    }
}

/// Why an attempt did not succeed.
enum Failure {
    Api(ApiError),
    /// No complete answer in time; what ran out.
    TimedOut(TimeoutPhase),
    Transport(reqwest::Error),
}

impl Failure {
    fn for_retry(&self) -> (Outcome, Option<Duration>) {
        match self {
            Failure::Api(error) => (Outcome::Status(error.status), error.retry_after),
            // A connect timeout is a connect error too: the request never left.
            Failure::TimedOut(TimeoutPhase::Connect) => (Outcome::ConnectFailed, None),
            Failure::TimedOut(_) => (Outcome::TimedOut, None),
            Failure::Transport(error) if error.is_connect() => (Outcome::ConnectFailed, None),
            Failure::Transport(_) => (Outcome::Interrupted, None),
        }
    }

    fn into_error(self, operation: &Operation, attempts: u32) -> Error {
        match self {
            Failure::Api(error) => Error::Api(Box::new(error)),
            Failure::TimedOut(phase) => Error::Timeout {
                operation: operation.name,
                attempts,
                phase,
            },
            Failure::Transport(source) => Error::Transport {
                operation: operation.name,
                attempts,
                source,
            },
        }
    }
}

/// The trace of one attempt: with the `tracing` feature, a span with the operation, method,
/// path template, attempt number, and the status and `cf-ray` of the answer. Never headers
/// or bodies, which hold secrets and personal data. Without the feature, nothing.
struct Trace {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl Trace {
    fn start(operation: &Operation, attempt: u32) -> Trace {
        #[cfg(not(feature = "tracing"))]
        let _ = (operation, attempt);
        Trace {
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

    /// Runs `future` inside the span.
    async fn follow<F: Future>(&self, future: F) -> F::Output {
        #[cfg(feature = "tracing")]
        let future = tracing::Instrument::instrument(future, self.span.clone());
        future.await
    }

    fn answered(&self, status: StatusCode, headers: &HeaderMap) {
        #[cfg(not(feature = "tracing"))]
        let _ = (status, headers);
        #[cfg(feature = "tracing")]
        {
            self.span.record("status", status.as_u16());
            if let Some(ray_id) = headers.get("cf-ray").and_then(|value| value.to_str().ok()) {
                self.span.record("cf_ray", ray_id);
            }
        }
    }

    fn retrying(&self, outcome: Outcome, wait: Duration) {
        #[cfg(not(feature = "tracing"))]
        let _ = (outcome, wait);
        #[cfg(feature = "tracing")]
        tracing::debug!(
            parent: &self.span,
            ?outcome,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "retrying"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: Operation = Operation {
        name: "zero_trust.risk_scoring.get",
        method: Method::GET,
        path: "/accounts/{account_id}/zt_risk_scoring/{user_id}",
        idempotent: true,
    };

    fn client() -> Client {
        Client::builder()
            .base_url("http://127.0.0.1:9/v4")
            .api_token("t")
            .build()
            .unwrap()
    }

    fn request(account_id: &str, user_id: &str) -> Request<()> {
        Request::new(
            &client(),
            &GET,
            &[
                PathSegment::Literal("/accounts/"),
                PathSegment::Param("account_id", account_id),
                PathSegment::Literal("/zt_risk_scoring/"),
                PathSegment::Param("user_id", user_id),
            ],
        )
    }

    #[test]
    fn only_unreserved_characters_stay_as_they_are() {
        let encode = |value: &str| utf8_percent_encode(value, UNRESERVED).to_string();
        assert_eq!(
            encode("AZaz09-._~"),
            "AZaz09-._~",
            "unreserved characters are kept"
        );
        assert_eq!(encode("../x"), "..%2Fx");
        assert_eq!(encode("a/b"), "a%2Fb");
        assert_eq!(encode("a\\b"), "a%5Cb");
        assert_eq!(encode("a?b=c&d"), "a%3Fb%3Dc%26d");
        assert_eq!(encode("frag#ment"), "frag%23ment");
        assert_eq!(encode("100%"), "100%25");
        assert_eq!(encode("%2e%2e"), "%252e%252e");
        assert_eq!(encode("a b+c"), "a%20b%2Bc");
        assert_eq!(encode("é\u{1F600}"), "%C3%A9%F0%9F%98%80");
        assert_eq!(encode("a;b,c:d@e"), "a%3Bb%2Cc%3Ad%40e");
        assert_eq!(encode("\r\n\0"), "%0D%0A%00");
    }

    #[test]
    fn parameters_are_encoded_into_exactly_one_segment() {
        let request = request("acc", "../../user?x#y");
        assert!(request.call.invalid.is_none());
        assert_eq!(
            request.call.client.url(&request.call.path, "").path(),
            "/v4/accounts/acc/zt_risk_scoring/..%2F..%2Fuser%3Fx%23y"
        );
    }

    #[test]
    fn empty_and_dot_parameters_are_refused() {
        for (account_id, user_id, name) in [
            ("", "u", "account_id"),
            ("acc", "", "user_id"),
            (".", "u", "account_id"),
            ("acc", "..", "user_id"),
            ("", "..", "account_id"),
        ] {
            match request(account_id, user_id).call.invalid {
                Some(Error::InvalidParameter {
                    operation,
                    name: got,
                }) => {
                    assert_eq!(operation, GET.name);
                    assert_eq!(got, name);
                }
                other => panic!("{account_id:?} {user_id:?}: {other:?}"),
            }
        }
        // Dots are only a problem as a whole segment.
        for fine in ["...", ".a", "a.", "..a", " .."] {
            assert!(request("acc", fine).call.invalid.is_none(), "{fine}");
        }
    }

    #[test]
    fn query_parameters_are_encoded_and_a_setter_replaces_what_it_set_before() {
        let request = request("acc", "u")
            .query("name", "a b&c=d")
            .query("page", 1)
            .query("page", 2)
            .query_list("id", ["x", "y"], true)
            .query_list("kind", ["a", "b"], false);
        let query = encode_query(&request.call.query);
        assert_eq!(query, "name=a%20b%26c%3Dd&page=2&id=x&id=y&kind=a%2Cb");
        assert_eq!(
            request.call.client.url(&request.call.path, &query).query(),
            Some(query.as_str())
        );
        let again = request.query_list("id", ["z"], true);
        assert_eq!(
            encode_query(&again.call.query),
            "name=a%20b%26c%3Dd&page=2&kind=a%2Cb&id=z"
        );
    }

    #[test]
    fn query_values_are_written_as_the_api_reads_them() {
        let at = chrono::DateTime::parse_from_rfc3339("2024-05-06T07:08:09.5+02:00")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(at.to_text(), "2024-05-06T05:08:09.500Z");
        assert_eq!(true.to_text(), "true");
        assert_eq!(1.5f64.to_text(), "1.5");
        assert_eq!(u64::MAX.to_text(), "18446744073709551615");
    }

    #[test]
    fn bad_extra_headers_are_kept_until_sending_and_values_stay_out_of_debug() {
        let with_secret = request("acc", "u").header("x-api-secret", "hunter2");
        assert!(with_secret.call.invalid.is_none());
        let shown = format!("{with_secret:?}");
        assert!(
            shown.contains("x-api-secret") && !shown.contains("hunter2"),
            "{shown}"
        );

        for (name, value) in [("bad name", "v"), ("x-ok", "line\nbreak"), ("", "v")] {
            match request("acc", "u").header(name, value).call.invalid {
                Some(Error::InvalidHeader {
                    operation,
                    name: got,
                }) => {
                    assert_eq!(operation, GET.name);
                    assert_eq!(got, name);
                }
                other => panic!("{name:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_first_problem_is_the_one_reported() {
        let request = request("", "u").header("bad name", "v");
        assert!(matches!(
            request.call.invalid,
            Some(Error::InvalidParameter {
                name: "account_id",
                ..
            })
        ));
    }

    #[test]
    fn bodies_that_cannot_be_json_are_reported_before_sending() {
        let mut map = std::collections::HashMap::new();
        map.insert((1, 2), "keys must be strings");
        let request = request("acc", "u").json(&map);
        assert!(matches!(
            request.call.invalid,
            Some(Error::Serialize { operation, .. }) if operation == GET.name
        ));
    }
}
