//! Structs are read from JSON objects only.
//!
//! serde fills a struct from a JSON array too, field by field in order, so
//! `["test", "test"]` would read as `{"username": "test", "password": "test"}`.
//! A Flask view doing `request.json.get("username")` on that array crashes; phial
//! answers 400 instead: a struct (and a struct variant) accepts a JSON object and
//! nothing else, at any depth. Arrays still read into `Vec`s, tuples and tuple
//! structs.
//!
//! [`ObjectsOnly`] wraps a deserializer and every deserializer below it (the
//! elements of a sequence, the keys and values of a map, an enum's variant), and
//! answers an array where a struct is expected with `invalid type: sequence,
//! expected struct Name`.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Unexpected, VariantAccess, Visitor,
};
use std::fmt;

/// A deserializer that refuses arrays where structs are expected; see the
/// [module docs](self).
pub(crate) struct ObjectsOnly<D>(pub(crate) D);

/// Forwards `deserialize_*` methods to the inner deserializer, the visitor wrapped.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*))*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method($($arg,)* Wrap(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectsOnly<D> {
    type Error = D::Error;

    forward! {
        deserialize_any() deserialize_bool() deserialize_i8() deserialize_i16() deserialize_i32()
        deserialize_i64() deserialize_i128() deserialize_u8() deserialize_u16() deserialize_u32()
        deserialize_u64() deserialize_u128() deserialize_f32() deserialize_f64() deserialize_char()
        deserialize_str() deserialize_string() deserialize_bytes() deserialize_byte_buf()
        deserialize_option() deserialize_unit() deserialize_seq() deserialize_map()
        deserialize_identifier() deserialize_ignored_any()
        deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str)
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_struct(name, fields, ObjectOnly(Wrap(visitor)))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// A visitor whose nested deserializers are wrapped too.
struct Wrap<V>(V);

/// A struct's visitor: a sequence is refused.
struct ObjectOnly<V>(V);

/// Forwards `visit_*` methods of plain values to the inner visitor.
macro_rules! visit {
    ($($method:ident($ty:ty))*) => {$(
        fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
            self.0.$method(value)
        }
    )*};
}

macro_rules! wrapping_visitor {
    ($name:ident, $visit_seq:item) => {
        impl<'de, V: Visitor<'de>> Visitor<'de> for $name<V> {
            type Value = V::Value;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.expecting(f)
            }

            visit! {
                visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64) visit_i128(i128)
                visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64) visit_u128(u128) visit_f32(f32)
                visit_f64(f64) visit_char(char) visit_str(&str) visit_borrowed_str(&'de str) visit_string(String)
                visit_bytes(&[u8]) visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
            }

            fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
                self.0.visit_none()
            }

            fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
                self.0.visit_unit()
            }

            fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
                self.0.visit_some(ObjectsOnly(deserializer))
            }

            fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
                self.0.visit_newtype_struct(ObjectsOnly(deserializer))
            }

            $visit_seq

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
                self.0.visit_map(Wrap(map))
            }

            fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
                self.0.visit_enum(Wrap(data))
            }
        }
    };
}

wrapping_visitor!(
    Wrap,
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Wrap(seq))
    }
);

wrapping_visitor!(
    ObjectOnly,
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<V::Value, A::Error> {
        Err(de::Error::invalid_type(Unexpected::Seq, &self))
    }
);

/// A seed whose deserializer is wrapped.
struct Seed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(ObjectsOnly(deserializer))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Seed(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Wrap<A> {
    type Error = A::Error;
    type Variant = Wrap<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self::Variant), A::Error> {
        let (value, variant) = self.0.variant_seed(Seed(seed))?;
        Ok((value, Wrap(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Wrap(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, ObjectOnly(Wrap(visitor)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Login {
        username: String,
        password: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Pair(i32, i32);

    #[derive(Debug, Deserialize, PartialEq)]
    enum Shape {
        Point { x: i32, y: i32 },
    }

    fn read<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, serde_json::Error> {
        T::deserialize(ObjectsOnly(&mut serde_json::Deserializer::from_str(json)))
    }

    #[test]
    fn a_struct_reads_from_an_object_only() {
        let login = Login { username: "test".into(), password: "pw".into() };
        assert_eq!(read::<Login>(r#"{"username": "test", "password": "pw"}"#).unwrap(), login);
        let error = read::<Login>(r#"["test", "pw"]"#).unwrap_err().to_string();
        assert!(error.starts_with("invalid type: sequence, expected struct Login"), "{error}");
    }

    #[test]
    fn nested_structs_are_checked_too() {
        assert!(read::<Vec<Login>>(r#"[["a", "b"]]"#).is_err());
        assert!(read::<Option<Login>>(r#"["a", "b"]"#).is_err());
        assert!(read::<std::collections::HashMap<String, Login>>(r#"{"k": ["a", "b"]}"#).is_err());
        assert!(read::<Shape>(r#"{"Point": [1, 2]}"#).is_err());
        assert_eq!(read::<Shape>(r#"{"Point": {"x": 1, "y": 2}}"#).unwrap(), Shape::Point { x: 1, y: 2 });
    }

    #[test]
    fn sequences_tuples_and_tuple_structs_still_read_from_arrays() {
        assert_eq!(read::<Vec<i32>>("[1, 2]").unwrap(), vec![1, 2]);
        assert_eq!(read::<(String, i32)>(r#"["a", 1]"#).unwrap(), ("a".to_string(), 1));
        assert_eq!(read::<Pair>("[1, 2]").unwrap(), Pair(1, 2));
        assert_eq!(read::<serde_json::Value>("[1, {}]").unwrap(), serde_json::json!([1, {}]));
    }
}
