//! Reading what candidates write: names, connection labels, notes and
//! functional requirements.
//!
//! Candidates often state a mechanism in words instead of switching a
//! property ("idempotency key = order id", "TTL 10 min", "retried 3 times",
//! "partitioned by host"). These helpers find such phrases so that what is
//! written counts: a rule can then stay quiet, lower its severity, or offer a
//! one-click fix that sets the property the text describes.
//!
//! Everything here works on lower-case text and whole words: a phrase must
//! start at a word boundary ("date" does not match inside "update"), and a
//! match preceded by a negation in the same clause ("no existence check",
//! "without TLS") or followed by one ("TLS is switched off") does not count
//! as an affirmation. Known limits: no stemming beyond prefix matching
//! ("rate limit" matches "rate limiting"), no grammar, English only.

/// Words that negate the phrase that follows them in the same clause.
const NEGATORS: &[&str] = &[
    "no", "not", "never", "without", "nothing", "none", "non", "isn't", "doesn't", "don't",
    "cannot", "can't", "lacks", "nor",
];

/// Words that negate the phrase just before them ("TLS is switched off").
const NEGATORS_AFTER: &[&str] = &["off", "disabled", "removed", "skipped"];

/// Whether `b` may start or end a word.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Byte positions where `needle` starts at a word boundary in `hay`. Both
/// are expected in lower case. A needle that starts with punctuation
/// ("/me") matches anywhere.
pub(super) fn word_starts<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    // A plain scan: the texts are short, and setting up a substring
    // searcher per phrase costs more than it saves.
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    let first = n.first().copied();
    let needs_boundary = first.is_some_and(is_word_byte);
    h.iter().enumerate().filter_map(move |(at, &b)| {
        let first = first?;
        let starts = b == first && h.get(at..).is_some_and(|rest| rest.starts_with(n));
        let boundary =
            !needs_boundary || at == 0 || h.get(at - 1).is_some_and(|&p| !is_word_byte(p));
        (starts && boundary && hay.is_char_boundary(at)).then_some(at)
    })
}

/// Whether `needle` starts a word somewhere in `hay` (both lower case).
pub(super) fn has_word(hay: &str, needle: &str) -> bool {
    first_match(hay, &[needle], |_, _| true).is_some()
}

/// Whether `word` appears as a whole word in `hay` ("log" in "event log",
/// not in "logistics").
pub(super) fn has_whole_word(hay: &str, word: &str) -> bool {
    let bytes = hay.as_bytes();
    first_match(hay, &[word], |at, len| {
        bytes.get(at + len).is_none_or(|&b| !is_word_byte(b))
    })
    .is_some()
}

/// Whether any of `needles` starts a word in `hay`.
pub(super) fn has_any(hay: &str, needles: &[&str]) -> bool {
    first_match(hay, needles, |_, _| true).is_some()
}

/// The earliest match in `hay` of any of `needles` at a word start (or
/// anywhere, for a needle that starts with punctuation) that `accept`
/// takes, as a byte range. One pass over the text: each position is only
/// compared with the needles that start with its byte, and inside a word
/// only punctuation-led needles are tried.
fn first_match(
    hay: &str,
    needles: &[&str],
    accept: impl Fn(usize, usize) -> bool,
) -> Option<(usize, usize)> {
    let h = hay.as_bytes();
    let inside_words = needles
        .iter()
        .any(|n| n.as_bytes().first().is_some_and(|&b| !is_word_byte(b)));
    let mut previous_is_word = false;
    for (at, &b) in h.iter().enumerate() {
        let word_start = !previous_is_word;
        previous_is_word = is_word_byte(b);
        if !(word_start || inside_words) {
            continue;
        }
        // Needles are lower case; the text may be in any case (ASCII).
        let lower = b.to_ascii_lowercase();
        for needle in needles {
            let n = needle.as_bytes();
            if n.first() != Some(&lower) || (is_word_byte(b) && !word_start) {
                continue;
            }
            if h.get(at..at + n.len())
                .is_some_and(|rest| rest.eq_ignore_ascii_case(n))
                && hay.is_char_boundary(at)
                && accept(at, n.len())
            {
                return Some((at, at + n.len()));
            }
        }
    }
    None
}

/// Where a clause ends: the negation of one clause does not reach the next.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | '.' | ':' | '(' | ')' | '!' | '?' | '\n' | '|'
    )
}

/// Where the clause that starts `text` ends: at a separator, or at a dot
/// that ends a sentence (not the dot of `1.5`).
fn clause_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    text.char_indices()
        .find(|&(i, c)| {
            (c != '.' && is_clause_break(c))
                || (c == '.' && bytes.get(i + 1).is_none_or(|b| !b.is_ascii_digit()))
        })
        .map_or(text.len(), |(i, _)| i)
}

/// The words of `text` (lower case), split on anything that is not a
/// letter, digit or apostrophe.
fn words(text: &str) -> impl DoubleEndedIterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
}

/// Whether the match of a phrase of `len` bytes at `at` is negated by a
/// word shortly before it, or right after it, in the same clause.
fn negated(hay: &str, at: usize, len: usize) -> bool {
    let before = hay.get(..at).unwrap_or("");
    let clause = before.rsplit(is_clause_break).next().unwrap_or("");
    let is_any = |w: &str, list: &[&str]| list.iter().any(|n| n.eq_ignore_ascii_case(w));
    if words(clause).rev().take(4).any(|w| is_any(w, NEGATORS)) {
        return true;
    }
    let after = hay.get(at + len..).unwrap_or("");
    let clause = after.split(is_clause_break).next().unwrap_or("");
    // "TLS is switched off", "rate limiting disabled"; not "off-loaded".
    words(clause).take(4).any(|w| is_any(w, NEGATORS_AFTER))
        || clause
            .trim_start()
            .get(..6)
            .is_some_and(|s| s.eq_ignore_ascii_case("is not"))
}

/// The first place where one of `needles` is affirmed (present and not
/// negated) in `hay`, as the byte range of the match.
pub(super) fn affirmed(hay: &str, needles: &[&str]) -> Option<(usize, usize)> {
    first_match(hay, needles, |at, len| !negated(hay, at, len))
}

/// The clause (between separators such as `;` or `.`) around a byte range
/// of `hay`, trimmed and shortened to a quotable length.
pub(super) fn quote(hay: &str, (start, end): (usize, usize)) -> String {
    let is_stop = |c: char| matches!(c, ';' | '\n' | '|') || c == '.';
    let from = hay
        .get(..start)
        .and_then(|s| s.rfind(is_stop).map(|i| i + 1))
        .unwrap_or(0);
    let to = hay
        .get(end..)
        .and_then(|s| s.find(is_stop).map(|i| end + i))
        .unwrap_or(hay.len());
    let clause = hay.get(from..to).unwrap_or("").trim();
    shorten(clause, 90)
}

/// Like [`quote`], but taken from `original` (the text before lower-casing)
/// when lower-casing kept every byte offset, so quotes keep their case.
pub(super) fn quote_from(original: &str, lower: &str, range: (usize, usize)) -> String {
    if original.len() == lower.len()
        && original.is_char_boundary(range.0)
        && original.is_char_boundary(range.1)
    {
        quote(original, range)
    } else {
        quote(lower, range)
    }
}

/// At most `max` characters, cut at a word and marked with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

/// Splits a text into sentences and clauses at `.`, `;`, `!`, `?` and line
/// breaks (a dot inside a number such as `1.5` does not split).
pub(super) fn sentences(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let split = match c {
            ';' | '!' | '?' | '\n' => true,
            '.' => bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()),
            _ => false,
        };
        if split {
            if let Some(s) = text.get(start..i)
                && !s.trim().is_empty()
            {
                out.push(s.trim());
            }
            start = i + c.len_utf8();
        }
    }
    if let Some(s) = text.get(start..)
        && !s.trim().is_empty()
    {
        out.push(s.trim());
    }
    out
}

/// The tokens of an identifier such as a partition key, lower case:
/// `createdAt` → `created`, `at`; `/tenant_id` → `tenant`, `id`;
/// `URLHash` → `url`, `hash`.
pub(super) fn identifier_tokens(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in key.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None => false,
                Some(p) => {
                    (c.is_uppercase() && p.is_lowercase())
                        || (c.is_uppercase()
                            && p.is_uppercase()
                            && next.is_some_and(char::is_lowercase))
                        || (c.is_ascii_digit() != p.is_ascii_digit())
                }
            };
            if boundary && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            word.extend(c.to_lowercase());
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

/// A crude singular: `cities` → `city`, `hosts` → `host`, `addresses` →
/// `address`. Good enough to compare a counted noun with a key token.
pub(super) fn singular(word: &str) -> &str {
    if let Some(stem) = word.strip_suffix("ies") {
        // "cities" → "cit" + y is not representable as a slice; compare stems.
        return stem;
    }
    if word.ends_with("sses") {
        return word.get(..word.len() - 2).unwrap_or(word);
    }
    if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        return word;
    }
    word.strip_suffix('s').unwrap_or(word)
}

/// Whether two words name the same thing, allowing plural and `y`/`ies`.
pub(super) fn same_noun(a: &str, b: &str) -> bool {
    let (a, b) = (singular(a), singular(b));
    a == b || a.strip_suffix('y') == Some(b) || b.strip_suffix('y') == Some(a)
}

/// Parses a number written as digits (`1,000`, `2.5`, `10k`, `3M`) or as a
/// small English word (`a`, `one`, `ten`, `a dozen`).
pub(super) fn number(word: &str) -> Option<f64> {
    let named = match word {
        "a" | "an" | "one" | "once" | "single" => Some(1.0),
        "two" | "twice" => Some(2.0),
        "three" => Some(3.0),
        "four" => Some(4.0),
        "five" => Some(5.0),
        "six" => Some(6.0),
        "seven" => Some(7.0),
        "eight" => Some(8.0),
        "nine" => Some(9.0),
        "ten" => Some(10.0),
        "eleven" => Some(11.0),
        "twelve" | "dozen" => Some(12.0),
        "fifteen" => Some(15.0),
        "twenty" => Some(20.0),
        "thirty" => Some(30.0),
        "forty" => Some(40.0),
        "fifty" => Some(50.0),
        "sixty" => Some(60.0),
        "hundred" => Some(100.0),
        "few" => Some(3.0),
        _ => None,
    };
    if named.is_some() {
        return named;
    }
    let digits: String = word.chars().filter(|&c| c != ',' && c != '_').collect();
    let (digits, scale) = match digits.char_indices().last() {
        Some((i, 'k')) => (digits.get(..i).unwrap_or(""), 1e3),
        _ => (digits.as_str(), 1.0),
    };
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    digits.parse::<f64>().ok().map(|n| n * scale)
}

/// Multipliers written after a number ("3 million").
fn magnitude(word: &str) -> Option<f64> {
    match word {
        "thousand" => Some(1e3),
        "million" | "millions" | "m" | "mn" => Some(1e6),
        "billion" | "billions" | "bn" | "b" => Some(1e9),
        "trillion" => Some(1e12),
        _ => None,
    }
}

/// Seconds in one unit of time, for unit words and abbreviations.
fn unit_seconds(word: &str) -> Option<f64> {
    match word {
        "ms" | "msec" | "msecs" | "millisecond" | "milliseconds" => Some(0.001),
        "s" | "sec" | "secs" | "second" | "seconds" => Some(1.0),
        "min" | "mins" | "minute" | "minutes" => Some(60.0),
        "h" | "hr" | "hrs" | "hour" | "hours" => Some(3_600.0),
        "d" | "day" | "days" => Some(86_400.0),
        "week" | "weeks" => Some(604_800.0),
        "month" | "months" => Some(2_592_000.0),
        _ => None,
    }
}

/// Tokens of a lower-case text for number and unit parsing: words kept with
/// their inner dots and commas (`1.5`, `10,000`), everything else a break.
fn number_tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let keep = c.is_alphanumeric()
            || ((c == '.' || c == ',')
                && start.is_some()
                && bytes.get(i + 1).is_some_and(|b| b.is_ascii_digit())
                && i.checked_sub(1)
                    .and_then(|p| bytes.get(p))
                    .is_some_and(|b| b.is_ascii_digit()));
        match (keep, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.extend(text.get(s..i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.extend(text.get(s..));
    }
    out
}

/// The token `offset` places from `i` (negative: before), or "" past
/// either end.
fn token_at<'a>(tokens: &[&'a str], i: usize, offset: isize) -> &'a str {
    i.checked_add_signed(offset)
        .and_then(|j| tokens.get(j))
        .copied()
        .unwrap_or("")
}

/// Pieces of text joined with " | ", so that a phrase never runs from one
/// into the next.
pub(super) fn joined<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push_str(" | ");
        }
        out.push_str(part);
    }
    out
}

/// Splits `30s`, `500ms`, `24h`, `10min` into number and unit.
fn glued_duration(token: &str) -> Option<f64> {
    let split = token.find(|c: char| c.is_alphabetic())?;
    let (n, unit) = token.split_at(split);
    Some(number(n)? * unit_seconds(unit)?)
}

/// Every duration written in `text` (lower case), in seconds, with the
/// token index where it starts: "10 minutes", "a second", "30s",
/// "max-age=86400" (seconds), "ttl 600" (seconds).
pub(super) fn durations(text: &str) -> Vec<(usize, f64)> {
    let tokens = number_tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&token) = tokens.get(i) {
        if let Some(seconds) = glued_duration(token) {
            out.push((i, seconds));
        } else if let Some(n) = number(token) {
            let next = token_at(&tokens, i, 1);
            let prev = token_at(&tokens, i, -1);
            if let Some(unit) = unit_seconds(next) {
                // "a few minutes", "one second", "10 minutes"
                out.push((i, n * unit));
                i += 1;
            } else if next == "few"
                && let Some(unit) = unit_seconds(token_at(&tokens, i, 2))
            {
                out.push((i, 3.0 * unit));
                i += 2;
            } else if matches!(prev, "age" | "ttl")
                && token.starts_with(|c: char| c.is_ascii_digit())
            {
                out.push((i, n));
            }
        } else if token == "seconds" || token == "minutes" {
            // "within seconds", "within minutes": a handful of the unit.
            if matches!(token_at(&tokens, i, -1), "within" | "in" | "few") {
                out.push((i, 5.0 * unit_seconds(token).unwrap_or(1.0)));
            }
        }
        i += 1;
    }
    out
}

/// The first duration in `text` that follows one of `cues` within a few
/// words ("ttl 10 min", "expire after 30 s", "timeout of 2 s").
pub(super) fn duration_after(text: &str, cues: &[&str]) -> Option<f64> {
    cues.iter().find_map(|cue| {
        word_starts(text, cue).find_map(|at| {
            let rest = text.get(at + cue.len()..)?;
            let window: String = rest.get(..clause_end(rest))?.chars().take(40).collect();
            durations(&window).first().map(|&(_, s)| s)
        })
    })
}

/// A duration written right after one of `cues` ("timeout 2 s", "TTL of
/// 10 min") or right before it ("a 2 s timeout", "10-minute TTL").
pub(super) fn duration_near(text: &str, cues: &[&str]) -> Option<f64> {
    duration_after(text, cues).or_else(|| {
        cues.iter().find_map(|cue| {
            word_starts(text, cue).find_map(|at| {
                let before = text.get(..at)?;
                let start = before
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| c != '.' && is_clause_break(c))
                    .map_or(0, |(i, c)| i + c.len_utf8());
                let clause = before.get(start..)?;
                // Only the last few words before the cue.
                let tail: Vec<&str> = clause.split_whitespace().rev().take(3).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                durations(&tail.join(" ")).last().map(|&(_, s)| s)
            })
        })
    })
}

/// A peak written as a multiple in a sentence about peaks ("traffic spikes
/// 10x during sales", "evening load is five times the average").
pub(super) fn peak_multiple(text: &str) -> Option<f64> {
    sentences(text).into_iter().find_map(|sentence| {
        if !has_any(sentence, &["peak", "spike", "burst", "surge", "rush"]) {
            return None;
        }
        let tokens = number_tokens(sentence);
        tokens.iter().enumerate().find_map(|(i, &t)| {
            let glued = t.strip_suffix('x').and_then(number);
            let spaced = number(t)
                .filter(|_| matches!(tokens.get(i + 1).copied(), Some("times" | "x" | "fold")));
            glued.or(spaced).filter(|&n| n >= 2.0)
        })
    })
}

/// Counted nouns in `text` (lower case): "3 million pastes" → (3e6,
/// "pastes"), "about 6 billion urls", "120 cities", "5,000 publisher feeds"
/// (the noun right after the number and its magnitude).
pub(super) fn counts(text: &str) -> Vec<(f64, String)> {
    let tokens = number_tokens(text);
    let mut out = Vec::new();
    for (i, &token) in tokens.iter().enumerate() {
        if !token.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let Some(mut n) = number(token) else { continue };
        let mut j = i + 1;
        if let Some(m) = tokens.get(j).and_then(|w| magnitude(w)) {
            n *= m;
            j += 1;
        }
        let Some(noun) = tokens.get(j) else { continue };
        // "400 runs a day" and "40 pages/s" are rates, not how many there are.
        let after = tokens.get(j + 1).copied().unwrap_or("");
        let after2 = tokens.get(j + 2).copied().unwrap_or("");
        let rate = unit_seconds(after).is_some()
            || (matches!(after, "a" | "an" | "per" | "each" | "every")
                && unit_seconds(after2).is_some());
        if noun.chars().all(char::is_alphabetic) && unit_seconds(noun).is_none() && !rate {
            out.push((n, (*noun).to_owned()));
        }
    }
    out
}

/// A whole number written right before or after one of `cues`: "up to 10
/// deliveries", "4 retries", "retried 3 times", "max delivery count 5".
pub(super) fn count_near(text: &str, before: &[&str], after: &[&str]) -> Option<u32> {
    let tokens = number_tokens(text);
    for (i, &token) in tokens.iter().enumerate() {
        let Some(n) = number(token).filter(|_| token.starts_with(|c: char| c.is_ascii_digit()))
        else {
            continue;
        };
        let next = token_at(&tokens, i, 1);
        let prev = token_at(&tokens, i, -1);
        let prev2 = token_at(&tokens, i, -2);
        let follows = |cue: &&str| next.starts_with(cue);
        let precedes = |cue: &&str| {
            prev.starts_with(cue)
                || (matches!(prev, "to" | "of" | "is" | "at") && prev2.starts_with(cue))
        };
        if before.iter().any(follows) || after.iter().any(precedes) {
            return u32::try_from(n as u64).ok();
        }
    }
    None
}

/// Words that end in `s` but are singular (or mass nouns) in the names
/// candidates give components.
const SINGULAR_S: &[&str] = &[
    "analytics",
    "metrics",
    "news",
    "redis",
    "postgres",
    "kubernetes",
    "status",
    "sms",
    "aws",
    "dns",
    "cms",
    "ios",
    "https",
    "series",
    "logistics",
    "insights",
    "jobs",
    "ads",
    "express",
    "bus",
    "hubs",
    "statistics",
    "payments",
    "sales",
];

/// Whether a component name reads as a plural ("Order events", "Job
/// endpoints"), so messages take a plural verb. The last word before a
/// parenthesis decides: "Conversation events (Kafka)" is plural,
/// "Runner (WE)" is not.
pub(super) fn is_plural(name: &str) -> bool {
    let head = name.split('(').next().unwrap_or(name);
    let Some(last) = head.split_whitespace().next_back() else {
        return false;
    };
    let last = last.trim_matches(|c: char| !c.is_alphanumeric());
    let ends = |suffix: &str| {
        last.len() >= suffix.len()
            && last
                .get(last.len() - suffix.len()..)
                .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
    };
    last.len() > 3
        && ends("s")
        && !ends("ss")
        && !ends("us")
        && !ends("is")
        && !SINGULAR_S.iter().any(|w| w.eq_ignore_ascii_case(last))
}

/// `singular` or `plural` to agree with a component name.
pub(super) fn verb<'a>(name: &str, singular: &'a str, plural: &'a str) -> &'a str {
    if is_plural(name) { plural } else { singular }
}

/// The message of a finding whose mechanism is written in a label or note
/// but not set: "Mailer retries by what the design says ("…"), but its
/// Retry policy is none: set it so the design shows it". `says` is the
/// verb phrase for one and for many; `unset` names the setting and its
/// value.
pub(super) fn written_but_unset(
    name: &str,
    says: (&str, &str),
    quote: Option<&str>,
    unset: &str,
) -> String {
    let its = if is_plural(name) { "their" } else { "its" };
    let does = verb(name, says.0, says.1);
    let quoted = quote.map(|q| format!(" (\"{q}\")")).unwrap_or_default();
    format!(
        "{name} {does} by what the design says{quoted}, but {its} {unset}: set it so the design shows it"
    )
}

/// "A", "A and B", "A, B and C"; long lists end with "and N more".
pub(super) fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    const SHOWN: usize = 6;
    let mut parts: Vec<&str> = items.iter().take(SHOWN).map(AsRef::as_ref).collect();
    let more = items.len().saturating_sub(SHOWN);
    let more_text = format!("{more} more");
    if more > 0 {
        parts.push(&more_text);
    }
    match parts.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A count with its noun: "1 instance", "3 instances".
pub(super) fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Seconds written the way people say them: "500 ms", "30 s", "10 min",
/// "2 h", "1 day".
pub(super) fn human_seconds(seconds: f64) -> String {
    let round = |x: f64| {
        if (x - x.round()).abs() < 0.05 {
            format!("{}", x.round() as i64)
        } else {
            format!("{x:.1}")
        }
    };
    if seconds < 1.0 {
        format!("{} ms", round(seconds * 1_000.0))
    } else if seconds < 120.0 {
        format!("{} s", round(seconds))
    } else if seconds < 7_200.0 {
        format!("{} min", round(seconds / 60.0))
    } else if seconds < 172_800.0 {
        format!("{} h", round(seconds / 3_600.0))
    } else {
        format!("{} days", round(seconds / 86_400.0))
    }
}

/// A large number written for people: 4,300,000 → "4.3 million".
pub(super) fn human_count(n: f64) -> String {
    if n >= 1e9 {
        format!("{:.1} billion", n / 1e9).replace(".0 ", " ")
    } else if n >= 1e6 {
        format!("{:.1} million", n / 1e6).replace(".0 ", " ")
    } else if n >= 10_000.0 {
        format!("{:.0},{:03.0}", (n / 1_000.0).floor(), n % 1_000.0)
    } else if n >= 10.0 {
        format!("{n:.0}")
    } else if n >= 0.1 {
        format!("{n:.1}").trim_end_matches(".0").to_owned()
    } else if n > 0.0 {
        "under 0.1".to_owned()
    } else {
        "0".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_in_any_case() {
        assert!(has_word("Uses the Recreate strategy", "recreate"));
        assert!(affirmed("No rate limit here", &["rate limit"]).is_none());
        assert!(affirmed("TLS Is Switched Off", &["tls"]).is_none());
    }

    #[test]
    fn phrases_match_whole_words_only() {
        assert!(has_word("rate limiting per ip", "rate limit"));
        assert!(!has_word("an update stamp", "date"));
        assert!(has_word("get /me/orders", "/me"));
        assert!(has_any(
            "uses a circuit-breaker",
            &["breaker", "circuit-breaker"]
        ));
    }

    #[test]
    fn negations_in_the_same_clause_cancel_an_affirmation() {
        assert!(affirmed("no existence check", &["existence check"]).is_none());
        assert!(has_any("no existence check", &["existence check"]));
        assert!(affirmed("tls is switched off at the lb", &["tls"]).is_none());
        assert!(affirmed("no retries, but tls everywhere", &["tls"]).is_some());
        assert!(affirmed("the hub caps connections per ip", &["caps"]).is_some());
        assert!(affirmed("without rate limiting", &["rate limit"]).is_none());
    }

    #[test]
    fn durations_are_read_in_their_common_forms() {
        let secs = |t: &str| durations(t).into_iter().map(|(_, s)| s).collect::<Vec<_>>();
        assert_eq!(secs("within one minute"), vec![60.0]);
        assert_eq!(secs("ttl 10 min, 30s retries"), vec![600.0, 30.0]);
        assert_eq!(secs("cache-control: max-age=86400"), vec![86_400.0]);
        assert_eq!(secs("at most 2 minutes stale"), vec![120.0]);
        assert_eq!(secs("500ms timeout"), vec![0.5]);
        assert_eq!(secs("within a few minutes"), vec![180.0]);
        assert_eq!(secs("within seconds"), vec![5.0]);
        assert_eq!(
            duration_after("entries expire after 45 s", &["expire"]),
            Some(45.0)
        );
        assert_eq!(duration_after("timeout of 1.5 s", &["timeout"]), Some(1.5));
        assert_eq!(
            duration_near("calls it with a 2 s timeout", &["timeout"]),
            Some(2.0)
        );
        assert_eq!(
            duration_near("a 10-minute ttl on every entry", &["ttl"]),
            Some(600.0)
        );
        assert_eq!(duration_near("no timeout here", &["timeout"]), None);
        assert_eq!(peak_multiple("traffic spikes 10x during sales"), Some(10.0));
        assert_eq!(
            peak_multiple("the evening peak is five times the average"),
            Some(5.0)
        );
        assert_eq!(peak_multiple("users post 10x a day"), None);
        assert_eq!(secs("about 400 runs a day"), vec![86_400.0]);
    }

    #[test]
    fn counted_nouns_and_counts_near_cues_are_found() {
        assert_eq!(
            counts("about 3 million pastes are live"),
            vec![(3e6, "pastes".to_owned())]
        );
        assert_eq!(
            counts("5,000 publisher feeds"),
            vec![(5_000.0, "publisher".to_owned())]
        );
        assert!(counts("about 400 runs a day, 40 pages/s").is_empty());
        assert_eq!(
            count_near("up to 10 deliveries per run", &["deliver"], &[]),
            Some(10)
        );
        assert_eq!(
            count_near("retried up to 4 times", &["time"], &["retr"]),
            Some(4)
        );
        assert_eq!(count_near("max delivery count 7", &[], &["count"]), Some(7));
        assert_eq!(count_near("nothing here", &["deliver"], &[]), None);
    }

    #[test]
    fn identifiers_split_into_whole_tokens() {
        assert_eq!(identifier_tokens("createdAt"), ["created", "at"]);
        assert_eq!(identifier_tokens("/tenant_id"), ["tenant", "id"]);
        assert_eq!(identifier_tokens("URLHash"), ["url", "hash"]);
        assert_eq!(identifier_tokens("estateId"), ["estate", "id"]);
        assert_eq!(identifier_tokens("h3Cell"), ["h", "3", "cell"]);
        assert!(same_noun("cities", "city"));
        assert!(same_noun("hosts", "host"));
        assert!(!same_noun("host", "hash"));
    }

    #[test]
    fn sentences_split_at_stops_but_not_inside_numbers() {
        assert_eq!(
            sentences("Costs 1.5 s. Then more; and a line\nlast"),
            ["Costs 1.5 s", "Then more", "and a line", "last"]
        );
    }

    #[test]
    fn names_agree_with_their_verbs_and_lists_read_naturally() {
        assert!(is_plural("Order events"));
        assert!(is_plural("Conversation events (Kafka)"));
        assert!(!is_plural("Runner (WE)"));
        assert!(!is_plural("Redis"));
        assert!(!is_plural("Click analytics"));
        assert!(!is_plural("Service Bus"));
        assert_eq!(verb("Job endpoints", "is", "are"), "are");
        assert_eq!(join_and(&["a"]), "a");
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
        let many: Vec<String> = (0..9).map(|i| i.to_string()).collect();
        assert_eq!(join_and(&many), "0, 1, 2, 3, 4, 5 and 3 more");
        assert_eq!(plural(1, "instance", "instances"), "1 instance");
    }

    #[test]
    fn numbers_read_for_people() {
        assert_eq!(human_seconds(0.25), "250 ms");
        assert_eq!(human_seconds(30.0), "30 s");
        assert_eq!(human_seconds(600.0), "10 min");
        assert_eq!(human_seconds(86_400.0), "24 h");
        assert_eq!(human_count(4_300_000.0), "4.3 million");
        assert_eq!(human_count(6e9), "6 billion");
        assert_eq!(human_count(143_000.0), "143,000");
        assert_eq!(
            quote(
                "first part; the hub caps connections per ip; last",
                (15, 19)
            ),
            "the hub caps connections per ip"
        );
    }
}
