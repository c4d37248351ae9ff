//! Stakeholder surveys: one row per answer on a 1–5 Likert scale. Answers
//! follow the organisation's latent quality (better organisations get more
//! answers of 4 and 5) with a respondent effect, and a few questions are left
//! unanswered (an empty score).

use super::plan::OrgPlan;
use super::rng::{Draw, SampleRng};
use super::Scale;
use kpi_model::{Level, Year};

/// The header of `surveys.csv`.
pub(crate) const HEADER: [&str; 6] = [
    "org_id",
    "year",
    "survey",
    "respondent_id",
    "question",
    "score",
];

/// Questions per survey kind.
fn questions(kind: &str) -> &'static [&'static str] {
    match kind {
        "parents" => &[
            "teaching_quality",
            "safety",
            "communication",
            "facilities",
            "overall",
        ],
        "students" => &[
            "teaching_quality",
            "curriculum",
            "facilities",
            "support",
            "overall",
        ],
        "employers" => &[
            "graduate_skills",
            "practical_training",
            "cooperation",
            "overall",
        ],
        "graduates" => &["preparation", "career_support", "overall"],
        _ => &["workload", "management", "development", "overall"],
    }
}

/// The surveys an organisation of a level runs.
fn kinds(level: Level) -> &'static [&'static str] {
    match level {
        Level::Preschool => &["parents"],
        Level::School => &["parents", "staff"],
        Level::College => &["students", "employers", "graduates"],
        Level::University => &["students", "employers", "graduates", "staff"],
    }
}

/// One answer.
pub(crate) struct Answer {
    pub survey: &'static str,
    pub respondent: String,
    pub question: &'static str,
    pub score: Option<u8>,
}

/// The answers of one organisation in one year (often none: not every
/// organisation is surveyed every year at the national scale).
pub(crate) fn answers(rng: &mut SampleRng, org: &OrgPlan, year: Year, scale: Scale) -> Vec<Answer> {
    let mut out = Vec::new();
    let surveyed = match (scale, org.level) {
        (Scale::Small, _) => 0.2,
        (Scale::National, Level::Preschool | Level::School) => 0.08,
        (Scale::National, Level::College) => 0.3,
        (Scale::National, Level::University) => 0.6,
    };
    for &kind in kinds(org.level) {
        if !rng.chance(surveyed) {
            continue;
        }
        let base_n = match (org.level, kind) {
            (_, "employers") => 6.0,
            (_, "staff") => 8.0,
            (Level::University, _) => 30.0,
            (Level::College, _) => 18.0,
            _ => 12.0,
        };
        // The small sample stays small enough to commit: about half the respondents.
        let per_scale = if scale == Scale::Small { 0.5 } else { 1.0 };
        let n = (base_n * per_scale * rng.lognormal_mean(1.0, 0.35))
            .round()
            .max(3.0) as u32;
        let yy = year.rem_euclid(100);
        let mean = 3.7 + 0.45 * org.quality + if kind == "employers" { -0.2 } else { 0.0 };
        for r in 1..=n {
            let respondent = format!("{}{yy:02}-{r:04}", kind[..1].to_ascii_uppercase());
            let own = rng.normal(0.0, 0.5);
            for &question in questions(kind) {
                let score = if rng.chance(0.03) {
                    None
                } else {
                    Some((mean + own + rng.normal(0.0, 0.7)).round().clamp(1.0, 5.0) as u8)
                };
                out.push(Answer {
                    survey: kind,
                    respondent: respondent.clone(),
                    question,
                    score,
                });
            }
        }
    }
    out
}
