//! Names: case conversion, the fix-ups for wire names that are not identifiers, and the
//! collision-free names of types. Rust names themselves are the generator's business
//! (`codegen::names`); here we only decide what to write in the spec so that the generator's
//! conversion gives distinct, meaningful names.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;

use crate::model::{Base, Origin, State, Types};

/// Names the generated code declares or imports itself, which a type must not take: the
/// validator's own list, so the two never disagree.
pub fn is_reserved_type_name(name: &str) -> bool {
    codegen::validate::RESERVED_TYPE_NAMES.contains(&name)
}

/// `PascalCase` for a type name: ASCII letters and digits, starting with a letter.
pub fn pascal(text: &str) -> String {
    let spelled = spell_symbols(text);
    let mut name: String = spelled
        .to_upper_camel_case()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if name.is_empty() {
        name.push_str("Value");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    name
}

/// The generator's `snake_case` of a wire name, `None` when nothing survives.
pub fn snake(text: &str) -> Option<String> {
    codegen::names::snake(text)
}

/// `snake_case` for a resource or method name: the generator's conversion, which keeps a
/// name that is already snake case as it is.
pub fn member(text: &str) -> String {
    let name = codegen::names::snake(&spell_symbols(text)).unwrap_or_else(|| "item".to_owned());
    // Keywords get the generator's trailing underscore when converted; the spec writes the
    // bare word and the generator adds it again.
    match name.strip_suffix('_') {
        Some(bare) if codegen::names::snake(bare).as_deref() == Some(name.as_str()) => {
            bare.to_owned()
        }
        _ => name,
    }
}

/// Spells out the symbols that case conversion would drop, where they carry the meaning
/// (`+1`, `-1`, `@type`, `*`): `+` → ` plus `, and so on. Letters and digits are kept.
pub fn spell_symbols(text: &str) -> String {
    let only_symbols = !text.chars().any(|c| c.is_ascii_alphanumeric());
    let mut spelled = String::with_capacity(text.len());
    for (index, c) in text.chars().enumerate() {
        let word = match c {
            '+' => "plus",
            '-' if only_symbols || index == 0 => "minus",
            '*' => "star",
            '@' => "at",
            '$' => "dollar",
            '#' => "hash",
            '%' => "percent",
            '&' => "and",
            '=' => "equals",
            '<' => "lt",
            '>' => "gt",
            '!' => "not",
            '.' if only_symbols => "dot",
            '/' if only_symbols => "slash",
            other => {
                spelled.push(other);
                continue;
            }
        };
        spelled.push(' ');
        spelled.push_str(word);
        spelled.push(' ');
    }
    spelled
}

/// The name a component schema would have without the product prefix Cloudflare uses as a
/// namespace (`dlp_RiskLevel` → `RiskLevel`, `access_app_id` → `app_id`), if it has one.
pub fn without_product_prefix(name: &str) -> Option<&str> {
    let (prefix, rest) = name.split_once('_')?;
    let is_prefix = !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (is_prefix && rest.starts_with(|c: char| c.is_ascii_alphabetic())).then_some(rest)
}

/// For each wire name of one object (or one parameter list), the `name:` override to write,
/// if any: only where the generator's default would collide with another or name nothing.
/// `taken` holds the Rust names already used (inherited fields, say).
pub fn overrides<'w>(
    wires: impl IntoIterator<Item = &'w str>,
    taken: &mut BTreeSet<String>,
) -> Vec<Option<String>> {
    let wires: Vec<&str> = wires.into_iter().collect();
    let mut chosen: Vec<Option<Option<String>>> = vec![None; wires.len()];
    // A plain identifier owns its Rust name; one that only converts to it (`@type` to
    // `type_`, `fooBar` beside `foo_bar`) yields it and spells itself out.
    let plain =
        |wire: &str| snake(wire) == snake(&wire.to_lowercase()) && spell_symbols(wire) == wire;
    for pass in [true, false] {
        for (index, wire) in wires.iter().enumerate() {
            if plain(wire) != pass {
                continue;
            }
            if let Some(default) = snake(wire).filter(|name| !taken.contains(name)) {
                taken.insert(default);
                if let Some(slot) = chosen.get_mut(index) {
                    *slot = Some(None);
                }
            }
        }
    }
    for (index, wire) in wires.iter().enumerate() {
        if chosen.get(index).is_some_and(Option::is_some) {
            continue;
        }
        let spelled = snake(&spell_symbols(wire)).unwrap_or_else(|| "value".to_owned());
        let base = spelled.trim_end_matches('_');
        let name = first_free(
            if base.is_empty() { &spelled } else { base },
            |name| taken.contains(name) || snake(name).as_deref() != Some(name),
            "_",
        );
        taken.insert(name.clone());
        if let Some(slot) = chosen.get_mut(index) {
            *slot = Some(Some(name));
        }
    }
    chosen.into_iter().map(Option::flatten).collect()
}

/// `base`, else `base` + separator + 2, 3, … : the first that `taken` does not hold.
pub fn first_free(base: &str, taken: impl Fn(&str) -> bool, separator: &str) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}{separator}{n}"))
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_owned())
}

/// Decides the name of every written type: component schemas first, in document order,
/// without their product prefix unless that collides or is reserved; then inline types,
/// named after where they sit. `renames` holds the names file's choices by entry, and
/// `operation_names` the `PascalCase` base names of operations.
pub fn type_names(
    types: &Types,
    renames: &BTreeMap<usize, String>,
    operation_names: &[String],
) -> (Vec<Option<String>>, Vec<(usize, String)>) {
    let mut names: Vec<Option<String>> = vec![None; types.entries.len()];
    let mut comments = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let written =
        |id: usize| matches!(types.entries.get(id).map(|e| &e.state), Some(State::Def(_)));

    // Names the maintainer chose come first: nothing the importer derives may take them.
    for (id, name) in renames {
        if written(*id) {
            taken.insert(name.clone());
            if let Some(slot) = names.get_mut(*id) {
                *slot = Some(name.clone());
            }
        }
    }

    // Components: the short name when no other component wants it, else the prefixed one.
    let components: Vec<(usize, &str)> = types
        .entries
        .iter()
        .enumerate()
        .filter(|(id, _)| written(*id) && !renames.contains_key(id))
        .filter_map(|(id, entry)| match &entry.origin {
            Origin::Component { name } => Some((id, name.as_str())),
            Origin::Inline { .. } => None,
        })
        .collect();
    let mut wanted: BTreeMap<String, usize> = BTreeMap::new();
    for (_, name) in &components {
        let short = pascal(without_product_prefix(name).unwrap_or(name));
        *wanted.entry(short).or_insert(0) += 1;
    }
    for (id, name) in components {
        let short = pascal(without_product_prefix(name).unwrap_or(name));
        let long = pascal(name);
        let contested = wanted.get(&short).copied().unwrap_or(0) > 1;
        let candidate = if contested || is_reserved_type_name(&short) || taken.contains(&short) {
            long
        } else {
            short.clone()
        };
        let chosen = first_free(
            &candidate,
            |name| taken.contains(name) || is_reserved_type_name(name),
            "",
        );
        if chosen != short {
            comments.push((
                id,
                format!(
                    "upstream `{name}`; named `{chosen}` because `{short}` is taken or reserved"
                ),
            ));
        }
        taken.insert(chosen.clone());
        if let Some(slot) = names.get_mut(id) {
            *slot = Some(chosen);
        }
    }

    // Inline types: their base's name and the parts of where they sit.
    for id in 0..types.entries.len() {
        if !written(id) || names.get(id).is_some_and(Option::is_some) {
            continue;
        }
        let Some(Origin::Inline { base, parts }) = types.entries.get(id).map(|e| &e.origin) else {
            continue;
        };
        let base_name =
            match base {
                // A component written as a type expression (a list of inline objects, say) has
                // no name of its own; its inline types are named after the component.
                Base::Type(owner) => names.get(*owner).cloned().flatten().unwrap_or_else(|| {
                    match types.entries.get(*owner).map(|entry| &entry.origin) {
                        Some(Origin::Component { name }) => {
                            pascal(without_product_prefix(name).unwrap_or(name))
                        }
                        _ => "Type".to_owned(),
                    }
                }),
                Base::Operation(index) => operation_names
                    .get(*index)
                    .cloned()
                    .unwrap_or_else(|| "Operation".to_owned()),
            };
        let wanted = pascal(&format!("{base_name} {}", parts.join(" ")));
        let chosen = first_free(
            &wanted,
            |name| taken.contains(name) || is_reserved_type_name(name),
            "",
        );
        if chosen != wanted {
            comments.push((id, format!("named `{chosen}` because `{wanted}` is taken")));
        }
        taken.insert(chosen.clone());
        if let Some(slot) = names.get_mut(id) {
            *slot = Some(chosen);
        }
    }
    (names, comments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_prefixes_are_dropped_only_where_they_are_prefixes() {
        assert_eq!(without_product_prefix("dlp_RiskLevel"), Some("RiskLevel"));
        assert_eq!(without_product_prefix("access_app_id"), Some("app_id"));
        assert_eq!(
            without_product_prefix("zero-trust-gateway_rules"),
            Some("rules")
        );
        assert_eq!(without_product_prefix("RiskLevel"), None);
        assert_eq!(without_product_prefix("dlp_"), None);
        assert_eq!(without_product_prefix("Foo_bar"), None);
        assert_eq!(without_product_prefix("aaa_2fa"), None);
    }

    #[test]
    fn type_names_are_pascal_case_identifiers() {
        assert_eq!(pascal("api-response-collection"), "ApiResponseCollection");
        assert_eq!(pascal("2fa settings"), "V2faSettings");
        assert_eq!(pascal("+"), "Plus");
        assert_eq!(pascal(""), "Value");
        assert_eq!(pascal("café"), "Caf");
    }

    #[test]
    fn overrides_only_where_the_default_collides_or_names_nothing() {
        let mut taken = BTreeSet::new();
        let wires = ["@type", "type", "fooBar", "foo_bar", "+", "-", "a.b", "1st"];
        let found = overrides(wires, &mut taken);
        assert_eq!(
            found,
            [
                Some("at_type".to_owned()),
                None,
                Some("foo_bar_2".to_owned()),
                None,
                Some("plus".to_owned()),
                Some("minus".to_owned()),
                None,
                None,
            ]
        );
    }

    #[test]
    fn members_are_snake_case_as_the_generator_keeps_them() {
        assert_eq!(member("revoke-tokens"), "revoke_tokens");
        assert_eq!(member("zero-trust"), "zero_trust");
        assert_eq!(member("type"), "type");
        assert_eq!(member("ai-controls"), "ai_controls");
        assert_eq!(member("4xx"), "_4xx");
    }
}
