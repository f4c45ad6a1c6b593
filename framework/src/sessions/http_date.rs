//! The HTTP dates Flask's `" d"` tag holds: Werkzeug's `http_date` and
//! `parse_date` for the form Flask writes (`Sun, 06 Nov 1994 08:49:37 GMT`), over
//! the whole range of Python's `datetime` (years 1 to 9999, before 1970 too, which
//! the `httpdate` crate does not cover).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY: i64 = 86_400;

/// Whole seconds since the Unix epoch, rounded down (as a `datetime` drops its
/// microseconds when Werkzeug formats it).
pub(crate) fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let before = before.duration();
            let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            if before.subsec_nanos() > 0 { -whole.saturating_add(1) } else { -whole }
        }
    }
}

/// `http_date(datetime)`: `Wed, 21 Oct 2015 07:28:00 GMT`, in UTC.
pub(crate) fn format(time: SystemTime) -> String {
    let seconds = unix_seconds(time);
    let (days, second_of_day) = (seconds.div_euclid(DAY), seconds.rem_euclid(DAY));
    let (year, month, day) = civil_from_days(days);
    let weekday = WEEKDAYS[days.rem_euclid(7) as usize];
    let (hour, minute, second) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
    let month = MONTHS[(month - 1) as usize];
    format!("{weekday}, {day:02} {month} {year:04} {hour:02}:{minute:02}:{second:02} GMT")
}

/// `parse_date(text)` for the form [`format`] writes; `None` where Werkzeug's
/// `parse_date` gives `None` too (no date, or a day that does not exist). As
/// Python's `email.utils` does, the weekday is not checked and a year below 100
/// is read as two digits (`0001` is 2001, `0070` is 1970).
pub(crate) fn parse(text: &str) -> Option<SystemTime> {
    let rest = text.get(3..)?.strip_prefix(", ")?;
    if !text.as_bytes()[..3].iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut fields = rest.split(' ');
    let day = number(fields.next()?, 2)?;
    let month_name = fields.next()?;
    let month = MONTHS.iter().position(|name| *name == month_name)? as i64 + 1;
    let mut year = number(fields.next()?, 4)?;
    let mut clock = fields.next()?.split(':');
    let (hour, minute, second) = (number(clock.next()?, 2)?, number(clock.next()?, 2)?, number(clock.next()?, 2)?);
    if fields.next()? != "GMT" || fields.next().is_some() || clock.next().is_some() {
        return None;
    }
    if year < 100 {
        year += if year > 68 { 1900 } else { 2000 };
    }
    if day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let seconds = days_from_civil(year, month, day) * DAY + hour * 3600 + minute * 60 + second;
    let magnitude = Duration::from_secs(seconds.unsigned_abs());
    if seconds < 0 { UNIX_EPOCH.checked_sub(magnitude) } else { UNIX_EPOCH.checked_add(magnitude) }
}

/// Exactly `digits` ASCII digits.
fn number(text: &str, digits: usize) -> Option<i64> {
    if text.len() != digits || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> SystemTime {
        if seconds < 0 {
            UNIX_EPOCH - Duration::from_secs(seconds.unsigned_abs())
        } else {
            UNIX_EPOCH + Duration::from_secs(seconds as u64)
        }
    }

    #[test]
    fn dates_are_written_as_werkzeug_writes_them() {
        // Expected strings are what Werkzeug 3.1's http_date prints.
        assert_eq!(format(at(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(format(at(784_111_777)), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(format(at(951_782_400)), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(format(at(-62_135_596_800)), "Mon, 01 Jan 0001 00:00:00 GMT");
        assert_eq!(format(at(253_402_300_799)), "Fri, 31 Dec 9999 23:59:59 GMT");
    }

    #[test]
    fn fractions_of_a_second_are_dropped_downwards_before_1970_too() {
        assert_eq!(format(at(10) + Duration::from_millis(999)), "Thu, 01 Jan 1970 00:00:10 GMT");
        assert_eq!(format(UNIX_EPOCH - Duration::from_micros(1)), "Wed, 31 Dec 1969 23:59:59 GMT");
    }

    #[test]
    fn every_written_date_reads_back() {
        for seconds in [-2_208_988_800, -1, 0, 1, 68_169_600, 1_700_000_000, 4_102_444_800, 253_402_300_799] {
            assert_eq!(parse(&format(at(seconds))), Some(at(seconds)), "{seconds}");
        }
    }

    #[test]
    fn years_below_100_read_as_two_digit_years_as_python_reads_them() {
        assert_eq!(parse("Mon, 01 Jan 0001 00:00:00 GMT"), parse("Mon, 01 Jan 2001 00:00:00 GMT"));
        assert_eq!(parse("Thu, 01 Jan 0070 00:00:00 GMT"), Some(at(0)));
    }

    #[test]
    fn what_python_would_not_read_is_none() {
        for text in [
            "",
            "garbage",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 29 Feb 1900 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49:60 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Dé, 06 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
        // The weekday is not checked, as email.utils does not check it.
        assert_eq!(parse("Xyz, 06 Nov 1994 08:49:37 GMT"), Some(at(784_111_777)));
    }
}
