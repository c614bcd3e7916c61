//! Every label a reader sees, in the site's language: the built-in theme's
//! `i18n/<lang>.yaml`, then the site's theme's, then the site's own, each over the one
//! before. Counted labels follow the language's plural rules; dates its month names and
//! order. Templates ask with `t(key=...)`; the renderer formats dates with `Locale`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};

use crate::content::Date;
use crate::diag::{Diagnostic, Diagnostics};
use crate::text::nearest;

macro_rules! languages {
    ($($code:literal),* $(,)?) => {
        &[$(($code, include_str!(concat!("../../themes/default/i18n/", $code, ".yaml")))),*]
    };
}

/// The languages the built-in theme speaks; `en` has every key there is.
pub const BUILT_IN: &[(&str, &str)] = languages!("en", "uk", "ru", "de", "fr", "es", "ar");

/// One label: plain text, a list (month names), or plural forms by category.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
enum Entry {
    Text(String),
    List(Vec<String>),
    Forms(BTreeMap<String, String>),
}

/// The labels of one language.
pub struct Locale {
    /// `en`, `uk`...: the first part of `language:` in site.yaml.
    pub code: String,
    /// Written right to left.
    pub rtl: bool,
    entries: HashMap<String, Entry>,
    rules: PluralRules,
    /// A hash of the translation files it was read from, so a build's cache can tell
    /// when labels changed.
    pub print: u64,
}

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locale").field("code", &self.code).finish()
    }
}

/// A translation file as read, for messages.
struct Layer {
    display: PathBuf,
    text: String,
}

impl Locale {
    /// The labels for `language` (`en`, `uk-UA`...), the built-in theme's with the files
    /// in `folders` (theme, then site) over them.
    pub fn load(language: &str, root: &Path, folders: &[PathBuf]) -> Result<Locale, Diagnostics> {
        let code = language
            .split(['-', '_'])
            .next()
            .unwrap_or("en")
            .to_ascii_lowercase();
        let mut layers = Vec::new();
        if let Some((_, text)) = BUILT_IN.iter().find(|(c, _)| *c == code) {
            layers.push(Layer {
                display: PathBuf::from(format!("(built-in theme) i18n/{code}.yaml")),
                text: (*text).to_string(),
            });
        }
        let mut diags = Diagnostics::default();
        for folder in folders {
            let path = folder.join(format!("{code}.yaml"));
            if !path.is_file() {
                continue;
            }
            let display = crate::diag::display_path(root, &path);
            match std::fs::read_to_string(&path) {
                Ok(text) => layers.push(Layer { display, text }),
                Err(e) => diags.push(
                    Diagnostic::new(display, format!("cannot read this translation: {e}"))
                        .help("translation files are UTF-8 YAML"),
                ),
            }
        }
        if layers.is_empty() {
            let known: Vec<&str> = BUILT_IN.iter().map(|(c, _)| *c).collect();
            diags.push(
                Diagnostic::new(
                    crate::config::CONFIG_FILE,
                    format!("there are no labels in the language `{code}`"),
                )
                .help(format!(
                    "the built-in theme speaks {}; for another language, add i18n/{code}.yaml with every key of the built-in en.yaml",
                    known.join(", ")
                )),
            );
            return Err(diags);
        }
        let entries = merge(&code, &layers, &mut diags);
        let rules = PluralRules::create(plural_language(&code), PluralRuleType::CARDINAL)
            .or_else(|_| PluralRules::create(plural_language("en"), PluralRuleType::CARDINAL));
        let Ok(rules) = rules else {
            return Err(diags);
        };
        let rtl = matches!(entries.get("direction"), Some(Entry::Text(d)) if d == "rtl");
        let print = crate::text::hash_of(
            (layers.iter())
                .map(|layer| (&layer.display, &layer.text))
                .collect::<Vec<_>>(),
        );
        diags.into_result(Locale {
            code,
            rtl,
            entries,
            rules,
            print,
        })
    }

    /// The label `key`, or the key itself if there is none (the files were checked).
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        match self.entries.get(key) {
            Some(Entry::Text(t)) => t,
            _ => key,
        }
    }

    /// Every plain label (no plural forms, no list) with its key.
    pub fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().filter_map(|(k, e)| match e {
            Entry::Text(t) => Some((k.as_str(), t.as_str())),
            _ => None,
        })
    }

    /// What entity kind `kind` is called: its label in site.yaml, or for a default kind
    /// left out of site.yaml, its name in this language.
    pub fn kind<'a>(&'a self, kind: &'a crate::config::EntityKind) -> &'a str {
        if kind.named {
            return &kind.label;
        }
        match self.entries.get(&format!("kind_{}", kind.key)) {
            Some(Entry::Text(t)) => t,
            _ => &kind.label,
        }
    }

    /// Label `key` with each `{name}` replaced by its value in `vars`.
    pub fn fill(&self, key: &str, vars: &[(&str, &str)]) -> String {
        fill(self.text(key), vars)
    }

    /// The form of counted label `key` for `n`, with `{n}` and `vars` filled in.
    pub fn count(&self, key: &str, n: usize, vars: &[(&str, &str)]) -> String {
        let form = match self.entries.get(key) {
            Some(Entry::Forms(forms)) => {
                let category = self.rules.select(n).unwrap_or(PluralCategory::OTHER);
                forms
                    .get(category_name(category))
                    .or_else(|| forms.get("other"))
                    .map_or(key, String::as_str)
            }
            Some(Entry::Text(t)) => t,
            _ => key,
        };
        let n = n.to_string();
        let mut all = vec![("n", n.as_str())];
        all.extend_from_slice(vars);
        fill(form, &all)
    }

    /// Every plural form of counted label `key` as JSON (`{"one": ..., "other": ...}`), for
    /// scripts that count on the page.
    pub fn forms_json(&self, key: &str) -> String {
        match self.entries.get(key) {
            Some(Entry::Forms(forms)) => serde_json::to_string(forms).unwrap_or_default(),
            Some(Entry::Text(t)) => serde_json::json!({ "other": t }).to_string(),
            _ => "{}".into(),
        }
    }

    /// A list of names as a sentence: "A, B and C".
    pub fn list(&self, names: &[&str]) -> String {
        match names {
            [] => String::new(),
            [one] => (*one).to_string(),
            [rest @ .., last] => format!("{} {} {last}", rest.join(", "), self.text("and")),
        }
    }

    fn month(&self, key: &str, month: i8) -> String {
        let at = usize::try_from(month).unwrap_or(0).wrapping_sub(1);
        match self.entries.get(key) {
            Some(Entry::List(months)) => months.get(at).cloned().unwrap_or_default(),
            _ => month.to_string(),
        }
    }

    /// "14 March 2025", "14 березня 2025", "14. März 2025".
    pub fn date(&self, d: &Date) -> String {
        self.day(d.year(), d.month(), d.day())
    }

    /// The day `day` of `month` (1-12) of `year`, as `date` writes it.
    pub fn day(&self, year: i16, month: i8, day: i8) -> String {
        let (day, year) = (day.to_string(), year.to_string());
        let month = self.month("months", month);
        self.fill("date", &[("day", &day), ("month", &month), ("year", &year)])
    }

    /// "March 2025", "березень 2025".
    pub fn month_year(&self, d: &Date) -> String {
        self.month_of(d.year(), d.month())
    }

    /// Month `month` (1-12) of `year`, as a heading names it.
    pub fn month_of(&self, year: i16, month: i8) -> String {
        let year = year.to_string();
        let month = self.month("months_standalone", month);
        self.fill("month_year", &[("month", &month), ("year", &year)])
    }

    /// "14 March 2025, 14:00 (UTC+3)"; the date alone when no time was written.
    pub fn date_time(&self, d: &Date) -> String {
        let Some(offset) = d.offset else {
            return self.date(d);
        };
        let time = format!("{:02}:{:02}", d.civil.hour(), d.civil.minute());
        let offset = self.offset(offset);
        let date = self.date(d);
        self.fill(
            "date_time",
            &[("date", &date), ("time", &time), ("offset", &offset)],
        )
    }

    /// "UTC", "UTC+3", "UTC−4", "UTC+5:30".
    fn offset(&self, offset: jiff::tz::Offset) -> String {
        let utc = self.text("utc");
        let seconds = offset.seconds();
        if seconds == 0 {
            return utc.to_string();
        }
        let sign = if seconds < 0 { '−' } else { '+' };
        let (h, m) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
        if m == 0 {
            format!("{utc}{sign}{h}")
        } else {
            format!("{utc}{sign}{h}:{m:02}")
        }
    }
}

fn plural_language(code: &str) -> unic_langid::LanguageIdentifier {
    code.parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default())
}

fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
}

/// `template` with each `{name}` of `vars` filled in.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The keys every language must have, with the kind of entry each is: the built-in en.
fn reference() -> BTreeMap<String, Entry> {
    BUILT_IN
        .iter()
        .find(|(c, _)| *c == "en")
        .and_then(|(_, text)| serde_saphyr::from_str(text).ok())
        .unwrap_or_default()
}

/// The layers' entries, each over the one before, checked against the reference: a key
/// no layer has, one the reference does not know, or one of the wrong kind is an error.
fn merge(code: &str, layers: &[Layer], diags: &mut Diagnostics) -> HashMap<String, Entry> {
    let reference = reference();
    let mut entries = HashMap::new();
    for layer in layers {
        let parsed: BTreeMap<String, Entry> = match serde_saphyr::from_str(&layer.text) {
            Ok(map) => map,
            Err(_) => {
                diags.push(
                    Diagnostic::new(&layer.display, "this translation file is not a list of `key: text` lines")
                        .help("write one `key: text` per line, a list `[...]` for months, and `one:`/`other:` under counted labels"),
                );
                continue;
            }
        };
        for (key, entry) in parsed {
            let place = line_of(&layer.text, &key).map_or_else(
                || Diagnostic::new(&layer.display, ""),
                |line| {
                    Diagnostic::new(&layer.display, "")
                        .at(&layer.text, line, 1)
                        .width(key.chars().count())
                },
            );
            match reference.get(&key) {
                None => {
                    let d = place.with_message(format!("unknown translation key `{key}`"));
                    diags.push(match nearest(&key, reference.keys().map(String::as_str)) {
                        Some(near) => d.help(format!("did you mean `{near}`?")),
                        None => d.help("the keys are those of the built-in theme's i18n/en.yaml"),
                    });
                }
                Some(expected) if !same_kind(expected, &entry) => diags.push(
                    place
                        .with_message(format!("`{key}` has the wrong shape for this key"))
                        .help(shape_help(expected)),
                ),
                Some(_) => {
                    entries.insert(key, entry);
                }
            }
        }
    }
    let last = layers.last().map(|l| l.display.clone()).unwrap_or_default();
    for key in reference.keys().filter(|k| !entries.contains_key(*k)) {
        diags.push(
            Diagnostic::new(
                &last,
                format!("the key `{key}` is missing from the `{code}` translation"),
            )
            .help(format!(
                "add `{key}:` with its {code} text; the built-in en.yaml shows what it says"
            )),
        );
    }
    entries
}

fn same_kind(a: &Entry, b: &Entry) -> bool {
    match (a, b) {
        (Entry::List(x), Entry::List(y)) => x.len() == y.len(),
        (Entry::Forms(_), Entry::Forms(forms)) => forms.contains_key("other"),
        (Entry::Text(_), Entry::Text(_)) => true,
        _ => false,
    }
}

fn shape_help(expected: &Entry) -> String {
    match expected {
        Entry::List(l) => format!(
            "it is a list of {} texts, e.g. [January, February, ...]",
            l.len()
        ),
        Entry::Forms(_) => "it has one text per plural form, at least `other:`".into(),
        Entry::Text(_) => "it is one text on the line: `key: text`".into(),
    }
}

/// The line where `key:` starts, counting from 1.
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_language_has_every_key() {
        for (code, _) in BUILT_IN {
            let locale = Locale::load(code, Path::new(""), &[]);
            assert!(
                locale.is_ok(),
                "{code}: {}",
                locale.err().map(|d| d.to_string()).unwrap_or_default()
            );
        }
    }

    #[test]
    fn dates_follow_the_language() {
        let d = Date::parse("2025-03-14T14:00:00+03:00").expect("date");
        let of = |code: &str| Locale::load(code, Path::new(""), &[]).expect(code);
        assert_eq!(of("en").date_time(&d), "14 March 2025, 14:00 (UTC+3)");
        assert_eq!(of("uk").date(&d), "14 березня 2025");
        assert_eq!(of("de").date(&d), "14. März 2025");
        assert_eq!(of("uk").month_year(&d), "березень 2025");
        let late = Date::parse("2025-03-14T09:30:00-04:30").expect("date");
        assert_eq!(of("en").date_time(&late), "14 March 2025, 09:30 (UTC−4:30)");
    }

    #[test]
    fn counted_labels_follow_plural_rules() {
        let uk = Locale::load("uk", Path::new(""), &[]).expect("uk");
        let forms: Vec<String> = [1, 3, 5, 21]
            .iter()
            .map(|&n| uk.count("briefing_count", n, &[]))
            .collect();
        assert_eq!(
            forms,
            ["1 брифінг", "3 брифінги", "5 брифінгів", "21 брифінг"]
        );
    }
}
