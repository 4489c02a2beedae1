//! The catalogue is whole: every file parses, every message of the English
//! catalogue is in every other with the same variables and none besides,
//! and what comes out holds no isolation mark.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

use super::*;

/// The variables a pattern uses (`$n`), in its selectors and variants too.
fn variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, into);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, into: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, into);
            for variant in variants {
                variables(&variant.value, into);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, into),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, into: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, into),
        _ => {}
    }
}

/// Each message of `lang`'s catalogue with its variables.
fn catalogue(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let source = SOURCES[lang.index()];
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("locales/{}: {errors:?}", lang.tag()));
    let mut messages = BTreeMap::new();
    for entry in resource.body {
        if let ast::Entry::Message(message) = entry {
            let mut used = BTreeSet::new();
            if let Some(value) = &message.value {
                variables(value, &mut used);
            }
            let twice = messages.insert(message.id.name.to_owned(), used);
            assert!(
                twice.is_none(),
                "locales/{}: {} twice",
                lang.tag(),
                message.id.name
            );
        }
    }
    messages
}

#[test]
fn every_message_is_in_every_language_with_the_same_variables() {
    let english = catalogue(Lang::En);
    assert!(english.len() > 20, "{english:?}");
    for lang in [Lang::ZhCn, Lang::ZhTw] {
        let other = catalogue(lang);
        let missing: Vec<&String> = english
            .keys()
            .filter(|id| !other.contains_key(*id))
            .collect();
        let extra: Vec<&String> = other
            .keys()
            .filter(|id| !english.contains_key(*id))
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "locales/{}: missing {missing:?}, not in English {extra:?}",
            lang.tag()
        );
        for (id, used) in &english {
            assert_eq!(
                &other[id],
                used,
                "locales/{}: the variables of {id}",
                lang.tag()
            );
        }
    }
}

#[test]
fn messages_carry_their_arguments_plurals_and_no_isolation_marks() {
    assert_eq!(message_with(Lang::En, "items", "n", 1), "1 item");
    assert_eq!(message_with(Lang::En, "items", "n", 12), "12 items");
    assert_eq!(message_with(Lang::ZhCn, "items", "n", 1), "1 篇文章");
    assert_eq!(
        message_with(Lang::ZhTw, "family", "name", "標籤"),
        "依標籤訂閱"
    );
    for lang in Lang::ALL {
        for id in catalogue(Lang::En).keys() {
            let text = message_with(lang, id, "n", 3);
            assert!(!text.contains(['\u{2068}', '\u{2069}']), "{id}: {text:?}");
            assert_ne!(&text, id, "{}: {id} has no value", lang.tag());
        }
    }
}

#[test]
fn tags_choose_the_script_not_fluents_negotiation() {
    assert_eq!(Lang::of_tag("zh-Hant-TW"), Lang::ZhTw);
    assert_eq!(Lang::of_tag("zh-HK"), Lang::ZhTw);
    assert_eq!(Lang::of_tag("zh-Hans"), Lang::ZhCn);
    assert_eq!(Lang::of_tag("zh"), Lang::ZhCn);
    assert_eq!(Lang::of_tag("fr"), Lang::En);
}

#[test]
fn locales_and_tags_pick_a_language() {
    for (locale, lang) in [
        ("zh_CN.UTF-8", Lang::ZhCn),
        ("zh_SG", Lang::ZhCn),
        ("zh_TW.UTF-8", Lang::ZhTw),
        ("zh_HK", Lang::ZhTw),
        ("zh-Hant", Lang::ZhTw),
        ("en_US.UTF-8", Lang::En),
        ("C.UTF-8", Lang::En),
        ("de_DE@euro", Lang::En),
    ] {
        assert_eq!(Lang::of_locale(locale), lang, "{locale}");
    }
    assert_eq!(Lang::supported("zh-Hans"), Some(Lang::ZhCn));
    assert_eq!(Lang::supported("EN-gb"), Some(Lang::En));
    assert_eq!(Lang::supported("fr"), None);
}

#[test]
fn a_message_renders_in_each_language_with_its_arguments() {
    let inner = Message::new("warning").arg("message", "x");
    assert_eq!(inner.to_string(), "warning: x");
    assert_eq!(inner.render(Lang::ZhTw), "警告：x");
    // A message put into another is in the same language.
    let outer = Message::new("warning").arg("message", inner);
    assert_eq!(outer.render(Lang::ZhCn), "警告：警告：x");
    assert_eq!(
        Message::Text("as it is".into()).render(Lang::ZhCn),
        "as it is"
    );
}
