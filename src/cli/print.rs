//! `guichet print`: print one card or a campaign to an IPP printer, or save it as a PDF; optional delivery
//! slip and 300 dpi face bitmaps.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use clap::Args;
use serde_json::json;

use super::{CliResult, Env, Failure};
use crate::domain::card::{Actor, CardId, CardState};
use crate::production::catalog::Catalog;
use crate::production::job::{self, Outcome, PrintSettings, Progress};
use crate::production::print::{IppPrinter, PdfFilePrinter, Printer};
use crate::production::{delivery, slip};
use crate::store::campaign::{self, CardFilter};
use crate::{fl, ui_text};

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["card", "batch"])))]
#[command(group(clap::ArgGroup::new("to").args(["printer", "pdf"])))]
pub struct PrintArgs {
    /// The card to print.
    #[arg(long)]
    card: Option<i64>,
    /// Print every card selected by --state (and --group, --structure, --filter).
    #[arg(long, requires = "state")]
    batch: bool,
    /// Cards in this state, e.g. REQUEST_CHECKED.
    #[arg(long)]
    state: Option<String>,
    /// Only members of this group (name or display name).
    #[arg(long)]
    group: Option<String>,
    /// Free search, as at the Desk.
    #[arg(long)]
    filter: Option<String>,
    /// At most this many cards, in the campaign's order (surname, given name): a print room's next stack.
    #[arg(long, value_name = "N", requires = "batch")]
    limit: Option<usize>,
    /// Printer URI (ipp://host[:port]/path); default: print.printer of the settings.
    #[arg(long, value_name = "URI")]
    printer: Option<String>,
    /// Save the cards as one PDF file instead of printing.
    #[arg(long, value_name = "FILE")]
    pdf: Option<PathBuf>,
    /// Also write the delivery slip (PDF), grouped by structure or by group.
    #[arg(long, value_name = "FILE")]
    slip: Option<PathBuf>,
    /// Also write each face as a 1016x648 PNG (300 dpi) into this folder.
    #[arg(long, value_name = "DIR")]
    png: Option<PathBuf>,
    /// Who prints (history, audit); default: desk.operator or the OS user.
    #[arg(long)]
    actor: Option<String>,
}

pub fn run(env: &Env, args: PrintArgs) -> CliResult {
    let store = env.open_store()?;
    let fail = |e: crate::store::StoreError| Failure(ui_text::store_error(&e));
    let ids: Vec<CardId> = match (args.card, args.batch) {
        (Some(card), _) => vec![card],
        _ => {
            let state = args.state.as_deref().unwrap_or_default();
            let state = CardState::parse(state).ok_or_else(|| {
                let all: Vec<&str> = CardState::ALL.iter().map(|s| s.as_str()).collect();
                Failure(fl!(
                    "cli-bad-state",
                    value = state.to_string(),
                    states = all.join(", ")
                ))
            })?;
            let group = match args.group.as_deref() {
                Some(name) => Some(
                    store
                        .read(|c| campaign::group_by_name(c, name))
                        .map_err(fail)?
                        .ok_or_else(|| {
                            Failure(fl!("cli-unknown-group", name = name.to_string()))
                        })?,
                ),
                None => None,
            };
            let filter = CardFilter {
                state: Some(state),
                group,
                text: args.filter.clone().unwrap_or_default(),
                limit: args.limit.unwrap_or(0),
                ..Default::default()
            };
            store
                .read(|c| campaign::select(c, &filter))
                .map_err(fail)?
                .into_iter()
                .map(|c| c.card_id)
                .collect()
        }
    };
    let catalog = Catalog::load(&env.paths.data_dir);
    let cfg = &env.config.print;
    let actor = Actor::Operator(
        args.actor
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| env.config.operator()),
    );
    let batch = format!("{}", jiff::Timestamp::now().strftime("%Y%m%dT%H%M%S"));
    let settings = PrintSettings {
        actor,
        opts: env.config.card_options(),
        poll: Duration::from_millis(500),
        timeout: Duration::from_secs(u64::from(cfg.job_timeout_seconds)),
        batch: Some(batch),
        labels: ui_text::affiliation,
    };
    let (printer, one_job): (Box<dyn Printer>, bool) = match (&args.pdf, &args.printer) {
        (Some(path), _) => (Box::new(PdfFilePrinter::new(path.clone())), true),
        (None, Some(uri)) => (
            Box::new(IppPrinter::new(uri).map_err(|e| Failure(ui_text::print_error(&e)))?),
            false,
        ),
        (None, None) => match cfg.printer.as_deref().filter(|p| !p.trim().is_empty()) {
            Some(uri) => (
                Box::new(IppPrinter::new(uri).map_err(|e| Failure(ui_text::print_error(&e)))?),
                false,
            ),
            None => return Err(Failure(fl!("cli-print-no-printer"))),
        },
    };
    if ids.is_empty() {
        return Err(Failure(fl!("cli-print-nothing")));
    }
    let json = env.json;
    let stop = AtomicBool::new(false);
    let mut on = |p: Progress| {
        if let Progress::Done {
            result,
            done,
            total,
        } = p
        {
            let (state, message) = match &result.outcome {
                Outcome::Printed => ("printed", None),
                Outcome::Failed(m) => ("failed", Some(m.clone())),
                Outcome::Skipped(m) => ("skipped", Some(m.clone())),
                Outcome::Stopped => ("stopped", None),
            };
            if json {
                println!(
                    "{}",
                    json!({"card_id": result.card, "result": state, "message": message,
                           "done": done, "total": total})
                );
            } else {
                let line = match &result.outcome {
                    Outcome::Printed => fl!("print-card-printed", card = result.card),
                    Outcome::Failed(m) => {
                        fl!("print-card-failed", card = result.card, message = m.clone())
                    }
                    Outcome::Skipped(m) => {
                        fl!(
                            "print-card-skipped",
                            card = result.card,
                            message = m.clone()
                        )
                    }
                    Outcome::Stopped => fl!("print-card-stopped", card = result.card),
                };
                println!("[{done}/{total}] {line}");
            }
        }
    };
    let results = job::print_cards(
        &store,
        &catalog,
        cfg,
        printer.as_ref(),
        one_job,
        &ids,
        &settings,
        &stop,
        &mut on,
    );
    if let Some(path) = &args.slip {
        let s = delivery::slip(
            &store,
            &ids,
            delivery::Grouping::Structure,
            jiff::Timestamp::now(),
        )
        .map_err(fail)?;
        let bytes = slip::slip_pdf(&s).map_err(|e| Failure(ui_text::pdf_error(&e)))?;
        crate::production::print::write_atomic(path, &bytes, "slip")
            .map_err(|e| Failure(ui_text::write_error(path.display(), &e)))?;
    }
    if let Some(dir) = &args.png {
        job::export_png(&store, &catalog, cfg, &ids, dir, ui_text::affiliation)
            .map_err(|e| Failure(ui_text::job_error(&e)))?;
    }
    let printed = results
        .iter()
        .filter(|r| r.outcome == Outcome::Printed)
        .count();
    if !json {
        println!(
            "{}",
            fl!("print-summary", printed = printed, total = results.len())
        );
    }
    let failed: usize = results.len() - printed;
    if failed == 0 {
        Ok(())
    } else {
        Err(Failure(fl!(
            "print-some-failed",
            failed = failed,
            total = results.len()
        )))
    }
}
