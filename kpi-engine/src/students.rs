//! Student academic-risk flags (`kpi students --at-risk`): private,
//! record-level analysis output for advisers inside an organisation. It is
//! never part of a published bundle (`kpi-publish` reads only aggregates).

use super::{Engine, EngineError};
use kpi_model::i18n::Labels;
use kpi_model::Year;
use kpi_risk::{student_flags, StudentFlag, StudentRules};
use serde::Serialize;

/// The notice every at-risk listing carries, in kk, ru and en.
///
/// ```
/// use kpi_model::i18n::Lang;
/// assert!(kpi_engine::private_notice().get(Lang::Ru).starts_with("Конфиденциально"));
/// ```
pub fn private_notice() -> Labels {
    Labels {
        kk: "Құпия: әр студент бойынша жазба деңгейіндегі талдау. Тек ұйым ішіндегі кеңесшілерге арналған; жарияламаңыз.".into(),
        ru: "Конфиденциально: анализ на уровне записей по каждому студенту. Только для кураторов внутри организации; не публиковать.".into(),
        en: "Private: record-level analysis, one row per student. For advisers inside the organisation only; do not publish.".into(),
        ky: "Купуя: ар бир студент боюнча жазуу деңгээлиндеги талдоо. Уюмдун ичиндеги кураторлор үчүн гана; жарыяланбасын.".into(),
    }
}

/// One flagged student in one term.
#[derive(Clone, Debug, Serialize)]
pub struct StudentAtRisk {
    /// Student id as in the data.
    pub student_id: String,
    /// The organisation (`org_id`).
    pub org_id: String,
    /// The programme code, when the student's record of the year gives one.
    pub programme: Option<String>,
    /// Academic year.
    pub year: Year,
    /// Term within the year.
    pub term: u8,
    /// Term GPA (`None` when the term has no credits).
    pub gpa: Option<f64>,
    /// The flags raised (at least one).
    pub flags: Vec<StudentFlag>,
    /// The reason of each flag, in the order of `flags`, in kk, ru and en.
    pub reasons: Vec<Labels>,
}

/// The students flagged at academic risk (`docs/methods.md`, "Student
/// academic-risk flags").
#[derive(Clone, Debug, Serialize)]
pub struct StudentsAtRisk {
    /// Says that the listing is private, record-level output.
    pub notice: Labels,
    /// Student terms checked (with the filters applied).
    pub terms_checked: usize,
    /// The flagged student terms, by student, year and term.
    pub students: Vec<StudentAtRisk>,
}

impl Engine {
    /// The students with at least one academic-risk flag (default rules:
    /// GPA below the transfer threshold of the course, a course graded FX or
    /// F, fewer than 30 credits passed in a term, a term GPA drop of more
    /// than 0.5), optionally of one organisation and one year. An unknown
    /// organisation is an error; a dataset without grades gives an empty list
    /// with `terms_checked` 0.
    ///
    /// ```
    /// use kpi_engine::Engine;
    /// use kpi_indicators::Catalogue;
    /// use kpi_model::{DatasetBuilder, Level};
    /// use kpi_risk::CriteriaSet;
    /// let ds = DatasetBuilder::new(2023, 2023).org("U1", Level::University, "Astana").build();
    /// let report = ds.report().clone();
    /// let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
    /// let r = e.students_at_risk(Some("U1"), None).unwrap();
    /// assert_eq!((r.terms_checked, r.students.len()), (0, 0)); // no grades loaded
    /// assert!(r.notice.en.starts_with("Private"));
    /// assert!(e.students_at_risk(Some("U9"), None).is_err());
    /// ```
    pub fn students_at_risk(
        &self,
        org: Option<&str>,
        year: Option<Year>,
    ) -> Result<StudentsAtRisk, EngineError> {
        let org = org.map(|id| self.org(id)).transpose()?;
        let rows = student_flags(&self.dataset, &StudentRules::default());
        let mut terms_checked = 0;
        let mut students = Vec::new();
        for r in rows {
            if org.is_some_and(|o| o != r.org) || year.is_some_and(|y| y != r.year) {
                continue;
            }
            terms_checked += 1;
            if r.flags.is_empty() {
                continue;
            }
            let reasons = r
                .flags
                .iter()
                .map(|f| Labels::from_fn(|lang| kpi_summary::student_flag_phrase(f, lang)))
                .collect();
            students.push(StudentAtRisk {
                student_id: r.student_id,
                org_id: self.dataset.org(r.org).id.clone(),
                programme: self.dataset.programme_code(r.unit).map(str::to_string),
                year: r.year,
                term: r.term,
                gpa: r.gpa,
                flags: r.flags,
                reasons,
            });
        }
        Ok(StudentsAtRisk {
            notice: private_notice(),
            terms_checked,
            students,
        })
    }
}
