//! Scheduled publication: an article dated in the future is published at
//! its time. The daemon sleeps until the next such time (at most a day at a
//! time, then looks again) and publishes then; until that moment no cache
//! may keep a document longer than the time left, so `Cache-Control:
//! max-age` is capped at it. Every function takes the clock as a value.

use std::time::Duration;

use jiff::Timestamp;

/// The longest the daemon sleeps before it looks at the clock again.
pub const LONGEST_SLEEP: Duration = Duration::from_secs(86_400);

/// `max-age` in seconds: the configured one, or the whole seconds left until
/// `next` (the next scheduled publication), whichever is shorter; 0 once it
/// is due.
pub fn max_age(configured: u64, next: Option<Timestamp>, now: Timestamp) -> u64 {
    match next {
        Some(next) => {
            let left = next.as_second().saturating_sub(now.as_second());
            configured.min(u64::try_from(left).unwrap_or(0))
        }
        None => configured,
    }
}

/// How long to sleep at `now` until `when`: none once it is due, and at
/// most [`LONGEST_SLEEP`] (the loop then looks again).
pub fn sleep_until(when: Timestamp, now: Timestamp) -> Duration {
    let left = when.as_millisecond().saturating_sub(now.as_millisecond());
    Duration::from_millis(u64::try_from(left).unwrap_or(0)).min(LONGEST_SLEEP)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(second).unwrap()
    }

    #[test]
    fn max_age_stops_at_the_next_scheduled_publication() {
        let now = at(1_000);
        assert_eq!(max_age(300, None, now), 300);
        assert_eq!(max_age(300, Some(at(1_042)), now), 42);
        assert_eq!(max_age(300, Some(at(5_000)), now), 300);
        assert_eq!(max_age(300, Some(at(999)), now), 0, "due already");
    }

    #[test]
    fn sleeps_end_when_due_and_last_at_most_a_day() {
        let now = at(1_000);
        assert_eq!(sleep_until(at(1_003), now), Duration::from_secs(3));
        assert_eq!(sleep_until(at(900), now), Duration::ZERO);
        assert_eq!(sleep_until(at(10_000_000), now), LONGEST_SLEEP);
    }
}
