//! Every Rust name the generator emits is made here: case conversion, keyword escaping and
//! the fix-ups for names that could not otherwise be identifiers.
//!
//! Keywords get a trailing underscore (`type` → `type_`) rather than a raw identifier,
//! because `self`, `super`, `crate` and `Self` cannot be raw and one rule for all is easier
//! to predict. A name that starts with a digit gets a prefix (`_` for snake case, `V` for
//! types and variants) so it stays readable and lint-clean.

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::spec::{Literal, TypeExpr};

/// Strict and reserved keywords of Rust 2021, plus the weak ones that cannot name items.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// `snake_case` name for a field, parameter, method or module; `None` when nothing of the
/// input survives conversion (it had no letters or digits).
pub fn snake(name: &str) -> Option<String> {
    let converted = ascii_only(name.to_snake_case());
    if converted.is_empty() {
        return None;
    }
    Some(escape(if starts_with_digit(&converted) {
        format!("_{converted}")
    } else {
        converted
    }))
}

/// `PascalCase` name for a type or enum variant; `None` as for [`snake`].
pub fn pascal(name: &str) -> Option<String> {
    let converted = ascii_only(name.to_upper_camel_case());
    if converted.is_empty() {
        return None;
    }
    Some(escape(if starts_with_digit(&converted) {
        format!("V{converted}")
    } else {
        converted
    }))
}

/// The variant name of an enum value: `low` → `Low`, `1` → `V1`, `true` → `True`, `-1` →
/// `Minus1`; `None` when a string has nothing to name it after.
pub fn enum_variant(value: &Literal) -> Option<String> {
    match value {
        Literal::String(text) => pascal(text),
        Literal::Integer(number) if *number < 0 => Some(format!("Minus{}", number.unsigned_abs())),
        Literal::Integer(number) => Some(format!("V{number}")),
        Literal::Boolean(true) => Some("True".to_owned()),
        Literal::Boolean(false) => Some("False".to_owned()),
    }
}

/// The variant name a union gives a type it may be: the type's own name, or a name for a
/// built-in (`string` → `String`, `list<Rule>` → `ListOfRule`).
pub fn union_variant(ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::Named(name) => pascal(name).unwrap_or_else(|| name.clone()),
        TypeExpr::List(inner) => format!("ListOf{}", union_variant(inner)),
        TypeExpr::Map(inner) => format!("MapOf{}", union_variant(inner)),
        TypeExpr::Boolean => "Bool".to_owned(),
        other => pascal(&other.to_string()).unwrap_or_else(|| "Value".to_owned()),
    }
}

/// Keeps ASCII letters, digits and inner underscores: non-ASCII identifiers would be legal
/// Rust but awkward to type in a public API, and a name of only underscores names nothing.
fn ascii_only(mut name: String) -> String {
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.chars().all(|c| c == '_') {
        name.clear();
    }
    name
}

fn starts_with_digit(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_digit())
}

fn escape(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        name + "_"
    } else {
        name
    }
}

/// Picks the first of `candidates`, then `candidates[last]` with a growing numeric suffix,
/// that `taken` does not reject. Used for names the generator adds itself (the field that
/// keeps unknown JSON keys, the catch-all enum variant), so they never shadow spec names.
pub fn first_free(candidates: &[&str], taken: impl Fn(&str) -> bool) -> String {
    if let Some(free) = candidates.iter().find(|name| !taken(name)) {
        return (*free).to_owned();
    }
    let base = candidates.last().copied().unwrap_or("name");
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_owned())
}

/// Edit distance, for "did you mean" hints.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(current).min(row[j])
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// The closest of `known` to `name`, if it is close enough to be a likely typo. A name that
/// differs only in ASCII case (`String` for `string`) is the closest of all.
pub fn suggest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = name.chars().count();
    known
        .into_iter()
        .filter_map(|candidate| {
            if candidate.eq_ignore_ascii_case(name) {
                return Some((0, candidate));
            }
            let limit = 2.max(candidate.chars().count() / 3);
            // The difference in length bounds the distance from below; checking it first
            // keeps a very long name from costing its length times each candidate's.
            if length.abs_diff(candidate.chars().count()) > limit {
                return None;
            }
            let d = distance(name, candidate);
            (d <= limit).then_some((d, candidate))
        })
        .min()
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_and_escapes() {
        assert_eq!(snake("type").as_deref(), Some("type_"));
        assert_eq!(snake("self").as_deref(), Some("self_"));
        assert_eq!(snake("ref").as_deref(), Some("ref_"));
        assert_eq!(snake("match").as_deref(), Some("match_"));
        assert_eq!(snake("accountTag").as_deref(), Some("account_tag"));
        assert_eq!(snake("2fa").as_deref(), Some("_2fa"));
        assert_eq!(snake("--"), None);
        assert_eq!(snake("_"), None);
        assert_eq!(snake("caf\u{e9}_id").as_deref(), Some("caf_id"));
        assert_eq!(pascal("self").as_deref(), Some("Self_"));
        assert_eq!(pascal("low").as_deref(), Some("Low"));
        assert_eq!(pascal("2fa").as_deref(), Some("V2fa"));
        assert_eq!(pascal("Okta").as_deref(), Some("Okta"));
    }

    #[test]
    fn names_differing_only_by_case_or_separator_collide() {
        assert_eq!(snake("fooBar"), snake("foo_bar"));
        assert_eq!(snake("foo-bar"), snake("FOO_BAR"));
    }

    #[test]
    fn first_free_skips_taken_names_deterministically() {
        assert_eq!(first_free(&["extra"], |_| false), "extra");
        assert_eq!(
            first_free(&["extra", "extra_fields"], |n| n == "extra"),
            "extra_fields"
        );
        assert_eq!(
            first_free(&["extra"], |n| n == "extra" || n == "extra2"),
            "extra3"
        );
    }

    #[test]
    fn suggests_close_names_only() {
        let known = ["RiskLevel", "Integration"];
        assert_eq!(suggest("RiskLevl", known), Some("RiskLevel"));
        assert_eq!(suggest("Banana", known), None);
        assert_eq!(suggest("String", ["strung", "string"]), Some("string"));
        assert_eq!(suggest(&"x".repeat(1_000_000), known), None);
    }
}
