//! `guichet config …` and `guichet secret …`.

use clap::Subcommand;
use serde_json::json;

use super::{CliResult, Env, Failure};
use crate::secrets::{self, Secret};
use crate::{config, fl, ui_text};

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the value of a setting.
    Get { key: String },
    /// Change a setting (an empty value restores the default).
    Set { key: String, value: String },
    /// List every setting with its value.
    List,
}

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Read a secret from standard input into the OS keyring. Names: ldap-password, crous-client-secret,
    /// escr-api-key, desfire-keys.
    Set { name: String },
    /// Remove a secret from the OS keyring.
    Delete { name: String },
    /// Tell, for each secret, whether it is available (never its value).
    Status,
}

pub fn run_config(env: &mut Env, cmd: ConfigCommand) -> CliResult {
    let err = |e: config::ConfigError| Failure(ui_text::config_error(&e));
    match cmd {
        ConfigCommand::Get { key } => {
            let v = env.config.get(&key).map_err(err)?;
            if env.json {
                env.emit(&json!({"key": key, "value": v}));
            } else {
                println!("{v}");
            }
        }
        ConfigCommand::Set { key, value } => {
            env.config.set(&key, &value).map_err(err)?;
            env.config.save(&env.paths.config_file).map_err(err)?;
            if env.json {
                env.emit(&json!({"key": key, "value": env.config.get(&key).map_err(err)?}));
            }
        }
        ConfigCommand::List => {
            for (key, help) in config::keys() {
                let v = env.config.get(key).map_err(err)?;
                if env.json {
                    env.emit(&json!({"key": key, "value": v}));
                } else {
                    println!("{key} = {v:<24} # {help}");
                }
            }
        }
    }
    Ok(())
}

fn secret(name: &str) -> Result<Secret, Failure> {
    Secret::parse(name).ok_or_else(|| {
        let all: Vec<&str> = Secret::ALL.iter().map(|s| s.name()).collect();
        Failure(fl!(
            "cli-bad-secret",
            name = name.to_string(),
            names = all.join(", ")
        ))
    })
}

pub fn run_secret(env: &Env, cmd: SecretCommand) -> CliResult {
    secrets::init_from_env();
    match cmd {
        SecretCommand::Set { name } => {
            let s = secret(&name)?;
            let value = secrets::read_stdin()
                .map_err(|e| Failure(ui_text::secret_error(&e, s.env_var())))?;
            secrets::set(s, &value).map_err(|e| Failure(ui_text::secret_error(&e, s.env_var())))?;
            if !env.json {
                println!("{}", fl!("cli-secret-stored", name = s.name()));
            }
        }
        SecretCommand::Delete { name } => {
            let s = secret(&name)?;
            secrets::delete(s).map_err(|e| Failure(ui_text::secret_error(&e, s.env_var())))?;
        }
        SecretCommand::Status => {
            for s in Secret::ALL {
                let state = match secrets::get(s) {
                    Ok(Some(_)) => "set",
                    Ok(None) => "missing",
                    Err(_) => "unavailable",
                };
                if env.json {
                    env.emit(&json!({"name": s.name(), "env": s.env_var(), "state": state}));
                } else {
                    println!("{:<22} {:<12} ({})", s.name(), state, s.env_var());
                }
            }
        }
    }
    Ok(())
}
