//! Programme catalogues: groups of higher-education programmes (codes of the
//! form `6B06101`: cycle digit and letter, 3-digit group, 2-digit number) and
//! TVET specialties (7-digit codes such as `0101000`).
//!
//! The groups and specialties follow the structure of the national
//! classifiers; the selection and the parameters (share of women, employment,
//! competition for places) are illustrative, not official figures.

use super::names::{CollegeProfile, UniversityProfile};

/// A group of higher-education programmes.
#[derive(Clone, Copy, Debug)]
#[allow(dead_code)] // localised names: kept with the codes they name (programme labels)
pub(crate) struct Field {
    /// Three-digit group code (`061`).
    pub group: &'static str,
    /// Kazakh name.
    pub kk: &'static str,
    /// Russian name.
    pub ru: &'static str,
    /// English name.
    pub en: &'static str,
    /// Prefix of course codes in the grades table.
    pub prefix: &'static str,
    /// Share of women among students.
    pub female: f64,
    /// Probability a graduate is employed within a year (before organisation effects).
    pub employment: f64,
    /// Applicants per place.
    pub competition: f64,
    /// Normative duration of the bachelor's programme, years.
    pub duration: u8,
}

const fn field(
    group: &'static str,
    names: [&'static str; 3],
    prefix: &'static str,
    female: f64,
    employment: f64,
    competition: f64,
    duration: u8,
) -> Field {
    Field {
        group,
        kk: names[0],
        ru: names[1],
        en: names[2],
        prefix,
        female,
        employment,
        competition,
        duration,
    }
}

/// Higher-education programme groups.
pub(crate) const FIELDS: &[Field] = &[
    field(
        "011",
        [
            "Педагогика және психология",
            "Педагогика и психология",
            "Pedagogy and psychology",
        ],
        "PED",
        0.86,
        0.78,
        2.2,
        4,
    ),
    field(
        "012",
        [
            "Мектепке дейінгі оқыту және тәрбиелеу",
            "Дошкольное обучение и воспитание",
            "Preschool education",
        ],
        "DOS",
        0.97,
        0.8,
        1.8,
        4,
    ),
    field(
        "013",
        [
            "Бастауыш оқыту педагогикасы мен әдістемесі",
            "Педагогика и методика начального обучения",
            "Primary teacher education",
        ],
        "NACH",
        0.93,
        0.84,
        2.4,
        4,
    ),
    field(
        "014",
        [
            "Дене шынықтыру мұғалімдерін даярлау",
            "Подготовка учителей физической культуры",
            "Physical education teachers",
        ],
        "FK",
        0.3,
        0.76,
        2.0,
        4,
    ),
    field(
        "015",
        [
            "Жаратылыстану пәндері бойынша мұғалімдер даярлау",
            "Подготовка учителей по естественнонаучным предметам",
            "Science teachers",
        ],
        "EST",
        0.8,
        0.8,
        1.7,
        4,
    ),
    field(
        "017",
        [
            "Тіл және әдебиет бойынша мұғалімдер даярлау",
            "Подготовка учителей по языкам и литературе",
            "Language and literature teachers",
        ],
        "YAZ",
        0.88,
        0.74,
        2.1,
        4,
    ),
    field(
        "023",
        [
            "Тілдер және әдебиет",
            "Языки и литература",
            "Languages and literature",
        ],
        "FIL",
        0.84,
        0.58,
        2.5,
        4,
    ),
    field(
        "031",
        ["Әлеуметтік ғылымдар", "Социальные науки", "Social sciences"],
        "SOC",
        0.74,
        0.55,
        2.3,
        4,
    ),
    field(
        "032",
        [
            "Журналистика және ақпарат",
            "Журналистика и информация",
            "Journalism and information",
        ],
        "ZHUR",
        0.7,
        0.55,
        2.8,
        4,
    ),
    field(
        "041",
        [
            "Бизнес және басқару",
            "Бизнес и управление",
            "Business and management",
        ],
        "BUS",
        0.6,
        0.6,
        2.6,
        4,
    ),
    field("042", ["Құқық", "Право", "Law"], "LAW", 0.55, 0.6, 3.0, 4),
    field(
        "051",
        [
            "Биологиялық және сабақтас ғылымдар",
            "Биологические и смежные науки",
            "Biological sciences",
        ],
        "BIO",
        0.74,
        0.55,
        1.6,
        4,
    ),
    field(
        "053",
        [
            "Физикалық және химиялық ғылымдар",
            "Физические и химические науки",
            "Physical and chemical sciences",
        ],
        "PHY",
        0.52,
        0.62,
        1.4,
        4,
    ),
    field(
        "054",
        [
            "Математика және статистика",
            "Математика и статистика",
            "Mathematics and statistics",
        ],
        "MAT",
        0.55,
        0.66,
        1.5,
        4,
    ),
    field(
        "061",
        [
            "Ақпараттық-коммуникациялық технологиялар",
            "Информационно-коммуникационные технологии",
            "Information and communication technologies",
        ],
        "ICT",
        0.3,
        0.78,
        4.2,
        4,
    ),
    field(
        "063",
        [
            "Ақпараттық қауіпсіздік",
            "Информационная безопасность",
            "Information security",
        ],
        "SEC",
        0.25,
        0.8,
        3.6,
        4,
    ),
    field(
        "071",
        [
            "Инженерия және инженерлік іс",
            "Инженерия и инженерное дело",
            "Engineering",
        ],
        "ENG",
        0.2,
        0.75,
        1.9,
        4,
    ),
    field(
        "072",
        [
            "Өңдеу және өндіру салалары",
            "Производственные и обрабатывающие отрасли",
            "Manufacturing and processing",
        ],
        "PRO",
        0.32,
        0.72,
        1.5,
        4,
    ),
    field(
        "073",
        [
            "Сәулет және құрылыс",
            "Архитектура и строительство",
            "Architecture and construction",
        ],
        "STR",
        0.3,
        0.73,
        1.8,
        4,
    ),
    field(
        "081",
        ["Агрономия", "Агрономия", "Agronomy"],
        "AGR",
        0.35,
        0.68,
        1.3,
        4,
    ),
    field(
        "091",
        ["Ветеринария", "Ветеринария", "Veterinary science"],
        "VET",
        0.42,
        0.7,
        1.6,
        4,
    ),
    field(
        "101",
        ["Денсаулық сақтау", "Здравоохранение", "Health care"],
        "MED",
        0.72,
        0.9,
        4.8,
        5,
    ),
    field(
        "111",
        [
            "Қызмет көрсету",
            "Сфера обслуживания",
            "Services and tourism",
        ],
        "TUR",
        0.66,
        0.58,
        1.6,
        4,
    ),
    field(
        "113",
        [
            "Көлік қызметтері",
            "Транспортные услуги",
            "Transport services",
        ],
        "TRN",
        0.25,
        0.72,
        1.5,
        4,
    ),
];

/// The programme groups a university of a profile offers, most typical first.
pub(crate) fn fields_of(profile: UniversityProfile) -> Vec<usize> {
    let groups: &[&str] = match profile {
        UniversityProfile::Classical => &[
            "041", "042", "061", "023", "031", "032", "054", "053", "051", "011", "017", "073",
            "111",
        ],
        UniversityProfile::Technical => &[
            "071", "061", "073", "072", "063", "113", "054", "041", "053",
        ],
        UniversityProfile::Pedagogical => &[
            "011", "013", "017", "015", "012", "014", "054", "023", "031",
        ],
        UniversityProfile::Medical => &["101", "051", "011"],
        UniversityProfile::Agrarian => &["081", "091", "071", "072", "041", "051", "073"],
        UniversityProfile::Economic => &["041", "042", "061", "023", "031", "111", "032"],
    };
    groups
        .iter()
        .filter_map(|g| FIELDS.iter().position(|f| f.group == *g))
        .collect()
}

/// A TVET specialty.
#[derive(Clone, Copy, Debug)]
#[allow(dead_code)] // localised names: kept with the codes they name (programme labels)
pub(crate) struct Specialty {
    /// Seven-digit code.
    pub code: &'static str,
    /// Kazakh name.
    pub kk: &'static str,
    /// Russian name.
    pub ru: &'static str,
    /// English name.
    pub en: &'static str,
    /// Prefix of module codes (not used in grades; kept for symmetry).
    pub prefix: &'static str,
    /// Share of women.
    pub female: f64,
    /// Probability a graduate is employed within a year.
    pub employment: f64,
    /// Applicants per place.
    pub competition: f64,
    /// Normative duration, years (on the basis of grade 9).
    pub duration: u8,
}

const fn specialty(
    code: &'static str,
    names: [&'static str; 3],
    prefix: &'static str,
    female: f64,
    employment: f64,
    competition: f64,
    duration: u8,
) -> Specialty {
    Specialty {
        code,
        kk: names[0],
        ru: names[1],
        en: names[2],
        prefix,
        female,
        employment,
        competition,
        duration,
    }
}

/// TVET specialties.
pub(crate) const SPECIALTIES: &[Specialty] = &[
    specialty(
        "0101000",
        [
            "Мектепке дейінгі тәрбие және оқыту",
            "Дошкольное воспитание и обучение",
            "Preschool education",
        ],
        "DV",
        0.97,
        0.74,
        1.9,
        3,
    ),
    specialty(
        "0111000",
        [
            "Негізгі орта білім беру",
            "Основное среднее образование",
            "Lower secondary teaching",
        ],
        "OSO",
        0.85,
        0.7,
        1.7,
        4,
    ),
    specialty(
        "0112000",
        [
            "Бастауыш білім беру",
            "Начальное образование",
            "Primary teaching",
        ],
        "NO",
        0.92,
        0.76,
        1.8,
        4,
    ),
    specialty(
        "0411000",
        ["Есеп және аудит", "Учёт и аудит", "Accounting and audit"],
        "UA",
        0.78,
        0.52,
        1.5,
        3,
    ),
    specialty(
        "0413000",
        ["Маркетинг", "Маркетинг", "Marketing"],
        "MK",
        0.62,
        0.5,
        1.3,
        3,
    ),
    specialty(
        "0612000",
        [
            "Есептеу техникасы және ақпараттық желілер",
            "Вычислительная техника и информационные сети",
            "Computer hardware and networks",
        ],
        "VT",
        0.22,
        0.66,
        2.4,
        4,
    ),
    specialty(
        "0613000",
        [
            "Ақпараттық жүйелер",
            "Информационные системы",
            "Information systems",
        ],
        "IS",
        0.3,
        0.64,
        2.2,
        4,
    ),
    specialty(
        "0711000",
        ["Дәнекерлеу ісі", "Сварочное дело", "Welding"],
        "SD",
        0.03,
        0.78,
        1.4,
        3,
    ),
    specialty(
        "0713000",
        ["Электрмен жабдықтау", "Электроснабжение", "Power supply"],
        "ES",
        0.1,
        0.74,
        1.6,
        4,
    ),
    specialty(
        "0716000",
        [
            "Автомобиль көлігіне техникалық қызмет көрсету",
            "Техническое обслуживание и ремонт автомобильного транспорта",
            "Motor vehicle maintenance",
        ],
        "AT",
        0.03,
        0.72,
        1.5,
        4,
    ),
    specialty(
        "0724000",
        [
            "Мұнай және газ кен орындарын пайдалану",
            "Эксплуатация нефтяных и газовых месторождений",
            "Oil and gas field operation",
        ],
        "NG",
        0.1,
        0.8,
        2.6,
        4,
    ),
    specialty(
        "0732000",
        [
            "Ғимараттар мен құрылыстарды салу және пайдалану",
            "Строительство и эксплуатация зданий и сооружений",
            "Building construction",
        ],
        "SE",
        0.2,
        0.68,
        1.4,
        4,
    ),
    specialty(
        "0811000",
        ["Агрономия", "Агрономия", "Agronomy"],
        "AG",
        0.3,
        0.6,
        1.1,
        3,
    ),
    specialty(
        "0901000",
        ["Емдеу ісі", "Лечебное дело", "General medicine (feldsher)"],
        "LD",
        0.74,
        0.86,
        3.1,
        4,
    ),
    specialty(
        "0902000",
        ["Мейірбике ісі", "Сестринское дело", "Nursing"],
        "SD",
        0.93,
        0.88,
        2.7,
        3,
    ),
    specialty(
        "0911000",
        ["Фармация", "Фармация", "Pharmacy"],
        "FR",
        0.85,
        0.78,
        2.2,
        3,
    ),
    specialty(
        "1013000",
        ["Қонақ үй бизнесі", "Гостиничный бизнес", "Hospitality"],
        "GB",
        0.7,
        0.55,
        1.3,
        3,
    ),
    specialty(
        "1015000",
        [
            "Тамақтандыруды ұйымдастыру",
            "Организация питания",
            "Catering",
        ],
        "OP",
        0.72,
        0.6,
        1.2,
        3,
    ),
];

/// The specialties a college of a profile offers, most typical first.
pub(crate) fn specialties_of(profile: CollegeProfile) -> Vec<usize> {
    let codes: &[&str] = match profile {
        CollegeProfile::Pedagogical => &["0101000", "0112000", "0111000", "0613000"],
        CollegeProfile::Medical => &["0902000", "0901000", "0911000"],
        CollegeProfile::Polytechnic => &[
            "0713000", "0711000", "0716000", "0732000", "0612000", "0613000",
        ],
        CollegeProfile::Agrarian => &["0811000", "0716000", "0713000", "0711000", "1015000"],
        CollegeProfile::Economic => &["0411000", "0413000", "0613000", "1013000", "1015000"],
        CollegeProfile::OilGas => &["0724000", "0711000", "0713000", "0716000", "0612000"],
        CollegeProfile::Multi => &[
            "0411000", "0613000", "0716000", "1015000", "0101000", "0732000", "0713000", "1013000",
        ],
    };
    codes
        .iter()
        .filter_map(|c| SPECIALTIES.iter().position(|s| s.code == *c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_model::DegreeCycle;

    #[test]
    fn codes_have_the_classifier_shape() {
        for f in FIELDS {
            assert_eq!(f.group.len(), 3);
            let code = format!("6B{}01", f.group);
            assert_eq!(
                DegreeCycle::from_programme_code(&code),
                Some(DegreeCycle::Bachelor)
            );
        }
        for s in SPECIALTIES {
            assert_eq!(s.code.len(), 7);
            assert!(s.code.bytes().all(|b| b.is_ascii_digit()));
            assert!(s.duration >= 3 && s.duration <= 4);
        }
    }

    #[test]
    fn every_profile_offers_something() {
        use CollegeProfile as C;
        use UniversityProfile as U;
        for p in [
            U::Classical,
            U::Technical,
            U::Pedagogical,
            U::Medical,
            U::Agrarian,
            U::Economic,
        ] {
            assert!(!fields_of(p).is_empty());
        }
        for p in [
            C::Pedagogical,
            C::Medical,
            C::Polytechnic,
            C::Agrarian,
            C::Economic,
            C::OilGas,
            C::Multi,
        ] {
            assert!(!specialties_of(p).is_empty(), "{p:?}");
        }
    }
}
