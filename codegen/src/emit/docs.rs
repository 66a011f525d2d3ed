//! Doc comments from spec text.
//!
//! Spec text is prose from Cloudflare's documents, not rustdoc: bare URLs would trip
//! `rustdoc::bare_urls` and square brackets would be read as intra-doc links. Both are made
//! literal here so the generated crate documents cleanly under `-D warnings`.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes, one per line, for `text`.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.trim().is_empty() {
            String::new()
        } else {
            format!(" {}", escape_markdown(line.trim_end()))
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Doc attributes for text the generator writes itself: it is rustdoc already (intra-doc
/// links included), so it is not escaped.
pub fn own_doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Joins paragraphs with a blank line between them.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts
        .into_iter()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The first line of `text`, for short docs of accessors.
pub fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default().trim()
}

fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while !rest.is_empty() {
        let next_url = ["https://", "http://"]
            .iter()
            .filter_map(|scheme| rest.find(scheme))
            .min();
        match next_url {
            Some(start) => {
                escape_brackets(&rest[..start], &mut out);
                let url_len = rest[start..]
                    .find(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
                    .unwrap_or(rest.len() - start);
                let mut url = &rest[start..start + url_len];
                // Sentence punctuation after a URL belongs to the sentence.
                let trimmed = url.trim_end_matches(['.', ',', ';', ':', ')']);
                let already_linked = start > 0 && rest[..start].ends_with(['<', '(']);
                if already_linked {
                    out.push_str(url);
                } else {
                    out.push('<');
                    out.push_str(trimmed);
                    out.push('>');
                    out.push_str(&url[trimmed.len()..]);
                }
                url = &rest[start + url_len..];
                rest = url;
            }
            None => {
                escape_brackets(rest, &mut out);
                break;
            }
        }
    }
    out
}

fn escape_brackets(text: &str, out: &mut String) {
    for c in text.chars() {
        if matches!(c, '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_bare_urls_and_keeps_sentence_punctuation_outside() {
        assert_eq!(
            escape_markdown("See https://openid.net/specs/x.html#rfc.section.6.2.1."),
            "See <https://openid.net/specs/x.html#rfc.section.6.2.1>."
        );
        assert_eq!(
            escape_markdown(r#"E.g. "https://tenant.okta.com"."#),
            r#"E.g. "<https://tenant.okta.com>"."#
        );
    }

    #[test]
    fn leaves_linked_urls_alone_and_escapes_brackets() {
        assert_eq!(escape_markdown("<https://a.b/c>"), "<https://a.b/c>");
        assert_eq!(escape_markdown("map[string]"), "map\\[string\\]");
    }
}
