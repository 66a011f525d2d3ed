//! A small YAML writer: serde_yaml cannot write comments, and the spec is for people, so it
//! is written line by line. Scalars are plain where that reads back as the same string,
//! double-quoted otherwise; multi-line text is a literal block.

/// Lines of YAML being written.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    pub fn finish(self) -> String {
        self.out
    }

    fn indent(&mut self, level: usize) {
        for _ in 0..level {
            self.out.push_str("  ");
        }
    }

    /// `# text`, one comment line per line of `text`.
    pub fn comment(&mut self, level: usize, text: &str) {
        for line in text.lines() {
            self.indent(level);
            let line = line.trim_end();
            if line.is_empty() {
                self.out.push_str("#\n");
            } else {
                self.out.push_str("# ");
                self.out.push_str(line);
                self.out.push('\n');
            }
        }
    }

    pub fn blank(&mut self) {
        self.out.push('\n');
    }

    /// `key:` opening a mapping or a sequence.
    pub fn open(&mut self, level: usize, key: &str) {
        self.indent(level);
        self.out.push_str(&self::key(key));
        self.out.push_str(":\n");
    }

    /// `key: value` for a string value, quoted or as a block as it needs.
    pub fn string(&mut self, level: usize, key: &str, value: &str) {
        self.indent(level);
        self.out.push_str(&self::key(key));
        self.out.push(':');
        self.value(level, value, None);
    }

    /// `key: value # comment`.
    pub fn string_commented(&mut self, level: usize, key: &str, value: &str, comment: &str) {
        self.indent(level);
        self.out.push_str(&self::key(key));
        self.out.push(':');
        self.value(level, value, Some(comment));
    }

    /// `key: value` for a value already written as YAML (`true`, `3`).
    pub fn raw(&mut self, level: usize, key: &str, value: &str) {
        self.indent(level);
        self.out.push_str(&self::key(key));
        self.out.push_str(": ");
        self.out.push_str(value);
        self.out.push('\n');
    }

    /// `- key: value`, the first entry of a mapping in a sequence; the rest follow at
    /// `level + 1`.
    pub fn item_string(&mut self, level: usize, key: &str, value: &str) {
        self.indent(level);
        self.out.push_str("- ");
        self.out.push_str(&self::key(key));
        self.out.push(':');
        self.value(level + 1, value, None);
    }

    /// `- key: value` for a value already written as YAML.
    pub fn item_raw(&mut self, level: usize, key: &str, value: &str) {
        self.indent(level);
        self.out.push_str("- ");
        self.out.push_str(&self::key(key));
        self.out.push_str(": ");
        self.out.push_str(value);
        self.out.push('\n');
    }

    /// `- value`.
    pub fn item(&mut self, level: usize, value: &str) {
        self.indent(level);
        self.out.push_str("- ");
        self.out.push_str(&scalar(value));
        self.out.push('\n');
    }

    fn value(&mut self, level: usize, value: &str, comment: Option<&str>) {
        if let Some(block) = block(value) {
            // A comment cannot follow a block scalar's text; it goes on the indicator line.
            self.out.push_str(" |-");
            if let Some(comment) = comment {
                self.out.push_str(" # ");
                self.out.push_str(comment);
            }
            self.out.push('\n');
            for line in block.lines() {
                if !line.is_empty() {
                    self.indent(level + 1);
                    self.out.push_str(line);
                }
                self.out.push('\n');
            }
            return;
        }
        self.out.push(' ');
        self.out.push_str(&scalar(value));
        if let Some(comment) = comment {
            self.out.push_str(" # ");
            self.out.push_str(comment);
        }
        self.out.push('\n');
    }
}

/// Multi-line text that a literal block (`|-`) gives back exactly, if it is that.
fn block(text: &str) -> Option<&str> {
    let fits = text.contains('\n')
        && !text.ends_with('\n')
        && !text.starts_with([' ', '\n', '\t'])
        && text
            .chars()
            .all(|c| c == '\n' || c == '\t' || is_printable(c))
        && text.lines().all(|line| line == line.trim_end());
    fits.then_some(text)
}

/// A key: plain when it can be, quoted otherwise.
pub fn key(text: &str) -> String {
    scalar(text)
}

/// A string scalar that reads back as `text`.
pub fn scalar(text: &str) -> String {
    if is_plain(text) {
        text.to_owned()
    } else {
        quoted(text)
    }
}

fn is_printable(c: char) -> bool {
    !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{85}')
}

fn is_plain(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let special_start = "-?:,[]{}#&*!|>'\"%@`~ ".contains(first);
    let looks_like_other_type = {
        let lower = text.to_ascii_lowercase();
        matches!(
            lower.as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
        ) || first.is_ascii_digit()
            || (matches!(first, '+' | '.') && text.len() > 1)
            || lower.starts_with(".inf")
            || lower.starts_with(".nan")
    };
    !special_start
        && !looks_like_other_type
        && text.chars().any(char::is_alphanumeric)
        && !text.ends_with([' ', ':'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains('\t')
        && text.chars().all(is_printable)
}

/// A double-quoted scalar with every character that needs it escaped.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if !is_printable(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads_back(text: &str) {
        let mut writer = Writer::default();
        writer.string(0, "k", text);
        let yaml = writer.finish();
        let value: std::collections::BTreeMap<String, String> =
            serde_yaml::from_str(&yaml).unwrap_or_else(|error| panic!("{yaml:?}: {error}"));
        assert_eq!(value.get("k").map(String::as_str), Some(text), "{yaml}");
    }

    #[test]
    fn strings_read_back_as_written() {
        for text in [
            "plain words",
            "true",
            "No",
            "1.5",
            "0x10",
            "- dash",
            "a: b",
            "a #b",
            "trailing ",
            " leading",
            "quote \" and \\ backslash",
            "line\nbreaks\n\nand a blank",
            "ends with a newline\n",
            "tab\there",
            "\u{7f} and \u{2028}",
            "@type",
            "{account_id}",
            "*",
            "",
            "ünïcödé",
            "key: value\nsecond line",
            "multi\n  indented\nlines",
        ] {
            reads_back(text);
        }
    }
}
