use serde_json::{json, Value};

use super::*;

/// A document whose components are `schemas` (YAML, a mapping of name to schema).
fn doc(schemas: &str) -> openapiv3::OpenAPI {
    let indented: String = schemas
        .lines()
        .map(|line| format!("    {line}\n"))
        .collect();
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{indented}"
    );
    crate::parse(&text).unwrap_or_else(|error| panic!("{error}\n{text}"))
}

fn reference(name: &str) -> String {
    format!("#/components/schemas/{name}")
}

/// The example of component `name`, and its problems' messages.
fn make(doc: &openapiv3::OpenAPI, name: &str, variant: Variant) -> (Value, Vec<String>) {
    make_with(doc, name, variant, &NoHints)
}

fn make_with(
    doc: &openapiv3::OpenAPI,
    name: &str,
    variant: Variant,
    hints: &dyn Hints,
) -> (Value, Vec<String>) {
    let resolver = Resolver::new(doc);
    let reference = reference(name);
    let made = Examples::new(resolver, hints).example(
        SchemaRef::Reference(&reference),
        &Pointer::root(),
        variant,
    );
    let messages = made
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.pointer, p.message))
        .collect();
    (made.value, messages)
}

fn full(doc: &openapiv3::OpenAPI, name: &str) -> Value {
    let (value, problems) = make(doc, name, Variant::Full);
    assert!(problems.is_empty(), "{name}: {problems:?} (made {value})");
    value
}

fn required(doc: &openapiv3::OpenAPI, name: &str) -> Value {
    let (value, problems) = make(doc, name, Variant::Required);
    assert!(problems.is_empty(), "{name}: {problems:?} (made {value})");
    value
}

/// What the checker says about `value` for component `name`.
fn check(doc: &openapiv3::OpenAPI, name: &str, value: Value) -> Vec<String> {
    let reference = reference(name);
    Checker::new(Resolver::new(doc), Direction::Request)
        .check(SchemaRef::Reference(&reference), &Pointer::root(), &value)
        .into_iter()
        .map(|problem| problem.message)
        .collect()
}

#[test]
fn examples_then_defaults_then_made_values() {
    let doc = doc("
Named: {type: string, example: tunnel-1, default: other}
Defaulted: {type: integer, default: 20}
Broken: {type: string, format: uuid, example: not-a-uuid}
WholeFloat: {type: integer, example: 30.0}
Plain: {type: string}
Flag: {type: boolean}
Untyped: {description: anything}
");
    assert_eq!(full(&doc, "Named"), json!("tunnel-1"));
    assert_eq!(full(&doc, "Defaulted"), json!(20));
    assert_eq!(
        full(&doc, "Broken"),
        json!("182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e")
    );
    let whole = full(&doc, "WholeFloat");
    assert!(whole.is_i64(), "an integer for an integer schema: {whole}");
    assert_eq!(full(&doc, "Plain"), json!("example"));
    assert_eq!(full(&doc, "Flag"), json!(true));
    assert_eq!(full(&doc, "Untyped"), json!({}));
}

#[test]
fn enums_take_a_listed_value() {
    let doc = doc("
Mode: {type: string, enum: ['', block, allow]}
Documented: {type: string, enum: [a, b], example: b}
Wrong: {type: string, enum: [a, b], example: c}
Level: {type: integer, enum: [3, 5]}
");
    assert_eq!(full(&doc, "Mode"), json!("block"), "empty strings last");
    assert_eq!(full(&doc, "Documented"), json!("b"));
    assert_eq!(full(&doc, "Wrong"), json!("a"));
    assert_eq!(full(&doc, "Level"), json!(3));
    assert_eq!(
        check(&doc, "Mode", json!("deny")),
        ["\"deny\" is not one of the enum's values"]
    );
}

#[test]
fn formats_are_made_and_checked() {
    let doc = doc("
Uuid: {type: string, format: uuid}
DateTime: {type: string, format: date-time}
Date: {type: string, format: date}
Email: {type: string, format: email}
Uri: {type: string, format: uri}
Url: {type: string, format: url}
Ipv4: {type: string, format: ipv4}
Ipv6: {type: string, format: ipv6}
Hostname: {type: string, format: hostname}
Byte: {type: string, format: byte}
Time: {type: string, format: time}
Int32: {type: integer, format: int32}
Other: {type: string, format: cloudflare-thing}
");
    for (name, bad) in [
        ("Uuid", "0b8c5a6e6f0a4d7f9a476a2f3c1d9e21"),
        ("DateTime", "2024-01-01 00:00"),
        ("Date", "2024-02-30"),
        ("Email", "not an email"),
        ("Uri", "no scheme"),
        ("Url", "mailto:a@example.com"),
        ("Ipv4", "256.0.0.1"),
        ("Ipv6", "2001:db8::g"),
        ("Hostname", "-bad-.example.com"),
        ("Byte", "abc"),
        ("Time", "25:00:00Z"),
    ] {
        let made = full(&doc, name);
        assert!(check(&doc, name, made.clone()).is_empty(), "{name}: {made}");
        assert_eq!(
            check(&doc, name, json!(bad)).len(),
            1,
            "{name} rejects {bad:?}"
        );
    }
    assert!(check(&doc, "DateTime", json!("2014-01-01T05:20:00.12345Z")).is_empty());
    assert!(check(&doc, "DateTime", json!("2014-01-01T05:20:00+01:00")).is_empty());
    assert_eq!(
        check(&doc, "Int32", json!(3_000_000_000_i64)),
        ["3000000000 is not an int32"]
    );
    assert!(
        check(&doc, "Other", json!("anything")).is_empty(),
        "unknown formats pass"
    );
}

#[test]
fn lengths_and_patterns() {
    let doc = doc(r"
Long: {type: string, minLength: 12}
Short: {type: string, maxLength: 3}
Slug: {type: string, pattern: '^[a-z][a-z0-9-]{2,}$', maxLength: 8}
Documented: {type: string, pattern: '^\d+$', example: '42'}
LongPattern: {type: string, pattern: '^[a-f0-9]+$', minLength: 32, maxLength: 32}
Unreadable: {type: string, pattern: '^(?!www)[a-z]+$'}
");
    assert_eq!(full(&doc, "Long"), json!("examplexxxxx"));
    assert_eq!(full(&doc, "Short"), json!("exa"));
    assert_eq!(full(&doc, "Slug"), json!("aaa"));
    assert_eq!(full(&doc, "Documented"), json!("42"));
    assert_eq!(full(&doc, "LongPattern"), json!("a".repeat(32)));
    assert_eq!(
        check(&doc, "Slug", json!("1abc")),
        ["\"1abc\" does not match the pattern \"^[a-z][a-z0-9-]{2,}$\""]
    );
    assert_eq!(
        check(&doc, "Short", json!("four")),
        ["4 characters, more than maxLength 3"]
    );
    let (value, problems) = make(&doc, "Unreadable", Variant::Full);
    assert_eq!(value, json!("example"));
    assert!(problems[0].contains("cannot be read here"), "{problems:?}");
}

#[test]
fn numbers_within_their_bounds() {
    let doc = doc("
Page: {type: integer, minimum: 5}
Exclusive: {type: integer, minimum: 1, exclusiveMinimum: true}
Negative: {type: integer, maximum: -3}
Step: {type: integer, minimum: 7, multipleOf: 5}
Ratio: {type: number, minimum: 0, maximum: 0.5}
Above: {type: number, minimum: 2.5, exclusiveMinimum: true}
");
    assert_eq!(full(&doc, "Page"), json!(5));
    assert_eq!(full(&doc, "Exclusive"), json!(2));
    assert_eq!(full(&doc, "Negative"), json!(-3));
    assert_eq!(full(&doc, "Step"), json!(10));
    assert_eq!(full(&doc, "Ratio"), json!(0.5));
    assert_eq!(full(&doc, "Above"), json!(3.5));
    assert_eq!(
        check(&doc, "Exclusive", json!(1)),
        ["1 is at most the minimum 1"]
    );
    assert_eq!(
        check(&doc, "Step", json!(11)),
        ["11 is not a multiple of 5"]
    );
    assert_eq!(
        check(&doc, "Page", json!(5.5)),
        ["a number where the schema wants integer"]
    );
}

#[test]
fn arrays_by_their_items() {
    let doc = doc("
Ids: {type: array, items: {type: string}, example: [a, b]}
Pair: {type: array, items: {type: integer}, minItems: 2, uniqueItems: true}
Kinds: {type: array, items: {type: string, enum: [x, y, z]}, minItems: 3, uniqueItems: true}
None: {type: array, items: {type: string}, maxItems: 0}
Rules: {type: array, items: {type: object, required: [id], properties: {id: {type: string}, note: {type: string}}}, example: [{id: r, extra: 1}]}
");
    assert_eq!(full(&doc, "Ids"), json!(["a", "b"]));
    assert_eq!(full(&doc, "Pair"), json!([1, 2]));
    assert_eq!(full(&doc, "Kinds"), json!(["x", "y", "z"]));
    assert_eq!(full(&doc, "None"), json!([]));
    assert_eq!(
        required(&doc, "Rules"),
        json!([{"id": "example"}]),
        "objects are built"
    );
    assert_eq!(
        full(&doc, "Rules"),
        json!([{"id": "example", "note": "example"}])
    );
    assert_eq!(check(&doc, "Pair", json!([1, 1])).len(), 1);
    assert_eq!(
        check(&doc, "Pair", json!([1])),
        ["1 items, fewer than minItems 2"]
    );
}

#[test]
fn objects_required_and_full() {
    let doc = doc("
App:
  type: object
  required: [name, id]
  properties:
    id: {type: string, readOnly: true}
    name: {type: string, example: My app}
    created_at: {type: string, format: date-time, readOnly: true}
    secret: {type: string, writeOnly: true}
    domain: {type: string, nullable: true}
Closed:
  type: object
  additionalProperties: false
  properties: {a: {type: string}}
Labels: {type: object, additionalProperties: {type: integer}}
Free: {type: object, example: {any: thing}}
Counted: {type: object, minProperties: 2, properties: {a: {type: string}, b: {type: string}, c: {type: string}}}
Undefined: {type: object, required: [ips], example: {ips: [192.0.2.1]}}
");
    assert_eq!(
        required(&doc, "App"),
        json!({"id": "example", "name": "My app"}),
        "a required readOnly property is sent: the reader's type needs it"
    );
    assert_eq!(
        full(&doc, "App"),
        json!({"id": "example", "name": "My app", "secret": "example", "domain": "example"}),
        "optional readOnly properties are not sent, nullable ones are not null"
    );
    assert_eq!(full(&doc, "Closed"), json!({"a": "example"}));
    assert_eq!(
        check(&doc, "Closed", json!({"b": "x"})),
        ["the property `b` is not allowed (additionalProperties: false)"]
    );
    assert_eq!(required(&doc, "Labels"), json!({}));
    assert_eq!(full(&doc, "Labels"), json!({"example": 1}));
    assert_eq!(
        check(&doc, "Labels", json!({"a": "x"})),
        ["at `/a`: a string where the schema wants integer"]
    );
    assert_eq!(required(&doc, "Free"), json!({}));
    assert_eq!(full(&doc, "Free"), json!({"any": "thing"}));
    assert_eq!(
        required(&doc, "Counted"),
        json!({"a": "example", "b": "example"})
    );
    assert_eq!(required(&doc, "Undefined"), json!({"ips": ["192.0.2.1"]}));
    assert_eq!(
        check(&doc, "App", json!({"name": "x"})),
        Vec::<String>::new(),
        "readOnly is not required in a request"
    );
    assert_eq!(
        check(&doc, "App", json!({"id": "x"})),
        ["the required property `name` is missing"]
    );
}

#[test]
fn all_of_parts_are_merged() {
    let doc = doc("
Base:
  type: object
  required: [id]
  properties: {id: {type: integer, minimum: 3}}
Strict:
  allOf:
    - $ref: '#/components/schemas/Base'
    - type: object
      additionalProperties: false
      required: [name]
      properties: {name: {type: string}, note: {type: string}}
Scalar:
  allOf:
    - {type: string, minLength: 2}
    - {type: string, maxLength: 4, example: abc}
");
    assert_eq!(
        required(&doc, "Strict"),
        json!({"id": 3, "name": "example"})
    );
    assert_eq!(
        full(&doc, "Strict"),
        json!({"id": 3, "name": "example", "note": "example"})
    );
    assert!(
        check(&doc, "Strict", json!({"id": 3, "name": "n"})).is_empty(),
        "additionalProperties: false allows the other parts' properties"
    );
    assert_eq!(
        check(&doc, "Strict", json!({"id": 3, "name": "n", "x": 1})),
        ["the property `x` is not allowed (additionalProperties: false)"]
    );
    assert_eq!(full(&doc, "Scalar"), json!("abc"));
}

#[test]
fn unions_take_the_first_variant_that_fits() {
    let doc = doc("
Id:
  oneOf:
    - {type: string}
    - {type: string, format: uuid}
Number:
  anyOf:
    - {type: 'null'}
    - {type: integer, minimum: 2}
Either:
  anyOf:
    - {type: object, required: [a], properties: {a: {type: string}}}
    - {type: object, required: [b], properties: {b: {type: integer}}}
Tagged:
  oneOf:
    - $ref: '#/components/schemas/Ip'
    - $ref: '#/components/schemas/Identity'
  discriminator:
    propertyName: kind
    mapping: {ip: '#/components/schemas/Ip', identity: '#/components/schemas/Identity'}
TaggedAny:
  anyOf:
    - $ref: '#/components/schemas/Ip'
    - $ref: '#/components/schemas/Identity'
  discriminator:
    propertyName: kind
    mapping: {ip: '#/components/schemas/Ip', identity: '#/components/schemas/Identity'}
Ip:
  type: object
  required: [ips]
  properties: {kind: {type: string}, ips: {type: array, items: {type: string, format: ipv4}}}
Identity:
  type: object
  required: [kind]
  properties: {kind: {type: string}}
");
    // A uuid fits both variants of the oneOf; `example` fits the first alone.
    assert_eq!(full(&doc, "Id"), json!("example"));
    assert_eq!(
        check(&doc, "Id", json!("182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e")),
        ["matches 2 variants of the `oneOf`, which wants exactly one"]
    );
    assert_eq!(
        full(&doc, "Number"),
        json!(2),
        "null only where nothing else is allowed"
    );
    assert_eq!(required(&doc, "Either"), json!({"a": "example"}));
    // Ajv ignores the discriminator: `{ips, kind: ip}` fits `Identity` too, so the `oneOf`
    // takes `Identity`, which only it fits.
    assert_eq!(required(&doc, "Tagged"), json!({"kind": "identity"}));
    assert_eq!(
        required(&doc, "TaggedAny"),
        json!({"ips": ["192.0.2.1"], "kind": "ip"})
    );
    assert_eq!(check(&doc, "Either", json!({"c": 1})).len(), 1);

    struct Second;
    impl Hints for Second {
        fn variant_order(&self, at: &Pointer) -> Option<Vec<usize>> {
            (at.as_str() == "#/components/schemas/Either").then(|| vec![1, 0])
        }
    }
    let (value, problems) = make_with(&doc, "Either", Variant::Required, &Second);
    assert_eq!(
        (value, problems),
        (json!({"b": 1}), vec![]),
        "the reader's order"
    );
}

#[test]
fn hints_add_required_properties() {
    let doc = doc("
Variant:
  type: object
  properties: {kind: {type: string, enum: [one]}, note: {type: string}}
");
    struct Tag;
    impl Hints for Tag {
        fn requires(&self, at: &Pointer, property: &str) -> bool {
            at.as_str() == "#/components/schemas/Variant" && property == "kind"
        }
    }
    assert_eq!(required(&doc, "Variant"), json!({}));
    let (value, problems) = make_with(&doc, "Variant", Variant::Required, &Tag);
    assert_eq!((value, problems), (json!({"kind": "one"}), vec![]));
}

#[test]
fn recursive_schemas_stop() {
    let doc = doc("
Node:
  type: object
  required: [name]
  properties:
    name: {type: string}
    parent: {$ref: '#/components/schemas/Node'}
    children: {type: array, items: {$ref: '#/components/schemas/Node'}}
Chain:
  type: object
  required: [next]
  properties:
    next: {$ref: '#/components/schemas/Chain'}
Nullable:
  type: object
  nullable: true
  required: [next]
  properties:
    next: {$ref: '#/components/schemas/Nullable'}
Loop: {$ref: '#/components/schemas/Loop2'}
Loop2: {$ref: '#/components/schemas/Loop'}
SelfAllOf: {allOf: [{$ref: '#/components/schemas/SelfAllOf'}]}
");
    assert_eq!(
        full(&doc, "Node"),
        json!({"name": "example"}),
        "optional recursion stops"
    );
    let (_, problems) = make(&doc, "Chain", Variant::Required);
    assert!(
        problems.iter().any(|p| p.contains("cannot end")),
        "{problems:?}"
    );
    let (value, problems) = make(&doc, "Nullable", Variant::Required);
    assert_eq!(value, json!({"next": {"next": null}}));
    assert!(problems.is_empty(), "{problems:?}");
    let (value, problems) = make(&doc, "Loop", Variant::Full);
    assert_eq!(value, Value::Null);
    assert!(!problems.is_empty());
    let _ = make(&doc, "SelfAllOf", Variant::Full);
}

#[test]
fn not_and_nullable_are_checked() {
    let doc = doc("
NotEmpty: {type: string, not: {enum: ['']}}
Maybe: {type: string, nullable: true}
Never: {type: string}
");
    assert_eq!(
        check(&doc, "NotEmpty", json!("")),
        ["matches the schema under `not`"]
    );
    assert!(check(&doc, "Maybe", Value::Null).is_empty());
    assert_eq!(
        check(&doc, "Never", Value::Null),
        ["null, but the schema is not nullable"]
    );
}

#[test]
fn the_same_value_every_time() {
    let doc = doc("
Rule:
  type: object
  required: [name]
  properties:
    name: {type: string}
    filters: {type: array, items: {type: string, enum: [dns, http]}}
    settings: {type: object, additionalProperties: {type: boolean}}
");
    let first = make(&doc, "Rule", Variant::Full);
    for _ in 0..3 {
        assert_eq!(make(&doc, "Rule", Variant::Full), first);
    }
}

#[test]
fn unresolvable_references_are_problems_not_panics() {
    let doc = doc("
Broken: {type: object, required: [a], properties: {a: {$ref: '#/components/schemas/Missing'}}}
");
    let (value, problems) = make(&doc, "Broken", Variant::Required);
    assert_eq!(value, json!({"a": null}));
    assert!(
        problems.iter().any(|p| p.contains("does not resolve")),
        "{problems:?}"
    );
}

#[test]
fn properties_beside_a_union_are_the_variants_too() {
    let doc = doc("
Appeal:
  type: object
  properties:
    appeals: {type: array, items: {type: string}}
    type: {type: string, enum: [counter_notice]}
  anyOf:
    - required: [appeals]
    - required: [type]
Needle:
  type: string
  maxLength: 10
  anyOf: [{type: boolean}, {type: number}, {type: string}]
");
    assert_eq!(required(&doc, "Appeal"), json!({"appeals": ["example"]}));
    // The spec tries a boolean first, but the schema beside the union wants a string.
    struct BooleanFirst;
    impl Hints for BooleanFirst {
        fn variant_order(&self, _: &Pointer) -> Option<Vec<usize>> {
            Some(vec![0, 1, 2])
        }
    }
    let (value, problems) = make_with(&doc, "Needle", Variant::Full, &BooleanFirst);
    assert_eq!((value, problems), (json!("example"), vec![]));
}

#[test]
fn property_counts_and_made_up_types() {
    let doc = doc("
OneOfThree:
  type: object
  minProperties: 1
  maxProperties: 1
  properties: {id: {type: string}, serial: {type: string}, license: {type: boolean}}
Unknown: {type: unknown}
Version: {type: number, enum: [2.0]}
");
    assert_eq!(
        required(&doc, "OneOfThree").as_object().map(|o| o.len()),
        Some(1)
    );
    assert_eq!(
        full(&doc, "OneOfThree").as_object().map(|o| o.len()),
        Some(1)
    );
    assert_eq!(
        check(&doc, "OneOfThree", json!({})),
        ["0 properties, fewer than minProperties 1"]
    );
    assert_eq!(full(&doc, "Unknown"), json!({}));
    let version = full(&doc, "Version");
    assert!(
        version.is_i64(),
        "a whole number is written as an integer: {version}"
    );
}

#[test]
fn a_property_defined_twice_fits_both_definitions() {
    let doc = doc("
Failure:
  type: object
  required: [success]
  properties:
    success: {type: boolean, enum: [false]}
  anyOf:
    - type: object
      properties: {success: {type: boolean, example: true}}
Record:
  type: object
  required: [name, content]
  properties: {id: {type: string}}
  anyOf:
    - $ref: '#/components/schemas/Plain'
Plain:
  anyOf:
    - {type: object, required: [type], properties: {type: {enum: [A]}, content: {type: string, format: ipv4}}}
    - {type: object, required: [type], properties: {type: {enum: [TXT]}, content: {type: string}}}
");
    assert_eq!(required(&doc, "Failure"), json!({"success": false}));
    // The required `content` beside the unions is defined by their variants, whatever the
    // nesting.
    assert_eq!(
        required(&doc, "Record"),
        json!({"content": "192.0.2.1", "name": "example", "type": "A"})
    );
}
