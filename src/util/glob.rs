//! Glob matching with the exact semantics of Redis 7.0's `stringmatchlen`
//! (KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE patterns).
//!
//! Redis matches recursively, one level per `*`. We match iteratively with a
//! single backtrack point (the most recent `*`), which yields the same answer
//! because every non-`*` element consumes exactly one byte: retrying an
//! earlier `*` can only start the remainder later in the string, and every
//! later start has already been tried. This also gives the O(pattern×string)
//! bound Redis 7 gets from its "skip longer matches" flag, without recursion
//! depth proportional to the number of stars.

/// Redis (the Debian 7.0.15 build with the CVE-2024-31228 fix, and upstream
/// since 7.2.6) gives up once its recursion passes this many `*` levels.
const MAX_STAR_NESTING: u32 = 1000;

/// Glob-match `string` against `pattern` exactly as Redis does.
///
/// Quirks kept on purpose because clients can observe them:
/// - An empty `string` only matches an empty pattern, so `*` does not match
///   the empty key. Redis's KEYS and SCAN special-case the literal pattern
///   `*` before calling the matcher; callers must do the same.
/// - `[` without a closing `]` treats the rest of the pattern as the set.
/// - A trailing `\` (outside or inside a set) is a literal backslash.
/// - Ranges may be reversed (`[z-a]`), compare bytes as *signed* chars, and
///   under `nocase` are lowercased after being put in order.
/// - An escaped byte inside a set is compared case-sensitively even when
///   `nocase` is set.
/// - With more than 1000 non-trailing `*` groups the pattern never matches.
pub fn glob_match(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
    if string.is_empty() {
        return pattern.is_empty();
    }
    let mut p = 0usize;
    let mut s = 0usize;
    // Where to resume after the latest `*`: pattern index just past it and
    // the string index its match currently ends at.
    let mut backtrack: Option<(usize, usize)> = None;
    let mut stars_seen = 0u32;

    while s < string.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            while p + 1 < pattern.len() && pattern[p + 1] == b'*' {
                p += 1;
            }
            if p + 1 == pattern.len() {
                return true;
            }
            stars_seen += 1;
            if stars_seen > MAX_STAR_NESTING {
                return false;
            }
            p += 1;
            backtrack = Some((p, s));
            continue;
        }
        let step = if p < pattern.len() {
            match_one(pattern, p, string[s], nocase)
        } else {
            None
        };
        match step {
            Some(next_p) => {
                p = next_p;
                s += 1;
            }
            None => match backtrack {
                // The empty remainder is never retried: the element after a
                // star always needs at least one byte.
                Some((bp, bs)) if bs + 1 < string.len() => {
                    backtrack = Some((bp, bs + 1));
                    p = bp;
                    s = bs + 1;
                }
                _ => return false,
            },
        }
    }
    while p < pattern.len() && pattern[p] == b'*' {
        p += 1;
    }
    p == pattern.len()
}

/// Matches one non-`*` pattern element starting at `p` against byte `c`.
/// Returns the index just past the element on success.
fn match_one(pattern: &[u8], mut p: usize, c: u8, nocase: bool) -> Option<usize> {
    match pattern[p] {
        b'?' => Some(p + 1),
        b'[' => {
            p += 1;
            let negate = p < pattern.len() && pattern[p] == b'^';
            if negate {
                p += 1;
            }
            let mut hit = false;
            loop {
                let left = pattern.len() - p;
                if left >= 2 && pattern[p] == b'\\' {
                    p += 1;
                    if pattern[p] == c {
                        hit = true;
                    }
                } else if left == 0 {
                    // Unterminated set: it simply ends with the pattern.
                    break;
                } else if pattern[p] == b']' {
                    p += 1;
                    break;
                } else if left >= 3 && pattern[p + 1] == b'-' {
                    // Redis compares `char`, which is signed on x86-64 (the
                    // build we match), so bytes >= 0x80 sort below ASCII.
                    let (mut lo, mut hi) = (pattern[p] as i8 as i32, pattern[p + 2] as i8 as i32);
                    if lo > hi {
                        std::mem::swap(&mut lo, &mut hi);
                    }
                    let mut ch = c as i8 as i32;
                    if nocase {
                        lo = lower_i32(lo);
                        hi = lower_i32(hi);
                        ch = lower_i32(ch);
                    }
                    if lo <= ch && ch <= hi {
                        hit = true;
                    }
                    p += 2;
                } else if eq_byte(pattern[p], c, nocase) {
                    hit = true;
                }
                p += 1;
            }
            if hit != negate { Some(p) } else { None }
        }
        b'\\' if p + 1 < pattern.len() => eq_byte(pattern[p + 1], c, nocase).then_some(p + 2),
        b => eq_byte(b, c, nocase).then_some(p + 1),
    }
}

/// C-locale `tolower`: only ASCII letters change.
fn lower_i32(v: i32) -> i32 {
    if (i32::from(b'A')..=i32::from(b'Z')).contains(&v) {
        v + 32
    } else {
        v
    }
}

fn eq_byte(a: u8, b: u8, nocase: bool) -> bool {
    if nocase {
        a.eq_ignore_ascii_case(&b)
    } else {
        a == b
    }
}

#[cfg(test)]
mod tests {
    use super::glob_match;
    use std::time::{Duration, Instant};

    /// Straight recursive statement of the Redis algorithm (without the
    /// nesting cap), used as an oracle for the iterative matcher.
    fn reference(p: &[u8], s: &[u8], nocase: bool) -> bool {
        fn go(p: &[u8], s: &[u8], nocase: bool) -> bool {
            if s.is_empty() {
                return p.is_empty();
            }
            let mut pi = 0;
            let mut si = 0;
            while pi < p.len() && si < s.len() {
                if p[pi] == b'*' {
                    while pi + 1 < p.len() && p[pi + 1] == b'*' {
                        pi += 1;
                    }
                    if pi + 1 == p.len() {
                        return true;
                    }
                    return (si..s.len()).any(|k| go(&p[pi + 1..], &s[k..], nocase));
                }
                match super::match_one(p, pi, s[si], nocase) {
                    Some(n) => {
                        pi = n;
                        si += 1;
                    }
                    None => return false,
                }
            }
            if si == s.len() {
                while pi < p.len() && p[pi] == b'*' {
                    pi += 1;
                }
            }
            pi == p.len() && si == s.len()
        }
        go(p, s, nocase)
    }

    fn m(p: &str, s: &str) -> bool {
        glob_match(p.as_bytes(), s.as_bytes(), false)
    }

    fn mi(p: &str, s: &str) -> bool {
        glob_match(p.as_bytes(), s.as_bytes(), true)
    }

    #[test]
    fn literals_and_wildcards() {
        assert!(m("hello", "hello"));
        assert!(!m("hello", "hell"));
        assert!(!m("hell", "hello"));
        assert!(m("h?llo", "hallo"));
        assert!(!m("h?llo", "hllo"));
        assert!(m("h*llo", "hllo"));
        assert!(m("h*llo", "heeeello"));
        assert!(m("*", "x"));
        assert!(m("**", "xyz"));
        assert!(m("a*", "a"));
        assert!(m("a**", "a"));
        assert!(m("*a", "a"));
        assert!(m("*a*", "bab"));
        assert!(!m("*a*", "bbb"));
        assert!(m("a*b*c", "aXbYc"));
        assert!(!m("a*b*c", "aXbY"));
        assert!(m("?*", "a"));
        assert!(!m("??*", "a"));
        assert!(m("", ""));
        assert!(!m("", "a"));
    }

    #[test]
    fn empty_string_only_matches_empty_pattern() {
        assert!(!m("*", ""));
        assert!(!m("**", ""));
        assert!(!m("?", ""));
        assert!(m("", ""));
    }

    #[test]
    fn sets_and_ranges() {
        assert!(m("h[ae]llo", "hello"));
        assert!(m("h[ae]llo", "hallo"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(!m("h[a-b]llo", "hcllo"));
        assert!(m("[z-a]", "m"), "reversed range");
        assert!(!m("[^z-a]", "m"));
        assert!(!m("[]", "a"), "empty set matches nothing");
        assert!(!m("[]]", "]"));
        assert!(m("[^]", "x"), "negated empty set matches anything");
        assert!(m("[a-]", "_"), "`-]` makes `]` the range end");
        assert!(m("[a-]", "]"));
        assert!(!m("[a-]", "-"));
        assert!(m("[-a]", "-"));
        assert!(m("[a-c-e]", "-"));
        assert!(m("[a-c-e]", "e"));
        assert!(!m("[a-c-e]", "d"));
    }

    #[test]
    fn unterminated_sets() {
        assert!(m("[abc", "b"));
        assert!(!m("[abc", "d"));
        assert!(!m("[abc", "bb"));
        assert!(!m("x[", "x["), "a lone `[` is an empty set");
        assert!(!m("x[", "x"));
        assert!(m("[^", "^"), "`[^` is a negated empty set");
        assert!(m("[^", "x"));
        assert!(m("[^a", "b"));
        assert!(!m("[^a", "a"));
        assert!(m("[a-", "-"));
        assert!(m("[a-", "a"));
        assert!(!m("[a-", "b"));
        assert!(m("[*", "*"));
        assert!(!m("[*", "xx"));
    }

    #[test]
    fn escapes() {
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("\\?x", "?x"));
        assert!(m("a\\", "a\\"), "trailing backslash is literal");
        assert!(!m("a\\", "a"));
        assert!(m("\\\\", "\\"));
        assert!(m("[\\]]", "]"));
        assert!(m("[\\-]", "-"));
        assert!(m("[\\", "\\"), "trailing backslash in a set is literal");
        assert!(m("[a\\", "\\"));
        assert!(m("[\\^a]", "^"));
        assert!(m("\\a", "a"));
    }

    #[test]
    fn nocase() {
        assert!(mi("HeLLo", "hello"));
        assert!(mi("h[A-Z]llo", "hello"));
        assert!(mi("h[E]llo", "hello"));
        assert!(!m("h[E]llo", "hello"));
        assert!(mi("\\H", "h"), "escape outside a set still folds case");
        assert!(!mi("[\\H]", "h"), "escape inside a set does not");
        // Ranges are ordered first, then lowercased: [Z-a] becomes z..a.
        assert!(!mi("[Z-a]", "z"));
        assert!(!mi("[Z-a]", "_"));
        assert!(m("[Z-a]", "_"));
        assert!(m("[a-Z]", "_"));
        assert!(
            !mi("[a-Z]", "_"),
            "ordered to Z..a, then lowered to the empty z..a"
        );
    }

    #[test]
    fn high_bytes_use_signed_char_ranges() {
        // 0xff is -1 as a signed char, so [a-\xff] is the range -1..=97.
        assert!(glob_match(b"[a-\xff]", b"0", false));
        assert!(glob_match(b"[a-\xff]", b"\xff", false));
        assert!(!glob_match(b"[a-\xff]", b"\x80", false));
        assert!(!glob_match(b"[a-\xff]", b"b", false));
        assert!(glob_match(b"[\x80-\x90]", b"\x85", false));
        assert!(glob_match(b"\xe9*", b"\xe9t\xe9", true));
        assert!(
            !glob_match(b"\xc9", b"\xe9", true),
            "no folding beyond ASCII"
        );
    }

    #[test]
    fn star_nesting_cap() {
        let mut p = b"*a".repeat(1000);
        p.push(b'*');
        let s = b"a".repeat(1200);
        assert!(
            glob_match(&p, &s, false),
            "1000 inner stars plus a trailing one"
        );
        let p = b"*a".repeat(1001);
        assert!(!glob_match(&p, &s, false), "1001 inner stars never match");
        let p = b"*a".repeat(1000);
        assert!(glob_match(&p, &s, false));
        // A trailing `*?` is not a trailing star: it counts as a level.
        let mut p = b"*a".repeat(999);
        p.extend_from_slice(b"*?");
        assert!(glob_match(&p, &s, false));
        let mut p = b"*a".repeat(1000);
        p.extend_from_slice(b"*?");
        assert!(!glob_match(&p, &s, false));
    }

    #[test]
    fn pathological_pattern_is_fast() {
        let s = vec![b'a'; 20_000];
        let start = Instant::now();
        assert!(!glob_match(b"a*a*a*a*a*a*a*a*a*a*a*a*b", &s, false));
        assert!(!glob_match(
            b"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b*",
            &s,
            false
        ));
        assert!(glob_match(b"a*a*a*a*a*a*a*a*a*a*a*a*a", &s, false));
        assert!(start.elapsed() < Duration::from_secs(2));
    }

    /// Small deterministic xorshift so the test needs no extra crate.
    fn rng(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn iterative_matches_recursive_reference() {
        const PAT: &[u8] = b"ab*?[]^-\\Az\xff";
        const STR: &[u8] = b"abAB-]^\\z\xff";
        let mut st = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200_000 {
            let plen = (rng(&mut st) % 9) as usize;
            let slen = (rng(&mut st) % 7) as usize;
            let p: Vec<u8> = (0..plen)
                .map(|_| PAT[(rng(&mut st) % PAT.len() as u64) as usize])
                .collect();
            let s: Vec<u8> = (0..slen)
                .map(|_| STR[(rng(&mut st) % STR.len() as u64) as usize])
                .collect();
            for nocase in [false, true] {
                assert_eq!(
                    glob_match(&p, &s, nocase),
                    reference(&p, &s, nocase),
                    "pattern {:?} string {:?} nocase {nocase}",
                    String::from_utf8_lossy(&p),
                    String::from_utf8_lossy(&s)
                );
            }
        }
    }
}
