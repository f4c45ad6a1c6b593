//! URL variables: `Path<T>` for any handler, and `FromPathParam` for the route
//! attributes, which pass each variable to the parameter of the same name.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};

use super::FromRequest;
use crate::{HttpError, Request, ViewError};

/// The rule's variables parsed into `T`: one variable into a plain type
/// (`Path<i64>`), several into a tuple (in rule order) or a struct (by name).
///
/// A value that does not parse as `T` is a 404, as a rule that does not convert
/// is in Flask.
///
/// ```
/// use phial::prelude::*;
/// use serde::Deserialize;
///
/// async fn one(Path(id): Path<u32>) -> String { id.to_string() }
/// async fn two(Path((user, post)): Path<(String, u32)>) -> String { format!("{user}/{post}") }
///
/// #[derive(Deserialize)]
/// struct Ids { user: String, post: u32 }
/// async fn named(Path(ids): Path<Ids>) -> String { format!("{}/{}", ids.user, ids.post) }
///
/// let mut app = App::new("demo");
/// app.route("/n/<int:id>", ["GET"], one);
/// app.route("/t/<user>/<int:post>", ["GET"], two);
/// app.route("/s/<user>/<int:post>", ["GET"], named);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Path<T> {
    fn from_request(request: &Request) -> Result<Self, ViewError> {
        let args: Vec<(&str, &str)> = request.view_args().collect();
        T::deserialize(ViewArgs(&args)).map(Path).map_err(|err| {
            tracing::debug!(target: "phial::request", error = %err, "URL variables do not convert");
            HttpError::new(http::StatusCode::NOT_FOUND).into()
        })
    }
}

/// Marker types for Flask's converters, used by [`FromPathParam`].
pub mod converters {
    /// `<name>` and `<string:name>`.
    #[derive(Debug)]
    pub struct String;
    /// `<int:name>`.
    #[derive(Debug)]
    pub struct Int;
    /// `<float:name>`.
    #[derive(Debug)]
    pub struct Float;
    /// `<path:name>`.
    #[derive(Debug)]
    pub struct Path;
    /// `<uuid:name>`.
    #[derive(Debug)]
    pub struct Uuid;
    /// `<any(a, b):name>`.
    #[derive(Debug)]
    pub struct Any;
}

/// A type that can receive a URL variable of converter `C` in a route attribute:
/// `<int:id>` into any integer type, a float or a `String`; `<float:x>` into a float
/// or a `String`; `<uuid:u>` into a `uuid::Uuid` or a `String`; `<name>`, `<path:p>`
/// and `<any(..):v>` into a `String`.
#[diagnostic::on_unimplemented(
    message = "a URL variable of converter `{C}` cannot be taken as `{Self}`",
    label = "this parameter's type does not fit the rule's converter",
    note = "<int:..> fits integers, floats and String; <float:..> fits f32, f64 and String; \
            <uuid:..> fits uuid::Uuid and String; <string:..>, <path:..> and <any(..):..> fit String"
)]
pub trait FromPathParam<C>: Sized {
    /// Converts the (percent-decoded, already validated) text; `None` means 404.
    fn from_path_param(text: &str) -> Option<Self>;
}

macro_rules! from_param_by_parse {
    ($converter:ty: $($t:ty),*) => {$(
        impl FromPathParam<$converter> for $t {
            fn from_path_param(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )*};
}

from_param_by_parse!(converters::Int: i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64);
from_param_by_parse!(converters::Float: f32, f64);
from_param_by_parse!(converters::Uuid: uuid::Uuid);

macro_rules! from_param_as_string {
    ($($converter:ty),*) => {$(
        impl FromPathParam<$converter> for String {
            fn from_path_param(text: &str) -> Option<Self> {
                Some(text.to_string())
            }
        }
    )*};
}

from_param_as_string!(converters::String, converters::Int, converters::Float, converters::Path, converters::Any);

/// A UUID as text is lowercased, as Python's `str(uuid)` is.
impl FromPathParam<converters::Uuid> for String {
    fn from_path_param(text: &str) -> Option<Self> {
        Some(text.to_ascii_lowercase())
    }
}

/// Takes the URL variable `name` as `T` (used by the code the route attributes
/// generate). A value `T` cannot hold (an integer too large) is a 404.
#[doc(hidden)]
pub fn path_param<T: FromPathParam<C>, C>(request: &Request, name: &str) -> Result<T, ViewError> {
    request.view_arg(name).and_then(T::from_path_param).ok_or_else(|| {
        tracing::debug!(target: "phial::request", variable = name, "URL variable does not convert");
        HttpError::new(http::StatusCode::NOT_FOUND).into()
    })
}

/// Deserialises the variables as a map, a sequence, or (when there is one) a value.
#[derive(Clone, Copy)]
struct ViewArgs<'a>(&'a [(&'a str, &'a str)]);

/// Deserialises one variable's text, parsing it for numbers and booleans.
struct Text<'a>(&'a str);

type DeError = de::value::Error;

impl<'a> IntoDeserializer<'a, DeError> for Text<'a> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

macro_rules! parse_and_visit {
    ($($method:ident => $visit:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            match self.0.parse() {
                Ok(value) => visitor.$visit(value),
                Err(_) => Err(de::Error::custom(format_args!("cannot convert {:?}", self.0))),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for Text<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.0)
    }

    parse_and_visit!(
        deserialize_bool => visit_bool, deserialize_i8 => visit_i8, deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32, deserialize_i64 => visit_i64, deserialize_i128 => visit_i128,
        deserialize_u8 => visit_u8, deserialize_u16 => visit_u16, deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64, deserialize_u128 => visit_u128, deserialize_f32 => visit_f32,
        deserialize_f64 => visit_f64, deserialize_char => visit_char
    );

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let text: de::value::StrDeserializer<'_, DeError> = self.0.into_deserializer();
        text.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

impl<'a> ViewArgs<'a> {
    fn single(self) -> Result<Text<'a>, DeError> {
        match self.0 {
            [(_, value)] => Ok(Text(value)),
            args => Err(de::Error::custom(format_args!("expected one URL variable, the rule has {}", args.len()))),
        }
    }

    fn map(self) -> MapDeserializer<'a, impl Iterator<Item = (&'a str, Text<'a>)>, DeError> {
        MapDeserializer::new(self.0.iter().map(|(k, v)| (*k, Text(v))))
    }
}

macro_rules! forward_to_single {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            self.single()?.$method(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for ViewArgs<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.len() {
            1 => self.single()?.deserialize_any(visitor),
            _ => visitor.visit_map(self.map()),
        }
    }

    forward_to_single!(
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_identifier
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.single()?.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_seq(SeqDeserializer::new(self.0.iter().map(|(_, v)| Text(v))))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(self.map())
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_map(self.map())
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn parse<T: DeserializeOwned>(args: &[(&str, &str)]) -> Result<T, DeError> {
        T::deserialize(ViewArgs(args))
    }

    #[test]
    fn one_variable_into_a_plain_type() {
        assert_eq!(parse::<i64>(&[("id", "42")]).unwrap(), 42);
        assert_eq!(parse::<String>(&[("name", "ann")]).unwrap(), "ann");
        assert!(parse::<u8>(&[("id", "300")]).is_err());
        let id: uuid::Uuid = parse(&[("u", "12345678-1234-5678-1234-567812345678")]).unwrap();
        assert_eq!(id.to_string(), "12345678-1234-5678-1234-567812345678");
    }

    #[test]
    fn several_variables_into_tuples_and_structs() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Ids {
            user: String,
            post: u32,
        }
        let args = [("user", "ann"), ("post", "7")];
        assert_eq!(parse::<(String, u32)>(&args).unwrap(), ("ann".to_string(), 7));
        assert_eq!(parse::<Ids>(&args).unwrap(), Ids { user: "ann".into(), post: 7 });
        assert!(parse::<i64>(&args).is_err());
    }

    #[test]
    fn enums_from_any_converter() {
        #[derive(Deserialize, Debug, PartialEq)]
        #[serde(rename_all = "lowercase")]
        enum Page {
            About,
            Help,
        }
        assert_eq!(parse::<Page>(&[("page", "help")]).unwrap(), Page::Help);
    }

    #[test]
    fn path_params_by_converter() {
        assert_eq!(<i32 as FromPathParam<converters::Int>>::from_path_param("007"), Some(7));
        assert_eq!(<u8 as FromPathParam<converters::Int>>::from_path_param("999"), None);
        assert_eq!(
            <String as FromPathParam<converters::Uuid>>::from_path_param("ABCDEF00-1234-5678-1234-567812345678")
                .unwrap(),
            "abcdef00-1234-5678-1234-567812345678"
        );
    }
}
