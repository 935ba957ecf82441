//! "Is it working?": pipeline stage conversion, win rate, days to close and days in each
//! stage, worked out from deals and their stage history. Pure: the store hands the rows in.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::deal::Stage;

/// A deal as the history figures need it.
#[derive(Debug, Clone, PartialEq)]
pub struct DealHistory {
    pub stage: Stage,
    pub created_at: String,
    pub closed_at: Option<String>,
    /// (stage, entered at), oldest first.
    pub moves: Vec<(Stage, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageFigures {
    pub stage: Stage,
    /// Deals that ever reached this stage.
    pub reached: usize,
    /// Of the deals that reached the stage before, the share that reached this one (percent).
    pub conversion: Option<f64>,
    /// Average days a deal spent in this stage before moving on (or until now if still there).
    pub avg_days: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealFigures {
    pub stages: Vec<StageFigures>,
    pub won: usize,
    pub lost: usize,
    /// Won ÷ (won + lost), percent; none before any deal closed.
    pub win_rate: Option<f64>,
    /// Average days from creation to won.
    pub avg_days_to_close: Option<f64>,
}

fn parse(t: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(t).ok()
}

fn days(from: &str, to: &str) -> Option<f64> {
    Some((parse(to)? - parse(from)?).num_seconds() as f64 / 86_400.0)
}

/// A mean from its (sum, count).
fn mean((sum, n): (f64, usize)) -> Option<f64> {
    (n > 0).then(|| sum / n as f64)
}

/// The open stages in order; won and lost are outcomes.
const FLOW: [Stage; 5] = [
    Stage::New,
    Stage::Qualified,
    Stage::Proposal,
    Stage::Negotiation,
    Stage::Won,
];

pub fn deal_figures(deals: &[DealHistory], now: &str) -> DealFigures {
    let mut tally = DealTally::default();
    for d in deals {
        tally.add(d, now);
    }
    tally.figures()
}

/// `deal_figures` one deal at a time, so a book of deals is read through without being held.
#[derive(Debug, Default, Clone)]
pub struct DealTally {
    reached: [usize; 5],
    /// Days spent in each stage: (sum, how many).
    in_stage: [(f64, usize); 5],
    won: usize,
    lost: usize,
    to_close: (f64, usize),
}

impl DealTally {
    pub fn add(&mut self, d: &DealHistory, now: &str) {
        let rank = |s: Stage| FLOW.iter().position(|f| *f == s);
        // The furthest stage of the flow this deal got to (a lost deal counts where it was).
        let furthest = d.moves.iter().filter_map(|(s, _)| rank(*s)).max();
        if let Some(f) = furthest {
            for r in self.reached.iter_mut().take(f + 1) {
                *r += 1;
            }
        }
        for (i, (stage, at)) in d.moves.iter().enumerate() {
            let Some(r) = rank(*stage) else { continue };
            if *stage == Stage::Won {
                continue;
            }
            let until = d.moves.get(i + 1).map_or(now, |(_, t)| t.as_str());
            if let Some(x) = days(at, until) {
                self.in_stage[r].0 += x.max(0.0);
                self.in_stage[r].1 += 1;
            }
        }
        match d.stage {
            Stage::Won => {
                self.won += 1;
                if let Some(x) = d.closed_at.as_deref().and_then(|c| days(&d.created_at, c)) {
                    self.to_close.0 += x;
                    self.to_close.1 += 1;
                }
            }
            Stage::Lost => self.lost += 1,
            _ => {}
        }
    }

    pub fn figures(&self) -> DealFigures {
        let stages = FLOW
            .iter()
            .enumerate()
            .map(|(i, s)| StageFigures {
                stage: *s,
                reached: self.reached[i],
                conversion: (i > 0 && self.reached[i - 1] > 0)
                    .then(|| self.reached[i] as f64 * 100.0 / self.reached[i - 1] as f64),
                avg_days: mean(self.in_stage[i]),
            })
            .collect();
        let (won, lost) = (self.won, self.lost);
        DealFigures {
            stages,
            won,
            lost,
            win_rate: (won + lost > 0).then(|| won as f64 * 100.0 / (won + lost) as f64),
            avg_days_to_close: mean(self.to_close),
        }
    }
}

/// A share in percent, none when there is nothing to divide by.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deal(
        stage: Stage,
        created: &str,
        closed: Option<&str>,
        moves: &[(Stage, &str)],
    ) -> DealHistory {
        DealHistory {
            stage,
            created_at: created.into(),
            closed_at: closed.map(str::to_string),
            moves: moves.iter().map(|(s, t)| (*s, t.to_string())).collect(),
        }
    }

    #[test]
    fn hand_computed_pipeline() {
        let t = |d: u32| format!("2026-11-{d:02}T00:00:00Z");
        let deals = vec![
            // new 1st → qualified 3rd → proposal 7th → won 10th: 9 days to close.
            deal(
                Stage::Won,
                &t(1),
                Some(&t(10)),
                &[
                    (Stage::New, &t(1)),
                    (Stage::Qualified, &t(3)),
                    (Stage::Proposal, &t(7)),
                    (Stage::Won, &t(10)),
                ],
            ),
            // new 1st → qualified 5th → lost 6th.
            deal(
                Stage::Lost,
                &t(1),
                Some(&t(6)),
                &[
                    (Stage::New, &t(1)),
                    (Stage::Qualified, &t(5)),
                    (Stage::Lost, &t(6)),
                ],
            ),
            // still new since the 20th; now is the 23rd.
            deal(Stage::New, &t(20), None, &[(Stage::New, &t(20))]),
        ];
        let f = deal_figures(&deals, &t(23));
        let reached: Vec<usize> = f.stages.iter().map(|s| s.reached).collect();
        // A deal that jumps a stage (proposal → won) counts as having passed it: a funnel never
        // widens further down.
        assert_eq!(
            reached,
            [3, 2, 1, 1, 1],
            "new, qualified, proposal, negotiation, won"
        );
        assert_eq!(f.stages[1].conversion.map(|c| c.round()), Some(67.0));
        assert_eq!(f.stages[2].conversion, Some(50.0));
        // Days in new: 2, 4 and 3 (still there): mean 3.
        assert_eq!(f.stages[0].avg_days, Some(3.0));
        // Days in qualified: 4 and 1.
        assert_eq!(f.stages[1].avg_days, Some(2.5));
        assert_eq!((f.won, f.lost), (1, 1));
        assert_eq!(f.win_rate, Some(50.0));
        assert_eq!(f.avg_days_to_close, Some(9.0));
    }

    #[test]
    fn no_deals_means_no_rates() {
        let f = deal_figures(&[], "2026-11-23T00:00:00Z");
        assert_eq!(f.win_rate, None);
        assert_eq!(f.avg_days_to_close, None);
        assert!(
            f.stages
                .iter()
                .all(|s| s.conversion.is_none() && s.avg_days.is_none())
        );
        assert_eq!(percent(1, 0), None);
        assert_eq!(percent(1, 4), Some(25.0));
    }
}
