//! Generates a site of N realistic briefings for benchmarks, deterministic for a seed:
//! `cargo run --release --example gen-corpus -- --n 10000 --seed 1 --out DIR [--pictures K]
//! [--shared-facts 1]`.
//! Briefings have 400-1200 words with headings, lists, a blockquote, tables in about one
//! in ten, footnotes in one in three, code in one in twenty; 1-4 topics of ~200 and people,
//! places and organisations with Zipf-like popularity; 2-6 facts, labelled per briefing so
//! none conflict (with `--shared-facts 1`, labels from a dozen common ones such as
//! "Inflation", whose figure changes from day to day and is misreported one time in fifty);
//! `story:` and entity links in about one in four; dates spread over three years.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

const WORDS: &[&str] = &[
    "ceasefire",
    "talks",
    "officials",
    "said",
    "the",
    "proposal",
    "border",
    "region",
    "forces",
    "minister",
    "statement",
    "agreement",
    "delegation",
    "negotiations",
    "security",
    "aid",
    "sanctions",
    "parliament",
    "election",
    "economy",
    "energy",
    "supply",
    "pressure",
    "report",
    "according",
    "analysts",
    "week",
    "month",
    "government",
    "spokesman",
    "envoy",
    "meeting",
    "troops",
    "front",
    "line",
    "drone",
    "attack",
    "defence",
    "capital",
    "city",
    "villages",
    "residents",
    "damage",
    "shelling",
    "exchange",
    "prisoners",
    "humanitarian",
    "corridor",
    "grain",
    "exports",
    "ports",
    "shipping",
    "inflation",
    "budget",
    "loan",
    "summit",
    "leaders",
    "a",
    "of",
    "in",
    "and",
    "to",
    "on",
    "for",
    "with",
    "after",
    "before",
    "while",
    "as",
];

/// xorshift64*: small, fast, and the same everywhere for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    /// Zipf-like: index i is picked with probability about proportional to 1/(i+1).
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64 + 1.0).powf(u)) as usize)
            .saturating_sub(1)
            .min(n - 1)
    }
}

fn words(rng: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s
}

fn sentence(rng: &mut Rng) -> String {
    let n = 8 + rng.below(14);
    let mut s = words(rng, n);
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s.push('.');
    s
}

fn paragraph(rng: &mut Rng) -> String {
    let n = 3 + rng.below(4);
    (0..n).map(|_| sentence(rng)).collect::<Vec<_>>().join(" ")
}

fn pick(rng: &mut Rng, prefix: &str, pool: usize, min: usize, max: usize) -> Vec<String> {
    let count = min + rng.below(max - min + 1);
    let mut out: Vec<String> = Vec::new();
    for _ in 0..count * 3 {
        if out.len() == count {
            break;
        }
        let name = format!("{prefix} {}", rng.zipf(pool) + 1);
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

fn yaml_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

struct Args {
    n: usize,
    seed: u64,
    out: PathBuf,
    hugo: Option<PathBuf>,
    /// How many briefings (the first) get a generated lead image.
    pictures: usize,
    shared_facts: bool,
}

/// Fact labels many briefings share, for `--shared-facts 1`.
const SHARED_FACTS: &[&str] = &[
    "Inflation",
    "Casualties",
    "Displaced people",
    "Drones shot down",
    "Aid pledged",
    "Troops deployed",
    "Prisoners exchanged",
    "Territory held",
    "Grain exported",
    "Power outages",
    "Refugees abroad",
    "Sanctions imposed",
];

const HUGO_CONFIG: &str = include_str!("../bench/hugo.toml");
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "baseof.html",
        include_str!("../bench/hugo-layouts/baseof.html"),
    ),
    ("page.html", include_str!("../bench/hugo-layouts/page.html")),
    ("list.html", include_str!("../bench/hugo-layouts/list.html")),
    (
        "taxonomy.html",
        include_str!("../bench/hugo-layouts/taxonomy.html"),
    ),
];

fn args() -> Result<Args, String> {
    let mut a = Args {
        n: 1000,
        seed: 1,
        out: PathBuf::from("corpus"),
        hugo: None,
        pictures: 0,
        shared_facts: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--n" => a.n = value.parse().map_err(|_| "--n takes a number")?,
            "--seed" => a.seed = value.parse().map_err(|_| "--seed takes a number")?,
            "--out" => a.out = PathBuf::from(value),
            "--hugo" => a.hugo = Some(PathBuf::from(value)),
            "--pictures" => a.pictures = value.parse().map_err(|_| "--pictures takes a number")?,
            "--shared-facts" => a.shared_facts = value == "1",
            other => {
                return Err(format!(
                    "unknown option {other}; use --n, --seed, --out, --hugo, --pictures, --shared-facts"
                ));
            }
        }
    }
    Ok(a)
}

/// A 2400 x 1600 JPEG with enough detail to cost what a photograph costs to resize.
fn photo(path: &std::path::Path, seed: usize) -> Result<(), String> {
    let img = image::RgbImage::from_fn(2400, 1600, |x, y| {
        let n = (x.wrapping_mul(31) ^ y.wrapping_mul(17)).wrapping_add(seed as u32 * 7);
        image::Rgb([
            (x / 10 + n % 32) as u8,
            (y / 7 + n % 29) as u8,
            ((x + y) / 16) as u8,
        ])
    });
    img.save(path).map_err(|e| e.to_string())
}

fn main() -> Result<(), String> {
    let args = args()?;
    let mut rng = Rng(args.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let dir = args.out.join("content/briefings");
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    fs::write(
        args.out.join("site.yaml"),
        "title: \"Generated briefings\"\nbase_url: \"https://example.org/news/\"\ndescription: \"A generated corpus.\"\n",
    )
    .map_err(|e| e.to_string())?;
    let hugo_dir = match &args.hugo {
        Some(h) => {
            fs::create_dir_all(h.join("content/briefings")).map_err(|e| e.to_string())?;
            fs::create_dir_all(h.join("layouts")).map_err(|e| e.to_string())?;
            fs::write(h.join("hugo.toml"), HUGO_CONFIG).map_err(|e| e.to_string())?;
            for (name, text) in HUGO_LAYOUTS {
                fs::write(h.join("layouts").join(name), text).map_err(|e| e.to_string())?;
            }
            Some(h.join("content/briefings"))
        }
        None => None,
    };
    let start = jiff::civil::date(2022, 1, 1);
    for i in 0..args.n {
        let day = rng.below(3 * 365);
        let date = start + jiff::Span::new().days(day as i64);
        let hour = rng.below(24);
        let topics = pick(&mut rng, "Topic", 200, 1, 4);
        let people = pick(&mut rng, "Person", 2000, 1, 5);
        let places = pick(&mut rng, "Place", 500, 0, 3);
        let orgs = pick(&mut rng, "Org", 300, 0, 2);
        let mut text = String::new();
        let _ = writeln!(text, "---");
        let _ = writeln!(
            text,
            "title: \"{}\"",
            sentence(&mut rng).trim_end_matches('.')
        );
        let _ = writeln!(text, "date: {date}T{hour:02}:00:00+00:00");
        let _ = writeln!(text, "summary: \"{}\"", sentence(&mut rng));
        let _ = writeln!(text, "authors: [\"Desk {}\"]", rng.below(12) + 1);
        if i < args.pictures {
            let name = format!("b{i:06}.jpg");
            photo(&dir.join(&name), i)?;
            let _ = writeln!(
                text,
                "image:\n  src: {name}\n  alt: \"Generated picture {i}\"\n  credit: \"Generated\""
            );
        }
        let _ = writeln!(text, "topics: {}", yaml_list(&topics));
        let _ = writeln!(text, "people: {}", yaml_list(&people));
        if !places.is_empty() {
            let _ = writeln!(text, "places: {}", yaml_list(&places));
        }
        if !orgs.is_empty() {
            let _ = writeln!(text, "orgs: {}", yaml_list(&orgs));
        }
        let _ = writeln!(
            text,
            "sources:\n  - id: wire\n    name: Wire report\n    url: https://example.org/wire/{i}"
        );
        let _ = writeln!(text, "facts:");
        let first_shared = if args.shared_facts {
            rng.below(SHARED_FACTS.len())
        } else {
            0
        };
        for f in 0..2 + rng.below(5) {
            if args.shared_facts {
                let label = SHARED_FACTS[(first_shared + f) % SHARED_FACTS.len()];
                // The day's figure, as every briefing of the day reports it; one time in
                // fifty it is misreported, a conflict to warn about.
                let figure = if rng.chance(50) {
                    1000 + rng.below(1000)
                } else {
                    (day * 7 + (first_shared + f) * 131) % 1000
                };
                let _ = writeln!(text, "  - label: {label}\n    value: \"{figure}\"");
            } else {
                let _ = writeln!(
                    text,
                    "  - label: Fact {} of b{i:06}\n    value: \"{}\"",
                    f + 1,
                    words(&mut rng, 4)
                );
            }
            if rng.chance(2) {
                let _ = writeln!(text, "    source: wire");
            }
        }
        let _ = writeln!(text, "---\n");
        let target_words = 400 + rng.below(800);
        let mut written = 0;
        let mut section = 0;
        while written < target_words {
            if written > 0 && rng.chance(3) {
                section += 1;
                let _ = writeln!(text, "## Section {section}: {}\n", words(&mut rng, 3));
            }
            let p = paragraph(&mut rng);
            written += p.split(' ').count();
            let _ = writeln!(text, "{p}\n");
        }
        let _ = writeln!(
            text,
            "- {}\n- {}\n- {}\n",
            words(&mut rng, 6),
            words(&mut rng, 5),
            words(&mut rng, 7)
        );
        let _ = writeln!(text, "> {}\n", sentence(&mut rng));
        if rng.chance(10) {
            let _ = writeln!(
                text,
                "| Item | Value |\n|---|---|\n| {} | {} |\n| {} | {} |\n",
                words(&mut rng, 2),
                rng.below(1000),
                words(&mut rng, 2),
                rng.below(1000)
            );
        }
        if rng.chance(3) {
            let _ = writeln!(
                text,
                "A detail worth noting.[^1]\n\n[^1]: {}\n",
                sentence(&mut rng)
            );
        }
        if rng.chance(20) {
            let _ = writeln!(
                text,
                "```python\nprint(\"figures\", {})\n```\n",
                rng.below(100)
            );
        }
        if rng.chance(4) && i > 0 {
            let other = rng.below(i);
            let person = people
                .first()
                .map(|p| p.to_lowercase().replace(' ', "-"))
                .unwrap_or_default();
            let _ = writeln!(
                text,
                "Earlier: [a related briefing](story:b{other:06}). [{}](people:{person}) was quoted [by the wire](source:wire).\n",
                people.first().cloned().unwrap_or_default()
            );
        }
        fs::write(dir.join(format!("b{i:06}.md")), &text).map_err(|e| e.to_string())?;
        if let Some(h) = &hugo_dir {
            fs::write(h.join(format!("b{i:06}.md")), &text).map_err(|e| e.to_string())?;
        }
    }
    println!("wrote {} briefings to {}", args.n, args.out.display());
    Ok(())
}
