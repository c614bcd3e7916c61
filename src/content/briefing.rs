//! Briefing front matter: raw fields -> a validated `Briefing`, reporting every problem in
//! the file at once.

use std::collections::HashSet;

use super::prose::{self, Prose};
use super::raw::{BriefingSeed, RawBriefing};
use super::{At, Briefing, Correction, Date, LeadImage, Source, SourceFile, Term, file_stem};
use crate::config::BRIEFING_FIELDS;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::RefKind;
use crate::text::{is_valid_slug, slugify};
use crate::yaml::{self, Origin, Spanned, unknown_field};

/// Validates a briefing's front matter and renders its body. Each field's rule is a
/// function of its own; every problem is collected before the file fails.
pub fn convert(file: &SourceFile<'_>, config: &Config) -> Result<Briefing, Diagnostics> {
    let origin = file.origin();
    let seed = BriefingSeed {
        kinds: &config.entity_kinds,
    };
    let raw: RawBriefing = yaml::parse_seed(file.split.yaml, seed, origin)?;
    let mut diags = Diagnostics::default();
    let d = &mut diags;

    unknown_fields(&raw, config, origin, d);
    let title = title(&raw, file, d);
    let date = date(&raw, file, d);
    let updated = raw
        .updated
        .as_ref()
        .and_then(|u| prose::date(u, "updated", origin, d));
    let slug = slug(&raw, file, config, d);
    let lang = lang(&raw, file, config, d);
    let translation_of = translation_of(&raw, origin, d);
    let topics = terms(&raw.topics, "topic", origin, d);
    let authors = terms(&raw.authors, "author", origin, d);
    let mut entities = entities(&raw, config, origin, d);
    let (sources, source_ids) = sources(&raw, origin, d);
    let ids: HashSet<&str> = source_ids.iter().map(String::as_str).collect();
    let facts = prose::facts(&raw.facts, origin, &ids, d);
    let corrections = corrections(&raw, origin, d);
    let aliases = aliases(&raw, origin, d);
    let image = lead_image(&raw, file, config, d);
    let related: Vec<At<String>> = raw.related.iter().map(|r| At::spanned(origin, r)).collect();
    let prose = body(file, config, &raw, &source_ids, d);
    add_mentions(&prose, &mut entities);
    if let Some(date) = &date {
        check_order(date, updated.as_ref(), &raw, origin, d);
    }
    check_related(&related, &slug, d);

    match date {
        Some(date) if diags.is_empty() => Ok(Briefing {
            path: file.display.to_path_buf(),
            slug,
            lang,
            translation_of,
            title,
            date,
            updated,
            summary: raw
                .summary
                .map(|s| crate::markdown::smart_text(s.trim()))
                .filter(|s| !s.is_empty()),
            dateline: (raw.dateline)
                .filter(|s| !s.trim().is_empty())
                .map(|s| crate::markdown::smart_text(&s)),
            authors,
            topics,
            entities,
            sources,
            facts,
            related,
            aliases,
            corrections,
            image,
            draft: raw.draft,
            featured: raw.featured,
            words: crate::text::word_count(file.body()),
            scheduled: false,
            extra: raw.extra.unwrap_or(serde_json::Value::Null),
            prose,
        }),
        _ => Err(diags),
    }
}

/// Keys that are neither fields nor entity kinds, each with the nearest known name.
fn unknown_fields(raw: &RawBriefing, config: &Config, origin: Origin<'_>, diags: &mut Diagnostics) {
    for key in &raw.unknown {
        let known = BRIEFING_FIELDS
            .iter()
            .copied()
            .chain(config.entity_kinds.iter().map(|k| k.key.as_str()));
        diags.push(unknown_field(origin.diag_at(key, ""), &key.value, known));
    }
}

/// `title`: required, not blank.
fn title(raw: &RawBriefing, file: &SourceFile<'_>, diags: &mut Diagnostics) -> String {
    match &raw.title {
        Some(t) if t.value.trim().is_empty() => {
            diags.push(
                file.origin()
                    .diag_at(t, "the title is empty")
                    .help("write the headline after `title:`"),
            );
            String::new()
        }
        Some(t) => crate::markdown::smart_text(t.value.trim()),
        None => {
            diags.push(file.at_front_matter("missing required field `title`").help(
                "add a line such as `title: \"Envoy carries ceasefire reply\"` to the front matter",
            ));
            String::new()
        }
    }
}

/// `date`: required, a date or a timestamp with an offset.
fn date(raw: &RawBriefing, file: &SourceFile<'_>, diags: &mut Diagnostics) -> Option<Date> {
    match &raw.date {
        Some(d) => prose::date(d, "date", file.origin(), diags),
        None => {
            diags.push(file.at_front_matter("missing required field `date`").help(
                "add a line such as `date: 2025-03-14` or `date: 2025-03-14T09:30:00+03:00`",
            ));
            None
        }
    }
}

/// `slug`, or the file name; either must be a valid slug.
fn slug(
    raw: &RawBriefing,
    file: &SourceFile<'_>,
    config: &Config,
    diags: &mut Diagnostics,
) -> At<String> {
    if let Some(s) = &raw.slug {
        if !is_valid_slug(&s.value) {
            diags.push(
                file.origin()
                    .diag_at(s, format!("invalid slug {:?}", s.value))
                    .help(slug_help(&s.value)),
            );
        }
        return At::spanned(file.origin(), s);
    }
    let (stem, lang) = super::other::split_language(&file_stem(file.display), config);
    if let Some(d) = super::other::unknown_language(file, &stem, lang.as_deref(), config) {
        diags.push(d);
    } else if !is_valid_slug(&stem) {
        diags.push(
            Diagnostic::new(file.display, format!("the file name {stem:?} is not a valid slug"))
                .help(format!(
                    "rename the file to use lowercase letters, digits and `-` only, or add `slug: {}` to the front matter",
                    suggested(&stem)
                )),
        );
    }
    At {
        place: Diagnostic::new(file.display, ""),
        value: stem,
    }
}

/// `lang`: one of the site's languages; the main one when not given.
/// `lang`, or the language the file name ends in (`talks.uk.md`); the main one when neither
/// says.
fn lang(
    raw: &RawBriefing,
    file: &SourceFile<'_>,
    config: &Config,
    diags: &mut Diagnostics,
) -> String {
    let origin = file.origin();
    let (_, named) = super::other::split_language(&file_stem(file.display), config);
    let Some(lang) = &raw.lang else {
        return named.unwrap_or_else(|| config.languages[0].clone());
    };
    if let Some(named) = named.filter(|n| *n != lang.value) {
        diags.push(
            origin
                .diag_at(
                    lang,
                    format!(
                        "`lang` is `{}` but the file name says `{named}`",
                        lang.value
                    ),
                )
                .help("remove `lang:` or rename the file so that both say the same language"),
        );
    }
    if !config.languages.contains(&lang.value) {
        let help = if config.is_multilingual() {
            format!("use one of: {}", config.languages.join(", "))
        } else {
            format!(
                "this site is written in `{}`; to publish in more languages, list them in site.yaml, e.g. `languages: [{}, {}]`",
                config.language, config.language, lang.value
            )
        };
        diags.push(
            origin
                .diag_at(
                    lang,
                    format!("`{}` is not one of this site's languages", lang.value),
                )
                .help(help),
        );
    }
    lang.value.clone()
}

/// `translation_of`: the slug of another briefing, which the model checks exists.
fn translation_of(
    raw: &RawBriefing,
    origin: Origin<'_>,
    diags: &mut Diagnostics,
) -> Option<At<String>> {
    let of = raw.translation_of.as_ref()?;
    if !is_valid_slug(&of.value) {
        diags.push(
            origin
                .diag_at(of, format!("invalid slug {:?}", of.value))
                .help("write the slug of the briefing this one translates, e.g. `translation_of: ceasefire-talks`"),
        );
    }
    Some(At::spanned(origin, of))
}

/// One list of terms per entity kind of the site, in site.yaml's order.
fn entities(
    raw: &RawBriefing,
    config: &Config,
    origin: Origin<'_>,
    diags: &mut Diagnostics,
) -> Vec<(String, Vec<Term>)> {
    config
        .entity_kinds
        .iter()
        .map(|kind| {
            let names: Vec<Spanned<String>> = raw
                .entities
                .iter()
                .filter(|(k, _)| *k == kind.key)
                .flat_map(|(_, names)| names.iter().cloned())
                .collect();
            (kind.key.clone(), terms(&names, &kind.key, origin, diags))
        })
        .collect()
}

/// `sources`: ids valid and unique, URLs safe. Returns them with every id written, in order
/// (citation numbers are positions).
fn sources(
    raw: &RawBriefing,
    origin: Origin<'_>,
    diags: &mut Diagnostics,
) -> (Vec<Source>, Vec<String>) {
    let mut seen = HashSet::new();
    let mut sources = Vec::new();
    for s in &raw.sources {
        if !is_valid_slug(&s.id.value) {
            diags.push(
                origin
                    .diag_at(&s.id, format!("invalid source id {:?}", s.id.value))
                    .help("use lowercase letters, digits and `-`, e.g. `id: peskov`"),
            );
        } else if !seen.insert(s.id.value.as_str()) {
            diags.push(
                origin
                    .diag_at(
                        &s.id,
                        format!("the source id `{}` is used twice", s.id.value),
                    )
                    .help("give each source its own id"),
            );
        }
        if let Some(url) = &s.url
            && !is_safe_url(&url.value)
        {
            diags.push(
                origin
                    .diag_at(url, format!("the source URL {:?} is not allowed", url.value))
                    .help("use an http:// or https:// address, or a site-relative path starting with /"),
            );
        }
        sources.push(Source {
            id: s.id.value.clone(),
            name: s.name.clone(),
            url: s.url.as_ref().map(|u| u.value.clone()),
        });
    }
    let ids = raw.sources.iter().map(|s| s.id.value.clone()).collect();
    (sources, ids)
}

/// `corrections`: each with a valid date.
fn corrections(raw: &RawBriefing, origin: Origin<'_>, diags: &mut Diagnostics) -> Vec<Correction> {
    raw.corrections
        .iter()
        .filter_map(|c| {
            prose::date(&c.date, "corrections.date", origin, diags).map(|date| Correction {
                date,
                note: crate::markdown::smart_text(&c.note),
            })
        })
        .collect()
}

/// `aliases:` are old addresses on this site (`/2025/03/old-slug/`), each kept as the file
/// that will redirect here: a folder's `index.html`, or a page ending in `.html`.
fn aliases(raw: &RawBriefing, origin: Origin<'_>, diags: &mut Diagnostics) -> Vec<At<String>> {
    let mut out = Vec::new();
    for alias in &raw.aliases {
        match alias_file(&alias.value) {
            Ok(file) => out.push(At {
                value: file,
                place: origin.diag_at(alias, ""),
            }),
            Err(why) => diags.push(
                origin
                    .diag_at(alias, format!("the alias `{}` {why}", alias.value))
                    .help("write an old address of this briefing on this site, starting with `/`, e.g. /2025/03/old-slug/"),
            ),
        }
    }
    out
}

/// `image:`: a picture the site has, with alt text (`-` for one that only decorates).
fn lead_image(
    raw: &RawBriefing,
    file: &SourceFile<'_>,
    config: &Config,
    diags: &mut Diagnostics,
) -> Option<LeadImage> {
    let image = raw.image.as_ref()?;
    let origin = file.origin();
    let text = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let alt = text(&image.value.alt);
    if alt.is_none() {
        diags.push(
            origin
                .diag_at(image, "the lead image has no alt text")
                .help("add `alt:` saying what it shows; for a picture that only decorates, write `alt: \"-\"`"),
        );
    }
    let src = &image.value.src;
    let picture = super::prose::locate(file, config, &src.value, &origin.diag_at(src, ""))
        .map_err(|d| diags.push(d))
        .ok()?;
    Some(LeadImage {
        picture,
        alt: alt.filter(|a| a != "-").unwrap_or_default(),
        caption: text(&image.value.caption).map(|c| crate::markdown::smart_text(&c)),
        credit: text(&image.value.credit).map(|c| crate::markdown::smart_text(&c)),
    })
}

/// The output file an alias path names, or why it cannot be one.
fn alias_file(path: &str) -> Result<String, &'static str> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(if path.contains("://") {
            "is a full web address, not a path on this site"
        } else {
            "does not start with `/`"
        });
    };
    if rest.starts_with('/') || rest.contains(['?', '#', '\\']) {
        return Err("is not a plain path (no `//`, `?`, `#` or `\\`)");
    }
    if rest.split('/').any(|part| part == ".." || part == ".") {
        return Err("may not contain `.` or `..` segments");
    }
    if rest.is_empty() {
        return Err("is the home page");
    }
    Ok(if rest.ends_with(".html") {
        rest.to_string()
    } else if rest.ends_with('/') {
        format!("{rest}index.html")
    } else {
        format!("{rest}/index.html")
    })
}

/// The rendered body. A source on this site (`url: /about/`) is checked like a link in it.
fn body(
    file: &SourceFile<'_>,
    config: &Config,
    raw: &RawBriefing,
    source_ids: &[String],
    diags: &mut Diagnostics,
) -> Prose {
    let mut prose = prose::render(file, config, source_ids).unwrap_or_else(|d| {
        diags.extend(d);
        Prose::default()
    });
    let image = raw.image.as_ref().map(|i| &i.value.src);
    for url in raw
        .sources
        .iter()
        .filter_map(|s| s.url.as_ref())
        .chain(image)
    {
        prose.add_external(file.origin(), url);
    }
    for url in raw.sources.iter().filter_map(|s| s.url.as_ref()) {
        // Sources are web addresses or root-relative paths (`is_safe_url`).
        if let Some(path) = crate::markdown::local_path(&url.value) {
            prose.local_links.push(crate::markdown::LocalLink {
                path: path.to_string(),
                place: file.origin().diag_at(url, ""),
            });
        }
    }
    prose
}

/// Entities linked in the body count as mentions, as if listed in the front matter (marked
/// `linked`: the model checks that they exist).
fn add_mentions(prose: &Prose, entities: &mut [(String, Vec<Term>)]) {
    for r in prose.refs.iter().filter(|r| r.mentions) {
        if let RefKind::Entity(kind) = &r.kind
            && let Some((_, terms)) = entities.iter_mut().find(|(k, _)| k == kind)
            && !terms.iter().any(|t| t.slug == r.slug)
        {
            let text = r.text.trim();
            terms.push(Term {
                name: if text.is_empty() {
                    r.slug.clone()
                } else {
                    text.to_string()
                },
                slug: r.slug.clone(),
                linked: true,
                line: u32::try_from(r.place.line).unwrap_or(0),
                col: u16::try_from(r.place.col).unwrap_or(0),
            });
        }
    }
}

/// `related:` may not name the briefing itself.
fn check_related(related: &[At<String>], slug: &At<String>, diags: &mut Diagnostics) {
    for r in related.iter().filter(|r| r.value == slug.value) {
        diags.push(
            r.error(format!(
                "`related` names this briefing itself (`{}`)",
                r.value
            ))
            .help("list other briefings' slugs under `related:`, or remove this one"),
        );
    }
}

/// Nothing can be updated or corrected before it was published: `updated` and each
/// correction's date must not be earlier than `date`.
fn check_order(
    date: &Date,
    updated: Option<&Date>,
    raw: &RawBriefing,
    origin: Origin<'_>,
    diags: &mut Diagnostics,
) {
    if let (Some(u), Some(at)) = (updated, &raw.updated)
        && earlier(u, date)
    {
        diags.push(
            origin
                .diag_at(
                    at,
                    format!(
                        "`updated` ({}) is earlier than `date` ({})",
                        at.value.trim(),
                        date_text(raw)
                    ),
                )
                .help(
                    "a briefing cannot be updated before it is published: fix one of the two dates",
                ),
        );
    }
    for c in &raw.corrections {
        if Date::parse(&c.date.value).is_ok_and(|d| earlier(&d, date)) {
            diags.push(
                origin
                    .diag_at(
                        &c.date,
                        format!(
                            "this correction ({}) is dated before the briefing ({})",
                            c.date.value.trim(),
                            date_text(raw)
                        ),
                    )
                    .help("a correction comes after publication: fix the correction's date or the briefing's `date`"),
            );
        }
    }
}

/// Whether `a` comes before `b`; a bare date is compared by day, so `updated: 2025-03-14`
/// is not earlier than `date: 2025-03-14T09:30:00+03:00`.
fn earlier(a: &Date, b: &Date) -> bool {
    if a.offset.is_none() || b.offset.is_none() {
        a.civil.date() < b.civil.date()
    } else {
        a.timestamp() < b.timestamp()
    }
}

fn date_text(raw: &RawBriefing) -> String {
    raw.date
        .as_ref()
        .map_or(String::new(), |d| d.value.trim().to_string())
}

/// Slugifies each name; a name with no usable characters is an error.
fn terms(
    names: &[Spanned<String>],
    what: &str,
    origin: Origin<'_>,
    diags: &mut Diagnostics,
) -> Vec<Term> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for name in names {
        let slug = slugify(&name.value);
        if slug.is_empty() {
            diags.push(
                origin
                    .diag_at(
                        name,
                        format!(
                            "the {what} name {:?} has no letters or digits to make a URL from",
                            name.value
                        ),
                    )
                    .help("use a name with letters or digits, or remove it"),
            );
        } else if seen.insert(slug.clone()) {
            let (line, col) = origin.line_col(name);
            out.push(Term {
                name: name.value.trim().to_string(),
                slug,
                linked: false,
                line,
                col,
            });
        }
    }
    out
}

/// http(s) or site-relative; never `javascript:`, `data:` or other schemes.
pub fn is_safe_url(url: &str) -> bool {
    if crate::text::is_web(url) {
        return !url.chars().any(char::is_whitespace);
    }
    url.starts_with('/') && !url.starts_with("//")
}

fn slug_help(bad: &str) -> String {
    format!(
        "a slug uses lowercase letters, digits and `-` only, e.g. `slug: {}`",
        suggested(bad)
    )
}

fn suggested(bad: &str) -> String {
    let s = slugify(bad);
    if s.is_empty() {
        "my-briefing".into()
    } else {
        s
    }
}
