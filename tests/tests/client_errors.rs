//! Cloudflare's response envelope on the wire: results unwrapped, with what came with them,
//! and every kind of bad answer turned into a typed error without a panic.

mod client_support;

use std::time::Duration;

use client_support::*;
use cloudflare_risk_scoring::types::RiskLevel;
use cloudflare_risk_scoring::Error;
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Mounts `answer` for every request, expecting exactly `times` of them.
async fn answer(server: &MockServer, answer: ResponseTemplate, times: u64) {
    Mock::given(any())
        .respond_with(answer)
        .expect(times)
        .mount(server)
        .await;
}

fn json_body(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

#[tokio::test]
async fn an_error_envelope_becomes_a_typed_error_with_every_detail() {
    let server = MockServer::start().await;
    let body = json!({
        "success": false,
        "errors": [
            {
                "code": 10000,
                "message": "Authentication error",
                "documentation_url": "https://developers.cloudflare.com/fundamentals/api/",
                "source": {"pointer": "/tenant_url"}
            },
            {"code": 1003, "message": "Invalid or missing account"}
        ],
        "messages": [],
        "result": null
    });
    answer(
        &server,
        ResponseTemplate::new(403)
            .insert_header("cf-ray", "8a1b2c3d4e5f6071-LHR")
            .insert_header("retry-after", "30")
            .set_body_json(body),
        1,
    )
    .await;

    let error = create(&client(&server)).await.unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(403));
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.operation, "zero_trust.risk_scoring.integrations.create");
    assert_eq!(api.status.as_u16(), 403);
    assert_eq!(api.ray_id.as_deref(), Some("8a1b2c3d4e5f6071-LHR"));
    assert_eq!(api.retry_after, Some(Duration::from_secs(30)));
    assert_eq!(api.body_snippet, None);
    let [first, second] = &api.errors[..] else {
        panic!("expected two errors, got {:?}", api.errors);
    };
    assert_eq!(first.code, 10000);
    assert_eq!(first.message, "Authentication error");
    assert_eq!(
        first.documentation_url.as_deref(),
        Some("https://developers.cloudflare.com/fundamentals/api/")
    );
    assert_eq!(
        first
            .source
            .as_ref()
            .and_then(|source| source.pointer.as_deref()),
        Some("/tenant_url")
    );
    assert_eq!(second.code, 1003);
    assert_eq!(second.documentation_url, None);
    assert_eq!(second.source, None);

    assert_eq!(
        error.to_string(),
        "zero_trust.risk_scoring.integrations.create: HTTP 403 Forbidden \
         (the server asked to wait 30 s): Authentication error (code 10000); \
         Invalid or missing account (code 1003) [cf-ray 8a1b2c3d4e5f6071-LHR]"
    );
}

#[tokio::test]
async fn success_false_is_an_error_even_with_http_200() {
    let server = MockServer::start().await;
    let body = json!({
        "success": false,
        "errors": [{"code": 1003, "message": "Invalid account"}],
        "messages": [],
        "result": []
    });
    answer(
        &server,
        ResponseTemplate::new(200)
            .insert_header("cf-ray", "ray-200")
            .set_body_json(body),
        1,
    )
    .await;

    let error = list(&client(&server)).await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 200);
    assert_eq!(api.errors[0].code, 1003);
    assert_eq!(api.ray_id.as_deref(), Some("ray-200"));
    let shown = error.to_string();
    assert!(
        shown.starts_with("zero_trust.risk_scoring.integrations.list: ")
            && shown.contains("Invalid account (code 1003)"),
        "{shown}"
    );
}

#[tokio::test]
async fn an_html_502_from_an_edge_keeps_the_status_and_a_bounded_snippet() {
    let server = MockServer::start().await;
    // Multi-byte characters around the 512-byte mark test the cut.
    let page = format!(
        "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>{}</body></html>",
        "é".repeat(5_000)
    );
    answer(
        &server,
        ResponseTemplate::new(502)
            .insert_header("cf-ray", "ray-502")
            .set_body_raw(page.clone(), "text/html"),
        1,
    )
    .await;

    let error = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .list(ACCOUNT)
        .max_retries(0)
        .await
        .unwrap_err();

    let api = error.api().expect("an API error");
    assert_eq!(api.status.as_u16(), 502);
    assert!(api.errors.is_empty());
    assert_eq!(api.ray_id.as_deref(), Some("ray-502"));
    let snippet = api.body_snippet.as_deref().expect("a snippet of the body");
    assert!(
        snippet.len() <= 512 && snippet.len() > 500,
        "{}",
        snippet.len()
    );
    assert!(page.starts_with(snippet));
    let shown = error.to_string();
    assert!(
        shown.starts_with(
            "zero_trust.risk_scoring.integrations.list: HTTP 502 Bad Gateway: \"<html>\\n<head>"
        ) && !shown.contains('\n'),
        "{shown}"
    );
}

#[tokio::test]
async fn bodies_that_are_not_json_are_decode_errors_naming_the_operation() {
    for body in [
        "{not json",
        "<html>OK</html>",
        "",
        "null",
        "{\"result\": []} and more",
    ] {
        let server = MockServer::start().await;
        answer(&server, json_body(200, body), 1).await;

        let error = list(&client(&server)).await.unwrap_err();
        let Error::Decode {
            operation,
            status,
            path,
            ..
        } = &error
        else {
            panic!("{body:?}: expected a decode error, got {error:?}");
        };
        assert_eq!(*operation, "zero_trust.risk_scoring.integrations.list");
        assert_eq!(status.as_u16(), 200);
        assert_eq!(path, "", "{body:?}");
        let shown = error.to_string();
        assert!(
            shown.starts_with(
                "zero_trust.risk_scoring.integrations.list: cannot decode the response (HTTP 200 OK): "
            ),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_where_it_stops() {
    let server = MockServer::start().await;
    answer(
        &server,
        json_body(
            200,
            r#"{"success": true, "result": {"email": "a@example.com", "events": [{"id": "e1""#,
        ),
        1,
    )
    .await;

    let error = client(&server)
        .zero_trust()
        .risk_scoring()
        .get(ACCOUNT, USER)
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            operation, path, ..
        } => {
            assert_eq!(*operation, "zero_trust.risk_scoring.get");
            // The body ends inside the first event, after its `id`.
            assert_eq!(path, "result.events[0]");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(error.to_string().contains("EOF"), "{error}");
}

#[tokio::test]
async fn decode_errors_name_the_json_path_of_the_bad_value() {
    let server = MockServer::start().await;
    let result = json!({
        "email": "a@example.com",
        "name": "A",
        "events": [
            {"id": "e1", "name": "login", "risk_level": "high", "timestamp": "yesterday"}
        ]
    });
    answer(&server, ok(result), 1).await;

    let error = client(&server)
        .zero_trust()
        .risk_scoring()
        .get(ACCOUNT, USER)
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            operation,
            status,
            path,
            ..
        } => {
            assert_eq!(*operation, "zero_trust.risk_scoring.get");
            assert_eq!(status.as_u16(), 200);
            assert_eq!(path, "result.events[0].timestamp");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let shown = error.to_string();
    assert!(
        shown.starts_with(
            "zero_trust.risk_scoring.get: cannot decode the response (HTTP 200 OK) \
             at `result.events[0].timestamp`: "
        ),
        "{shown}"
    );
}

#[tokio::test]
async fn an_absent_result_is_none_when_optional_and_an_error_when_required() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_body(200, r#"{"success": true}"#))
        .mount(&server)
        .await;
    let client = client(&server);
    let integrations = client.zero_trust().risk_scoring().integrations();

    let deleted = integrations.delete(ACCOUNT, USER).await.unwrap();
    assert_eq!(deleted, None);

    let error = integrations.get(ACCOUNT, USER).await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, .. } if path == "result"),
        "{error:?}"
    );
}

#[tokio::test]
async fn unknown_envelope_fields_and_missing_lists_are_ignored() {
    let server = MockServer::start().await;
    let body = json!({
        "success": true,
        "result": {
            "email": "a@example.com",
            "name": "A",
            "events": [],
            "risk_level": "high"
        },
        "result_info": {"page": 1, "next_cursor": "abc"},
        "api_version": "2025-01-01",
        "timing": {"ms": 3}
    });
    answer(&server, ResponseTemplate::new(200).set_body_json(body), 1).await;

    let response = client(&server)
        .zero_trust()
        .risk_scoring()
        .get(ACCOUNT, USER)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.result.risk_level, Some(RiskLevel::High));
    assert!(response.messages.is_empty());
    assert_eq!(response.result_info.and_then(|info| info.page), Some(1.0));
}

#[tokio::test]
async fn raw_access_gives_status_headers_result_info_and_messages() {
    let server = MockServer::start().await;
    let body = json!({
        "success": true,
        "errors": [],
        "messages": [{"code": 10100, "message": "Results are cached for 60 seconds"}],
        "result": {"users": []},
        "result_info": {
            "count": 1, "page": 2, "per_page": 20, "total_count": 2000, "total_pages": 100
        }
    });
    answer(
        &server,
        ResponseTemplate::new(200)
            .insert_header("cf-ray", "8a1b2c3d4e5f6071-SJC")
            .insert_header("x-ratelimit-remaining", "42")
            .set_body_json(body),
        1,
    )
    .await;

    let response = client(&server)
        .zero_trust()
        .risk_scoring()
        .summary()
        .get(ACCOUNT)
        .send_with_response()
        .await
        .unwrap();

    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.ray_id(), Some("8a1b2c3d4e5f6071-SJC"));
    assert_eq!(response.headers["x-ratelimit-remaining"], "42");
    assert!(response.result.users.is_empty());
    let info = response.result_info.expect("result_info");
    assert_eq!(
        (
            info.count,
            info.page,
            info.per_page,
            info.total_count,
            info.total_pages
        ),
        (Some(1.0), Some(2.0), Some(20.0), Some(2000.0), Some(100.0))
    );
    assert_eq!(response.messages.len(), 1);
    assert_eq!(response.messages[0].code, 10100);
    assert_eq!(
        response.messages[0].message,
        "Results are cached for 60 seconds"
    );
}

#[tokio::test]
async fn a_json_error_that_is_not_an_envelope_is_shown_as_it_came() {
    let server = MockServer::start().await;
    answer(&server, json_body(404, r#"{"error": "no such route"}"#), 1).await;

    let error = list(&client(&server)).await.unwrap_err();
    let api = error.api().expect("an API error");
    assert!(api.errors.is_empty());
    assert_eq!(
        api.body_snippet.as_deref(),
        Some(r#"{"error": "no such route"}"#)
    );
}

#[tokio::test]
async fn hostile_answers_are_errors_not_panics() {
    let deep = "[".repeat(100_000);
    let bodies: Vec<(u16, String)> = vec![
        (200, deep.clone()),
        (500, deep),
        (
            200,
            r#"{"success": true, "result": [{"id": 1e999}]}"#.to_owned(),
        ),
        (200, r#"{"success": "yes", "result": []}"#.to_owned()),
        (
            200,
            // Messages of any shape are read leniently (`response.rs`); the result is not.
            r#"{"success": true, "errors": [{"code": "x"}], "result": [{"id": 5}]}"#.to_owned(),
        ),
        (400, "\u{0}\u{1}\u{fffd}".to_owned()),
        (200, "\"\\ud800\"".to_owned()),
    ];
    for (status, body) in bodies {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("retry-after-ms", "1e300")
                    .set_body_raw(body.clone().into_bytes(), "application/json"),
            )
            .mount(&server)
            .await;
        let result = client(&server)
            .zero_trust()
            .risk_scoring()
            .integrations()
            .list(ACCOUNT)
            .max_retries(0)
            .await;
        assert!(result.is_err(), "{status} {:.40}", body);
    }
}

#[tokio::test]
async fn an_envelope_is_an_object_never_an_array_of_its_fields() {
    // A derived struct deserialiser takes a sequence as the fields in order: this would pass
    // for `{"success": true, "errors": null, "messages": null, "result": {"users": []}}`.
    let server = MockServer::start().await;
    answer(
        &server,
        json_body(200, r#"[true, null, null, {"users": []}]"#),
        1,
    )
    .await;

    let error = client(&server)
        .zero_trust()
        .risk_scoring()
        .summary()
        .get(ACCOUNT)
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            operation, path, ..
        } => {
            assert_eq!(*operation, "zero_trust.risk_scoring.summary.get");
            assert_eq!(path, "");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(
        error.to_string().contains("invalid type: sequence"),
        "{error}"
    );
}

#[tokio::test]
async fn a_200_without_success_is_not_a_success_envelope() {
    for body in [
        r#"{"errors": [{"code": 1, "message": "x"}], "result": {"users": []}}"#,
        r#"{"result": {"users": []}}"#,
        "{}",
    ] {
        let server = MockServer::start().await;
        answer(&server, json_body(200, body), 1).await;

        let error = client(&server)
            .zero_trust()
            .risk_scoring()
            .summary()
            .get(ACCOUNT)
            .await
            .unwrap_err();
        match &error {
            Error::Decode { path, source, .. } => {
                assert_eq!(path, "", "{body}");
                assert!(
                    source.to_string().starts_with("missing field `success`"),
                    "{body}: {source}"
                );
            }
            other => panic!("{body}: expected a decode error, got {other:?}"),
        }
    }

    // `success` is a boolean: `null` is not one.
    let server = MockServer::start().await;
    answer(
        &server,
        json_body(200, r#"{"success": null, "result": {"users": []}}"#),
        1,
    )
    .await;
    let error = client(&server)
        .zero_trust()
        .risk_scoring()
        .summary()
        .get(ACCOUNT)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode { path, .. } if path == "success"),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_error_status_reads_its_errors_whether_or_not_the_body_says_success() {
    for body in [
        r#"{"errors": [{"code": 10000, "message": "Authentication error"}]}"#,
        r#"{"success": "no", "errors": [{"code": 10000, "message": "Authentication error"}]}"#,
        r#"{"success": false, "errors": [{"code": 10000, "message": "Authentication error"}],
            "result_info": "none", "result": 1}"#,
    ] {
        let server = MockServer::start().await;
        answer(&server, json_body(403, body), 1).await;

        let error = list(&client(&server)).await.unwrap_err();
        let api = error.api().expect("an API error");
        assert_eq!(api.status.as_u16(), 403);
        assert_eq!(api.errors.len(), 1, "{body}");
        assert_eq!(api.errors[0].code, 10000);
        assert_eq!(api.body_snippet, None);
    }
}

#[tokio::test]
async fn an_empty_2xx_body_is_no_result_where_the_result_may_be_absent() {
    for answer_with in [
        ResponseTemplate::new(204),
        ResponseTemplate::new(200),
        json_body(200, " \r\n\t"),
    ] {
        let server = MockServer::start().await;
        answer(&server, answer_with, 2).await;
        let client = client(&server);

        let deleted = client
            .zero_trust()
            .risk_scoring()
            .integrations()
            .delete(ACCOUNT, USER)
            .send_with_response()
            .await
            .unwrap();
        assert_eq!(deleted.result, None);
        assert_eq!(deleted.result_info, None);
        assert!(deleted.messages.is_empty());

        let reset = client
            .zero_trust()
            .risk_scoring()
            .reset(ACCOUNT, USER)
            .await
            .unwrap();
        assert_eq!(reset, None);
    }
}

#[tokio::test]
async fn an_empty_2xx_body_is_a_decode_error_where_a_result_is_expected() {
    let server = MockServer::start().await;
    answer(&server, ResponseTemplate::new(204), 1).await;

    let error = client(&server)
        .zero_trust()
        .risk_scoring()
        .integrations()
        .get(ACCOUNT, USER)
        .await
        .unwrap_err();
    match &error {
        Error::Decode { status, path, .. } => {
            assert_eq!(status.as_u16(), 204);
            assert_eq!(path, "");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "zero_trust.risk_scoring.integrations.get: cannot decode the response \
         (HTTP 204 No Content): the response has no body, but the operation returns a result"
    );
}

#[tokio::test]
async fn result_info_is_advisory_and_never_fails_a_call() {
    let summary = |result_info: serde_json::Value| async move {
        let server = MockServer::start().await;
        let body = json!({"success": true, "result": {"users": []}, "result_info": result_info});
        answer(&server, ResponseTemplate::new(200).set_body_json(body), 1).await;
        client(&server)
            .zero_trust()
            .risk_scoring()
            .summary()
            .get(ACCOUNT)
            .send_with_response()
            .await
            .unwrap_or_else(|error| panic!("{result_info}: {error}"))
            .result_info
    };

    let info = summary(json!({
        "count": "1",
        "page": "one",
        "per_page": {"value": 20},
        "total_count": [2000],
        "total_pages": -3
    }))
    .await
    .expect("result_info");
    assert_eq!(
        (
            info.count,
            info.page,
            info.per_page,
            info.total_count,
            info.total_pages
        ),
        (Some(1.0), None, None, None, Some(-3.0))
    );

    let info = summary(json!({"count": null, "page": true, "per_page": "2.5e1", "cursor": "x"}))
        .await
        .expect("result_info");
    assert_eq!(
        (info.count, info.page, info.per_page),
        (None, None, Some(25.0))
    );

    for not_an_object in [json!("none"), json!([1, 2]), json!(7), json!(null)] {
        assert_eq!(summary(not_an_object).await, None);
    }

    // A number that no f64 holds is not a counter either, and still not a failure.
    let server = MockServer::start().await;
    answer(
        &server,
        json_body(
            200,
            r#"{"success": true, "result": {"users": []}, "result_info": {"count": 1e999, "page": 2}}"#,
        ),
        1,
    )
    .await;
    let info = client(&server)
        .zero_trust()
        .risk_scoring()
        .summary()
        .get(ACCOUNT)
        .send_with_response()
        .await
        .unwrap()
        .result_info;
    assert_eq!(info, None);
}

#[tokio::test]
async fn a_200_that_is_not_an_envelope_shows_a_bounded_snippet_of_the_body() {
    let server = MockServer::start().await;
    let page = format!(
        "<html>\n<head><title>Maintenance</title></head>\n<body>{}</body></html>",
        "é".repeat(5_000)
    );
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(page.clone(), "text/html"),
        1,
    )
    .await;

    let error = list(&client(&server)).await.unwrap_err();
    let Error::Decode {
        path, body_snippet, ..
    } = &error
    else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(path, "");
    let snippet = body_snippet.as_deref().expect("a snippet of the body");
    assert!(
        snippet.len() <= 512 && snippet.len() > 500,
        "{}",
        snippet.len()
    );
    assert!(page.starts_with(snippet));
    let shown = error.to_string();
    assert!(
        shown.starts_with(
            "zero_trust.risk_scoring.integrations.list: cannot decode the response \
             (HTTP 200 OK): expected value at line 1 column 1: \"<html>\\n<head><title>Maintenance"
        ) && !shown.contains('\n')
            && shown.len() < 700,
        "{shown}"
    );
}

#[tokio::test]
async fn a_decode_error_inside_the_json_shows_its_path_and_no_snippet() {
    let server = MockServer::start().await;
    answer(
        &server,
        ok(json!([{"id": "not a uuid", "email": "someone@example.com"}])),
        1,
    )
    .await;

    let error = list(&client(&server)).await.unwrap_err();
    let Error::Decode {
        path, body_snippet, ..
    } = &error
    else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(path, "result[0].id");
    assert_eq!(*body_snippet, None);
    assert!(
        !error.to_string().contains("someone@example.com"),
        "{error}"
    );
}

#[tokio::test]
async fn a_decode_error_deep_in_the_body_keeps_its_path_readable() {
    // `reset` returns a free-form object: a number out of range is the one thing its
    // values cannot hold, here 41 objects down.
    let depth = 40;
    let mut result = r#"{"n": 1e999}"#.to_owned();
    for level in (0..depth).rev() {
        result = format!(r#"{{"a{level}": {result}}}"#);
    }
    let server = MockServer::start().await;
    answer(
        &server,
        json_body(200, &format!(r#"{{"success": true, "result": {result}}}"#)),
        1,
    )
    .await;

    let error = client(&server)
        .zero_trust()
        .risk_scoring()
        .reset(ACCOUNT, USER)
        .await
        .unwrap_err();
    let Error::Decode { path, .. } = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    // The first 8 segments and the last 8 of 42.
    assert_eq!(
        path,
        "result.a0.a1.a2.a3.a4.a5.a6…(26 more)….a33.a34.a35.a36.a37.a38.a39.n"
    );
    assert!(
        error
            .to_string()
            .contains(&format!("at `{path}`: number out of range")),
        "{error}"
    );
}
