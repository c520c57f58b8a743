//! Builds the services from the settings file and the keyring: the one place the window and the CLI
//! turn `[crous]`, `[escr]`, `[writeback]` and `[queue]` into clients.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, tz::TimeZone};

use super::crous::{CrousClient, CrousService, CrousSettings, service::Options as CrousOptions};
use super::error::RemoteError;
use super::escr::{EscrClient, EscrService, EscrSettings, service::Options as EscrOptions};
use super::ldap_template::parse_templates;
use super::ldap_writeback::Writeback;
use super::worker::{Limits, Services};
use crate::config::Config;
use crate::directory::client::ConnectSettings;
use crate::secrets::{self, Secret};
use crate::store::Store;

fn secret(s: Secret) -> Result<String, RemoteError> {
    match secrets::get(s) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(RemoteError::config(
            "credentials",
            crate::fl!(
                "remote-err-missing-secret",
                name = s.name(),
                env = s.env_var()
            ),
        )),
        Err(e) => Err(RemoteError::config("keyring", e.to_string())),
    }
}

fn days(n: u32) -> SignedDuration {
    SignedDuration::from_hours(24 * i64::from(n.max(1)))
}

/// The CROUS service of the settings (its tariff rules read from the store).
pub fn crous(cfg: &Config, store: &Store) -> Result<CrousService, RemoteError> {
    let c = &cfg.crous;
    let client = CrousClient::new(CrousSettings {
        api_url: c.api_url.clone(),
        token_url: c.token_url.clone(),
        client_id: secret(Secret::CrousClientId)?,
        client_secret: secret(Secret::CrousClientSecret)?,
        timeout: Duration::from_secs(u64::from(cfg.queue.timeout_seconds)),
    })?;
    let rules = store
        .read(crate::store::remote::rules)
        .map_err(|e| RemoteError::config("database", e.to_string()))?
        .into_iter()
        .map(|r| r.rule)
        .collect();
    Ok(CrousService {
        client,
        options: CrousOptions {
            ine_preferred: c.ine_as_identifier,
            opt_in: c.opt_in.clone(),
            verify_every: days(c.verify_days),
            tz: TimeZone::system(),
        },
        rules,
    })
}

pub fn escr(cfg: &Config) -> Result<EscrService, RemoteError> {
    let e = &cfg.escr;
    let client = EscrClient::new(EscrSettings {
        api_url: e.api_url.clone(),
        key: secret(Secret::EscrApiKey)?,
        timeout: Duration::from_secs(u64::from(cfg.queue.timeout_seconds)),
    })?;
    Ok(EscrService {
        client,
        options: EscrOptions {
            pic: cfg.card.pic.map(|p| format!("{p:09}")),
            country_code: e.country_code.clone(),
            opt_in: e.opt_in.clone(),
            card_type: e.card_type.clone(),
            processor: e.processor.clone().filter(|p| !p.trim().is_empty()),
            verify_every: days(e.verify_days),
            tz: TimeZone::system(),
        },
    })
}

pub fn writeback(cfg: &Config) -> Result<Writeback, RemoteError> {
    let w = &cfg.writeback;
    let url = w
        .url
        .clone()
        .or_else(|| cfg.directory.url.clone())
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| {
            RemoteError::config("not-configured", crate::fl!("remote-err-writeback-url"))
        })?;
    let base = w
        .base
        .clone()
        .or_else(|| cfg.directory.people_base.clone())
        .filter(|b| !b.trim().is_empty())
        .ok_or_else(|| {
            RemoteError::config("not-configured", crate::fl!("remote-err-writeback-base"))
        })?;
    let bind_dn = w.bind_dn.clone().filter(|d| !d.trim().is_empty());
    let password = match bind_dn {
        Some(_) => Some(secret(Secret::WritebackPassword)?),
        None => None,
    };
    let templates = parse_templates(&w.templates.replace(';', "\n"))
        .map_err(|e| RemoteError::config("templates", crate::ui_text::ldap_template_error(&e)))?;
    Ok(Writeback {
        connect: ConnectSettings {
            url,
            tls: w.tls,
            ca_file: w.ca_file.clone(),
            bind_dn,
            password,
            timeout: Duration::from_secs(u64::from(cfg.directory.timeout_seconds.max(1))),
        },
        base,
        filter: w.filter.clone(),
        templates,
        country_code: cfg.escr.country_code.clone(),
        verify_every: days(cfg.crous.verify_days),
    })
}

/// Every switched-on service; the ones that cannot be built (missing secret, bad template) are left out
/// and reported.
pub fn services(cfg: &Config, store: &Store) -> (Services, Vec<(&'static str, RemoteError)>) {
    let mut s = Services::default();
    let mut errors = Vec::new();
    if cfg.crous.enabled {
        match crous(cfg, store) {
            Ok(c) => s.crous = Some(Arc::new(c)),
            Err(e) => errors.push((super::crous::SERVICE, e)),
        }
    }
    if cfg.escr.enabled {
        match escr(cfg) {
            Ok(c) => s.escr = Some(Arc::new(c)),
            Err(e) => errors.push((super::escr::SERVICE, e)),
        }
    }
    if cfg.writeback.enabled {
        match writeback(cfg) {
            Ok(c) => s.ldap = Some(Arc::new(c)),
            Err(e) => errors.push((super::ldap_writeback::SERVICE, e)),
        }
    }
    (s, errors)
}

pub fn limits(cfg: &Config) -> Limits {
    Limits {
        max_tries: cfg.queue.max_tries,
        concurrency: cfg.queue.concurrency as usize,
        rate_per_second: cfg.queue.rate_per_second,
        lease: Duration::from_secs(u64::from(cfg.queue.timeout_seconds) * 4 + 30),
    }
}
