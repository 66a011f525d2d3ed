//! Doc comments from spec text.
//!
//! Spec text is prose from Cloudflare's documents, not rustdoc: bare URLs would trip
//! `rustdoc::bare_urls` and square brackets would be read as intra-doc links. Both are made
//! literal here so the generated crate documents cleanly under `-D warnings`.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes, one per line, for `text`.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = indent_lazy_continuations(text).into_iter().map(|line| {
        let line = if line.trim().is_empty() {
            String::new()
        } else {
            format!(" {}", escape_markdown(line.trim_end()))
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// The lines of `text`, with each line that continues a list item without being indented
/// under it (Markdown's "lazy continuation", which it reads as part of the item) indented
/// to the item's text, so that it reads the same and clippy's `doc_lazy_continuation`
/// passes.
fn indent_lazy_continuations(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    // The column where the text of the list item being continued starts.
    let mut item_text_at: Option<usize> = None;
    let mut fenced = false;
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            fenced = !fenced;
            item_text_at = None;
        }
        if fenced || trimmed.is_empty() {
            item_text_at = None;
            lines.push(line.to_owned());
            continue;
        }
        if let Some(marker) = list_marker(trimmed) {
            item_text_at = Some(indent + marker);
            lines.push(line.to_owned());
            continue;
        }
        match item_text_at {
            Some(at) if indent < at => lines.push(format!("{}{trimmed}", " ".repeat(at))),
            _ => lines.push(line.to_owned()),
        }
    }
    lines
}

/// The width of the list marker `line` starts with (`- `, `* `, `+ `, `1. `, `1) `).
fn list_marker(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "]
        .iter()
        .any(|marker| line.starts_with(marker))
    {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
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

/// One line of spec prose as rustdoc that reads it literally: code spans as written,
/// Markdown links to URLs kept, bare URLs made links, and brackets and `<` (which would be
/// intra-doc links and HTML tags) escaped.
fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let spans: Vec<&str> = line.split('`').collect();
    // With an odd number of backticks the last one opens no code span.
    let closed = if spans.len().is_multiple_of(2) {
        spans.len() - 2
    } else {
        spans.len() - 1
    };
    for (i, span) in spans.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 && i <= closed {
            out.push_str(span);
        } else {
            escape_prose(span, &mut out);
        }
    }
    out
}

fn escape_prose(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some((start, end)) = markdown_link(rest) {
        escape_plain(&rest[..start], out);
        out.push_str(&rest[start..end]);
        rest = &rest[end..];
    }
    escape_plain(rest, out);
}

/// Where the first Markdown link to a URL (`[text](https://…)`) in `text` starts and ends.
fn markdown_link(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(open) = text[from..].find('[').map(|at| from + at) {
        let close = text[open + 1..].find(['[', ']']).map(|at| open + 1 + at)?;
        let target = &text[close + 1..];
        if text[close..].starts_with(']')
            && (target.starts_with("(https://") || target.starts_with("(http://"))
        {
            if let Some(length) = target.find([')', ' ']) {
                if target[length..].starts_with(')') {
                    return Some((open, close + 1 + length + 1));
                }
            }
        }
        from = close;
    }
    None
}

fn escape_plain(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        let next_url = ["https://", "http://"]
            .iter()
            .filter_map(|scheme| rest.find(scheme))
            .min();
        let Some(start) = next_url else {
            escape_symbols(rest, out);
            break;
        };
        let before = &rest[..start];
        // An autolink's `<` stays as it is; a Markdown link was taken whole before.
        let autolink = before.ends_with('<');
        escape_symbols(&before[..before.len() - usize::from(autolink)], out);
        if autolink {
            out.push('<');
        }
        let url_len = rest[start..]
            .find(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
            .unwrap_or(rest.len() - start);
        let url = &rest[start..start + url_len];
        // Sentence punctuation after a URL belongs to the sentence.
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', ')']);
        if autolink {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(trimmed);
            out.push('>');
            out.push_str(&url[trimmed.len()..]);
        }
        rest = &rest[start + url_len..];
    }
}

fn escape_symbols(text: &str, out: &mut String) {
    for c in text.chars() {
        if matches!(c, '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_what_continues_a_list_item_under_it() {
        let text = "Keys:\n- name: by name\n  - id: by id\n.\n- last\nstill the last\n\nA paragraph.\n```\n- x\ny\n```";
        assert_eq!(
            indent_lazy_continuations(text),
            [
                "Keys:",
                "- name: by name",
                "  - id: by id",
                "    .",
                "- last",
                "  still the last",
                "",
                "A paragraph.",
                "```",
                "- x",
                "y",
                "```",
            ]
        );
    }

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
        assert_eq!(
            escape_markdown("see [RFC 8707](https://x.y/rfc8707) (OAuth) and [a]"),
            "see [RFC 8707](https://x.y/rfc8707) (OAuth) and \\[a\\]"
        );
        assert_eq!(
            escape_markdown("A [JSONata] (https://jsonata.org/) expression"),
            "A \\[JSONata\\] (<https://jsonata.org/>) expression"
        );
    }

    #[test]
    fn leaves_code_spans_as_written_and_escapes_what_looks_like_html() {
        assert_eq!(
            escape_markdown("running 'route get <ip>' or `route get <ip> [x]`, `open"),
            "running 'route get \\<ip>' or `route get <ip> [x]`, `open"
        );
    }
}
