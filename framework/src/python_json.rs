//! JSON as Python's `json` module writes it, for the bytes that must match Flask's
//! and PyJWT's exactly.
//!
//! Flask's `jsonify` and PyJWT both serialise with CPython's `json`, whose defaults
//! (`ensure_ascii=True`, `repr` for floats) differ from serde_json's in two ways:
//! every character outside printable ASCII is written as a `\uXXXX` escape (lowercase
//! hex, surrogate pairs above U+FFFF), and floats use Python's `repr` spelling
//! (`1e+16`, `1e-05`, `100.0`). [`PythonFormatter`] plugs both into serde_json;
//! [`to_writer`] is `json.dumps(value, separators=(",", ":"))` and
//! [`to_writer_sorted`] adds `sort_keys=True`, which is what `jsonify` sends.
//! [`is_truthy`] reads a value as Python's `if value:` does.
//!
//! ```
//! let mut out = Vec::new();
//! phial::python_json::to_writer_sorted(&mut out, &serde_json::json!({"b": 1e16, "a": "Zoë"}));
//! assert_eq!(out, br#"{"a":"Zo\u00eb","b":1e+16}"#);
//! ```

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// A compact serde_json formatter that writes strings and floats as CPython's `json`
/// module does with its default `ensure_ascii=True`.
#[derive(Clone, Copy, Debug, Default)]
pub struct PythonFormatter;

impl Formatter for PythonFormatter {
    /// serde_json has already escaped `"`, `\` and the C0 controls (in Python's
    /// spelling); what is left to escape is DEL and everything beyond ASCII.
    fn write_string_fragment<W>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()>
    where
        W: ?Sized + Write,
    {
        let bytes = fragment.as_bytes();
        // The usual case, nothing left to escape: the highest byte, found with a fold
        // the compiler vectorises (an early-exit `all(..)` would go byte by byte).
        if bytes.iter().fold(0, |high, &byte| high.max(byte)) < 0x7f {
            return writer.write_all(bytes);
        }
        let mut start = 0;
        for (index, ch) in fragment.char_indices() {
            if (' '..='~').contains(&ch) {
                continue;
            }
            writer.write_all(&bytes[start..index])?;
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = index + ch.len_utf8();
        }
        writer.write_all(&bytes[start..])
    }

    fn write_f64<W>(&mut self, writer: &mut W, value: f64) -> io::Result<()>
    where
        W: ?Sized + Write,
    {
        write_python_float(writer, value)
    }

    fn write_f32<W>(&mut self, writer: &mut W, value: f32) -> io::Result<()>
    where
        W: ?Sized + Write,
    {
        // Python has no single precision: the value is widened, as a Python float would be.
        write_python_float(writer, f64::from(value))
    }
}

/// Writes a finite float as Python's `repr` does: the shortest digits that read back
/// to the same value (Rust's `{:e}` gives those too), positional when the decimal
/// exponent is in -4..=15 (with at least one fractional digit), otherwise
/// `d.ddde±XX` with at least two exponent digits.
///
/// serde_json writes `null` for NaN and infinities before reaching the formatter.
fn write_python_float<W>(writer: &mut W, value: f64) -> io::Result<()>
where
    W: ?Sized + Write,
{
    let scientific = format!("{value:e}");
    let (mantissa, exponent) =
        scientific.split_once('e').ok_or_else(|| io::Error::other("unexpected float formatting"))?;
    let exponent: i32 = exponent.parse().map_err(io::Error::other)?;
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let (first, rest) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    writer.write_all(sign.as_bytes())?;
    if (-4..=15).contains(&exponent) {
        let digits = format!("{first}{rest}");
        if exponent < 0 {
            // 0.000ddd
            let zeros = "0".repeat(exponent.unsigned_abs() as usize - 1);
            write!(writer, "0.{zeros}{digits}")
        } else {
            let int_len = exponent as usize + 1;
            if digits.len() > int_len {
                write!(writer, "{}.{}", &digits[..int_len], &digits[int_len..])
            } else {
                let zeros = "0".repeat(int_len - digits.len());
                write!(writer, "{digits}{zeros}.0")
            }
        }
    } else {
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        let magnitude = exponent.unsigned_abs();
        if rest.is_empty() {
            write!(writer, "{first}e{exponent_sign}{magnitude:02}")
        } else {
            write!(writer, "{first}.{rest}e{exponent_sign}{magnitude:02}")
        }
    }
}

/// `repr(value)` of a Python float: `1.0`, `0.1`, `1e+16`, `1e-07`, `inf`, `nan`.
pub(crate) fn python_float_repr(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let mut out = Vec::new();
    // Writing into a Vec cannot fail, and the digits are ASCII.
    let _ = write_python_float(&mut out, value);
    String::from_utf8(out).unwrap_or_default()
}

/// Serialises `value` compactly, as Python's `json.dumps(value, separators=(",", ":"))`
/// would, appending to `out`.
pub fn to_writer<T>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()>
where
    T: ?Sized + serde::Serialize,
{
    let mut serializer = serde_json::Serializer::with_formatter(out, PythonFormatter);
    value.serialize(&mut serializer)
}

/// `json.dumps(value, sort_keys=True)` with Python's default separators (`", "` and
/// `": "`): what Flask's `tojson` template filter starts from.
///
/// ```
/// let text = phial::python_json::dumps_sorted(&serde_json::json!({"b": [1, 2], "a": "é"}));
/// assert_eq!(text, r#"{"a": "\u00e9", "b": [1, 2]}"#);
/// ```
pub fn dumps_sorted(value: &Value) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, SpacedFormatter);
    // Writing a `Value` into a Vec cannot fail.
    let _ = Sorted(value).serialize(&mut serializer);
    // The formatter writes ASCII only.
    String::from_utf8(out).unwrap_or_default()
}

/// [`PythonFormatter`] with `json.dumps`' default separators.
struct SpacedFormatter;

impl Formatter for SpacedFormatter {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        PythonFormatter.write_string_fragment(writer, fragment)
    }

    fn write_f64<W: ?Sized + Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        write_python_float(writer, value)
    }

    fn write_f32<W: ?Sized + Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        write_python_float(writer, f64::from(value))
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { writer.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { writer.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }
}

/// Appends `text` as a JSON string, as [`to_writer`] would write it: quoted, with
/// `"`, `\\`, controls and everything outside printable ASCII escaped.
///
/// ```
/// let mut out = Vec::new();
/// phial::python_json::write_str(&mut out, "Missing \"jwt\" é");
/// assert_eq!(out, br#""Missing \"jwt\" \u00e9""#);
/// ```
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    if is_plain(text.as_bytes()) {
        // Nothing to escape (the usual message): copied between quotes.
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        // Writing a string into a Vec cannot fail.
        let _ = to_writer(out, text);
    }
}

/// Whether `bytes` go into a JSON string as they are: printable ASCII, neither `"`
/// nor `\`.
///
/// Checked eight bytes at a time (this runs for every error message and key, tens
/// of bytes: too short for the compiler's vector loops, too long for a byte at a
/// time). For a word `w`, `(w - n·ONES) & !w & HIGHS` is non-zero exactly when a
/// byte of `w` is below `n` (n ≤ 0x80): a borrow can only spread from such a byte.
fn is_plain(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
    let has = |word: u64, byte: u8| below(word ^ (ONES * u64::from(byte)), 1);
    let escaped = |word: u64| {
        // Controls, then 0x7f and above (adding one carries only out of such a
        // byte), then the two characters JSON escapes.
        below(word, b' ') | ((word.wrapping_add(ONES) | word) & HIGHS) | has(word, b'"') | has(word, b'\\')
    };
    let mut words = bytes.chunks_exact(8);
    let mut found = 0;
    for chunk in &mut words {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        found |= escaped(u64::from_ne_bytes(word));
    }
    // The last few bytes, padded with spaces.
    let mut last = [b' '; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    found |= escaped(u64::from_ne_bytes(last));
    found == 0
}

/// Serialises `value` as Flask's `jsonify` does (without its trailing newline):
/// like [`to_writer`], with the keys of every object sorted (`sort_keys=True`).
///
/// Keys sort by code point, as Python sorts `str`. serde_json's maps are already
/// sorted unless its `preserve_order` feature is on somewhere in the build; only
/// then are an object's entries collected and sorted.
pub fn to_writer_sorted(out: &mut Vec<u8>, value: &Value) {
    // Writing a `Value` into a Vec cannot fail: its keys are strings, its numbers finite.
    let _ = to_writer(out, &Sorted(value));
}

/// A `Value` that serialises with its objects' keys in order.
struct Sorted<'a>(&'a Value);

impl Serialize for Sorted<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(map) => {
                let mut object = serializer.serialize_map(Some(map.len()))?;
                if map.keys().is_sorted() {
                    for (key, item) in map {
                        object.serialize_entry(key, &Sorted(item))?;
                    }
                } else {
                    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                    for (key, item) in entries {
                        object.serialize_entry(key, &Sorted(item))?;
                    }
                }
                object.end()
            }
            Value::Array(items) => {
                let mut array = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    array.serialize_element(&Sorted(item))?;
                }
                array.end()
            }
            scalar => scalar.serialize(serializer),
        }
    }
}

/// Whether Python's `if value:` takes the branch for this JSON value: `None`,
/// `False`, zero, and empty strings, lists and dicts are false; everything else is
/// true. Ported views use it where upstream tests a claim or a JSON field that way
/// (`if claims["is_administrator"]:`, `if current_identity:`).
///
/// ```
/// use phial::python_json::is_truthy;
/// use serde_json::json;
///
/// assert!(is_truthy(&json!(true)) && is_truthy(&json!(1)) && is_truthy(&json!("no")) && is_truthy(&json!([0])));
/// assert!(!is_truthy(&json!(null)) && !is_truthy(&json!(0.0)) && !is_truthy(&json!("")) && !is_truthy(&json!({})));
/// ```
pub fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|n| n != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(entries) => !entries.is_empty(),
    }
}

#[cfg(test)]
mod tests;
