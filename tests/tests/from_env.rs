//! `Client::from_env` reads the variables Cloudflare's official SDKs read. One test in its
//! own binary, because it changes the process environment.

use cloudflare_risk_scoring::{Client, Error};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VARIABLES: &[&str] = &[
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_API_KEY",
    "CLOUDFLARE_EMAIL",
    "CLOUDFLARE_API_USER_SERVICE_KEY",
    "CLOUDFLARE_BASE_URL",
];

fn clear() {
    for name in VARIABLES {
        std::env::remove_var(name);
    }
}

#[tokio::test]
async fn from_env_reads_cloudflare_variables() {
    clear();
    let error = Client::from_env().unwrap_err();
    assert!(matches!(error, Error::Config(_)));
    for name in &VARIABLES[..4] {
        assert!(error.to_string().contains(name), "{error}");
    }

    let server = MockServer::start().await;
    let ok = ResponseTemplate::new(200).set_body_json(
        serde_json::json!({"success": true, "errors": [], "messages": [], "result": []}),
    );
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer env-token"))
        .respond_with(ok.clone())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(header("x-auth-key", "env-key"))
        .and(header("x-auth-email", "env@example.com"))
        .respond_with(ok.clone())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(header("x-auth-user-service-key", "env-service"))
        .respond_with(ok)
        .expect(1)
        .mount(&server)
        .await;
    std::env::set_var("CLOUDFLARE_BASE_URL", server.uri());

    let list = |client: Client| async move {
        client
            .zero_trust()
            .risk_scoring()
            .integrations()
            .list("acc")
            .await
    };
    std::env::set_var("CLOUDFLARE_API_TOKEN", "env-token");
    list(Client::from_env().unwrap()).await.unwrap();
    std::env::remove_var("CLOUDFLARE_API_TOKEN");

    std::env::set_var("CLOUDFLARE_API_KEY", "env-key");
    let error = Client::from_env().unwrap_err();
    assert!(error.to_string().contains("CLOUDFLARE_EMAIL"), "{error}");
    std::env::set_var("CLOUDFLARE_EMAIL", "env@example.com");
    list(Client::from_env().unwrap()).await.unwrap();
    std::env::remove_var("CLOUDFLARE_API_KEY");
    std::env::remove_var("CLOUDFLARE_EMAIL");

    std::env::set_var("CLOUDFLARE_API_USER_SERVICE_KEY", "env-service");
    list(Client::from_env().unwrap()).await.unwrap();
    clear();
}
