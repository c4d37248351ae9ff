//! A Kyrgyz sample: organisations of the seven oblasts and the cities of Bishkek and Osh,
//! with Kyrgyz names, ИНН (14 digits) and ОКПО (8 digits) ids, a college-heavy mix of
//! levels, and Kyrgyz column headers as a Kyrgyz export writes them (`kpi sample --country
//! kg`).
//!
//! Two tables, both `;`-separated UTF-8: `organisations_kg.csv` («Уюмдун коду», «Уюмдун
//! аты», «Билим берүү деңгээли», «Облус», «Менчигинин түрү», «Жайгашкан жери») and
//! `observations_kg.csv` (one row per organisation and academic year, «2023-2024 окуу
//! жылы», one Kyrgyz header per metric). No money columns: amounts in som would need a
//! metric of their own (the catalogue's amounts are tenge, docs/data.md), so none is made
//! up. The values follow a per-organisation quality and trend, so dynamic and comparative
//! analysis have something to find; everything is a pure function of the seed.

use super::rng::{stream, Draw, SampleRng};
use super::{Sample, SampleFile, Scale};
use kpi_model::{Level, YearSpan};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Purpose tag of the Kyrgyz streams (distinct from the Kazakh ones in `rng::purpose`).
const KG: u64 = 20;

/// A region: its Kyrgyz name as the import files it, its main town, a share of the
/// organisations, and whether it is a city of republican significance.
struct Region {
    name: &'static str,
    towns: &'static [&'static str],
    weight: f64,
    city: bool,
    universities: &'static [&'static str],
}

const REGIONS: [Region; 9] = [
    Region {
        name: "Бишкек шаары",
        towns: &["Бишкек"],
        weight: 0.20,
        city: true,
        universities: &[
            "Ж. Баласагын атындагы Кыргыз улуттук университети",
            "И. Раззаков атындагы Кыргыз мамлекеттик техникалык университети",
            "И. Арабаев атындагы Кыргыз мамлекеттик университети",
        ],
    },
    Region {
        name: "Ош шаары",
        towns: &["Ош"],
        weight: 0.08,
        city: true,
        universities: &[
            "Ош мамлекеттик университети",
            "Ош технологиялык университети",
        ],
    },
    Region {
        name: "Чүй облусу",
        towns: &["Токмок", "Кара-Балта", "Кант"],
        weight: 0.14,
        city: false,
        universities: &[],
    },
    Region {
        name: "Ош облусу",
        towns: &["Өзгөн", "Кара-Суу", "Ноокат"],
        weight: 0.13,
        city: false,
        universities: &[],
    },
    Region {
        name: "Жалал-Абад облусу",
        towns: &["Жалал-Абад", "Кара-Көл", "Таш-Көмүр"],
        weight: 0.13,
        city: false,
        universities: &["Жалал-Абад мамлекеттик университети"],
    },
    Region {
        name: "Ысык-Көл облусу",
        towns: &["Каракол", "Балыкчы", "Чолпон-Ата"],
        weight: 0.09,
        city: false,
        universities: &["К. Тыныстанов атындагы Ысык-Көл мамлекеттик университети"],
    },
    Region {
        name: "Нарын облусу",
        towns: &["Нарын", "Кочкор", "Ат-Башы"],
        weight: 0.08,
        city: false,
        universities: &["С. Нааматов атындагы Нарын мамлекеттик университети"],
    },
    Region {
        name: "Талас облусу",
        towns: &["Талас", "Кара-Буура"],
        weight: 0.06,
        city: false,
        universities: &["Талас мамлекеттик университети"],
    },
    Region {
        name: "Баткен облусу",
        towns: &["Баткен", "Кызыл-Кыя", "Сүлүктү"],
        weight: 0.08,
        city: false,
        universities: &["Баткен мамлекеттик университети"],
    },
];

const COLLEGE_KINDS: [&str; 8] = [
    "педагогикалык колледжи",
    "медициналык колледжи",
    "агрардык-техникалык колледжи",
    "курулуш-экономикалык колледжи",
    "политехникалык колледжи",
    "маданият жана искусство колледжи",
    "транспорт жана байланыш колледжи",
    "көп тармактуу колледжи",
];

const PEOPLE: [&str; 8] = [
    "Ч. Айтматов",
    "Т. Сатылганов",
    "А. Осмонов",
    "Токтогул",
    "К. Тыныстанов",
    "Т. Молдо",
    "Б. Бейшеналиева",
    "Ж. Баласагын",
];

const KINDERGARTENS: [&str; 6] = [
    "Балапан",
    "Ак-Бата",
    "Күнчубак",
    "Чолпон",
    "Байчечекей",
    "Жоогазын",
];

/// The college of the Naryn regulation (seed 004), always present in the Naryn oblast.
pub const NARYN_COLLEGE: &str =
    "С. Нааматов атындагы НМУнун агрардык техникалык-экономикалык колледжи";

/// The id of the Naryn college in every Kyrgyz sample (a 14-digit ИНН).
pub const NARYN_COLLEGE_ID: &str = "02103200110017";

/// One planned organisation.
struct Org {
    id: String,
    name: String,
    level: Level,
    region: usize,
    state: bool,
    urban: bool,
    size: f64,
    quality: f64,
    trend: f64,
}

/// Organisations per level (preschool, school, college, university) at `scale`: colleges
/// are the largest group, as in the monitoring of a college network.
fn counts(scale: Scale) -> [usize; 4] {
    match scale {
        Scale::Small => [10, 20, 36, 9],
        Scale::National => [80, 160, 288, 36],
    }
}

/// A fresh id: a 14-digit ИНН of a legal entity (`0` or `1`, registration date, serial)
/// for about three organisations in four, else an 8-digit ОКПО code.
fn issue_id(rng: &mut SampleRng, used: &mut BTreeSet<String>) -> String {
    loop {
        let id = if rng.chance(0.75) {
            let first = rng.int_in(0, 1);
            let day = rng.int_in(1, 28);
            let month = rng.int_in(1, 12);
            let year = rng.int_in(1992, 2015);
            let serial = rng.int_in(1, 99_999);
            format!("{first}{day:02}{month:02}{year}{serial:05}")
        } else {
            format!("{:08}", rng.int_in(1_000_000, 99_999_999))
        };
        if used.insert(id.clone()) {
            return id;
        }
    }
}

fn pick_region(rng: &mut SampleRng) -> usize {
    let total: f64 = REGIONS.iter().map(|r| r.weight).sum();
    let mut x = rng.uniform(0.0, total);
    for (i, r) in REGIONS.iter().enumerate() {
        if x < r.weight {
            return i;
        }
        x -= r.weight;
    }
    REGIONS.len() - 1
}

fn plan(seed: u64, scale: Scale) -> Vec<Org> {
    let mut rng = stream(seed, KG, 0);
    let mut used = BTreeSet::from([NARYN_COLLEGE_ID.to_string()]);
    let mut names = BTreeSet::new();
    let mut orgs = Vec::new();
    let [pre, sch, col, uni] = counts(scale);
    let mut push = |rng: &mut SampleRng, level: Level, region: usize, name: String, id: String| {
        // One name once: a second college of the same kind in a town gets a number.
        let mut name = name;
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{name} № {n}");
            n += 1;
        }
        let r = &REGIONS[region];
        let state = match level {
            Level::University => rng.chance(0.8),
            Level::College => rng.chance(0.75),
            _ => rng.chance(0.9),
        };
        orgs.push(Org {
            id,
            name,
            level,
            region,
            state,
            urban: r.city || rng.chance(0.55),
            size: rng.lognormal_mean(1.0, 0.35),
            quality: rng.normal(0.0, 1.0).clamp(-2.5, 2.5),
            trend: rng.normal(0.0, 0.6),
        });
    };
    // The Naryn college of the regulation first, with its fixed id.
    push(
        &mut rng,
        Level::College,
        6,
        NARYN_COLLEGE.to_string(),
        NARYN_COLLEGE_ID.to_string(),
    );
    for i in 1..col {
        let region = pick_region(&mut rng);
        let town = *rng.pick(REGIONS[region].towns);
        let kind = COLLEGE_KINDS[i % COLLEGE_KINDS.len()];
        let id = issue_id(&mut rng, &mut used);
        push(
            &mut rng,
            Level::College,
            region,
            format!("{town} {kind}"),
            id,
        );
    }
    // Universities: the named ones of each region in turn, then numbered branches.
    let all_unis: Vec<(usize, &str)> = REGIONS
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.universities.iter().map(move |u| (i, *u)))
        .collect();
    for i in 0..uni {
        let (region, base) = all_unis[i % all_unis.len()];
        let name = if i < all_unis.len() {
            base.to_string()
        } else {
            format!("{base}нин филиалы")
        };
        let id = issue_id(&mut rng, &mut used);
        push(&mut rng, Level::University, region, name, id);
    }
    for i in 0..sch {
        let region = pick_region(&mut rng);
        let town = *rng.pick(REGIONS[region].towns);
        let number = rng.int_in(1, 80);
        let name = if i % 3 == 0 {
            let person = *rng.pick(&PEOPLE);
            format!("{town}: {person} атындагы № {number} орто мектеби")
        } else {
            format!("{town}: № {number} орто мектеби")
        };
        let id = issue_id(&mut rng, &mut used);
        push(&mut rng, Level::School, region, name, id);
    }
    for _ in 0..pre {
        let region = pick_region(&mut rng);
        let town = *rng.pick(REGIONS[region].towns);
        let number = rng.int_in(1, 150);
        let kind = *rng.pick(&KINDERGARTENS);
        let id = issue_id(&mut rng, &mut used);
        push(
            &mut rng,
            Level::Preschool,
            region,
            format!("{town}: № {number} «{kind}» бала бакчасы"),
            id,
        );
    }
    orgs
}

/// The Kyrgyz level name as written in an export.
fn level_text(level: Level) -> &'static str {
    match level {
        Level::Preschool => "бала бакча",
        Level::School => "мектеп",
        Level::College => "орто кесиптик окуу жайы",
        Level::University => "ЖОЖ",
    }
}

/// The Kyrgyz headers of `observations_kg.csv` after the id and the year, in order.
pub const OBSERVATION_HEADERS: [&str; 13] = [
    "Билим алуучулардын саны",
    "Кабыл алынгандардын саны",
    "Арыздардын саны",
    "Орундардын саны",
    "Окутуучулардын саны",
    "Илимий даражасы бар ПОК",
    "Жогорку категориядагы педагогдор",
    "5 жылда квалификациясын жогорулаткандар",
    "Бүтүрүүчүлөр",
    "Жумушка орношкон бүтүрүүчүлөр",
    "Жыйынтыктоочу аттестациядан өткөндөр",
    "Чыгарылгандардын саны",
    "Компьютерлердин саны",
];

/// The values of one organisation in one year, in the order of [`OBSERVATION_HEADERS`]
/// (`None`: not reported at that level).
fn observe(o: &Org, year_index: usize, rng: &mut SampleRng) -> [Option<u32>; 13] {
    let t = year_index as f64;
    let q = o.quality;
    let base = match o.level {
        Level::Preschool => 140.0,
        Level::School => 900.0,
        Level::College => 700.0,
        Level::University => 5200.0,
    };
    let growth = 1.0 + 0.015 * t + rng.normal(0.0, 0.02);
    let enrolled = (base * o.size * growth).round().max(30.0);
    let per_teacher = match o.level {
        Level::Preschool => 9.0,
        Level::School => 15.0,
        Level::College => 14.0,
        Level::University => 17.0,
    } * (1.0 - 0.06 * q)
        + rng.normal(0.0, 0.5);
    let teachers = (enrolled / per_teacher.max(5.0)).round().max(3.0);
    let capacity = (enrolled / (0.92 + rng.normal(0.0, 0.06)).clamp(0.7, 1.3)).round();
    let share = |mean: f64, rng: &mut SampleRng| (mean + rng.normal(0.0, 0.02)).clamp(0.0, 1.0);
    let count = |n: f64, p: f64| (n * p).round() as u32;
    let mut v = [None; 13];
    v[0] = Some(enrolled as u32);
    v[3] = Some(capacity as u32);
    v[4] = Some(teachers as u32);
    v[6] = Some(count(teachers, share(0.22 + 0.05 * q, rng)));
    v[7] = Some(count(teachers, share(0.6 + 0.08 * q + 0.01 * t, rng)));
    if o.level == Level::Preschool {
        return v;
    }
    v[12] = Some(count(enrolled, 1.0 / (13.0 - 2.0 * q).clamp(4.0, 30.0)));
    // Dropout moves by a relative noise: a share of a few percent never jumps tenfold.
    let dropout = (0.035 - 0.008 * q).max(0.012) * (1.0 + rng.normal(0.0, 0.12)).max(0.5);
    v[11] = Some(count(enrolled, dropout));
    let graduates = match o.level {
        Level::School => enrolled / 11.0,
        Level::College => enrolled / 3.3,
        _ => enrolled / 4.4,
    }
    .round();
    v[8] = Some(graduates as u32);
    v[10] = Some(count(graduates, share(0.9 + 0.03 * q, rng)));
    if o.level == Level::School {
        return v;
    }
    let admitted = (enrolled / 3.2).round();
    v[1] = Some(admitted as u32);
    v[2] = Some(count(
        admitted,
        (1.5 + 0.3 * q + rng.normal(0.0, 0.1)).max(1.0),
    ));
    // Employment moves with the organisation's trend (percentage points a year).
    let employment = 0.62 + 0.07 * q + o.trend * t / 100.0;
    v[9] = Some(count(graduates, share(employment, rng)));
    if o.level == Level::University {
        v[5] = Some(count(teachers, share(0.38 + 0.06 * q, rng)));
    }
    v
}

/// The Kyrgyz sample of `seed` at `scale` for the academic years `years`.
///
/// ```
/// use kpi_model::YearSpan;
/// use kpi_sample::{generate_kyrgyz, Scale};
/// let sample = generate_kyrgyz(3, Scale::Small, YearSpan::new(2020, 2024));
/// let orgs = sample.file("organisations_kg.csv").unwrap();
/// assert!(orgs.text().starts_with("Уюмдун коду;Уюмдун аты;Билим берүү деңгээли;Облус"));
/// assert_eq!(orgs.rows, 75);
/// assert_eq!(sample.file("observations_kg.csv").unwrap().rows, 75 * 5);
/// assert_eq!(generate_kyrgyz(3, Scale::Small, YearSpan::new(2020, 2024)), sample);
/// ```
pub fn generate_kyrgyz(seed: u64, scale: Scale, years: YearSpan) -> Sample {
    let orgs = plan(seed, scale);
    let mut org_csv = String::from(
        "Уюмдун коду;Уюмдун аты;Билим берүү деңгээли;Облус;Менчигинин түрү;Жайгашкан жери\n",
    );
    for o in &orgs {
        let _ = writeln!(
            org_csv,
            "{};{};{};{};{};{}",
            o.id,
            o.name,
            level_text(o.level),
            REGIONS[o.region].name,
            if o.state {
                "мамлекеттик"
            } else {
                "жеке менчик"
            },
            if o.urban { "шаар" } else { "айыл" },
        );
    }
    let mut obs_csv = String::from("Уюмдун коду;Окуу жылы");
    for h in OBSERVATION_HEADERS {
        obs_csv.push(';');
        obs_csv.push_str(h);
    }
    obs_csv.push('\n');
    let mut rows = 0;
    for (i, o) in orgs.iter().enumerate() {
        let mut rng = stream(seed, KG, 1 + i as u64);
        for (k, year) in years.iter().enumerate() {
            let _ = write!(obs_csv, "{};{}-{} окуу жылы", o.id, year, year + 1);
            for v in observe(o, k, &mut rng) {
                obs_csv.push(';');
                if let Some(v) = v {
                    let _ = write!(obs_csv, "{v}");
                }
            }
            obs_csv.push('\n');
            rows += 1;
        }
    }
    Sample {
        files: vec![
            SampleFile {
                name: "organisations_kg.csv".into(),
                rows: orgs.len(),
                bytes: org_csv.into_bytes(),
            },
            SampleFile {
                name: "observations_kg.csv".into(),
                rows,
                bytes: obs_csv.into_bytes(),
            },
        ],
        defects: Vec::new(),
    }
}
