//! Deal stages and their default win probabilities.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The pipeline: new → qualified → proposal → negotiation → won (or lost).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    New,
    Qualified,
    Proposal,
    Negotiation,
    Won,
    Lost,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::New,
        Stage::Qualified,
        Stage::Proposal,
        Stage::Negotiation,
        Stage::Won,
        Stage::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Qualified => "qualified",
            Stage::Proposal => "proposal",
            Stage::Negotiation => "negotiation",
            Stage::Won => "won",
            Stage::Lost => "lost",
        }
    }

    /// The probability of winning a deal in this stage, in percent, unless a deal overrides it.
    pub fn default_probability(self) -> u8 {
        match self {
            Stage::New => 10,
            Stage::Qualified => 25,
            Stage::Proposal => 50,
            Stage::Negotiation => 75,
            Stage::Won => 100,
            Stage::Lost => 0,
        }
    }

    pub fn is_closed(self) -> bool {
        matches!(self, Stage::Won | Stage::Lost)
    }
}

impl FromStr for Stage {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stage::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| {
                format!("unknown stage '{s}': use one of new, qualified, proposal, negotiation, won, lost")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_rise_through_the_open_stages() {
        let open: Vec<u8> = Stage::ALL
            .iter()
            .filter(|s| !s.is_closed())
            .map(|s| s.default_probability())
            .collect();
        assert!(open.windows(2).all(|w| w[0] < w[1]), "{open:?}");
        assert_eq!("Proposal".parse::<Stage>(), Ok(Stage::Proposal));
    }
}

/// A deal as the pipeline shows it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Deal {
    pub id: i64,
    pub uid: String,
    pub contact_id: i64,
    pub contact: String,
    pub title: String,
    pub value_minor: i64,
    pub stage: Stage,
    /// Set only when it overrides the stage's default.
    pub probability: Option<u8>,
    pub expected_close: Option<chrono::NaiveDate>,
    pub closed_at: Option<String>,
    pub lost_reason: Option<String>,
}

impl Deal {
    pub fn probability(&self) -> u8 {
        self.probability
            .unwrap_or_else(|| self.stage.default_probability())
    }
}

impl Stage {
    /// The next stage along the open pipeline (won after negotiation); none after a close.
    pub fn next(self) -> Option<Stage> {
        match self {
            Stage::New => Some(Stage::Qualified),
            Stage::Qualified => Some(Stage::Proposal),
            Stage::Proposal => Some(Stage::Negotiation),
            Stage::Negotiation => Some(Stage::Won),
            Stage::Won | Stage::Lost => None,
        }
    }

    /// The stage before; a won or lost deal reopens into negotiation.
    pub fn previous(self) -> Option<Stage> {
        match self {
            Stage::New => None,
            Stage::Qualified => Some(Stage::New),
            Stage::Proposal => Some(Stage::Qualified),
            Stage::Negotiation => Some(Stage::Proposal),
            Stage::Won | Stage::Lost => Some(Stage::Negotiation),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Stage::New => "New",
            Stage::Qualified => "Qualified",
            Stage::Proposal => "Proposal",
            Stage::Negotiation => "Negotiation",
            Stage::Won => "Won",
            Stage::Lost => "Lost",
        }
    }
}

#[cfg(test)]
mod moves {
    use super::*;

    #[test]
    fn stages_step_forward_and_back() {
        assert_eq!(Stage::New.next(), Some(Stage::Qualified));
        assert_eq!(Stage::Negotiation.next(), Some(Stage::Won));
        assert_eq!(Stage::Won.next(), None);
        assert_eq!(Stage::New.previous(), None);
        assert_eq!(Stage::Lost.previous(), Some(Stage::Negotiation));
    }
}
