//! The templates an installation can print with: the built-in ones (`assets/templates/`) and the
//! installation's own copies in `<data dir>/templates/`, which take precedence over a built-in template of
//! the same id. The template of a card follows its holder's population (settings `[print]`).

use std::path::{Path, PathBuf};

use super::template::{Template, TemplateError};
use crate::config::PrintConfig;

/// One template and where it comes from.
#[derive(Debug, Clone)]
pub struct Entry {
    pub template: Template,
    /// `None` for a built-in template.
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    pub entries: Vec<Entry>,
    /// User templates that could not be read (shown in Settings → Templates).
    pub errors: Vec<TemplateError>,
    user_dir: PathBuf,
}

impl Catalog {
    /// The folder of the installation's templates.
    pub fn user_dir(data_dir: &Path) -> PathBuf {
        data_dir.join("templates")
    }

    pub fn load(data_dir: &Path) -> Catalog {
        let user_dir = Catalog::user_dir(data_dir);
        let mut entries: Vec<Entry> = Template::built_in()
            .into_iter()
            .map(|template| Entry {
                template,
                dir: None,
            })
            .collect();
        let (user, errors) = if user_dir.is_dir() {
            Template::load_dir(&user_dir)
        } else {
            (Vec::new(), Vec::new())
        };
        for template in user {
            let dir = Some(user_dir.join(&template.id));
            match entries.iter_mut().find(|e| e.template.id == template.id) {
                Some(e) => *e = Entry { template, dir },
                None => entries.push(Entry { template, dir }),
            }
        }
        Catalog {
            entries,
            errors,
            user_dir,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Template> {
        self.entries
            .iter()
            .find(|e| e.template.id == id)
            .map(|e| &e.template)
    }

    /// The template for a holder of `affiliation`: the population's, else the default of the settings,
    /// else the first built-in one.
    pub fn for_population(&self, cfg: &PrintConfig, affiliation: &str) -> Option<&Template> {
        self.get(cfg.template_for(affiliation))
            .or_else(|| self.get(&cfg.template))
            .or_else(|| self.entries.first().map(|e| &e.template))
    }

    /// Copies a template into the installation's folder under a new id, so it can be edited; returns the
    /// folder of the copy.
    pub fn customise(&self, id: &str, new_id: &str) -> Result<PathBuf, TemplateError> {
        let template = self
            .get(id)
            .ok_or_else(|| TemplateError::BadId(id.to_string()))?;
        template.copy_to(&self.user_dir, new_id)
    }
}
