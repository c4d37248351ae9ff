//! Money over time: nominal education spending grows with inflation and, in
//! 2020–2023, with the yearly rises of teachers' pay.

use kpi_model::Year;

/// Nominal growth of spending per pupil from `year - 1` to `year` (fraction).
/// Roughly consumer-price inflation, plus the teacher pay rises of 2020–2023.
pub(crate) fn spending_growth(year: Year) -> f64 {
    match year {
        2015 => 0.07,
        2016 => 0.11,
        2017 => 0.08,
        2018 => 0.07,
        2019 => 0.09,
        2020 => 0.19,
        2021 => 0.17,
        2022 => 0.24,
        2023 => 0.17,
        2024 => 0.10,
        _ => 0.07,
    }
}

/// Spending index with 2015 = 1.
pub(crate) fn spending_index(year: Year) -> f64 {
    let mut index = 1.0;
    if year >= 2015 {
        for y in 2016..=year {
            index *= 1.0 + spending_growth(y);
        }
    } else {
        for y in (year + 1..=2015).rev() {
            index /= 1.0 + spending_growth(y);
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_by_hand() {
        assert_eq!(spending_index(2015), 1.0);
        // 2016: 1.11; 2017: 1.11 × 1.08 = 1.1988.
        assert!((spending_index(2017) - 1.1988).abs() < 1e-12);
        // 2014 = 1 / 1.07 (growth of 2015).
        assert!((spending_index(2014) - 1.0 / 1.07).abs() < 1e-12);
        // Budgets roughly triple from 2015 to 2023.
        let r = spending_index(2023);
        assert!(r > 2.5 && r < 3.5, "{r}");
    }
}
