//! Tests of the rule parser and the converters.

use super::*;

fn string() -> Converter {
    Converter::String { minlength: 1, maxlength: None, length: None }
}

fn var(name: &str, converter: Converter) -> Part {
    Part::Variable { name: name.into(), converter }
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
    let int = Converter::Int { fixed_digits: 0, min: None, max: None, signed: false };
    assert_eq!(Rule::parse("/<int:id>").unwrap().parts[1], var("id", int));
    assert!(matches!(
        Rule::parse("/<float:x>").unwrap().parts[1],
        Part::Variable { converter: Converter::Float { .. }, .. }
    ));
    assert_eq!(Rule::parse("/f/<path:p>").unwrap().parts[1], var("p", Converter::Path));
    assert_eq!(Rule::parse("/<uuid:u>").unwrap().parts[1], var("u", Converter::Uuid));
    assert_eq!(Rule::parse("/<string:s>").unwrap().parts[1], var("s", string()));
    assert_eq!(Rule::parse("/<default:s>").unwrap().parts[1], var("s", string()));
}

#[test]
fn converter_arguments_in_python_syntax() {
    let rule = Rule::parse("/<int(signed=True):n>").unwrap();
    assert_eq!(rule.parts[1], var("n", Converter::Int { fixed_digits: 0, min: None, max: None, signed: true }));
    let rule = Rule::parse("/<int(fixed_digits=4, min=1000, max=2999):year>").unwrap();
    assert_eq!(
        rule.parts[1],
        var("year", Converter::Int { fixed_digits: 4, min: Some(1000), max: Some(2999), signed: false })
    );
    let rule = Rule::parse("/<string(length=2):code>").unwrap();
    assert_eq!(rule.parts[1], var("code", Converter::String { minlength: 1, maxlength: None, length: Some(2) }));
    let rule = Rule::parse("/<string(2, 5):s>").unwrap();
    assert_eq!(rule.parts[1], var("s", Converter::String { minlength: 2, maxlength: Some(5), length: None }));
    let rule = Rule::parse(r#"/<any(about, "help", 'x,y'):page>"#).unwrap();
    assert_eq!(rule.parts[1], var("page", Converter::Any(vec!["about".into(), "help".into(), "x,y".into()])));
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
    let int = |signed| Converter::Int { fixed_digits: 0, min: None, max: None, signed };
    assert!(int(false).accepts("007"));
    assert!(int(false).accepts("123456789012345678901234567890"));
    for bad in ["-5", "+5", "5.0", "", "٣", "1 "] {
        assert!(!int(false).accepts(bad), "{bad:?}");
    }
    assert!(int(true).accepts("-5"));
    assert!(!int(true).accepts("-"));
    let year = Converter::Int { fixed_digits: 4, min: Some(1000), max: Some(2999), signed: false };
    assert!(year.accepts("2024"));
    assert!(!year.accepts("999"));
    assert!(!year.accepts("3000"));
}

#[test]
fn float_converter_requires_a_dot() {
    let float = |signed| Converter::Float { min: None, max: None, signed };
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
    let two = Converter::String { minlength: 1, maxlength: None, length: Some(2) };
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
