//! The regions of Kazakhstan (17 oblasts and the three cities of republican
//! significance, as of 2022), with the approximate relative sizes the
//! generator calibrates against.
//!
//! The figures are rounded orders of magnitude chosen so that the relative
//! sizes are right (Turkistan region has the most pupils and schools, Ulytau
//! the fewest; the three cities have large, crowded schools; the north has
//! many small rural schools). They are not official statistics.

/// One region.
#[derive(Clone, Copy, Debug)]
#[allow(dead_code)] // Russian and English names: kept beside the Kazakh one written in the files
pub(crate) struct Region {
    /// Stable key used in the README and the summary.
    pub key: &'static str,
    /// Kazakh name (written in `organisations.region`).
    pub kk: &'static str,
    /// Russian name.
    pub ru: &'static str,
    /// English name.
    pub en: &'static str,
    /// Administrative centre: Kazakh.
    pub centre_kk: &'static str,
    /// Administrative centre: Russian.
    pub centre_ru: &'static str,
    /// Administrative centre: English.
    pub centre_en: &'static str,
    /// Russian masculine adjective for organisation names (`Карагандинский`).
    pub adj_ru: &'static str,
    /// Pupils in general schools, thousands.
    pub pupils_k: f64,
    /// Number of general schools (national scale).
    pub schools: f64,
    /// Share of schools that are rural.
    pub rural_share: f64,
    /// Yearly growth of the school-age population (fraction; negative: shrinking).
    pub growth: f64,
    /// Number of universities (national scale, before scaling to the target).
    pub universities: f64,
    /// Number of colleges (national scale, before scaling).
    pub colleges: f64,
    /// Number of preschool organisations (national scale, before scaling).
    pub preschools: f64,
    /// Capacity utilisation of schools at the start (1.0 = full), before local noise.
    pub crowding: f64,
    /// Regional pay coefficient on budgets (oil regions and the capital pay more).
    pub pay: f64,
    /// Regional effect on learning results (in standard deviations of school quality).
    pub results: f64,
    /// Whether the region is a city of republican significance.
    pub city: bool,
}

#[allow(clippy::too_many_arguments)] // a table row, read positionally
const fn region(
    key: &'static str,
    names: [&'static str; 3],
    centre: [&'static str; 3],
    adj_ru: &'static str,
    sizes: [f64; 6],
    crowding: f64,
    pay: f64,
    results: f64,
    city: bool,
) -> Region {
    Region {
        key,
        kk: names[0],
        ru: names[1],
        en: names[2],
        centre_kk: centre[0],
        centre_ru: centre[1],
        centre_en: centre[2],
        adj_ru,
        pupils_k: sizes[0],
        schools: sizes[1],
        rural_share: sizes[2],
        growth: sizes[3],
        universities: sizes[4],
        colleges: sizes[5],
        preschools: sizes[0] * 3.6 / 0.9 + sizes[1] * 0.3,
        crowding,
        pay,
        results,
        city,
    }
}

/// All 20 regions, in the order of the Kazakh alphabet of the classifier
/// (cities first).
pub(crate) const REGIONS: [Region; 20] = [
    region(
        "astana",
        ["Астана қаласы", "город Астана", "Astana city"],
        ["Астана", "Астана", "Astana"],
        "Астанинский",
        [270.0, 160.0, 0.0, 0.055, 17.0, 50.0],
        1.32,
        1.25,
        0.45,
        true,
    ),
    region(
        "almaty_city",
        ["Алматы қаласы", "город Алматы", "Almaty city"],
        ["Алматы", "Алматы", "Almaty"],
        "Алматинский",
        [330.0, 300.0, 0.0, 0.04, 40.0, 95.0],
        1.25,
        1.2,
        0.5,
        true,
    ),
    region(
        "shymkent",
        ["Шымкент қаласы", "город Шымкент", "Shymkent city"],
        ["Шымкент", "Шымкент", "Shymkent"],
        "Шымкентский",
        [300.0, 200.0, 0.06, 0.045, 10.0, 70.0],
        1.35,
        1.0,
        0.0,
        true,
    ),
    region(
        "abai",
        ["Абай облысы", "область Абай", "Abai region"],
        ["Семей", "Семей", "Semey"],
        "Семейский",
        [100.0, 370.0, 0.72, -0.004, 4.0, 30.0],
        0.8,
        1.0,
        0.0,
        false,
    ),
    region(
        "akmola",
        ["Ақмола облысы", "Акмолинская область", "Akmola region"],
        ["Көкшетау", "Кокшетау", "Kokshetau"],
        "Кокшетауский",
        [110.0, 560.0, 0.82, -0.003, 3.0, 35.0],
        0.72,
        1.0,
        0.1,
        false,
    ),
    region(
        "aktobe",
        ["Ақтөбе облысы", "Актюбинская область", "Aktobe region"],
        ["Ақтөбе", "Актобе", "Aktobe"],
        "Актюбинский",
        [180.0, 430.0, 0.62, 0.02, 4.0, 40.0],
        0.98,
        1.05,
        0.1,
        false,
    ),
    region(
        "almaty_region",
        ["Алматы облысы", "Алматинская область", "Almaty region"],
        ["Қонаев", "Конаев", "Konaev"],
        "Конаевский",
        [290.0, 430.0, 0.78, 0.035, 3.0, 40.0],
        1.18,
        1.0,
        -0.05,
        false,
    ),
    region(
        "atyrau",
        ["Атырау облысы", "Атырауская область", "Atyrau region"],
        ["Атырау", "Атырау", "Atyrau"],
        "Атырауский",
        [150.0, 200.0, 0.55, 0.025, 3.0, 30.0],
        1.02,
        1.35,
        -0.15,
        false,
    ),
    region(
        "west_kazakhstan",
        [
            "Батыс Қазақстан облысы",
            "Западно-Казахстанская область",
            "West Kazakhstan region",
        ],
        ["Орал", "Уральск", "Oral"],
        "Западно-Казахстанский",
        [110.0, 380.0, 0.75, 0.003, 4.0, 35.0],
        0.8,
        1.0,
        0.0,
        false,
    ),
    region(
        "jambyl",
        ["Жамбыл облысы", "Жамбылская область", "Jambyl region"],
        ["Тараз", "Тараз", "Taraz"],
        "Таразский",
        [220.0, 470.0, 0.8, 0.015, 4.0, 45.0],
        0.98,
        0.95,
        -0.2,
        false,
    ),
    region(
        "jetisu",
        ["Жетісу облысы", "область Жетісу", "Jetisu region"],
        ["Талдықорған", "Талдыкорган", "Taldykorgan"],
        "Талдыкорганский",
        [130.0, 330.0, 0.78, 0.01, 2.0, 30.0],
        0.9,
        0.95,
        -0.05,
        false,
    ),
    region(
        "karaganda",
        [
            "Қарағанды облысы",
            "Карагандинская область",
            "Karaganda region",
        ],
        ["Қарағанды", "Караганда", "Karaganda"],
        "Карагандинский",
        [180.0, 430.0, 0.5, 0.003, 8.0, 60.0],
        0.85,
        1.05,
        0.2,
        false,
    ),
    region(
        "kostanay",
        ["Қостанай облысы", "Костанайская область", "Kostanay region"],
        ["Қостанай", "Костанай", "Kostanay"],
        "Костанайский",
        [110.0, 530.0, 0.8, -0.008, 4.0, 35.0],
        0.7,
        1.0,
        0.1,
        false,
    ),
    region(
        "kyzylorda",
        [
            "Қызылорда облысы",
            "Кызылординская область",
            "Kyzylorda region",
        ],
        ["Қызылорда", "Кызылорда", "Kyzylorda"],
        "Кызылординский",
        [160.0, 300.0, 0.72, 0.018, 2.0, 35.0],
        0.98,
        1.0,
        -0.2,
        false,
    ),
    region(
        "mangystau",
        [
            "Маңғыстау облысы",
            "Мангистауская область",
            "Mangystau region",
        ],
        ["Ақтау", "Актау", "Aktau"],
        "Актауский",
        [170.0, 150.0, 0.45, 0.045, 2.0, 30.0],
        1.28,
        1.35,
        -0.25,
        false,
    ),
    region(
        "pavlodar",
        ["Павлодар облысы", "Павлодарская область", "Pavlodar region"],
        ["Павлодар", "Павлодар", "Pavlodar"],
        "Павлодарский",
        [100.0, 370.0, 0.68, -0.004, 3.0, 35.0],
        0.75,
        1.05,
        0.15,
        false,
    ),
    region(
        "north_kazakhstan",
        [
            "Солтүстік Қазақстан облысы",
            "Северо-Казахстанская область",
            "North Kazakhstan region",
        ],
        ["Петропавл", "Петропавловск", "Petropavl"],
        "Северо-Казахстанский",
        [65.0, 440.0, 0.85, -0.02, 2.0, 25.0],
        0.55,
        1.0,
        0.05,
        false,
    ),
    region(
        "turkistan",
        [
            "Түркістан облысы",
            "Туркестанская область",
            "Turkistan region",
        ],
        ["Түркістан", "Туркестан", "Turkistan"],
        "Туркестанский",
        [480.0, 1000.0, 0.86, 0.03, 3.0, 80.0],
        1.16,
        0.95,
        -0.35,
        false,
    ),
    region(
        "ulytau",
        ["Ұлытау облысы", "область Ұлытау", "Ulytau region"],
        ["Жезқазған", "Жезказган", "Zhezkazgan"],
        "Жезказганский",
        [35.0, 80.0, 0.5, -0.005, 1.0, 10.0],
        0.78,
        1.1,
        0.0,
        false,
    ),
    region(
        "east_kazakhstan",
        [
            "Шығыс Қазақстан облысы",
            "Восточно-Казахстанская область",
            "East Kazakhstan region",
        ],
        ["Өскемен", "Усть-Каменогорск", "Oskemen"],
        "Восточно-Казахстанский",
        [110.0, 380.0, 0.7, -0.008, 5.0, 40.0],
        0.78,
        1.05,
        0.2,
        false,
    ),
];

#[cfg(test)]
/// Regions whose schools are overcrowded by design (fast-growing population).
pub(crate) fn overcrowded_keys() -> Vec<&'static str> {
    REGIONS
        .iter()
        .filter(|r| r.crowding > 1.1)
        .map(|r| r.key)
        .collect()
}

#[cfg(test)]
/// Regions whose school-age population shrinks (many small rural schools).
pub(crate) fn shrinking_keys() -> Vec<&'static str> {
    REGIONS
        .iter()
        .filter(|r| r.growth < -0.005)
        .map(|r| r.key)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_distinct_regions_with_current_names() {
        let mut keys: Vec<_> = REGIONS.iter().map(|r| r.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 20);
        for name in [
            "Абай облысы",
            "Жетісу облысы",
            "Ұлытау облысы",
            "Шымкент қаласы",
        ] {
            assert!(REGIONS.iter().any(|r| r.kk == name), "{name}");
        }
        // 17 oblasts + 3 cities.
        assert_eq!(REGIONS.iter().filter(|r| r.city).count(), 3);
    }

    #[test]
    fn relative_sizes() {
        let pupils = |k: &str| REGIONS.iter().find(|r| r.key == k).map(|r| r.pupils_k);
        assert!(pupils("turkistan") > pupils("almaty_city"));
        assert!(pupils("ulytau") < pupils("north_kazakhstan"));
        let overcrowded = overcrowded_keys();
        for k in [
            "astana",
            "almaty_city",
            "shymkent",
            "turkistan",
            "almaty_region",
            "mangystau",
        ] {
            assert!(overcrowded.contains(&k), "{k}");
        }
        assert!(shrinking_keys().contains(&"north_kazakhstan"));
    }
}
