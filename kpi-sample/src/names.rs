//! Organisation names in Kazakh, Russian and (sometimes) English, built from
//! the naming patterns of real exports: numbered city schools, village schools,
//! schools named after a person, kindergartens with a name in quotes, legal-form
//! prefixes (КММ / КГУ), colleges and universities named after their city.
//!
//! Every name is generated; any resemblance to a real organisation is
//! coincidental (the README of the sample says so).

use super::geo::Region;
use super::rng::{Draw, SampleRng};
use kpi_model::{Locality, Ownership};
use std::collections::HashSet;

/// The names of one organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OrgNames {
    /// `name`: the display name as the export gives it.
    pub name: String,
    /// `name_kk`.
    pub kk: Option<String>,
    /// `name_ru`.
    pub ru: Option<String>,
    /// `name_en`.
    pub en: Option<String>,
}

/// Villages: Kazakh and Russian spellings.
pub(crate) const VILLAGES: &[(&str, &str)] = &[
    ("Қарабұлақ", "Карабулак"),
    ("Ақсу", "Аксу"),
    ("Жаңатұрмыс", "Жанатурмыс"),
    ("Көктерек", "Коктерек"),
    ("Алғабас", "Алгабас"),
    ("Бірлік", "Бирлик"),
    ("Еңбек", "Енбек"),
    ("Жаңаталап", "Жанаталап"),
    ("Талдыбұлақ", "Талдыбулак"),
    ("Қызылжар", "Кызылжар"),
    ("Ақжар", "Акжар"),
    ("Шұбар", "Шубар"),
    ("Қоскөл", "Косколь"),
    ("Тереңөзек", "Теренозек"),
    ("Қарасу", "Карасу"),
    ("Бозой", "Бозой"),
    ("Қайнар", "Кайнар"),
    ("Саржал", "Саржал"),
    ("Ынтымақ", "Ынтымак"),
    ("Береке", "Береке"),
    ("Достық", "Достык"),
    ("Шалқар", "Шалкар"),
    ("Құмкөл", "Кумколь"),
    ("Ақтоған", "Актоган"),
    ("Сарыөзек", "Сарыозек"),
    ("Көкпекті", "Кокпекты"),
    ("Қаратал", "Каратал"),
    ("Ащысай", "Ащысай"),
    ("Жиделі", "Жидели"),
    ("Қошқар", "Кошкар"),
    ("Тасөткел", "Тасоткель"),
    ("Ақбастау", "Акбастау"),
    ("Қызылту", "Кызылту"),
    ("Сарыкөл", "Сарыколь"),
    ("Бескөл", "Бесколь"),
    ("Жалтыр", "Жалтыр"),
    ("Қаражар", "Каражар"),
    ("Ақтерек", "Актерек"),
    ("Жаңаауыл", "Жанаауыл"),
    ("Ақкөл", "Акколь"),
    ("Ортатөбе", "Ортатобе"),
    ("Аққайың", "Аккайын"),
    ("Жуантөбе", "Жуантобе"),
    ("Үшарал", "Ушарал"),
    ("Қапал", "Капал"),
    ("Сұлутөр", "Сулутор"),
    ("Теректі", "Теректы"),
    ("Қамысты", "Камысты"),
    ("Степное", "Степное"),
    ("Заречное", "Заречное"),
    ("Луговое", "Луговое"),
    ("Раздольное", "Раздольное"),
    ("Береговое", "Береговое"),
    ("Тұрар", "Турар"),
    ("Мақтаарал", "Мактаарал"),
    ("Ескіқала", "Ескикала"),
    ("Жаңақорған", "Жанакорган"),
    ("Сайрам", "Сайрам"),
    ("Қазығұрт", "Казыгурт"),
    ("Шардара", "Шардара"),
];

/// People schools and universities are named after: Kazakh nominative,
/// Russian genitive (`имени …`), English.
const PERSONS: &[(&str, &str, &str)] = &[
    ("Абай", "Абая", "Abai"),
    ("Ы. Алтынсарин", "И. Алтынсарина", "I. Altynsarin"),
    ("М. Әуезов", "М. Ауэзова", "M. Auezov"),
    ("Ш. Уәлиханов", "Ч. Валиханова", "Sh. Ualikhanov"),
    ("Жамбыл", "Жамбыла", "Zhambyl"),
    ("М. Жұмабаев", "М. Жумабаева", "M. Zhumabayev"),
    ("А. Байтұрсынұлы", "А. Байтурсынулы", "A. Baitursynuly"),
    ("С. Сейфуллин", "С. Сейфуллина", "S. Seifullin"),
    ("Абылай хан", "Абылай хана", "Abylai Khan"),
    ("Қ. Сәтбаев", "К. Сатпаева", "K. Satbayev"),
    ("Б. Момышұлы", "Б. Момышулы", "B. Momyshuly"),
    ("Төле би", "Толе би", "Tole Bi"),
    ("Қазыбек би", "Казыбек би", "Kazybek Bi"),
    ("Әйтеке би", "Айтеке би", "Aiteke Bi"),
    ("Махамбет", "Махамбета", "Makhambet"),
    ("Ж. Аймауытов", "Ж. Аймауытова", "Zh. Aimauytov"),
    ("С. Мұқанов", "С. Муканова", "S. Mukanov"),
    ("Ғ. Мүсірепов", "Г. Мусрепова", "G. Musrepov"),
    ("Х. Досмұхамедұлы", "Х. Досмухамедулы", "Kh. Dosmukhamedov"),
    ("Ә. Марғұлан", "А. Маргулана", "A. Margulan"),
];

/// Kindergarten names (Kazakh, Russian transliteration).
const KINDERGARTEN: &[(&str, &str)] = &[
    ("Балапан", "Балапан"),
    ("Айгөлек", "Айголек"),
    ("Балдырған", "Балдырган"),
    ("Ақбота", "Акбота"),
    ("Құлыншақ", "Кулыншак"),
    ("Еркетай", "Еркетай"),
    ("Күншуақ", "Куншуак"),
    ("Болашақ", "Болашак"),
    ("Айналайын", "Айналайын"),
    ("Бөбек", "Бобек"),
    ("Ертегі", "Ертеги"),
    ("Қуаныш", "Куаныш"),
    ("Шаттық", "Шаттык"),
    ("Арай", "Арай"),
    ("Балауса", "Балауса"),
    ("Жұлдыз", "Жулдыз"),
    ("Сәби", "Саби"),
    ("Тамшы", "Тамшы"),
    ("Нұрай", "Нурай"),
    ("Бәйтерек", "Байтерек"),
    ("Қызғалдақ", "Кызгалдак"),
    ("Мөлдір", "Молдир"),
    ("Ботақан", "Ботакан"),
];

/// Russian-language kindergarten names (private and northern ones).
const KINDERGARTEN_RU: &[&str] = &[
    "Солнышко",
    "Радуга",
    "Колокольчик",
    "Теремок",
    "Золотой ключик",
    "Ромашка",
    "Берёзка",
    "Светлячок",
    "Улыбка",
];

/// English brand names of private urban kindergartens.
const KINDERGARTEN_EN: &[&str] = &[
    "Smart Kids",
    "Happy Kids",
    "Little Star",
    "Kids Academy",
    "Baby Land",
    "Bright Minds",
    "Montessori House",
];

/// Brands of private colleges, schools and universities.
const BRANDS: &[(&str, &str, &str)] = &[
    ("Тұлпар", "Тулпар", "Tulpar"),
    ("Дарын", "Дарын", "Daryn"),
    ("Сапа", "Сапа", "Sapa"),
    ("Ұлағат", "Улагат", "Ulagat"),
    ("Зерде", "Зерде", "Zerde"),
    ("Өркен", "Оркен", "Orken"),
    ("Шапағат", "Шапагат", "Shapagat"),
    ("Нұр-Білім", "Нур-Билим", "Nur-Bilim"),
    ("Жаңа ғасыр", "Жана гасыр", "Zhana Gasyr"),
    ("Алтын бесік", "Алтын бесик", "Altyn Besik"),
    ("Самға", "Самга", "Samga"),
    ("Кемел", "Кемел", "Kemel"),
    ("Мерей", "Мерей", "Merey"),
    ("Ақиқат", "Акикат", "Akikat"),
    ("Жігер", "Жигер", "Zhiger"),
    ("Өнеге", "Онеге", "Onege"),
    ("Парасат", "Парасат", "Parasat"),
    ("Талап", "Талап", "Talap"),
    ("Сымбат", "Сымбат", "Symbat"),
    ("Білімдар", "Билимдар", "Bilimdar"),
];

/// Kinds of general school.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SchoolKind {
    /// Grades 1–4 (бастауыш мектеп).
    Primary,
    /// Grades 1–9 (негізгі орта мектеп).
    Basic,
    /// Grades 1–11 (жалпы орта білім беретін мектеп).
    General,
    /// Grades 1–11, school-gymnasium or school-lyceum (stronger results).
    Gymnasium,
}

impl SchoolKind {
    /// The highest grade taught.
    pub fn top_grade(self) -> usize {
        match self {
            SchoolKind::Primary => 4,
            SchoolKind::Basic => 9,
            SchoolKind::General | SchoolKind::Gymnasium => 11,
        }
    }
}

/// Keeps names unique within the sample.
#[derive(Default)]
pub(crate) struct NameBook {
    used: HashSet<String>,
    numbers: Vec<u32>,
}

impl NameBook {
    /// A book numbering city schools and kindergartens per region.
    pub fn new(regions: usize) -> Self {
        NameBook {
            used: HashSet::new(),
            numbers: vec![0; regions * 4],
        }
    }

    /// The next number of an institution of `kind` (0..4) in `region`.
    fn next_number(&mut self, region: usize, kind: usize, rng: &mut SampleRng) -> u32 {
        let slot = region * 4 + kind;
        // Numbers are not contiguous in real registers (closed and merged schools leave gaps).
        let step = if rng.chance(0.25) { 2 } else { 1 };
        self.numbers[slot] += step;
        self.numbers[slot]
    }

    /// Whether the name is new; records it.
    fn claim(&mut self, names: &OrgNames, region: usize) -> bool {
        self.used.insert(format!("{region}|{}", names.name))
    }
}

fn quote_kk(s: &str) -> String {
    format!("«{s}»")
}

fn quote_ru(s: &str) -> String {
    format!("\"{s}\"")
}

/// A school's names.
pub(crate) fn school(
    book: &mut NameBook,
    rng: &mut SampleRng,
    region_idx: usize,
    region: &Region,
    kind: SchoolKind,
    locality: Locality,
    ownership: Ownership,
) -> OrgNames {
    for attempt in 0..40 {
        let names = school_once(
            book, rng, region_idx, region, kind, locality, ownership, attempt,
        );
        if book.claim(&names, region_idx) {
            return names;
        }
    }
    // Unreachable in practice: numbered names never repeat.
    let n = book.next_number(region_idx, 0, rng);
    let kk = format!("№ {n} жалпы білім беретін мектеп");
    let ru = format!("Общеобразовательная школа № {n}");
    OrgNames {
        name: kk.clone(),
        kk: Some(kk),
        ru: Some(ru),
        en: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn school_once(
    book: &mut NameBook,
    rng: &mut SampleRng,
    region_idx: usize,
    region: &Region,
    kind: SchoolKind,
    locality: Locality,
    ownership: Ownership,
    attempt: usize,
) -> OrgNames {
    if ownership == Ownership::Private {
        let (bk, br, be) = *rng.pick(BRANDS);
        let (kk, ru, en) = match rng.int_in(0, 2) {
            0 => (
                format!("{} жеке мектебі", quote_kk(bk)),
                format!("Частная школа {}", quote_ru(br)),
                Some(format!("{be} Private School")),
            ),
            1 => (
                format!("{} мектеп-лицейі", quote_kk(bk)),
                format!("Школа-лицей {}", quote_ru(br)),
                None,
            ),
            _ => (
                format!("{} халықаралық мектебі", quote_kk(bk)),
                format!("Международная школа {}", quote_ru(br)),
                Some(format!("{be} International School")),
            ),
        };
        let name = if rng.chance(0.5) {
            ru.clone()
        } else {
            kk.clone()
        };
        return OrgNames {
            name,
            kk: Some(kk),
            ru: Some(ru),
            en,
        };
    }
    let (mut kk, mut ru) = if locality == Locality::Urban {
        let n = book.next_number(region_idx, 0, rng);
        match kind {
            SchoolKind::Gymnasium if rng.chance(0.5) => (
                format!("№ {n} мектеп-гимназия"),
                format!("Школа-гимназия № {n}"),
            ),
            SchoolKind::Gymnasium => (format!("№ {n} мектеп-лицей"), format!("Школа-лицей № {n}")),
            _ if rng.chance(0.2) => {
                let (pk, pr, _) = *rng.pick(PERSONS);
                (
                    format!("{pk} атындағы № {n} жалпы білім беретін мектеп"),
                    format!("Общеобразовательная школа № {n} имени {pr}"),
                )
            }
            _ => (
                format!("№ {n} жалпы білім беретін мектеп"),
                format!("Общеобразовательная школа № {n}"),
            ),
        }
    } else {
        let (vk, vr) = *rng.pick(VILLAGES);
        let suffix_kk = if attempt > 0 {
            format!(" № {}", attempt + 1)
        } else {
            String::new()
        };
        match kind {
            SchoolKind::Primary => (
                format!("{vk} бастауыш мектебі{suffix_kk}"),
                format!("Начальная школа села {vr}{suffix_kk}"),
            ),
            SchoolKind::Basic => (
                format!("{vk} негізгі орта мектебі{suffix_kk}"),
                format!("Основная средняя школа села {vr}{suffix_kk}"),
            ),
            _ if rng.chance(0.25) => {
                let (pk, pr, _) = *rng.pick(PERSONS);
                (
                    format!("{vk} ауылының {pk} атындағы жалпы білім беретін мектебі{suffix_kk}"),
                    format!("Общеобразовательная школа имени {pr} села {vr}{suffix_kk}"),
                )
            }
            _ => (
                format!("{vk} ауылының жалпы білім беретін мектебі{suffix_kk}"),
                format!("Общеобразовательная школа села {vr}{suffix_kk}"),
            ),
        }
    };
    // Legal-form prefixes as in the state register (communal state institution).
    if rng.chance(0.2) {
        kk = format!("{} КММ", quote_kk(&kk));
        ru = format!("КГУ {}", quote_ru(&ru));
    }
    // Russian-language schools of the north and the cities export the Russian name.
    let russian_share = if region.growth < 0.0 || region.city {
        0.35
    } else {
        0.1
    };
    let name = if rng.chance(russian_share) {
        ru.clone()
    } else {
        kk.clone()
    };
    // Small village schools often have no Russian name in the register.
    let ru = if locality == Locality::Rural && rng.chance(0.15) && name == kk {
        None
    } else {
        Some(ru)
    };
    OrgNames {
        name,
        kk: Some(kk),
        ru,
        en: None,
    }
}

/// A preschool organisation's names.
pub(crate) fn preschool(
    book: &mut NameBook,
    rng: &mut SampleRng,
    region_idx: usize,
    locality: Locality,
    ownership: Ownership,
) -> OrgNames {
    for _ in 0..40 {
        let names = preschool_once(book, rng, region_idx, locality, ownership);
        if book.claim(&names, region_idx) {
            return names;
        }
    }
    let n = book.next_number(region_idx, 1, rng);
    let kk = format!("№ {n} балабақша");
    OrgNames {
        name: kk.clone(),
        kk: Some(kk),
        ru: Some(format!("Детский сад № {n}")),
        en: None,
    }
}

fn preschool_once(
    book: &mut NameBook,
    rng: &mut SampleRng,
    region_idx: usize,
    locality: Locality,
    ownership: Ownership,
) -> OrgNames {
    if ownership == Ownership::Private {
        if locality == Locality::Urban && rng.chance(0.3) {
            let brand = *rng.pick(KINDERGARTEN_EN);
            return OrgNames {
                name: format!("Частный детский сад \"{brand}\""),
                kk: Some(format!("«{brand}» жеке балабақшасы")),
                ru: Some(format!("Частный детский сад \"{brand}\"")),
                en: Some(format!("{brand} kindergarten")),
            };
        }
        if rng.chance(0.35) {
            let brand = *rng.pick(KINDERGARTEN_RU);
            return OrgNames {
                name: format!("Детский сад \"{brand}\""),
                kk: Some(format!("«{brand}» балабақшасы")),
                ru: Some(format!("Детский сад \"{brand}\"")),
                en: None,
            };
        }
        let (bk, br) = *rng.pick(KINDERGARTEN);
        let kk = format!("«{bk}» жеке балабақшасы");
        return OrgNames {
            name: kk.clone(),
            kk: Some(kk),
            ru: Some(format!("Частный детский сад \"{br}\"")),
            en: None,
        };
    }
    let (bk, br) = *rng.pick(KINDERGARTEN);
    let (kk, ru) = if locality == Locality::Rural {
        let (vk, vr) = *rng.pick(VILLAGES);
        if rng.chance(0.5) {
            (
                format!("{vk} ауылының «{bk}» балабақшасы"),
                format!("Детский сад \"{br}\" села {vr}"),
            )
        } else {
            (
                format!("{vk} ауылының «{bk}» бөбекжайы"),
                format!("Ясли-сад \"{br}\" села {vr}"),
            )
        }
    } else if rng.chance(0.6) {
        let n = book.next_number(region_idx, 1, rng);
        (
            format!("№ {n} «{bk}» балабақшасы"),
            format!("Детский сад № {n} \"{br}\""),
        )
    } else {
        let n = book.next_number(region_idx, 1, rng);
        (
            format!("№ {n} «{bk}» бөбекжайы"),
            format!("Ясли-сад № {n} \"{br}\""),
        )
    };
    let name = if rng.chance(0.2) {
        ru.clone()
    } else {
        kk.clone()
    };
    OrgNames {
        name,
        kk: Some(kk),
        ru: Some(ru),
        en: None,
    }
}

/// Profiles of colleges (they drive both the name and the specialties offered).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CollegeProfile {
    /// Pedagogical.
    Pedagogical,
    /// Medical.
    Medical,
    /// Polytechnic / industrial.
    Polytechnic,
    /// Agrarian-technical.
    Agrarian,
    /// Economics and business.
    Economic,
    /// Oil and gas.
    OilGas,
    /// Multi-profile.
    Multi,
}

/// A college's names.
#[allow(clippy::too_many_arguments)]
pub(crate) fn college(
    book: &mut NameBook,
    rng: &mut SampleRng,
    region_idx: usize,
    region: &Region,
    profile: CollegeProfile,
    locality: Locality,
    ownership: Ownership,
) -> OrgNames {
    for attempt in 0..40 {
        let names = college_once(
            book, rng, region_idx, region, profile, locality, ownership, attempt,
        );
        if book.claim(&names, region_idx) {
            return names;
        }
    }
    let n = book.next_number(region_idx, 2, rng);
    let kk = format!("№ {n} көпсалалы колледж");
    OrgNames {
        name: kk.clone(),
        kk: Some(kk),
        ru: Some(format!("Многопрофильный колледж № {n}")),
        en: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn college_once(
    book: &mut NameBook,
    rng: &mut SampleRng,
    region_idx: usize,
    region: &Region,
    profile: CollegeProfile,
    locality: Locality,
    ownership: Ownership,
    attempt: usize,
) -> OrgNames {
    let ck = region.centre_kk;
    let adj = region.adj_ru;
    let ce = region.centre_en;
    let higher = rng.chance(0.3);
    let (hk, hr, he) = if higher {
        ("жоғары ", "высший ", "Higher ")
    } else {
        ("", "", "")
    };
    let (mut kk, mut ru, mut en) = if ownership == Ownership::Private {
        let (bk, br, be) = *rng.pick(BRANDS);
        match profile {
            CollegeProfile::Medical => (
                format!("«{bk}» медициналық колледжі"),
                format!("Медицинский колледж \"{br}\""),
                format!("{be} Medical College"),
            ),
            CollegeProfile::Economic => (
                format!("«{bk}» экономика және бизнес колледжі"),
                format!("Колледж экономики и бизнеса \"{br}\""),
                format!("{be} College of Economics and Business"),
            ),
            CollegeProfile::Pedagogical => (
                format!("«{bk}» гуманитарлық-педагогикалық колледжі"),
                format!("Гуманитарно-педагогический колледж \"{br}\""),
                format!("{be} College of Humanities and Education"),
            ),
            _ => (
                format!("«{bk}» колледжі"),
                format!("Колледж \"{br}\""),
                format!("{be} College"),
            ),
        }
    } else if locality == Locality::Rural {
        let (vk, vr) = *rng.pick(VILLAGES);
        (
            format!("{vk} ауылының аграрлық-техникалық колледжі"),
            format!("Аграрно-технический колледж села {vr}"),
            format!("{} Agrotechnical College", transliterate(vr)),
        )
    } else {
        match profile {
            CollegeProfile::Pedagogical if rng.chance(0.4) => {
                let (pk, pr, pe) = *rng.pick(PERSONS);
                (
                    format!("{pk} атындағы {ck} {hk}педагогикалық колледжі"),
                    format!("{adj} {hr}педагогический колледж имени {pr}"),
                    format!("{pe} {ce} {he}Pedagogical College"),
                )
            }
            CollegeProfile::Pedagogical => (
                format!("{ck} {hk}педагогикалық колледжі"),
                format!("{adj} {hr}педагогический колледж"),
                format!("{ce} {he}Pedagogical College"),
            ),
            CollegeProfile::Medical => (
                format!("{ck} {hk}медициналық колледжі"),
                format!("{adj} {hr}медицинский колледж"),
                format!("{ce} {he}Medical College"),
            ),
            CollegeProfile::Polytechnic => (
                format!("{ck} {hk}политехникалық колледжі"),
                format!("{adj} {hr}политехнический колледж"),
                format!("{ce} {he}Polytechnic College"),
            ),
            CollegeProfile::Agrarian => (
                format!("{ck} аграрлық-техникалық колледжі"),
                format!("{adj} аграрно-технический колледж"),
                format!("{ce} Agrotechnical College"),
            ),
            CollegeProfile::Economic => (
                format!("{ck} экономика және бизнес колледжі"),
                format!("{adj} колледж экономики и бизнеса"),
                format!("{ce} College of Economics and Business"),
            ),
            CollegeProfile::OilGas => (
                format!("{ck} мұнай және газ колледжі"),
                format!("{adj} колледж нефти и газа"),
                format!("{ce} College of Oil and Gas"),
            ),
            CollegeProfile::Multi => {
                let n = book.next_number(region_idx, 2, rng);
                (
                    format!("№ {n} {hk}көпсалалы колледж"),
                    format!(
                        "{}ногопрофильный колледж № {n}",
                        if higher { "Высший м" } else { "М" }
                    ),
                    format!("{he}Multidisciplinary College No. {n}"),
                )
            }
        }
    };
    if attempt > 0 {
        kk = format!("№ {} {kk}", attempt + 1);
        ru = format!("{ru} № {}", attempt + 1);
        en = format!("{en} No. {}", attempt + 1);
    }
    let name = if rng.chance(0.3) {
        ru.clone()
    } else {
        kk.clone()
    };
    OrgNames {
        name,
        kk: Some(kk),
        ru: Some(ru),
        en: rng.chance(0.3).then_some(en),
    }
}

/// Profiles of universities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UniversityProfile {
    /// Multidisciplinary (classical).
    Classical,
    /// Engineering and technology.
    Technical,
    /// Teacher education.
    Pedagogical,
    /// Medicine.
    Medical,
    /// Agriculture and veterinary.
    Agrarian,
    /// Economics, law and humanities (most private universities).
    Economic,
}

/// A university's names.
pub(crate) fn university(
    book: &mut NameBook,
    rng: &mut SampleRng,
    region_idx: usize,
    region: &Region,
    profile: UniversityProfile,
    ownership: Ownership,
) -> OrgNames {
    for attempt in 0..60 {
        let names = university_once(rng, region, profile, ownership, attempt);
        if book.claim(&names, region_idx) {
            return names;
        }
    }
    let n = book.next_number(region_idx, 3, rng);
    let kk = format!("{} университеті № {n}", region.centre_kk);
    OrgNames {
        name: kk.clone(),
        kk: Some(kk),
        ru: Some(format!("Университет {} № {n}", region.centre_ru)),
        en: Some(format!("{} University No. {n}", region.centre_en)),
    }
}

fn university_once(
    rng: &mut SampleRng,
    region: &Region,
    profile: UniversityProfile,
    ownership: Ownership,
    attempt: usize,
) -> OrgNames {
    let ck = region.centre_kk;
    let adj = region.adj_ru;
    let ce = region.centre_en;
    let (kk, ru, en) = if ownership == Ownership::Private {
        let (bk, br, be) = *rng.pick(BRANDS);
        match rng.int_in(0, 3) {
            0 => (
                format!("«{bk}» экономика және құқық университеті"),
                format!("Университет экономики и права \"{br}\""),
                format!("{be} University of Economics and Law"),
            ),
            1 => (
                format!("«{bk}» гуманитарлық-техникалық академиясы"),
                format!("Гуманитарно-техническая академия \"{br}\""),
                format!("{be} Academy of Humanities and Technology"),
            ),
            2 => (
                format!("{ck} «{bk}» инновациялық университеті"),
                format!("{adj} инновационный университет \"{br}\""),
                format!("{be} Innovative University of {ce}"),
            ),
            _ => (
                format!("«{bk}» халықаралық университеті"),
                format!("Международный университет \"{br}\""),
                format!("{be} International University"),
            ),
        }
    } else {
        let (kind_kk, kind_ru, kind_en) = match profile {
            UniversityProfile::Classical => (
                "мемлекеттік университеті",
                "государственный университет",
                "State University",
            ),
            UniversityProfile::Technical => (
                "техникалық университеті",
                "технический университет",
                "Technical University",
            ),
            UniversityProfile::Pedagogical => (
                "педагогикалық университеті",
                "педагогический университет",
                "Pedagogical University",
            ),
            UniversityProfile::Medical => (
                "медицина университеті",
                "медицинский университет",
                "Medical University",
            ),
            UniversityProfile::Agrarian => (
                "аграрлық-техникалық университеті",
                "аграрно-технический университет",
                "Agrotechnical University",
            ),
            UniversityProfile::Economic => (
                "экономика университеті",
                "экономический университет",
                "University of Economics",
            ),
        };
        if attempt == 0 && rng.chance(0.4) {
            (
                format!("{ck} {kind_kk}"),
                format!("{adj} {kind_ru}"),
                format!("{ce} {kind_en}"),
            )
        } else {
            let (pk, pr, pe) = *rng.pick(PERSONS);
            (
                format!("{pk} атындағы {ck} {kind_kk}"),
                format!("{adj} {kind_ru} имени {pr}"),
                format!("{pe} {ce} {kind_en}"),
            )
        }
    };
    let name = if rng.chance(0.25) {
        ru.clone()
    } else {
        kk.clone()
    };
    OrgNames {
        name,
        kk: Some(kk),
        ru: Some(ru),
        en: Some(en),
    }
}

/// A rough Latin transliteration of a Russian place name (for English names).
pub(crate) fn transliterate(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let t = match c {
            'А' => "A",
            'Б' => "B",
            'В' => "V",
            'Г' => "G",
            'Д' => "D",
            'Е' => "E",
            'Ж' => "Zh",
            'З' => "Z",
            'И' => "I",
            'Й' => "I",
            'К' => "K",
            'Л' => "L",
            'М' => "M",
            'Н' => "N",
            'О' => "O",
            'П' => "P",
            'Р' => "R",
            'С' => "S",
            'Т' => "T",
            'У' => "U",
            'Ф' => "F",
            'Х' => "Kh",
            'Ш' => "Sh",
            'Ы' => "Y",
            'Э' => "E",
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' => "e",
            'ё' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'ь' | 'ъ' => "",
            'э' => "e",
            'ю' => "yu",
            'я' => "ya",
            other => {
                out.push(other);
                continue;
            }
        };
        out.push_str(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::REGIONS;
    use crate::rng::stream;

    #[test]
    fn names_are_unique_and_localised() {
        let mut book = NameBook::new(REGIONS.len());
        let mut rng = stream(1, 0, 0);
        let mut seen = HashSet::new();
        for i in 0..300 {
            let locality = if i % 3 == 0 {
                Locality::Rural
            } else {
                Locality::Urban
            };
            let n = school(
                &mut book,
                &mut rng,
                0,
                &REGIONS[0],
                SchoolKind::General,
                locality,
                Ownership::State,
            );
            assert!(seen.insert(n.name.clone()), "duplicate {}", n.name);
            let kk = n.kk.unwrap_or_default();
            // "мектеп" (school), or its possessive "мектебі" after a village name.
            assert!(kk.contains("мектеп") || kk.contains("мектебі"), "{kk}");
        }
    }

    #[test]
    fn transliteration() {
        assert_eq!(transliterate("Кызылжар"), "Kyzylzhar");
        assert_eq!(transliterate("Аккайын"), "Akkaiyn");
    }
}
