//! Splits a method's parameters into top-level fields, in the order they serialize.
//!
//! Multipart bodies send each parameter as its own part, so the encoder needs the fields one
//! by one rather than as a JSON object. This serializer accepts a struct or a map at the top
//! level and turns each value into a `serde_json::Value`; `None`, `()` and unit structs give
//! no fields at all.

use std::fmt;

use serde::ser::{self, Impossible, Serialize};
use serde_json::Value;

/// A top-level parameter: its wire name and its value.
pub(crate) type Field = (String, Value);

/// Why parameters could not be split into fields.
#[derive(Debug)]
pub(crate) enum FieldsError {
    /// The parameters are not a struct or map.
    NotAnObject,
    /// A value failed to serialize, or a map key is not a string.
    Custom(String),
}

impl fmt::Display for FieldsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldsError::NotAnObject => f.write_str("parameters are not an object"),
            FieldsError::Custom(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for FieldsError {}

impl ser::Error for FieldsError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        FieldsError::Custom(msg.to_string())
    }
}

/// The fields of `params`, in serialization order.
pub(crate) fn fields<T: Serialize + ?Sized>(params: &T) -> Result<Vec<Field>, FieldsError> {
    params.serialize(TopLevel)
}

fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, FieldsError> {
    serde_json::to_value(value).map_err(|e| FieldsError::Custom(e.to_string()))
}

struct TopLevel;

/// Collects fields of a struct or map.
pub(crate) struct Collect {
    fields: Vec<Field>,
    pending_key: Option<String>,
}

impl Collect {
    fn new(len: Option<usize>) -> Self {
        Collect {
            fields: Vec::with_capacity(len.unwrap_or(0)),
            pending_key: None,
        }
    }
}

macro_rules! not_an_object {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Self::Error> {
            Err(FieldsError::NotAnObject)
        })*
    };
}

impl ser::Serializer for TopLevel {
    type Ok = Vec<Field>;
    type Error = FieldsError;
    type SerializeSeq = Impossible<Vec<Field>, FieldsError>;
    type SerializeTuple = Impossible<Vec<Field>, FieldsError>;
    type SerializeTupleStruct = Impossible<Vec<Field>, FieldsError>;
    type SerializeTupleVariant = Impossible<Vec<Field>, FieldsError>;
    type SerializeMap = Collect;
    type SerializeStruct = Collect;
    type SerializeStructVariant = Impossible<Vec<Field>, FieldsError>;

    not_an_object! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_f32(f32), serialize_f64(f64), serialize_char(char),
        serialize_str(&str), serialize_bytes(&[u8]),
        serialize_unit_variant(&'static str, u32, &'static str),
    }

    fn serialize_none(self) -> Result<Self::Ok, Self::Error> {
        Ok(Vec::new())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, Self::Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Self::Ok, Self::Error> {
        Ok(Vec::new())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, Self::Error> {
        Ok(Vec::new())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Self::Ok, Self::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Self::Error> {
        Err(FieldsError::NotAnObject)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Self::Error> {
        Err(FieldsError::NotAnObject)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Self::Error> {
        Err(FieldsError::NotAnObject)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Self::Error> {
        Err(FieldsError::NotAnObject)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Self::Error> {
        Err(FieldsError::NotAnObject)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, Self::Error> {
        Ok(Collect::new(len))
    }

    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, Self::Error> {
        Ok(Collect::new(Some(len)))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Self::Error> {
        Err(FieldsError::NotAnObject)
    }
}

impl ser::SerializeStruct for Collect {
    type Ok = Vec<Field>;
    type Error = FieldsError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        self.fields.push((key.to_owned(), to_value(value)?));
        Ok(())
    }

    fn end(self) -> Result<Self::Ok, Self::Error> {
        Ok(self.fields)
    }
}

impl ser::SerializeMap for Collect {
    type Ok = Vec<Field>;
    type Error = FieldsError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Self::Error> {
        match to_value(key)? {
            Value::String(key) => {
                self.pending_key = Some(key);
                Ok(())
            }
            _ => Err(FieldsError::Custom(
                "parameter names must be strings".into(),
            )),
        }
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        let key = self
            .pending_key
            .take()
            .ok_or_else(|| FieldsError::Custom("map value without a key".into()))?;
        self.fields.push((key, to_value(value)?));
        Ok(())
    }

    fn end(self) -> Result<Self::Ok, Self::Error> {
        Ok(self.fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(serde::Serialize)]
    struct Params {
        chat_id: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        nested: Vec<u8>,
    }

    #[test]
    fn keeps_declaration_order_and_skips() {
        let got = fields(&Params {
            chat_id: -100,
            text: None,
            nested: vec![1, 2],
        })
        .unwrap();
        assert_eq!(
            got,
            vec![
                ("chat_id".into(), json!(-100)),
                ("nested".into(), json!([1, 2]))
            ]
        );
    }

    #[test]
    fn maps_and_nothing() {
        assert_eq!(fields(&json!({"b": 1, "a": "x"})).unwrap().len(), 2);
        assert!(fields(&()).unwrap().is_empty());
        assert!(fields(&Value::Null).unwrap().is_empty());
        assert!(matches!(fields(&json!([1])), Err(FieldsError::NotAnObject)));
        assert!(matches!(fields(&5), Err(FieldsError::NotAnObject)));
    }
}
