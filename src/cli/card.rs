//! `guichet card …`: the Desk's card actions, scriptable.

use clap::{Args, Subcommand};
use serde_json::{Value, json};

use super::{CliResult, Env, Failure};
use crate::domain::card::{Actor, CardState, DisableReason, Request};
use crate::domain::ids::Csn;
use crate::store::cards::{self, CardDetail};
use crate::store::{StoreError, persons};
use crate::{fl, ui_text};

#[derive(Debug, Subcommand)]
pub enum CardCommand {
    /// Request a new card for a person (state NEW).
    Request {
        #[arg(long)]
        person: i64,
        #[arg(long)]
        comment: Option<String>,
        #[command(flatten)]
        actor: ActorArg,
    },
    /// Show a card and its history.
    Show {
        #[arg(long)]
        card: i64,
    },
    /// List a person's cards, newest first.
    List {
        #[arg(long)]
        person: i64,
    },
    /// Move a card to another state.
    Transition(TransitionArgs),
    /// Give a card a photo from a JPEG or PNG file (turned upright, cropped to 300x376 around the
    /// centre, stored as a JPEG of at most 200 KB).
    Photo {
        #[arg(long)]
        card: i64,
        #[arg(long, value_name = "FILE")]
        file: std::path::PathBuf,
        /// The holder agrees to the publication of the photo (CNIL); default: not agreed.
        #[arg(long)]
        consent: bool,
        #[command(flatten)]
        actor: ActorArg,
    },
}

#[derive(Debug, Args)]
pub struct ActorArg {
    /// Who does it (recorded in history and the audit log); default: desk.operator or the OS user.
    #[arg(long)]
    actor: Option<String>,
}

#[derive(Debug, Args)]
pub struct TransitionArgs {
    #[arg(long)]
    card: i64,
    /// Target state, e.g. REQUEST_CHECKED, IN_PRINT, ENABLED, DISABLED.
    #[arg(long)]
    to: String,
    /// Why a card is disabled: lost, theft or out_of_order.
    #[arg(long)]
    reason: Option<String>,
    #[arg(long)]
    comment: Option<String>,
    /// Chip serial number (hex) when marking a card ENCODED.
    #[arg(long)]
    csn: Option<String>,
    #[command(flatten)]
    actor: ActorArg,
}

fn actor(env: &Env, a: &ActorArg) -> Actor {
    Actor::Operator(
        a.actor
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| env.config.operator()),
    )
}

fn fail(e: StoreError) -> Failure {
    Failure(ui_text::store_error(&e))
}

pub fn run(env: &Env, cmd: CardCommand) -> CliResult {
    let store = env.open_store()?;
    let now = jiff::Timestamp::now();
    match cmd {
        CardCommand::Photo {
            card,
            file,
            consent,
            actor: a,
        } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| Failure(ui_text::read_error(file.display(), &e)))?;
            let jpeg = crate::production::photo::process(&bytes, None).map_err(|e| {
                Failure(format!("{}: {}", file.display(), ui_text::photo_error(&e)))
            })?;
            let photo = crate::store::photos::NewPhoto {
                jpeg: &jpeg.bytes,
                width: jpeg.width,
                height: jpeg.height,
                source: "file",
                consent: Some(consent),
            };
            let id = store
                .set_card_photo(card, &photo, actor(env, &a).name(), now)
                .map_err(fail)?;
            if env.json {
                env.emit(
                    &json!({"card_id": card, "photo_id": id, "bytes": jpeg.bytes.len(),
                                 "width": jpeg.width, "height": jpeg.height, "consent": consent}),
                );
            } else {
                println!(
                    "{}",
                    fl!(
                        "cli-card-photo-set",
                        card = card,
                        kb = jpeg.bytes.len().div_ceil(1024)
                    )
                );
            }
        }
        CardCommand::Request {
            person,
            comment,
            actor: a,
        } => {
            let id = store
                .request_card(
                    person,
                    &actor(env, &a),
                    comment,
                    &env.config.card_options(),
                    now,
                )
                .map_err(fail)?;
            let card = store.read(|c| cards::get(c, id)).map_err(fail)?;
            if env.json {
                env.emit(&json!({"card_id": card.id, "person_id": card.person_id, "state": card.state.as_str()}));
            } else {
                println!(
                    "{}",
                    fl!("cli-card-requested", card = card.id, person = person)
                );
            }
        }
        CardCommand::Show { card } => {
            let card = store.read(|c| cards::get(c, card)).map_err(fail)?;
            if env.json {
                let mut v = card_json(&card);
                v["history"] = card
                    .history
                    .iter()
                    .map(|e| {
                        json!({
                            "from": e.from.map(CardState::as_str),
                            "to": e.to.as_str(),
                            "at": crate::store::ts(e.at),
                            "actor": e.actor,
                            "comment": ui_text::history_comment(e.comment.as_deref(), e.note.as_ref()),
                        })
                    })
                    .collect();
                env.emit(&v);
            } else {
                print_card(&card, true);
            }
        }
        CardCommand::List { person } => {
            store
                .read(|c| persons::editable_and_due_date(c, person))
                .map_err(fail)?;
            let list = store.read(|c| cards::of_person(c, person)).map_err(fail)?;
            for card in &list {
                if env.json {
                    env.emit(&card_json(card));
                } else {
                    print_card(card, false);
                }
            }
            if list.is_empty() && !env.json {
                println!("{}", fl!("cli-card-none", person = person));
            }
        }
        CardCommand::Transition(t) => {
            let to = CardState::parse(&t.to).ok_or_else(|| {
                let all: Vec<&str> = CardState::ALL.iter().map(|s| s.as_str()).collect();
                Failure(fl!(
                    "cli-bad-state",
                    value = t.to.clone(),
                    states = all.join(", ")
                ))
            })?;
            let reason = match t.reason.as_deref() {
                Some(r) => Some(
                    DisableReason::parse(r)
                        .ok_or_else(|| Failure(fl!("cli-bad-reason", value = r.to_string())))?,
                ),
                None => None,
            };
            let csn = match t.csn.as_deref() {
                Some(c) => Some(
                    Csn::parse_hex(c)
                        .map_err(|_| Failure(fl!("cli-bad-csn", value = c.to_string())))?,
                ),
                None => None,
            };
            let req = Request {
                reason,
                comment: t.comment.clone(),
                csn,
                printer: None,
            };
            let before = store.read(|c| cards::get(c, t.card)).map_err(fail)?;
            let (_, created) = store
                .transition_card(
                    t.card,
                    to,
                    &actor(env, &t.actor),
                    &req,
                    &env.config.card_options(),
                    now,
                )
                .map_err(fail)?;
            if env.json {
                let mut v =
                    json!({"card_id": t.card, "from": before.state.as_str(), "to": to.as_str()});
                if let Some(new) = created {
                    v["new_card_id"] = json!(new);
                }
                env.emit(&v);
            } else {
                println!(
                    "{}",
                    fl!(
                        "cli-card-moved",
                        card = t.card,
                        from = ui_text::state(before.state),
                        to = ui_text::state(to)
                    )
                );
                if let Some(new) = created {
                    println!("{}", fl!("cli-card-renewal-created", card = new));
                }
            }
        }
    }
    Ok(())
}

fn card_json(card: &CardDetail) -> Value {
    json!({
        "card_id": card.id,
        "person_id": card.person_id,
        "state": card.state.as_str(),
        "csn": card.csn.as_ref().map(Csn::hex),
        "escn": card.escn,
        "qr": card.qr,
        "due_date": card.due_date.map(|d| d.to_string()),
    })
}

fn print_card(card: &CardDetail, with_history: bool) {
    println!(
        "#{:<7} {:<24} {}  {}",
        card.id,
        ui_text::state(card.state),
        card.csn.as_ref().map(Csn::hex).unwrap_or_default(),
        card.due_date.map(ui_text::date).unwrap_or_default()
    );
    if with_history {
        for e in &card.history {
            println!(
                "    {}  {:<22} → {:<22} {}  {}",
                ui_text::datetime(e.at),
                e.from.map(ui_text::state).unwrap_or_default(),
                ui_text::state(e.to),
                ui_text::actor(&e.actor),
                ui_text::history_comment(e.comment.as_deref(), e.note.as_ref()).unwrap_or_default()
            );
        }
    }
}
