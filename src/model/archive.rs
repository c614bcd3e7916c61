//! Date archives: each year, month and day that has briefings, with its briefings in site
//! order (newest first). The day is the desk's daily edition.

use super::Entry;

/// How long a period of the archive is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    Year,
    Month,
    Day,
}

/// One year, month or day of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub(crate) span: Span,
    /// (year, month, day), with 0 for what the span leaves out.
    pub(crate) key: (i16, i8, i8),
    /// Site-relative URL, e.g. `2025/03/14/`.
    pub(crate) url: String,
    /// Indexes into the site's briefings, newest first.
    pub(crate) briefings: Vec<usize>,
}

/// The archive: years, months and days, each newest first.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Archive {
    pub(crate) years: Vec<Period>,
    pub(crate) months: Vec<Period>,
    pub(crate) days: Vec<Period>,
}

impl Archive {
    /// The periods of `briefings` (given newest first), by the date each was written with.
    pub fn of(briefings: &[Entry]) -> Archive {
        let mut archive = Archive::default();
        for (i, e) in briefings.iter().enumerate() {
            let d = &e.briefing.date;
            let (y, m, day) = (d.year(), d.month(), d.day());
            add(&mut archive.years, Span::Year, (y, 0, 0), i);
            add(&mut archive.months, Span::Month, (y, m, 0), i);
            add(&mut archive.days, Span::Day, (y, m, day), i);
        }
        for list in [&mut archive.years, &mut archive.months, &mut archive.days] {
            // Offsets can order two briefings' instants and dates differently.
            list.sort_by_key(|p| std::cmp::Reverse(p.key));
            for p in list.iter_mut() {
                p.briefings.sort_unstable();
            }
        }
        archive
    }

    pub fn spans(&self) -> [(Span, &[Period]); 3] {
        [
            (Span::Year, &self.years),
            (Span::Month, &self.months),
            (Span::Day, &self.days),
        ]
    }

    /// The periods of one span, newest first.
    pub fn of_span(&self, span: Span) -> &[Period] {
        match span {
            Span::Year => &self.years,
            Span::Month => &self.months,
            Span::Day => &self.days,
        }
    }
}

fn add(list: &mut Vec<Period>, span: Span, key: (i16, i8, i8), i: usize) {
    if let Some(p) = list.iter_mut().rev().find(|p| p.key == key) {
        p.briefings.push(i);
        return;
    }
    list.push(Period {
        span,
        key,
        url: url_of(key),
        briefings: vec![i],
    });
}

/// The archive URL of a period: `2025/`, `2025/03/` or `2025/03/14/`.
pub fn url_of((y, m, d): (i16, i8, i8)) -> String {
    match (m, d) {
        (0, _) => format!("{y:04}/"),
        (m, 0) => format!("{y:04}/{m:02}/"),
        (m, d) => format!("{y:04}/{m:02}/{d:02}/"),
    }
}

/// Whether a URL has the shape of an archive's: a year, a month or a day.
pub fn looks_like_archive(url: &str) -> bool {
    let parts: Vec<&str> = url.trim_end_matches('/').split('/').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_urls_and_their_shape() {
        assert_eq!(url_of((2025, 0, 0)), "2025/");
        assert_eq!(url_of((2025, 3, 0)), "2025/03/");
        assert_eq!(url_of((2025, 3, 14)), "2025/03/14/");
        assert!(looks_like_archive("2025/03/14/"));
        assert!(looks_like_archive("2025/"));
        assert!(!looks_like_archive("2025/03/alpha/"));
        assert!(!looks_like_archive("2025/03/14/alpha/"));
        assert!(!looks_like_archive("about/"));
    }
}
