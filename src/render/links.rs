//! Links from content to paths of the site (`/about/`, `../other/`, `/img/map.png`) must
//! name a file the build makes, like `story:` links must name a briefing. Checked once every
//! output path is known, before anything is written.

use std::collections::HashSet;

use super::Job;
use super::theme::Theme;
use crate::content::Prose;
use crate::diag::Diagnostics;
use crate::model::Site;

/// Reports every local link in a body whose target the build does not make.
pub(super) fn check(
    site: &Site,
    jobs: &[(String, Job<'_>)],
    theme: &Theme,
    diags: &mut Diagnostics,
) {
    let bodies = bodies(site);
    if bodies.iter().all(|(_, p)| p.local_links.is_empty()) {
        return;
    }
    let made: HashSet<&str> = jobs
        .iter()
        .map(|(p, _)| p.as_str())
        .chain(theme.statics.keys().map(String::as_str))
        .collect();
    let home = site.config.home.as_str();
    for (page_url, prose) in bodies {
        for link in &prose.local_links {
            let Some(target) = resolve(&format!("{home}{page_url}"), &link.path) else {
                diags.push(
                    link.place
                        .clone()
                        .with_message(format!(
                            "the link `{}` points above the site's root",
                            link.path
                        ))
                        .help("start it with `/` for a path from the site's root, e.g. /about/"),
                );
                continue;
            };
            if exists(&made, &target) || in_other_language(site, &target) {
                continue;
            }
            let help = match near_path(&target, &made) {
                Some(near) => format!("did you mean `/{near}`? Links to this site must point to a page or file the build makes"),
                None => "link to a page or file of this site (files under static/ are copied as they are), or use a full http(s):// address".to_string(),
            };
            diags.push(
                link.place
                    .clone()
                    .with_message(format!(
                        "the link `{}` points to nothing this site has",
                        link.path
                    ))
                    .help(help),
            );
        }
    }
}

/// Whether `target` is a page of another language of the site, which this language's
/// model does not know (the theme's files at the root are known to every language).
fn in_other_language(site: &Site, target: &str) -> bool {
    let own = site.config.home.as_str();
    let in_main = !own.is_empty() && !target.starts_with(own);
    let in_other_folder = (site.languages.others.iter())
        .any(|o| !o.home.is_empty() && target.starts_with(o.home.as_str()));
    in_main || in_other_folder
}

/// The path the build makes that `target` most likely meant: at most two edits away, so
/// only a typo is suggested, never an unrelated page.
fn near_path<'a>(target: &str, made: &HashSet<&'a str>) -> Option<&'a str> {
    made.iter()
        .map(|p| p.trim_end_matches("index.html"))
        .map(|p| (strsim::levenshtein(target, p), p))
        .filter(|(d, p)| *d <= 2 && *d * 3 <= p.len().max(target.len()))
        .min()
        .map(|(_, p)| p)
}

/// Every body with the site-relative URL of the page it is shown on.
fn bodies(site: &Site) -> Vec<(&str, &Prose)> {
    let briefings = site
        .briefings
        .iter()
        .map(|e| (e.url.as_str(), &e.briefing.prose));
    let taxa = site
        .namespaces()
        .flatten()
        .filter_map(|t| Some((t.url.as_str(), t.prose.as_ref()?)));
    let pages = site.pages.iter().map(|p| (p.url.as_str(), &p.page.prose));
    briefings.chain(taxa).chain(pages).collect()
}

/// The site-relative path a link names from a page at `page_url` (a folder URL such as
/// `2025/03/talks/`), `..` and `.` applied; `None` when it climbs above the root.
fn resolve(page_url: &str, link: &str) -> Option<String> {
    let (base, rest) = match link.strip_prefix('/') {
        Some(rest) => ("", rest),
        None => (page_url, link),
    };
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    let trailing = rest.ends_with('/') || rest.is_empty();
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if trailing && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

/// Whether the build makes `path`: the file itself, or the folder's `index.html`.
fn exists(made: &HashSet<&str>, path: &str) -> bool {
    if path.is_empty() || path.ends_with('/') {
        return made.contains(format!("{path}index.html").as_str());
    }
    made.contains(path) || made.contains(format!("{path}/index.html").as_str())
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn resolves_relative_and_root_relative_links() {
        assert_eq!(resolve("2025/03/a/", "/about/").as_deref(), Some("about/"));
        assert_eq!(
            resolve("2025/03/a/", "../b/").as_deref(),
            Some("2025/03/b/")
        );
        assert_eq!(
            resolve("2025/03/a/", "map.png").as_deref(),
            Some("2025/03/a/map.png")
        );
        assert_eq!(resolve("about/", "../../x"), None);
        assert_eq!(resolve("about/", "/").as_deref(), Some(""));
    }
}
