//! Strings made for a `pattern`: the regex parsed with `regex-syntax`, then walked, taking
//! the first branch of each alternation, a readable character of each class and each
//! repetition's least count (or a few more, for a `minLength`). Patterns the crate cannot
//! parse (look-arounds, back-references) give nothing.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Characters tried first when a class allows them: what a person would write.
const PREFERRED: &str = "a0Ax-_.";

/// Repetitions beyond this many are not written out.
const MAX_REPEAT: u32 = 256;

/// How long a made string may grow.
const MAX_LENGTH: usize = 4096;

/// Strings matching `pattern`, shortest first: each repetition taken its least number of
/// times, then once, then `extra` more (for patterns whose least string is too short).
pub fn samples(pattern: &str, extra: &[u32]) -> Vec<String> {
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .unicode(true)
        .build()
        .parse(pattern)
    else {
        return Vec::new();
    };
    let mut made = Vec::new();
    for more in std::iter::once(0).chain(extra.iter().copied()) {
        let mut out = String::new();
        if sample(&hir, more, &mut out) && !made.contains(&out) {
            made.push(out);
        }
    }
    made
}

/// Writes a string `hir` matches into `out`; `more` is added to each repetition's least
/// count (up to its most). False when no string can be made (an empty class).
fn sample(hir: &Hir, more: u32, out: &mut String) -> bool {
    if out.len() > MAX_LENGTH {
        return false;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(literal) => match std::str::from_utf8(&literal.0) {
            Ok(text) => {
                out.push_str(text);
                true
            }
            Err(_) => false,
        },
        HirKind::Class(class) => match pick(class) {
            Some(c) => {
                out.push(c);
                true
            }
            None => false,
        },
        HirKind::Repetition(repetition) => {
            let most = repetition.max.unwrap_or(u32::MAX);
            let count = repetition
                .min
                .saturating_add(more)
                .min(most)
                .min(MAX_REPEAT.max(repetition.min));
            if count > MAX_REPEAT {
                return false;
            }
            (0..count).all(|_| sample(&repetition.sub, more, out))
        }
        HirKind::Capture(capture) => sample(&capture.sub, more, out),
        HirKind::Concat(parts) => parts.iter().all(|part| sample(part, more, out)),
        HirKind::Alternation(branches) => {
            // The first branch that can be written.
            branches.iter().any(|branch| {
                let mark = out.len();
                let written = sample(branch, more, out);
                if !written {
                    out.truncate(mark);
                }
                written
            })
        }
    }
}

/// A readable character of the class: a preferred one it allows, else the first printable
/// one, else its first.
fn pick(class: &Class) -> Option<char> {
    let contains = |c: char| match class {
        Class::Unicode(class) => class
            .ranges()
            .iter()
            .any(|range| range.start() <= c && c <= range.end()),
        Class::Bytes(class) => u8::try_from(c).is_ok_and(|byte| {
            class
                .ranges()
                .iter()
                .any(|range| range.start() <= byte && byte <= range.end())
        }),
    };
    if let Some(c) = PREFERRED.chars().find(|c| contains(*c)) {
        return Some(c);
    }
    let starts: Vec<char> = match class {
        Class::Unicode(class) => class.ranges().iter().map(|range| range.start()).collect(),
        Class::Bytes(class) => class
            .ranges()
            .iter()
            .filter(|range| range.start().is_ascii())
            .map(|range| char::from(range.start()))
            .collect(),
    };
    // A printable ASCII character in a range, then any printable start.
    let printable = (0x21u8..0x7f).map(char::from).find(|c| contains(*c));
    printable
        .or_else(|| {
            starts
                .iter()
                .copied()
                .find(|c| !c.is_control() && !c.is_whitespace())
        })
        .or_else(|| starts.first().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(pattern: &str) -> String {
        samples(pattern, &[]).into_iter().next().unwrap_or_default()
    }

    #[test]
    fn literals_classes_and_repetitions() {
        assert_eq!(first("^[a-z0-9-]{3,}$"), "aaa");
        assert_eq!(first(r"^\d{4}-\d{2}$"), "0000-00");
        assert_eq!(first("^(foo|bar)+baz?$"), "fooba");
        assert_eq!(first("^[A-Z]$"), "A");
        assert_eq!(first(r"^\.[^.]+$"), ".a");
    }

    #[test]
    fn more_repetitions_for_longer_strings() {
        let made = samples("^a*b+$", &[1, 3]);
        assert_eq!(made, ["b", "abb", "aaabbbb"]);
    }

    #[test]
    fn unreadable_patterns_give_nothing() {
        assert!(samples("^(?=a)a$", &[]).is_empty());
        assert!(samples(r"^(a)\1$", &[]).is_empty());
        assert!(samples("[", &[]).is_empty());
    }
}
