//! Which operations `--paths` selects.

/// Whether `path` is selected by `pattern`: a prefix that ends at a segment boundary
/// (`/a/b` selects `/a/b` and `/a/b/c`, not `/a/bc`), or a glob where `*` matches within
/// one segment and `**` across segments.
pub fn matches(pattern: &str, path: &str) -> bool {
    if pattern.contains('*') {
        return glob(pattern.as_bytes(), path.as_bytes());
    }
    let pattern = pattern.trim_end_matches('/');
    match path.strip_prefix(pattern) {
        Some(rest) => rest.is_empty() || rest.starts_with('/') || pattern.is_empty(),
        None => false,
    }
}

/// Iterative glob matching with backtracking to the last star: linear-ish, no recursion.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    // (pattern index after the star, text index it matched up to, whether it was `**`)
    let mut star: Option<(usize, usize, bool)> = None;
    while t < text.len() {
        match (pattern.get(p), pattern.get(p + 1)) {
            (Some(b'*'), Some(b'*')) => {
                star = Some((p + 2, t, true));
                p += 2;
            }
            (Some(b'*'), _) => {
                star = Some((p + 1, t, false));
                p += 1;
            }
            (Some(&c), _) if text.get(t) == Some(&c) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((after, matched, deep)) if deep || text.get(matched) != Some(&b'/') => {
                    star = Some((after, matched + 1, deep));
                    p = after;
                    t = matched + 1;
                }
                _ => return false,
            },
        }
    }
    pattern
        .get(p..)
        .unwrap_or_default()
        .iter()
        .all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_end_at_segment_boundaries() {
        let prefix = "/accounts/{account_id}/zt_risk_scoring";
        assert!(matches(prefix, "/accounts/{account_id}/zt_risk_scoring"));
        assert!(matches(
            prefix,
            "/accounts/{account_id}/zt_risk_scoring/summary"
        ));
        assert!(!matches(
            prefix,
            "/accounts/{account_id}/zt_risk_scoring_v2"
        ));
        assert!(matches("/", "/anything"));
        assert!(matches("", "/anything"));
    }

    #[test]
    fn globs_match_within_and_across_segments() {
        assert!(matches(
            "/accounts/*/dlp/**",
            "/accounts/{account_id}/dlp/datasets/{id}"
        ));
        assert!(!matches("/accounts/*/dlp", "/accounts/{a}/{b}/dlp"));
        assert!(matches(
            "/**/reset",
            "/accounts/{a}/zt_risk_scoring/{u}/reset"
        ));
        assert!(!matches("/*/reset", "/accounts/{a}/reset"));
        assert!(matches("**", "/x"));
        assert!(!matches(&"*a".repeat(50), &"a".repeat(40)));
    }
}
