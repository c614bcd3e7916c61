//! Publication dates as written: a calendar date, or an RFC 3339 timestamp whose offset is
//! kept (a Moscow briefing dated 09:30+03:00 stays 09:30, in March, in Moscow).

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Date {
    /// The wall-clock date and time as written (midnight for a bare date).
    pub civil: DateTime,
    /// The offset as written; `None` for a bare date (treated as UTC for ordering).
    #[serde(with = "offset_seconds")]
    pub offset: Option<Offset>,
    /// The instant, computed once: briefings are sorted by it on every build.
    instant: Timestamp,
}

/// An offset kept in the build cache as its seconds east of UTC.
mod offset_seconds {
    use jiff::tz::Offset;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(offset: &Option<Offset>, s: S) -> Result<S::Ok, S::Error> {
        offset.map(Offset::seconds).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Offset>, D::Error> {
        Option::<i32>::deserialize(d)?
            .map(|secs| Offset::from_seconds(secs).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// The name of month `month` (1 to 12), for readers.
pub fn month_name(month: i8) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// Parses `YYYY-MM-DD` or an RFC 3339 timestamp with an offset.
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        check_shape(s)?;
        check_calendar(s)?;
        if s.len() == 10 {
            let date: jiff::civil::Date = s.parse().map_err(|_| ymd_help(s))?;
            let civil = date.to_datetime(jiff::civil::Time::midnight());
            return Ok(Date {
                civil,
                offset: None,
                instant: TimeZone::UTC
                    .to_timestamp(civil)
                    .unwrap_or(Timestamp::UNIX_EPOCH),
            });
        }
        let offset = parse_offset(s).ok_or_else(|| no_offset(s))?;
        let ts: Timestamp = s.parse().map_err(|_| {
            format!(
                "`{s}` is not a timestamp brief can read; write it as {}",
                example_timestamp(s)
            )
        })?;
        Ok(Date {
            civil: TimeZone::fixed(offset).to_datetime(ts),
            offset: Some(offset),
            instant: ts,
        })
    }

    /// The instant, for ordering briefings across offsets.
    pub fn timestamp(&self) -> Timestamp {
        self.instant
    }

    fn month_name(&self) -> &'static str {
        month_name(self.civil.month())
    }

    /// "March 2025", for timelines.
    pub fn year(&self) -> i16 {
        self.civil.year()
    }
    pub fn month(&self) -> i8 {
        self.civil.month()
    }
    pub fn day(&self) -> i8 {
        self.civil.day()
    }

    /// RFC 3339 with the original offset, for `<time datetime>`, feeds and JSON-LD.
    pub fn iso(&self) -> String {
        let c = self.civil;
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
            c.year(),
            c.month(),
            c.day(),
            c.hour(),
            c.minute(),
            c.second(),
            format_offset(self.offset.unwrap_or(Offset::UTC))
        )
    }

    /// A reader-facing date, e.g. "14 March 2025".
    pub fn human(&self) -> String {
        format!(
            "{} {} {}",
            self.civil.day(),
            self.month_name(),
            self.civil.year()
        )
    }

    /// A reader-facing date and time, e.g. "14 March 2025, 09:30 UTC+03:00";
    /// just the date when none was written.
    pub fn human_with_time(&self) -> String {
        match self.offset {
            None => self.human(),
            Some(offset) => format!(
                "{}, {} UTC{}",
                self.human(),
                format_args!("{:02}:{:02}", self.civil.hour(), self.civil.minute()),
                if offset == Offset::UTC {
                    String::new()
                } else {
                    format_offset(offset)
                }
            ),
        }
    }
}

/// Dates must start `YYYY-MM-DD`; other orders and short forms get that advice, with the
/// date rewritten when it can be read unambiguously.
fn check_shape(s: &str) -> Result<(), String> {
    let head = s.get(..10).unwrap_or(s);
    let b = head.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if shaped && (s.len() == 10 || matches!(s.as_bytes()[10], b'T' | b't' | b' ')) {
        Ok(())
    } else {
        Err(ymd_help(s))
    }
}

/// "write dates as YYYY-MM-DD", with `s` rewritten that way when it is clear what it meant.
fn ymd_help(s: &str) -> String {
    let date_part = s.split([' ', 'T']).next().unwrap_or(s);
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    if let Some(year) = parts
        .first()
        .filter(|y| y.len() > 4 && y.bytes().all(|b| b.is_ascii_digit()))
    {
        return format!("the year {year} is out of range; write it with four digits");
    }
    let nums: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let valid = |&(_, m, d): &(u32, u32, u32)| (1..=12).contains(&m) && (1..=31).contains(&d);
    let mut readings: Vec<(u32, u32, u32)> = match (parts.as_slice(), nums.as_slice()) {
        ([y, _, _], &[year, m, d]) if y.len() == 4 => vec![(year, m, d)],
        // Day first (03/04/2025 in Europe) or month first (in the U.S.): both are offered
        // when both are dates, never guessed between.
        ([_, _, y], &[a, b, year]) if y.len() == 4 => vec![(year, b, a), (year, a, b)],
        _ => Vec::new(),
    };
    readings.retain(valid);
    readings.dedup();
    let iso = |(y, m, d): (u32, u32, u32)| format!("{y:04}-{m:02}-{d:02}");
    let spoken = |(_, m, d): (u32, u32, u32)| format!("{d} {}", month_name(m as i8));
    match readings.as_slice() {
        [one] => format!(
            "write dates as YYYY-MM-DD, e.g. {} for `{date_part}`",
            iso(*one)
        ),
        [first, second] => format!(
            "`{date_part}` could be {} or {}: write {} or {} to say which",
            spoken(*first),
            spoken(*second),
            iso(*first),
            iso(*second)
        ),
        _ => "write dates as YYYY-MM-DD, e.g. 2025-03-14".to_string(),
    }
}

/// A timestamp without a usable offset: a zone abbreviation (`MSK`) or none at all.
fn no_offset(s: &str) -> String {
    let last = s.rsplit([' ', '+', '-']).next().unwrap_or("");
    let example = example_timestamp(s);
    if last.len() >= 2 && last.chars().all(|c| c.is_ascii_alphabetic()) {
        format!(
            "time zone names such as `{last}` are not understood; write the offset from UTC instead, e.g. {example}"
        )
    } else {
        format!("the time has no offset from UTC; add one, e.g. {example} (or Z for UTC)")
    }
}

/// `s` rewritten as an RFC 3339 timestamp, keeping its date and time where they read, with a
/// sample offset.
fn example_timestamp(s: &str) -> String {
    let date = s.get(..10).unwrap_or("2025-03-14");
    let time: String = s
        .get(11..)
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    let time = match time.len() {
        5 => format!("{time}:00"),
        8 => time,
        _ => "09:00:00".to_string(),
    };
    format!("{date}T{time}+03:00")
}

/// Plain-words errors for impossible calendar dates in the `YYYY-MM-DD` part.
fn check_calendar(s: &str) -> Result<(), String> {
    let Some(head) = s.get(..10) else {
        return Ok(());
    };
    let parts: Vec<&str> = head.split('-').collect();
    let [y, m, d] = parts[..] else { return Ok(()) };
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>())
    else {
        return Ok(());
    };
    if !(1..=12).contains(&month) {
        return Err(format!(
            "there is no month {month}; months run from 01 to 12"
        ));
    }
    // `date()` panics outside years -9999..=9999; `new` says so instead.
    let last = jiff::civil::Date::new(year, month, 1)
        .map_err(|_| format!("the year {year} is out of range; write it with four digits"))?
        .days_in_month();
    if day < 1 || day > last {
        let name = MONTHS[(month - 1) as usize];
        return Err(format!(
            "{name} {year} has no day {day}; it has {last} days"
        ));
    }
    Ok(())
}

fn format_offset(offset: Offset) -> String {
    let secs = offset.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

/// The `Z` or `±HH:MM` at the end of an RFC 3339 timestamp.
fn parse_offset(s: &str) -> Option<Offset> {
    if s.ends_with(['Z', 'z']) {
        return Some(Offset::UTC);
    }
    let tail = s.get(s.len().checked_sub(6)?..)?;
    let sign = match tail.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = tail[1..].split_once(':')?;
    let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
    Offset::from_seconds(sign * secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_written_offset() {
        let d = Date::parse("2025-03-14T00:30:00+03:00").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (2025, 3, 14));
        assert_eq!(d.iso(), "2025-03-14T00:30:00+03:00");
        assert_eq!(d.human_with_time(), "14 March 2025, 00:30 UTC+03:00");
        assert_eq!(d.timestamp().to_string(), "2025-03-13T21:30:00Z");
    }

    #[test]
    fn bare_dates_and_utc() {
        let d = Date::parse("2025-02-28").unwrap();
        assert_eq!(d.iso(), "2025-02-28T00:00:00+00:00");
        assert_eq!(d.human_with_time(), "28 February 2025");
        let z = Date::parse("2025-02-28T10:00:00Z").unwrap();
        assert_eq!(z.human_with_time(), "28 February 2025, 10:00 UTC");
    }

    #[test]
    fn rejects_impossible_and_zoneless() {
        assert_eq!(
            Date::parse("2025-13-45").unwrap_err(),
            "there is no month 13; months run from 01 to 12"
        );
        assert_eq!(
            Date::parse("2025-02-30").unwrap_err(),
            "February 2025 has no day 30; it has 28 days"
        );
        assert!(Date::parse("2025-03-14T09:30:00").is_err());
        assert!(Date::parse("yesterday").is_err());
    }

    #[test]
    fn explains_what_to_write_instead() {
        assert_eq!(
            Date::parse("2025-03-14 09:00 MSK").unwrap_err(),
            "time zone names such as `MSK` are not understood; write the offset from UTC instead, e.g. 2025-03-14T09:00:00+03:00"
        );
        assert_eq!(
            Date::parse("2025-03-14T09:30:00").unwrap_err(),
            "the time has no offset from UTC; add one, e.g. 2025-03-14T09:30:00+03:00 (or Z for UTC)"
        );
        assert_eq!(
            Date::parse("2025-2-28").unwrap_err(),
            "write dates as YYYY-MM-DD, e.g. 2025-02-28 for `2025-2-28`"
        );
        assert_eq!(
            Date::parse("28/02/2025").unwrap_err(),
            "write dates as YYYY-MM-DD, e.g. 2025-02-28 for `28/02/2025`"
        );
        assert_eq!(
            Date::parse("yesterday").unwrap_err(),
            "write dates as YYYY-MM-DD, e.g. 2025-03-14"
        );
    }

    #[test]
    fn years_past_9999_are_an_error_not_a_panic() {
        assert_eq!(
            Date::parse("20250-5-01").unwrap_err(),
            "the year 20250 is out of range; write it with four digits"
        );
    }
}
