//! Safety on the wire: path parameters cannot change where a request goes, credentials do
//! not follow redirects, and no secret shows in `Debug` output or error messages.

mod client_support;

use client_support::*;
use cloudflare_risk_scoring::{Client, Error};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn path_parameters_are_percent_encoded_into_a_single_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(integration_json()))
        .mount(&server)
        .await;
    let client = client(&server);
    let prefix = format!("/accounts/{ACCOUNT}/zt_risk_scoring/integrations/reference_id/");
    let cases = [
        ("idp-1_a.b~c", "idp-1_a.b~c"),
        ("../x", "..%2Fx"),
        (
            "../../../../user/tokens",
            "..%2F..%2F..%2F..%2Fuser%2Ftokens",
        ),
        ("a/b", "a%2Fb"),
        ("..\\x", "..%5Cx"),
        ("x?admin=1&y", "x%3Fadmin%3D1%26y"),
        ("#fragment", "%23fragment"),
        ("100%", "100%25"),
        ("%2e%2e", "%252e%252e"),
        ("...", "..."),
        ("sp ace+plus", "sp%20ace%2Bplus"),
        ("é", "%C3%A9"),
        ("a\r\nHost: evil", "a%0D%0AHost%3A%20evil"),
    ];
    for (reference_id, encoded) in cases {
        client
            .zero_trust()
            .risk_scoring()
            .integrations()
            .references()
            .get(ACCOUNT, reference_id)
            .await
            .unwrap_or_else(|error| panic!("{reference_id:?}: {error}"));
        let request = received(&server).await.pop().unwrap();
        assert_eq!(
            request.url.path(),
            format!("{prefix}{encoded}"),
            "{reference_id:?}"
        );
        assert_eq!(request.url.query(), None, "{reference_id:?}");
        assert_eq!(request.url.fragment(), None, "{reference_id:?}");
    }

    // The account, earlier in the path, is held to the same rule.
    client
        .zero_trust()
        .risk_scoring()
        .integrations()
        .get("../other-account", USER)
        .await
        .unwrap();
    assert_eq!(
        received(&server).await.pop().unwrap().url.path(),
        format!("/accounts/..%2Fother-account/zt_risk_scoring/integrations/{USER}")
    );
}

#[tokio::test]
async fn empty_and_dot_path_parameters_are_refused_with_nothing_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ok(json!({})))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);

    for (account_id, user_id, name) in [
        ("", USER, "account_id"),
        (ACCOUNT, "", "user_id"),
        (ACCOUNT, ".", "user_id"),
        (ACCOUNT, "..", "user_id"),
        ("..", USER, "account_id"),
    ] {
        let error = client
            .zero_trust()
            .risk_scoring()
            .reset(account_id, user_id)
            .await
            .unwrap_err();
        match &error {
            Error::InvalidParameter {
                operation,
                name: got,
            } => {
                assert_eq!(*operation, "zero_trust.risk_scoring.reset");
                assert_eq!(*got, name);
            }
            other => panic!("expected an invalid parameter error, got {other:?}"),
        }
        assert_eq!(
            error.to_string(),
            format!(
                "zero_trust.risk_scoring.reset: path parameter `{name}` must not be empty, `.` or `..`"
            )
        );
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_redirect_elsewhere_is_not_followed_so_no_credential_reaches_it() {
    let credentials = [
        Client::builder().api_token(TOKEN),
        Client::builder().api_key("key-5ecret", "me@example.com"),
        Client::builder().user_service_key("v1.0-5ecret"),
    ];
    for status in [301, 302, 303, 307, 308] {
        for credentials in &credentials {
            let elsewhere = MockServer::start().await;
            Mock::given(any())
                .respond_with(ok(json!([])))
                .expect(0)
                .mount(&elsewhere)
                .await;
            let server = MockServer::start().await;
            Mock::given(any())
                .respond_with(
                    ResponseTemplate::new(status)
                        .insert_header("location", format!("{}/collect", elsewhere.uri())),
                )
                .expect(1)
                .mount(&server)
                .await;

            let client = credentials
                .clone()
                .base_url(server.uri())
                .retry_policy(fast_retries())
                .build()
                .unwrap();
            let error = list(&client).await.unwrap_err();

            assert_eq!(
                error.status().map(|status| status.as_u16()),
                Some(status),
                "{credentials:?}"
            );
            let location = format!("{}/collect", elsewhere.uri());
            assert_eq!(
                error.api().and_then(|api| api.location.as_deref()),
                Some(location.as_str())
            );
            assert!(
                error.to_string().contains(&format!(
                    "HTTP {} (redirects are not followed; Location: {location})",
                    error.status().unwrap()
                )),
                "{error}"
            );
            assert!(
                received(&elsewhere).await.is_empty(),
                "{status} {credentials:?}: the redirect was followed"
            );
        }
    }
}

#[test]
fn debug_output_never_shows_a_credential() {
    let secret = "5ecret-never-shown";
    let clients = [
        Client::builder().api_token(secret).build().unwrap(),
        Client::builder()
            .api_key(secret, format!("{secret}@example.com"))
            .build()
            .unwrap(),
        Client::builder().user_service_key(secret).build().unwrap(),
    ];
    for client in &clients {
        let shown = format!("{client:?} {client:#?}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
    let builders = [
        Client::builder().api_token(secret),
        Client::builder().api_key(secret, secret),
        Client::builder().user_service_key(secret),
    ];
    for builder in &builders {
        let shown = format!("{builder:?} {builder:#?}");
        assert!(!shown.contains(secret), "{shown}");
    }
    let request = clients[0]
        .zero_trust()
        .risk_scoring()
        .integrations()
        .list(ACCOUNT)
        .header("x-extra-secret", secret);
    let shown = format!("{request:?}");
    assert!(
        shown.contains("x-extra-secret") && !shown.contains(secret),
        "{shown}"
    );
}

#[test]
fn configuration_errors_never_show_a_credential() {
    let secret = "5ecret-never-shown";
    let errors = [
        Client::builder()
            .api_token(format!("{secret}\n{secret}"))
            .build(),
        Client::builder()
            .api_key(format!("{secret}\u{7f}"), "me@example.com")
            .build(),
        Client::builder()
            .user_service_key(format!("{secret}é"))
            .build(),
        Client::builder()
            .api_token("t")
            .base_url(format!("https://user:{secret}@api.example.com/client/v4"))
            .build(),
        Client::builder()
            .api_token("t")
            .base_url(format!("https://user:{secret}@[::1"))
            .build(),
    ];
    for result in errors {
        let error = result.unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(matches!(error, Error::Config(_)), "{shown}");
        assert!(!shown.contains(secret), "{shown}");
    }
}
