//! Parsing of path templates such as `/accounts/{account_id}/zt_risk_scoring/{user_id}`.

/// A parsed template: literal text and `{name}` placeholders, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    Param(String),
}

impl PathTemplate {
    /// Parses `template`; the error says what is wrong with it.
    pub fn parse(template: &str) -> Result<PathTemplate, String> {
        if !template.starts_with('/') {
            return Err(format!("path '{template}' must start with '/'"));
        }
        let mut segments = Vec::new();
        let mut rest = template;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                None => {
                    segments.push(Segment::Literal(rest.to_owned()));
                    break;
                }
                Some(at) if rest[at..].starts_with('}') => {
                    return Err(format!(
                        "path '{template}' has a '}}' without a matching '{{'"
                    ));
                }
                Some(open) => {
                    if open > 0 {
                        segments.push(Segment::Literal(rest[..open].to_owned()));
                    }
                    let after = &rest[open + 1..];
                    let close = after.find('}').ok_or_else(|| {
                        format!("path '{template}' has a '{{' that is never closed")
                    })?;
                    let name = &after[..close];
                    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if !valid {
                        return Err(format!(
                            "path '{template}' has an invalid parameter '{{{name}}}': expected letters, digits or '_'"
                        ));
                    }
                    if segments.contains(&Segment::Param(name.to_owned())) {
                        return Err(format!("path '{template}' uses parameter '{name}' twice"));
                    }
                    segments.push(Segment::Param(name.to_owned()));
                    rest = &after[close + 1..];
                }
            }
        }
        Ok(PathTemplate { segments })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_literals_and_params() {
        let parsed =
            PathTemplate::parse("/accounts/{account_id}/zt_risk_scoring/{user_id}/reset").unwrap();
        assert_eq!(
            parsed.segments,
            vec![
                Segment::Literal("/accounts/".into()),
                Segment::Param("account_id".into()),
                Segment::Literal("/zt_risk_scoring/".into()),
                Segment::Param("user_id".into()),
                Segment::Literal("/reset".into()),
            ]
        );
    }

    #[test]
    fn rejects_malformed_templates() {
        for bad in [
            "accounts", "/a/{b", "/a/b}", "/a/{}", "/a/{b-c}", "/{a}/{a}",
        ] {
            assert!(PathTemplate::parse(bad).is_err(), "{bad}");
        }
    }
}
