//! Dates as front matter writes them: RFC 3339, a bare day, a local time,
//! Jekyll's `2024-06-28 09:00:00 +0800`, and the forms Chinese editors
//! type (`2024年6月28日 09:00`, `2024/6/28`, `2024-6-28`), resolved in the
//! site's zone.

use jiff::Timestamp;
use jiff::civil;
use jiff::tz::TimeZone;

use crate::i18n::Message;

/// A date as written, before it is resolved in a time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDate(pub String);

/// A date resolved: the moment it names, and the calendar day as written
/// (which a `tag:` id keeps, whatever the site's time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub at: Timestamp,
    pub day: civil::Date,
    /// Whether only a day was written (`2024-06-28`, `2024年6月28日`): `at`
    /// is its midnight, which pages show as the day alone.
    pub day_only: bool,
}

impl RawDate {
    /// Resolves the date: an offset in the text wins; otherwise the date (at
    /// midnight) or local date-time is read in the site's time zone.
    /// Accepted: `2024-06-28`, `2024-06-28T09:00[:00]`, either with `Z` or an
    /// offset (RFC 3339), a space instead of `T`, Jekyll's
    /// `2024-06-28 09:00:00 +0800`, and, in the site's zone, `2024年6月28日`,
    /// `2024/6/28` and `2024-6-28`, each with or without a time (`09:00`,
    /// `9:00:30`), in full-width digits too. A day without a year
    /// (`6月28日`) is refused with its spelling with one.
    pub fn resolve(&self, tz: &TimeZone) -> Result<Resolved, Message> {
        let written = self.0.as_str();
        // The common forms first: the editors' forms cost a copy of the
        // text, and every article of a scan has a date.
        resolve_written(&jekyll_offset(written), tz)
            .or_else(|| editors_spelling(written).and_then(|text| resolve_written(&text, tz)))
            .ok_or_else(|| {
                without_year(written)
                    .unwrap_or_else(|| Message::new("fm-not-a-date").arg("text", written))
            })
    }
}

/// The moment and day `text` names, as RFC 3339 or a local date or
/// date-time (in `tz`), if it is one.
fn resolve_written(text: &str, tz: &TimeZone) -> Option<Resolved> {
    let pieces = jiff::fmt::temporal::Pieces::parse(text).ok()?;
    let (day, day_only) = (pieces.date(), pieces.time().is_none());
    if let Ok(at) = text.parse::<Timestamp>() {
        return Some(Resolved { at, day, day_only });
    }
    let civil = text
        .parse::<civil::DateTime>()
        .ok()
        .filter(|_| !text.ends_with(['Z', 'z']))
        .or_else(|| {
            text.parse::<civil::Date>()
                .ok()
                .map(|d| d.to_datetime(civil::Time::midnight()))
        })?;
    let zoned = tz.to_zoned_datetime(civil).ok()?;
    Some(Resolved {
        at: zoned.timestamp(),
        day,
        day_only,
    })
}

/// `text` with full-width digits and colons (a Chinese input method's) as
/// ASCII ones.
fn half_width(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_digit(c as u32 - '０' as u32, 10).unwrap_or(c),
            '：' => ':',
            '／' => '/',
            '－' => '-',
            _ => c,
        })
        .collect()
}

/// A day written as `2024年6月28日`, `2024/6/28` or `2024-6-28`, with an
/// optional time of `H:MM` or `H:MM:SS` after it, as the local date-time
/// `2024-06-28T09:00:00` that jiff reads; none for any other text (ISO
/// forms with two-digit months are left to jiff as written).
fn editors_spelling(text: &str) -> Option<String> {
    let text = half_width(text);
    let (day, time) = split_day(&text)?;
    let numbers = |part: &str, separators: &[char]| -> Option<Vec<u32>> {
        part.split(separators)
            .filter(|s| !s.is_empty())
            .map(|n| {
                (n.len() <= 4 && n.bytes().all(|b| b.is_ascii_digit())).then(|| n.parse().ok())?
            })
            .collect()
    };
    let ymd = numbers(day, &['年', '月', '日', '/', '-'])?;
    let [year, month, date] = ymd[..] else {
        return None;
    };
    if year < 1000 || month > 12 || date > 31 {
        return None;
    }
    // A day alone stays one, so that it is known as one.
    let time = time.trim();
    if time.is_empty() {
        return Some(format!("{year:04}-{month:02}-{date:02}"));
    }
    let hms = numbers(time, &[':'])?;
    let (hour, minute, second) = match hms[..] {
        [h, m] => (h, m, 0),
        [h, m, s] => (h, m, s),
        _ => return None,
    };
    Some(format!(
        "{year:04}-{month:02}-{date:02}T{hour:02}:{minute:02}:{second:02}"
    ))
}

/// `text` as its day and what follows (a time, or nothing), if it is
/// written the way [`editors_spelling`] reads: `年`/`月`/`日`, or slashes, or
/// dashes with a one-digit month or day.
fn split_day(text: &str) -> Option<(&str, &str)> {
    if let Some(end) = text.find('日') {
        let day = &text[..end + '日'.len_utf8()];
        return (day.contains('年') && day.contains('月')).then_some((day, &text[day.len()..]));
    }
    let (day, time) = text.split_once([' ', 'T']).unwrap_or((text, ""));
    let dashes = day.split('-').count() == 3 && day.split('-').any(|p| p.len() == 1);
    (day.split('/').count() == 3 || dashes).then_some((day, time))
}

/// The refusal of a day written without its year (`6月28日`, `6/28`),
/// spelling it with one; none for any other text.
fn without_year(text: &str) -> Option<Message> {
    let text = half_width(text);
    let day = text.split_whitespace().next()?;
    let parts: Vec<&str> = day
        .split(['月', '日', '/'])
        .filter(|s| !s.is_empty())
        .collect();
    let chinese = day.contains('月') && !day.contains('年');
    let slashed = day.matches('/').count() == 1;
    let [month, date] = parts[..] else {
        return None;
    };
    let small = |n: &str| n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit());
    ((chinese || slashed) && small(month) && small(date)).then(|| {
        Message::new("fm-no-year")
            .arg("text", text.as_str())
            .arg("month", month)
            .arg("day", date)
    })
}

/// Jekyll writes the offset after a space and without a colon
/// (`2024-06-28 09:00:00 +0800`); RFC 3339 wants `2024-06-28 09:00:00+08:00`.
fn jekyll_offset(text: &str) -> String {
    let Some((datetime, offset)) = text.rsplit_once(' ') else {
        return text.to_owned();
    };
    let bytes = offset.as_bytes();
    let numeric = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    match bytes.len() {
        5 if matches!(bytes[0], b'+' | b'-') && numeric(1..5) => {
            format!("{}{}:{}", datetime.trim_end(), &offset[..3], &offset[3..])
        }
        6 if matches!(bytes[0], b'+' | b'-')
            && bytes[3] == b':'
            && numeric(1..3)
            && numeric(4..6) =>
        {
            format!("{}{offset}", datetime.trim_end())
        }
        _ => text.to_owned(),
    }
}
