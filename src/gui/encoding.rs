//! Encoding from the window: one card on one reader, run by `nfc::station` on a worker thread that streams
//! each step of the encoder's log back as `Message::Encode`, so the panel shows the run as it goes. The keys
//! are read from the keyring in the worker (Secret Service can prompt). The tests call `execute`
//! synchronously, so the window and the tests share one path.

use iced::Task;

use crate::domain::card::{CardId, CardState};
use crate::gui::app;
use crate::gui::jobs::Services;
use crate::gui::printing::{Origin, on_worker};
use crate::nfc::encoder::LogEntry;
use crate::nfc::pcsc::Pcsc;
use crate::nfc::station::{self, Outcome, Setup, StationError};
use crate::nfc::transport::{CardTransport, VirtualReader};
use crate::ui_text;

/// The reader a run uses.
#[derive(Debug, Clone)]
pub enum Target {
    /// A PC/SC reader, by name.
    Pcsc(String),
    /// The training reader of the window (shared with its controls).
    Virtual(VirtualReader),
}

impl Target {
    pub fn name(&self) -> String {
        match self {
            Target::Pcsc(name) => name.clone(),
            Target::Virtual(r) => r.name().to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct EncodeRequest {
    pub origin: Origin,
    pub card: CardId,
    pub target: Target,
}

/// A successful run, ready to display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Success {
    pub state: CardState,
    /// The chip serial number, hex.
    pub csn: String,
    /// The ids written: application name and readable value.
    pub ids: Vec<(String, String)>,
    /// The card was ours already: an update, not a first encoding.
    pub update: bool,
}

#[derive(Debug, Clone)]
pub enum EncodeMsg {
    /// One step of the encoder's log.
    Step(Origin, CardId, LogEntry),
    /// The run is over: the result or the error in words.
    Finished(Origin, CardId, Result<Success, String>),
}

/// Runs an encoding, reporting each step and the end through `emit` (blocking).
pub fn execute(services: &Services, req: &EncodeRequest, emit: &mut dyn FnMut(EncodeMsg)) {
    let (origin, card) = (req.origin, req.card);
    let result = run(services, req, &mut |e: &LogEntry| {
        emit(EncodeMsg::Step(origin, card, *e))
    });
    emit(EncodeMsg::Finished(origin, card, result));
}

fn run(
    services: &Services,
    req: &EncodeRequest,
    progress: &mut dyn FnMut(&LogEntry),
) -> Result<Success, String> {
    let setup = Setup::from_config(&services.config, &services.data_dir(), req.target.name())
        .map_err(|e| ui_text::encode_error(&e))?;
    let reader = |e| ui_text::reader_error(&e);
    let mut encode = |t: &mut dyn CardTransport| {
        station::encode_card(&services.store, req.card, t, &setup, progress)
    };
    let outcome = match &req.target {
        Target::Virtual(r) => encode(&mut r.connect().map_err(reader)?),
        Target::Pcsc(name) => {
            let pcsc = Pcsc::establish().map_err(reader)?;
            encode(&mut pcsc.connect(name).map_err(reader)?)
        }
    };
    match outcome {
        Ok(o) => Ok(success(&o)),
        Err(StationError::Store(m)) => Err(m),
        Err(StationError::Encode { error, .. }) => Err(ui_text::encode_error(&error)),
    }
}

fn success(o: &Outcome) -> Success {
    Success {
        state: o.recorded.state,
        csn: ui_text::hex_bytes(&o.encoded.uid, ""),
        ids: o
            .encoded
            .ids
            .iter()
            .map(|w| (w.application.clone(), w.value.clone()))
            .collect(),
        update: o.update,
    }
}

/// The run on a worker thread, as a stream of messages for the window.
pub fn task(services: Services, req: EncodeRequest) -> Task<app::Message> {
    let (origin, card) = (req.origin, req.card);
    on_worker(
        "guichet-encode",
        move |emit| execute(&services, &req, &mut |m| emit(app::Message::Encode(m))),
        move |e| app::Message::Encode(EncodeMsg::Finished(origin, card, Err(e))),
    )
}
