//! Progress across sessions: each dimension's score over time, and the
//! weakest dimension with what keeps going wrong in it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::rubric::{Dimension, Scorecard};

/// How many rules or criteria a weakness names at most.
pub const NAMED: usize = 3;

/// One session on the progress chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressPoint {
    /// 1-based, in the order the sessions were held.
    pub number: usize,
    pub started_at_ms: u64,
    pub total: f64,
    /// Each dimension's share of its weight, in percent, in
    /// [`Dimension::ALL`] order.
    pub percent: Vec<(Dimension, f64)>,
}

/// The dimension that scores lowest on average.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weakness {
    pub dimension: Dimension,
    pub average_percent: f64,
    /// Rules of the dimension's categories left open at the end, with the
    /// number of sessions they were open in; most frequent first.
    pub rules: Vec<(String, usize)>,
    /// The dimension's criteria missed most often, with how often.
    pub missed: Vec<(String, usize)>,
}

/// Every session's scores, and the weakest dimension.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub points: Vec<ProgressPoint>,
    pub weakest: Option<Weakness>,
}

impl Progress {
    /// From the scorecards of a design's sessions: (number, start, card).
    pub fn from_cards<'a>(cards: impl IntoIterator<Item = (usize, u64, &'a Scorecard)>) -> Self {
        let cards: Vec<(usize, u64, &Scorecard)> = cards.into_iter().collect();
        let points = cards
            .iter()
            .map(|&(number, started_at_ms, card)| ProgressPoint {
                number,
                started_at_ms,
                total: card.total,
                percent: Dimension::ALL
                    .iter()
                    .map(|&d| (d, card.dimension(d).map_or(0.0, |s| s.fraction() * 100.0)))
                    .collect(),
            })
            .collect::<Vec<_>>();
        let weakest = if points.is_empty() {
            None
        } else {
            // Lowest average; on a tie the heavier dimension (earlier in
            // `ALL` among equal weights) is named.
            let average = |d: Dimension| {
                points
                    .iter()
                    .flat_map(|p| p.percent.iter())
                    .filter(|(x, _)| *x == d)
                    .map(|(_, v)| v)
                    .sum::<f64>()
                    / points.len() as f64
            };
            Dimension::ALL
                .iter()
                .map(|&d| (d, average(d)))
                .min_by(|a, b| {
                    a.1.total_cmp(&b.1)
                        .then(b.0.weight().cmp(&a.0.weight()))
                        .then(a.0.cmp(&b.0))
                })
                .map(|(dimension, average_percent)| Weakness {
                    dimension,
                    average_percent,
                    rules: most_often(cards.iter().filter_map(|(_, _, c)| {
                        c.dimension(dimension).map(|s| s.open_rules.clone())
                    })),
                    missed: most_often(cards.iter().filter_map(|(_, _, c)| {
                        c.dimension(dimension).map(|s| {
                            s.criteria
                                .iter()
                                .filter(|c| !c.met)
                                .map(|c| c.title.clone())
                                .collect()
                        })
                    })),
                })
        };
        Self { points, weakest }
    }

    /// One sentence naming the weakest dimension and what keeps it low.
    pub fn summary(&self) -> Option<String> {
        let w = self.weakest.as_ref()?;
        let mut text = format!(
            "Weakest: {} (average {:.0}%)",
            w.dimension.label().to_lowercase(),
            w.average_percent
        );
        if !w.rules.is_empty() {
            let rules: Vec<String> = w
                .rules
                .iter()
                .map(|(id, n)| format!("{id} ({})", sessions(*n)))
                .collect();
            text.push_str(&format!(". Rules open most often: {}", rules.join(", ")));
        }
        if !w.missed.is_empty() {
            let missed: Vec<String> = w
                .missed
                .iter()
                .map(|(title, n)| format!("{} ({})", title.to_lowercase(), sessions(*n)))
                .collect();
            text.push_str(&format!(". Missed most often: {}", missed.join("; ")));
        }
        Some(text)
    }
}

fn sessions(n: usize) -> String {
    if n == 1 {
        "1 session".to_owned()
    } else {
        format!("{n} sessions")
    }
}

/// Counts in how many lists each name appears; the [`NAMED`] most
/// frequent, ties by name.
fn most_often(lists: impl Iterator<Item = Vec<String>>) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for mut list in lists {
        list.sort();
        list.dedup();
        for name in list {
            *counts.entry(name).or_default() += 1;
        }
    }
    let mut out: Vec<(String, usize)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.truncate(NAMED);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interview::rubric::{CriterionResult, DimensionScore};

    /// A card where `dimension` earned `share` of its weight and had `rules` open.
    fn card(low: Dimension, share: f64, rules: &[&str]) -> Scorecard {
        let dimensions: Vec<DimensionScore> = Dimension::ALL
            .iter()
            .map(|&d| {
                let fraction = if d == low { share } else { 1.0 };
                DimensionScore {
                    dimension: d,
                    weight: d.weight(),
                    points: f64::from(d.weight()) * fraction,
                    criteria: vec![CriterionResult {
                        id: "x".to_owned(),
                        title: format!("{} criterion", d.label()),
                        met: fraction >= 1.0,
                        offset_ms: 0,
                        evidence: String::new(),
                    }],
                    open_rules: if d == low {
                        rules.iter().map(|r| (*r).to_owned()).collect()
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect();
        Scorecard {
            total: dimensions.iter().map(|d| d.points).sum(),
            dimensions,
        }
    }

    #[test]
    fn the_weakest_dimension_is_named_with_its_most_frequent_rules() {
        let a = card(
            Dimension::TradeOffsAndFailure,
            0.0,
            &["FAIL-001", "OBS-002"],
        );
        let b = card(Dimension::TradeOffsAndFailure, 1.0 / 3.0, &["FAIL-001"]);
        let c = card(Dimension::Estimation, 0.5, &[]);
        let progress = Progress::from_cards([(1, 10, &a), (2, 20, &b), (3, 30, &c)]);
        assert_eq!(progress.points.len(), 3);
        assert_eq!(progress.points[1].number, 2);
        let w = progress.weakest.clone().unwrap();
        assert_eq!(w.dimension, Dimension::TradeOffsAndFailure);
        assert!((w.average_percent - 100.0 * (1.0 / 3.0 + 1.0) / 3.0).abs() < 1e-9);
        assert_eq!(
            w.rules,
            [("FAIL-001".to_owned(), 2), ("OBS-002".to_owned(), 1)]
        );
        let summary = progress.summary().unwrap();
        assert!(
            summary.starts_with("Weakest: trade-offs and failure handling (average 44%). Rules open most often: FAIL-001 (2 sessions), OBS-002 (1 session)"),
            "{summary}"
        );
    }

    #[test]
    fn no_sessions_no_weakness() {
        let progress = Progress::from_cards(std::iter::empty());
        assert!(progress.weakest.is_none());
        assert_eq!(progress.summary(), None);
    }
}
