//! Converter specs in rules: `int(signed=True)`, `string(length=2)`, `any(a, "b")`,
//! read with Python's call syntax as Werkzeug reads them.

use super::{Converter, is_identifier};

/// A converter argument value, as Werkzeug's Python-literal parser reads it.
#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Int(i128),
    Float(f64),
    Bool(bool),
    Str(String),
}

pub(super) fn parse_converter(spec: &str) -> Result<Converter, String> {
    let (name, args) = match spec.find('(') {
        None => (spec, ""),
        Some(open) => {
            if !spec.ends_with(')') {
                return Err(format!("converter arguments in {spec:?} must end with ')'"));
            }
            (spec[..open].trim(), &spec[open + 1..spec.len() - 1])
        }
    };
    let (positional, keywords) = parse_args(args)?;
    let allowed: &[&str] = match name {
        "string" | "default" => &["minlength", "maxlength", "length"],
        "int" => &["fixed_digits", "min", "max", "signed"],
        "float" => &["min", "max", "signed"],
        "path" | "uuid" | "any" => &[],
        _ => {
            return Err(format!("unknown converter {name:?}: use one of string, int, float, path, uuid or any"));
        }
    };
    if let Some((key, _)) = keywords.iter().find(|(key, _)| !allowed.contains(&key.as_str())) {
        return Err(if allowed.is_empty() {
            format!("the {name} converter takes no keyword argument, found {key:?}")
        } else {
            format!("the {name} converter has no argument {key:?}; it takes {}", allowed.join(", "))
        });
    }
    if name != "any" && positional.len() > allowed.len() {
        return Err(format!("too many arguments for the {name} converter"));
    }
    // Positional arguments fill the keyword slots in order, as in Python.
    let mut values: Vec<(String, Arg)> =
        allowed.iter().zip(positional.iter()).map(|(k, v)| (k.to_string(), v.clone())).collect();
    for (key, value) in keywords {
        if values.iter().any(|(k, _)| *k == key) {
            return Err(format!("argument {key:?} given twice to the {name} converter"));
        }
        values.push((key, value));
    }
    let get = |key: &str| values.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    Ok(match name {
        "string" | "default" => Converter::String {
            minlength: get("minlength").map(|v| as_usize(v, "minlength")).transpose()?.unwrap_or(1),
            maxlength: get("maxlength").map(|v| as_usize(v, "maxlength")).transpose()?,
            length: get("length").map(|v| as_usize(v, "length")).transpose()?,
        },
        "int" => Converter::Int {
            fixed_digits: get("fixed_digits").map(|v| as_usize(v, "fixed_digits")).transpose()?.unwrap_or(0),
            min: get("min").map(|v| as_int(v, "min")).transpose()?,
            max: get("max").map(|v| as_int(v, "max")).transpose()?,
            signed: get("signed").map(|v| as_bool(v, "signed")).transpose()?.unwrap_or(false),
        },
        "float" => Converter::Float {
            min: get("min").map(|v| as_float(v, "min")).transpose()?,
            max: get("max").map(|v| as_float(v, "max")).transpose()?,
            signed: get("signed").map(|v| as_bool(v, "signed")).transpose()?.unwrap_or(false),
        },
        "path" => Converter::Path,
        "uuid" => Converter::Uuid,
        _ => {
            if positional.is_empty() {
                return Err("the any converter needs at least one value: write <any(a, b):name>".into());
            }
            let items = positional
                .into_iter()
                .map(|arg| match arg {
                    Arg::Str(s) => Ok(s),
                    Arg::Int(i) => Ok(i.to_string()),
                    Arg::Float(f) => Ok(f.to_string()),
                    Arg::Bool(b) => Ok(if b { "True" } else { "False" }.to_string()),
                })
                .collect::<Result<Vec<_>, String>>()?;
            Converter::Any(items)
        }
    })
}

fn as_usize(arg: Arg, key: &str) -> Result<usize, String> {
    match arg {
        Arg::Int(i) if i >= 0 => usize::try_from(i).map_err(|_| format!("{key} is too large")),
        _ => Err(format!("{key} must be a non-negative integer")),
    }
}

fn as_int(arg: Arg, key: &str) -> Result<i128, String> {
    match arg {
        Arg::Int(i) => Ok(i),
        _ => Err(format!("{key} must be an integer")),
    }
}

fn as_float(arg: Arg, key: &str) -> Result<f64, String> {
    match arg {
        Arg::Int(i) => Ok(i as f64),
        Arg::Float(f) => Ok(f),
        _ => Err(format!("{key} must be a number")),
    }
}

fn as_bool(arg: Arg, key: &str) -> Result<bool, String> {
    match arg {
        Arg::Bool(b) => Ok(b),
        _ => Err(format!("{key} must be True or False")),
    }
}

type Args = (Vec<Arg>, Vec<(String, Arg)>);

/// Parses `a, "b", key=1` into positional and keyword arguments.
fn parse_args(args: &str) -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut keywords: Vec<(String, Arg)> = Vec::new();
    if args.trim().is_empty() {
        return Ok((positional, keywords));
    }
    for item in split_args(args)? {
        let item = item.trim();
        if item.is_empty() {
            return Err("empty converter argument".into());
        }
        let keyword = item.split_once('=').filter(|(key, _)| is_identifier(key.trim()) && !key.contains(['"', '\'']));
        match keyword {
            Some((key, value)) => keywords.push((key.trim().to_string(), parse_value(value.trim())?)),
            None if !keywords.is_empty() => {
                return Err("a positional converter argument cannot follow a keyword argument".into());
            }
            None => positional.push(parse_value(item)?),
        }
    }
    Ok((positional, keywords))
}

fn split_args(args: &str) -> Result<Vec<&str>, String> {
    let mut items = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in args.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, ',') => {
                items.push(&args[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if quote.is_some() {
        return Err("unterminated string in converter arguments".into());
    }
    items.push(&args[start..]);
    // Python accepts a trailing comma.
    if items.len() > 1 && items.last().is_some_and(|s| s.trim().is_empty()) {
        items.pop();
    }
    Ok(items)
}

fn parse_value(value: &str) -> Result<Arg, String> {
    match value {
        "True" => return Ok(Arg::Bool(true)),
        "False" => return Ok(Arg::Bool(false)),
        _ => {}
    }
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            return Ok(Arg::Str(value[1..value.len() - 1].to_string()));
        }
    }
    if let Ok(i) = value.parse::<i128>() {
        return Ok(Arg::Int(i));
    }
    if value.contains('.') {
        if let Ok(f) = value.parse::<f64>() {
            return Ok(Arg::Float(f));
        }
    }
    if is_identifier(value) {
        // Werkzeug reads a bare word as a string.
        return Ok(Arg::Str(value.to_string()));
    }
    Err(format!("cannot read converter argument {value:?}"))
}
