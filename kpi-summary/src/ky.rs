//! Kyrgyz grammar the sentences need: case endings chosen by vowel harmony and by the last
//! sound of the word, including numbers written in digits (the ending follows the number as
//! it is read aloud: `5-ке` «бешке», `10-го` «онго», `40-ка` «кыркка», `45,3%-га` «…пайызга»).

/// A Kyrgyz grammatical case that takes an ending (the sentences use the dative and the
/// ablative so far; the others are here, tested, for the next sentence that needs them).
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    /// Genitive (илик): -нын/-дын/-тын …
    Genitive,
    /// Dative (барыш): -га/-ка/-го/-ке …
    Dative,
    /// Accusative (табыш): -ны/-ды/-ты …
    Accusative,
    /// Locative (жатыш): -да/-та/-до/-те …
    Locative,
    /// Ablative (чыгыш): -дан/-тан/-дон/-тен …
    Ablative,
}

/// The vowel class of the last vowel of a word.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Harmony {
    /// а, ы
    BackFlat,
    /// о
    BackRoundLow,
    /// у: rounds a high suffix vowel (у) but not a low one (а): «тогузга», «тогуздун».
    BackRoundHigh,
    /// е, э, и
    FrontFlat,
    /// ө, ү
    FrontRound,
}

fn harmony(word: &str) -> Harmony {
    for c in word.chars().rev() {
        match c.to_lowercase().next().unwrap_or(c) {
            'а' | 'ы' | 'я' => return Harmony::BackFlat,
            'о' | 'ё' => return Harmony::BackRoundLow,
            'у' | 'ю' => return Harmony::BackRoundHigh,
            'е' | 'э' | 'и' => return Harmony::FrontFlat,
            'ө' | 'ү' => return Harmony::FrontRound,
            _ => {}
        }
    }
    Harmony::BackFlat
}

/// How the word ends: a vowel, a voiceless consonant, or another consonant.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    Vowel,
    Voiceless,
    Voiced,
}

fn ending(word: &str) -> Ending {
    match word
        .chars()
        .last()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
    {
        Some('а' | 'о' | 'у' | 'ы' | 'э' | 'е' | 'и' | 'ө' | 'ү' | 'я' | 'ю' | 'ё') => {
            Ending::Vowel
        }
        Some('п' | 'т' | 'к' | 'с' | 'ш' | 'ч' | 'ф' | 'х' | 'ц' | 'щ') => {
            Ending::Voiceless
        }
        _ => Ending::Voiced,
    }
}

/// The ending of `case` after `word` (a Kyrgyz word as read aloud): `он` → `до` for the
/// locative, `үч` → `төн` for the ablative.
fn ending_for(word: &str, case: Case) -> String {
    let h = harmony(word);
    let e = ending(word);
    let low = match h {
        Harmony::BackFlat | Harmony::BackRoundHigh => 'а',
        Harmony::BackRoundLow => 'о',
        Harmony::FrontFlat => 'е',
        Harmony::FrontRound => 'ө',
    };
    let high = match h {
        Harmony::BackFlat => 'ы',
        Harmony::BackRoundLow | Harmony::BackRoundHigh => 'у',
        Harmony::FrontFlat => 'и',
        Harmony::FrontRound => 'ү',
    };
    // The first consonant of the ending: д after vowels and voiced sounds (н after a vowel
    // in the genitive and accusative), т after voiceless ones; г/к for the dative.
    let d = match e {
        Ending::Voiceless => 'т',
        _ => 'д',
    };
    match case {
        Case::Genitive => match e {
            Ending::Vowel => format!("н{high}н"),
            _ => format!("{d}{high}н"),
        },
        Case::Accusative => match e {
            Ending::Vowel => format!("н{high}"),
            _ => format!("{d}{high}"),
        },
        Case::Dative => match e {
            Ending::Voiceless => format!("к{low}"),
            _ => format!("г{low}"),
        },
        Case::Locative => format!("{d}{low}"),
        Case::Ablative => format!("{d}{low}н"),
    }
}

/// The Kyrgyz word a number written in digits ends with when read aloud: `21` «жыйырма
/// бир» ends with «бир», `40` with «кырк», `1 500` with «беш жүз» → «жүз», `12,5` «он эки
/// бүтүн ондон беш» with «беш», `2,40` «эки бүтүн жүздөн кырк» with «кырк». A fraction of
/// zeros only is not read (`12,0` is «он эки»).
fn number_word(digits: &str) -> &'static str {
    const UNITS: [&str; 10] = [
        "нөл",
        "бир",
        "эки",
        "үч",
        "төрт",
        "беш",
        "алты",
        "жети",
        "сегиз",
        "тогуз",
    ];
    const TENS: [&str; 10] = [
        "",
        "он",
        "жыйырма",
        "отуз",
        "кырк",
        "элүү",
        "алтымыш",
        "жетимиш",
        "сексен",
        "токсон",
    ];
    let (int_part, frac) = match digits.split_once([',', '.']) {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    let frac = if frac.bytes().all(|b| b == b'0') {
        ""
    } else {
        frac
    };
    let read: Vec<u32> = if frac.is_empty() {
        int_part.chars().filter_map(|c| c.to_digit(10)).collect()
    } else {
        frac.chars().filter_map(|c| c.to_digit(10)).collect()
    };
    let Some(last_non_zero) = read.iter().rposition(|&d| d != 0) else {
        return UNITS[0];
    };
    let place = read.len() - 1 - last_non_zero;
    let digit = read[last_non_zero] as usize;
    match place {
        0 => UNITS[digit],
        1 => TENS[digit],
        2 => "жүз",
        3..=5 => "миң",
        6..=8 => "миллион",
        _ => "миллиард",
    }
}

/// The word a display text ends with when read aloud: a number's last numeral, `%`
/// «пайыз», `п.п.` «пункт», `₸` «теңге», `м²` «метр», else the text's last word.
fn spoken_tail(text: &str) -> String {
    let t = text.trim_end_matches(['.', ')', '»', ' ', '\u{a0}']);
    if t.ends_with('%') {
        return "пайыз".into();
    }
    if text.ends_with("п.п.") {
        return "пункт".into();
    }
    if t.ends_with('₸') {
        return "теңге".into();
    }
    if t.ends_with("м²") {
        return "метр".into();
    }
    if t.ends_with(|c: char| c.is_ascii_digit()) {
        let start = t
            .rfind(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.' || c == '\u{a0}'))
            .map(|i| i + t[i..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0);
        let digits: String = t[start..].chars().filter(|c| *c != '\u{a0}').collect();
        return number_word(&digits).into();
    }
    t.rsplit([' ', '\u{a0}']).next().unwrap_or(t).to_string()
}

/// `text` with the ending of `case`: after digits, `%` and abbreviations with a hyphen
/// (`2024-жылга` is written `2024-ке` when the year stands alone, `45,3%-га`, `2,1 п.п.-га`),
/// after a Kyrgyz word directly (`балл` → `баллга`, `адам` → `адамдын`).
pub(crate) fn with_case(text: &str, case: Case) -> String {
    let tail = spoken_tail(text);
    let suffix = ending_for(&tail, case);
    let last = text.chars().last().unwrap_or(' ');
    let is_word = last.is_alphabetic() && !text.ends_with("п.п.") && !text.ends_with("м²");
    if is_word {
        format!("{text}{suffix}")
    } else {
        format!("{text}-{suffix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endings_follow_the_numbers_as_read() {
        // Hand-written from the spoken numerals: бешке, онго, кыркка, элүүгө, экиге, үчкө,
        // тогузга, жүзгө, миңге, нөлгө, бирге, алтыга.
        let dat = |t: &str| with_case(t, Case::Dative);
        assert_eq!(dat("5"), "5-ке");
        assert_eq!(dat("10"), "10-го");
        assert_eq!(dat("40"), "40-ка");
        assert_eq!(dat("50"), "50-гө");
        assert_eq!(dat("2"), "2-ге");
        assert_eq!(dat("3"), "3-кө");
        assert_eq!(dat("9"), "9-га");
        assert_eq!(dat("100"), "100-гө");
        assert_eq!(dat("2\u{a0}000"), "2\u{a0}000-ге");
        assert_eq!(dat("0"), "0-гө");
        assert_eq!(dat("21"), "21-ге");
        assert_eq!(dat("16,0"), "16,0-га");
        assert_eq!(dat("12,5"), "12,5-ке");
        assert_eq!(dat("2,40"), "2,40-ка");
        assert_eq!(dat("3,05"), "3,05-ке");
        assert_eq!(dat("45,3%"), "45,3%-га");
        assert_eq!(dat("2,1 п.п."), "2,1 п.п.-ка"); // «пунктка»
    }

    #[test]
    fn every_case_of_a_few_words() {
        assert_eq!(with_case("он", Case::Ablative), "ондон");
        assert_eq!(with_case("үч", Case::Ablative), "үчтөн");
        assert_eq!(with_case("тогуз", Case::Genitive), "тогуздун");
        assert_eq!(with_case("эки", Case::Genitive), "экинин");
        assert_eq!(with_case("беш", Case::Locative), "беште");
        assert_eq!(with_case("алты", Case::Accusative), "алтыны");
        assert_eq!(with_case("балл", Case::Dative), "баллга");
        assert_eq!(with_case("адам", Case::Genitive), "адамдын");
        assert_eq!(with_case("7", Case::Ablative), "7-ден");
        assert_eq!(with_case("30", Case::Locative), "30-да");
        assert_eq!(with_case("4", Case::Genitive), "4-түн");
        assert_eq!(with_case("60%", Case::Accusative), "60%-ды");
        assert_eq!(
            with_case("1\u{a0}234\u{a0}567 теңге", Case::Ablative),
            "1\u{a0}234\u{a0}567 теңгеден"
        );
    }
}
