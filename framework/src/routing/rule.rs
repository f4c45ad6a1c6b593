//! Flask's URL rule syntax: parsing and validating rules such as `/user/<int:id>`.
//!
//! This module depends on `std` only: the `phial-macros` crate compiles the very same
//! file (through `#[path]`) so that route attributes reject a bad rule at compile time
//! with exactly the message the runtime would give.
//!
//! A rule is a list of [`Part`]s: static text and variables. A variable is written
//! `<name>` (a `string`) or `<converter:name>`, optionally with arguments in Python
//! call syntax: `<int(signed=True):n>`, `<string(length=2):code>`, `<any(a, b):v>`.

use std::fmt;

/// A parsed Flask rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The rule as written.
    pub source: String,
    /// Static text and variables, in order.
    pub parts: Vec<Part>,
}

/// One piece of a rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Literal text that must appear as is (may contain `/`).
    Static(String),
    /// A `<converter:name>` variable.
    Variable {
        /// The variable's name, a valid identifier.
        name: String,
        /// How the path text is validated and converted.
        converter: Converter,
    },
}

/// A converter, with its arguments, as in Werkzeug.
#[derive(Clone, Debug, PartialEq)]
pub enum Converter {
    /// `string` (the default): one non-empty segment without `/`.
    String {
        /// Minimum length in characters (default 1).
        minlength: usize,
        /// Maximum length in characters.
        maxlength: Option<usize>,
        /// Exact length in characters.
        length: Option<usize>,
    },
    /// `int`: ASCII digits, no sign unless `signed`.
    Int {
        /// Exact number of digits, 0 for any.
        fixed_digits: usize,
        /// Smallest accepted value.
        min: Option<i128>,
        /// Largest accepted value.
        max: Option<i128>,
        /// Whether a leading `-` is accepted.
        signed: bool,
    },
    /// `float`: digits, a `.`, digits; no sign unless `signed`.
    Float {
        /// Smallest accepted value.
        min: Option<f64>,
        /// Largest accepted value.
        max: Option<f64>,
        /// Whether a leading `-` is accepted.
        signed: bool,
    },
    /// `path`: one or more segments, `/` included.
    Path,
    /// `uuid`: 8-4-4-4-12 hexadecimal digits with dashes, any case.
    Uuid,
    /// `any(a, b, ...)`: exactly one of the listed values.
    Any(Vec<String>),
}

/// Why a rule was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    /// What is wrong and how to fix it.
    pub message: String,
    /// Byte range in the rule where the mistake is.
    pub span: (usize, usize),
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuleError {}

/// The names of the converters phial knows.
pub const CONVERTERS: &[&str] = &["string", "default", "int", "float", "path", "uuid", "any"];

impl Converter {
    /// The converter's name as written in rules.
    pub fn name(&self) -> &'static str {
        match self {
            Converter::String { .. } => "string",
            Converter::Int { .. } => "int",
            Converter::Float { .. } => "float",
            Converter::Path => "path",
            Converter::Uuid => "uuid",
            Converter::Any(_) => "any",
        }
    }

    /// Matching precedence among variables at the same place (lower is tried first),
    /// after Flask: numbers and other narrow converters, then strings, then paths.
    pub fn weight(&self) -> u8 {
        match self {
            Converter::Int { .. } | Converter::Float { .. } | Converter::Uuid | Converter::Any(_) => 50,
            Converter::String { .. } => 100,
            Converter::Path => 200,
        }
    }

    /// Whether `raw` (already percent-decoded) is accepted by this converter.
    pub fn accepts(&self, raw: &str) -> bool {
        match self {
            Converter::String {
                minlength,
                maxlength,
                length,
            } => {
                if raw.contains('/') {
                    return false;
                }
                let chars = raw.chars().count();
                match length {
                    Some(exact) => chars == *exact,
                    None => chars >= (*minlength).max(1) && maxlength.is_none_or(|max| chars <= max),
                }
            }
            Converter::Int {
                fixed_digits,
                min,
                max,
                signed,
            } => {
                let digits = match raw.strip_prefix('-') {
                    Some(rest) if *signed => rest,
                    _ => raw,
                };
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return false;
                }
                if *fixed_digits != 0 && digits.len() != *fixed_digits {
                    return false;
                }
                if min.is_none() && max.is_none() {
                    return true;
                }
                // Values beyond i128 only fail when a bound is set.
                match raw.parse::<i128>() {
                    Ok(value) => min.is_none_or(|m| value >= m) && max.is_none_or(|m| value <= m),
                    Err(_) => false,
                }
            }
            Converter::Float { min, max, signed } => {
                let unsigned = match raw.strip_prefix('-') {
                    Some(rest) if *signed => rest,
                    _ => raw,
                };
                let Some((whole, fraction)) = unsigned.split_once('.') else {
                    return false;
                };
                let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
                if !all_digits(whole) || !all_digits(fraction) {
                    return false;
                }
                match raw.parse::<f64>() {
                    Ok(value) => min.is_none_or(|m| value >= m) && max.is_none_or(|m| value <= m),
                    Err(_) => false,
                }
            }
            Converter::Path => !raw.is_empty() && !raw.starts_with('/'),
            Converter::Uuid => is_uuid(raw),
            Converter::Any(items) => items.iter().any(|item| item == raw),
        }
    }
}

fn is_uuid(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

impl Rule {
    /// Parses and validates a Flask rule.
    pub fn parse(source: &str) -> Result<Rule, RuleError> {
        Parser { source, pos: 0 }.rule()
    }

    /// The variables of the rule, in order.
    pub fn variables(&self) -> impl Iterator<Item = (&str, &Converter)> {
        self.parts.iter().filter_map(|part| match part {
            Part::Variable { name, converter } => Some((name.as_str(), converter)),
            Part::Static(_) => None,
        })
    }

    /// Whether the rule ends with `/` (Flask redirects `/items` to a rule `/items/`).
    pub fn has_trailing_slash(&self) -> bool {
        matches!(self.parts.last(), Some(Part::Static(text)) if text.ends_with('/'))
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

fn error(message: impl Into<String>, start: usize, end: usize) -> RuleError {
    RuleError {
        message: message.into(),
        span: (start, end),
    }
}

struct Parser<'a> {
    source: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rule(mut self) -> Result<Rule, RuleError> {
        if !self.source.starts_with('/') {
            return Err(error(
                format!("a URL rule must start with a slash: write \"/{}\"", self.source),
                0,
                self.source.len().min(1),
            ));
        }
        let mut parts: Vec<Part> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        while self.pos < self.source.len() {
            let rest = &self.source[self.pos..];
            if rest.starts_with('<') {
                let start = self.pos;
                let (name, converter) = self.variable()?;
                if names.contains(&name) {
                    return Err(error(
                        format!("variable name {name:?} used twice in the rule; give each variable its own name"),
                        start,
                        self.pos,
                    ));
                }
                if let Some(Part::Variable { .. }) = parts.last() {
                    return Err(error(
                        "two variables follow each other with nothing between them; separate them with static text such as '/'",
                        start,
                        self.pos,
                    ));
                }
                names.push(name.clone());
                parts.push(Part::Variable { name, converter });
            } else if rest.starts_with('>') {
                return Err(error(
                    "unexpected '>' outside a variable; variables are written <converter:name>",
                    self.pos,
                    self.pos + 1,
                ));
            } else {
                let len = rest.find(['<', '>']).unwrap_or(rest.len());
                parts.push(Part::Static(rest[..len].to_string()));
                self.pos += len;
            }
        }
        let rule = Rule {
            source: self.source.to_string(),
            parts,
        };
        check_segments(&rule)?;
        Ok(rule)
    }

    /// Parses `<...>` starting at `self.pos`.
    fn variable(&mut self) -> Result<(String, Converter), RuleError> {
        let start = self.pos;
        let Some(close) = self.source[start..].find('>') else {
            return Err(error(
                "unclosed variable: add the closing '>'",
                start,
                self.source.len(),
            ));
        };
        let end = start + close + 1;
        let inner = &self.source[start + 1..end - 1];
        self.pos = end;
        if inner.contains('<') {
            return Err(error("unclosed variable: add the closing '>'", start, end));
        }
        let (spec, name) = match split_name(inner) {
            Some((spec, name)) => (Some(spec), name),
            None => (None, inner),
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(error("the variable has no name: write <converter:name>", start, end));
        }
        if !is_identifier(name) {
            return Err(error(
                format!(
                    "{name:?} is not a valid variable name: use letters, digits and '_', not starting with a digit"
                ),
                start,
                end,
            ));
        }
        let converter = match spec {
            None => Converter::String {
                minlength: 1,
                maxlength: None,
                length: None,
            },
            Some(spec) => parse_converter(spec.trim()).map_err(|message| error(message, start, end))?,
        };
        Ok((name.to_string(), converter))
    }
}

/// Splits `converter(args):name` at the `:` that is not inside the arguments.
fn split_name(inner: &str) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in inner.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, ':') if depth == 0 => return Some((&inner[..i], &inner[i + 1..])),
            _ => {}
        }
    }
    None
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// A converter argument value, as Werkzeug's Python-literal parser reads it.
#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Int(i128),
    Float(f64),
    Bool(bool),
    Str(String),
}

fn parse_converter(spec: &str) -> Result<Converter, String> {
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
            return Err(format!(
                "unknown converter {name:?}: use one of string, int, float, path, uuid or any"
            ));
        }
    };
    if let Some((key, _)) = keywords.iter().find(|(key, _)| !allowed.contains(&key.as_str())) {
        return Err(if allowed.is_empty() {
            format!("the {name} converter takes no keyword argument, found {key:?}")
        } else {
            format!(
                "the {name} converter has no argument {key:?}; it takes {}",
                allowed.join(", ")
            )
        });
    }
    if name != "any" && positional.len() > allowed.len() {
        return Err(format!("too many arguments for the {name} converter"));
    }
    // Positional arguments fill the keyword slots in order, as in Python.
    let mut values: Vec<(String, Arg)> = allowed
        .iter()
        .zip(positional.iter())
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    for (key, value) in keywords {
        if values.iter().any(|(k, _)| *k == key) {
            return Err(format!("argument {key:?} given twice to the {name} converter"));
        }
        values.push((key, value));
    }
    let get = |key: &str| values.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    Ok(match name {
        "string" | "default" => Converter::String {
            minlength: get("minlength")
                .map(|v| as_usize(v, "minlength"))
                .transpose()?
                .unwrap_or(1),
            maxlength: get("maxlength").map(|v| as_usize(v, "maxlength")).transpose()?,
            length: get("length").map(|v| as_usize(v, "length")).transpose()?,
        },
        "int" => Converter::Int {
            fixed_digits: get("fixed_digits")
                .map(|v| as_usize(v, "fixed_digits"))
                .transpose()?
                .unwrap_or(0),
            min: get("min").map(|v| as_int(v, "min")).transpose()?,
            max: get("max").map(|v| as_int(v, "max")).transpose()?,
            signed: get("signed")
                .map(|v| as_bool(v, "signed"))
                .transpose()?
                .unwrap_or(false),
        },
        "float" => Converter::Float {
            min: get("min").map(|v| as_float(v, "min")).transpose()?,
            max: get("max").map(|v| as_float(v, "max")).transpose()?,
            signed: get("signed")
                .map(|v| as_bool(v, "signed"))
                .transpose()?
                .unwrap_or(false),
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
        let keyword = item
            .split_once('=')
            .filter(|(key, _)| is_identifier(key.trim()) && !key.contains(['"', '\'']));
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

/// Checks what phial's router (matchit) can represent: one variable per path
/// segment, and a `path` variable only at the end of the rule.
fn check_segments(rule: &Rule) -> Result<(), RuleError> {
    let mut offset = 0;
    let mut last_segment_start: Option<usize> = None;
    let count = rule.parts.len();
    for (index, part) in rule.parts.iter().enumerate() {
        let part_len = match part {
            Part::Static(text) => {
                if text.contains('/') {
                    last_segment_start = None;
                }
                text.len()
            }
            Part::Variable { converter, .. } => {
                let len = variable_len(&rule.source, offset);
                if last_segment_start.is_some() {
                    return Err(error(
                        "only one variable is allowed per path segment; split them with '/'",
                        offset,
                        offset + len,
                    ));
                }
                last_segment_start = Some(offset);
                if *converter == Converter::Path && index + 1 != count {
                    return Err(error(
                        "a <path:...> variable must end the rule in phial; move it to the end",
                        offset,
                        offset + len,
                    ));
                }
                len
            }
        };
        offset += part_len;
    }
    Ok(())
}

fn variable_len(source: &str, offset: usize) -> usize {
    source[offset..].find('>').map_or(source.len() - offset, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string() -> Converter {
        Converter::String {
            minlength: 1,
            maxlength: None,
            length: None,
        }
    }

    fn var(name: &str, converter: Converter) -> Part {
        Part::Variable {
            name: name.into(),
            converter,
        }
    }

    #[test]
    fn static_rule_is_one_part() {
        let rule = Rule::parse("/login").unwrap();
        assert_eq!(rule.parts, vec![Part::Static("/login".into())]);
        assert!(!rule.has_trailing_slash());
        assert!(Rule::parse("/items/").unwrap().has_trailing_slash());
    }

    #[test]
    fn bare_variable_is_a_string() {
        let rule = Rule::parse("/user/<name>").unwrap();
        assert_eq!(rule.parts, vec![Part::Static("/user/".into()), var("name", string())]);
    }

    #[test]
    fn every_converter_parses() {
        let int = Converter::Int {
            fixed_digits: 0,
            min: None,
            max: None,
            signed: false,
        };
        assert_eq!(Rule::parse("/<int:id>").unwrap().parts[1], var("id", int));
        assert!(matches!(
            Rule::parse("/<float:x>").unwrap().parts[1],
            Part::Variable {
                converter: Converter::Float { .. },
                ..
            }
        ));
        assert_eq!(Rule::parse("/f/<path:p>").unwrap().parts[1], var("p", Converter::Path));
        assert_eq!(Rule::parse("/<uuid:u>").unwrap().parts[1], var("u", Converter::Uuid));
        assert_eq!(Rule::parse("/<string:s>").unwrap().parts[1], var("s", string()));
        assert_eq!(Rule::parse("/<default:s>").unwrap().parts[1], var("s", string()));
    }

    #[test]
    fn converter_arguments_in_python_syntax() {
        let rule = Rule::parse("/<int(signed=True):n>").unwrap();
        assert_eq!(
            rule.parts[1],
            var(
                "n",
                Converter::Int {
                    fixed_digits: 0,
                    min: None,
                    max: None,
                    signed: true
                }
            )
        );
        let rule = Rule::parse("/<int(fixed_digits=4, min=1000, max=2999):year>").unwrap();
        assert_eq!(
            rule.parts[1],
            var(
                "year",
                Converter::Int {
                    fixed_digits: 4,
                    min: Some(1000),
                    max: Some(2999),
                    signed: false
                }
            )
        );
        let rule = Rule::parse("/<string(length=2):code>").unwrap();
        assert_eq!(
            rule.parts[1],
            var(
                "code",
                Converter::String {
                    minlength: 1,
                    maxlength: None,
                    length: Some(2)
                }
            )
        );
        let rule = Rule::parse("/<string(2, 5):s>").unwrap();
        assert_eq!(
            rule.parts[1],
            var(
                "s",
                Converter::String {
                    minlength: 2,
                    maxlength: Some(5),
                    length: None
                }
            )
        );
        let rule = Rule::parse(r#"/<any(about, "help", 'x,y'):page>"#).unwrap();
        assert_eq!(
            rule.parts[1],
            var(
                "page",
                Converter::Any(vec!["about".into(), "help".into(), "x,y".into()])
            )
        );
    }

    #[test]
    fn mistakes_are_explained() {
        let cases = [
            ("login", "must start with a slash"),
            ("/<int:id", "unclosed variable"),
            ("/<int:>", "has no name"),
            ("/<int:1d>", "not a valid variable name"),
            ("/<integer:id>", "unknown converter \"integer\""),
            ("/<int(size=3):id>", "has no argument \"size\""),
            ("/<int(signed=yes):id>", "signed must be True or False"),
            ("/<a>/<a>", "used twice"),
            ("/<a><b>", "follow each other"),
            ("/<a>-<b>", "one variable is allowed per path segment"),
            ("/<path:p>/edit", "must end the rule"),
            ("/<any:v>", "needs at least one value"),
            ("/a>b", "unexpected '>'"),
            ("/<path(x=1):p>", "takes no keyword argument"),
        ];
        for (rule, expected) in cases {
            let err = Rule::parse(rule).unwrap_err();
            assert!(err.message.contains(expected), "{rule}: {}", err.message);
        }
    }

    #[test]
    fn error_spans_point_at_the_variable() {
        let err = Rule::parse("/users/<integer:id>").unwrap_err();
        assert_eq!(err.span, (7, 19));
    }

    #[test]
    fn int_converter_follows_werkzeug() {
        let int = |signed| Converter::Int {
            fixed_digits: 0,
            min: None,
            max: None,
            signed,
        };
        assert!(int(false).accepts("007"));
        assert!(int(false).accepts("123456789012345678901234567890"));
        for bad in ["-5", "+5", "5.0", "", "٣", "1 "] {
            assert!(!int(false).accepts(bad), "{bad:?}");
        }
        assert!(int(true).accepts("-5"));
        assert!(!int(true).accepts("-"));
        let year = Converter::Int {
            fixed_digits: 4,
            min: Some(1000),
            max: Some(2999),
            signed: false,
        };
        assert!(year.accepts("2024"));
        assert!(!year.accepts("999"));
        assert!(!year.accepts("3000"));
    }

    #[test]
    fn float_converter_requires_a_dot() {
        let float = |signed| Converter::Float {
            min: None,
            max: None,
            signed,
        };
        assert!(float(false).accepts("1.5"));
        for bad in ["1", ".5", "1.", "-1.5", "1e5", "1.5.2"] {
            assert!(!float(false).accepts(bad), "{bad:?}");
        }
        assert!(float(true).accepts("-1.5"));
    }

    #[test]
    fn string_path_uuid_and_any() {
        assert!(string().accepts("a b"));
        assert!(!string().accepts("a/b"));
        assert!(!string().accepts(""));
        let two = Converter::String {
            minlength: 1,
            maxlength: None,
            length: Some(2),
        };
        assert!(two.accepts("éa") && !two.accepts("abc"));
        assert!(Converter::Path.accepts("a/b/c"));
        assert!(!Converter::Path.accepts(""));
        assert!(Converter::Uuid.accepts("12345678-1234-5678-1234-56789ABCDEF0"));
        assert!(!Converter::Uuid.accepts("12345678123456781234567812345678"));
        let any = Converter::Any(vec!["a".into(), "b".into()]);
        assert!(any.accepts("a") && !any.accepts("c"));
    }

    #[test]
    fn weights_follow_flask_precedence() {
        assert!(Converter::Uuid.weight() < string().weight());
        assert!(string().weight() < Converter::Path.weight());
    }
}
