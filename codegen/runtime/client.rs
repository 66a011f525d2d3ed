//! The client: where requests go, how they authenticate, and the connection pool they
//! share.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};
use reqwest::Url;

use crate::error::Error;
use crate::retry::RetryPolicy;

const DEFAULT_BASE_URL: &str = "https://api.cloudflare.com/client/v4";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Far above any answer of this API (its lists are paged), far below what hurts a process.
const DEFAULT_MAX_RESPONSE_SIZE: usize = 32 * 1024 * 1024;
const CRATE_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

// The variables Cloudflare's official SDKs read, so one environment configures both.
const ENV_TOKEN: &str = "CLOUDFLARE_API_TOKEN";
const ENV_KEY: &str = "CLOUDFLARE_API_KEY";
const ENV_EMAIL: &str = "CLOUDFLARE_EMAIL";
const ENV_SERVICE_KEY: &str = "CLOUDFLARE_API_USER_SERVICE_KEY";
const ENV_BASE_URL: &str = "CLOUDFLARE_BASE_URL";

/// A client for the API. Cheap to clone: clones share one connection pool and one
/// configuration.
///
/// ```no_run
/// # async fn run() -> Result<(), cloudflare_risk_scoring::Error> {
/// use std::time::Duration;
/// use cloudflare_risk_scoring::Client;
///
/// let client = Client::builder()
///     .api_token("…")
///     .timeout(Duration::from_secs(20))
///     .build()?;
/// let integrations = client
///     .zero_trust()
///     .risk_scoring()
///     .integrations()
///     .list("023e105f4ecef8ad9ca31a8372d0c353")
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    /// `User-Agent`, `Accept` and the credentials, sent with every request; the
    /// credentials are marked sensitive.
    headers: HeaderMap,
    /// What kind of credentials `headers` holds, for `Debug`.
    credentials: &'static str,
    timeout: Duration,
    retry: RetryPolicy,
    max_response_size: usize,
}

impl Client {
    /// A builder with the defaults: Cloudflare's base URL, a 60 s timeout per attempt, a
    /// 5 s connect timeout, [`RetryPolicy::default`] and response bodies of at most 32 MiB.
    /// Credentials must be given.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment, as Cloudflare's official SDKs are.
    ///
    /// Credentials come from `CLOUDFLARE_API_KEY` with `CLOUDFLARE_EMAIL`, else
    /// `CLOUDFLARE_API_TOKEN`, else `CLOUDFLARE_API_USER_SERVICE_KEY` (the order the
    /// official SDKs use when several are set); `CLOUDFLARE_BASE_URL`, when set, replaces
    /// the base URL. Empty variables count as unset. With no credentials in the
    /// environment, the error names the variables it looked for.
    ///
    /// To change other settings too, start from [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The URL of `path` (which starts with `/` and is already percent-encoded) under the
    /// base URL, with an already-encoded `query` if it is not empty.
    pub(crate) fn url(&self, path: &str, query: &str) -> Url {
        let mut url = self.inner.base_url.clone();
        // `/client/v4/` and `/client/v4` are the same base: join with exactly one `/`.
        let full_path = format!("{}{path}", url.path().trim_end_matches('/'));
        url.set_path(&full_path);
        url.set_query((!query.is_empty()).then_some(query));
        url
    }

    pub(crate) fn default_headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    pub(crate) fn max_response_size(&self) -> usize {
        self.inner.max_response_size
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("max_response_size", &self.inner.max_response_size)
            .finish_non_exhaustive()
    }
}

/// How the client authenticates. `Debug` shows only the kind.
#[derive(Clone)]
enum Credentials {
    Token(String),
    KeyAndEmail { key: String, email: String },
    UserServiceKey(String),
}

impl Credentials {
    fn kind(&self) -> &'static str {
        match self {
            Credentials::Token(_) => "api token (redacted)",
            Credentials::KeyAndEmail { .. } => "api key and email (redacted)",
            Credentials::UserServiceKey(_) => "user service key (redacted)",
        }
    }

    /// Adds the credentials' headers, marked sensitive so that `Debug` of the headers and
    /// HTTP/2 header compression never reveal them.
    fn add_to(&self, headers: &mut HeaderMap) -> Result<(), Error> {
        // Messages name what is wrong, never the value: it is a secret.
        let mut add = |name: HeaderName, what: &str, prefix: &str, value: &str| {
            // Surrounding whitespace is a copy-and-paste accident (a newline read from a
            // file), never part of a credential.
            let value = value.trim();
            if value.is_empty() {
                return Err(Error::Config(format!("the {what} is empty")));
            }
            // HTTP tolerates some non-ASCII bytes in values, but no Cloudflare credential
            // has any: one there is a mistake better reported now than as a 401 later.
            let unsendable = || {
                Error::Config(format!(
                    "the {what} contains characters that cannot be sent in an HTTP header"
                ))
            };
            if !value.is_ascii() {
                return Err(unsendable());
            }
            let mut value =
                HeaderValue::from_str(&format!("{prefix}{value}")).map_err(|_| unsendable())?;
            value.set_sensitive(true);
            headers.insert(name, value);
            Ok(())
        };
        match self {
            Credentials::Token(token) => add(AUTHORIZATION, "API token", "Bearer ", token),
            Credentials::KeyAndEmail { key, email } => {
                add(HeaderName::from_static("x-auth-key"), "API key", "", key)?;
                add(HeaderName::from_static("x-auth-email"), "email", "", email)
            }
            Credentials::UserServiceKey(key) => add(
                HeaderName::from_static("x-auth-user-service-key"),
                "user service key",
                "",
                key,
            ),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind())
    }
}

/// Configures a [`Client`]; see [`Client::builder`].
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    credentials: Option<Credentials>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    max_response_size: Option<usize>,
}

impl ClientBuilder {
    /// A builder holding what the environment says (see [`Client::from_env`]), to adjust
    /// before [`build`](ClientBuilder::build).
    pub fn from_env() -> Result<ClientBuilder, Error> {
        ClientBuilder::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`from_env`](ClientBuilder::from_env) with the environment given as a function, so
    /// that tests need not change the process's environment.
    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let var = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let mut builder = ClientBuilder::default();
        if let Some(url) = var(ENV_BASE_URL) {
            builder = builder.base_url(url);
        }
        let credentials = match (var(ENV_KEY), var(ENV_EMAIL), var(ENV_TOKEN)) {
            (Some(key), Some(email), _) => Credentials::KeyAndEmail { key, email },
            (_, _, Some(token)) => Credentials::Token(token),
            (key, email, None) => match var(ENV_SERVICE_KEY) {
                Some(key) => Credentials::UserServiceKey(key),
                None if key.is_some() => {
                    return Err(Error::Config(format!(
                        "{ENV_KEY} is set but {ENV_EMAIL} is not; an API key needs the email of its account"
                    )))
                }
                None if email.is_some() => {
                    return Err(Error::Config(format!(
                        "{ENV_EMAIL} is set but {ENV_KEY} is not; set both, or {ENV_TOKEN}"
                    )))
                }
                None => {
                    return Err(Error::Config(format!(
                        "no Cloudflare credentials in the environment: set {ENV_TOKEN}, \
                         or {ENV_KEY} and {ENV_EMAIL}, or {ENV_SERVICE_KEY}"
                    )))
                }
            },
        };
        builder.credentials = Some(credentials);
        Ok(builder)
    }

    /// The API's base URL (default `https://api.cloudflare.com/client/v4`). Operation paths
    /// are appended to its path, with or without a trailing `/`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Authenticates with an API token (`Authorization: Bearer …`), the way Cloudflare
    /// recommends.
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Token(token.into()));
        self
    }

    /// Authenticates with a global API key and the email of its account (`X-Auth-Key` and
    /// `X-Auth-Email`).
    pub fn api_key(mut self, key: impl Into<String>, email: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::KeyAndEmail {
            key: key.into(),
            email: email.into(),
        });
        self
    }

    /// Authenticates with a user service key (`X-Auth-User-Service-Key`).
    pub fn user_service_key(mut self, key: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::UserServiceKey(key.into()));
        self
    }

    /// Sends requests with this `reqwest` client, for a proxy, custom root certificates and
    /// the like.
    ///
    /// Its own connection settings then apply, so [`connect_timeout`] cannot be combined
    /// with it. Build it with `redirect(reqwest::redirect::Policy::none())`, as the client
    /// this crate builds is: `reqwest` drops `Authorization` when a redirect leaves the
    /// host, but not Cloudflare's `X-Auth-Key`, `X-Auth-Email` and
    /// `X-Auth-User-Service-Key`.
    ///
    /// [`connect_timeout`]: ClientBuilder::connect_timeout
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// How long one attempt may take, from connecting to the end of the response body
    /// (default 60 s). [`Request::timeout`](crate::Request::timeout) overrides it per call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long connecting may take (default 5 s). Only for the client this crate builds:
    /// with [`http_client`](ClientBuilder::http_client), set it on that client instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How failed requests are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The most bytes a response body may have (default 32 MiB), error responses included;
    /// headers are not counted. A body that would pass it fails the call with
    /// [`Error::ResponseTooLarge`]: refused when its `Content-Length` says so, else as soon
    /// as the bytes read pass the limit, so that no answer can make the client hold more
    /// than this in memory. Such a call is not retried, since the same request would get
    /// the same answer.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::Config`] on a malformed base URL, without credentials, with a
    /// credential that cannot be sent in a header, or with both
    /// [`http_client`](ClientBuilder::http_client) and
    /// [`connect_timeout`](ClientBuilder::connect_timeout).
    pub fn build(self) -> Result<Client, Error> {
        let base_url = parse_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let credentials = self.credentials.ok_or_else(|| {
            Error::Config(
                "no credentials: call api_token, api_key or user_service_key, or use Client::from_env"
                    .to_owned(),
            )
        })?;
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, HeaderValue::from_static(CRATE_USER_AGENT));
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        credentials.add_to(&mut headers)?;

        let http = match (self.http, self.connect_timeout) {
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "connect_timeout cannot change a caller-supplied reqwest client; set it on that client"
                        .to_owned(),
                ))
            }
            (Some(http), None) => http,
            (None, connect_timeout) => reqwest::Client::builder()
                .connect_timeout(connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                // The API never redirects; following one could carry credentials elsewhere.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| {
                    Error::Config(format!("cannot set up the HTTP client: {error}"))
                })?,
        };

        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                headers,
                credentials: credentials.kind(),
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                retry: self.retry.unwrap_or_default(),
                max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
            }),
        })
    }
}

/// Checks that `text` is a URL that operation paths can be appended to.
fn parse_base_url(text: &str) -> Result<Url, Error> {
    // A URL with user info carries a password: never repeat it in a message.
    let shown = if text.contains('@') {
        "(not shown: it contains `@`)".to_owned()
    } else {
        format!("{text:?}")
    };
    let invalid = |why: &str| Error::Config(format!("invalid base URL {shown}: {why}"));
    let url = Url::parse(text.trim()).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(invalid("expected an http or https URL"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "it must not contain credentials; give them to the builder",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not have a query or a fragment"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> Result<ClientBuilder, Error> {
        ClientBuilder::from_lookup(|name| {
            vars.iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    fn credentials(vars: &'static [(&'static str, &'static str)]) -> &'static str {
        env(vars)
            .unwrap()
            .credentials
            .map_or("none", |credentials| credentials.kind())
    }

    fn message(result: Result<impl fmt::Debug, Error>) -> String {
        match result {
            Err(Error::Config(message)) => message,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn env_picks_credentials_in_the_official_sdks_order() {
        let key = "api key and email (redacted)";
        let token = "api token (redacted)";
        let service = "user service key (redacted)";
        assert_eq!(
            credentials(&[
                (ENV_TOKEN, "t"),
                (ENV_KEY, "k"),
                (ENV_EMAIL, "e"),
                (ENV_SERVICE_KEY, "s")
            ]),
            key
        );
        assert_eq!(
            credentials(&[(ENV_TOKEN, "t"), (ENV_SERVICE_KEY, "s")]),
            token
        );
        // An incomplete key does not stop a complete token from being used.
        assert_eq!(credentials(&[(ENV_TOKEN, "t"), (ENV_KEY, "k")]), token);
        assert_eq!(credentials(&[(ENV_TOKEN, "t"), (ENV_EMAIL, "e")]), token);
        assert_eq!(credentials(&[(ENV_SERVICE_KEY, "s")]), service);
        assert_eq!(
            credentials(&[(ENV_SERVICE_KEY, "s"), (ENV_KEY, "k")]),
            service
        );
        // Empty variables count as unset.
        assert_eq!(
            credentials(&[(ENV_TOKEN, " "), (ENV_SERVICE_KEY, "s")]),
            service
        );
    }

    #[test]
    fn env_sets_the_base_url_when_it_is_given() {
        let builder = env(&[(ENV_TOKEN, "t"), (ENV_BASE_URL, "http://127.0.0.1:1/v4")]).unwrap();
        assert_eq!(builder.base_url.as_deref(), Some("http://127.0.0.1:1/v4"));
        let builder = env(&[(ENV_TOKEN, "t"), (ENV_BASE_URL, "")]).unwrap();
        assert_eq!(builder.base_url, None);
    }

    #[test]
    fn env_without_credentials_says_which_variables_to_set() {
        let none = message(env(&[(ENV_BASE_URL, "http://localhost")]));
        for name in [ENV_TOKEN, ENV_KEY, ENV_EMAIL, ENV_SERVICE_KEY] {
            assert!(none.contains(name), "{none}");
        }
        let key_only = message(env(&[(ENV_KEY, "k")]));
        assert!(key_only.contains(ENV_EMAIL), "{key_only}");
        assert!(!key_only.contains("\"k\""), "{key_only}");
        let email_only = message(env(&[(ENV_EMAIL, "e")]));
        assert!(email_only.contains(ENV_KEY), "{email_only}");
    }

    #[test]
    fn base_urls_must_be_http_urls_that_paths_can_follow() {
        for good in [
            "https://api.cloudflare.com/client/v4",
            "https://api.cloudflare.com/client/v4/",
            "http://127.0.0.1:8080",
            " http://[::1]:8080/v4 ",
        ] {
            assert!(parse_base_url(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "not a url",
            "/client/v4",
            "ftp://example.com",
            "mailto:a@b.c",
            "data:text/plain,x",
            "https://x/v4?a=b",
            "https://x/v4#f",
            "https://",
        ] {
            assert!(
                matches!(parse_base_url(bad), Err(Error::Config(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_base_url_with_a_password_is_refused_without_repeating_it() {
        for url in [
            "https://user:hunter2@example.com/v4",
            "https://hunter2@example.com",
            "http://a:hunter2@[bad",
        ] {
            let shown = message(parse_base_url(url));
            assert!(!shown.contains("hunter2"), "{shown}");
        }
    }

    #[test]
    fn operation_paths_join_the_base_path_with_one_slash() {
        let path = "/accounts/a%2Fb/zt_risk_scoring";
        for (base, expected) in [
            (
                "https://h/client/v4",
                "https://h/client/v4/accounts/a%2Fb/zt_risk_scoring",
            ),
            (
                "https://h/client/v4/",
                "https://h/client/v4/accounts/a%2Fb/zt_risk_scoring",
            ),
            (
                "https://h/client/v4//",
                "https://h/client/v4/accounts/a%2Fb/zt_risk_scoring",
            ),
            (
                "http://h:8080",
                "http://h:8080/accounts/a%2Fb/zt_risk_scoring",
            ),
            (
                "http://h:8080/",
                "http://h:8080/accounts/a%2Fb/zt_risk_scoring",
            ),
        ] {
            let client = Client::builder()
                .base_url(base)
                .api_token("t")
                .build()
                .unwrap();
            assert_eq!(client.url(path, "").as_str(), expected, "{base}");
        }
        let client = Client::builder().api_token("t").build().unwrap();
        assert_eq!(
            client.url("/x", "a=1&b=%26").as_str(),
            "https://api.cloudflare.com/client/v4/x?a=1&b=%26"
        );
    }

    #[test]
    fn credentials_are_trimmed_and_must_be_sendable() {
        let client = Client::builder().api_token(" t0ken\n").build().unwrap();
        let sent = &client.default_headers()[AUTHORIZATION];
        assert_eq!(sent, "Bearer t0ken");
        assert!(sent.is_sensitive());

        let client = Client::builder()
            .api_key("k", "me@example.com")
            .build()
            .unwrap();
        assert!(client.default_headers()["x-auth-key"].is_sensitive());
        assert!(client.default_headers()["x-auth-email"].is_sensitive());
        assert!(!client.default_headers().contains_key(AUTHORIZATION));

        for builder in [
            Client::builder().api_token(""),
            Client::builder().api_token("s3cr\u{0}et"),
            Client::builder().api_key("k", "  "),
            Client::builder().api_key("s3cr\net", "me@example.com"),
            Client::builder().user_service_key("s3cr\u{e9}t"),
        ] {
            let shown = message(builder.build());
            assert!(!shown.contains("s3cr"), "{shown}");
        }
    }

    #[test]
    fn connect_timeout_and_a_caller_supplied_client_do_not_mix() {
        let shown = message(
            Client::builder()
                .api_token("t")
                .http_client(reqwest::Client::new())
                .connect_timeout(Duration::from_secs(1))
                .build(),
        );
        assert!(shown.contains("connect_timeout"), "{shown}");
    }
}
