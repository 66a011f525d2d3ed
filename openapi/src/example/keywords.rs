//! One view of a schema's validation keywords, whichever of `openapiv3`'s shapes (a typed
//! schema, a composition, or the catch-all `AnySchema`) the parser put them in.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, Discriminator, IntegerFormat, NumberFormat, ReferenceOr, Schema,
    SchemaData, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// A bound on a number: the limit, and whether the limit itself is excluded (OpenAPI 3.0
/// writes `exclusiveMinimum` as a boolean beside `minimum`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub limit: f64,
    pub exclusive: bool,
}

/// Every keyword the checker and the generator read, as optional values.
#[derive(Debug, Clone)]
pub struct Keywords<'d> {
    /// The schema the keywords are read from.
    pub schema: &'d Schema,
    pub data: &'d SchemaData,
    /// `string`, `integer`, `number`, `boolean`, `object`, `array` (or what a document
    /// wrote), `None` when the schema names no type.
    pub typ: Option<&'d str>,
    pub format: Option<String>,
    pub pattern: Option<&'d str>,
    pub enumeration: Option<Vec<Value>>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub multiple_of: Option<f64>,
    pub properties: Option<&'d IndexMap<String, ReferenceOr<Box<Schema>>>>,
    pub required: &'d [String],
    pub additional: Option<&'d AdditionalProperties>,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    pub items: Option<&'d ReferenceOr<Box<Schema>>>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub one_of: &'d [ReferenceOr<Schema>],
    pub any_of: &'d [ReferenceOr<Schema>],
    pub all_of: &'d [ReferenceOr<Schema>],
    pub not: Option<&'d ReferenceOr<Schema>>,
}

impl<'d> Keywords<'d> {
    pub fn of(schema: &'d Schema) -> Keywords<'d> {
        let mut keywords = Keywords {
            schema,
            data: &schema.schema_data,
            typ: None,
            format: None,
            pattern: None,
            enumeration: None,
            min_length: None,
            max_length: None,
            minimum: None,
            maximum: None,
            multiple_of: None,
            properties: None,
            required: &[],
            additional: None,
            min_properties: None,
            max_properties: None,
            items: None,
            min_items: None,
            max_items: None,
            unique_items: false,
            one_of: &[],
            any_of: &[],
            all_of: &[],
            not: None,
        };
        let bound =
            |limit: Option<f64>, exclusive: bool| limit.map(|limit| Bound { limit, exclusive });
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                keywords.typ = Some("string");
                keywords.format = string_format(&string.format);
                keywords.pattern = string.pattern.as_deref();
                keywords.enumeration =
                    enumeration(&string.enumeration, |text| Value::String(text.clone()));
                keywords.min_length = string.min_length;
                keywords.max_length = string.max_length;
            }
            SchemaKind::Type(Type::Number(number)) => {
                keywords.typ = Some("number");
                keywords.format = match &number.format {
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Some("float".into()),
                    VariantOrUnknownOrEmpty::Item(NumberFormat::Double) => Some("double".into()),
                    VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                keywords.enumeration = enumeration(&number.enumeration, |number| {
                    serde_json::Number::from_f64(*number).map_or(Value::Null, Value::Number)
                });
                keywords.minimum = bound(number.minimum, number.exclusive_minimum);
                keywords.maximum = bound(number.maximum, number.exclusive_maximum);
                keywords.multiple_of = number.multiple_of;
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                keywords.typ = Some("integer");
                keywords.format = match &integer.format {
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32".into()),
                    VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64".into()),
                    VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                keywords.enumeration =
                    enumeration(&integer.enumeration, |number| Value::from(*number));
                keywords.minimum = bound(
                    integer.minimum.map(|limit| limit as f64),
                    integer.exclusive_minimum,
                );
                keywords.maximum = bound(
                    integer.maximum.map(|limit| limit as f64),
                    integer.exclusive_maximum,
                );
                keywords.multiple_of = integer.multiple_of.map(|step| step as f64);
            }
            SchemaKind::Type(Type::Boolean(boolean)) => {
                keywords.typ = Some("boolean");
                keywords.enumeration =
                    enumeration(&boolean.enumeration, |value| Value::Bool(*value));
            }
            SchemaKind::Type(Type::Object(object)) => {
                keywords.typ = Some("object");
                keywords.properties = Some(&object.properties);
                keywords.required = &object.required;
                keywords.additional = object.additional_properties.as_ref();
                keywords.min_properties = object.min_properties;
                keywords.max_properties = object.max_properties;
            }
            SchemaKind::Type(Type::Array(array)) => {
                keywords.typ = Some("array");
                keywords.items = array.items.as_ref();
                keywords.min_items = array.min_items;
                keywords.max_items = array.max_items;
                keywords.unique_items = array.unique_items;
            }
            SchemaKind::OneOf { one_of } => keywords.one_of = one_of,
            SchemaKind::AnyOf { any_of } => keywords.any_of = any_of,
            SchemaKind::AllOf { all_of } => keywords.all_of = all_of,
            SchemaKind::Not { not } => keywords.not = Some(not),
            SchemaKind::Any(any) => {
                keywords.typ = any.typ.as_deref();
                keywords.format = any.format.clone();
                keywords.pattern = any.pattern.as_deref();
                keywords.enumeration =
                    (!any.enumeration.is_empty()).then(|| any.enumeration.clone());
                keywords.min_length = any.min_length;
                keywords.max_length = any.max_length;
                keywords.minimum = bound(any.minimum, any.exclusive_minimum.unwrap_or(false));
                keywords.maximum = bound(any.maximum, any.exclusive_maximum.unwrap_or(false));
                keywords.multiple_of = any.multiple_of;
                keywords.properties = (!any.properties.is_empty()).then_some(&any.properties);
                keywords.required = &any.required;
                keywords.additional = any.additional_properties.as_ref();
                keywords.min_properties = any.min_properties;
                keywords.max_properties = any.max_properties;
                keywords.items = any.items.as_ref();
                keywords.min_items = any.min_items;
                keywords.max_items = any.max_items;
                keywords.unique_items = any.unique_items.unwrap_or(false);
                keywords.one_of = &any.one_of;
                keywords.any_of = &any.any_of;
                keywords.all_of = &any.all_of;
                keywords.not = any.not.as_deref();
            }
        }
        keywords
    }

    pub fn discriminator(&self) -> Option<&'d Discriminator> {
        self.data.discriminator.as_ref()
    }

    /// Whether the schema describes an object: it says so, or has keywords only objects
    /// have.
    pub fn is_object(&self) -> bool {
        self.typ == Some("object")
            || (self.typ.is_none()
                && (self.properties.is_some()
                    || !self.required.is_empty()
                    || self.additional.is_some()
                    || self.min_properties.is_some()))
    }

    pub fn is_array(&self) -> bool {
        self.typ == Some("array") || (self.typ.is_none() && self.items.is_some())
    }

    /// `oneOf` or `anyOf`, whichever the schema has, and which.
    pub fn union(&self) -> Option<(&'d [ReferenceOr<Schema>], &'static str)> {
        if !self.one_of.is_empty() {
            Some((self.one_of, "oneOf"))
        } else if !self.any_of.is_empty() {
            Some((self.any_of, "anyOf"))
        } else {
            None
        }
    }

    /// A schema that only allows `null` (`type: "null"`, or `enum: [null]`).
    pub fn only_null(&self) -> bool {
        self.typ == Some("null")
            || self
                .enumeration
                .as_ref()
                .is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_null))
    }
}

fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(format) => Some(
            match format {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            }
            .to_owned(),
        ),
        VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// `enum` as JSON values, `null` for openapiv3's `None` (a `null` listed among the values).
fn enumeration<T>(values: &[Option<T>], json: impl Fn(&T) -> Value) -> Option<Vec<Value>> {
    (!values.is_empty()).then(|| {
        values
            .iter()
            .map(|value| value.as_ref().map_or(Value::Null, &json))
            .collect()
    })
}
