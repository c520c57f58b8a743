//! Printing cards: the imperative shell around the layout, the PDF and the printer. A card goes `IN_PRINT`
//! when its job is sent and `PRINTED` only when the printer reports the job completed; a refused, failed or
//! cancelled job leaves it `IN_PRINT` with the printer's message, ready for a retry (issue #4, reference
//! crous-escr.md §1.7). Every job is recorded in `print_jobs` with the printed texts, frozen at completion.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::Connection;

use super::catalog::Catalog;
use super::pdf::{self, PdfError};
use super::print::{self, JobState, JobStatus, PrintError, PrintJob, Printer};
use super::template::{self, CardData, CardLayout, TemplateError};
use crate::config::PrintConfig;
use crate::domain::card::{Actor, CardId, CardState, Request};
use crate::store::cards::{self, CardOptions};
use crate::store::prints::{self, JobOutcome, NewJob};
use crate::store::{self, Store, StoreError, persons, photos};

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error(transparent)]
    Print(#[from] PrintError),
    #[error("no card template is available")]
    NoTemplate,
    #[error(transparent)]
    Raster(#[from] super::raster::RasterError),
    #[error("{path}: {message}")]
    Io {
        path: std::path::PathBuf,
        message: String,
    },
}

fn io_error(path: &Path, e: &std::io::Error) -> JobError {
    JobError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// What the printing of one card came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The printer reported the job completed: the card is `PRINTED`.
    Printed,
    /// The card is `IN_PRINT` with this message (the printer's, or why the job could not be sent).
    Failed(String),
    /// The card could not go to print (wrong state, locked by another operator...): nothing changed.
    Skipped(String),
    /// The operator stopped the batch before this card.
    Stopped,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CardResult {
    pub card: CardId,
    pub outcome: Outcome,
}

/// Progress of a batch, for a progress bar and a per-card result list.
#[derive(Debug, Clone)]
pub enum Progress {
    /// The job of these cards was accepted by the printer.
    Sent { cards: Vec<CardId> },
    /// The printer's latest word on the running job.
    Job { status: JobStatus },
    /// A card is done (`done` of `total`).
    Done {
        result: CardResult,
        done: usize,
        total: usize,
    },
}

/// Who prints, with which card options, and how long to wait for the printer.
#[derive(Debug, Clone)]
pub struct PrintSettings {
    pub actor: Actor,
    pub opts: CardOptions,
    pub poll: Duration,
    pub timeout: Duration,
    /// A name grouping the jobs of a campaign (`print_jobs.batch`).
    pub batch: Option<String>,
    /// Card-face text that is formatted in the user's language (affiliation labels, dates).
    pub labels: fn(&str) -> String,
}

/// Formats the data of a card for its template: identity, numbers, due date, QR and photo.
pub fn card_data(
    conn: &Connection,
    card_id: CardId,
    labels: fn(&str) -> String,
) -> store::Result<(CardData, String)> {
    let card = cards::get(conn, card_id)?;
    let detail = persons::detail(conn, card.person_id)?;
    let photo_id: Option<i64> =
        conn.query_row("SELECT photo_id FROM cards WHERE id = ?1", [card_id], |r| {
            r.get(0)
        })?;
    let photo = match photo_id {
        Some(id) => photos::get(conn, id)?,
        None => None,
    };
    let r = &detail.record;
    let due = card.due_date.or(r.due_date).map(crate::ui_text::date);
    let data = CardData {
        surname: r.surname.clone(),
        given_name: r.given_name.clone(),
        display_name: detail.display_name.clone(),
        affiliation: labels(&r.affiliation),
        establishment: detail
            .establishment
            .as_ref()
            .or(detail.structure.as_ref())
            .map(|s| s.name.clone())
            .unwrap_or_default(),
        student_number: r.supann_etu_id.clone(),
        staff_number: r.supann_emp_id.clone(),
        due_date: due,
        eppn: r.eppn.clone(),
        escn: card.escn.clone(),
        card_id,
        qr: card.qr.clone(),
        photo_jpeg: photo.map(|p| Arc::new(p.jpeg)),
        free: Default::default(),
    };
    Ok((data, r.affiliation.clone()))
}

/// The layout of a card with the template of its holder's population, and that template's id.
pub fn layout(
    conn: &Connection,
    catalog: &Catalog,
    cfg: &PrintConfig,
    card: CardId,
    labels: fn(&str) -> String,
) -> Result<(CardLayout, String), JobError> {
    let (data, affiliation) = card_data(conn, card, labels)?;
    let t = catalog
        .for_population(cfg, &affiliation)
        .ok_or(JobError::NoTemplate)?;
    Ok((template::layout(t, &data)?, t.id.clone()))
}

/// Prints cards on `printer`: one job per card, or one job for the whole set when `one_job` (a PDF file).
/// Returns a result per card, in order. `stop` ends the batch between jobs.
#[allow(clippy::too_many_arguments)]
pub fn print_cards(
    store: &Store,
    catalog: &Catalog,
    cfg: &PrintConfig,
    printer: &dyn Printer,
    one_job: bool,
    ids: &[CardId],
    s: &PrintSettings,
    stop: &AtomicBool,
    on: &mut dyn FnMut(Progress),
) -> Vec<CardResult> {
    let total = ids.len();
    let mut results: Vec<CardResult> = Vec::with_capacity(total);
    let chunks: Vec<&[CardId]> = if one_job {
        vec![ids]
    } else {
        ids.chunks(1).collect()
    };
    for chunk in chunks {
        if stop.load(Ordering::Relaxed) {
            for &card in chunk {
                report(&mut results, on, total, card, Outcome::Stopped);
            }
            continue;
        }
        let done = print_job(store, catalog, cfg, printer, chunk, s, on);
        for r in done {
            report(&mut results, on, total, r.card, r.outcome);
        }
    }
    results
}

fn report(
    results: &mut Vec<CardResult>,
    on: &mut dyn FnMut(Progress),
    total: usize,
    card: CardId,
    outcome: Outcome,
) {
    let result = CardResult { card, outcome };
    results.push(result.clone());
    on(Progress::Done {
        result,
        done: results.len(),
        total,
    });
}

/// One job: the cards enter `IN_PRINT`, their PDF goes to the printer, and the printer's verdict moves
/// them to `PRINTED` or leaves them `IN_PRINT` with its message.
fn print_job(
    store: &Store,
    catalog: &Catalog,
    cfg: &PrintConfig,
    printer: &dyn Printer,
    ids: &[CardId],
    s: &PrintSettings,
    on: &mut dyn FnMut(Progress),
) -> Vec<CardResult> {
    let printer_id = printer.id();
    let mut out: Vec<CardResult> = Vec::new();
    // (card, job row, layout)
    let mut ready: Vec<(CardId, i64, CardLayout)> = Vec::new();
    for &card in ids {
        match enter_print(store, catalog, cfg, card, &printer_id, s) {
            Ok((row, layout)) => ready.push((card, row, layout)),
            Err(Entered::Refused(m)) => out.push(CardResult {
                card,
                outcome: Outcome::Skipped(m),
            }),
            Err(Entered::Failed(row, m)) => {
                let _ = store.write(|tx| {
                    prints::finish(tx, row, JobOutcome::Failed, Some(&m), Timestamp::now())
                });
                out.push(CardResult {
                    card,
                    outcome: Outcome::Failed(m),
                });
            }
        }
    }
    if ready.is_empty() {
        return out;
    }
    let layouts: Vec<CardLayout> = ready.iter().map(|(_, _, l)| l.clone()).collect();
    let title = match ready.as_slice() {
        [(card, _, _)] => format!("guichet-card-{card}"),
        _ => format!("guichet-batch-{}", s.batch.as_deref().unwrap_or("cards")),
    };
    let verdict = pdf::cards_pdf(&title, &layouts)
        .map_err(JobError::from)
        .and_then(|bytes| {
            let job = PrintJob {
                name: &title,
                user: s.actor.name(),
                pdf: &bytes,
                copies: 1,
            };
            let submitted = printer.submit(&job)?;
            let now = Timestamp::now();
            store.write(|tx| {
                for (_, row, _) in &ready {
                    prints::set_job_id(tx, *row, submitted.job_id, now)?;
                }
                Ok(())
            })?;
            on(Progress::Sent {
                cards: ready.iter().map(|(c, _, _)| *c).collect(),
            });
            let mut forward = |st: &JobStatus| on(Progress::Job { status: st.clone() });
            Ok(print::wait(
                printer,
                &submitted,
                s.poll,
                s.timeout,
                &mut forward,
            )?)
        });
    let now = Timestamp::now();
    for (card, row, _) in ready {
        let outcome = match &verdict {
            Ok(st) if st.state == JobState::Completed => {
                match store.write(|tx| {
                    prints::finish(tx, row, JobOutcome::Completed, None, now)?;
                    cards::transition_in(
                        tx,
                        card,
                        CardState::Printed,
                        &s.actor,
                        &Request::default(),
                        &s.opts,
                        now,
                    )?;
                    Ok(())
                }) {
                    Ok(()) => Outcome::Printed,
                    Err(e) => Outcome::Failed(crate::ui_text::store_error(&e)),
                }
            }
            Ok(st) => {
                let state = if st.state == JobState::Canceled {
                    JobOutcome::Canceled
                } else {
                    JobOutcome::Failed
                };
                let m = crate::ui_text::job_status(st);
                let _ = store.write(|tx| prints::finish(tx, row, state, Some(&m), now));
                Outcome::Failed(m)
            }
            Err(e) => {
                let m = crate::ui_text::job_error(e);
                let _ =
                    store.write(|tx| prints::finish(tx, row, JobOutcome::Failed, Some(&m), now));
                Outcome::Failed(m)
            }
        };
        out.push(CardResult { card, outcome });
    }
    // Keep the caller's order.
    out.sort_by_key(|r| ids.iter().position(|c| *c == r.card));
    out
}

enum Entered {
    /// Nothing changed (state, lock, missing card): the message says why.
    Refused(String),
    /// The card is `IN_PRINT` and its job row exists, but its layout failed.
    Failed(i64, String),
}

/// Moves a card to `IN_PRINT` for `printer` (re-print when it already is), gives it the identifiers it
/// lacks, lays it out and records its job; returns the job row and the layout.
fn enter_print(
    store: &Store,
    catalog: &Catalog,
    cfg: &PrintConfig,
    card: CardId,
    printer: &str,
    s: &PrintSettings,
) -> Result<(i64, CardLayout), Entered> {
    let now = Timestamp::now();
    let req = Request {
        printer: Some(printer.to_string()),
        ..Default::default()
    };
    store
        .write(|tx| {
            cards::transition_in(tx, card, CardState::InPrint, &s.actor, &req, &s.opts, now)?;
            cards::ensure_print_identifiers(tx, card, &s.opts, now)?;
            Ok(())
        })
        .map_err(|e| Entered::Refused(crate::ui_text::store_error(&e)))?;
    let laid = store
        .read(|c| Ok(layout(c, catalog, cfg, card, s.labels)))
        .map_err(|e| Entered::Refused(crate::ui_text::store_error(&e)))?;
    let (lay, template_id) = match laid {
        Ok(v) => v,
        Err(e) => {
            let m = crate::ui_text::job_error(&e);
            let row = store
                .write(|tx| start_row(tx, card, printer, "", &Default::default(), s, now))
                .map_err(|e| Entered::Refused(crate::ui_text::store_error(&e)))?;
            return Err(Entered::Failed(row, m));
        }
    };
    let row = store
        .write(|tx| start_row(tx, card, printer, &template_id, &lay.printed_texts, s, now))
        .map_err(|e| Entered::Refused(crate::ui_text::store_error(&e)))?;
    Ok((row, lay))
}

fn start_row(
    tx: &rusqlite::Transaction<'_>,
    card: CardId,
    printer: &str,
    template: &str,
    printed: &std::collections::BTreeMap<String, String>,
    s: &PrintSettings,
    now: Timestamp,
) -> store::Result<i64> {
    prints::start(
        tx,
        &NewJob {
            card_id: card,
            batch: s.batch.as_deref(),
            printer,
            template,
            printed,
            actor: s.actor.name(),
        },
        now,
    )
}

/// Writes the face bitmaps of cards (1016×648 at 300 dpi, for printers fed with bitmaps) into `dir` as
/// `card-<id>-front.png` and `card-<id>-back.png`; returns the files written. Card states do not change.
pub fn export_png(
    store: &Store,
    catalog: &Catalog,
    cfg: &PrintConfig,
    ids: &[CardId],
    dir: &Path,
    labels: fn(&str) -> String,
) -> Result<Vec<std::path::PathBuf>, JobError> {
    use super::raster::{self, BITMAP_HEIGHT, BITMAP_WIDTH};
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let mut out = Vec::new();
    for &card in ids {
        let (lay, _) = store.read(|c| Ok(layout(c, catalog, cfg, card, labels)))??;
        let faces =
            std::iter::once(("front", &lay.front)).chain(lay.back.iter().map(|b| ("back", b)));
        for (name, face) in faces {
            let png = raster::png(face, BITMAP_WIDTH, BITMAP_HEIGHT)?;
            let path = dir.join(format!("card-{card}-{name}.png"));
            std::fs::write(&path, png).map_err(|e| io_error(&path, &e))?;
            out.push(path);
        }
    }
    Ok(out)
}
