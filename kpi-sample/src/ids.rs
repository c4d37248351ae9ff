//! Identifiers: 12-digit business identification numbers (БСН / БИН) with a
//! valid check digit, and student identifiers.

use super::rng::{Draw, SampleRng};
use std::collections::HashSet;

/// Weights of the first pass of the БСН/ЖСН check digit.
const W1: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/// Weights of the second pass, used when the first gives 10.
const W2: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit of the first 11 digits of a БСН, or `None` when both
/// passes give 10 (such numbers are not issued).
pub(crate) fn check_digit(digits: &[u32; 11]) -> Option<u32> {
    let pass = |w: &[u32; 11]| digits.iter().zip(w).map(|(d, w)| d * w).sum::<u32>() % 11;
    match pass(&W1) {
        10 => match pass(&W2) {
            10 => None,
            d => Some(d),
        },
        d => Some(d),
    }
}

#[cfg(test)]
/// Whether a string is a 12-digit БСН with a correct check digit.
pub(crate) fn is_valid_bin(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.len() != 12 || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut first = [0u32; 11];
    for (d, b) in first.iter_mut().zip(bytes) {
        *d = u32::from(b - b'0');
    }
    check_digit(&first) == Some(u32::from(bytes[11] - b'0'))
}

/// Issues unique БСН-like numbers: `YYMM` of registration, `4` (resident
/// legal entity), `0` (head organisation, not a branch), a 5-digit serial and
/// the check digit.
#[derive(Default)]
pub(crate) struct BinIssuer {
    used: HashSet<String>,
}

impl BinIssuer {
    /// A new number registered in `year` (1990–2099) and a random month.
    pub fn issue(&mut self, rng: &mut SampleRng, year: i32) -> String {
        let yy = year.rem_euclid(100) as u32;
        loop {
            let mm = rng.int_in(1, 12) as u32;
            let serial = rng.int_in(1, 99_999) as u32;
            let mut d = [0u32; 11];
            d[0] = yy / 10;
            d[1] = yy % 10;
            d[2] = mm / 10;
            d[3] = mm % 10;
            d[4] = 4;
            d[5] = 0;
            let mut s = serial;
            for i in (6..11).rev() {
                d[i] = s % 10;
                s /= 10;
            }
            let Some(check) = check_digit(&d) else {
                continue;
            };
            let mut id = String::with_capacity(12);
            for x in d.iter().chain(std::iter::once(&check)) {
                id.push(char::from(b'0' + *x as u8));
            }
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }

    /// Reserves an id so it is never issued (ids planted elsewhere).
    pub fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    #[test]
    fn check_digit_by_hand() {
        // 0 7 0 5 4 0 0 1 2 3 4: Σ i·dᵢ = 0+14+0+20+20+0+0+8+18+30+44 = 154 = 14·11 → 0.
        assert_eq!(check_digit(&[0, 7, 0, 5, 4, 0, 0, 1, 2, 3, 4]), Some(0));
        assert!(is_valid_bin("070540012340"));
        assert!(!is_valid_bin("070540012341"));
        // 1 0 0 0 0 0 0 0 0 0 9: Σ = 1 + 99 = 100 → 100 mod 11 = 1.
        assert_eq!(check_digit(&[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]), Some(1));
        // 0 0 0 0 0 0 0 0 0 1 0: first pass 10·1 = 10 → second pass weight 1 → 1.
        assert_eq!(check_digit(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]), Some(1));
        assert!(!is_valid_bin("07054001234"));
        assert!(!is_valid_bin("07054001234x"));
    }

    #[test]
    fn issued_ids_are_valid_and_unique() {
        let mut issuer = BinIssuer::default();
        let mut rng = stream(3, 3, 3);
        let mut seen = HashSet::new();
        for i in 0..2000 {
            let id = issuer.issue(&mut rng, 1995 + (i % 30));
            assert!(is_valid_bin(&id), "{id}");
            assert_eq!(&id[4..6], "40");
            assert!(seen.insert(id));
        }
    }
}
