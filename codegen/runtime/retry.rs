//! When to try a request again, and how long to wait first.
//!
//! The decision is a pure function of the policy, the attempt and what happened, so every
//! rule is unit-tested without a server or a clock.

use std::time::Duration;

use reqwest::StatusCode;

/// How a client retries failed requests.
///
/// The default retries twice, waiting 0.5 s and then 1 s (doubling up to 8 s, each wait
/// shortened by up to a quarter at random so that many clients do not retry in step), and
/// honours the server's `Retry-After` up to 60 s. Retries happen on connection failures,
/// timeouts, 408, 409, 429 and 5xx — but a request that is not idempotent (creating an
/// integration) is only retried when it provably never reached the server: the connection
/// failed, or the server answered 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy::default().with_max_retries(0)
    }

    /// How many times a request may be retried after its first attempt.
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The first wait, and the cap the doubling waits stop at.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest `Retry-After` honoured; a server asking for more gets its error returned
    /// instead of a caller blocked for minutes.
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// How many times a request may be retried after its first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The wait before retry number `retry` (0-based), before jitter.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
        self.initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }
}

/// What one attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The connection could not be made: the request never left.
    ConnectFailed,
    /// No answer in time: the server may or may not have acted.
    TimedOut,
    /// Another transport failure after connecting (reset, broken body).
    Interrupted,
    /// The server answered with this status.
    Status(StatusCode),
}

/// What to do after an attempt that did not succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    Retry(Duration),
    GiveUp,
}

/// Decides whether to retry after `retries_done` retries. `jitter` is a number in `[0, 1)`
/// drawn by the caller; `retry_after` is what the server asked for, if anything.
pub(crate) fn decide(
    policy: &RetryPolicy,
    retries_done: u32,
    idempotent: bool,
    outcome: Outcome,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Decision {
    if retries_done >= policy.max_retries {
        return Decision::GiveUp;
    }
    let retryable = match outcome {
        // Nothing reached the server, or the server refused before acting: always safe.
        Outcome::ConnectFailed | Outcome::Status(StatusCode::TOO_MANY_REQUESTS) => true,
        // The outcome is unknown: only safe when repeating cannot do harm.
        Outcome::TimedOut | Outcome::Interrupted => idempotent,
        Outcome::Status(status) => {
            idempotent
                && (status == StatusCode::REQUEST_TIMEOUT
                    || status == StatusCode::CONFLICT
                    || status.is_server_error())
        }
    };
    if !retryable {
        return Decision::GiveUp;
    }
    match retry_after {
        Some(wait) if wait > policy.max_retry_after => Decision::GiveUp,
        Some(wait) => Decision::Retry(wait),
        None => {
            let full = policy.backoff(retries_done);
            Decision::Retry(full.mul_f64(1.0 - 0.25 * jitter.clamp(0.0, 1.0)))
        }
    }
}

/// A number in `[0, 1)` that differs between calls, without a random-number dependency:
/// std's `RandomState` is seeded randomly per process and per instance.
pub(crate) fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Reads `retry-after-ms` (milliseconds) or `Retry-After` (seconds or an HTTP date).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.trim().parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(Duration::from_secs_f64(ms / 1000.0));
        }
    }
    let value = text("retry-after")?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
    }

    fn status(code: u16) -> Outcome {
        Outcome::Status(StatusCode::from_u16(code).unwrap())
    }

    #[test]
    fn backoff_doubles_from_half_a_second_to_an_eight_second_cap() {
        let p = policy().with_max_retries(10);
        let waits: Vec<_> = (0..6)
            .map(|n| decide(&p, n, true, status(503), None, 0.0))
            .collect();
        let secs = |s: f64| Decision::Retry(Duration::from_secs_f64(s));
        assert_eq!(
            waits,
            vec![
                secs(0.5),
                secs(1.0),
                secs(2.0),
                secs(4.0),
                secs(8.0),
                secs(8.0)
            ]
        );
    }

    #[test]
    fn jitter_shortens_a_wait_by_at_most_a_quarter() {
        assert_eq!(
            decide(&policy(), 1, true, status(500), None, 0.999_999),
            Decision::Retry(Duration::from_secs_f64(1.0 * (1.0 - 0.25 * 0.999_999)))
        );
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j));
        }
    }

    #[test]
    fn gives_up_after_max_retries() {
        assert_eq!(
            decide(&policy(), 2, true, status(503), None, 0.0),
            Decision::GiveUp
        );
        assert_eq!(
            decide(&RetryPolicy::never(), 0, true, status(503), None, 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn idempotent_requests_retry_on_transient_failures_only() {
        for outcome in [
            Outcome::ConnectFailed,
            Outcome::TimedOut,
            Outcome::Interrupted,
            status(408),
            status(409),
            status(429),
            status(500),
            status(502),
            status(503),
        ] {
            assert!(
                matches!(
                    decide(&policy(), 0, true, outcome, None, 0.0),
                    Decision::Retry(_)
                ),
                "{outcome:?}"
            );
        }
        for outcome in [
            status(400),
            status(401),
            status(403),
            status(404),
            status(422),
        ] {
            assert_eq!(
                decide(&policy(), 0, true, outcome, None, 0.0),
                Decision::GiveUp,
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn non_idempotent_requests_retry_only_when_the_server_never_acted() {
        for outcome in [Outcome::ConnectFailed, status(429)] {
            assert!(
                matches!(
                    decide(&policy(), 0, false, outcome, None, 0.0),
                    Decision::Retry(_)
                ),
                "{outcome:?}"
            );
        }
        for outcome in [
            Outcome::TimedOut,
            Outcome::Interrupted,
            status(408),
            status(409),
            status(500),
            status(503),
        ] {
            assert_eq!(
                decide(&policy(), 0, false, outcome, None, 0.0),
                Decision::GiveUp,
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let wait = Some(Duration::from_secs(3));
        assert_eq!(
            decide(&policy(), 0, true, status(429), wait, 0.5),
            Decision::Retry(Duration::from_secs(3))
        );
        let too_long = Some(Duration::from_secs(61));
        assert_eq!(
            decide(&policy(), 0, true, status(429), too_long, 0.5),
            Decision::GiveUp
        );
    }

    #[test]
    fn parses_retry_after_in_all_three_forms() {
        use reqwest::header::{HeaderMap, HeaderValue};
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(250)));
        headers.clear();
        let later = std::time::SystemTime::now() + Duration::from_secs(30);
        headers.insert(
            "retry-after",
            HeaderValue::from_str(&httpdate::fmt_http_date(later)).unwrap(),
        );
        let parsed = retry_after(&headers).unwrap();
        assert!(
            parsed <= Duration::from_secs(30) && parsed >= Duration::from_secs(28),
            "{parsed:?}"
        );
        headers.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }
}
