//! The client: configuration, credentials and the HTTP connection pool.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, USER_AGENT};

use crate::error::Error;
use crate::retry::RetryPolicy;

const DEFAULT_BASE_URL: &str = "https://api.cloudflare.com/client/v4";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const CRATE_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The environment variables [`Client::from_env`] reads, as Cloudflare's official SDKs do.
const ENV_TOKEN: &str = "CLOUDFLARE_API_TOKEN";
const ENV_KEY: &str = "CLOUDFLARE_API_KEY";
const ENV_EMAIL: &str = "CLOUDFLARE_EMAIL";
const ENV_SERVICE_KEY: &str = "CLOUDFLARE_API_USER_SERVICE_KEY";
const ENV_BASE_URL: &str = "CLOUDFLARE_BASE_URL";

/// A client for the API. Cheap to clone: clones share one connection pool.
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
/// let integrations = client.zero_trust().risk_scoring().integrations().list("account-id").await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    /// Credentials and `User-Agent`, sent with every request; values marked sensitive.
    headers: HeaderMap,
    credentials: &'static str,
    timeout: Duration,
    retry: RetryPolicy,
}

impl Client {
    /// A builder with the defaults: Cloudflare's base URL, a 60 s timeout per attempt, a
    /// 5 s connect timeout and [`RetryPolicy::default`]. Credentials must be set.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment, like Cloudflare's official SDKs:
    /// `CLOUDFLARE_API_TOKEN`, or `CLOUDFLARE_API_KEY` with `CLOUDFLARE_EMAIL`, or
    /// `CLOUDFLARE_API_USER_SERVICE_KEY` (the first that is set wins), and
    /// `CLOUDFLARE_BASE_URL` to override the base URL.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) fn default_headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    pub(crate) fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// How the client authenticates. Never printed: `Debug` shows only the kind.
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

    fn headers(&self) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
        // The message names the header, never the value: it is a secret.
        let sensitive = |name: HeaderName, value: &str| {
            let mut value = HeaderValue::from_str(value).map_err(|_| {
                Error::Config(format!(
                    "the value for the {name} header contains characters not allowed in a header"
                ))
            })?;
            value.set_sensitive(true);
            Ok((name, value))
        };
        match self {
            Credentials::Token(token) => {
                Ok(vec![sensitive(AUTHORIZATION, &format!("Bearer {token}"))?])
            }
            Credentials::KeyAndEmail { key, email } => Ok(vec![
                sensitive(HeaderName::from_static("x-auth-key"), key)?,
                sensitive(HeaderName::from_static("x-auth-email"), email)?,
            ]),
            Credentials::UserServiceKey(key) => Ok(vec![sensitive(
                HeaderName::from_static("x-auth-user-service-key"),
                key,
            )?]),
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
}

impl ClientBuilder {
    /// A builder holding what the environment says (see [`Client::from_env`]), to adjust
    /// further before [`build`](ClientBuilder::build).
    pub fn from_env() -> Result<ClientBuilder, Error> {
        ClientBuilder::from_lookup(|name| {
            std::env::var(name).ok().filter(|value| !value.is_empty())
        })
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let mut builder = ClientBuilder::default();
        if let Some(url) = lookup(ENV_BASE_URL) {
            builder = builder.base_url(url);
        }
        builder.credentials = Some(if let Some(token) = lookup(ENV_TOKEN) {
            Credentials::Token(token)
        } else if let Some(key) = lookup(ENV_KEY) {
            let email = lookup(ENV_EMAIL).ok_or_else(|| {
                Error::Config(format!(
                    "{ENV_KEY} is set but {ENV_EMAIL} is not; an API key needs the account's email"
                ))
            })?;
            Credentials::KeyAndEmail { key, email }
        } else if let Some(key) = lookup(ENV_SERVICE_KEY) {
            Credentials::UserServiceKey(key)
        } else {
            return Err(Error::Config(format!(
                "no Cloudflare credentials in the environment: set {ENV_TOKEN}, or {ENV_KEY} and {ENV_EMAIL}, or {ENV_SERVICE_KEY}"
            )));
        });
        Ok(builder)
    }

    /// The API's base URL, such as `https://api.cloudflare.com/client/v4` (the default).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Authenticate with an API token (`Authorization: Bearer …`), the recommended way.
    pub fn api_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Token(token.into()));
        self
    }

    /// Authenticate with a global API key and the account's email (`X-Auth-Key`,
    /// `X-Auth-Email`).
    pub fn api_key(mut self, key: impl Into<String>, email: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::KeyAndEmail {
            key: key.into(),
            email: email.into(),
        });
        self
    }

    /// Authenticate with a user service key (`X-Auth-User-Service-Key`).
    pub fn user_service_key(mut self, key: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::UserServiceKey(key.into()));
        self
    }

    /// Use this `reqwest` client (for a proxy, custom root certificates, …). Its own
    /// settings then apply: the connect timeout set here is ignored, and whether it follows
    /// redirects is up to it (the default client follows none, so credentials never reach
    /// another host).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// How long one attempt may take, from sending to the end of the body (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long connecting may take (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How failed requests are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Builds the client. Fails on a malformed base URL, missing credentials, or
    /// credentials that cannot be sent as header values.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = normalise_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let credentials = self.credentials.ok_or_else(|| {
            Error::Config("no credentials: call api_token, api_key or user_service_key, or use Client::from_env".to_owned())
        })?;
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, HeaderValue::from_static(CRATE_USER_AGENT));
        for (name, value) in credentials.headers()? {
            headers.insert(name, value);
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|error| Error::Config(format!("cannot build the HTTP client: {error}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                headers,
                credentials: credentials.kind(),
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                retry: self.retry.unwrap_or_default(),
            }),
        })
    }
}

/// Checks the base URL and drops a trailing `/`, since operation paths start with one.
fn normalise_base_url(url: &str) -> Result<String, Error> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|error| Error::Config(format!("invalid base URL {url:?}: {error}")))?;
    if !matches!(parsed.scheme(), "http" | "https")
        || parsed.cannot_be_a_base()
        || parsed.host().is_none()
    {
        return Err(Error::Config(format!(
            "invalid base URL {url:?}: expected an http or https URL"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(format!(
            "invalid base URL {url:?}: it must not have a query or fragment"
        )));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn env_prefers_a_token_then_key_and_email_then_service_key() {
        let token = ClientBuilder::from_lookup(lookup(&[
            (ENV_TOKEN, "t"),
            (ENV_KEY, "k"),
            (ENV_EMAIL, "e"),
        ]))
        .unwrap();
        assert!(matches!(token.credentials, Some(Credentials::Token(_))));
        let key = ClientBuilder::from_lookup(lookup(&[
            (ENV_KEY, "k"),
            (ENV_EMAIL, "e"),
            (ENV_SERVICE_KEY, "s"),
        ]))
        .unwrap();
        assert!(matches!(
            key.credentials,
            Some(Credentials::KeyAndEmail { .. })
        ));
        let service = ClientBuilder::from_lookup(lookup(&[
            (ENV_SERVICE_KEY, "s"),
            (ENV_BASE_URL, "http://127.0.0.1:1/v4"),
        ]))
        .unwrap();
        assert!(matches!(
            service.credentials,
            Some(Credentials::UserServiceKey(_))
        ));
        assert_eq!(service.base_url.as_deref(), Some("http://127.0.0.1:1/v4"));
    }

    #[test]
    fn env_without_credentials_names_every_variable() {
        let message = ClientBuilder::from_lookup(lookup(&[]))
            .unwrap_err()
            .to_string();
        for name in [ENV_TOKEN, ENV_KEY, ENV_EMAIL, ENV_SERVICE_KEY] {
            assert!(message.contains(name), "{message}");
        }
        let message = ClientBuilder::from_lookup(lookup(&[(ENV_KEY, "k")]))
            .unwrap_err()
            .to_string();
        assert!(message.contains(ENV_EMAIL), "{message}");
    }

    #[test]
    fn base_urls_are_checked_and_lose_their_trailing_slash() {
        assert_eq!(
            normalise_base_url("https://api.cloudflare.com/client/v4/").unwrap(),
            "https://api.cloudflare.com/client/v4"
        );
        assert_eq!(
            normalise_base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "",
            "not a url",
            "ftp://example.com",
            "mailto:a@b.c",
            "https://x/v4?a=b",
            "https://x/v4#f",
        ] {
            assert!(
                matches!(normalise_base_url(bad), Err(Error::Config(_))),
                "{bad}"
            );
        }
    }
}
