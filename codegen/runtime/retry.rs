//! When to try a request again, and how long to wait first.
//!
//! The decision is a pure function of the policy, the attempt and what happened, so every
//! rule is unit-tested without a server or a clock.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// How a client retries failed requests.
///
/// The default retries twice. Waits start at 0.5 s and double up to 8 s, each shortened by
/// up to a quarter at random so that many clients failing together do not retry in step.
/// A server's `Retry-After` (or `retry-after-ms`) replaces the computed wait when it asks
/// for at most 60 s; when it asks for longer, the error is returned at once instead
/// ([`ApiError::retry_after`](crate::ApiError::retry_after) says how long), because
/// retrying sooner would only be refused again and blocking a call for minutes is worse
/// than letting the caller decide.
///
/// What is retried: failed connections, timeouts, dropped connections, and the statuses
/// 408, 409, 429 and 5xx. A request that is not idempotent (creating an integration) is
/// retried only when it provably had no effect: the connection could not be made, or the
/// server answered 429.
///
/// ```
/// use std::time::Duration;
/// use cloudflare_risk_scoring::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .with_max_retries(5)
///     .with_backoff(Duration::from_secs(1), Duration::from_secs(30));
/// assert_eq!(patient.max_retries(), 5);
/// ```
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
    #[must_use]
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The first wait, and the cap that the doubling waits stop at. A cap below `initial`
    /// is raised to it.
    #[must_use]
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest wait a server may ask for with `Retry-After` and still be retried.
    #[must_use]
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// How many times a request may be retried after its first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The wait before retry number `retry` (counting from 0), before jitter.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry).unwrap_or(u32::MAX);
        self.initial_backoff
            .checked_mul(factor)
            .map_or(self.max_backoff, |wait| wait.min(self.max_backoff))
    }
}

/// What one attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// No connection could be made, so the request never left.
    ConnectFailed,
    /// No complete answer in time: the server may or may not have acted.
    TimedOut,
    /// The connection failed after the request was sent (a reset, a cut-off body).
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

/// Decides whether to retry after `retries_done` retries.
///
/// `retry_after` is what the server asked for, if anything; `jitter` is a number in
/// `[0, 1)` drawn by the caller (see [`jitter`]), so that this function stays pure.
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
        // Nothing reached the server, or it refused before acting: always safe to repeat.
        Outcome::ConnectFailed | Outcome::Status(StatusCode::TOO_MANY_REQUESTS) => true,
        // The server may have acted: only safe when doing it twice is harmless.
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
        None => Decision::Retry(shorten(policy.backoff(retries_done), jitter)),
    }
}

/// Shortens `wait` by up to a quarter, in proportion to `jitter`.
fn shorten(wait: Duration, jitter: f64) -> Duration {
    // `try_from` rather than `from_secs_f64`, which panics; NaN jitter leaves `wait` as is.
    let cut = Duration::try_from_secs_f64(wait.as_secs_f64() * jitter.clamp(0.0, 1.0) / 4.0)
        .unwrap_or(Duration::ZERO);
    wait.saturating_sub(cut)
}

/// A number in `[0, 1)` that differs from call to call.
pub(crate) fn jitter() -> f64 {
    // The top 53 bits fill an f64's mantissa exactly.
    (random_bits() >> 11) as f64 / (1u64 << 53) as f64
}

/// 64 bits that differ from call to call, without a random-number crate: every
/// `RandomState` is keyed afresh from the operating system's randomness.
pub(crate) fn random_bits() -> u64 {
    use std::hash::{BuildHasher, Hasher};

    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u8(0);
    hasher.finish()
}

/// How long the server asked to wait: `retry-after-ms` (milliseconds, as some Cloudflare
/// services send), else `Retry-After` in seconds or as an HTTP date (relative to `now`).
/// Values that cannot be read are ignored rather than trusted.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    };
    let millis = text("retry-after-ms")
        .and_then(|value| value.parse::<f64>().ok())
        .filter(|ms| *ms >= 0.0)
        .and_then(|ms| Duration::try_from_secs_f64(ms / 1000.0).ok());
    if millis.is_some() {
        return millis;
    }
    let value = text("retry-after")?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    // A date in the past means "now".
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    use reqwest::header::HeaderValue;

    fn status(code: u16) -> Outcome {
        Outcome::Status(StatusCode::from_u16(code).unwrap())
    }

    fn retries(decision: Decision) -> bool {
        matches!(decision, Decision::Retry(_))
    }

    #[test]
    fn the_default_retries_twice() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.max_retries(), 2);
        assert!(retries(decide(&policy, 1, true, status(503), None, 0.0)));
        assert_eq!(
            decide(&policy, 2, true, status(503), None, 0.0),
            Decision::GiveUp
        );
        assert_eq!(
            decide(&RetryPolicy::never(), 0, true, status(503), None, 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn backoff_doubles_from_half_a_second_to_an_eight_second_cap() {
        let policy = RetryPolicy::default().with_max_retries(u32::MAX);
        let waits: Vec<Decision> = [0, 1, 2, 3, 4, 5, 40, u32::MAX - 1]
            .into_iter()
            .map(|n| decide(&policy, n, true, status(503), None, 0.0))
            .collect();
        let secs = |s: f64| Decision::Retry(Duration::from_secs_f64(s));
        assert_eq!(
            waits,
            [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0].map(secs).to_vec()
        );
    }

    #[test]
    fn jitter_shortens_a_wait_by_at_most_a_quarter() {
        let policy = RetryPolicy::default();
        assert_eq!(
            decide(&policy, 1, true, status(500), None, 0.5),
            Decision::Retry(Duration::from_millis(875))
        );
        assert_eq!(
            decide(&policy, 1, true, status(500), None, 1.0),
            Decision::Retry(Duration::from_millis(750))
        );
        // Out-of-range jitter cannot lengthen a wait, or panic.
        for odd in [-1.0, 7.0, f64::NAN, f64::INFINITY] {
            let Decision::Retry(wait) = decide(&policy, 1, true, status(500), None, odd) else {
                panic!("gave up");
            };
            assert!(wait <= Duration::from_secs(1), "{odd}: {wait:?}");
        }
        for _ in 0..1000 {
            assert!((0.0..1.0).contains(&jitter()));
        }
        let draws: std::collections::HashSet<u64> = (0..10).map(|_| jitter().to_bits()).collect();
        assert!(draws.len() > 1, "jitter never varies");
    }

    #[test]
    fn huge_backoffs_saturate_instead_of_panicking() {
        let policy = RetryPolicy::default()
            .with_max_retries(u32::MAX)
            .with_backoff(Duration::MAX, Duration::MAX);
        for retry in [0, 1, 63, 64, u32::MAX - 1] {
            assert!(retries(decide(
                &policy,
                retry,
                true,
                status(500),
                None,
                0.9
            )));
        }
    }

    #[test]
    fn a_cap_below_the_first_wait_is_raised_to_it() {
        let policy = RetryPolicy::default()
            .with_backoff(Duration::from_secs(2), Duration::from_secs(1))
            .with_max_retries(5);
        assert_eq!(
            decide(&policy, 3, true, status(500), None, 0.0),
            Decision::Retry(Duration::from_secs(2))
        );
    }

    #[test]
    fn idempotent_requests_retry_on_transient_failures_only() {
        let policy = RetryPolicy::default();
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
            status(504),
            status(599),
        ] {
            assert!(
                retries(decide(&policy, 0, true, outcome, None, 0.0)),
                "{outcome:?}"
            );
        }
        for outcome in [
            status(300),
            status(307),
            status(400),
            status(401),
            status(403),
            status(404),
            status(405),
            status(422),
        ] {
            assert_eq!(
                decide(&policy, 0, true, outcome, None, 0.0),
                Decision::GiveUp,
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn other_requests_retry_only_when_they_provably_had_no_effect() {
        let policy = RetryPolicy::default();
        for outcome in [Outcome::ConnectFailed, status(429)] {
            assert!(
                retries(decide(&policy, 0, false, outcome, None, 0.0)),
                "{outcome:?}"
            );
        }
        for outcome in [
            Outcome::TimedOut,
            Outcome::Interrupted,
            status(408),
            status(409),
            status(500),
            status(502),
            status(503),
        ] {
            assert_eq!(
                decide(&policy, 0, false, outcome, None, 0.0),
                Decision::GiveUp,
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn retry_after_replaces_the_backoff_up_to_the_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(
            decide(
                &policy,
                0,
                true,
                status(429),
                Some(Duration::from_secs(3)),
                0.5
            ),
            Decision::Retry(Duration::from_secs(3))
        );
        assert_eq!(
            decide(&policy, 0, false, status(429), Some(Duration::ZERO), 0.5),
            Decision::Retry(Duration::ZERO)
        );
        assert_eq!(
            decide(
                &policy,
                0,
                true,
                status(429),
                Some(Duration::from_secs(60)),
                0.5
            ),
            Decision::Retry(Duration::from_secs(60))
        );
        assert_eq!(
            decide(
                &policy,
                0,
                true,
                status(429),
                Some(Duration::from_secs(61)),
                0.5
            ),
            Decision::GiveUp
        );
        let patient = policy.with_max_retry_after(Duration::from_secs(120));
        assert!(retries(decide(
            &patient,
            0,
            true,
            status(429),
            Some(Duration::from_secs(61)),
            0.5
        )));
        // It never makes an unretryable outcome retryable.
        assert_eq!(
            decide(&policy, 0, false, status(503), Some(Duration::ZERO), 0.5),
            Decision::GiveUp
        );
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn retry_after_is_read_in_seconds_milliseconds_or_as_a_date() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        let read = |pairs: &[(&'static str, &str)]| retry_after(&headers(pairs), now);

        assert_eq!(read(&[]), None);
        assert_eq!(read(&[("retry-after", "7")]), Some(Duration::from_secs(7)));
        assert_eq!(read(&[("retry-after", " 0 ")]), Some(Duration::ZERO));
        assert_eq!(
            read(&[("retry-after-ms", "250")]),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            read(&[("retry-after-ms", "12.5")]),
            Some(Duration::from_micros(12_500))
        );
        assert_eq!(
            read(&[("retry-after", "7"), ("retry-after-ms", "250")]),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            read(&[("retry-after", "Wed, 21 Oct 2015 07:28:30 GMT")]),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            read(&[("retry-after", "Wed, 21 Oct 2015 07:00:00 GMT")]),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn unreadable_retry_after_values_are_ignored_without_panicking() {
        let now = SystemTime::now();
        let read = |pairs: &[(&'static str, &str)]| retry_after(&headers(pairs), now);

        for value in ["soon", "-1", "1.5", "", "99999999999999999999999"] {
            assert_eq!(read(&[("retry-after", value)]), None, "{value}");
        }
        for value in ["-5", "NaN", "inf", "1e300", "soon"] {
            assert_eq!(read(&[("retry-after-ms", value)]), None, "{value}");
        }
        // An unreadable `retry-after-ms` falls back to `Retry-After`.
        assert_eq!(
            read(&[("retry-after-ms", "1e300"), ("retry-after", "3")]),
            Some(Duration::from_secs(3))
        );
        // A huge but readable value is returned as is; `decide` refuses to wait that long.
        assert_eq!(
            read(&[("retry-after", "18446744073709551615")]),
            Some(Duration::from_secs(u64::MAX))
        );
    }
}
