//! `rename_all` rules for `#[derive(LabelValue)]`, serde's names.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Snake,
    ScreamingSnake,
    Kebab,
    Camel,
    Pascal,
}

impl RenameRule {
    const ALL: [RenameRule; 7] = [
        RenameRule::Lower,
        RenameRule::Upper,
        RenameRule::Snake,
        RenameRule::ScreamingSnake,
        RenameRule::Kebab,
        RenameRule::Camel,
        RenameRule::Pascal,
    ];

    pub const NAMES: [&'static str; 7] = [
        "lowercase",
        "UPPERCASE",
        "snake_case",
        "SCREAMING_SNAKE_CASE",
        "kebab-case",
        "camelCase",
        "PascalCase",
    ];

    pub fn from_name(name: &str) -> Option<RenameRule> {
        let index = Self::NAMES.iter().position(|n| *n == name)?;
        Some(Self::ALL[index])
    }

    /// The variant `ident` renamed by this rule.
    pub fn apply(self, ident: &str) -> String {
        let lower: Vec<String> = words(ident).iter().map(|w| w.to_lowercase()).collect();
        let capitalised = || lower.iter().map(|w| capitalise(w));
        match self {
            RenameRule::Lower => ident.to_lowercase(),
            RenameRule::Upper => ident.to_uppercase(),
            RenameRule::Snake => lower.join("_"),
            RenameRule::ScreamingSnake => lower.join("_").to_uppercase(),
            RenameRule::Kebab => lower.join("-"),
            RenameRule::Camel => {
                lower.first().cloned().unwrap_or_default()
                    + &capitalised().skip(1).collect::<String>()
            }
            RenameRule::Pascal => capitalised().collect(),
        }
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// Splits `PrefillWorker` into `["Prefill", "Worker"]`.
fn words(ident: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in ident.chars() {
        if c == '_' {
            words.push(String::new());
        } else if c.is_uppercase() || words.is_empty() {
            words.push(c.to_string());
        } else if let Some(last) = words.last_mut() {
            last.push(c);
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

#[cfg(test)]
mod tests {
    use super::RenameRule;

    #[test]
    fn rename_rules() {
        let apply = |rule: &str, ident: &str| RenameRule::from_name(rule).unwrap().apply(ident);
        assert_eq!(apply("snake_case", "PrefillWorker"), "prefill_worker");
        assert_eq!(apply("kebab-case", "PrefillWorker"), "prefill-worker");
        assert_eq!(
            apply("SCREAMING_SNAKE_CASE", "PrefillWorker"),
            "PREFILL_WORKER"
        );
        assert_eq!(apply("camelCase", "PrefillWorker"), "prefillWorker");
        assert_eq!(apply("PascalCase", "PrefillWorker"), "PrefillWorker");
        assert_eq!(apply("lowercase", "PrefillWorker"), "prefillworker");
        assert_eq!(apply("UPPERCASE", "PrefillWorker"), "PREFILLWORKER");
        assert_eq!(apply("snake_case", "Decode"), "decode");
        assert_eq!(RenameRule::from_name("snake"), None);
    }
}
