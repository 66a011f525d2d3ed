//! `multipart/form-data` bodies: files and text fields, encoded here rather than by
//! `reqwest`'s `multipart` feature, which would add dependencies for what is a few lines of
//! framing.

use serde::Serialize;

use crate::request::Request;

/// A file to send in a `multipart/form-data` body: its bytes, and optionally the file name
/// and media type the server is told (`Upload::new(bytes).file_name("dataset.csv")
/// .content_type("text/csv")`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    bytes: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Upload {
    /// A file of these bytes, sent as `application/octet-stream` without a file name
    /// unless told otherwise.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Upload {
        Upload {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// The file name the server is told.
    pub fn file_name(mut self, name: impl Into<String>) -> Upload {
        self.file_name = Some(name.into());
        self
    }

    /// The media type the server is told (`text/csv`, `image/png`, …).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Upload {
        self.content_type = Some(content_type.into());
        self
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// A model sent as a `multipart/form-data` body: it adds its parts to the form.
pub(crate) trait Parts {
    fn add_to(&self, form: &mut Form);
}

/// The parts of a body, in order, before framing.
#[derive(Default)]
pub(crate) struct Form {
    parts: Vec<Part>,
}

struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

impl Form {
    /// A text field.
    #[allow(dead_code)] // bodies of files alone never call it
    pub(crate) fn text(&mut self, name: &str, value: String) {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: None,
            content_type: None,
            data: value.into_bytes(),
        });
    }

    /// A field that is neither text nor a file, as JSON text.
    #[allow(dead_code)] // bodies of files and text alone never call it
    pub(crate) fn json<V: Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        // Serialising a model into memory cannot fail: its maps have string keys.
        let data = serde_json::to_vec(value).unwrap_or_default();
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: None,
            content_type: Some("application/json".to_owned()),
            data,
        });
    }

    /// A file.
    #[allow(dead_code)] // a multipart body of text alone never calls it
    pub(crate) fn file(&mut self, name: &str, upload: &Upload) {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: Some(upload.file_name.clone().unwrap_or_else(|| name.to_owned())),
            content_type: Some(
                upload
                    .content_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
            ),
            data: upload.bytes.clone(),
        });
    }

    /// The body, framed with a boundary that occurs in none of the parts, and its
    /// `Content-Type`.
    fn encode(&self) -> (String, Vec<u8>) {
        let boundary = loop {
            let candidate = format!("cloudflare-rs-{:016x}", crate::retry::random_bits());
            let candidate_bytes = candidate.as_bytes();
            let clashes = self.parts.iter().any(|part| {
                part.data
                    .windows(candidate_bytes.len())
                    .any(|window| window == candidate_bytes)
            });
            if !clashes {
                break candidate;
            }
        };
        let mut body = Vec::new();
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!(
                "Content-Disposition: form-data; name=\"{}\"",
                quoted(&part.name)
            );
            if let Some(file_name) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
            }
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                body.extend_from_slice(
                    format!("Content-Type: {}\r\n", single_line(content_type)).as_bytes(),
                );
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }
}

/// A name inside a quoted header parameter, escaped as browsers do (WHATWG's
/// `multipart/form-data` encoding): quotes and line breaks cannot end it early.
fn quoted(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A header value kept on its line.
fn single_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

impl<T, P> Request<T, P> {
    /// Sends `body` as `multipart/form-data`.
    pub(crate) fn multipart(self, body: &impl Parts) -> Self {
        let mut form = Form::default();
        body.add_to(&mut form);
        let (content_type, bytes) = form.encode();
        // The boundary is ASCII letters and digits: always a header value.
        match reqwest::header::HeaderValue::try_from(content_type) {
            Ok(content_type) => self.body(content_type, bytes),
            Err(_) => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_and_names_cannot_break_out() {
        let mut form = Form::default();
        form.text("name", "dataset".to_owned());
        form.json("tags", &["a", "b"]);
        form.file(
            "file\"x",
            &Upload::new(b"a,b\r\n1,2".to_vec())
                .file_name("data\r\n.csv")
                .content_type("text/csv"),
        );
        let (content_type, body) = form.encode();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("a boundary");
        let body = String::from_utf8(body).unwrap();
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\ndataset\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\nContent-Type: application/json\r\n\r\n[\"a\",\"b\"]\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file%22x\"; filename=\"data%0D%0A.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\r\n1,2\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(body, expected);
    }

    #[test]
    fn the_boundary_never_occurs_in_the_data() {
        let (content_type, _) = Form::default().encode();
        assert!(content_type.contains("boundary=cloudflare-rs-"));
        let mut form = Form::default();
        form.file("f", &Upload::new(b"--cloudflare-rs-".repeat(3)));
        let (content_type, body) = form.encode();
        let boundary = content_type.rsplit('=').next().unwrap();
        let occurrences = body
            .windows(boundary.len())
            .filter(|window| *window == boundary.as_bytes())
            .count();
        assert_eq!(occurrences, 2, "only the opening and closing delimiters");
    }
}
