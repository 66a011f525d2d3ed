//! Documents the check cannot read are errors with a message, and documents built to be
//! expensive finish quickly: never a panic, never a hang.

mod common;

use std::time::{Duration, Instant};

use common::{crafted_dir, read};

#[test]
fn unreadable_documents_are_errors_that_say_why() {
    let cases = [
        "",
        "{ \"openapi\": ",
        "openapi: [3.0.0",
        "just text",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "openapi: 3.0.3\ninfo: {version: '1'}\npaths: {}\n",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/x: {get: {responses: {'200': {content: {}}}}}}\n",
    ];
    let errors: Vec<String> = cases
        .iter()
        .map(|text| {
            format!(
                "{text:?}\n  => {}",
                drift::parse_openapi(text).expect_err(text)
            )
        })
        .collect();
    insta::assert_snapshot!(errors.join("\n"));
}

fn spec() -> codegen::spec::Spec {
    let path = crafted_dir().join("spec.yaml");
    drift::load_spec("spec.yaml", &read(path)).unwrap()
}

/// A `Widget` schema whose every level refers to the next one twice: expanded naively,
/// 2^40 schemas.
fn fan_out_document(levels: usize) -> String {
    let mut schemas = String::new();
    for level in 0..levels {
        let next = format!("{{$ref: '#/components/schemas/L{}'}}", level + 1);
        schemas.push_str(&format!(
            "    L{level}: {{type: object, properties: {{a: {next}, b: {next}}}}}\n"
        ));
    }
    schemas.push_str(&format!("    L{levels}: {{type: string}}\n"));
    format!(
        "openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /accounts/{{account_id}}/widgets:
    get:
      parameters: [{{name: account_id, in: path, required: true, schema: {{type: string}}}}]
      responses:
        '200':
          description: d
          content: {{application/json: {{schema: {{type: object, properties: {{result: {{$ref: '#/components/schemas/L0'}}}}}}}}}}
components:
  schemas:
{schemas}"
    )
}

#[test]
fn references_that_fan_out_are_cut_short() {
    let openapi = drift::parse_openapi(&fan_out_document(40)).unwrap();
    let started = Instant::now();
    let report = drift::check(&spec(), &openapi, &drift::AllowList::default());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert!(!report.is_clean());
}

#[test]
fn schemas_that_refer_to_each_other_in_a_loop_end() {
    let text = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /accounts/{account_id}/widgets:
    get:
      parameters: [{$ref: '#/components/parameters/P'}]
      responses:
        '200': {$ref: '#/components/responses/R'}
components:
  parameters:
    P: {$ref: '#/components/parameters/Q'}
    Q: {$ref: '#/components/parameters/P'}
  responses:
    R:
      description: d
      content: {application/json: {schema: {type: object, properties: {result: {$ref: '#/components/schemas/A'}}}}}
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {allOf: [{$ref: '#/components/schemas/A'}]}
";
    let openapi = drift::parse_openapi(text).unwrap();
    insta::assert_snapshot!(
        drift::check(&spec(), &openapi, &drift::AllowList::default()).to_string()
    );
}
