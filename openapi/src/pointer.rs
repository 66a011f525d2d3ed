//! JSON pointers (RFC 6901) into the document, written as URI fragments (`#/paths/…`), so a
//! warning can say exactly where it comes from and a reader can paste it into `jq` or an
//! editor.

use std::fmt;

/// A JSON pointer into the document: `#` followed by `/`-separated reference tokens, each
/// with `~` written `~0` and `/` written `~1`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The whole document.
    pub fn root() -> Pointer {
        Pointer("#".to_owned())
    }

    /// `#/components/{kind}/{name}`.
    pub fn component(kind: &str, name: &str) -> Pointer {
        Pointer::root().push("components").push(kind).push(name)
    }

    /// This pointer with one more reference token, escaped.
    pub fn push(&self, token: impl AsRef<str>) -> Pointer {
        let token = token.as_ref();
        let mut text = String::with_capacity(self.0.len() + token.len() + 1);
        text.push_str(&self.0);
        text.push('/');
        for c in token.chars() {
            match c {
                '~' => text.push_str("~0"),
                '/' => text.push_str("~1"),
                other => text.push(other),
            }
        }
        Pointer(text)
    }

    /// This pointer with an array index appended.
    pub fn index(&self, index: usize) -> Pointer {
        self.push(index.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The pointer a local `$ref` (`#/components/schemas/Name`) spells, if it is one.
    pub fn from_reference(reference: &str) -> Option<Pointer> {
        reference
            .starts_with("#/")
            .then(|| Pointer(reference.to_owned()))
            .or_else(|| (reference == "#").then(Pointer::root))
    }

    /// The unescaped reference tokens.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .strip_prefix('#')
            .unwrap_or(&self.0)
            .split('/')
            .skip(1)
            .map(unescape)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One reference token with its escapes undone (`~1` first would turn `~01` into `/`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slashes_and_tildes_as_rfc_6901_says() {
        let pointer = Pointer::root()
            .push("paths")
            .push("/accounts/{account_id}/a~b")
            .push("get");
        assert_eq!(
            pointer.as_str(),
            "#/paths/~1accounts~1{account_id}~1a~0b/get"
        );
        let tokens: Vec<String> = pointer.tokens().collect();
        assert_eq!(tokens, ["paths", "/accounts/{account_id}/a~b", "get"]);
    }

    #[test]
    fn unescapes_in_the_right_order() {
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(unescape("a~1b~0c"), "a/b~c");
    }

    #[test]
    fn only_local_references_are_pointers() {
        assert!(Pointer::from_reference("#/components/schemas/A").is_some());
        assert!(Pointer::from_reference("other.yaml#/A").is_none());
        assert_eq!(
            Pointer::component("schemas", "a/b").as_str(),
            "#/components/schemas/a~1b"
        );
    }
}
