//! The clocks two replicas agree by: a hybrid logical clock that orders every change the same
//! way on every machine, and the version vector that says which changes a replica had seen.

use std::collections::BTreeMap;

/// A hybrid logical clock reading: wall-clock milliseconds, a counter for changes within one
/// millisecond (or while the wall clock is behind a clock already seen), and the replica, which
/// breaks ties. Written as a string that sorts as the clock does, so SQLite compares them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hlc {
    pub millis: i64,
    pub counter: u32,
    pub replica: String,
}

impl Hlc {
    pub fn zero(replica: &str) -> Hlc {
        Hlc {
            millis: 0,
            counter: 0,
            replica: replica.to_string(),
        }
    }

    /// The next reading for a change made at `now_ms`, after `self` (the last reading used or
    /// seen here): later than both.
    pub fn tick(&self, now_ms: i64, replica: &str) -> Hlc {
        if now_ms > self.millis {
            Hlc {
                millis: now_ms,
                counter: 0,
                replica: replica.to_string(),
            }
        } else {
            Hlc {
                millis: self.millis,
                counter: self.counter + 1,
                replica: replica.to_string(),
            }
        }
    }

    /// The later of this reading and one received, so what is made here next sorts after it.
    pub fn observe(self, seen: &Hlc) -> Hlc {
        if seen.millis > self.millis || (seen.millis == self.millis && seen.counter > self.counter)
        {
            Hlc {
                millis: seen.millis,
                counter: seen.counter,
                replica: self.replica,
            }
        } else {
            self
        }
    }

    pub fn encode(&self) -> String {
        format!("{:015}.{:06}.{}", self.millis, self.counter, self.replica)
    }

    pub fn parse(s: &str) -> Option<Hlc> {
        let mut parts = s.splitn(3, '.');
        let millis = parts.next()?.parse().ok()?;
        let counter = parts.next()?.parse().ok()?;
        let replica = parts.next()?.to_string();
        Some(Hlc {
            millis,
            counter,
            replica,
        })
    }

    /// The wall-clock moment of the reading, as RFC 3339 UTC ('...Z').
    pub fn moment(&self) -> String {
        chrono::DateTime::from_timestamp_millis(self.millis)
            .unwrap_or_default()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    }
}

/// For each replica, the last of its batches seen (batches are numbered 1, 2, ... per replica
/// and seen in that order).
pub type Seen = BTreeMap<String, i64>;

/// Whether a change (`replica`'s batch `seq`) is among those `seen`.
pub fn has_seen(seen: &Seen, replica: &str, seq: i64) -> bool {
    seen.get(replica).is_some_and(|&s| seq <= s)
}

/// What both have seen between them.
pub fn union(a: &Seen, b: &Seen) -> Seen {
    let mut out = a.clone();
    for (r, &s) in b {
        let e = out.entry(r.clone()).or_insert(s);
        *e = (*e).max(s);
    }
    out
}

/// Whether a batch that needs `deps` (and is `replica`'s batch `seq`) can be applied where
/// `applied` has been: the batch before it from the same replica, and everything its author
/// had seen, are here already.
pub fn ready(applied: &Seen, replica: &str, seq: i64, deps: &Seen) -> bool {
    applied.get(replica).copied().unwrap_or(0) == seq - 1
        && deps
            .iter()
            .filter(|(r, _)| r.as_str() != replica)
            .all(|(r, &s)| applied.get(r).copied().unwrap_or(0) >= s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_moves_on_with_the_wall_and_without_it() {
        let a = Hlc::zero("a").tick(1000, "a");
        assert_eq!((a.millis, a.counter), (1000, 0));
        let b = a.tick(1000, "a");
        assert_eq!((b.millis, b.counter), (1000, 1));
        // The wall clock went back: the counter carries on.
        let c = b.tick(900, "a");
        assert!(c > b);
        assert!(c.encode() > b.encode());
    }

    #[test]
    fn a_clock_seen_from_elsewhere_is_passed() {
        let here = Hlc::zero("a").tick(1000, "a");
        let there = Hlc::zero("b").tick(5000, "b");
        let next = here.observe(&there).tick(2000, "a");
        assert!(next > there);
        assert!(next.encode() > there.encode());
        assert_eq!(next.replica, "a");
    }

    #[test]
    fn readings_sort_as_text_as_they_do_as_clocks() {
        let r = [
            Hlc {
                millis: 9,
                counter: 10,
                replica: "b".into(),
            },
            Hlc {
                millis: 10,
                counter: 0,
                replica: "a".into(),
            },
            Hlc {
                millis: 10,
                counter: 0,
                replica: "b".into(),
            },
            Hlc {
                millis: 10,
                counter: 2,
                replica: "a".into(),
            },
        ];
        for w in r.windows(2) {
            assert!(w[0] < w[1]);
            assert!(w[0].encode() < w[1].encode());
            assert_eq!(Hlc::parse(&w[1].encode()).as_ref(), Some(&w[1]));
        }
        assert_eq!(r[1].moment(), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn a_batch_waits_for_what_its_author_had_seen() {
        let mut applied = Seen::new();
        let deps: Seen = [("b".to_string(), 2)].into();
        assert!(!ready(&applied, "a", 1, &deps));
        applied.insert("b".into(), 2);
        assert!(ready(&applied, "a", 1, &deps));
        assert!(
            !ready(&applied, "a", 2, &deps),
            "a's first batch comes first"
        );
        assert!(has_seen(&applied, "b", 2) && !has_seen(&applied, "b", 3));
        assert!(!has_seen(&applied, "c", 1));
        let u = union(
            &applied,
            &[("b".to_string(), 5), ("c".to_string(), 1)].into(),
        );
        assert_eq!(u, [("b".to_string(), 5), ("c".to_string(), 1)].into());
    }
}
