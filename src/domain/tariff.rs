//! CROUS tariff computation: which `idCompanyRate` (société) and `idRate` (tarif) a right holder gets.
//!
//! Rules come from the CROUS API (`GET /beforeizly/v1/crous/{numeroCrous}/organization/{rne}`) or, for
//! older installs, from an ESIST XML file; both end up as [`Rule`]s evaluated by [`compute`].
//! Source: `reference/crous-escr.md` §2.14 (matching, defaults, API mapping) and §2.15 (ESIST XML).

use serde::{Deserialize, Serialize};

/// Société used when no rule matches (`DEFAULT_CNOUS_ID_COMPAGNY_RATE`, crous-escr.md §2.14).
pub const DEFAULT_COMPANY_RATE: i64 = 78;
/// Tarif used when no rule matches (`DEFAULT_CNOUS_ID_RATE`, crous-escr.md §2.14).
pub const DEFAULT_RATE: i64 = 99;

/// The CNOUS reference status codes (crous-escr.md §2.14). Only `etd` (student), `prs` (staff) and
/// `psg` (passer-by, the default) have confirmed meanings; the others are opaque codes.
pub const REFERENCE_STATUSES: [&str; 15] = [
    "psg", "etd", "prs", "hbg", "fct", "fpa", "stg", "ctr", "hb2", "hb3", "hb4", "hb5", "hb6",
    "po", "rtr",
];

/// One tariff rule. `None` criteria are wildcards (crous-escr.md §2.14 step 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Higher first; among equal priorities the order of the slice decides.
    pub priority: i64,
    pub reference_status: Option<String>,
    pub rne: Option<String>,
    pub indice_min: Option<i64>,
    pub indice_max: Option<i64>,
    pub id_company_rate: i64,
    pub id_rate: i64,
}

/// What a rule is matched against, taken from the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TariffInput<'a> {
    /// One of [`REFERENCE_STATUSES`]; see [`reference_status`].
    pub reference_status: &'a str,
    /// The establishment's UAI (RNE), when known.
    pub rne: Option<&'a str>,
    /// Salary index; 0 when unknown (§2.14).
    pub indice: i64,
}

/// The result of [`compute`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tariff {
    pub id_company_rate: i64,
    pub id_rate: i64,
    /// Index of the matching rule in the slice given to [`compute`]; `None` = the defaults.
    pub rule: Option<usize>,
}

/// What is wrong with one field of a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    #[error("missing")]
    Missing,
    #[error("not a whole number: {0:?}")]
    NotANumber(String),
    #[error("not a text: {0}")]
    NotText(String),
    #[error("not a JSON object")]
    NotObject,
    #[error("employer {0:?} is not in RneEmployeur")]
    UnknownEmployer(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TariffError {
    #[error("the CROUS tariff answer is not a JSON list of rules: {0}")]
    Json(String),
    #[error("CROUS tariff rule {index}: field {field}: {problem}")]
    ApiRule {
        /// 1-based position in the list.
        index: usize,
        field: &'static str,
        problem: FieldProblem,
    },
    #[error("the ESIST file is not readable XML: {0}")]
    Xml(String),
    #[error("the ESIST file's root element is {0:?}, expected \"esist\"")]
    Root(String),
    #[error("the ESIST file has no EmployeurStatutIndiceSocieteTarif section")]
    NoRuleSection,
    #[error("ESIST {section} row {row}: field {field}: {problem}")]
    Row {
        section: &'static str,
        /// 1-based position among the section's rows.
        row: usize,
        field: String,
        problem: FieldProblem,
    },
}

/// Evaluates `rules` in descending priority (stable: equal priorities keep slice order) and returns the
/// first match, or the defaults 78/99 (crous-escr.md §2.14 steps 1–4).
pub fn compute(rules: &[Rule], input: &TariffInput) -> Tariff {
    let mut ordered: Vec<(usize, &Rule)> = rules.iter().enumerate().collect();
    // `sort_by_key` is stable, which gives the slice order among equal priorities.
    ordered.sort_by_key(|(_, r)| std::cmp::Reverse(r.priority));
    ordered
        .into_iter()
        .find(|(_, r)| matches(r, input))
        .map(|(i, r)| Tariff {
            id_company_rate: r.id_company_rate,
            id_rate: r.id_rate,
            rule: Some(i),
        })
        .unwrap_or(Tariff {
            id_company_rate: DEFAULT_COMPANY_RATE,
            id_rate: DEFAULT_RATE,
            rule: None,
        })
}

fn matches(rule: &Rule, input: &TariffInput) -> bool {
    let status_ok = rule
        .reference_status
        .as_deref()
        .is_none_or(|s| s.trim().eq_ignore_ascii_case(input.reference_status.trim()));
    let rne_ok = rule.rne.as_deref().is_none_or(|want| {
        input
            .rne
            .is_some_and(|have| have.trim().eq_ignore_ascii_case(want.trim()))
    });
    let min_ok = rule.indice_min.is_none_or(|m| input.indice >= m);
    let max_ok = rule.indice_max.is_none_or(|m| input.indice <= m);
    status_ok && rne_ok && min_ok && max_ok
}

/// The reference status to use for a raw `referenceStatut` value: one of [`REFERENCE_STATUSES`]
/// (compared case-insensitively), `psg` for anything unknown or absent (crous-escr.md §2.14).
pub fn reference_status(raw: Option<&str>) -> &'static str {
    let raw = raw.map(str::trim).unwrap_or("");
    REFERENCE_STATUSES
        .iter()
        .find(|c| c.eq_ignore_ascii_case(raw))
        .copied()
        .unwrap_or("psg")
}

/// Guichet's default mapping from `eduPersonPrimaryAffiliation` to a reference status, for directories
/// that carry no `referenceStatut`: students are `etd`, staff `prs`, everyone else `psg`. This mapping is
/// Guichet's choice, not a CROUS rule; an explicit `referenceStatut` always wins over it.
pub fn status_for_affiliation(primary_affiliation: &str) -> &'static str {
    match primary_affiliation.trim().to_ascii_lowercase().as_str() {
        "student" => "etd",
        "staff" | "faculty" | "employee" | "teacher" | "researcher" => "prs",
        _ => "psg",
    }
}

/// Maps the CROUS API answer (a JSON list of `{statusCode, indexMin, indexMax, idCompanyRate, idRate}`,
/// crous-escr.md §2.3/§2.14) to rules, all with `priority` and the configuration's `rne` (a blank `rne`
/// sets no criterion). Null or absent `statusCode`/`indexMin`/`indexMax` are wildcards; the two rates are
/// required. Numbers written as strings are accepted, as Java clients sometimes send them.
pub fn rules_from_api(json: &[u8], priority: i64, rne: &str) -> Result<Vec<Rule>, TariffError> {
    let value: serde_json::Value =
        serde_json::from_slice(json).map_err(|e| TariffError::Json(e.to_string()))?;
    let items = value
        .as_array()
        .ok_or_else(|| TariffError::Json("the top-level value is not a list".to_string()))?;
    let rne = Some(rne.trim())
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let index = i + 1;
            let obj = item.as_object().ok_or(TariffError::ApiRule {
                index,
                field: "(rule)",
                problem: FieldProblem::NotObject,
            })?;
            let field = |name: &'static str| -> Result<Option<i64>, TariffError> {
                json_int(obj.get(name)).map_err(|problem| TariffError::ApiRule {
                    index,
                    field: name,
                    problem,
                })
            };
            let required = |name: &'static str| -> Result<i64, TariffError> {
                field(name)?.ok_or(TariffError::ApiRule {
                    index,
                    field: name,
                    problem: FieldProblem::Missing,
                })
            };
            let status = match obj.get("statusCode") {
                None | Some(serde_json::Value::Null) => None,
                Some(serde_json::Value::String(s)) if s.trim().is_empty() => None,
                Some(serde_json::Value::String(s)) => Some(s.trim().to_string()),
                Some(other) => {
                    return Err(TariffError::ApiRule {
                        index,
                        field: "statusCode",
                        problem: FieldProblem::NotText(other.to_string()),
                    });
                }
            };
            Ok(Rule {
                priority,
                reference_status: status,
                rne: rne.clone(),
                indice_min: field("indexMin")?,
                indice_max: field("indexMax")?,
                id_company_rate: required("idCompanyRate")?,
                id_rate: required("idRate")?,
            })
        })
        .collect()
}

fn json_int(v: Option<&serde_json::Value>) -> Result<Option<i64>, FieldProblem> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| FieldProblem::NotANumber(n.to_string())),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(serde_json::Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| FieldProblem::NotANumber(s.clone())),
        Some(other) => Err(FieldProblem::NotANumber(other.to_string())),
    }
}

const SECTION_EMPLOYERS: &str = "RneEmployeur";
const SECTION_RULES: &str = "EmployeurStatutIndiceSocieteTarif";

/// Parses an ESIST XML tariff file (crous-escr.md §2.15) into rules.
///
/// The file is ISO-8859-1 unless it starts with a UTF-8 byte-order mark or declares `encoding="UTF-8"`.
/// Rows are evaluated in file order, first match wins, so the first row gets the highest priority
/// (row count down to 1). `codeemployeur` is resolved to an RNE through the `RneEmployeur` rows, whose
/// fields are taken to be `codeemployeur` and `rne` (field names of that section are **unconfirmed** in
/// the reference). Element names are compared case-insensitively; absent or empty fields are wildcards.
pub fn parse_esist(bytes: &[u8]) -> Result<Vec<Rule>, TariffError> {
    let text = decode_xml(bytes)?;
    let doc = roxmltree::Document::parse(&text).map_err(|e| TariffError::Xml(e.to_string()))?;
    let root = doc.root_element();
    if !root.tag_name().name().eq_ignore_ascii_case("esist") {
        return Err(TariffError::Root(root.tag_name().name().to_string()));
    }
    let section = |name: &str| {
        root.children()
            .filter(|n| n.is_element() && n.tag_name().name().eq_ignore_ascii_case(name))
            .flat_map(|s| s.children().filter(|n| n.is_element()))
            .collect::<Vec<_>>()
    };
    let mut employers: Vec<(String, String)> = Vec::new();
    for (i, row) in section(SECTION_EMPLOYERS).iter().enumerate() {
        let code = row_field(row, "codeemployeur");
        let rne = row_field(row, "rne");
        match (code, rne) {
            (Some(c), Some(r)) => employers.push((c, r)),
            (None, _) => return Err(missing(SECTION_EMPLOYERS, i + 1, "codeemployeur")),
            (_, None) => return Err(missing(SECTION_EMPLOYERS, i + 1, "rne")),
        }
    }
    if !root
        .children()
        .any(|n| n.is_element() && n.tag_name().name().eq_ignore_ascii_case(SECTION_RULES))
    {
        return Err(TariffError::NoRuleSection);
    }
    let rows = section(SECTION_RULES);
    let count = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let n = i + 1;
            let int = |field: &str| -> Result<Option<i64>, TariffError> {
                row_field(row, field)
                    .map(|v| {
                        v.parse::<i64>().map_err(|_| TariffError::Row {
                            section: SECTION_RULES,
                            row: n,
                            field: field.to_string(),
                            problem: FieldProblem::NotANumber(v),
                        })
                    })
                    .transpose()
            };
            let required = |field: &str| -> Result<i64, TariffError> {
                int(field)?.ok_or_else(|| missing(SECTION_RULES, n, field))
            };
            let rne = match row_field(row, "codeemployeur") {
                None => None,
                Some(code) => Some(
                    employers
                        .iter()
                        .find(|(c, _)| c.eq_ignore_ascii_case(&code))
                        .map(|(_, r)| r.clone())
                        .ok_or_else(|| TariffError::Row {
                            section: SECTION_RULES,
                            row: n,
                            field: "codeemployeur".to_string(),
                            problem: FieldProblem::UnknownEmployer(code.clone()),
                        })?,
                ),
            };
            Ok(Rule {
                priority: count - i64::try_from(i).unwrap_or(i64::MAX),
                reference_status: row_field(row, "referencestatut"),
                rne,
                indice_min: int("indicemin")?,
                indice_max: int("indicemax")?,
                id_company_rate: required("codesociete")?,
                id_rate: required("codetarif")?,
            })
        })
        .collect()
}

fn missing(section: &'static str, row: usize, field: &str) -> TariffError {
    TariffError::Row {
        section,
        row,
        field: field.to_string(),
        problem: FieldProblem::Missing,
    }
}

/// The trimmed text of the row's child element `name` (case-insensitive); `None` when absent or empty.
fn row_field(row: &roxmltree::Node, name: &str) -> Option<String> {
    row.children()
        .find(|n| n.is_element() && n.tag_name().name().eq_ignore_ascii_case(name))
        .map(|n| {
            n.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect::<String>()
        })
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Decodes the file: UTF-8 when it says so (BOM or declaration), ISO-8859-1 otherwise (§2.15).
/// encoding_rs decodes ISO-8859-1 as windows-1252, its WHATWG superset, which reads every byte.
fn decode_xml(bytes: &[u8]) -> Result<String, TariffError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    if declares_utf8(bytes) {
        return utf8(bytes);
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    Ok(text.into_owned())
}

fn utf8(bytes: &[u8]) -> Result<String, TariffError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|e| TariffError::Xml(format!("declared UTF-8 but is not: {e}")))
}

/// Whether the XML declaration (if any) names UTF-8 as the encoding.
fn declares_utf8(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(200)).unwrap_or_default();
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let Some(decl) = head
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split("?>").next())
    else {
        return false;
    };
    let Some(after) = decl.split("encoding").nth(1) else {
        return false;
    };
    let value: String = after
        .trim_start()
        .trim_start_matches('=')
        .trim_start()
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| !matches!(c, '"' | '\''))
        .collect();
    matches!(value.trim(), "utf-8" | "utf8")
}

#[cfg(test)]
#[path = "tariff_tests.rs"]
mod tests;
