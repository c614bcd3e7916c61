//! Random edits of every kind a writer makes, shared by the tests that check the preview
//! and incremental builds against fresh builds.

use std::path::Path;

use crate::support::read;

/// A tiny deterministic generator (xorshift), so a failing sequence can be replayed.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    pub fn some_of(&mut self, list: &[&'static str]) -> Vec<&'static str> {
        let mut chosen: Vec<&str> = (0..self.below(3) + 1)
            .map(|_| list[self.below(list.len())])
            .collect();
        chosen.sort();
        chosen.dedup();
        chosen
    }
}

/// Briefing `b{i}` with random topics, people, date, links and `related:`. b0..b3 always
/// exist, so links and `related:` may name them; b0 keeps the topic `energy`, so
/// `topic:energy` always resolves.
pub fn random_briefing(i: usize, rng: &mut Rng, topics: usize) -> String {
    const TOPICS: [&str; 10] = [
        "Energy",
        "Drones",
        "Talks",
        "Sanctions",
        "Grain",
        "Kursk",
        "Ports",
        "Rail",
        "Gas",
        "Aid",
    ];
    const PEOPLE: [&str; 7] = [
        "Ada",
        "Ada Lovelace",
        "Vladimir Putin",
        "Ann Smith",
        "Bo Li",
        "Cy Twombly",
        "Di Rao",
    ];
    let mut topics = rng.some_of(&TOPICS[..topics]);
    if i == 0 && !topics.contains(&"Energy") {
        topics.push("Energy");
    }
    let people = rng.some_of(&PEOPLE);
    let authors = rng.some_of(&["Ann Smith", "Pat Kim", "Olga Ivanova"]);
    let link = match rng.below(4) {
        0 => format!(" See [another](story:b{}).", rng.below(4)),
        1 => " On [energy](topic:energy).".to_string(),
        _ => String::new(),
    };
    // `related:` never names the briefing itself: that is an error.
    let related = match (rng.below(5), i) {
        (0, i) => match rng.below(4) {
            j if j == i => String::new(),
            j => format!("related: [b{j}]\n"),
        },
        _ => String::new(),
    };
    format!(
        "---\ntitle: \"Briefing {i} v{}\"\ndate: 2025-0{}-{:02}\ntopics: [{}]\npeople: [{}]\nauthors: [{}]\n{related}---\nBody {}.{link}\n",
        rng.below(100),
        rng.below(3) + 1,
        rng.below(27) + 1,
        topics.join(", "),
        people.join(", "),
        authors.join(", "),
        rng.below(1000),
    )
}

/// The site `random_edit` starts from: twelve random briefings and a profile with an alias.
pub fn every_kind_start(rng: &mut Rng) -> Vec<(String, String)> {
    let mut start: Vec<(String, String)> = (0..12)
        .map(|i| (format!("content/b{i}.md"), random_briefing(i, rng, 10)))
        .collect();
    start.push((
        "content/entities/people/ada-lovelace.md".into(),
        "---\nname: Ada Lovelace\naliases: [Ada]\n---\nProfile.\n".into(),
    ));
    start
}

/// One random edit: a path and its new text (`None` removes the file).
pub fn random_edit(dir: &Path, rng: &mut Rng) -> (String, Option<String>) {
    // Only b4 and later may become drafts or scheduled: others link to b0..b3.
    let i = 4 + rng.below(8);
    let rel = format!("content/b{i}.md");
    let exists = dir.join(&rel).exists();
    let toggle = |rel: &str, text: &str| -> (String, Option<String>) {
        let on = dir.join(rel).exists();
        (rel.to_string(), (!on).then(|| text.to_string()))
    };
    match rng.below(10) {
        0 | 8 => {
            // Re-spell a topic or a person, in any briefing: the same slug, another name.
            let rel = format!("content/b{}.md", rng.below(12));
            if !dir.join(&rel).exists() {
                return (rel.clone(), Some(random_briefing(rng.below(4), rng, 10)));
            }
            let old = read(dir, &rel);
            let respelt = [
                ("Drones", "DRONES"),
                ("Bo Li", "BO LI"),
                ("Ann Smith", "ANN SMITH"),
                ("Cy Twombly", "cy twombly"),
                ("Talks", "talks"),
                ("Ada Lovelace", "ADA LOVELACE"),
            ];
            let (from, to) = respelt[rng.below(respelt.len())];
            let text = if old.contains(to) {
                old.replace(to, from)
            } else {
                old.replace(from, to)
            };
            (rel, Some(text))
        }
        1 if exists => {
            let old = read(dir, &rel);
            let text = if old.contains("draft: true\n") {
                old.replace("draft: true\n", "")
            } else {
                old.replacen("---\n", "---\ndraft: true\n", 1)
            };
            (rel, Some(text))
        }
        2 if exists => {
            // Into the future (scheduled) or back.
            let old = read(dir, &rel);
            let text = if old.contains("date: 2052") {
                old.replace("date: 2052", "date: 2025")
            } else {
                old.replace("date: 2025", "date: 2052")
            };
            (rel, Some(text))
        }
        3 => toggle(
            "content/entities/people/bo-li.md",
            "---\nname: Bo Li\naliases: [Di Rao]\nsummary: Two names, one person.\n---\nProfile.\n",
        ),
        4 => match rng.below(4) {
            0 => toggle(
                "content/topics/drones.md",
                "---\ntitle: Drones and air defence\n---\nIntro.\n",
            ),
            1 => toggle(
                "content/topics/grain.md",
                "---\nsummary: Grain.\n---\nIntro.\n",
            ),
            2 => toggle(
                "content/authors/pat-kim.md",
                "---\nname: Patricia Kim\nrole: Night editor\n---\nBio.\n",
            ),
            _ => toggle(
                "content/pages/about.md",
                "---\ntitle: About\n---\nWho we are.\n",
            ),
        },
        5 => {
            let yaml = match rng.below(3) {
                0 => "title: Test\nbase_url: https://example.org/\npaginate: 2\n",
                1 => "title: Test desk\nbase_url: https://example.org/\ndescription: Daily.\n",
                _ => "title: Test\nbase_url: https://example.org/\n",
            };
            ("site.yaml".into(), Some(yaml.into()))
        }
        6 => toggle(
            "templates/partials/card.html",
            "<article class=\"card\"><h3><a href=\"{{ root }}{{ card.url }}\">{{ card.title }}</a></h3>{% if card.status %}<p>{{ card.status.label }}</p>{% endif %}</article>\n",
        ),
        7 => toggle("static/notes.txt", "A static file.\n"),
        _ => (rel, Some(random_briefing(i, rng, 10))),
    }
}
