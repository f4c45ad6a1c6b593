//! `round`, `int` and `float` as Python computes them: rounding half to even on the
//! exact value, `int("0x1A", 16)`, and the default for what does not parse.

use minijinja::value::{Kwargs, Rest, Value, ValueKind};
use minijinja::{Error, ErrorKind};

use super::{Params, int_arg};
use crate::templates::python_str::python_str;

/// `round(precision=0, method='common')`: `'common'` is Python's `round` (half to
/// even, on the float's exact value; an integer stays an integer), `'floor'` and
/// `'ceil'` round down or up and give a float.
pub(super) fn round(value: Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let params = Params::new("round", args, kwargs);
    let precision = int_arg(params.get(0, "precision")?, 0)?;
    let method = params.get(1, "method")?.map_or_else(|| "common".to_string(), |method| python_str(&method));
    params.finish(2)?;
    let number = Number::of(&value).ok_or_else(|| params.error(format!("cannot round {}", value.kind())))?;
    match method.as_str() {
        "common" => Ok(match number {
            Number::Int(int) => Value::from(round_int(int, precision)),
            Number::Float(float) => Value::from(round_float(float, precision)),
        }),
        "floor" | "ceil" => {
            let scale = 10f64.powf(precision as f64);
            let scaled = number.as_f64() * scale;
            let rounded = if method == "floor" { scaled.floor() } else { scaled.ceil() };
            Ok(Value::from(rounded / scale))
        }
        _ => Err(Error::new(ErrorKind::InvalidOperation, "method must be common, ceil or floor")),
    }
}

/// `int(default=0, base=10)`: a string parsed as Python's `int(text, base)` (or,
/// failing that, as a float and truncated), a number truncated, anything else the
/// default.
pub(super) fn int(value: Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let params = Params::new("int", args, kwargs);
    let default = params.get(0, "default")?.unwrap_or_else(|| Value::from(0));
    let base = int_arg(params.get(1, "base")?, 10)?;
    params.finish(2)?;
    let truncated = |float: f64| {
        if float.is_infinite() {
            Err(params.error("cannot convert float infinity to integer"))
        } else if float.is_nan() || float.abs() >= 1.7e38 {
            Ok(default.clone())
        } else {
            Ok(Value::from(float.trunc() as i128))
        }
    };
    if let Some(text) = value.as_str() {
        if let Some(int) = parse_python_int(text, base) {
            return Ok(Value::from(int));
        }
        return match parse_python_float(text) {
            Some(float) => truncated(float),
            None => Ok(default),
        };
    }
    match Number::of(&value) {
        Some(Number::Int(int)) => Ok(Value::from(int)),
        Some(Number::Float(float)) => truncated(float),
        None => Ok(default),
    }
}

/// `float(default=0.0)`: Python's `float(value)`, or the default.
pub(super) fn float(value: Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let params = Params::new("float", args, kwargs);
    let default = params.get(0, "default")?.unwrap_or_else(|| Value::from(0.0));
    params.finish(1)?;
    let parsed = match value.as_str() {
        Some(text) => parse_python_float(text),
        None => Number::of(&value).map(|number| number.as_f64()),
    };
    Ok(parsed.map_or(default, Value::from))
}

/// A number as Python holds it: an integer (a bool counts as one) or a float.
#[derive(Clone, Copy)]
pub(super) enum Number {
    Int(i128),
    Float(f64),
}

impl Number {
    pub(super) fn of(value: &Value) -> Option<Number> {
        match value.kind() {
            ValueKind::Bool => Some(Number::Int(i128::from(value.is_true()))),
            ValueKind::Number if value.is_integer() => i128::try_from(value.clone()).ok().map(Number::Int),
            ValueKind::Number => f64::try_from(value.clone()).ok().map(Number::Float),
            _ => None,
        }
    }

    pub(super) fn as_f64(self) -> f64 {
        match self {
            Number::Int(int) => int as f64,
            Number::Float(float) => float,
        }
    }
}

/// Python's `round(int, precision)`: unchanged for a precision of 0 or more, else
/// to a multiple of `10**-precision`, half to even.
fn round_int(int: i128, precision: i64) -> i128 {
    if precision >= 0 {
        return int;
    }
    let Some(unit) = u32::try_from(-precision).ok().and_then(|exponent| 10i128.checked_pow(exponent)) else {
        return 0;
    };
    let (quotient, remainder) = (int.div_euclid(unit), int.rem_euclid(unit));
    let up = remainder * 2 > unit || (remainder * 2 == unit && quotient % 2 != 0);
    (quotient + i128::from(up)) * unit
}

/// Python's `round(float, precision)`: the float's exact decimal value rounded half
/// to even at the precision, read back as the nearest float.
fn round_float(float: f64, precision: i64) -> f64 {
    if !float.is_finite() || precision > 330 {
        return float;
    }
    if precision >= 0 {
        // Rust writes the exact value rounded half to even, as Python's dtoa does.
        return format!("{float:.*}", precision as usize).parse().unwrap_or(float);
    }
    let digits = format!("{:.0}", float.trunc().abs());
    let dropped = (-precision) as usize;
    let fraction_nonzero = float.fract() != 0.0;
    let sign = if float < 0.0 { -1.0 } else { 1.0 };
    if dropped > digits.len() {
        return 0.0 * sign;
    }
    let (kept, cut) = digits.split_at(digits.len() - dropped);
    let first_cut = cut.as_bytes()[0] - b'0';
    let rest_nonzero = cut[1..].bytes().any(|digit| digit != b'0') || fraction_nonzero;
    let kept_value: f64 = if kept.is_empty() { 0.0 } else { kept.parse().unwrap_or(0.0) };
    let last_kept_odd = kept.bytes().last().is_some_and(|digit| (digit - b'0') % 2 == 1);
    let up = first_cut > 5 || (first_cut == 5 && (rest_nonzero || last_kept_odd));
    let rounded = kept_value + if up { 1.0 } else { 0.0 };
    format!("{rounded}e{dropped}").parse::<f64>().unwrap_or(float) * sign
}

/// Python's `int(text, base)`: surrounding whitespace, a sign, the base's prefix
/// (`0x`, `0o`, `0b`; any of them with base 0) and `_` between digits allowed.
fn parse_python_int(text: &str, base: i64) -> Option<i128> {
    if !(base == 0 || (2..=36).contains(&base)) {
        return None;
    }
    let text = text.trim_matches(|ch: char| ch.is_whitespace() || matches!(ch, '\x1c'..='\x1f'));
    let (negative, text) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let prefixed = |prefix: char| {
        let bytes = text.as_bytes();
        bytes.len() >= 2 && bytes[0] == b'0' && bytes[1].eq_ignore_ascii_case(&(prefix as u8))
    };
    let (radix, digits) = match base {
        0 if prefixed('x') => (16, &text[2..]),
        0 if prefixed('o') => (8, &text[2..]),
        0 if prefixed('b') => (2, &text[2..]),
        0 => {
            // Base 0 reads decimals, where a leading zero is only allowed in zero.
            if text.len() > 1 && text.starts_with('0') && text.bytes().any(|digit| !matches!(digit, b'0' | b'_')) {
                return None;
            }
            (10, text)
        }
        16 if prefixed('x') => (16, &text[2..]),
        8 if prefixed('o') => (8, &text[2..]),
        2 if prefixed('b') => (2, &text[2..]),
        base => (base as u32, text),
    };
    let had_prefix = digits.len() != text.len();
    let digits = digits.strip_prefix('_').filter(|_| had_prefix).unwrap_or(digits);
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    let mut value: i128 = 0;
    for ch in digits.chars().filter(|ch| *ch != '_') {
        let digit = ch.to_digit(radix)?;
        value = value.checked_mul(i128::from(radix))?.checked_add(i128::from(digit))?;
    }
    Some(if negative { -value } else { value })
}

/// Python's `float(text)`: surrounding whitespace, `_` between digits, `inf`,
/// `infinity` and `nan` in any case.
fn parse_python_float(text: &str) -> Option<f64> {
    let text = text.trim_matches(|ch: char| ch.is_whitespace() || matches!(ch, '\x1c'..='\x1f'));
    if text.contains('_') {
        let bytes = text.as_bytes();
        let between_digits = bytes.iter().enumerate().all(|(index, byte)| {
            *byte != b'_'
                || (index > 0
                    && bytes[index - 1].is_ascii_digit()
                    && bytes.get(index + 1).is_some_and(|next| next.is_ascii_digit()))
        });
        return if between_digits { text.replace('_', "").parse().ok() } else { None };
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_parse_as_python_int_does() {
        for (text, base, expected) in [
            ("42", 10, Some(42)),
            (" -7\n", 10, Some(-7)),
            ("1A", 16, Some(26)),
            ("0x1A", 16, Some(26)),
            ("0b101", 2, Some(5)),
            ("0o17", 0, Some(15)),
            ("1_000", 10, Some(1000)),
            ("0x_ff", 0, Some(255)),
            ("010", 0, None),
            ("000", 0, Some(0)),
            ("1__0", 10, None),
            ("_1", 10, None),
            ("3.7", 10, None),
            ("0b2", 2, None),
            ("z", 36, Some(35)),
            ("1", 1, None),
        ] {
            assert_eq!(parse_python_int(text, base), expected, "{text:?} base {base}");
        }
    }

    #[test]
    fn floats_parse_as_python_float_does() {
        assert_eq!(parse_python_float(" 2.5 "), Some(2.5));
        assert_eq!(parse_python_float("1_000.5"), Some(1000.5));
        assert_eq!(parse_python_float("-Infinity"), Some(f64::NEG_INFINITY));
        assert!(parse_python_float("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_python_float("1__0"), None);
        assert_eq!(parse_python_float("x"), None);
    }

    #[test]
    fn rounding_is_half_to_even_on_the_exact_value() {
        assert_eq!(round_float(2.5, 0), 2.0);
        assert_eq!(round_float(3.5, 0), 4.0);
        assert_eq!(round_float(0.125, 2), 0.12);
        assert_eq!(round_float(2.675, 2), 2.67);
        assert_eq!(round_float(1250.0, -2), 1200.0);
        assert_eq!(round_float(1350.0, -2), 1400.0);
        assert_eq!(round_float(1250.5, -2), 1300.0);
        assert_eq!(round_float(-1234.5, -2), -1200.0);
        assert_eq!(round_float(40.0, -2), 0.0);
        assert_eq!(round_float(50.0, -2), 0.0);
        assert_eq!(round_float(51.0, -2), 100.0);
        assert_eq!(round_int(25, -1), 20);
        assert_eq!(round_int(35, -1), 40);
        assert_eq!(round_int(-25, -1), -20);
        assert_eq!(round_int(42, 2), 42);
    }
}
