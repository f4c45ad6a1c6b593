//! Tests of `config`.
use super::*;
use serde_json::json;

#[test]
fn from_mapping_keeps_only_uppercase_keys() {
    let mut config = Config::new();
    config.from_mapping([("SECRET_KEY", "x"), ("debug", "y"), ("Mixed", "z")]);
    assert_eq!(config.get("SECRET_KEY"), Some(&json!("x")));
    assert!(!config.contains_key("debug"));
    assert!(!config.contains_key("Mixed"));
}

#[test]
fn prefixed_env_parses_json_and_nests() {
    let mut config = Config::new();
    let vars = [
        ("PHIAL_PORT", "5"),
        ("PHIAL_DEBUG", "true"),
        ("PHIAL_LIST", "[1,2]"),
        ("PHIAL_NAME", "plain text"),
        ("PHIAL_NESTED__X", "1"),
        ("PHIAL_NESTED__Y__Z", "\"s\""),
        ("OTHER_KEY", "1"),
    ];
    config.load_prefixed("PHIAL", vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
    assert_eq!(config.get("PORT"), Some(&json!(5)));
    assert_eq!(config.get("DEBUG"), Some(&json!(true)));
    assert_eq!(config.get("LIST"), Some(&json!([1, 2])));
    assert_eq!(config.get("NAME"), Some(&json!("plain text")));
    assert_eq!(config.get("NESTED"), Some(&json!({"X": 1, "Y": {"Z": "s"}})));
    assert!(!config.contains_key("KEY"));
}

#[test]
fn typed_getters_name_the_key_on_a_wrong_type() {
    let mut config = Config::new();
    config.set("A", "text").set("N", 3).set("F", 1.5).set("B", true);
    assert_eq!(config.get_int("N").unwrap(), Some(3));
    assert_eq!(config.get_f64("N").unwrap(), Some(3.0));
    assert_eq!(config.get_bool("B").unwrap(), Some(true));
    assert_eq!(config.get_str("MISSING").unwrap(), None);
    let err = config.get_int("A").unwrap_err().to_string();
    assert!(err.contains("A") && err.contains("must be an integer") && err.contains("a string"), "{err}");
    assert!(config.get_int("F").is_err());
}

#[test]
fn durations_and_expiries() {
    let mut config = Config::new();
    config
        .set("HOUR", Duration::from_secs(3600))
        .set("HALF", Duration::from_millis(500))
        .set("NEVER", false)
        .set("ZERO", 0)
        .set("BAD", "banana")
        .set("NEG", -1);
    assert_eq!(config.get("HOUR"), Some(&json!(3600)));
    assert_eq!(config.get_duration("HALF").unwrap(), Some(Duration::from_millis(500)));
    assert_eq!(config.get_expiry("HOUR").unwrap(), Some(Some(Duration::from_secs(3600))));
    assert_eq!(config.get_expiry("NEVER").unwrap(), Some(None));
    assert_eq!(config.get_expiry("ZERO").unwrap(), Some(None));
    assert!(config.get_expiry("BAD").unwrap_err().to_string().contains("BAD"));
    assert!(config.get_duration("NEG").is_err());
    assert!(config.set("T", true).get_expiry("T").is_err());
}

#[test]
fn string_lists_accept_a_single_string() {
    let mut config = Config::new();
    config.set("ONE", "headers").set("MANY", ["headers", "cookies"]).set("BAD", json!([1]));
    assert_eq!(config.get_str_list("ONE").unwrap(), Some(vec!["headers".to_string()]));
    assert_eq!(config.get_str_list("MANY").unwrap().unwrap().len(), 2);
    assert!(config.get_str_list("BAD").is_err());
}

#[test]
fn set_default_keeps_existing_values() {
    let mut config = Config::new();
    config.set("A", 1).set_default("A", 2).set_default("B", 3);
    assert_eq!(config.get_int("A").unwrap(), Some(1));
    assert_eq!(config.get_int("B").unwrap(), Some(3));
}
