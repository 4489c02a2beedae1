//! Dates as front matter writes them: RFC 3339, a bare day, a local time,
//! and Jekyll's `2024-06-28 09:00:00 +0800`, resolved in the site's zone.

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
}

impl RawDate {
    /// Resolves the date: an offset in the text wins; otherwise the date (at
    /// midnight) or local date-time is read in the site's time zone.
    /// Accepted: `2024-06-28`, `2024-06-28T09:00[:00]`, either with `Z` or an
    /// offset (RFC 3339), a space instead of `T`, and Jekyll's
    /// `2024-06-28 09:00:00 +0800`.
    pub fn resolve(&self, tz: &TimeZone) -> Result<Resolved, Message> {
        let text = jekyll_offset(self.0.as_str());
        let not_a_date = || Message::new("fm-not-a-date").arg("text", self.0.as_str());
        let day = jiff::fmt::temporal::Pieces::parse(text.as_str())
            .map(|pieces| pieces.date())
            .map_err(|_| not_a_date())?;
        if let Ok(at) = text.parse::<Timestamp>() {
            return Ok(Resolved { at, day });
        }
        let civil = text
            .parse::<civil::DateTime>()
            .ok()
            .filter(|_| !text.ends_with(['Z', 'z']))
            .or_else(|| {
                text.parse::<civil::Date>()
                    .ok()
                    .map(|d| d.to_datetime(civil::Time::midnight()))
            });
        civil
            .and_then(|dt| tz.to_zoned_datetime(dt).ok())
            .map(|zdt| Resolved {
                at: zdt.timestamp(),
                day,
            })
            .ok_or_else(not_a_date)
    }
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
