//! `url_for`: building URLs from endpoint names, as Flask does.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::rule::{Converter, Part, Rule};

/// Characters escaped in a path segment (as Werkzeug's `url_quote` with `safe="/:"`
/// minus `/`, which only the `path` converter keeps).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/');
const PATH: &AsciiSet = &SEGMENT.remove(b'/');

/// Percent-encodes a decoded path for a `Location` header, keeping its slashes.
pub(crate) fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
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
                if !converter.accepts(value) {
                    return Err(format!(
                        "value {value:?} for variable {name:?} does not fit the {} converter of rule {:?}",
                        converter.name(),
                        rule.source
                    ));
                }
                let set = if *converter == Converter::Path { PATH } else { SEGMENT };
                url.extend(utf8_percent_encode(value, set));
            }
        }
    }
    let variables: Vec<&str> = rule.variables().map(|(name, _)| name).collect();
    let extra: Vec<&(String, String)> = values.iter().filter(|(k, _)| !variables.contains(&k.as_str())).collect();
    if !extra.is_empty() {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in extra {
            query.append_pair(key, value);
        }
        url.push('?');
        url.push_str(&query.finish());
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
