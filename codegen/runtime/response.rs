//! What comes back: Cloudflare's response envelope, unwrapped into the typed result, or
//! into an [`ApiError`] when the API refused.

use std::fmt;
use std::marker::PhantomData;
use std::time::SystemTime;

use reqwest::header::{HeaderMap, LOCATION};
use reqwest::StatusCode;
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::error::{ApiError, ApiMessage, Error, MessageSource};
use crate::json;
use crate::request::Operation;
use crate::retry;

/// A successful response: the typed result, and what came with it.
///
/// Returned by [`Request::send_with_response`](crate::Request::send_with_response);
/// awaiting a request gives just the result.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The envelope's `result`, decoded.
    pub result: T,
    /// The envelope's paging counters, for the operations that have them: `None` when the
    /// envelope has none, or none that can be read (see [`ResultInfo`]).
    pub result_info: Option<ResultInfo>,
    /// Informational messages from the envelope, usually none.
    pub messages: Vec<ApiMessage>,
}

impl<T> Response<T> {
    /// The `cf-ray` header, which identifies the request to Cloudflare's support.
    pub fn ray_id(&self) -> Option<&str> {
        header_text(&self.headers, CF_RAY)
    }
}

/// Paging counters and cursors from an envelope's `result_info`. Cloudflare documents the
/// five counters as numbers and the cursors as strings, and any of them may be missing.
///
/// They are advisory, so reading them never fails a call whose `result` decoded. A counter
/// that is a number is kept as it is; a string holding a number (`"1"`) is read as that
/// number; anything else (another string, `null`, an object, a list) reads as `None`. A
/// cursor is a string, or `None`. A `result_info` that is not an object at all, or that
/// cannot be read (it holds a number beyond the range of `f64`), makes
/// [`Response::result_info`] `None`. Fields this crate does not know are ignored.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ResultInfo {
    /// How many results this response holds.
    pub count: Option<f64>,
    /// The page this response is.
    pub page: Option<f64>,
    /// How many results a page holds.
    pub per_page: Option<f64>,
    /// How many results there are in all.
    pub total_count: Option<f64>,
    /// How many pages there are in all.
    pub total_pages: Option<f64>,
    /// Where the next page starts, for lists that page by cursor.
    pub cursor: Option<String>,
    /// Where the pages before and after this one start, for lists that say both.
    pub cursors: Option<Cursors>,
}

/// The cursors of the pages around this one, from `result_info.cursors`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cursors {
    /// Where the next page starts.
    pub after: Option<String>,
    /// Where the previous page starts.
    pub before: Option<String>,
}

impl<'de> Deserialize<'de> for ResultInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ResultInfoVisitor)
    }
}

struct ResultInfoVisitor;

impl<'de> Visitor<'de> for ResultInfoVisitor {
    type Value = ResultInfo;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("paging counters (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ResultInfo, A::Error> {
        let mut info = ResultInfo::default();
        // A field given twice is not worth failing a call over either: the last one counts.
        while let Some(FieldName(field)) = map.next_key()? {
            match field {
                ResultInfoField::Count => info.count = advisory(&mut map)?,
                ResultInfoField::Page => info.page = advisory(&mut map)?,
                ResultInfoField::PerPage => info.per_page = advisory(&mut map)?,
                ResultInfoField::TotalCount => info.total_count = advisory(&mut map)?,
                ResultInfoField::TotalPages => info.total_pages = advisory(&mut map)?,
                ResultInfoField::Cursor => info.cursor = advisory(&mut map)?,
                ResultInfoField::Cursors => info.cursors = advisory(&mut map)?,
                ResultInfoField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(info)
    }
}

/// The fields of [`ResultInfo`].
enum ResultInfoField {
    Count,
    Page,
    PerPage,
    TotalCount,
    TotalPages,
    Cursor,
    Cursors,
    /// One this crate does not know, ignored.
    Other,
}

impl Field for ResultInfoField {
    fn named(name: &str) -> Self {
        match name {
            "count" => ResultInfoField::Count,
            "page" => ResultInfoField::Page,
            "per_page" => ResultInfoField::PerPage,
            "total_count" => ResultInfoField::TotalCount,
            "total_pages" => ResultInfoField::TotalPages,
            "cursor" => ResultInfoField::Cursor,
            "cursors" => ResultInfoField::Cursors,
            _ => ResultInfoField::Other,
        }
    }
}

/// A kind of value that `result_info` holds, made from whatever JSON value came in its
/// place: `None` when that is not a usable value of the kind, never an error.
///
/// JSON `null`, booleans and lists are never usable; objects only for a kind that reads
/// them ([`Cursors`]).
trait Advisory: Sized {
    fn from_number(_number: f64) -> Option<Self> {
        None
    }

    fn from_text(_text: &str) -> Option<Self> {
        None
    }

    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Self>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

impl Advisory for String {
    fn from_text(text: &str) -> Option<String> {
        Some(text.to_owned())
    }
}

impl Advisory for Cursors {
    fn from_object<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Cursors>, A::Error> {
        let mut cursors = Cursors::default();
        while let Some(name) = map.next_key::<String>()? {
            match name.as_ref() {
                "after" => cursors.after = advisory(&mut map)?,
                "before" => cursors.before = advisory(&mut map)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Some(cursors))
    }
}

impl Advisory for f64 {
    fn from_number(number: f64) -> Option<f64> {
        Some(number)
    }

    fn from_text(text: &str) -> Option<f64> {
        // `parse` also reads "NaN" and "inf", which are not counters.
        text.parse().ok().filter(|number: &f64| number.is_finite())
    }
}

/// Reads the value of the field the map is at as an [`Advisory`] `T`.
fn advisory<'de, A: MapAccess<'de>, T: Advisory>(map: &mut A) -> Result<Option<T>, A::Error> {
    Ok(map.next_value::<Lenient<T>>()?.0)
}

/// `T` read from any JSON value, see [`Advisory`].
struct Lenient<T>(Option<T>);

impl<'de, T: Advisory> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor(PhantomData))
    }
}

struct LenientVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Advisory> Visitor<'de> for LenientVisitor<T> {
    type Value = Lenient<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Lenient<T>, E> {
        Ok(Lenient(None))
    }

    fn visit_i64<E: de::Error>(self, number: i64) -> Result<Lenient<T>, E> {
        Ok(Lenient(T::from_number(number as f64)))
    }

    fn visit_u64<E: de::Error>(self, number: u64) -> Result<Lenient<T>, E> {
        Ok(Lenient(T::from_number(number as f64)))
    }

    fn visit_f64<E: de::Error>(self, number: f64) -> Result<Lenient<T>, E> {
        Ok(Lenient(T::from_number(number)))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Lenient<T>, E> {
        Ok(Lenient(T::from_text(text)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Lenient<T>, E> {
        Ok(Lenient(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Lenient<T>, E> {
        Ok(Lenient(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lenient<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Lenient(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Lenient<T>, A::Error> {
        T::from_object(map).map(Lenient)
    }
}

/// An HTTP answer, read to the end.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    /// The successful response this answer is, with its result.
    fn into_response<T>(
        self,
        result: T,
        result_info: Option<ResultInfo>,
        messages: Vec<ApiMessage>,
    ) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            result,
            result_info,
            messages,
        }
    }

    /// A 2xx answer that does not decode, at `path` (empty: the body as a whole).
    fn decode_error(
        &self,
        operation: &Operation,
        path: String,
        source: serde_json::Error,
    ) -> Error {
        Error::Decode {
            operation: operation.name,
            status: self.status,
            // Only the body as a whole explains a failure that has no place in it.
            body_snippet: (path.is_empty() && !is_blank(&self.body)).then(|| snippet(&self.body)),
            path,
            source,
        }
    }

    fn error(
        &self,
        operation: &Operation,
        errors: Vec<ApiMessage>,
        body_snippet: Option<String>,
    ) -> ApiError {
        ApiError {
            operation: operation.name,
            status: self.status,
            errors,
            ray_id: header_text(&self.headers, CF_RAY).map(str::to_owned),
            retry_after: retry::retry_after(&self.headers, SystemTime::now()),
            location: self
                .status
                .is_redirection()
                .then(|| header_text(&self.headers, LOCATION.as_str()))
                .flatten()
                .map(str::to_owned),
            body_snippet,
        }
    }
}

const CF_RAY: &str = "cf-ray";

/// The most bytes of a body kept in [`ApiError::body_snippet`].
const SNIPPET_LIMIT: usize = 512;

/// Cloudflare's envelope, with `result` kept raw, to be read on its own as the operation's
/// type: the envelope is read the same way whatever the result is, and the result with the
/// one deserializer every model is read with (see `json.rs`). It is an object, and
/// `success` is required but for a partial envelope. Fields this crate does not know are
/// ignored, and `errors` and `messages` may be missing or `null`. `errors`, `messages` and
/// `result_info` are kept raw too, to be read leniently (see [`read_messages`] and
/// [`read_result_info`]), so that nothing in them can fail the envelope.
struct Envelope<'a> {
    /// `None` when the body leaves it out, which only a partial envelope may.
    success: Option<bool>,
    errors: Option<&'a RawValue>,
    messages: Option<&'a RawValue>,
    result: Option<&'a RawValue>,
    result_info: Option<&'a RawValue>,
}

impl<'de> Deserialize<'de> for Envelope<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Written out because a derived struct deserialiser also accepts a sequence, its
        // fields in order: `[true, null, null, {…}]` would pass for a successful envelope.
        deserializer.deserialize_map(EnvelopeVisitor(PhantomData))
    }
}

struct EnvelopeVisitor<'de>(PhantomData<fn() -> Envelope<'de>>);

impl<'de> Visitor<'de> for EnvelopeVisitor<'de> {
    type Value = Envelope<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a response envelope (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<'de>, A::Error> {
        // Each slot is `Some` once its field has been read, so that a field given twice is
        // refused, as serde's derived deserialisers refuse it.
        let mut success = None;
        let mut errors = None;
        let mut messages = None;
        let mut result = None;
        let mut result_info = None;
        while let Some(FieldName(field)) = map.next_key()? {
            match field {
                EnvelopeField::Success => read_once(&mut map, &mut success, "success")?,
                EnvelopeField::Errors => read_once(&mut map, &mut errors, "errors")?,
                EnvelopeField::Messages => read_once(&mut map, &mut messages, "messages")?,
                EnvelopeField::Result => read_once(&mut map, &mut result, "result")?,
                EnvelopeField::ResultInfo => read_once(&mut map, &mut result_info, "result_info")?,
                EnvelopeField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Envelope {
            success,
            errors: errors.flatten(),
            messages: messages.flatten(),
            result: result.flatten(),
            result_info: result_info.flatten(),
        })
    }
}

/// The fields of [`Envelope`].
enum EnvelopeField {
    Success,
    Errors,
    Messages,
    Result,
    ResultInfo,
    /// One this crate does not know, ignored.
    Other,
}

impl Field for EnvelopeField {
    fn named(name: &str) -> Self {
        match name {
            "success" => EnvelopeField::Success,
            "errors" => EnvelopeField::Errors,
            "messages" => EnvelopeField::Messages,
            "result" => EnvelopeField::Result,
            "result_info" => EnvelopeField::ResultInfo,
            _ => EnvelopeField::Other,
        }
    }
}

/// The fields of an object that this module reads by hand, recognised by name.
trait Field {
    fn named(name: &str) -> Self;
}

/// An object's key, read as the [`Field`] it names without allocating.
struct FieldName<F>(F);

impl<'de, F: Field> Deserialize<'de> for FieldName<F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor<F>(PhantomData<fn() -> F>);

        impl<'de, F: Field> Visitor<'de> for NameVisitor<F> {
            type Value = FieldName<F>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }

            fn visit_str<E: de::Error>(self, name: &str) -> Result<FieldName<F>, E> {
                Ok(FieldName(F::named(name)))
            }
        }

        deserializer.deserialize_identifier(NameVisitor(PhantomData))
    }
}

/// Reads the value of the field `name` into `slot`, which must not have been filled yet.
fn read_once<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// How an operation's answer is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // which kinds a crate uses depends on its spec
pub(crate) enum ResponseKind {
    /// Cloudflare's envelope, with the result in `result`.
    Envelope,
    /// Cloudflare's envelope without a result: only whether it succeeded counts.
    NoResult,
    /// An envelope whose `success` may be missing, which then counts as success.
    PartialEnvelope,
    /// JSON that is the result itself.
    Json,
    /// A body that is not read.
    Empty,
    /// Bytes of any media type: the result is a [`Binary`].
    Bytes,
    /// Text: the result is a [`Text`].
    Text,
}

/// How a result is made from a 2xx answer: JSON results by the operation's
/// [`ResponseKind`], [`Binary`] and [`Text`] from the body as it is.
pub(crate) trait Decode: Sized {
    fn decode(
        operation: &Operation,
        kind: ResponseKind,
        reply: Reply,
    ) -> Result<Response<Self>, Error>;
}

impl<T: DeserializeOwned> Decode for T {
    fn decode(
        operation: &Operation,
        kind: ResponseKind,
        reply: Reply,
    ) -> Result<Response<T>, Error> {
        // Only reading `T` itself is generic; what to read it from is found the same way
        // for every result type.
        let (result, result_info, messages) = {
            let found = find_result(operation, kind, &reply)?;
            let bytes = found.bytes.unwrap_or(b"null");
            let result = json::parse::<T>(bytes, found.root)
                .map_err(|failure| reply.decode_error(operation, failure.path, failure.error));
            (result, found.result_info, found.messages)
        };
        let result = match result {
            Ok(result) => result,
            // No body at all where `T` is not optional: say so, not "invalid type: null".
            Err(_) if is_blank(&reply.body) => return Err(no_body(operation, &reply)),
            Err(error) => return Err(error),
        };
        Ok(reply.into_response(result, result_info, messages))
    }
}

/// Where the result of an answer is, and what came with it.
struct Found<'b> {
    /// The result's JSON; `None` reads as `null`.
    bytes: Option<&'b [u8]>,
    /// What its paths start with.
    root: &'static str,
    result_info: Option<ResultInfo>,
    messages: Vec<ApiMessage>,
}

/// Finds the result of `reply` as `kind` says, reading the envelope when there is one.
fn find_result<'b>(
    operation: &Operation,
    kind: ResponseKind,
    reply: &'b Reply,
) -> Result<Found<'b>, Error> {
    let nothing = || Found {
        bytes: None,
        root: "",
        result_info: None,
        messages: Vec::new(),
    };
    // `204 No Content`, or a 200 with nothing in it, is how a server says "no result".
    if kind == ResponseKind::Empty || is_blank(&reply.body) {
        return Ok(nothing());
    }
    let required = match kind {
        ResponseKind::Json | ResponseKind::Bytes | ResponseKind::Text => {
            return Ok(Found {
                bytes: Some(&reply.body),
                ..nothing()
            })
        }
        ResponseKind::PartialEnvelope => Success::Optional,
        _ => Success::Required,
    };
    let envelope = read_envelope(operation, reply, required)?;
    Ok(Found {
        // An absent `result` reads as `null`: an `Option` result is `None`, and any other
        // result type fails at `result`.
        bytes: match kind {
            ResponseKind::NoResult => None,
            _ => envelope.result.map(|raw| raw.get().as_bytes()),
        },
        root: if kind == ResponseKind::NoResult {
            ""
        } else {
            "result"
        },
        result_info: read_result_info(envelope.result_info),
        messages: read_messages(envelope.messages),
    })
}

/// A body of any media type, as it arrived: what an operation that returns a file (a
/// certificate, an archive, an image) gives.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Binary {
    /// The `Content-Type` the server sent, if any.
    pub content_type: Option<String>,
    /// The body.
    pub bytes: Vec<u8>,
}

impl Decode for Binary {
    fn decode(_: &Operation, _: ResponseKind, mut reply: Reply) -> Result<Response<Binary>, Error> {
        let binary = Binary {
            content_type: header_text(&reply.headers, "content-type").map(str::to_owned),
            bytes: std::mem::take(&mut reply.body),
        };
        Ok(reply.into_response(binary, None, Vec::new()))
    }
}

/// A text body, as it arrived: what an operation that returns CSV or plain text gives.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Text {
    /// The `Content-Type` the server sent, if any.
    pub content_type: Option<String>,
    /// The body.
    pub text: String,
}

impl Decode for Text {
    fn decode(
        operation: &Operation,
        _: ResponseKind,
        mut reply: Reply,
    ) -> Result<Response<Text>, Error> {
        let body = std::mem::take(&mut reply.body);
        let text = match String::from_utf8(body) {
            Ok(text) => text,
            Err(error) => {
                let at = error.utf8_error().valid_up_to();
                reply.body = error.into_bytes();
                return Err(reply.decode_error(
                    operation,
                    String::new(),
                    de::Error::custom(format!("the text is not UTF-8 from byte {at} on")),
                ));
            }
        };
        let text = Text {
            content_type: header_text(&reply.headers, "content-type").map(str::to_owned),
            text,
        };
        Ok(reply.into_response(text, None, Vec::new()))
    }
}

/// Whether an envelope must say `success`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Success {
    /// As Cloudflare's envelope does: without it, the body is not an envelope.
    Required,
    /// A partial envelope: without it, the status says.
    Optional,
}

/// The envelope of a 2xx answer, once it says it succeeded (or, partial, does not say).
fn read_envelope<'b>(
    operation: &Operation,
    reply: &'b Reply,
    required: Success,
) -> Result<Envelope<'b>, Error> {
    let envelope: Envelope<'b> = json::parse(&reply.body, "")
        .map_err(|failure| reply.decode_error(operation, failure.path, failure.error))?;
    match (envelope.success, required) {
        (Some(true), _) | (None, Success::Optional) => Ok(envelope),
        (Some(false), _) => Err(Error::Api(Box::new(reply.error(
            operation,
            read_messages(envelope.errors),
            None,
        )))),
        (None, Success::Required) => Err(reply.decode_error(
            operation,
            String::new(),
            de::Error::missing_field("success"),
        )),
    }
}

/// The error of an answer without a body, where the operation returns a result.
fn no_body(operation: &Operation, reply: &Reply) -> Error {
    reply.decode_error(
        operation,
        String::new(),
        de::Error::custom("the response has no body, but the operation returns a result"),
    )
}

/// The paging counters of an envelope, read leniently (see [`ResultInfo`]): advisory data
/// that never fails a call. Kept raw until here because a number beyond `f64`'s range is an
/// error of the JSON parser itself, which no deserialiser can turn into `None`.
fn read_result_info(raw: Option<&RawValue>) -> Option<ResultInfo> {
    serde_json::from_str(raw?.get()).ok()
}

/// An envelope's `errors` or `messages`. Most are in Cloudflare's own shape and are read
/// straight into messages; the rest are read the lenient way of [`Messages`], which takes
/// a detour through `serde_json::Value`, and whatever that cannot read either (a number
/// beyond `f64`) is no messages rather than a failed answer.
fn read_messages(raw: Option<&RawValue>) -> Vec<ApiMessage> {
    let Some(raw) = raw else {
        return Vec::new();
    };
    match serde_json::from_str::<Vec<DocumentedMessage>>(raw.get()) {
        Ok(messages) => messages.into_iter().map(ApiMessage::from).collect(),
        Err(_) => serde_json::from_str::<Messages>(raw.get())
            .map(Messages::into_vec)
            .unwrap_or_default(),
    }
}

/// A message in the shape Cloudflare documents. Read as [`Messages`] reads it: `code` may
/// be missing (0), and a `source` without a `pointer` string is no source.
#[derive(Deserialize)]
struct DocumentedMessage {
    #[serde(default)]
    code: i64,
    message: String,
    documentation_url: Option<String>,
    source: Option<DocumentedSource>,
}

#[derive(Deserialize)]
struct DocumentedSource {
    pointer: Option<String>,
}

impl From<DocumentedMessage> for ApiMessage {
    fn from(message: DocumentedMessage) -> ApiMessage {
        ApiMessage {
            code: message.code,
            message: message.message,
            documentation_url: message.documentation_url,
            source: message
                .source
                .and_then(|source| source.pointer)
                .map(|pointer| MessageSource {
                    pointer: Some(pointer),
                }),
        }
    }
}

/// An envelope's `errors` or `messages`, read leniently: Cloudflare's are
/// `{code, message, documentation_url, source}`, but some products send plain strings or
/// objects of their own, and how an answer words its messages is no reason to fail it. A
/// string is a message of code 0; an object gives what it has of the four; anything else
/// is its JSON text.
struct Messages(Vec<ApiMessage>);

impl Messages {
    fn into_vec(self) -> Vec<ApiMessage> {
        self.0
    }
}

impl<'de> Deserialize<'de> for Messages {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let values = match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Array(values) => values,
            serde_json::Value::Null => Vec::new(),
            other => vec![other],
        };
        Ok(Messages(values.into_iter().map(message).collect()))
    }
}

/// One message of whatever shape, as an [`ApiMessage`].
fn message(value: serde_json::Value) -> ApiMessage {
    let text = |key: &str| {
        value
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let message = match &value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Object(_) => text("message").unwrap_or_else(|| value.to_string()),
        other => other.to_string(),
    };
    ApiMessage {
        code: value
            .get("code")
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(0),
        message,
        documentation_url: text("documentation_url"),
        source: value
            .get("source")
            .and_then(|source| source.get("pointer"))
            .and_then(serde_json::Value::as_str)
            .map(|pointer| MessageSource {
                pointer: Some(pointer.to_owned()),
            }),
    }
}

/// What an answer that is not 2xx can tell: its `errors`, read from whatever else the body
/// holds, since a failing answer need not be a complete envelope (or valid in any other
/// field) to say what went wrong.
#[derive(Deserialize)]
struct ErrorReport {
    #[serde(default)]
    errors: Option<Messages>,
}

/// The error report of an answer that is not 2xx. The body may be anything: an envelope,
/// other JSON, an HTML page from a proxy, or nothing.
pub(crate) fn api_error(operation: &Operation, reply: &Reply) -> ApiError {
    let errors = serde_json::from_slice::<ErrorReport>(&reply.body)
        .ok()
        .and_then(|report| report.errors)
        .map(Messages::into_vec)
        .unwrap_or_default();
    // Without listed errors, the body itself is the only explanation there is.
    let body_snippet = (errors.is_empty() && !reply.body.is_empty()).then(|| snippet(&reply.body));
    reply.error(operation, errors, body_snippet)
}

/// Whether `body` is empty or holds only JSON's whitespace.
fn is_blank(body: &[u8]) -> bool {
    body.iter()
        .all(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
}

/// The start of a body for an error message: at most [`SNIPPET_LIMIT`] bytes, invalid
/// UTF-8 replaced, and a character that the limit cut in two left out.
fn snippet(body: &[u8]) -> String {
    let head = body.get(..SNIPPET_LIMIT).unwrap_or(body);
    let cut_short = head.len() < body.len();
    let mut text = String::with_capacity(head.len());
    let mut chunks = head.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        text.push_str(chunk.valid());
        // Invalid bytes at the very end may be a character the limit cut in two: not an
        // error in the body, so left out rather than replaced.
        let cut_in_two = cut_short && chunks.peek().is_none();
        if !(chunk.invalid().is_empty() || cut_in_two) {
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    text
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    use reqwest::header::HeaderValue;
    use reqwest::Method;

    const OPERATION: Operation = Operation {
        name: "zero_trust.risk_scoring.get",
        method: Method::GET,
        path: "/accounts/{account_id}/zt_risk_scoring/{user_id}",
        idempotent: true,
    };

    /// What an operation with Cloudflare's envelope decodes.
    fn decode<T: DeserializeOwned>(
        operation: &Operation,
        reply: Reply,
    ) -> Result<Response<T>, Error> {
        T::decode(operation, ResponseKind::Envelope, reply)
    }

    fn reply(status: u16, body: &str) -> Reply {
        let mut headers = HeaderMap::new();
        headers.insert(CF_RAY, HeaderValue::from_static("8f1e-LHR"));
        Reply {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        id: u32,
    }

    fn decode_error<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> (String, String) {
        match decode::<T>(&OPERATION, reply(200, body)) {
            Err(Error::Decode { path, source, .. }) => (path, source.to_string()),
            other => panic!("{body}: expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn the_result_is_unwrapped_with_what_came_with_it() {
        let body = r#"{"success": true, "errors": [], "messages": [{"code": 1, "message": "hi"}],
            "result": [{"id": 7}], "result_info": {"page": 1, "per_page": 20, "count": 1},
            "something_new": {"x": 1}}"#;
        let response = decode::<Vec<Item>>(&OPERATION, reply(200, body)).unwrap();
        assert_eq!(response.result, vec![Item { id: 7 }]);
        assert_eq!(response.ray_id(), Some("8f1e-LHR"));
        assert_eq!(response.messages[0].message, "hi");
        let info = response.result_info.unwrap();
        assert_eq!(
            (info.page, info.per_page, info.count, info.total_count),
            (Some(1.0), Some(20.0), Some(1.0), None)
        );
    }

    #[test]
    fn result_info_is_read_leniently_and_never_fails_the_call() {
        let info_of = |result_info: &str| {
            let body =
                format!(r#"{{"success": true, "result": [], "result_info": {result_info}}}"#);
            decode::<Vec<Item>>(&OPERATION, reply(200, &body))
                .unwrap_or_else(|error| panic!("{result_info}: {error}"))
                .result_info
        };
        let counters = |info: ResultInfo| {
            (
                info.count,
                info.page,
                info.per_page,
                info.total_count,
                info.total_pages,
            )
        };
        assert_eq!(
            info_of(r#"{"count": "1", "page": 2, "per_page": "x", "total_count": {}, "total_pages": [3]}"#)
                .map(counters),
            Some((Some(1.0), Some(2.0), None, None, None))
        );
        assert_eq!(
            info_of(
                r#"{"count": 1, "count": "2", "page": null, "per_page": true, "next": {"a": [1]}}"#
            )
            .map(counters),
            Some((Some(2.0), None, None, None, None))
        );
        assert_eq!(
            info_of(r#"{"count": "NaN", "page": "inf", "per_page": "-1.5", "total_count": " 4"}"#)
                .map(counters),
            Some((None, None, Some(-1.5), None, None))
        );
        for unreadable in ["null", "\"x\"", "[1, 2]", "false", r#"{"count": 1e999}"#] {
            assert_eq!(info_of(unreadable), None, "{unreadable}");
        }
        // A body that is not JSON is still an error, where it breaks.
        assert_eq!(
            decode_error::<Vec<Item>>(
                r#"{"success": true, "result": [], "result_info": {"count": 1,}}"#
            )
            .0,
            "result_info"
        );
    }

    #[test]
    fn a_missing_or_null_result_is_none_or_an_error_at_result() {
        for body in [
            r#"{"success": true}"#,
            r#"{"success": true, "result": null}"#,
        ] {
            let response = decode::<Option<Item>>(&OPERATION, reply(200, body)).unwrap();
            assert_eq!(response.result, None);
            assert!(response.messages.is_empty());
            let (path, _) = decode_error::<Item>(body);
            assert_eq!(path, "result");
        }
    }

    #[test]
    fn an_empty_body_is_no_result_or_an_error_that_says_so() {
        for body in ["", " \r\n\t"] {
            let response = decode::<Option<Item>>(&OPERATION, reply(204, body)).unwrap();
            assert_eq!(response.result, None);
            assert_eq!(response.result_info, None);
            assert!(response.messages.is_empty());
            assert_eq!(response.status, StatusCode::NO_CONTENT);

            match decode::<Item>(&OPERATION, reply(204, body)) {
                Err(Error::Decode {
                    path,
                    body_snippet,
                    source,
                    ..
                }) => {
                    assert_eq!(path, "");
                    assert_eq!(body_snippet, None);
                    assert_eq!(
                        source.to_string(),
                        "the response has no body, but the operation returns a result"
                    );
                }
                other => panic!("{body:?}: expected a decode error, got {other:?}"),
            }
        }
        // Not whitespace in JSON's sense, so not an empty body.
        assert_eq!(decode_error::<Option<Item>>("\u{c}").0, "");
    }

    #[test]
    fn decode_paths_start_at_the_root_of_the_body() {
        assert_eq!(
            decode_error::<Vec<Item>>(r#"{"success": true, "result": [{"id": 1}, {"id": "x"}]}"#).0,
            "result[1].id"
        );
        assert_eq!(
            decode_error::<Item>(r#"{"success": true, "result": {"id": -1}}"#).0,
            "result.id"
        );
        for not_an_envelope in [
            "",
            "<html>",
            "{not json",
            "null",
            "\"result\"",
            r#"{"result": {"id": 1}} trailing"#,
            r#"[true, null, null, {"id": 1}]"#,
            "[]",
            r#"{"result": {"id": 1}}"#,
            r#"{"success": true, "result": {"id": 1}, "success": true}"#,
        ] {
            assert_eq!(
                decode_error::<Item>(not_an_envelope).0,
                "",
                "{not_an_envelope}"
            );
        }
        assert_eq!(
            decode_error::<Item>(
                r#"{"success": true, "result": {"id": 1}, "errors": [{"code": 1, oops}]}"#
            )
            .0,
            "errors[0]"
        );
        let (path, message) =
            decode_error::<Item>(r#"{"success": true, "result": {"id": 1}, "result": {"id": 2}}"#);
        assert_eq!(path, "");
        assert!(message.contains("duplicate field `result`"), "{message}");
        let (path, message) = decode_error::<Item>(r#"{"errors": [], "result": {"id": 1}}"#);
        assert_eq!(path, "");
        assert!(message.starts_with("missing field `success`"), "{message}");
        let (path, message) = decode_error::<Item>(r#"{"success": true, "result": {"id": 1"#);
        assert_eq!(path, "result");
        assert!(message.contains("EOF"), "{message}");
    }

    #[test]
    fn success_false_is_an_api_error_whatever_the_status() {
        let error_of = |result: &str| {
            let body = format!(
                r#"{{"success": false, "errors": [{{"code": 1003, "message": "Invalid account",
                "documentation_url": "https://x", "source": {{"pointer": "/a"}}}}],
                "result": {result}}}"#
            );
            match decode::<Option<Item>>(&OPERATION, reply(200, &body)) {
                Err(Error::Api(error)) => error,
                other => panic!("expected an API error, got {other:?}"),
            }
        };
        // A result that decodes takes the one-pass way, `null` the tracked one: both say so.
        let error = error_of(r#"{"id": 1}"#);
        assert_eq!(error.errors, error_of("null").errors);
        assert_eq!(error.status, StatusCode::OK);
        assert_eq!(error.operation, OPERATION.name);
        assert_eq!(error.ray_id.as_deref(), Some("8f1e-LHR"));
        assert_eq!(error.errors[0].code, 1003);
        assert_eq!(
            error.errors[0].documentation_url.as_deref(),
            Some("https://x")
        );
        assert_eq!(
            error.errors[0]
                .source
                .as_ref()
                .and_then(|s| s.pointer.as_deref()),
            Some("/a")
        );
        assert_eq!(error.body_snippet, None);
    }

    #[test]
    fn messages_of_any_shape_are_read_as_messages() {
        let body = r#"{"success": true, "result": {"id": 1},
            "errors": [{"code": "x", "detail": 5}],
            "messages": ["plain text", {"message": "no code", "source": {"pointer": "/a"}}, 7]}"#;
        let response = decode::<Item>(&OPERATION, reply(200, body)).unwrap();
        let messages: Vec<(i64, &str)> = response
            .messages
            .iter()
            .map(|m| (m.code, m.message.as_str()))
            .collect();
        assert_eq!(messages, [(0, "plain text"), (0, "no code"), (0, "7")]);
        assert_eq!(
            response.messages[1]
                .source
                .as_ref()
                .and_then(|s| s.pointer.as_deref()),
            Some("/a")
        );
        let error = api_error(&OPERATION, &reply(400, r#"{"errors": [{"code": "x"}]}"#));
        assert_eq!(error.errors[0].code, 0);
        assert_eq!(error.errors[0].message, r#"{"code":"x"}"#);
    }

    #[test]
    fn documented_messages_read_as_the_lenient_reading_reads_them() {
        for text in [
            r#"[{"code": 1000, "message": "m", "documentation_url": "d", "source": {"pointer": "/p"}}]"#,
            r#"[{"message": "m", "documentation_url": null, "source": {}}]"#,
            r#"[{"code": 7, "message": "m", "source": {"pointer": null}, "extra": [1]}]"#,
            "[]",
        ] {
            assert!(
                serde_json::from_str::<Vec<DocumentedMessage>>(text).is_ok(),
                "{text}"
            );
            let raw: Box<RawValue> = serde_json::from_str(text).unwrap();
            let lenient = serde_json::from_str::<Messages>(text).unwrap().into_vec();
            assert_eq!(read_messages(Some(&raw)), lenient, "{text}");
        }
        // A number no `Value` can hold costs the messages, not the answer.
        let body = r#"{"success": true, "result": {"id": 1}, "messages": [{"code": 1e400}]}"#;
        let response = decode::<Item>(&OPERATION, reply(200, body)).unwrap();
        assert!(response.messages.is_empty());
    }

    #[test]
    fn error_bodies_of_any_shape_give_errors_or_a_snippet() {
        let envelope = r#"{"success": false, "errors": [{"code": 10000, "message": "Auth"}]}"#;
        let error = api_error(&OPERATION, &reply(403, envelope));
        assert_eq!(error.errors.len(), 1);
        assert_eq!(error.body_snippet, None);

        for (body, shown) in [
            ("<html>502</html>", Some("<html>502</html>")),
            (r#"{"error": "no route"}"#, Some(r#"{"error": "no route"}"#)),
            ("", None),
        ] {
            let error = api_error(&OPERATION, &reply(502, body));
            assert!(error.errors.is_empty(), "{body}");
            assert_eq!(error.body_snippet.as_deref(), shown);
            assert_eq!(error.ray_id.as_deref(), Some("8f1e-LHR"));
        }
    }

    /// The decode path of a number out of range under `keys` (a list index where a key is
    /// `None`), read from `root`.
    fn deep_path(root: &str, keys: &[Option<&str>]) -> String {
        let mut json = "1e999".to_owned();
        for key in keys.iter().rev() {
            json = match key {
                Some(key) => format!(r#"{{"{key}": {json}}}"#),
                None => format!("[{json}]"),
            };
        }
        match json::parse::<serde_json::Value>(json.as_bytes(), root) {
            Ok(_) => panic!("{json} is out of range"),
            Err(failure) => failure.path,
        }
    }

    #[test]
    fn deep_paths_keep_their_ends_and_count_the_middle() {
        let names: Vec<String> = (0..60).map(|n| format!("k{n}")).collect();
        let keys = |n: usize| {
            names[..n]
                .iter()
                .map(|k| Some(k.as_str()))
                .collect::<Vec<_>>()
        };

        // 32 segments, the root among them: shown in full.
        let full = deep_path("result", &keys(31));
        assert_eq!(full.split('.').count(), 32);
        assert!(!full.contains('…'), "{full}");

        assert_eq!(
            deep_path("result", &keys(32)),
            "result.k0.k1.k2.k3.k4.k5.k6…(17 more)….k24.k25.k26.k27.k28.k29.k30.k31"
        );
        assert_eq!(
            deep_path("", &keys(40)),
            "k0.k1.k2.k3.k4.k5.k6.k7…(24 more)….k32.k33.k34.k35.k36.k37.k38.k39"
        );
        // List indexes join as they always do, on either side of the gap.
        let mut mixed = vec![None; 38];
        mixed.push(Some("id"));
        assert_eq!(
            deep_path("result", &mixed),
            "result[0][0][0][0][0][0][0]…(24 more)…[0][0][0][0][0][0][0].id"
        );
    }

    #[test]
    fn snippets_are_bounded_and_cut_on_character_boundaries() {
        // 511 ASCII bytes then a two-byte character that the limit cuts in half.
        let body = format!("{}é and more", "x".repeat(511));
        let cut = snippet(body.as_bytes());
        assert_eq!(cut, "x".repeat(511));

        let body = "é".repeat(1000);
        let cut = snippet(body.as_bytes());
        assert_eq!(cut, "é".repeat(256));

        // Invalid bytes inside the snippet are shown as such, not dropped.
        assert_eq!(snippet(b"a\xffb"), "a\u{fffd}b");
        assert_eq!(snippet(b"ab\xff"), "ab\u{fffd}");
        assert_eq!(snippet(b""), "");
    }
}
