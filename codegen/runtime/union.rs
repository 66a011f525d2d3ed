//! Decoding unions: the value as JSON first, then the variant it is, by its tag or by
//! trying each in turn; what fits none is kept, with the reasons, rather than failing the
//! response it came in.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::json;

/// A value of a union type that matched none of its variants: an unknown tag, or a shape
/// this version of the crate does not know. It keeps the JSON as it arrived, so that a
/// variant added upstream never breaks decoding, and says what was tried.
///
/// It encodes back as the JSON it holds. Its `Display` says why each variant did not fit.
#[derive(Debug, Clone)]
pub struct Unmatched {
    value: Value,
    reason: Reason,
}

#[derive(Debug, Clone)]
enum Reason {
    /// The variants tried in order, each with why it did not fit.
    #[allow(dead_code)] // a spec without untagged unions never makes one
    NoVariantFits(Vec<(&'static str, String)>),
    /// The discriminator, and the value it had (`None` when it was missing or not a
    /// string).
    #[allow(dead_code)] // a spec without discriminated unions never makes one
    UnknownTag(&'static str, Option<String>),
}

impl Unmatched {
    /// A value whose `property` names no variant of a discriminated union.
    #[allow(dead_code)] // a spec without discriminated unions never calls it
    pub(crate) fn untagged(value: Value, property: &'static str) -> Unmatched {
        let found = tag(&value, property).map(str::to_owned);
        Unmatched {
            value,
            reason: Reason::UnknownTag(property, found),
        }
    }

    /// The JSON as it arrived.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The JSON as it arrived, taken.
    pub fn into_value(self) -> Value {
        self.value
    }

    /// The variants tried, in order, each with why it did not fit; empty for a
    /// discriminated union, which tries only the variant its tag names.
    pub fn tried(&self) -> impl Iterator<Item = (&str, &str)> {
        let tried = match &self.reason {
            Reason::NoVariantFits(tried) => tried.as_slice(),
            Reason::UnknownTag(..) => &[],
        };
        tried.iter().map(|(name, why)| (*name, why.as_str()))
    }
}

/// Two unmatched values are equal when their JSON is: why they matched nothing depends on
/// the crate's version, not on what they are.
impl PartialEq for Unmatched {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Serialize for Unmatched {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl fmt::Display for Unmatched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            Reason::NoVariantFits(tried) => {
                f.write_str("matches none of the variants: ")?;
                for (i, (name, why)) in tried.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "not {name} ({why})")?;
                }
                Ok(())
            }
            Reason::UnknownTag(property, Some(found)) => {
                write!(f, "`{property}` is {found:?}, which names no known variant")
            }
            Reason::UnknownTag(property, None) => {
                write!(
                    f,
                    "`{property}`, which names the variant, is missing or not a string"
                )
            }
        }
    }
}

/// The string value of `property` when `value` is an object that has one.
#[allow(dead_code)] // a spec without discriminated unions never calls it
pub(crate) fn tag<'v>(value: &'v Value, property: &str) -> Option<&'v str> {
    value.get(property).and_then(Value::as_str)
}

/// The variant `name` of a discriminated union, from the JSON its tag selected; the error
/// says where inside the variant decoding failed.
#[allow(dead_code)] // a spec without discriminated unions never calls it
pub(crate) fn variant<T: DeserializeOwned>(name: &str, value: &Value) -> Result<T, String> {
    json::parse(&text(value), "").map_err(|failure| format!("as {name}: {}", why(&failure)))
}

/// The JSON text of `value`, to read a variant from: every model is read from text, with
/// the one deserializer it is compiled for (see `json.rs`).
fn text(value: &Value) -> Vec<u8> {
    // Writing a `Value` into memory cannot fail: its keys are strings.
    serde_json::to_vec(value).unwrap_or_default()
}

/// What went wrong, and where inside the value when it was not at the top.
fn why(failure: &json::Failure) -> String {
    let message = json::message(&failure.error);
    if failure.path.is_empty() {
        message
    } else {
        format!("at `{}`: {message}", failure.path)
    }
}

/// The variants of an untagged union, tried in order against one value.
#[allow(dead_code)] // a spec without untagged unions never makes one
pub(crate) struct Candidates {
    value: Value,
    /// The value as text, which each variant is read from.
    text: Vec<u8>,
    tried: Vec<(&'static str, String)>,
}

#[allow(dead_code)] // as for `Candidates`
impl Candidates {
    pub(crate) fn new(value: Value) -> Candidates {
        Candidates {
            text: text(&value),
            value,
            tried: Vec::new(),
        }
    }

    /// The value as the variant `name`, or `None` (and why, kept) when it does not fit.
    pub(crate) fn fit<T: DeserializeOwned>(&mut self, name: &'static str) -> Option<T> {
        match json::parse(&self.text, "") {
            Ok(fits) => Some(fits),
            Err(failure) => {
                self.tried.push((name, why(&failure)));
                None
            }
        }
    }

    /// What was tried, once nothing fitted.
    pub(crate) fn unmatched(self) -> Unmatched {
        Unmatched {
            value: self.value,
            reason: Reason::NoVariantFits(self.tried),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Ip {
        kind: String,
        ips: Vec<String>,
    }

    #[test]
    fn untagged_values_fit_the_first_variant_that_takes_them() {
        let mut candidates = Candidates::new(json!(42));
        assert_eq!(candidates.fit::<String>("String"), None);
        assert_eq!(candidates.fit::<i64>("Integer"), Some(42));
    }

    #[test]
    fn a_value_that_fits_nothing_is_kept_with_every_reason() {
        let mut candidates = Candidates::new(json!({"kind": "ip", "ips": [1]}));
        assert_eq!(candidates.fit::<String>("String"), None);
        assert_eq!(candidates.fit::<Ip>("Ip"), None);
        let unmatched = candidates.unmatched();
        assert_eq!(unmatched.value(), &json!({"kind": "ip", "ips": [1]}));
        let tried: Vec<(&str, &str)> = unmatched.tried().collect();
        assert_eq!(tried[0].0, "String");
        assert_eq!(tried[1].0, "Ip");
        assert!(
            tried[1].1.starts_with("at `ips[0]`: invalid type"),
            "{tried:?}"
        );
        let message = unmatched.to_string();
        assert!(message.starts_with("matches none of the variants: not String (invalid type"));
        assert_eq!(
            serde_json::to_value(&unmatched).unwrap(),
            json!({"kind": "ip", "ips": [1]})
        );
    }

    #[test]
    fn tags_select_variants_and_unknown_tags_are_kept() {
        let value = json!({"kind": "ip", "ips": ["192.0.2.1"]});
        assert_eq!(tag(&value, "kind"), Some("ip"));
        let ip: Ip = variant("Ip", &value).unwrap();
        assert_eq!(ip.ips, ["192.0.2.1"]);
        let error = variant::<Ip>("Ip", &json!({"kind": "ip", "ips": "x"})).unwrap_err();
        assert!(
            error.starts_with("as Ip: at `ips`: invalid type"),
            "{error}"
        );

        let unknown = Unmatched::untagged(json!({"kind": "quic"}), "kind");
        assert_eq!(
            unknown.to_string(),
            "`kind` is \"quic\", which names no known variant"
        );
        assert_eq!(unknown.tried().count(), 0);
        let missing = Unmatched::untagged(json!([1]), "kind");
        assert!(missing.to_string().contains("missing or not a string"));
    }
}
