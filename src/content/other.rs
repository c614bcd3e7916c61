//! Topic intros, entity profiles and standalone pages: front matter -> validated types.
//! Like briefings, each file reports all its problems at once.

use super::prose::{self, Prose};
use super::raw::{RawAuthor, RawEntity, RawPage, RawTopic};
use super::{At, AuthorProfile, EntityProfile, Page, SourceFile, TopicIntro, file_stem};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::text::{is_valid_slug, slugify};
use crate::yaml;

/// The file stem as a slug and the language it is written in: `<slug>.md` for the site's
/// main language, `<slug>.<code>.md` for another; or an error naming the file.
fn stem_slug(file: &SourceFile<'_>, config: &Config, diags: &mut Diagnostics) -> (String, String) {
    let (stem, lang) = split_language(&file_stem(file.display), config);
    if let Some(d) = unknown_language(file, &stem, lang.as_deref(), config) {
        diags.push(d);
    } else if !is_valid_slug(&stem) {
        diags.push(
            Diagnostic::new(
                file.display,
                format!("the file name {stem:?} is not a valid slug"),
            )
            .help(format!(
                "rename it to `{}.md`: lowercase letters, digits and `-` only",
                slugify(&stem)
            )),
        );
    }
    let lang = lang.unwrap_or_else(|| config.languages[0].clone());
    (stem, lang)
}

/// A file named `<slug>.<code>.md` whose code looks like a language but is not one of the
/// site's: said so, with the two ways out, rather than blaming the slug.
pub(super) fn unknown_language(
    file: &SourceFile<'_>,
    stem: &str,
    lang: Option<&str>,
    config: &Config,
) -> Option<Diagnostic> {
    let (slug, code) = stem.rsplit_once('.').filter(|_| lang.is_none())?;
    let (language, region) = code.split_once('-').unwrap_or((code, ""));
    let looks_like_language = (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && region.chars().all(|c| c.is_ascii_alphanumeric());
    if !looks_like_language {
        return None;
    }
    let help = if config.is_multilingual() {
        format!(
            "this site's languages are {}: rename the file to `{slug}.md` or `{slug}.<language>.md`, or add `{code}` to `languages:` in site.yaml",
            config.languages.join(", ")
        )
    } else {
        format!(
            "this site is written in `{}` only: rename the file to `{slug}.md`, or list its languages in site.yaml, e.g. `languages: [{}, {code}]`",
            config.language, config.language
        )
    };
    Some(
        Diagnostic::new(
            file.display,
            format!("`{code}` in the file name is not one of this site's languages"),
        )
        .help(help),
    )
}

/// `ukraine.uk` -> (`ukraine`, Some(`uk`)) when `uk` is one of the site's languages.
pub(super) fn split_language(stem: &str, config: &Config) -> (String, Option<String>) {
    match stem.rsplit_once('.') {
        Some((slug, code)) if config.languages.iter().any(|c| c == code) => {
            (slug.to_string(), Some(code.to_string()))
        }
        _ => (stem.to_string(), None),
    }
}

/// The front matter (its defaults when empty), or `None` when it is broken: the problem is
/// recorded, the body is still checked, and required fields are not reported missing.
fn parse_yaml<T: serde::de::DeserializeOwned + Default>(
    file: &SourceFile<'_>,
    diags: &mut Diagnostics,
) -> Option<T> {
    if file.split.yaml.trim().is_empty() {
        return Some(T::default());
    }
    yaml::parse(file.split.yaml, file.origin())
        .map_err(|d| diags.push(d))
        .ok()
}

/// The rendered body, recording its problems.
fn body(file: &SourceFile<'_>, config: &Config, diags: &mut Diagnostics) -> Prose {
    prose::render(file, config, &[]).unwrap_or_else(|d| {
        diags.extend(d);
        Prose::default()
    })
}

pub fn topic(file: &SourceFile<'_>, config: &Config) -> Result<TopicIntro, Diagnostics> {
    let mut diags = Diagnostics::default();
    let raw: RawTopic = parse_yaml(file, &mut diags).unwrap_or_default();
    let (slug, lang) = stem_slug(file, config, &mut diags);
    let prose = body(file, config, &mut diags);
    diags.into_result(TopicIntro {
        path: file.display.to_path_buf(),
        slug,
        lang,
        title: (raw.title)
            .filter(|t| !t.trim().is_empty())
            .map(|t| crate::markdown::smart_text(&t)),
        summary: raw.summary.map(|s| crate::markdown::smart_text(&s)),
        prose,
    })
}

pub fn entity(
    file: &SourceFile<'_>,
    kind: &str,
    config: &Config,
) -> Result<EntityProfile, Diagnostics> {
    let mut diags = Diagnostics::default();
    if config.entity_kind(kind).is_none() {
        let known: Vec<&str> = config.entity_kinds.iter().map(|k| k.key.as_str()).collect();
        diags.push(
            Diagnostic::new(
                file.display,
                format!("`{kind}` is not an entity kind of this site"),
            )
            .help(format!(
                "move the file under content/entities/<kind>/ with one of: {}; or add `{kind}` to `entities:` in site.yaml",
                known.join(", ")
            )),
        );
    }
    let parsed: Option<RawEntity> = parse_yaml(file, &mut diags);
    let read = parsed.is_some();
    let raw = parsed.unwrap_or_default();
    let (slug, lang) = stem_slug(file, config, &mut diags);
    let name = match raw.name {
        Some(n) if !n.value.trim().is_empty() => n.value.trim().to_string(),
        _ if !read => String::new(),
        _ => {
            diags.push(
                file.at_front_matter("missing required field `name`")
                    .help("add the entity's display name, e.g. `name: Vladimir Putin`"),
            );
            String::new()
        }
    };
    let aliases = aliases(file, raw.aliases, &mut diags);
    let prose = body(file, config, &mut diags);
    diags.into_result(EntityProfile {
        path: file.display.to_path_buf(),
        kind: kind.to_string(),
        slug,
        lang,
        name,
        aliases,
        summary: raw.summary.map(|s| crate::markdown::smart_text(&s)),
        prose,
    })
}

/// An author profile: the name is required, links must be web addresses.
pub fn author(file: &SourceFile<'_>, config: &Config) -> Result<AuthorProfile, Diagnostics> {
    let mut diags = Diagnostics::default();
    let parsed: Option<RawAuthor> = parse_yaml(file, &mut diags);
    let read = parsed.is_some();
    let raw = parsed.unwrap_or_default();
    let (slug, lang) = stem_slug(file, config, &mut diags);
    let name =
        match raw.name {
            Some(n) if !n.value.trim().is_empty() => n.value.trim().to_string(),
            _ if !read => String::new(),
            _ => {
                diags.push(file.at_front_matter("missing required field `name`").help(
                    "add the author's name as bylines write it, e.g. `name: Olena Kovalenko`",
                ));
                String::new()
            }
        };
    let origin = file.origin();
    let mut links = Vec::new();
    for link in &raw.links {
        if crate::text::is_web(&link.value) && !link.value.trim().contains(char::is_whitespace) {
            links.push(link.value.trim().to_string());
        } else {
            diags.push(
                origin
                    .diag_at(
                        link,
                        format!("the link {:?} is not a web address", link.value),
                    )
                    .help("write each of `links:` as a full address starting with https://"),
            );
        }
    }
    let image = raw.image.as_ref().and_then(|i| {
        prose::locate(file, config, &i.value, &origin.diag_at(i, ""))
            .map_err(|d| diags.push(d))
            .ok()
    });
    let mut prose = body(file, config, &mut diags);
    for url in raw.links.iter().chain(&raw.image) {
        prose.add_external(origin, url);
    }
    diags.into_result(AuthorProfile {
        path: file.display.to_path_buf(),
        slug,
        lang,
        name,
        role: raw
            .role
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty()),
        links,
        image,
        prose,
    })
}

/// A profile's aliases; one with no letters or digits could never match a name.
fn aliases(
    file: &SourceFile<'_>,
    raw: Vec<yaml::Spanned<String>>,
    diags: &mut Diagnostics,
) -> Vec<At<String>> {
    let origin = file.origin();
    raw.into_iter()
        .map(|alias| {
            if slugify(&alias.value).is_empty() {
                diags.push(
                    origin
                        .diag_at(&alias, "this alias has no letters or digits")
                        .help("remove it or write the name out"),
                );
            }
            At::spanned(origin, &alias)
        })
        .collect()
}

/// A standalone page and whether it is a draft.
pub fn page(file: &SourceFile<'_>, config: &Config) -> Result<(Page, bool), Diagnostics> {
    let mut diags = Diagnostics::default();
    let parsed: Option<RawPage> = parse_yaml(file, &mut diags);
    let read = parsed.is_some();
    let raw = parsed.unwrap_or_default();
    let origin = file.origin();
    let title = match &raw.title {
        Some(t) if !t.value.trim().is_empty() => t.value.trim().to_string(),
        _ if !read => String::new(),
        _ => {
            diags.push(
                file.at_front_matter("missing required field `title`")
                    .help("add a line such as `title: About` to the front matter"),
            );
            String::new()
        }
    };
    let (stem, lang) = stem_slug(file, config, &mut diags);
    let slug = match &raw.slug {
        Some(s) => {
            if !is_valid_slug(&s.value) {
                diags.push(
                    origin
                        .diag_at(s, format!("invalid slug {:?}", s.value))
                        .help("a slug uses lowercase letters, digits and `-` only"),
                );
            }
            At::spanned(origin, s)
        }
        None => At {
            value: stem,
            place: Diagnostic::new(file.display, ""),
        },
    };
    let prose = body(file, config, &mut diags);
    diags.into_result((
        Page {
            path: file.display.to_path_buf(),
            slug,
            lang,
            title: crate::markdown::smart_text(&title),
            summary: raw.summary.map(|s| crate::markdown::smart_text(&s)),
            prose,
        },
        raw.draft,
    ))
}
