//! The window's encoding wiring, kept out of `app.rs`: the encode panel of the Desk and of Production's
//! batch (a run needs the training reader and the reader list the window owns), the runs' progress, the
//! training reader's buttons and the answers of Settings → Encoding's jobs.

use super::app::{App, Effect};
use super::enc_jobs::EncDone;
use super::encoding::{EncodeMsg, EncodeRequest, Target};
use super::jobs::Job;
use super::printing::Origin;
use super::screens::batch_encode::{self, SCAN_ID};
use super::screens::encode_panel::{self, Readers};
use super::screens::production;
use crate::domain::card::CardId;
use crate::fl;

impl App {
    /// The readers for a reader choice: the PC/SC ones and, when offered, the training reader.
    pub fn encode_readers(&self) -> Readers<'_> {
        Readers {
            pcsc: &self.readers,
            training: self
                .services
                .config
                .encode
                .virtual_reader
                .then_some(&self.training),
        }
    }

    fn default_reader(&self) -> Option<String> {
        self.encode_readers()
            .default_choice(self.services.config.encode.reader.as_deref())
    }

    /// The Desk's "Encode…" on a card of the open person.
    pub(super) fn open_encode(&mut self, card: CardId) -> Vec<Effect> {
        let Some((person, holder)) = self
            .desk
            .person
            .as_ref()
            .map(|p| (p.view.detail.id, p.view.detail.display_name.clone()))
        else {
            return Vec::new();
        };
        let reader = self.default_reader();
        self.desk.studio = None;
        self.desk.error = None;
        self.desk.encode = Some(encode_panel::State::new(card, Some(person), holder, reader));
        Vec::new()
    }

    fn panel_mut(&mut self, origin: Origin) -> Option<&mut encode_panel::State> {
        match origin {
            Origin::Desk => self.desk.encode.as_mut(),
            Origin::Production => self.production.batch.as_mut()?.panel.as_mut(),
        }
    }

    /// A message of an encode panel.
    pub(super) fn on_panel(&mut self, origin: Origin, msg: encode_panel::Message) -> Vec<Effect> {
        match msg {
            encode_panel::Message::Reader(o) => {
                if let Some(p) = self.panel_mut(origin) {
                    p.reader = Some(o.name);
                }
                Vec::new()
            }
            encode_panel::Message::Training(m) => {
                self.training.update(m);
                Vec::new()
            }
            encode_panel::Message::Close => {
                match origin {
                    Origin::Desk => self.desk.encode = None,
                    Origin::Production => {
                        if let Some(b) = self.production.batch.as_mut() {
                            b.panel = None;
                        }
                    }
                }
                Vec::new()
            }
            encode_panel::Message::Encode => self.start_encode(origin),
        }
    }

    fn start_encode(&mut self, origin: Origin) -> Vec<Effect> {
        let training = self
            .services
            .config
            .encode
            .virtual_reader
            .then(|| self.training.reader.clone());
        let Some(p) = self.panel_mut(origin) else {
            return Vec::new();
        };
        if p.running {
            return Vec::new();
        }
        let Some(name) = p.reader.clone() else {
            p.result = Some(Err(fl!("encode-choose-reader")));
            return Vec::new();
        };
        let target = match training.filter(|r| r.name() == name) {
            Some(r) => Target::Virtual(r),
            None => Target::Pcsc(name),
        };
        p.start();
        vec![Effect::Encode(EncodeRequest {
            origin,
            card: p.card,
            target,
        })]
    }

    /// Progress and end of a run.
    pub(super) fn on_encode(&mut self, msg: EncodeMsg) -> Vec<Effect> {
        match msg {
            EncodeMsg::Step(origin, card, entry) => {
                if let Some(p) = self.panel_mut(origin).filter(|p| p.card == card) {
                    p.lines.push(entry);
                }
                Vec::new()
            }
            EncodeMsg::Finished(origin, card, result) => {
                let ok = result.is_ok();
                let mut fx = vec![Effect::Job(Job::Counts)];
                if let Some(b) = self
                    .production
                    .batch
                    .as_mut()
                    .filter(|_| origin == Origin::Production)
                {
                    b.record(card, &result);
                    fx.push(Effect::Focus(SCAN_ID));
                }
                if let Some(p) = self.panel_mut(origin).filter(|p| p.card == card) {
                    p.finish(result);
                }
                match origin {
                    Origin::Desk => {
                        // The person shown may no longer be the card's holder (another was opened).
                        let shown = self.desk.person.as_ref().map(|p| p.view.detail.id);
                        let owner = self
                            .desk
                            .encode
                            .as_ref()
                            .filter(|p| p.card == card)
                            .and_then(|p| p.person);
                        match (shown, ok && owner == shown) {
                            (Some(person), true) => fx.extend(
                                self.desk
                                    .on_card_changed(person, fl!("encode-done", card = card)),
                            ),
                            (Some(person), false) => fx.push(Effect::Job(Job::Person(person))),
                            (None, _) => {}
                        }
                    }
                    Origin::Production => fx.push(self.production.refresh_counts()),
                }
                fx
            }
        }
    }

    /// Production's "Encode the batch" and the batch mode's messages.
    pub(super) fn on_batch(&mut self, msg: production::Message) -> Vec<Effect> {
        match msg {
            production::Message::EncodeBatch => {
                let order = self.production.batch_order();
                self.production.batch = Some(batch_encode::State::new(order));
                vec![Effect::Focus(SCAN_ID)]
            }
            production::Message::Batch(batch_encode::Message::Close) => {
                if !self
                    .production
                    .batch
                    .as_ref()
                    .is_some_and(|b| b.panel.as_ref().is_some_and(|p| p.running))
                {
                    self.production.batch = None;
                }
                vec![self.production.reload()]
            }
            production::Message::Batch(batch_encode::Message::Next) => {
                let reader = self.default_reader();
                if let Some(b) = self.production.batch.as_mut()
                    && let Some((card, holder)) = b.next_card()
                {
                    b.select(card, holder, reader);
                }
                vec![Effect::Focus(SCAN_ID)]
            }
            production::Message::Batch(batch_encode::Message::Panel(m)) => {
                let mut fx = self.on_panel(Origin::Production, m);
                fx.push(Effect::Focus(SCAN_ID));
                fx
            }
            production::Message::Batch(m) => match self.production.batch.as_mut() {
                Some(b) => b.update(m),
                None => Vec::new(),
            },
            other => self.production.update(other),
        }
    }

    pub(super) fn on_enc_done(&mut self, done: EncDone) -> Vec<Effect> {
        match done {
            EncDone::Scanned { text, card } => {
                let reader = self.default_reader();
                match self.production.batch.as_mut() {
                    Some(b) => b.on_scanned(&text, card, reader),
                    None => Vec::new(),
                }
            }
            other => self.encoding.on_done(&mut self.services.config, other),
        }
    }
}
