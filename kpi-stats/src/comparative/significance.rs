//! Whether a unit's rate differs significantly from its peers' median.

use crate::computed::{Computed, NotComputable};
use crate::{wilson_interval, Interval, Z_95};
use kpi_model::Direction;
use serde::{Deserialize, Serialize};

/// The scale a rate indicator is written on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateScale {
    /// A share, 0–1.
    Share,
    /// A percentage, 0–100 (the catalogue's `%` indicators: `100 * a / b`).
    Percent,
}

impl RateScale {
    /// What a share is multiplied by: 1 or 100.
    pub fn factor(self) -> f64 {
        match self {
            RateScale::Share => 1.0,
            RateScale::Percent => 100.0,
        }
    }

    /// The scale of an indicator unit: `%` is a percentage, anything else a share.
    pub fn of_unit(unit: &str) -> RateScale {
        if unit.trim() == "%" {
            RateScale::Percent
        } else {
            RateScale::Share
        }
    }
}

/// The verdict of a rate against the peer median.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateVerdict {
    /// The whole interval is better than the peer median.
    SignificantlyBetter,
    /// The whole interval is worse than the peer median.
    SignificantlyWorse,
    /// The interval reaches the peer median (or, for a target band, a point
    /// as good as it).
    NotSignificant,
}

/// A unit's rate with its 95% Wilson interval against the peer median.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RateSignificance {
    /// Successes (e.g. employed graduates).
    pub successes: f64,
    /// Trials (e.g. graduates).
    pub trials: f64,
    /// The scale of `rate`, `interval` and `peer_median`.
    pub scale: RateScale,
    /// `successes / trials` on `scale`.
    pub rate: f64,
    /// The 95% Wilson interval on `scale`.
    pub interval: Interval,
    /// The peer median on `scale`.
    pub peer_median: f64,
    /// Better, worse or not significantly different, by direction.
    pub verdict: RateVerdict,
}

/// The unit's 95% Wilson interval of `successes / trials` and whether it
/// excludes the peer median. `peer_median` is in the indicator's units
/// (`scale`: a `%` indicator's median is 0–100). "Better" follows
/// `direction`; for a target band the interval is better when every rate in
/// it is closer to the band than the median is.
///
/// Needs `trials > 0`, `0 ≤ successes ≤ trials`, and a median inside the
/// scale's range (a median of 74 on the `Share` scale is a scale mistake).
///
/// ```
/// use kpi_stats::{rate_significance, RateScale};
/// use kpi_stats::comparative::RateVerdict;
/// use kpi_model::Direction;
/// // 45 of 60 graduates employed: 75 %, Wilson 95 % CI 62.8–84.2 %
/// let r = rate_significance(45.0, 60.0, RateScale::Percent, 60.0, Direction::Higher).unwrap();
/// assert_eq!(r.verdict, RateVerdict::SignificantlyBetter);
/// let r = rate_significance(45.0, 60.0, RateScale::Percent, 70.0, Direction::Higher).unwrap();
/// assert_eq!(r.verdict, RateVerdict::NotSignificant);
/// ```
pub fn rate_significance(
    successes: f64,
    trials: f64,
    scale: RateScale,
    peer_median: f64,
    direction: Direction,
) -> Computed<RateSignificance> {
    if !trials.is_finite() || trials <= 0.0 {
        return Err(NotComputable::invalid("trials", trials, "a positive count"));
    }
    if !successes.is_finite() || !(0.0..=trials).contains(&successes) {
        return Err(NotComputable::invalid(
            "successes",
            successes,
            "a count from 0 to the trials",
        ));
    }
    let factor = scale.factor();
    if !peer_median.is_finite() || !(0.0..=factor).contains(&peer_median) {
        return Err(NotComputable::invalid(
            "peer median",
            peer_median,
            match scale {
                RateScale::Share => "a share from 0 to 1",
                RateScale::Percent => "a percentage from 0 to 100",
            },
        ));
    }
    let ci = wilson_interval(successes, trials, Z_95).ok_or_else(|| {
        NotComputable::invalid("successes", successes, "a count from 0 to the trials")
    })?;
    let interval = Interval {
        lower: ci.lower * factor,
        upper: ci.upper * factor,
    };
    let verdict = verdict(interval, peer_median, direction);
    Ok(RateSignificance {
        successes,
        trials,
        scale,
        rate: successes / trials * factor,
        interval,
        peer_median,
        verdict,
    })
}

/// Compares the goodness of every point of `interval` with the median's.
fn verdict(interval: Interval, median: f64, direction: Direction) -> RateVerdict {
    let g = |x| direction.goodness(x);
    let (gl, gu) = (g(interval.lower), g(interval.upper));
    // Goodness is monotone for higher/lower and concave for a band, so its
    // minimum over the interval is at an end; its maximum is 0 when the
    // interval touches the band.
    let worst = gl.min(gu);
    let best = match direction {
        Direction::Target { min, max } if interval.upper >= min && interval.lower <= max => 0.0,
        _ => gl.max(gu),
    };
    let gm = g(median);
    if worst > gm {
        RateVerdict::SignificantlyBetter
    } else if best < gm {
        RateVerdict::SignificantlyWorse
    } else {
        RateVerdict::NotSignificant
    }
}
