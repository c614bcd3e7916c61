//! Topic intros, entity profiles and standalone pages: front matter -> validated types.

use super::raw::{RawEntity, RawPage, RawTopic};
use super::{At, EntityProfile, Page, SourceFile, TopicIntro, file_stem};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::text::{is_valid_slug, slugify};
use crate::yaml;

/// The file stem as a slug, or an error naming the file.
fn stem_slug(file: &SourceFile<'_>) -> Result<String, Diagnostic> {
    let stem = file_stem(file.display);
    if is_valid_slug(&stem) {
        Ok(stem)
    } else {
        Err(Diagnostic::new(
            file.display,
            format!("the file name {stem:?} is not a valid slug"),
        )
        .help(format!(
            "rename it to `{}.md`: lowercase letters, digits and `-` only",
            slugify(&stem)
        )))
    }
}

fn parse_yaml<T: serde::de::DeserializeOwned + Default>(
    file: &SourceFile<'_>,
) -> Result<T, Diagnostic> {
    if file.split.yaml.trim().is_empty() {
        return Ok(T::default());
    }
    yaml::parse(file.split.yaml, file.origin())
}

pub fn topic(file: &SourceFile<'_>, config: &Config) -> Result<TopicIntro, Diagnostics> {
    let raw: RawTopic = parse_yaml(file)?;
    let slug = stem_slug(file)?;
    Ok(TopicIntro {
        path: file.display.to_path_buf(),
        slug,
        title: raw.title.filter(|t| !t.trim().is_empty()),
        summary: raw.summary,
        prose: crate::content::prose::render(file, config, &[])?,
    })
}

pub fn entity(
    file: &SourceFile<'_>,
    kind: &str,
    config: &Config,
) -> Result<EntityProfile, Diagnostics> {
    if config.entity_kind(kind).is_none() {
        let known: Vec<&str> = config.entity_kinds.iter().map(|k| k.key.as_str()).collect();
        return Err(Diagnostic::new(
            file.display,
            format!("`{kind}` is not an entity kind of this site"),
        )
        .help(format!(
            "move the file under content/entities/<kind>/ with one of: {}; or add `{kind}` to `entities:` in site.yaml",
            known.join(", ")
        ))
        .into());
    }
    let raw: RawEntity = parse_yaml(file)?;
    let slug = stem_slug(file)?;
    let origin = file.origin();
    let name = match raw.name {
        Some(n) if !n.value.trim().is_empty() => n.value.trim().to_string(),
        _ => {
            return Err(file
                .at_front_matter("missing required field `name`")
                .help("add the entity's display name, e.g. `name: Vladimir Putin`")
                .into());
        }
    };
    let mut diags = Diagnostics::default();
    let mut aliases = Vec::new();
    for alias in raw.aliases {
        if slugify(&alias.value).is_empty() {
            diags.push(
                origin
                    .diag_at(&alias, "this alias has no letters or digits")
                    .help("remove it or write the name out"),
            );
        }
        aliases.push(At::spanned(origin, &alias));
    }
    diags.into_result(EntityProfile {
        path: file.display.to_path_buf(),
        kind: kind.to_string(),
        slug,
        name,
        aliases,
        summary: raw.summary,
        prose: crate::content::prose::render(file, config, &[])?,
    })
}

/// A standalone page and whether it is a draft.
pub fn page(file: &SourceFile<'_>, config: &Config) -> Result<(Page, bool), Diagnostics> {
    let raw: RawPage = parse_yaml(file)?;
    let origin = file.origin();
    let title = match &raw.title {
        Some(t) if !t.value.trim().is_empty() => t.value.trim().to_string(),
        _ => {
            return Err(file
                .at_front_matter("missing required field `title`")
                .help("add a line such as `title: About` to the front matter")
                .into());
        }
    };
    let slug = match &raw.slug {
        Some(s) if !is_valid_slug(&s.value) => {
            return Err(origin
                .diag_at(s, format!("invalid slug {:?}", s.value))
                .help("a slug uses lowercase letters, digits and `-` only")
                .into());
        }
        Some(s) => At::spanned(origin, s),
        None => At {
            value: stem_slug(file)?,
            place: Diagnostic::new(file.display, ""),
        },
    };
    Ok((
        Page {
            path: file.display.to_path_buf(),
            slug,
            title,
            summary: raw.summary,
            prose: crate::content::prose::render(file, config, &[])?,
        },
        raw.draft,
    ))
}
