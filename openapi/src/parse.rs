//! Parsing: text (JSON or YAML) into `openapiv3`'s model, OpenAPI 3.0 only.

use std::fmt;

use openapiv3::OpenAPI;

/// Why a text is not a document we can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The text starts like JSON and is not valid JSON.
    NotJson(String),
    /// The text is not valid YAML (JSON is YAML too; this is for everything else).
    NotYaml(String),
    /// There is no `openapi` version key.
    NoVersion,
    /// A Swagger 2 document.
    Swagger2,
    /// An `openapi` version other than 3.0.x.
    UnsupportedVersion(String),
    /// The document breaks OpenAPI 3.0's structure; `at` is the path of the bad value.
    Invalid { at: String, message: String },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::NotJson(error) => write!(f, "not valid JSON: {error}"),
            ParseError::NotYaml(error) => write!(f, "not valid YAML: {error}"),
            ParseError::NoVersion => {
                f.write_str("not an OpenAPI document: there is no `openapi` version")
            }
            ParseError::Swagger2 => {
                f.write_str("Swagger 2 is not supported: only OpenAPI 3.0 is read")
            }
            ParseError::UnsupportedVersion(version) => write!(
                f,
                "OpenAPI {version} is not supported: only OpenAPI 3.0 is read"
            ),
            ParseError::Invalid { at, message } => {
                write!(f, "not a valid OpenAPI 3.0 document: at {at}: {message}")
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// Parses an OpenAPI 3.0 document, JSON or YAML.
///
/// The text is parsed straight into the model, which is several times faster than going
/// through a `serde_json::Value` (the whole Cloudflare API is 12.5 MB) and keeps the order of
/// properties. Should that fail, the text is read again through a `Value`, so the message is
/// the same whichever way it was read: the
/// version is checked first (a 3.1 or Swagger 2 document would half-parse into openapiv3's
/// 3.0 model and give nonsense), then the structure, with the path of the bad value.
pub fn parse(text: &str) -> Result<OpenAPI, ParseError> {
    let json = text.trim_start().starts_with('{');
    // The fast path also keeps the order properties are written in: a `serde_json::Value`
    // sorts object keys. Its version is checked after the fact: a document of another
    // version that happens to fit the 3.0 model is read again below, which says so.
    let direct = if json {
        serde_json::from_str::<OpenAPI>(text).ok()
    } else {
        serde_yaml::from_str::<OpenAPI>(text).ok()
    };
    if let Some(doc) = direct.filter(|doc| doc.openapi.starts_with("3.0.")) {
        return Ok(doc);
    }
    // JSON is YAML too, but serde_json's messages are better for JSON.
    let value: serde_json::Value = if json {
        serde_json::from_str(text).map_err(|error| ParseError::NotJson(error.to_string()))?
    } else {
        serde_yaml::from_str(text).map_err(|error| ParseError::NotYaml(error.to_string()))?
    };
    match value.get("openapi").and_then(serde_json::Value::as_str) {
        Some(version) if version.starts_with("3.0.") => {}
        Some(version) => return Err(ParseError::UnsupportedVersion(version.to_owned())),
        None if value.get("swagger").is_some() => return Err(ParseError::Swagger2),
        None => return Err(ParseError::NoVersion),
    }
    serde_path_to_error::deserialize(value).map_err(|error| ParseError::Invalid {
        at: error.path().to_string(),
        message: error.inner().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_and_yaml_and_refuses_other_versions() {
        let yaml = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        assert_eq!(parse(yaml).map(|doc| doc.info.title), Ok("t".to_owned()));
        let json = r#"{"openapi": "3.0.0", "info": {"title": "j", "version": "1"}, "paths": {}}"#;
        assert_eq!(parse(json).map(|doc| doc.info.title), Ok("j".to_owned()));
        let newer = r#"{"openapi": "3.1.0", "info": {"title": "j", "version": "1"}, "paths": {}}"#;
        assert_eq!(
            parse(newer).map(|_| ()),
            Err(ParseError::UnsupportedVersion("3.1.0".to_owned()))
        );
        assert_eq!(
            parse("swagger: '2.0'").map(|_| ()),
            Err(ParseError::Swagger2)
        );
        assert_eq!(parse("").map(|_| ()), Err(ParseError::NoVersion));
    }

    #[test]
    fn a_bad_json_document_is_located_the_same_way_as_a_yaml_one() {
        let json = r#"{"openapi": "3.0.3", "info": {"version": "1"}, "paths": {}}"#;
        let yaml = "openapi: 3.0.3\ninfo: {version: '1'}\npaths: {}\n";
        assert_eq!(parse(json).map(|_| ()), parse(yaml).map(|_| ()));
        assert!(matches!(parse(json), Err(ParseError::Invalid { at, .. }) if at == "info"));
    }
}
