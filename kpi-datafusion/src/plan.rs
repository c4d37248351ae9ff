//! The SQL plans: one view per record file that reads its cells with the
//! UDFs of [`crate::udf`] under canonical column names, and the aggregations
//! of docs/data.md "Metrics from records" over the union of a kind's views.

use kpi_import::{Field, TableHead};
use kpi_model::validate::TableKind;

/// A quoted SQL identifier.
pub(crate) fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The SQL expression of a field's raw cell in table `t` (`NULL` when the
/// table has no column for it). CSV tables are registered with columns
/// `c0…cn`; Parquet tables keep their own names.
pub(crate) fn cell(head: &TableHead, field: Field, csv: bool) -> String {
    match head.position(field) {
        Some(i) if csv => format!("c{i}"),
        Some(i) => quote(&head.headers[i]),
        None => "CAST(NULL AS VARCHAR)".into(),
    }
}

/// The fields of a kind a view reads (those the row check looks at).
pub(crate) fn fields_of(kind: TableKind) -> &'static [Field] {
    use Field::*;
    match kind {
        TableKind::Students => &[
            StudentId,
            OrgId,
            Year,
            Course,
            Status,
            Programme,
            Gpa,
            CreditsEarned,
            Funding,
            Employed,
            FurtherStudy,
        ],
        TableKind::Grades => &[StudentId, OrgId, Year, Term, Credits, Score, Letter],
        TableKind::Surveys => &[OrgId, Year, Survey, Programme, Score],
        _ => &[],
    }
}

/// The row check's argument list: the cells of the kind's fields the table has.
pub(crate) fn check_args(head: &TableHead, csv: bool) -> (Vec<(Field, String)>, String) {
    let mut which = Vec::new();
    let mut args = Vec::new();
    for &f in fields_of(head.kind) {
        if let Some(i) = head.position(f) {
            which.push((f, head.headers[i].clone()));
            args.push(cell(head, f, csv));
        }
    }
    (which, args.join(", "))
}

/// The view of one record file: canonical columns read with the UDFs, and
/// `reason` (NULL for a row that is read). `check` is the file's row check.
pub(crate) fn view(head: &TableHead, table: &str, check: &str, csv: bool, dc: bool) -> String {
    let c = |f| cell(head, f, csv);
    let (_, args) = check_args(head, csv);
    let cols = match head.kind {
        TableKind::Students => format!(
            "kpi_id({sid}) AS student_id, kpi_id({org}) AS org_id, kpi_year({year}) AS year, \
             kpi_status({status}) AS status, kpi_id({prog}) AS programme, kpi_gpa({gpa}, {dc}) AS gpa, \
             kpi_yes({emp}) AS employed, kpi_yes({fur}) AS further_study, \
             kpi_threshold({prog}, {course}) AS threshold",
            sid = c(Field::StudentId),
            org = c(Field::OrgId),
            year = c(Field::Year),
            status = c(Field::Status),
            prog = c(Field::Programme),
            gpa = c(Field::Gpa),
            emp = c(Field::Employed),
            fur = c(Field::FurtherStudy),
            course = c(Field::Course),
        ),
        TableKind::Grades => format!(
            "kpi_id({sid}) AS student_id, kpi_id({org}) AS org_id, kpi_year({year}) AS year, \
             kpi_number({credits}, {dc}) AS credits, kpi_points({letter}, {score}, {dc}) AS points",
            sid = c(Field::StudentId),
            org = c(Field::OrgId),
            year = c(Field::Year),
            credits = c(Field::Credits),
            letter = c(Field::Letter),
            score = c(Field::Score),
        ),
        _ => format!(
            "kpi_id({org}) AS org_id, kpi_year({year}) AS year, kpi_survey({kind}) AS kind, \
             kpi_id({prog}) AS programme, kpi_answer({score}, {dc}) AS score",
            org = c(Field::OrgId),
            year = c(Field::Year),
            kind = c(Field::Survey),
            prog = c(Field::Programme),
            score = c(Field::Score),
        ),
    };
    format!("SELECT {cols}, {check}({args}) AS reason FROM {table}")
}

/// The rows of a file, its rejected rows and its rows with an out-of-range
/// value (one scan, in parallel).
pub(crate) fn counts(head: &TableHead, table: &str, check: &str, range: &str, csv: bool) -> String {
    let (_, args) = check_args(head, csv);
    format!(
        "SELECT COUNT(*) AS n, COUNT({check}({args})) AS bad, COUNT({range}({args})) AS warned \
         FROM {table}"
    )
}

/// The first rows a rule function (a row check or a range check) gives a
/// reason for, with their 1-based record number (run on one partition, so
/// the numbering is the file's order).
pub(crate) fn listed(head: &TableHead, table: &str, rule: &str, csv: bool, limit: usize) -> String {
    let (_, args) = check_args(head, csv);
    format!(
        "SELECT n, reason FROM (SELECT ROW_NUMBER() OVER () AS n, {rule}({args}) AS reason FROM {table}) \
         WHERE reason IS NOT NULL ORDER BY n LIMIT {limit}"
    )
}

/// The columns of the students views, in order (`students_all`, `dup_kept`).
pub(crate) const STUDENT_COLUMNS: &str = "file, student_id, org_id, year, status, programme, gpa, \
     employed, further_study, threshold, reason";

/// (student, year) keys read on more than one row (a load keeps the first
/// row of each, and rejects the others).
pub(crate) const DUPLICATE_KEYS: &str = "SELECT student_id, year FROM students_all \
     WHERE reason IS NULL AND student_id IS NOT NULL AND year IS NOT NULL \
     GROUP BY student_id, year HAVING COUNT(*) > 1";

/// The rows of one students file whose key is in `dup_keys`, with their
/// 1-based record number (one partition: the file's order). `view` is the
/// file's view with its `file` column.
pub(crate) fn duplicate_rows(view: &str) -> String {
    format!(
        "SELECT v.n, {cols} FROM (SELECT ROW_NUMBER() OVER () AS n, {STUDENT_COLUMNS} FROM ({view})) v \
         JOIN dup_keys d ON v.student_id = d.student_id AND v.year = d.year \
         WHERE v.reason IS NULL ORDER BY v.n",
        cols = STUDENT_COLUMNS
            .split(", ")
            .map(|c| format!("v.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The students rows a load keeps: every row whose key is read once, and
/// the first row of each repeated key (`dup_kept`).
pub(crate) const STUDENTS_KEPT: &str = "SELECT * FROM students_all s WHERE NOT EXISTS \
     (SELECT 1 FROM dup_keys d WHERE d.student_id = s.student_id AND d.year = s.year) \
     UNION ALL SELECT * FROM dup_kept";

/// Each student's GPA per year from grades: Σ(credits × points) / Σ credits
/// over every graded course of the year (kpi-model's `yearly_gpa`), with the
/// organisation a year without a students table is counted under.
pub(crate) const GRADE_GPA: &str = "SELECT student_id, year, MIN(org_id) AS org_id, \
     SUM(credits * points) / SUM(credits) AS gpa \
     FROM grades WHERE reason IS NULL AND points IS NOT NULL GROUP BY student_id, year";

/// Student metrics per organisation and per programme (kpi-model's
/// `student_metrics_each`); `gpa` falls back to the GPA from grades when the
/// students table gives none (or one outside 0–4), as in a load.
///
/// The join is written `grade_gpa RIGHT JOIN students` because DataFusion
/// builds a hash join's table from its left input, and that table cannot
/// spill: the GPA per student and year is a few columns of the smaller
/// side, while the students rows (every row with all its columns) would be
/// held whole (on 10× the national sample, 3.7 GB at peak under a 2 GiB pool).
pub(crate) fn students(with_grades: bool) -> String {
    let (gpa, from) = if with_grades {
        (
            "COALESCE(s.gpa, g.gpa)",
            "grade_gpa g RIGHT JOIN students s ON g.student_id = s.student_id AND g.year = s.year",
        )
    } else {
        ("s.gpa", "students s")
    };
    let on_roll = "status NOT IN ('graduated', 'expelled', 'transferred_out')";
    format!(
        "WITH j AS (SELECT s.org_id, s.programme, s.year, s.status, {gpa} AS gpa, s.employed, \
           s.further_study, s.threshold FROM {from} WHERE s.reason IS NULL) \
         SELECT org_id, programme, year, GROUPING(programme) AS whole_org, \
           SUM(CASE WHEN {on_roll} THEN 1 ELSE 0 END) AS students_enrolled, \
           SUM(CASE WHEN status = 'graduated' THEN 1 ELSE 0 END) AS graduates, \
           SUM(CASE WHEN status = 'expelled' THEN 1 ELSE 0 END) AS expelled, \
           SUM(CASE WHEN status = 'repeating' THEN 1 ELSE 0 END) AS repeaters, \
           SUM(CASE WHEN status = 'graduated' AND employed IS NOT NULL THEN 1 ELSE 0 END) AS employed_known, \
           SUM(CASE WHEN status = 'graduated' AND employed THEN 1 ELSE 0 END) AS employed, \
           SUM(CASE WHEN status = 'graduated' AND further_study IS NOT NULL THEN 1 ELSE 0 END) AS further_known, \
           SUM(CASE WHEN status = 'graduated' AND further_study THEN 1 ELSE 0 END) AS further, \
           SUM(CASE WHEN {on_roll} AND gpa IS NOT NULL THEN gpa ELSE 0 END) AS gpa_sum, \
           SUM(CASE WHEN {on_roll} AND gpa IS NOT NULL THEN 1 ELSE 0 END) AS gpa_n, \
           SUM(CASE WHEN {on_roll} AND gpa IS NOT NULL AND threshold IS NOT NULL THEN 1 ELSE 0 END) AS with_threshold, \
           SUM(CASE WHEN {on_roll} AND gpa IS NOT NULL AND gpa < threshold THEN 1 ELSE 0 END) AS below \
         FROM j GROUP BY GROUPING SETS ((org_id, year), (org_id, programme, year)) \
         ORDER BY org_id, year, programme"
    )
}

/// `gpa_mean` per organisation and year from grades alone (no students
/// table): the mean of the students' yearly GPAs.
pub(crate) const GRADES_ALONE: &str =
    "SELECT org_id, year, SUM(gpa) AS gpa_sum, COUNT(*) AS gpa_n \
     FROM grade_gpa GROUP BY org_id, year ORDER BY org_id, year";

/// Survey tallies per organisation and per programme, year and kind
/// (kpi-model's `SurveyTally`): answers on 1–5, those scoring 4 or 5, the sum.
pub(crate) const SURVEYS: &str =
    "SELECT org_id, programme, year, kind, GROUPING(programme) AS whole_org, \
     COUNT(*) AS answers, SUM(CASE WHEN score >= 4 THEN 1 ELSE 0 END) AS satisfied, \
     SUM(score) AS score_sum FROM surveys WHERE reason IS NULL AND score IS NOT NULL \
     GROUP BY GROUPING SETS ((org_id, year, kind), (org_id, programme, year, kind)) \
     ORDER BY org_id, year, kind, programme";

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::physical_plan::joins::HashJoinExec;
    use datafusion::physical_plan::ExecutionPlan;
    use datafusion::prelude::{CsvReadOptions, SessionContext};
    use std::sync::Arc;

    /// Whether `plan` or a node under it is named `name`.
    fn has(plan: &Arc<dyn ExecutionPlan>, name: &str) -> bool {
        plan.name() == name || plan.children().into_iter().any(|c| has(c, name))
    }

    /// The first hash join of `plan`, depth first.
    fn hash_join(plan: &Arc<dyn ExecutionPlan>) -> Option<&HashJoinExec> {
        if let Some(j) = plan.downcast_ref::<HashJoinExec>() {
            return Some(j);
        }
        plan.children().into_iter().find_map(hash_join)
    }

    /// DataFusion builds a hash join's table from its left input, in memory and without
    /// spilling: that must be the GPA per student and year (an aggregate of grades), never
    /// the students rows, whose number is the dataset's (checked on CSV tables, whose row
    /// counts the optimizer does not know, as in a load; it then keeps the written order).
    #[test]
    fn the_students_join_builds_on_the_gpa_per_student_not_on_the_students_rows() {
        let dir = std::env::temp_dir().join(format!("kpi-df-join-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        let students_csv = dir.join("students.csv");
        let grades = dir.join("grades.csv");
        std::fs::write(
            &students_csv,
            "student_id,org_id,year,status,programme,gpa,employed,further_study,threshold,reason\n\
             s1,o1,2023,enrolled,p1,,,,2.0,\n\
             s2,o1,2023,graduated,p1,3.1,true,false,,\n",
        )
        .expect("students written");
        std::fs::write(
            &grades,
            "student_id,org_id,year,credits,points,reason\ns1,o1,2023,5,3.0,\ns1,o1,2023,3,2.0,\n",
        )
        .expect("grades written");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let plan = runtime.block_on(async {
            let ctx = SessionContext::new();
            let csv = CsvReadOptions::new().has_header(true);
            ctx.register_csv(
                "students",
                students_csv.to_str().expect("path"),
                csv.clone(),
            )
            .await
            .expect("students registered");
            ctx.register_csv("grades", grades.to_str().expect("path"), csv)
                .await
                .expect("grades registered");
            ctx.sql(&format!("CREATE VIEW grade_gpa AS {GRADE_GPA}"))
                .await
                .expect("view");
            ctx.sql(&students(true))
                .await
                .expect("plans")
                .create_physical_plan()
                .await
                .expect("physical plan")
        });
        let _ = std::fs::remove_dir_all(&dir);
        let join = hash_join(&plan).expect("the GPA is joined with a hash join");
        assert!(
            has(join.left(), "AggregateExec"),
            "the build side is the GPA per student and year"
        );
        assert!(
            !has(join.right(), "AggregateExec"),
            "the probe side is the students rows, streamed"
        );
    }
}
