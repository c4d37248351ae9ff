//! The plan of a sample: which organisations exist, where, of what kind and
//! size, with which programmes, when they open or close, and which of them
//! carry the planted patterns. Everything later (metrics, records, surveys)
//! is simulated from this plan.

use super::catalogue::{fields_of, specialties_of, FIELDS, SPECIALTIES};
use super::geo::{Region, REGIONS};
use super::ids::BinIssuer;
use super::names::{self, CollegeProfile, NameBook, OrgNames, SchoolKind, UniversityProfile};
use super::rng::{apportion, purpose, shuffle, stream, Draw, SampleRng};
use super::{SampleOptions, Scale};
use kpi_model::{Level, Locality, Ownership, Year, YearSpan};
use rand::Rng;

/// Degree cycle or TVET, with the index into the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProgKind {
    /// Bachelor's programme of [`FIELDS`]`[i]`.
    Bachelor(usize),
    /// Master's programme.
    Master(usize),
    /// Doctoral programme.
    Doctoral(usize),
    /// TVET specialty of [`SPECIALTIES`]`[i]`.
    Tvet(usize),
}

/// One programme of a college or university.
#[derive(Clone, Debug)]
pub(crate) struct ProgPlan {
    /// Programme code (`6B06101`, `0101000`).
    pub code: String,
    /// Kind.
    pub kind: ProgKind,
    /// Normative duration, years (= number of courses).
    pub duration: u8,
    /// First-year admissions in the first year of the span.
    pub admissions: f64,
    /// Share of women.
    pub female: f64,
    /// Base probability of employment within a year.
    pub employment: f64,
    /// Applicants per place.
    pub competition: f64,
    /// Programme accreditation.
    pub accredited: bool,
    /// Difficulty: shifts the GPA of its students (points).
    pub gpa_shift: f64,
    /// Course-code prefix for grades.
    pub prefix: &'static str,
}

impl ProgPlan {
    /// GPA transfer threshold of `course` (docs/data.md defaults): bachelor's to
    /// year 2/3/4: 1.33/1.67/2.00, master's to year 2: 1.67; none otherwise.
    pub fn transfer_threshold(&self, course: u8) -> Option<f64> {
        match self.kind {
            ProgKind::Bachelor(_) => match course {
                1 => Some(1.33),
                2 => Some(1.67),
                3 => Some(2.0),
                _ => None,
            },
            ProgKind::Master(_) => (course == 1).then_some(1.67),
            _ => None,
        }
    }
}

/// Level-specific plan.
#[derive(Clone, Debug)]
#[allow(dead_code)] // profiles are kept in the plan for inspection in tests and debugging
pub(crate) enum Detail {
    /// A preschool.
    Preschool,
    /// A school of a kind.
    School {
        /// Which grades it teaches.
        kind: SchoolKind,
    },
    /// A college.
    College {
        /// Profile.
        profile: CollegeProfile,
        /// Specialties.
        programmes: Vec<ProgPlan>,
        /// Planted: very high dropout.
        high_dropout: bool,
    },
    /// A university.
    University {
        /// Profile.
        profile: UniversityProfile,
        /// Programmes.
        programmes: Vec<ProgPlan>,
        /// Planted: graduate employment falls year after year.
        falling_employment: bool,
    },
}

/// One organisation of the sample.
#[derive(Clone, Debug)]
pub(crate) struct OrgPlan {
    /// БСН.
    pub id: String,
    /// Level.
    pub level: Level,
    /// Index into [`REGIONS`].
    pub region: usize,
    /// The region as written in `organisations.csv` (a few rows vary case and spacing).
    pub region_label: String,
    /// Ownership.
    pub ownership: Ownership,
    /// Locality.
    pub locality: Locality,
    /// Whether `ownership` is written (a few rows leave it empty).
    pub write_ownership: bool,
    /// Whether `locality` is written.
    pub write_locality: bool,
    /// Names.
    pub names: OrgNames,
    /// Latent quality (standard deviations; drives results, satisfaction, employment).
    pub quality: f64,
    /// Size at the start: pupils, children or students.
    pub size: f64,
    /// First year with data (the span's first year, or the opening year).
    pub first_year: Year,
    /// Last year with data (the span's last year, or the closing year).
    pub last_year: Year,
    /// Opened during the span.
    pub opened: bool,
    /// Closed during the span.
    pub closed: bool,
    /// A year inside the span for which the organisation sent no observations.
    pub missing_year: Option<Year>,
    /// Year from which the organisation has no valid accreditation.
    pub accreditation_lost: Option<Year>,
    /// Whether student records are written for it.
    pub records: bool,
    /// Programme indices whose students' grades are written (`letters`: as letters).
    pub grades: Vec<(usize, bool)>,
    /// Level-specific plan.
    pub detail: Detail,
}

impl OrgPlan {
    /// Whether the organisation has data in `year`.
    pub fn active(&self, year: Year) -> bool {
        year >= self.first_year && year <= self.last_year
    }

    /// Whether observations are written for `year` (active and not a planted gap).
    pub fn reports(&self, year: Year) -> bool {
        self.active(year) && self.missing_year != Some(year)
    }

    /// The region's data.
    pub fn region(&self) -> &'static Region {
        &REGIONS[self.region]
    }

    /// Programmes (empty for preschools and schools).
    pub fn programmes(&self) -> &[ProgPlan] {
        match &self.detail {
            Detail::College { programmes, .. } | Detail::University { programmes, .. } => {
                programmes
            }
            _ => &[],
        }
    }
}

/// The whole plan.
pub(crate) struct Plan {
    /// Organisations, in the order of `organisations.csv`.
    pub orgs: Vec<OrgPlan>,
    /// Years written.
    pub span: YearSpan,
}

/// Organisations per level at a scale: preschool, school, college, university.
pub(crate) fn level_counts(scale: Scale) -> [u32; 4] {
    match scale {
        Scale::Small => [120, 150, 40, 12],
        Scale::National => [10_000, 7_500, 800, 120],
    }
}

/// Budgets of record rows: (students rows, grades rows).
pub(crate) fn record_budgets(options: &SampleOptions) -> (usize, usize) {
    let (s, g) = match options.scale {
        Scale::Small => (12_000, 14_000),
        Scale::National => (1_300_000, 400_000),
    };
    (
        options.student_rows.unwrap_or(s),
        options.grade_rows.unwrap_or(g),
    )
}

/// Builds the plan.
pub(crate) fn build(options: &SampleOptions) -> Plan {
    let span = options.years;
    let counts = level_counts(options.scale);
    let mut book = NameBook::new(REGIONS.len());
    let mut bins = BinIssuer::default();
    // Never issue the id planted as an unknown organisation.
    bins.reserve(super::defects::UNKNOWN_ORG);
    let mut orgs: Vec<OrgPlan> = Vec::new();
    let min_per_region = |level: usize| -> u32 {
        // Every region has preschools, schools and colleges at every scale.
        if level < 3 {
            1
        } else {
            0
        }
    };
    for (li, level) in Level::ALL.into_iter().enumerate() {
        let weights: Vec<f64> = REGIONS
            .iter()
            .map(|r| match level {
                Level::Preschool => r.preschools,
                Level::School => r.schools,
                Level::College => r.colleges,
                Level::University => r.universities,
            })
            .collect();
        let per_region = apportion(counts[li], &weights, min_per_region(li));
        for (ri, &n) in per_region.iter().enumerate() {
            for k in 0..n {
                let index = (li as u64) << 40 | (ri as u64) << 24 | u64::from(k);
                let mut rng = stream(options.seed, purpose::PLAN, index);
                let mut name_rng = stream(options.seed, purpose::NAMES, index);
                let org = match level {
                    Level::Preschool => plan_preschool(&mut rng, &mut name_rng, &mut book, ri),
                    Level::School => plan_school(&mut rng, &mut name_rng, &mut book, ri),
                    Level::College => plan_college(&mut rng, &mut name_rng, &mut book, ri, options),
                    Level::University => {
                        plan_university(&mut rng, &mut name_rng, &mut book, ri, k == 0, options)
                    }
                };
                let founded = match level {
                    Level::University => rng.int_in(1992, 2010),
                    _ => rng.int_in(1995, 2014),
                } as Year;
                let id = bins.issue(&mut rng, founded.min(span.first - 1));
                let region_label = region_label(&mut rng, &REGIONS[ri]);
                let write_ownership = !rng.chance(0.01);
                let write_locality = !rng.chance(0.01);
                orgs.push(OrgPlan {
                    id,
                    level,
                    region: ri,
                    region_label,
                    write_ownership,
                    write_locality,
                    first_year: span.first,
                    last_year: span.last,
                    opened: false,
                    closed: false,
                    missing_year: None,
                    accreditation_lost: None,
                    records: false,
                    grades: Vec::new(),
                    ..org
                });
            }
        }
    }
    let mut plan = Plan { orgs, span };
    plant_lifecycles(&mut plan, options, &mut bins);
    plant_patterns(&mut plan, options);
    plant_gaps(&mut plan, options);
    select_records(&mut plan, options);
    plan
}

/// The region as written: a few rows differ in case or spacing, as in real registers.
fn region_label(rng: &mut SampleRng, region: &Region) -> String {
    let roll = rng.unit();
    if roll < 0.01 {
        region.kk.to_lowercase()
    } else if roll < 0.02 {
        region.kk.replacen(' ', "  ", 1)
    } else if roll < 0.025 {
        format!(" {}", region.kk)
    } else {
        region.kk.to_string()
    }
}

fn blank(level: Level, region: usize, names: OrgNames, detail: Detail) -> OrgPlan {
    OrgPlan {
        id: String::new(),
        level,
        region,
        region_label: String::new(),
        ownership: Ownership::State,
        locality: Locality::Urban,
        write_ownership: true,
        write_locality: true,
        names,
        quality: 0.0,
        size: 0.0,
        first_year: 0,
        last_year: 0,
        opened: false,
        closed: false,
        missing_year: None,
        accreditation_lost: None,
        records: false,
        grades: Vec::new(),
        detail,
    }
}

fn plan_preschool(
    rng: &mut SampleRng,
    name_rng: &mut SampleRng,
    book: &mut NameBook,
    ri: usize,
) -> OrgPlan {
    let region = &REGIONS[ri];
    let locality = if rng.chance(region.rural_share * 0.85) {
        Locality::Rural
    } else {
        Locality::Urban
    };
    let private_share = match (region.city, locality) {
        (true, _) => 0.6,
        (false, Locality::Urban) => 0.5,
        (false, Locality::Rural) => 0.2,
    };
    let ownership = if rng.chance(private_share) {
        Ownership::Private
    } else {
        Ownership::State
    };
    let mean = match (ownership, locality) {
        (Ownership::State, Locality::Urban) => 230.0,
        (Ownership::State, Locality::Rural) => 75.0,
        (Ownership::Private, Locality::Urban) => 95.0,
        (Ownership::Private, Locality::Rural) => 45.0,
    };
    let size = rng.lognormal_mean(mean, 0.4).clamp(15.0, 480.0);
    let quality = rng.normal(0.0, 0.8)
        + if ownership == Ownership::Private {
            0.2
        } else {
            0.0
        }
        + region.results * 0.5;
    let names = names::preschool(book, name_rng, ri, locality, ownership);
    OrgPlan {
        ownership,
        locality,
        size,
        quality,
        ..blank(Level::Preschool, ri, names, Detail::Preschool)
    }
}

fn plan_school(
    rng: &mut SampleRng,
    name_rng: &mut SampleRng,
    book: &mut NameBook,
    ri: usize,
) -> OrgPlan {
    let region = &REGIONS[ri];
    let locality = if rng.chance(region.rural_share) {
        Locality::Rural
    } else {
        Locality::Urban
    };
    let private_share = match (region.city, locality) {
        (true, _) => 0.1,
        (false, Locality::Urban) => 0.05,
        (false, Locality::Rural) => 0.005,
    };
    let ownership = if rng.chance(private_share) {
        Ownership::Private
    } else {
        Ownership::State
    };
    let kind = match (ownership, locality) {
        (Ownership::Private, _) => {
            if rng.chance(0.5) {
                SchoolKind::Gymnasium
            } else {
                SchoolKind::General
            }
        }
        (Ownership::State, Locality::Urban) => {
            if rng.chance(0.18) {
                SchoolKind::Gymnasium
            } else {
                SchoolKind::General
            }
        }
        (Ownership::State, Locality::Rural) => match rng.unit() {
            x if x < 0.06 => SchoolKind::Primary,
            x if x < 0.22 => SchoolKind::Basic,
            _ => SchoolKind::General,
        },
    };
    // Mean pupils per school in the region, split so that urban schools are
    // about four times as large as rural ones.
    let mean = region.pupils_k * 1000.0 / region.schools;
    let rural_mean = mean / (region.rural_share + 4.0 * (1.0 - region.rural_share));
    let base = match locality {
        Locality::Urban => 4.0 * rural_mean,
        Locality::Rural => rural_mean,
    };
    let kind_factor = match kind {
        SchoolKind::Primary => 0.15,
        SchoolKind::Basic => 0.45,
        SchoolKind::General => 1.1,
        SchoolKind::Gymnasium => 1.0,
    };
    let own_factor = if ownership == Ownership::Private {
        0.3
    } else {
        1.0
    };
    let sigma = if locality == Locality::Rural {
        0.6
    } else {
        0.4
    };
    let size = rng
        .lognormal_mean(base * kind_factor * own_factor, sigma)
        .clamp(8.0, 4200.0);
    let quality = rng.normal(0.0, 0.8)
        + region.results
        + if locality == Locality::Urban {
            0.25
        } else {
            -0.1
        }
        + if kind == SchoolKind::Gymnasium {
            0.6
        } else {
            0.0
        }
        + if ownership == Ownership::Private {
            0.4
        } else {
            0.0
        };
    let names = names::school(book, name_rng, ri, region, kind, locality, ownership);
    OrgPlan {
        ownership,
        locality,
        size,
        quality,
        ..blank(Level::School, ri, names, Detail::School { kind })
    }
}

fn plan_college(
    rng: &mut SampleRng,
    name_rng: &mut SampleRng,
    book: &mut NameBook,
    ri: usize,
    options: &SampleOptions,
) -> OrgPlan {
    let region = &REGIONS[ri];
    let locality = if !region.city && rng.chance(0.2) {
        Locality::Rural
    } else {
        Locality::Urban
    };
    let private_share = if region.city { 0.55 } else { 0.42 };
    let ownership = if locality == Locality::Urban && rng.chance(private_share) {
        Ownership::Private
    } else {
        Ownership::State
    };
    let oil = matches!(
        region.key,
        "atyrau" | "mangystau" | "west_kazakhstan" | "aktobe" | "kyzylorda"
    );
    let profile = if locality == Locality::Rural {
        CollegeProfile::Agrarian
    } else if ownership == Ownership::Private {
        *rng.pick(&[
            CollegeProfile::Medical,
            CollegeProfile::Medical,
            CollegeProfile::Economic,
            CollegeProfile::Economic,
            CollegeProfile::Multi,
            CollegeProfile::Multi,
            CollegeProfile::Pedagogical,
        ])
    } else {
        let mut choices = vec![
            CollegeProfile::Pedagogical,
            CollegeProfile::Medical,
            CollegeProfile::Polytechnic,
            CollegeProfile::Polytechnic,
            CollegeProfile::Economic,
            CollegeProfile::Multi,
            CollegeProfile::Multi,
            CollegeProfile::Agrarian,
        ];
        if oil {
            choices.push(CollegeProfile::OilGas);
            choices.push(CollegeProfile::OilGas);
        }
        *rng.pick(&choices)
    };
    let mut size = rng.lognormal_mean(700.0, 0.45);
    if ownership == Ownership::Private {
        size *= 0.6;
    }
    if locality == Locality::Rural {
        size *= 0.7;
    }
    let size = size.clamp(120.0, 3000.0);
    let quality = rng.normal(0.0, 0.8)
        + if ownership == Ownership::Private {
            -0.1
        } else {
            0.0
        }
        + region.results * 0.5;
    let names = names::college(book, name_rng, ri, region, profile, locality, ownership);
    let mut prog_rng = stream(options.seed, purpose::PROGRAMMES, rng.random::<u64>());
    let programmes = college_programmes(&mut prog_rng, profile, size, quality);
    OrgPlan {
        ownership,
        locality,
        size,
        quality,
        ..blank(
            Level::College,
            ri,
            names,
            Detail::College {
                profile,
                programmes,
                high_dropout: false,
            },
        )
    }
}

fn college_programmes(
    rng: &mut SampleRng,
    profile: CollegeProfile,
    size: f64,
    quality: f64,
) -> Vec<ProgPlan> {
    let offered = specialties_of(profile);
    let n = ((size / 130.0).round() as usize).clamp(2, offered.len());
    let mut out = Vec::with_capacity(n);
    let popularity: Vec<f64> = (0..n).map(|_| rng.lognormal_mean(1.0, 0.4)).collect();
    let total_pop: f64 = popularity.iter().sum();
    for (i, &si) in offered.iter().take(n).enumerate() {
        let s = &SPECIALTIES[si];
        // Steady state: students ≈ admissions × duration × 0.85 (attrition).
        let admissions = size * popularity[i] / total_pop / (f64::from(s.duration) * 0.85);
        out.push(ProgPlan {
            code: s.code.to_string(),
            kind: ProgKind::Tvet(si),
            duration: s.duration,
            admissions: admissions.max(8.0),
            female: s.female,
            employment: s.employment,
            competition: s.competition * (0.25 * quality).exp(),
            accredited: rng.chance(0.35 + 0.1 * quality),
            gpa_shift: rng.normal(0.0, 0.12),
            prefix: s.prefix,
        });
    }
    out
}

fn plan_university(
    rng: &mut SampleRng,
    name_rng: &mut SampleRng,
    book: &mut NameBook,
    ri: usize,
    first_in_region: bool,
    options: &SampleOptions,
) -> OrgPlan {
    let region = &REGIONS[ri];
    let private_share = match region.key {
        "almaty_city" | "shymkent" => 0.6,
        "astana" => 0.45,
        _ => 0.35,
    };
    // The first university of every region is a state one.
    let ownership = if !first_in_region && rng.chance(private_share) {
        Ownership::Private
    } else {
        Ownership::State
    };
    let profile = if ownership == Ownership::Private {
        if rng.chance(0.7) {
            UniversityProfile::Economic
        } else {
            UniversityProfile::Classical
        }
    } else if first_in_region {
        UniversityProfile::Classical
    } else {
        *rng.pick(&[
            UniversityProfile::Classical,
            UniversityProfile::Technical,
            UniversityProfile::Technical,
            UniversityProfile::Pedagogical,
            UniversityProfile::Pedagogical,
            UniversityProfile::Medical,
            UniversityProfile::Medical,
            UniversityProfile::Agrarian,
            UniversityProfile::Economic,
        ])
    };
    let mean = match (ownership, profile) {
        (Ownership::Private, _) => 2600.0,
        (_, UniversityProfile::Medical) => 5000.0,
        _ => 8000.0,
    } * if region.key == "almaty_city" {
        1.2
    } else {
        1.0
    };
    let size = rng.lognormal_mean(mean, 0.5).clamp(500.0, 30_000.0);
    let quality = rng.normal(0.0, 0.8)
        + if ownership == Ownership::State {
            0.2
        } else {
            -0.1
        }
        + if matches!(region.key, "almaty_city" | "astana") {
            0.3
        } else {
            0.0
        };
    let names = names::university(book, name_rng, ri, region, profile, ownership);
    let mut prog_rng = stream(options.seed, purpose::PROGRAMMES, rng.random::<u64>());
    let programmes = university_programmes(&mut prog_rng, profile, ownership, size, quality);
    // A village campus is rare; nearly all universities are urban.
    let locality = if rng.chance(0.02) {
        Locality::Rural
    } else {
        Locality::Urban
    };
    OrgPlan {
        ownership,
        locality,
        size,
        quality,
        ..blank(
            Level::University,
            ri,
            names,
            Detail::University {
                profile,
                programmes,
                falling_employment: false,
            },
        )
    }
}

fn university_programmes(
    rng: &mut SampleRng,
    profile: UniversityProfile,
    ownership: Ownership,
    size: f64,
    quality: f64,
) -> Vec<ProgPlan> {
    let groups = fields_of(profile);
    let n_bachelor = ((size / 220.0).round() as usize).clamp(4, 60);
    let n_master = ((n_bachelor as f64)
        * if ownership == Ownership::State {
            0.45
        } else {
            0.2
        })
    .round() as usize;
    let n_doctoral = if ownership == Ownership::State && size > 5000.0 {
        ((n_bachelor as f64) * 0.12).round() as usize
    } else {
        0
    };
    // Programmes per group: the most typical groups get more programmes.
    let weights: Vec<f64> = (0..groups.len())
        .map(|i| 1.0 / (1.0 + i as f64 * 0.35))
        .collect();
    let mut out = Vec::new();
    let push_cycle = |rng: &mut SampleRng, count: usize, cycle: char, out: &mut Vec<ProgPlan>| {
        if count == 0 {
            return;
        }
        let per_group = apportion(count as u32, &weights, 0);
        for (gi, &k) in per_group.iter().enumerate() {
            let field_idx = groups[gi];
            let f = &FIELDS[field_idx];
            for serial in 1..=k {
                let (kind, duration, share) = match cycle {
                    'B' => (ProgKind::Bachelor(field_idx), f.duration, 0.84),
                    'M' => (ProgKind::Master(field_idx), 2, 0.12),
                    _ => (ProgKind::Doctoral(field_idx), 3, 0.04),
                };
                let prefix = match cycle {
                    'B' => "6B",
                    'M' => "7M",
                    _ => "8D",
                };
                let per_prog = size * share / count as f64;
                let admissions =
                    per_prog / (f64::from(duration) * 0.88) * rng.lognormal_mean(1.0, 0.45);
                out.push(ProgPlan {
                    code: format!("{prefix}{}{serial:02}", f.group),
                    kind,
                    duration,
                    admissions: admissions.max(if cycle == 'B' { 10.0 } else { 3.0 }),
                    female: (f.female + rng.normal(0.0, 0.04)).clamp(0.02, 0.98),
                    employment: f.employment,
                    competition: f.competition * (0.3 * quality).exp(),
                    accredited: rng.chance(0.8 + 0.08 * quality),
                    gpa_shift: rng.normal(0.0, 0.15),
                    prefix: f.prefix,
                });
            }
        }
    };
    push_cycle(rng, n_bachelor, 'B', &mut out);
    push_cycle(rng, n_master, 'M', &mut out);
    push_cycle(rng, n_doctoral, 'D', &mut out);
    out
}

/// Openings and closures within the span.
fn plant_lifecycles(plan: &mut Plan, options: &SampleOptions, bins: &mut BinIssuer) {
    let span = plan.span;
    if span.len() < 3 {
        return;
    }
    let mut rng = stream(options.seed, purpose::GAPS, 1);
    let small = options.scale == Scale::Small;
    let inner_year = |rng: &mut SampleRng| {
        rng.int_in(i64::from(span.first) + 1, i64::from(span.last) - 1) as Year
    };

    // New schools open where schools are overcrowded; new private preschools,
    // colleges and universities open anywhere.
    let mut open =
        |plan: &mut Plan, rng: &mut SampleRng, pred: &dyn Fn(&OrgPlan) -> bool, n: usize| {
            let mut cands: Vec<usize> = (0..plan.orgs.len())
                .filter(|&i| pred(&plan.orgs[i]))
                .collect();
            shuffle(rng, &mut cands);
            for &i in cands.iter().take(n) {
                let year = inner_year(rng);
                let org = &mut plan.orgs[i];
                org.first_year = year;
                org.opened = true;
                // A new organisation has a new registration number.
                org.id = bins.issue(rng, year - 1);
            }
        };
    let n = |national: usize, small_n: usize| if small { small_n } else { national };
    let crowded = |o: &OrgPlan| o.region().crowding > 1.1;
    open(
        plan,
        &mut rng,
        &|o| {
            o.level == Level::School
                && crowded(o)
                && o.ownership == Ownership::State
                && matches!(
                    o.detail,
                    Detail::School {
                        kind: SchoolKind::General
                    }
                )
        },
        n(120, 2),
    );
    open(
        plan,
        &mut rng,
        &|o| o.level == Level::Preschool && o.ownership == Ownership::Private,
        n(300, 1),
    );
    open(
        plan,
        &mut rng,
        &|o| o.level == Level::College && o.ownership == Ownership::Private,
        n(12, 0),
    );
    open(
        plan,
        &mut rng,
        &|o| o.level == Level::University && o.ownership == Ownership::Private,
        n(3, 1),
    );

    // Closures: small rural schools where the population shrinks, private
    // preschools and colleges, a private university losing its licence.
    let close =
        |plan: &mut Plan, rng: &mut SampleRng, pred: &dyn Fn(&OrgPlan) -> bool, n: usize| {
            let mut cands: Vec<usize> = (0..plan.orgs.len())
                .filter(|&i| !plan.orgs[i].opened && pred(&plan.orgs[i]))
                .collect();
            shuffle(rng, &mut cands);
            for &i in cands.iter().take(n) {
                let year = inner_year(rng);
                let org = &mut plan.orgs[i];
                org.last_year = year;
                org.closed = true;
            }
        };
    let shrinking_small_school = |o: &OrgPlan| {
        o.level == Level::School
            && o.locality == Locality::Rural
            && matches!(
                o.detail,
                Detail::School {
                    kind: SchoolKind::Primary | SchoolKind::Basic
                }
            )
            && o.region().growth < 0.0
    };
    let any_small_rural_school =
        |o: &OrgPlan| o.level == Level::School && o.locality == Locality::Rural && o.size < 150.0;
    let before = plan.orgs.iter().filter(|o| o.closed).count();
    close(plan, &mut rng, &shrinking_small_school, n(150, 1));
    if plan.orgs.iter().filter(|o| o.closed).count() == before {
        close(plan, &mut rng, &any_small_rural_school, 1);
    }
    close(
        plan,
        &mut rng,
        &|o| o.level == Level::Preschool && o.ownership == Ownership::Private,
        n(150, 0),
    );
    close(
        plan,
        &mut rng,
        &|o| o.level == Level::College && o.ownership == Ownership::Private,
        n(20, 1),
    );
    close(
        plan,
        &mut rng,
        &|o| o.level == Level::University && o.ownership == Ownership::Private,
        n(2, 0),
    );
}

/// Falling employment, high dropout, accreditation loss.
fn plant_patterns(plan: &mut Plan, options: &SampleOptions) {
    let mut rng = stream(options.seed, purpose::GAPS, 2);
    let span = plan.span;
    let small = options.scale == Scale::Small;

    // Universities whose graduates find work less and less often: private ones first.
    let mut unis: Vec<usize> = (0..plan.orgs.len())
        .filter(|&i| {
            plan.orgs[i].level == Level::University && !plan.orgs[i].opened && !plan.orgs[i].closed
        })
        .collect();
    shuffle(&mut rng, &mut unis);
    unis.sort_by_key(|&i| plan.orgs[i].ownership == Ownership::State);
    let n_falling = if small { 2 } else { 8 };
    for &i in unis.iter().take(n_falling) {
        if let Detail::University {
            falling_employment, ..
        } = &mut plan.orgs[i].detail
        {
            *falling_employment = true;
        }
    }
    // Accreditation lost half-way through the span (not the falling ones, so
    // each pattern has its own organisation).
    let n_lost = if small { 1 } else { 5 };
    let lost_year = span.first + (span.len() as Year) / 2;
    for &i in unis.iter().skip(n_falling).take(n_lost) {
        plan.orgs[i].accreditation_lost = Some(lost_year);
    }

    // Private colleges with very high dropout.
    let mut colleges: Vec<usize> = (0..plan.orgs.len())
        .filter(|&i| {
            plan.orgs[i].level == Level::College
                && plan.orgs[i].ownership == Ownership::Private
                && !plan.orgs[i].opened
        })
        .collect();
    shuffle(&mut rng, &mut colleges);
    let n_dropout = if small {
        2
    } else {
        (colleges.len() as f64 * 0.2).round() as usize
    };
    for &i in colleges.iter().take(n_dropout) {
        if let Detail::College { high_dropout, .. } = &mut plan.orgs[i].detail {
            *high_dropout = true;
        }
    }
    // A few colleges lose accreditation too.
    for &i in colleges
        .iter()
        .skip(n_dropout)
        .take(if small { 0 } else { 10 })
    {
        plan.orgs[i].accreditation_lost = Some(lost_year);
    }
}

/// Years without observations for a few organisations.
fn plant_gaps(plan: &mut Plan, options: &SampleOptions) {
    let span = plan.span;
    if span.len() < 3 {
        return;
    }
    let mut rng = stream(options.seed, purpose::GAPS, 3);
    for org in plan.orgs.iter_mut() {
        let planted = org.opened
            || org.closed
            || org.accreditation_lost.is_some()
            || matches!(
                org.detail,
                Detail::University {
                    falling_employment: true,
                    ..
                } | Detail::College {
                    high_dropout: true,
                    ..
                }
            );
        if !planted && rng.chance(0.03) {
            org.missing_year =
                Some(rng.int_in(i64::from(span.first) + 1, i64::from(span.last) - 1) as Year);
        }
    }
}

/// Chooses the colleges and universities whose student records (and, for a
/// few university programmes, grades) are written, within the row budgets:
/// planted-pattern organisations first, then alternately a university and a
/// college in a seeded random order.
fn select_records(plan: &mut Plan, options: &SampleOptions) {
    let (mut students_left, mut grades_left) = record_budgets(options);
    let mut rng = stream(options.seed, purpose::SELECT, 0);
    let years_active = |o: &OrgPlan| (o.last_year - o.first_year + 1).max(0) as f64;
    // Rows per organisation: about 1.1 rows per student on the roll and year.
    let estimate = |o: &OrgPlan| (o.size * 1.1 * years_active(o)) as usize;
    let is_planted = |o: &OrgPlan| {
        matches!(
            o.detail,
            Detail::University {
                falling_employment: true,
                ..
            } | Detail::College {
                high_dropout: true,
                ..
            }
        )
    };
    let mut unis: Vec<usize> = (0..plan.orgs.len())
        .filter(|&i| plan.orgs[i].level == Level::University)
        .collect();
    let mut colleges: Vec<usize> = (0..plan.orgs.len())
        .filter(|&i| plan.orgs[i].level == Level::College)
        .collect();
    shuffle(&mut rng, &mut unis);
    shuffle(&mut rng, &mut colleges);
    // Planted first (stable sort keeps the shuffled order otherwise); the
    // first planted university is the smallest one so it fits small budgets.
    unis.sort_by_key(|&i| !is_planted(&plan.orgs[i]));
    colleges.sort_by_key(|&i| !is_planted(&plan.orgs[i]));
    let mut order = Vec::with_capacity(unis.len() + colleges.len());
    let (mut u, mut c) = (unis.into_iter(), colleges.into_iter());
    loop {
        let a = u.next();
        let b = c.next();
        if a.is_none() && b.is_none() {
            break;
        }
        order.extend(a);
        order.extend(b);
    }
    for &i in &order {
        let est = estimate(&plan.orgs[i]);
        if est <= students_left {
            students_left -= est;
            plan.orgs[i].records = true;
        }
    }
    // Grades: programmes of organisations with records, in the same order,
    // until the budget is used; beyond its first programme no organisation
    // takes more than a quarter of it, so several export grades. Ten grade rows (two terms of five courses)
    // per student and year.
    let cap = grades_left / 4;
    let mut letters_taken = false;
    for &i in &order {
        let org = &mut plan.orgs[i];
        if !org.records {
            continue;
        }
        let years = years_active(org);
        let mut chosen = Vec::new();
        let mut taken = 0;
        for (pi, p) in org.programmes().iter().enumerate() {
            let students = p.admissions * f64::from(p.duration) * 0.9;
            let est = (students * years * 10.0) as usize;
            if est > 0 && est <= grades_left && (taken == 0 || taken + est <= cap) {
                grades_left -= est;
                taken += est;
                chosen.push(pi);
            }
        }
        // The first university with grades exports letters instead of scores
        // (as Platonus does); everyone else exports scores.
        let letters = !letters_taken && org.level == Level::University && !chosen.is_empty();
        letters_taken |= letters;
        org.grades = chosen.into_iter().map(|pi| (pi, letters)).collect();
    }
}
