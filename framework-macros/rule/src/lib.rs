//! Flask's URL rule syntax: parsing and validating rules such as `/user/<int:id>`.
//!
//! This crate is the one rule parser of [phial](https://docs.rs/phial): the
//! framework matches requests with it at run time, and `phial-macros` runs it at
//! compile time, so that a route attribute refuses a bad rule with exactly the
//! message the runtime would give. It depends on `std` only. Apps use it through
//! `phial::routing::rule`.
//!
//! A rule is a list of [`Part`]s: static text and variables. A variable is written
//! `<name>` (a `string`) or `<converter:name>`, optionally with arguments in Python
//! call syntax: `<int(signed=True):n>`, `<string(length=2):code>`, `<any(a, b):v>`.
//!
//! ```
//! use phial_rule::{Converter, Part, Rule};
//!
//! let rule = Rule::parse("/user/<int:id>").unwrap();
//! assert_eq!(rule.parts[0], Part::Static("/user/".into()));
//! assert!(matches!(rule.parts[1], Part::Variable { ref name, converter: Converter::Int { .. } } if name == "id"));
//! let error = Rule::parse("/user/<nope:id>").unwrap_err();
//! println!("{error}"); // what is wrong, and how to fix it
//! assert!(error.span.0 > 0, "the byte range of the mistake");
//! ```

use std::fmt;

mod converter_args;

use converter_args::parse_converter;

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
            Converter::String { minlength, maxlength, length } => {
                if raw.contains('/') {
                    return false;
                }
                let chars = raw.chars().count();
                match length {
                    Some(exact) => chars == *exact,
                    None => chars >= (*minlength).max(1) && maxlength.is_none_or(|max| chars <= max),
                }
            }
            Converter::Int { fixed_digits, min, max, signed } => {
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
    RuleError { message: message.into(), span: (start, end) }
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
        let rule = Rule { source: self.source.to_string(), parts };
        check_segments(&rule)?;
        Ok(rule)
    }

    /// Parses `<...>` starting at `self.pos`.
    fn variable(&mut self) -> Result<(String, Converter), RuleError> {
        let start = self.pos;
        let Some(close) = self.source[start..].find('>') else {
            return Err(error("unclosed variable: add the closing '>'", start, self.source.len()));
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
            None => Converter::String { minlength: 1, maxlength: None, length: None },
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
mod tests;
