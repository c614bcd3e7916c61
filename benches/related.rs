//! Times "Related briefings" for a generated site of N briefings (default 100,000):
//! `cargo bench --bench related -- 100000`. Topics and entities follow a Zipf-like
//! popularity, as in real news, so a few terms are shared by thousands of briefings.

use std::time::Instant;

use brief::config::RelatedConfig;
use brief::content::{At, Briefing, Date, Prose, Term};
use brief::diag::Diagnostic;

/// A small deterministic generator (xorshift), so every run sees the same site.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A Zipf-like pick from 0..n: low numbers are much more frequent.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

fn terms(rng: &mut Rng, prefix: &str, pool: usize, min: usize, max: usize) -> Vec<Term> {
    let count = min + (rng.next() as usize % (max - min + 1));
    let mut out: Vec<Term> = Vec::new();
    for _ in 0..count {
        let slug = format!("{prefix}-{}", rng.zipf(pool));
        if !out.iter().any(|t| t.slug == slug) {
            out.push(Term {
                name: slug.clone(),
                slug,
                linked: false,
                line: 0,
                col: 0,
            });
        }
    }
    out
}

fn briefing(rng: &mut Rng, i: usize, n: usize) -> Briefing {
    // Newest first, as the model orders them, spread over three years.
    let day = 1096 - i * 1096 / n;
    let date = Date::parse(&format!(
        "{}",
        jiff::civil::date(2023, 1, 1) + jiff::Span::new().days(day as i64)
    ))
    .expect("generated date is valid");
    Briefing {
        path: format!("content/b{i}.md").into(),
        slug: At {
            value: format!("b{i}"),
            place: Diagnostic::new("", ""),
        },
        lang: "en".into(),
        translation_of: None,
        title: format!("Briefing {i}"),
        date,
        updated: None,
        summary: None,
        dateline: None,
        authors: Vec::new(),
        topics: terms(rng, "topic", 200, 1, 4),
        entities: vec![
            ("people".into(), terms(rng, "person", 2000, 1, 5)),
            ("places".into(), terms(rng, "place", 500, 0, 3)),
            ("orgs".into(), terms(rng, "org", 300, 0, 2)),
        ],
        sources: Vec::new(),
        facts: Vec::new(),
        related: Vec::new(),
        aliases: Vec::new(),
        corrections: Vec::new(),
        image: None,
        draft: false,
        featured: false,
        words: 100,
        scheduled: false,
        extra: serde_json::Value::Null,
        prose: Prose::default(),
    }
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let briefings: Vec<std::sync::Arc<Briefing>> = (0..n)
        .map(|i| std::sync::Arc::new(briefing(&mut rng, i, n)))
        .collect();
    let manual = vec![Vec::new(); n];
    // About one briefing in four links to an earlier one.
    let links: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            if i % 4 == 0 && i + 7 < n {
                vec![i + 7]
            } else {
                Vec::new()
            }
        })
        .collect();
    let cfg = RelatedConfig::default();
    let mut times = Vec::new();
    let mut sample = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let related = brief::model::related::compute(&briefings, &manual, &links, &cfg);
        times.push(start.elapsed().as_secs_f64());
        sample = related[n / 2].iter().map(|r| r.reason.clone()).collect();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "related briefings for {n} briefings on {} threads: median {:.3} s (min {:.3} s, max {:.3} s)",
        rayon::current_num_threads(),
        times[2],
        times[0],
        times[4]
    );
    println!("sample reasons for briefing {}: {sample:?}", n / 2);
}
