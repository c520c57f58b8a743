//! The encoding workflow: applies an encoding profile to a DESFire card, idempotently, and reads every file
//! back. One call is one run on one card inside one exclusive reader transaction (the transport's).
//!
//! Order of a run (desfire.md §3, with Guichet's changes):
//! 1. the CSN through the reader (`FF CA`, §8); on a random-UID card the real UID comes from GetCardUID after
//!    the first authentication, and must match the UID recorded for the card if there is one;
//! 2. card level: authenticate with the card master key, the factory key or ours (GetKeyVersion picks which
//!    to try first), else refuse the card (another institution's); list the applications;
//! 3. the profile's applications already on the card are checked first (key 0 opens with our key or the
//!    default one, else the card is refused) so that nothing is written on a card we would refuse;
//! 4. FormatPICC only when the profile asks for it and the card holds no application of ours (never on a card
//!    being resumed or updated); then CreateApplication for the missing ones, all in the card-level session;
//! 5. per application: authenticate key 0, change keys 1…n−1 (skipped when their version already is the
//!    profile's), create the missing files **with their final settings**, then change key 0 last; then
//!    authenticate with the file's read-write (or write) key, write the content enciphered and read it back
//!    in the same session. Unlike ESUP's "create free, write in plain, lock" (§3.1 steps 5–7) the data never
//!    crosses the air in clear and the file is never left open, and it costs fewer APDUs (no
//!    ChangeFileSettings, no select + authenticate before every step);
//! 6. last: random UID if asked (permanent), then the card master key.
//!
//! A run stopped anywhere (card pulled, reader gone) leaves a card that the next run completes: every step
//! checks what is already there, the keys that grant access are changed after what they protect, and the
//! card master key is changed at the very end.

use crate::nfc::apdu::Status;
use crate::nfc::desfire::DesfireError;
use crate::nfc::desfire::commands::{
    AccessRight, Aid, ChangeKeyAccess, Desfire, FileKind, KeyCount, NewApplication, NewDataFile,
    PiccConfiguration,
};
use crate::nfc::desfire::crypto::{Key, KeyType};
use crate::nfc::desfire::random::{OsRandom, Random};
use crate::nfc::desfire::session::CommMode;
use crate::nfc::keys::KeySet;
use crate::nfc::profile::{AppProfile, CardFacts, Content, FileProfile, Profile};
use crate::nfc::transport::{CardTransport, TransportError, read_uid};

#[path = "encoder_log.rs"]
mod log;
pub use log::*;

/// What a run needs besides the card.
#[derive(Debug, Clone)]
pub struct EncodeInput<'a> {
    pub profile: &'a Profile,
    pub keys: &'a KeySet,
    /// The holder's and the card's ids for the content sources; `csn` is filled in by the run.
    pub facts: CardFacts,
    /// The UID recorded for this card by an earlier run: the chip presented must be that one.
    pub expected_uid: Option<Vec<u8>>,
}

/// Everything a run reports, successful or not.
#[derive(Debug, Clone)]
pub struct Report {
    pub result: Result<Encoded, EncodeError>,
    pub log: Vec<LogEntry>,
    /// DESFire APDUs exchanged (the reader's `FF CA` not included).
    pub apdus: u64,
    /// The UID the reader gave, if it gave one (a random UID on random-UID cards).
    pub reader_uid: Option<Vec<u8>>,
}

/// Runs the profile on the card in `transport` with the system's random numbers. `progress` sees each log
/// entry as it happens.
pub fn encode(
    transport: &mut dyn CardTransport,
    input: &EncodeInput<'_>,
    progress: &mut dyn FnMut(&LogEntry),
) -> Report {
    encode_with_random(transport, input, Box::new(OsRandom), progress)
}

/// [`encode`] with a given random source (seeded in tests and benchmarks).
pub fn encode_with_random(
    transport: &mut dyn CardTransport,
    input: &EncodeInput<'_>,
    rng: Box<dyn Random>,
    progress: &mut dyn FnMut(&LogEntry),
) -> Report {
    let reader_uid = read_uid(transport);
    let entry = LogEntry {
        step: Step::ReadCsn,
        outcome: if reader_uid.is_ok() {
            StepOutcome::Done
        } else {
            StepOutcome::Failed
        },
    };
    progress(&entry);
    let reader_uid = match reader_uid {
        Ok(uid) => uid,
        Err(e) => {
            return Report {
                result: Err(transport_error(Step::ReadCsn, e)),
                log: vec![entry],
                apdus: 0,
                reader_uid: None,
            };
        }
    };
    let mut run = Run {
        d: Desfire::with_random(transport, rng),
        input,
        log: vec![entry],
        progress,
        uid: Vec::new(),
        auth: None,
        at: Step::ReadCsn,
    };
    let result = run.run(&reader_uid);
    if result.is_err() && run.log.last().map(|e| e.outcome) != Some(StepOutcome::Failed) {
        let at = run.at;
        run.note(at, StepOutcome::Failed);
    }
    Report {
        result,
        apdus: run.d.apdu_count(),
        log: run.log,
        reader_uid: Some(reader_uid),
    }
}

/// The key a session was opened with: level, key number, check value and version.
type AuthTag = (Aid, u8, [u8; 3], u8);

struct Run<'t, 'a, 'p> {
    d: Desfire<'t>,
    input: &'a EncodeInput<'a>,
    log: Vec<LogEntry>,
    progress: &'p mut dyn FnMut(&LogEntry),
    /// The chip's real UID once known.
    uid: Vec<u8>,
    auth: Option<AuthTag>,
    /// The step under way, for the log entry of a failure no step logged itself.
    at: Step,
}

/// The file as the profile wants it and what to write in it.
struct FilePlan<'f> {
    file: &'f FileProfile,
    content: Vec<u8>,
    existed: bool,
}

fn transport_error(step: Step, e: TransportError) -> EncodeError {
    match e {
        TransportError::CardRemoved | TransportError::Reader(_) => EncodeError::Pulled { step },
        other => EncodeError::Reader(other),
    }
}

/// Maps a command failure at `step` to the run's error.
fn card_error(step: Step) -> impl Fn(DesfireError) -> EncodeError {
    move |e| match e {
        DesfireError::Transport(t) => transport_error(step, t),
        DesfireError::NotDesfire { .. } => EncodeError::NotDesfire,
        DesfireError::Card(Status::OutOfEeprom) => EncodeError::CardFull,
        error => EncodeError::Card { step, error },
    }
}

/// Whether an authentication failed because the key is not the card's.
fn wrong_key(e: &DesfireError) -> bool {
    matches!(
        e,
        DesfireError::Authentication
            | DesfireError::Integrity(_)
            | DesfireError::Card(
                Status::AuthenticationError | Status::NoSuchKey | Status::IntegrityError
            )
    )
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// A random-UID card gives a 4-byte UID starting with `08` (desfire.md §8).
pub fn is_random_uid(uid: &[u8]) -> bool {
    uid.len() == 4 && uid[0] == 0x08
}

impl Run<'_, '_, '_> {
    fn note(&mut self, step: Step, outcome: StepOutcome) {
        let entry = LogEntry { step, outcome };
        (self.progress)(&entry);
        self.log.push(entry);
    }

    /// Runs `f` as `step`: logs it done, or failed with its error.
    fn step<T>(
        &mut self,
        step: Step,
        f: impl FnOnce(&mut Self) -> Result<T, EncodeError>,
    ) -> Result<T, EncodeError> {
        self.at = step;
        match f(self) {
            Ok(v) => {
                self.note(step, StepOutcome::Done);
                Ok(v)
            }
            Err(e) => {
                self.note(step, StepOutcome::Failed);
                Err(e)
            }
        }
    }

    fn select(&mut self, aid: Aid, step: Step) -> Result<(), EncodeError> {
        self.at = step;
        if self.d.selected() != Some(aid) || self.auth.is_some_and(|a| a.0 != aid) {
            self.auth = None;
            self.d.select_application(aid).map_err(card_error(step))?;
        }
        Ok(())
    }

    /// Makes sure a session with `key` as key `key_no` of `aid` is open.
    fn auth(&mut self, aid: Aid, key_no: u8, key: &Key, step: Step) -> Result<(), EncodeError> {
        self.at = step;
        let tag = (aid, key_no, key.check_value(), key.version());
        if self.d.selected() == Some(aid) && self.d.session().is_some() && self.auth == Some(tag) {
            return Ok(());
        }
        self.select(aid, step)?;
        self.auth = None;
        self.d.authenticate(key_no, key).map_err(card_error(step))?;
        self.auth = Some(tag);
        Ok(())
    }

    /// Tries `candidates` in turn as key `key_no` of `aid`; the index of the one that opened, `None` when
    /// none did. With two candidates, GetKeyVersion decides which to try first.
    fn open_with(
        &mut self,
        aid: Aid,
        key_no: u8,
        candidates: &[&Key],
        step: Step,
    ) -> Result<Option<usize>, EncodeError> {
        self.select(aid, step)?;
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        if candidates.len() > 1 {
            let version = self.d.get_key_version(key_no).map_err(card_error(step))?;
            order.sort_by_key(|&i| candidates[i].version() != version);
        }
        for i in order {
            let key = candidates[i];
            match self.d.authenticate(key_no, key) {
                Ok(()) => {
                    self.auth = Some((aid, key_no, key.check_value(), key.version()));
                    return Ok(Some(i));
                }
                Err(e) if wrong_key(&e) => self.auth = None,
                Err(e) => return Err(card_error(step)(e)),
            }
        }
        Ok(None)
    }

    fn facts(&self) -> CardFacts {
        CardFacts {
            csn: self.uid.clone(),
            ..self.input.facts.clone()
        }
    }

    fn run(&mut self, reader_uid: &[u8]) -> Result<Encoded, EncodeError> {
        let profile = self.input.profile;
        let random = is_random_uid(reader_uid);
        if random {
            self.uid = self.input.expected_uid.clone().unwrap_or_default();
        } else {
            self.uid = reader_uid.to_vec();
            self.check_expected_uid()?;
        }

        // Card level.
        let picc = &profile.picc;
        let factory = Key::zero(if picc.master_key.is_some() {
            KeyType::Des
        } else {
            picc.key_type
        });
        let final_picc = match &picc.master_key {
            Some(r) if !(r.diversified && self.uid.is_empty()) => {
                Some(self.input.keys.card_key(r, picc.key_type, &self.uid)?)
            }
            _ => None,
        };
        let mut candidates: Vec<&Key> = Vec::new();
        if let Some(k) = &final_picc {
            candidates.push(k);
        }
        if picc.master_key.is_none() || picc.change_key_last {
            candidates.push(&factory);
        }
        if candidates.is_empty() {
            return Err(EncodeError::RandomUidNeedsPlainKey);
        }
        let opened = self.step(Step::CardMasterKey, |r| {
            r.open_with(Aid::PICC, 0, &candidates, Step::CardMasterKey)?
                .ok_or(EncodeError::ForeignCard)
        })?;
        let picc_final = final_picc.is_some() && opened == 0;
        let picc_key = if picc_final {
            final_picc.clone().unwrap_or_else(|| factory.clone())
        } else {
            factory.clone()
        };

        if random {
            let uid = self.step(Step::RealUid, |r| {
                r.d.get_card_uid().map_err(card_error(Step::RealUid))
            })?;
            self.uid = uid;
            self.check_expected_uid()?;
        }

        let present = self.step(Step::ListApplications, |r| {
            r.d.get_application_ids()
                .map_err(card_error(Step::ListApplications))
        })?;
        let ours: Vec<&AppProfile> = profile
            .applications
            .iter()
            .filter(|a| present.contains(&a.aid))
            .collect();
        let foreign = present
            .iter()
            .any(|aid| !profile.applications.iter().any(|a| a.aid == *aid));

        // Check our applications before writing anything.
        let mut key0_final = Vec::new();
        for app in &ours {
            let step = Step::CheckApplication(app.aid);
            let final0 = self
                .input
                .keys
                .card_key(&app.keys[0], app.key_type, &self.uid)?;
            let zero = Key::zero(app.key_type);
            let opened = self.step(step, |r| {
                r.open_with(app.aid, 0, &[&final0, &zero], step)?
                    .ok_or(EncodeError::ForeignApplication { aid: app.aid })
            })?;
            key0_final.push((app.aid, opened == 0));
        }
        let update = !ours.is_empty();

        if picc.format_before_write && !update && foreign {
            self.step(Step::Format, |r| {
                r.auth(Aid::PICC, 0, &picc_key, Step::Format)?;
                r.d.format_picc().map_err(card_error(Step::Format))
            })?;
        }
        let mut created = Vec::new();
        for app in &profile.applications {
            if present.contains(&app.aid) && !(picc.format_before_write && !update && foreign) {
                continue;
            }
            let step = Step::CreateApplication(app.aid);
            self.step(step, |r| {
                r.auth(Aid::PICC, 0, &picc_key, step)?;
                r.d.create_application(&NewApplication {
                    aid: app.aid,
                    settings: app.key_settings,
                    keys: KeyCount {
                        count: u8::try_from(app.keys.len()).unwrap_or(KeyCount::MAX_KEYS),
                        key_type: app.key_type,
                        iso_file_ids: app.iso.is_some(),
                    },
                    iso: app.iso.clone(),
                })
                .map_err(card_error(step))
            })?;
            created.push(app.aid);
        }

        let mut ids = Vec::new();
        for app in &profile.applications {
            let is_new = created.contains(&app.aid);
            let final0 = key0_final
                .iter()
                .find(|(aid, _)| *aid == app.aid)
                .is_some_and(|(_, f)| *f);
            ids.extend(self.apply_application(app, is_new, final0)?);
        }

        if picc.random_uid && !random {
            self.step(Step::RandomUid, |r| {
                r.auth(Aid::PICC, 0, &picc_key, Step::RandomUid)?;
                r.d.set_configuration(PiccConfiguration {
                    disable_format: false,
                    random_uid: true,
                })
                .map_err(card_error(Step::RandomUid))
            })?;
        }
        if let Some(new) = &final_picc
            && picc.change_key_last
        {
            if picc_final {
                self.note(Step::ChangeCardMasterKey, StepOutcome::AlreadyDone);
            } else {
                self.step(Step::ChangeCardMasterKey, |r| {
                    r.auth(Aid::PICC, 0, &factory, Step::ChangeCardMasterKey)?;
                    r.auth = None;
                    r.d.change_key(0, new, None)
                        .map_err(card_error(Step::ChangeCardMasterKey))
                })?;
            }
        }
        Ok(Encoded {
            uid: self.uid.clone(),
            update,
            ids,
        })
    }

    fn check_expected_uid(&self) -> Result<(), EncodeError> {
        match &self.input.expected_uid {
            Some(expected) if !expected.is_empty() && *expected != self.uid => {
                Err(EncodeError::OtherChip {
                    expected: hex(expected),
                    found: hex(&self.uid),
                })
            }
            _ => Ok(()),
        }
    }

    /// Keys, files, contents and read-back of one application (step 5 of the module comment).
    fn apply_application(
        &mut self,
        app: &AppProfile,
        is_new: bool,
        key0_final: bool,
    ) -> Result<Vec<WrittenId>, EncodeError> {
        let aid = app.aid;
        let keys_step = Step::ApplicationKeys(aid);
        let finals = app
            .keys
            .iter()
            .map(|r| self.input.keys.card_key(r, app.key_type, &self.uid))
            .collect::<Result<Vec<Key>, _>>()?;
        let zero = Key::zero(app.key_type);
        let n = finals.len();
        let mut is_final = vec![false; n];
        is_final[0] = key0_final;
        let current = |is_final: &[bool], k: usize| -> Key {
            if is_final[k] {
                finals[k].clone()
            } else {
                zero.clone()
            }
        };

        // Session with key 0; on an application found on the card, which keys are already ours and which
        // files exist.
        self.auth(aid, 0, &current(&is_final, 0), keys_step)?;
        let mut existing = Vec::new();
        if !is_new {
            for (k, key) in finals.iter().enumerate().skip(1) {
                let v = self
                    .d
                    .get_key_version(k as u8)
                    .map_err(card_error(keys_step))?;
                is_final[k] = key.version() != 0 && v == key.version();
            }
            existing = self
                .d
                .get_file_ids()
                .map_err(card_error(Step::CreateFile(aid, 0)))?;
        }

        // Keys 1…n−1, the key that changes the others last.
        let changer = |k: usize| -> Option<usize> {
            match app.key_settings.change_key {
                ChangeKeyAccess::MasterKey => Some(0),
                ChangeKeyAccess::Key(c) => Some(usize::from(c)),
                ChangeKeyAccess::SameKey => Some(k),
                ChangeKeyAccess::Frozen => None,
            }
        };
        let mut order: Vec<usize> = (1..n).filter(|&k| !is_final[k]).collect();
        order.sort_by_key(|&k| changer(k) == Some(k));
        if order.is_empty() && is_final[0] {
            self.note(keys_step, StepOutcome::AlreadyDone);
        }
        // A failure here is logged as this step by the run (`Run::at`).
        self.at = keys_step;
        for &k in &order {
            let c = changer(k)
                .filter(|&c| c < n)
                .ok_or(EncodeError::UnknownKey {
                    aid,
                    key_no: k as u8,
                })?;
            let by = current(&is_final, c);
            self.auth(aid, c as u8, &by, keys_step)?;
            self.d
                .change_key(k as u8, &finals[k], Some(&zero))
                .map_err(|e| {
                    if wrong_key(&e) {
                        EncodeError::UnknownKey {
                            aid,
                            key_no: k as u8,
                        }
                    } else {
                        card_error(keys_step)(e)
                    }
                })?;
            is_final[k] = true;
        }

        // Files: created with their final settings (key 0 session), existing ones checked.
        let facts = self.facts();
        let mut plans = Vec::new();
        for file in &app.files {
            let content = Profile::content_for(file, &facts)?;
            let existed = existing.contains(&file.number);
            if existed {
                self.check_file_settings(app, file, &current(&is_final, 0), &finals)?;
            } else {
                let step = Step::CreateFile(aid, file.number);
                let key0 = current(&is_final, 0);
                self.step(step, |r| {
                    r.auth(aid, 0, &key0, step)?;
                    r.d.create_std_data_file(&NewDataFile {
                        file_no: file.number,
                        iso_fid: file.iso_fid,
                        comm_mode: file.comm_mode,
                        access: file.access,
                        size: file.size,
                    })
                    .map_err(card_error(step))
                })?;
            }
            plans.push(FilePlan {
                file,
                content,
                existed,
            });
        }

        // Key 0 last: it protects everything above.
        if !is_final[0] {
            self.auth(aid, 0, &zero, keys_step)?;
            self.auth = None;
            self.at = keys_step;
            self.d
                .change_key(0, &finals[0], None)
                .map_err(card_error(keys_step))?;
            is_final[0] = true;
        }
        if !order.is_empty() || !key0_final {
            self.note(keys_step, StepOutcome::Done);
        }

        let mut ids = Vec::new();
        for plan in plans {
            self.write_and_verify(app, &plan, &finals)?;
            if let Some(value) = readable_id(plan.file, &facts) {
                ids.push(WrittenId {
                    application: app.name.clone(),
                    aid,
                    file: plan.file.number,
                    value,
                });
            }
        }
        Ok(ids)
    }

    /// An existing file must be a standard data file of the profile's size; its communication mode and
    /// access rights are brought to the profile's if they differ.
    fn check_file_settings(
        &mut self,
        app: &AppProfile,
        file: &FileProfile,
        key0: &Key,
        finals: &[Key],
    ) -> Result<(), EncodeError> {
        let aid = app.aid;
        let step = Step::FileSettings(aid, file.number);
        self.auth(aid, 0, key0, step)?;
        let settings = match self.d.get_file_settings(file.number) {
            Ok(s) => s,
            Err(e) => {
                self.note(step, StepOutcome::Failed);
                return Err(card_error(step)(e));
            }
        };
        if settings.kind != (FileKind::StdData { size: file.size }) {
            self.note(step, StepOutcome::Failed);
            return Err(EncodeError::FileMismatch {
                aid,
                file: file.number,
            });
        }
        if settings.comm_mode == file.comm_mode && settings.access == file.access {
            self.note(step, StepOutcome::AlreadyDone);
            return Ok(());
        }
        self.step(step, |r| {
            let sent = match settings.access.change {
                AccessRight::Free => CommMode::Plain,
                AccessRight::Key(c) => {
                    let key = finals.get(usize::from(c)).ok_or(EncodeError::NoAccess {
                        aid,
                        file: file.number,
                        what: "changed",
                    })?;
                    r.auth(aid, c, key, step)?;
                    CommMode::Full
                }
                AccessRight::Never => {
                    return Err(EncodeError::FileMismatch {
                        aid,
                        file: file.number,
                    });
                }
            };
            r.d.change_file_settings(file.number, file.comm_mode, file.access, sent)
                .map_err(card_error(step))
        })
    }

    /// Writes a file's content (unless it is already there) and reads it back.
    fn write_and_verify(
        &mut self,
        app: &AppProfile,
        plan: &FilePlan<'_>,
        finals: &[Key],
    ) -> Result<(), EncodeError> {
        let aid = app.aid;
        let file = plan.file;
        if matches!(file.content, Content::Empty) {
            return Ok(());
        }
        let size = usize::try_from(file.size).unwrap_or(usize::MAX);
        let mut expected = plan.content.clone();
        expected.resize(size, 0);
        let access = file.access;
        let key_of = |r: AccessRight| match r {
            AccessRight::Key(k) => finals.get(usize::from(k)).map(|key| (k, key)),
            _ => None,
        };
        let free = |r: AccessRight| r == AccessRight::Free;
        let write_key = key_of(access.read_write).or(key_of(access.write));
        let can_write = write_key.is_some() || free(access.write) || free(access.read_write);
        let read_key = |session: Option<u8>| {
            [access.read_write, access.read]
                .into_iter()
                .filter_map(key_of)
                .find(|(k, _)| Some(*k) == session)
                .or(key_of(access.read_write))
                .or(key_of(access.read))
        };
        let can_read = read_key(None).is_some() || free(access.read) || free(access.read_write);
        if !can_read {
            return Err(EncodeError::NoAccess {
                aid,
                file: file.number,
                what: "read",
            });
        }
        let verify_step = Step::VerifyFile(aid, file.number);

        let read = |r: &mut Self| -> Result<Vec<u8>, EncodeError> {
            let session = r.auth.filter(|a| a.0 == aid).map(|a| a.1);
            let mode = match read_key(session) {
                Some((k, key)) => {
                    r.auth(aid, k, key, verify_step)?;
                    file.comm_mode
                }
                None => {
                    r.select(aid, verify_step)?;
                    CommMode::Plain
                }
            };
            r.d.read_data(file.number, 0, file.size, mode)
                .map_err(card_error(verify_step))
        };

        if plan.existed {
            let on_card = match read(self) {
                Ok(d) => d,
                Err(e) => {
                    self.note(verify_step, StepOutcome::Failed);
                    return Err(e);
                }
            };
            if on_card == expected {
                self.note(Step::WriteFile(aid, file.number), StepOutcome::AlreadyDone);
                self.note(verify_step, StepOutcome::AlreadyDone);
                return Ok(());
            }
        }
        if !can_write {
            return Err(EncodeError::NoAccess {
                aid,
                file: file.number,
                what: "written",
            });
        }
        // A new file holds zeros: its content alone is written; an existing one is rewritten whole.
        let data: &[u8] = if plan.existed {
            &expected
        } else {
            &plan.content
        };
        let write_step = Step::WriteFile(aid, file.number);
        self.step(write_step, |r| {
            let mode = match write_key {
                Some((k, key)) => {
                    r.auth(aid, k, key, write_step)?;
                    file.comm_mode
                }
                None => {
                    r.select(aid, write_step)?;
                    CommMode::Plain
                }
            };
            r.d.write_data(file.number, 0, data, mode)
                .map_err(card_error(write_step))
        })?;
        self.step(verify_step, |r| {
            if read(r)? == expected {
                Ok(())
            } else {
                Err(EncodeError::VerifyFailed {
                    aid,
                    file: file.number,
                })
            }
        })
    }
}

/// The id written in a file, in readable form (`None` for fixed or empty contents).
fn readable_id(file: &FileProfile, facts: &CardFacts) -> Option<String> {
    match &file.content {
        Content::AccessControlId { base, .. } => facts
            .access_id
            .and_then(|s| base.checked_add(s))
            .map(|n| n.to_string()),
        Content::Escn => facts.escn.clone(),
        Content::CrousNumber => facts.crous_number.clone(),
        Content::CsnAt { domain } => Some(format!(
            "{}@{domain}",
            facts
                .csn
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        )),
        Content::Hex(_) | Content::Empty => None,
    }
}

#[cfg(test)]
#[path = "encoder_tests.rs"]
mod tests;
