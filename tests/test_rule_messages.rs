//! Every rule lives once, in the rules crate: its message is spelled in
//! `rules/src` and nowhere else in the workspace's source. The derive, the
//! code it generates and the runtime report a rule through its typed error
//! (`NameError`, `LabelError`, `BucketError`), so a message spelled a second
//! time would be a second copy of the rule, free to drift.

use std::fs;
use std::path::{Path, PathBuf};

use metric_group::rules::{BucketError, LabelError, Lint, NameError};

/// The workspace's Rust sources (not `target`, not the generated
/// expectations under `tests/ui` and `snapshots`, which show messages as
/// reported).
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source directory") {
        let path = entry.expect("directory entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !matches!(name, "target" | ".git" | "ui" | "snapshots")
                && !name.starts_with("target")
            {
                sources(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// The rule texts: each error's message (the name syntaxes among them) and
/// each lint's description.
fn rule_texts() -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    texts.extend(NameError::ALL.iter().map(|e| e.message().to_owned()));
    texts.extend(LabelError::ALL.iter().map(|e| e.message().to_owned()));
    texts.extend(BucketError::ALL.iter().map(|e| e.message().to_owned()));
    texts.extend(Lint::ALL.iter().map(|lint| lint.description().to_owned()));
    // The name syntaxes alone, taken from the messages that state them.
    for message in [NameError::Syntax.message(), LabelError::Syntax.message()] {
        let (_, syntax) = message.split_once("expected ").expect("a syntax");
        texts.push(syntax.to_owned());
    }
    texts
}

#[test]
fn no_rule_message_is_spelled_outside_the_rules_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(root, &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("rules/src/names.rs")),
        "the walk reaches the rules crate"
    );
    let rules_dir = root.join("rules").join("src");
    let mut found_in_rules = vec![0usize; rule_texts().len()];
    let mut copies = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("readable source");
        // Messages are written as Rust string literals: compare escaped.
        let text = text.replace("\\\"", "\"");
        for (i, rule) in rule_texts().iter().enumerate() {
            let count = text.matches(rule.as_str()).count();
            if file.starts_with(&rules_dir) {
                found_in_rules[i] += count;
            } else if count > 0 {
                copies.push(format!("{}: {rule:?}", file.display()));
            }
        }
    }
    assert!(
        copies.is_empty(),
        "rule messages spelled outside rules/src:\n{}",
        copies.join("\n")
    );
    for (rule, count) in rule_texts().iter().zip(found_in_rules) {
        assert!(count >= 1, "{rule:?} is not in rules/src as written");
    }
}
