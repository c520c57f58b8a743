//! The command line (ARCHITECTURE §4): one file per subcommand group. Exit code 0 on success, 1 on a
//! failure (message on stderr, in the user's language), 2 on a usage error (clap).

mod bcdi;
mod card;
mod cardsim;
mod crous;
mod demo;
mod encode;
mod gen_ldif;
mod import;
mod nfc;
mod person;
mod print;
mod queue;
mod sacoche;
mod search;
mod settings;
mod sync;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{Config, Paths};
use crate::i18n::{self, Lang};
use crate::store::Store;
use crate::ui_text;

#[derive(Debug, Parser)]
#[command(
    name = "guichet",
    version,
    about = "Card bureau: directory, card lifecycle, printing, encoding"
)]
pub struct Cli {
    /// Folder of the database (guichet.db) and files; default: the OS data folder.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Settings file; default: guichet.toml in --data-dir, else in the OS configuration folder.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Language of messages: fr or en (default: the settings file's ui.language).
    #[arg(long, global = true, value_name = "fr|en")]
    pub lang: Option<String>,
    /// Print one JSON object per line.
    #[arg(long, global = true)]
    pub json: bool,
    /// GUI only: print startup figures (time to first frame, peak memory) as JSON and exit.
    #[arg(long, hide = true)]
    pub bench_startup: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill an empty database with a deterministic synthetic institution.
    Demo(demo::DemoArgs),
    /// Counter search: names, eppn, INE, student/staff numbers, CSN (4 forms), ESCN.
    Search(search::SearchArgs),
    /// Request, show, list and move cards through their lifecycle.
    #[command(subcommand)]
    Card(card::CardCommand),
    /// Read or change the settings file (dotted keys; secrets are refused).
    #[command(subcommand)]
    Config(settings::ConfigCommand),
    /// Store secrets in the OS keyring.
    #[command(subcommand)]
    Secret(settings::SecretCommand),
    /// Synchronise the local mirror with the configured LDAP directory.
    Sync(sync::SyncArgs),
    /// Write a deterministic synthetic directory as LDIF on stdout (tests and benchmarks).
    GenLdif(gen_ldif::GenLdifArgs),
    /// Print one card or a campaign on an IPP printer, or save it as PDF (delivery slip, bitmaps).
    Print(print::PrintArgs),
    /// Card readers and DESFire keys: list readers, show a card, manage the keys in the keyring.
    #[command(subcommand)]
    Nfc(nfc::NfcCommand),
    /// Encode a printed card on a reader with the configured profile (ENCODED, then ENABLED).
    Encode(encode::EncodeArgs),
    /// Put a blank software DESFire card on pcscd's virtual reader (vpcd), for training and tests.
    Cardsim(cardsim::CardsimArgs),
    /// The integrations' queue (CROUS, ESC-R, LDAP write-back): status, drain, list, retry, purge.
    #[command(subcommand)]
    Queue(queue::QueueCommand),
    /// CROUS/Izly tools: identifier migration, tariff rules, comparison, option, un-close.
    #[command(subcommand)]
    Crous(crous::CrousCommand),
    /// School library: e-sidoc borrower export for BCDI and the preview of BCDI's borrower update.
    #[command(subcommand)]
    Bcdi(bcdi::BcdiCommand),
    /// SACoche: export an establishment's ENT identifiers (ITOP CSV), check an ENT file before importing it.
    #[command(subcommand)]
    Sacoche(sacoche::SacocheCommand),
    /// Import a school file into the mirror (SIECLE pupils).
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Persons not in the directory (guests, external staff, visitors), with SDET identifiers.
    #[command(subcommand)]
    Person(person::PersonCommand),
}

/// What a command reports on failure: a message already in the user's language.
#[derive(Debug)]
pub struct Failure(pub String);

pub type CliResult = Result<(), Failure>;

/// Shared state of one CLI run.
pub struct Env {
    pub paths: Paths,
    pub config: Config,
    pub json: bool,
}

impl Env {
    pub fn open_store(&self) -> Result<Store, Failure> {
        Store::open(&self.paths.database()).map_err(|e| Failure(ui_text::store_error(&e)))
    }

    /// Prints one JSON object on its own line.
    pub fn emit(&self, value: &serde_json::Value) {
        println!("{value}");
    }
}

/// Loads the settings and applies the language; shared by the CLI and the GUI start-up.
pub fn prepare(cli: &Cli) -> Result<Env, Failure> {
    let paths = Paths::resolve(cli.data_dir.as_deref(), cli.config.as_deref());
    let config = match Config::load(&paths.config_file) {
        Ok(c) => c,
        Err(e) => {
            // The message must be readable even before the language is known: use the --lang or French.
            i18n::set_language(
                cli.lang
                    .as_deref()
                    .and_then(Lang::parse)
                    .unwrap_or_default(),
            );
            return Err(Failure(ui_text::config_error(&e)));
        }
    };
    let lang = match cli.lang.as_deref() {
        Some(l) => Lang::parse(l).ok_or_else(|| Failure(format!("--lang: fr | en ({l:?})")))?,
        None => config.ui.language,
    };
    i18n::set_language(lang);
    Ok(Env {
        paths,
        config,
        json: cli.json,
    })
}

/// Runs a subcommand.
pub fn run(env: &mut Env, command: Command) -> CliResult {
    match command {
        Command::Demo(args) => demo::run(env, args),
        Command::Search(args) => search::run(env, args),
        Command::Card(c) => card::run(env, c),
        Command::Config(c) => settings::run_config(env, c),
        Command::Secret(c) => settings::run_secret(env, c),
        Command::Sync(args) => sync::run(env, args),
        Command::GenLdif(args) => gen_ldif::run(env, args),
        Command::Print(args) => print::run(env, args),
        Command::Nfc(c) => nfc::run(env, c),
        Command::Encode(args) => encode::run(env, args),
        Command::Cardsim(args) => cardsim::run(env, args),
        Command::Queue(c) => queue::run(env, c),
        Command::Crous(c) => crous::run(env, c),
        Command::Bcdi(c) => bcdi::run(env, c),
        Command::Sacoche(c) => sacoche::run(env, c),
        Command::Import(c) => import::run(env, c),
        Command::Person(c) => person::run(env, c),
    }
}
