//! The one error type of the crate, and the API's own error reports.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;

/// Everything that can go wrong building a client or making a call.
///
/// Every variant raised by a call names the operation (such as
/// `zero_trust.risk_scoring.integrations.create`), so a log line says which call failed
/// without a backtrace. The message of the underlying error, when there is one, is part of
/// this error's message; [`source`](std::error::Error::source) continues from the cause's
/// own cause, so printing the whole chain repeats nothing.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built: a malformed base URL, missing credentials, or a
    /// credential that cannot be sent in a header. The message never contains a secret.
    Config(String),
    /// A path parameter was empty, `.` or `..`, which would send the request somewhere
    /// other than where the operation lives. Nothing was sent.
    InvalidParameter {
        /// The operation that was called.
        operation: &'static str,
        /// The parameter's name, as in the API reference.
        name: &'static str,
    },
    /// An extra header given with [`Request::header`](crate::Request::header) has a name
    /// or value that HTTP does not allow. Nothing was sent.
    InvalidHeader {
        /// The operation that was called.
        operation: &'static str,
        /// The header's name, as given.
        name: String,
    },
    /// The request body could not be serialised to JSON. Nothing was sent.
    Serialize {
        /// The operation that was called.
        operation: &'static str,
        /// What went wrong.
        source: serde_json::Error,
    },
    /// The last attempt got no complete answer in time: connecting took longer than the
    /// connect timeout, or the whole attempt longer than its timeout.
    Timeout {
        /// The operation that was called.
        operation: &'static str,
        /// How many attempts were made, retries included.
        attempts: u32,
        /// What the last attempt was doing when its time ran out.
        phase: TimeoutPhase,
    },
    /// The last attempt failed below HTTP: the connection was refused or reset, TLS failed,
    /// or the body was cut off.
    Transport {
        /// The operation that was called.
        operation: &'static str,
        /// How many attempts were made, retries included.
        attempts: u32,
        /// What went wrong.
        source: reqwest::Error,
    },
    /// The response body was larger than
    /// [`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)
    /// allows (32 MiB by default), whatever the status. Reading stopped at the limit, or
    /// did not start when `Content-Length` was over it. Not retried: the same request
    /// would get the same answer.
    ResponseTooLarge {
        /// The operation that was called.
        operation: &'static str,
        /// The HTTP status of the response.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
    },
    /// Following the pages of a list, the server handed back a cursor it had given before:
    /// going on would fetch the same pages forever, so the stream ends here.
    RepeatedCursor {
        /// The operation whose pages were followed.
        operation: &'static str,
    },
    /// The API answered with an error: a status other than 2xx, or `"success": false`.
    Api(Box<ApiError>),
    /// The API answered with success, but the body is not what the operation returns.
    Decode {
        /// The operation that was called.
        operation: &'static str,
        /// The HTTP status of the response.
        status: StatusCode,
        /// Where in the body decoding failed, from its root, such as
        /// `result.events[0].timestamp`; empty when the body is not an envelope at all: not
        /// JSON, not an object, or without `success`. A path of more than 32 segments keeps
        /// 8 at each end and counts the rest: `result.a.b…(40 more)….y.z`.
        path: String,
        /// The start of the body (at most 512 bytes, cut on a character boundary) when
        /// `path` is empty and the body is not empty: what came instead of an envelope, such
        /// as an HTML page. `None` for a failure inside the JSON, which the path locates
        /// without repeating the body's data.
        body_snippet: Option<String>,
        /// What was wrong there.
        source: serde_json::Error,
    },
}

impl Error {
    /// The API's error report, when the API answered with one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The HTTP status of the response, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(error) => Some(error.status),
            Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
            Error::InvalidParameter { operation, name } => write!(
                f,
                "{operation}: path parameter `{name}` must not be empty, `.` or `..`"
            ),
            Error::InvalidHeader { operation, name } => {
                write!(f, "{operation}: header {name:?} cannot be sent over HTTP")
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
                phase,
            } => write!(
                f,
                "{operation}: timed out {phase} ({})",
                Attempts(*attempts)
            ),
            Error::Transport {
                operation,
                attempts,
                source,
            } => write!(
                f,
                "{operation}: request failed ({}): {source}",
                Attempts(*attempts)
            ),
            Error::ResponseTooLarge {
                operation,
                status,
                limit,
            } => write!(
                f,
                "{operation}: the response body (HTTP {status}) is larger than the limit of \
                 {limit} bytes; raise it with ClientBuilder::max_response_size"
            ),
            Error::RepeatedCursor { operation } => write!(
                f,
                "{operation}: the server repeated a page cursor; stopped rather than fetch the \
                 same pages again"
            ),
            Error::Api(error) => error.fmt(f),
            Error::Decode {
                operation,
                status,
                path,
                body_snippet,
                source,
            } => {
                write!(f, "{operation}: cannot decode the response (HTTP {status})")?;
                if !path.is_empty() {
                    write!(f, " at `{path}`")?;
                }
                write!(f, ": {source}")?;
                if let Some(snippet) = body_snippet.as_deref().filter(|_| path.is_empty()) {
                    // Quoted, so that an HTML page stays on one log line.
                    write!(f, ": {snippet:?}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // The direct causes are already in the message; go on from theirs.
        match self {
            Error::Transport { source, .. } => source.source(),
            Error::Serialize { source, .. } | Error::Decode { source, .. } => source.source(),
            _ => None,
        }
    }
}

/// What an attempt was doing when its time ran out, in [`Error::Timeout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// Connecting to the server took longer than the connect timeout
    /// ([`ClientBuilder::connect_timeout`](crate::ClientBuilder::connect_timeout)), so the
    /// request was never sent.
    Connect,
    /// The response's status and headers did not arrive in time. The request may have been
    /// sent and acted on. This is also where an attempt's timeout shorter than the connect
    /// timeout runs out while still connecting, which cannot be told apart from outside.
    ResponseHeaders,
    /// The status and headers had arrived, but the body did not finish in time.
    ResponseBody,
}

impl fmt::Display for TimeoutPhase {
    /// What the client was doing, as in "timed out waiting for the response headers".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connecting",
            TimeoutPhase::ResponseHeaders => "waiting for the response headers",
            TimeoutPhase::ResponseBody => "reading the response body",
        })
    }
}

/// "1 attempt", "3 attempts".
struct Attempts(u32);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("1 attempt"),
            n => write!(f, "{n} attempts"),
        }
    }
}

/// A wait as a person reads it: "120 s", "1.5 s", "250 ms".
struct Wait(Duration);

impl fmt::Display for Wait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wait = self.0;
        if wait < Duration::from_secs(1) {
            // Nanoseconds over a million, rather than `as_secs_f64() * 1000.0`, so that
            // 12.5 ms does not print as 12.500000000000002 ms.
            write!(f, "{} ms", f64::from(wait.subsec_nanos()) / 1e6)
        } else if wait.subsec_nanos() == 0 {
            write!(f, "{} s", wait.as_secs())
        } else {
            write!(f, "{} s", wait.as_secs_f64())
        }
    }
}

/// The API's answer when it refused a call.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation that was called.
    pub operation: &'static str,
    /// The HTTP status: 4xx or 5xx, a 3xx (redirects are not followed), or 200 when the
    /// envelope said `"success": false`.
    pub status: StatusCode,
    /// Every error the envelope listed, in order; empty when the body was not an envelope.
    pub errors: Vec<ApiMessage>,
    /// The `cf-ray` header, which identifies the request to Cloudflare's support.
    pub ray_id: Option<String>,
    /// How long the server asked to wait before trying again (`Retry-After` or
    /// `retry-after-ms`). The call was retried as long as the policy allowed; this is what
    /// the last answer asked for.
    pub retry_after: Option<Duration>,
    /// Where a redirect pointed: the `Location` header of a 3xx answer, which this crate
    /// does not follow (see [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)).
    /// `None` for other statuses, or when the header is missing or not visible ASCII.
    pub location: Option<String>,
    /// The start of the body (at most 512 bytes, cut on a character boundary) when it
    /// listed no errors: an HTML page from a proxy, say.
    pub body_snippet: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.operation)?;
        if self.status.is_success() {
            write!(f, "the API reported failure (HTTP {})", self.status)?;
        } else {
            write!(f, "HTTP {}", self.status)?;
        }
        // What the status alone does not say, in one parenthesis: `(a; b)`.
        let mut notes = 0;
        let mut note = |f: &mut fmt::Formatter<'_>, note: fmt::Arguments<'_>| {
            f.write_str(if notes == 0 { " (" } else { "; " })?;
            notes += 1;
            f.write_fmt(note)
        };
        if self.status.is_redirection() {
            note(f, format_args!("redirects are not followed"))?;
            if let Some(location) = &self.location {
                note(f, format_args!("Location: {location}"))?;
            }
        }
        if let Some(wait) = self.retry_after {
            note(f, format_args!("the server asked to wait {}", Wait(wait)))?;
        }
        if notes > 0 {
            f.write_str(")")?;
        }
        for (i, error) in self.errors.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            write!(f, "{} (code {})", error.message, error.code)?;
        }
        if let Some(snippet) = self.body_snippet.as_deref().filter(|s| !s.is_empty()) {
            // Quoted, so that an HTML page stays on one log line.
            write!(f, ": {snippet:?}")?;
        }
        if let Some(ray_id) = &self.ray_id {
            write!(f, " [cf-ray {ray_id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// One entry of an envelope's `errors` or `messages`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ApiMessage {
    /// Cloudflare's numeric code for it.
    pub code: i64,
    /// What happened, in English.
    pub message: String,
    /// A page that explains the code, when the API links one.
    #[serde(default)]
    pub documentation_url: Option<String>,
    /// The part of the request it is about, when the API says.
    #[serde(default)]
    pub source: Option<MessageSource>,
}

/// The part of a request that an [`ApiMessage`] is about.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MessageSource {
    /// A JSON pointer into the request body, such as `/tenant_url`.
    #[serde(default)]
    pub pointer: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16, errors: Vec<ApiMessage>, snippet: Option<&str>) -> ApiError {
        ApiError {
            operation: "zero_trust.risk_scoring.get",
            status: StatusCode::from_u16(status).unwrap(),
            errors,
            ray_id: Some("8f1e-LHR".to_owned()),
            retry_after: None,
            location: None,
            body_snippet: snippet.map(str::to_owned),
        }
    }

    fn message(code: i64, text: &str) -> ApiMessage {
        ApiMessage {
            code,
            message: text.to_owned(),
            documentation_url: None,
            source: None,
        }
    }

    #[test]
    fn api_errors_read_as_one_line_naming_the_operation() {
        let refused = api_error(
            403,
            vec![message(10000, "Authentication error"), message(9109, "Bad")],
            None,
        );
        assert_eq!(
            refused.to_string(),
            "zero_trust.risk_scoring.get: HTTP 403 Forbidden: Authentication error (code 10000); \
             Bad (code 9109) [cf-ray 8f1e-LHR]"
        );
        let html = api_error(502, vec![], Some("<html>\n<h1>Bad gateway</h1>"));
        assert_eq!(
            html.to_string(),
            "zero_trust.risk_scoring.get: HTTP 502 Bad Gateway: \"<html>\\n<h1>Bad gateway</h1>\" \
             [cf-ray 8f1e-LHR]"
        );
        let ok_but_failed = api_error(200, vec![message(1003, "Invalid account")], None);
        assert_eq!(
            ok_but_failed.to_string(),
            "zero_trust.risk_scoring.get: the API reported failure (HTTP 200 OK): \
             Invalid account (code 1003) [cf-ray 8f1e-LHR]"
        );
        let mut moved = api_error(301, vec![], Some(""));
        assert_eq!(
            moved.to_string(),
            "zero_trust.risk_scoring.get: HTTP 301 Moved Permanently \
             (redirects are not followed) [cf-ray 8f1e-LHR]"
        );
        moved.location = Some("https://api.example.com/client/v4/x".to_owned());
        moved.retry_after = Some(Duration::from_secs(2));
        assert_eq!(
            moved.to_string(),
            "zero_trust.risk_scoring.get: HTTP 301 Moved Permanently \
             (redirects are not followed; Location: https://api.example.com/client/v4/x; \
             the server asked to wait 2 s) [cf-ray 8f1e-LHR]"
        );
    }

    #[test]
    fn api_errors_say_how_long_the_server_asked_to_wait() {
        let mut limited = api_error(429, vec![message(971, "Slow down")], None);
        limited.ray_id = None;
        for (wait, shown) in [
            (Duration::from_secs(120), "120 s"),
            (Duration::from_millis(1500), "1.5 s"),
            (Duration::from_millis(250), "250 ms"),
            (Duration::from_micros(12_500), "12.5 ms"),
            (Duration::ZERO, "0 ms"),
        ] {
            limited.retry_after = Some(wait);
            assert_eq!(
                limited.to_string(),
                format!(
                    "zero_trust.risk_scoring.get: HTTP 429 Too Many Requests \
                     (the server asked to wait {shown}): Slow down (code 971)"
                )
            );
        }
    }

    #[test]
    fn timeouts_say_what_ran_out_and_count_attempts_in_words() {
        let timeout = |attempts, phase| {
            Error::Timeout {
                operation: "op",
                attempts,
                phase,
            }
            .to_string()
        };
        assert_eq!(
            timeout(1, TimeoutPhase::Connect),
            "op: timed out connecting (1 attempt)"
        );
        assert_eq!(
            timeout(3, TimeoutPhase::ResponseHeaders),
            "op: timed out waiting for the response headers (3 attempts)"
        );
        assert_eq!(
            timeout(2, TimeoutPhase::ResponseBody),
            "op: timed out reading the response body (2 attempts)"
        );
    }

    #[test]
    fn a_response_too_large_says_the_limit_and_how_to_raise_it() {
        let error = Error::ResponseTooLarge {
            operation: "op",
            status: StatusCode::OK,
            limit: 1024,
        };
        assert_eq!(
            error.to_string(),
            "op: the response body (HTTP 200 OK) is larger than the limit of 1024 bytes; \
             raise it with ClientBuilder::max_response_size"
        );
        assert_eq!(error.status(), Some(StatusCode::OK));
    }

    #[test]
    fn decode_errors_show_the_path_when_there_is_one() {
        let source = || serde_json::from_str::<u8>("\"x\"").unwrap_err();
        let at_path = Error::Decode {
            operation: "op",
            status: StatusCode::OK,
            path: "result.events[0].timestamp".to_owned(),
            body_snippet: None,
            source: source(),
        };
        assert!(at_path
            .to_string()
            .starts_with("op: cannot decode the response (HTTP 200 OK) at `result.events[0].timestamp`: invalid type"));
        let whole_body = Error::Decode {
            operation: "op",
            status: StatusCode::OK,
            path: String::new(),
            body_snippet: None,
            source: source(),
        };
        assert!(whole_body
            .to_string()
            .starts_with("op: cannot decode the response (HTTP 200 OK): invalid type"));

        let html = Error::Decode {
            operation: "op",
            status: StatusCode::OK,
            path: String::new(),
            body_snippet: Some("<html>\n<h1>Maintenance</h1>".to_owned()),
            source: serde_json::from_str::<u8>("<html>").unwrap_err(),
        };
        assert_eq!(
            html.to_string(),
            "op: cannot decode the response (HTTP 200 OK): expected value at line 1 column 1: \
             \"<html>\\n<h1>Maintenance</h1>\""
        );
    }

    #[test]
    fn errors_can_cross_threads() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_send_sync::<ApiError>();
    }
}
