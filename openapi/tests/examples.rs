//! Examples of every component schema of Cloudflare's whole API, with required properties
//! only and with every property: never a panic, quick, and each value valid for its schema
//! but where the document contradicts itself, as listed in [`IMPOSSIBLE`].

use std::path::Path;
use std::time::Instant;

use openapi::example::{Examples, NoHints, Variant};
use openapi::{Pointer, Resolver, SchemaRef};

/// Schemas no value is valid for, and why; each entry must still be needed.
const IMPOSSIBLE: &[(&str, &str)] = &[
    (
        "tls-certificates-and-hostnames_ssl_verification_response_collection",
        "holds tls-certificates-and-hostnames_verification_info",
    ),
    (
        "tls-certificates-and-hostnames_verification",
        "holds tls-certificates-and-hostnames_verification_info",
    ),
    (
        "tls-certificates-and-hostnames_verification_info",
        "`record_target` is `format: hostname` with an `enum` of values that are not \
         hostnames (`record_value`, …); only the Full variant sends it",
    ),
];

#[test]
fn every_component_schema_of_the_whole_api() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/cloudflare-openapi-full.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "{}: {error} (the tests read Cloudflare's documents from ../shared/reference/)",
            path.display()
        )
    });
    let doc = openapi::parse(&text).expect("the document parses");
    let resolver = Resolver::new(&doc);
    let examples = Examples::new(resolver, &NoHints);
    let started = Instant::now();
    let names: Vec<&String> = doc
        .components
        .as_ref()
        .map(|components| components.schemas.keys().collect())
        .unwrap_or_default();
    let mut invalid: Vec<(String, String)> = Vec::new();
    for name in &names {
        let reference = format!(
            "#/components/schemas/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        for variant in [Variant::Required, Variant::Full] {
            let made =
                examples.example(SchemaRef::Reference(&reference), &Pointer::root(), variant);
            if let Some(problem) = made.problems.first() {
                invalid.push(((*name).clone(), format!("{variant:?}: {}", problem.message)));
            }
        }
    }
    let took = started.elapsed();
    eprintln!("{} schemas, twice each, in {took:.2?}", names.len());
    let unexpected: Vec<String> = invalid
        .iter()
        .filter(|(name, _)| !IMPOSSIBLE.iter().any(|(impossible, _)| impossible == name))
        .map(|(name, why)| format!("{name} ({why})"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "no valid value:\n{}",
        unexpected.join("\n")
    );
    for (name, _) in IMPOSSIBLE {
        assert!(
            invalid.iter().any(|(invalid, _)| invalid == name),
            "{name} has a valid value now: remove it from IMPOSSIBLE"
        );
    }
}
