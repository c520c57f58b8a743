//! Printing settings: printers, the print service, and which card template each population gets.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintConfig {
    /// The printer chosen by default (`ipp://…`, `ipps://…` or `http://…` URI). Empty: the operator
    /// chooses; "save as PDF" is always offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printer: Option<String>,
    /// IPP printers reached directly (IPP Everywhere), besides the system's print queues.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub printers: Vec<String>,
    /// `host:port` of the system print service (CUPS); default `localhost:631`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cups_server: Option<String>,
    /// How long to wait for a printer to report a job completed or failed.
    #[serde(default = "default_job_timeout")]
    pub job_timeout_seconds: u32,
    /// Template used when no population rule applies.
    #[serde(default = "default_template")]
    pub template: String,
    /// Template by population (the person's affiliation: `student`, `employee`, `pupil`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub templates: BTreeMap<String, String>,
}

fn default_job_timeout() -> u32 {
    300
}

fn default_template() -> String {
    "default".to_string()
}

impl Default for PrintConfig {
    fn default() -> Self {
        PrintConfig {
            printer: None,
            printers: Vec::new(),
            cups_server: None,
            job_timeout_seconds: default_job_timeout(),
            template: default_template(),
            templates: BTreeMap::new(),
        }
    }
}

impl PrintConfig {
    /// The template id for a person of `affiliation`.
    pub fn template_for(&self, affiliation: &str) -> &str {
        self.templates
            .get(affiliation)
            .map(String::as_str)
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(&self.template)
    }

    /// The printer URIs known from the settings: the default first, then the others, without repeats.
    pub fn configured_printers(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for uri in self.printer.iter().chain(&self.printers) {
            if !uri.trim().is_empty() && !out.contains(uri) {
                out.push(uri.clone());
            }
        }
        out
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        for uri in self.printer.iter().chain(&self.printers) {
            if !uri.is_empty()
                && !["ipp://", "ipps://", "http://", "https://"]
                    .iter()
                    .any(|s| uri.starts_with(s))
            {
                return Err(format!(
                    "a printer is an IPP address starting with ipp://, ipps:// or http:// ({uri})"
                ));
            }
        }
        if !(5..=86_400).contains(&self.job_timeout_seconds) {
            return Err("expected a number of seconds from 5 to 86400".into());
        }
        if self.template.trim().is_empty() {
            return Err("a template id cannot be empty".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_by_population_falls_back_to_the_default() {
        let mut p = PrintConfig::default();
        p.templates.insert("employee".into(), "staff".into());
        assert_eq!(p.template_for("employee"), "staff");
        assert_eq!(p.template_for("student"), "default");
    }

    #[test]
    fn printers_are_listed_once_default_first() {
        let p = PrintConfig {
            printer: Some("ipp://b/ipp/print".into()),
            printers: vec!["ipp://a/ipp/print".into(), "ipp://b/ipp/print".into()],
            ..Default::default()
        };
        assert_eq!(
            p.configured_printers(),
            vec!["ipp://b/ipp/print", "ipp://a/ipp/print"]
        );
        assert!(p.validate().is_ok());
        let bad = PrintConfig {
            printer: Some("lpt1".into()),
            ..Default::default()
        };
        assert!(bad.validate().is_err());
    }
}
