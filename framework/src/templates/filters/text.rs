//! Jinja2's string filters, with Python's string methods underneath.

use minijinja::value::{Kwargs, Rest, Value};
use minijinja::{AutoEscape, Error, State};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{Params, int_arg};
use crate::templates::escape::escape_html;
use crate::templates::python_str::python_str;

/// `title`: each word's first character upper case, the rest lower case; words
/// begin after whitespace, `-`, `(`, `{`, `[` and `<` (not after `'` or `_`).
pub(super) fn title(value: Value) -> String {
    let text = python_str(&value);
    let mut titled = String::with_capacity(text.len());
    let mut word_start = true;
    for ch in text.chars() {
        let separator = ch.is_whitespace() || matches!(ch, '-' | '(' | '{' | '[' | '<');
        if separator {
            titled.push(ch);
        } else if word_start {
            titled.extend(ch.to_uppercase());
        } else {
            titled.extend(ch.to_lowercase());
        }
        word_start = separator;
    }
    titled
}

/// `replace(old, new, count=None)`: Python's `str.replace`; in an autoescaped
/// template a safe string stays safe and what goes into it is escaped.
pub(super) fn replace(state: &State, value: Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let params = Params::new("replace", args, kwargs);
    let old = params.get(0, "old")?.ok_or_else(|| params.error("missing argument 'old'"))?;
    let new = params.get(1, "new")?.ok_or_else(|| params.error("missing argument 'new'"))?;
    let count = int_arg(params.get(2, "count")?.filter(|count| !count.is_none()), -1)?;
    params.finish(3)?;
    let replace = |text: &str, old: &str, new: &str| match usize::try_from(count) {
        Ok(count) => text.replacen(old, new, count),
        Err(_) => text.replace(old, new),
    };
    let autoescape = state.auto_escape() != AutoEscape::None;
    let as_markup = autoescape && (value.is_safe() || old.is_safe() || new.is_safe());
    if !as_markup {
        return Ok(Value::from(replace(&python_str(&value), &python_str(&old), &python_str(&new))));
    }
    let markup = |value: &Value| if value.is_safe() { python_str(value) } else { escape_html(&python_str(value)) };
    Ok(Value::from_safe_string(replace(&markup(&value), &markup(&old), &markup(&new))))
}

/// `truncate(length=255, killwords=False, end='...', leeway=5)`: longer than
/// `length + leeway` characters, cut to `length` with `end`, at the last space
/// unless `killwords`.
pub(super) fn truncate(value: Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let params = Params::new("truncate", args, kwargs);
    let length = int_arg(params.get(0, "length")?, 255)?;
    let killwords = params.get(1, "killwords")?.is_some_and(|kill| kill.is_true());
    let end = params.get(2, "end")?.unwrap_or_else(|| Value::from("..."));
    let leeway = int_arg(params.get(3, "leeway")?.filter(|leeway| !leeway.is_none()), 5)?;
    params.finish(4)?;
    let end_text = python_str(&end);
    let end_length = end_text.chars().count() as i64;
    if length < end_length {
        return Err(params.error(format!("expected length >= {end_length}, got {length}")));
    }
    if leeway < 0 {
        return Err(params.error(format!("expected leeway >= 0, got {leeway}")));
    }
    let text = python_str(&value);
    if text.chars().count() as i64 <= length + leeway {
        return Ok(value);
    }
    let kept: String = text.chars().take((length - end_length) as usize).collect();
    let kept = match (killwords, kept.rfind(' ')) {
        (false, Some(space)) => kept[..space].to_string(),
        _ => kept,
    };
    if value.is_safe() {
        let end = if end.is_safe() { end_text } else { escape_html(&end_text) };
        return Ok(Value::from_safe_string(kept + &end));
    }
    Ok(Value::from(kept + &end_text))
}

/// `striptags`: comments and tags removed, whitespace runs made one space, then
/// HTML entities unescaped (MarkupSafe's `Markup.striptags`).
pub(super) fn striptags(value: Value) -> String {
    let mut text = python_str(&value);
    for (open, close) in [("<!--", "-->"), ("<", ">")] {
        while let Some(start) = text.find(open) {
            let Some(end) = text[start..].find(close) else { break };
            text.replace_range(start..start + end + close.len(), "");
        }
    }
    let collapsed = text.split(is_python_whitespace).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ");
    htmlize::unescape(collapsed).into_owned()
}

/// `wordcount`: how many runs of word characters (`\w+`) the text has.
pub(super) fn wordcount(value: Value) -> usize {
    let text = python_str(&value);
    text.split(|ch: char| !(ch.is_alphanumeric() || ch == '_')).filter(|word| !word.is_empty()).count()
}

/// `center(width=80)`: Python's `str.center`, the odd space on the left when the
/// width is odd.
pub(super) fn center(value: Value, args: Rest<Value>, kwargs: Kwargs) -> Result<String, Error> {
    let params = Params::new("center", args, kwargs);
    let width = int_arg(params.get(0, "width")?, 80)?;
    params.finish(1)?;
    let text = python_str(&value);
    let length = text.chars().count() as i64;
    if width <= length {
        return Ok(text);
    }
    let margin = width - length;
    let left = margin / 2 + (margin & width & 1);
    Ok(format!("{}{text}{}", " ".repeat(left as usize), " ".repeat((margin - left) as usize)))
}

/// `indent(width=4, first=False, blank=False)`: every line but the first (or every
/// line, with `first`) indented by `width` spaces, or by `width` when it is a
/// string; blank lines only with `blank`.
pub(super) fn indent(value: Value, args: Rest<Value>, kwargs: Kwargs) -> Result<Value, Error> {
    let params = Params::new("indent", args, kwargs);
    let width = params.get(0, "width")?;
    let first = params.get(1, "first")?.is_some_and(|first| first.is_true());
    let blank = params.get(2, "blank")?.is_some_and(|blank| blank.is_true());
    params.finish(3)?;
    // Added as it is, also to a safe string (Jinja2 joins it into Markup unescaped).
    let indentation = match width {
        Some(width) if width.as_str().is_some() => python_str(&width),
        width => " ".repeat(int_arg(width, 4)?.max(0) as usize),
    };
    let text = python_str(&value) + "\n";
    let lines = python_splitlines(&text);
    let mut indented = String::with_capacity(text.len());
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            indented.push('\n');
        }
        let indent_this = if index == 0 { first } else { blank || !line.is_empty() };
        if indent_this {
            indented.push_str(&indentation);
        }
        indented.push_str(line);
    }
    Ok(if value.is_safe() { Value::from_safe_string(indented) } else { Value::from(indented) })
}

/// Python's `str.splitlines()`: split at every line boundary Python knows.
fn python_splitlines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let Some(at) = rest.find(is_line_boundary) else {
            lines.push(rest);
            break;
        };
        lines.push(&rest[..at]);
        let boundary =
            if rest[at..].starts_with("\r\n") { 2 } else { rest[at..].chars().next().map_or(1, char::len_utf8) };
        rest = &rest[at + boundary..];
    }
    lines
}

fn is_line_boundary(ch: char) -> bool {
    matches!(ch, '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Python's `str.isspace()`: Unicode whitespace and the four separator controls.
fn is_python_whitespace(ch: char) -> bool {
    ch.is_whitespace() || matches!(ch, '\x1c'..='\x1f')
}

/// What `urllib.parse.quote` leaves alone: letters, digits and `_.-~`.
const QUOTED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'_').remove(b'.').remove(b'-').remove(b'~');

/// `quote`'s default: the same, with `/` left alone too.
const QUOTED_PATH: &AsciiSet = &QUOTED.remove(b'/');

/// `urlencode`: a string (or any single value) quoted for a URL path, `/` kept; a
/// dict or a sequence of pairs as a query string, `+` for a space.
pub(super) fn urlencode(value: Value) -> Result<String, Error> {
    if value.as_str().is_some() || !(value.kind() == minijinja::value::ValueKind::Map || value.try_iter().is_ok()) {
        return Ok(utf8_percent_encode(&python_str(&value), QUOTED_PATH).to_string());
    }
    let quote = |value: &Value| utf8_percent_encode(&python_str(value), QUOTED).to_string().replace("%20", "+");
    let mut pairs = Vec::new();
    for item in value.try_iter()? {
        let (key, item_value) = if value.kind() == minijinja::value::ValueKind::Map {
            let item_value = value.get_item(&item)?;
            (item, item_value)
        } else {
            (item.get_item(&Value::from(0))?, item.get_item(&Value::from(1))?)
        };
        pairs.push(format!("{}={}", quote(&key), quote(&item_value)));
    }
    Ok(pairs.join("&"))
}

/// `string`: `str(value)`, a safe value kept safe.
pub(super) fn string(value: Value) -> Value {
    if value.is_safe() { value } else { Value::from(python_str(&value)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitlines_knows_pythons_line_boundaries() {
        assert_eq!(python_splitlines("a\nb\r\nc\rd\u{2028}e\n"), ["a", "b", "c", "d", "e"]);
        assert_eq!(python_splitlines("a\n\nb\n"), ["a", "", "b"]);
    }

    #[test]
    fn title_starts_words_after_jinjas_separators_only() {
        assert_eq!(title(Value::from("hello wORLD foo-bar o'neil x_y (ab)")), "Hello World Foo-Bar O'neil X_y (Ab)");
    }

    #[test]
    fn striptags_drops_comments_before_tags() {
        assert_eq!(striptags(Value::from("a<!-- <b> -->b <i>c</i>\n\n&lt;d&gt; &eacute;")), "ab c <d> é");
    }
}
