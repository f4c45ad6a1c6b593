//! `url_for`: building URLs from endpoint names, as Flask does.

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

use super::rule::{Converter, Part, Rule};

/// What a decoded request path escapes again for a `Location` header (slashes kept).
const PATH: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}');

/// What a variable's value keeps when built into a URL (Werkzeug's converters quote
/// with `safe="!$&'()*+,/:;=@"`, on top of the unreserved `-._~`).
const BUILT_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b'/')
    .remove(b':')
    .remove(b';')
    .remove(b'=')
    .remove(b'@');

/// What a query value keeps (Python's `urlencode` with `safe="!$'()*,/:;?@"`: a
/// value's characters less `&`, `+` and `=`, plus `?`; a space becomes `+`).
const QUERY: &AsciiSet = &BUILT_VALUE.add(b'&').add(b'+').add(b'=').remove(b'?');

/// What an anchor keeps (Werkzeug quotes it with `safe="%!#$&'()*+,/:;=?@"`).
const ANCHOR: &AsciiSet = &BUILT_VALUE.remove(b'%').remove(b'#').remove(b'?');

/// Percent-encodes a decoded path for a `Location` header, keeping its slashes.
pub(crate) fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// `#anchor`, quoted as Flask quotes it.
pub(crate) fn anchor(anchor: &str) -> String {
    format!("#{}", utf8_percent_encode(anchor, ANCHOR))
}

/// One query value (or key) as Python's `urlencode` writes it.
fn query_part(text: &str) -> String {
    utf8_percent_encode(text, QUERY).to_string().replace("%20", "+")
}

/// Builds the path of `rule` from `values`; values that are not variables of the rule
/// become the query string. Errors name the variable that is missing or that its
/// converter refuses.
pub(crate) fn build(rule: &Rule, values: &[(String, String)]) -> Result<String, String> {
    let mut url = String::with_capacity(rule.source.len() + 16);
    for part in &rule.parts {
        match part {
            Part::Static(text) => url.push_str(text),
            Part::Variable { name, converter } => {
                let Some((_, value)) = values.iter().find(|(k, _)| k == name) else {
                    return Err(format!("missing value for variable {name:?} of rule {:?}", rule.source));
                };
                // Werkzeug builds a `path` value as it is (`/x` too); other converters check theirs.
                if *converter != Converter::Path && !converter.accepts(value) {
                    return Err(format!(
                        "value {value:?} for variable {name:?} does not fit the {} converter of rule {:?}",
                        converter.name(),
                        rule.source
                    ));
                }
                url.extend(utf8_percent_encode(value, BUILT_VALUE));
            }
        }
    }
    let variables: Vec<&str> = rule.variables().map(|(name, _)| name).collect();
    let extra: Vec<&(String, String)> = values.iter().filter(|(k, _)| !variables.contains(&k.as_str())).collect();
    for (index, (key, value)) in extra.into_iter().enumerate() {
        url.push(if index == 0 { '?' } else { '&' });
        url.push_str(&query_part(key));
        url.push('=');
        url.push_str(&query_part(value));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(values: &[(&str, &str)]) -> Vec<(String, String)> {
        values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn variables_are_filled_and_extras_become_the_query() {
        let rule = Rule::parse("/user/<int:id>/<path:rest>").unwrap();
        let url = build(&rule, &pairs(&[("id", "5"), ("rest", "a b/c"), ("q", "x y")])).unwrap();
        assert_eq!(url, "/user/5/a%20b/c?q=x+y");
    }

    #[test]
    fn missing_or_unconvertible_values_are_errors() {
        let rule = Rule::parse("/user/<int:id>").unwrap();
        assert!(build(&rule, &[]).unwrap_err().contains("missing value for variable \"id\""));
        assert!(build(&rule, &pairs(&[("id", "x")])).unwrap_err().contains("int converter"));
        let name = Rule::parse("/n/<name>").unwrap();
        assert!(build(&name, &pairs(&[("name", "a/b")])).unwrap_err().contains("string converter"));
    }
}
