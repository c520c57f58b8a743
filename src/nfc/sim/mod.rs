//! The software MIFARE DESFire EV1/EV2 card: a [`VirtualCard`] that answers like a real card, so the same
//! host code (authentications, sessions, command set) runs against it and against hardware
//! (desfire.md §12). It reuses the protocol core: [`CardAuth`] for the four authentications,
//! [`Session::open_command`] / [`Session::seal_response`] for MAC and encryption, `open_change_key` for
//! ChangeKey. This file holds the card, the dispatch and the `AF` framing; the commands live in
//! [`picc`] (card level), [`keys`] (authentication and keys) and [`files`] (standard data files).
//!
//! Rules every command shares:
//! - any error status ends the authentication (the host side drops its session on an error too, see
//!   `session.rs`); SelectApplication and a new authentication end it as well;
//! - while a multi-frame exchange is under way, any command other than `AF` is answered `CA` (command
//!   aborted) and cancels it;
//! - the reader pseudo-APDU `FF CA 00 00 00` is answered by the card itself (§12): the UID, or the random
//!   UID of this activation on random-UID cards (§8).

mod files;
mod keys;
pub mod model;
mod picc;

use std::collections::VecDeque;

use crate::nfc::apdu::{self, CommandApdu, MAX_RESPONSE_FRAME, Status, ins};
use crate::nfc::desfire::auth::CardAuth;
use crate::nfc::desfire::random::{Random, SeededRandom};
use crate::nfc::desfire::session::{AuthScheme, CommMode, Session};
use crate::nfc::transport::{GET_UID_APDU, VirtualCard};

use model::Persistent;
pub use model::{AccessRights, Application, DataFile};

/// The ATR PC/SC Part 3 readers synthesise for a DESFire card (desfire.md §12).
pub const ATR: [u8; 6] = [0x3B, 0x81, 0x80, 0x01, 0x80, 0x80];

/// What can go wrong building a simulated card.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    /// A DESFire UID is 7 bytes (§8).
    #[error("a DESFire UID is 7 bytes, not {0}")]
    UidLength(usize),
    /// The UID is not hexadecimal.
    #[error("the UID is not hexadecimal: {0:?}")]
    UidHex(String),
}

/// A command's successful outcome: data to seal with the session (if any) in `mode`.
///
/// A management answer in [`CommMode::Plain`] is MACed under EV2 secure messaging (as the host's command set
/// expects, `commands.rs`); `raw` keeps it plain there (the data of a plain file).
struct Reply {
    data: Vec<u8>,
    mode: CommMode,
    /// Frame sizes for the answer (GetVersion's 7/7/14); `None` cuts at [`MAX_RESPONSE_FRAME`].
    frames: Option<&'static [usize]>,
    raw: bool,
}

impl Reply {
    fn plain(data: Vec<u8>) -> Reply {
        Reply {
            data,
            mode: CommMode::Plain,
            frames: None,
            raw: false,
        }
    }
    fn empty() -> Reply {
        Reply::plain(Vec::new())
    }
}

type CmdResult = Result<Reply, Status>;

/// A multi-frame exchange under way.
enum Pending {
    None,
    /// Between the challenge and the host's answer.
    Auth(CardAuth),
    /// Response frames still to send.
    Frames(VecDeque<Vec<u8>>),
    /// A long command (WriteData) collecting its `AF` frames.
    Command(apdu::CommandAssembler),
}

/// Volatile state, lost at power-off.
struct Volatile {
    /// Selected application (`None` = PICC level).
    selected: Option<[u8; 3]>,
    session: Option<Session>,
    pending: Pending,
    /// The random UID of this activation (random-UID cards).
    random_uid: Option<[u8; 4]>,
}

impl Volatile {
    fn new() -> Volatile {
        Volatile {
            selected: None,
            session: None,
            pending: Pending::None,
            random_uid: None,
        }
    }
}

/// The simulated card. Its persistent contents survive [`VirtualCard::power_off`]; the session, the
/// selection and any multi-frame exchange do not.
pub struct SimCard {
    state: Persistent,
    vol: Volatile,
    rng: Box<dyn Random + Send>,
}

impl std::fmt::Debug for SimCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimCard")
            .field("applications", &self.state.apps.len())
            .field("random_uid", &self.state.random_uid)
            .finish_non_exhaustive()
    }
}

/// Parses a 7-byte UID from hex (spaces and colons allowed).
pub fn parse_uid(text: &str) -> Result<[u8; 7], SimError> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b':')
        .collect();
    if !digits.len().is_multiple_of(2) || !digits.iter().all(u8::is_ascii_hexdigit) {
        return Err(SimError::UidHex(text.to_string()));
    }
    let bytes: Vec<u8> = digits
        .chunks(2)
        .filter_map(|p| std::str::from_utf8(p).ok())
        .filter_map(|s| u8::from_str_radix(s, 16).ok())
        .collect();
    <[u8; 7]>::try_from(bytes.as_slice()).map_err(|_| SimError::UidLength(bytes.len()))
}

impl SimCard {
    /// A blank 8 KB card: DES zero PICC master key (version 0), key settings `0F`, no application,
    /// randomness seeded with 0.
    pub fn blank(uid: [u8; 7]) -> SimCard {
        SimCard {
            state: Persistent::blank(uid),
            vol: Volatile::new(),
            rng: Box::new(SeededRandom::new(0)),
        }
    }

    /// A blank card with random UID already enabled (SetConfiguration done), its randomness (RndB, TI,
    /// random UIDs) seeded with `seed`.
    pub fn with_random_uid(uid: [u8; 7], seed: u64) -> SimCard {
        let mut card = SimCard::blank(uid).with_seed(seed);
        card.state.random_uid = true;
        card
    }

    /// Seeds the card's randomness (transcripts are then reproducible).
    pub fn with_seed(mut self, seed: u64) -> SimCard {
        self.rng = Box::new(SeededRandom::new(seed));
        self
    }

    /// Replaces the card's random source (e.g. a scripted RndB to replay a reference transcript).
    pub fn with_random(mut self, rng: Box<dyn Random + Send>) -> SimCard {
        self.rng = rng;
        self
    }

    /// Sets the EEPROM size available to applications (default [`model::EEPROM_8K`]).
    pub fn with_capacity(mut self, bytes: usize) -> SimCard {
        self.state.capacity = bytes;
        self
    }

    /// The real 7-byte UID.
    pub fn uid(&self) -> [u8; 7] {
        self.state.uid
    }
    /// What the reader reports as UID now: the random UID of this activation, or the real one.
    pub fn reader_uid(&self) -> Vec<u8> {
        match (self.state.random_uid, self.vol.random_uid) {
            (true, Some(r)) => r.to_vec(),
            _ => self.state.uid.to_vec(),
        }
    }
    pub fn random_uid_enabled(&self) -> bool {
        self.state.random_uid
    }
    pub fn format_disabled(&self) -> bool {
        self.state.format_disabled
    }
    pub fn picc_key_settings(&self) -> u8 {
        self.state.picc_settings
    }
    pub fn picc_key_type(&self) -> crate::nfc::desfire::crypto::KeyType {
        self.state.picc_key.kind()
    }
    pub fn picc_key_version(&self) -> u8 {
        self.state.picc_key.version()
    }
    pub fn free_memory(&self) -> usize {
        self.state.free()
    }
    pub fn applications(&self) -> impl Iterator<Item = &Application> {
        self.state.apps.values()
    }
    /// The application with this AID (MSB first, as configured: `0xF585C0`).
    pub fn application(&self, aid: u32) -> Option<&Application> {
        let b = aid.to_le_bytes();
        self.state.apps.get(&[b[0], b[1], b[2]])
    }
    /// Whether a session is open (for tests of the rules that end it).
    pub fn is_authenticated(&self) -> bool {
        self.vol.session.is_some()
    }

    fn new_random_uid(&mut self) {
        self.vol.random_uid = if self.state.random_uid {
            let mut r = [0u8; 3];
            // A failing source leaves zeros; the seeded and OS sources do not fail.
            let _ = self.rng.fill(&mut r);
            Some([0x08, r[0], r[1], r[2]])
        } else {
            None
        };
    }

    fn drop_session(&mut self) {
        self.vol.session = None;
    }

    /// Whether the session is EV2 secure messaging.
    fn ev2(&self) -> bool {
        self.vol
            .session
            .as_ref()
            .is_some_and(|s| s.scheme() == AuthScheme::Ev2)
    }

    /// The protection of management commands and answers: MACed under EV2, plain (CMAC-chained under EV1)
    /// otherwise, as the host's command set sends them.
    fn mgmt(&self) -> CommMode {
        if self.ev2() {
            CommMode::Mac
        } else {
            CommMode::Plain
        }
    }

    /// Opens a command's data with the session: MAC check or deciphering, and in EV1 the IV update that
    /// even plain commands make (§5.3). Without a session only plain commands are accepted.
    fn open(
        &mut self,
        ins: u8,
        header: usize,
        data: &[u8],
        mode: CommMode,
    ) -> Result<Vec<u8>, Status> {
        self.open_len(ins, header, data, mode, None)
    }

    /// [`SimCard::open`] when the plain data length is known (see `Session::open_command_len`).
    fn open_len(
        &mut self,
        ins: u8,
        header: usize,
        data: &[u8],
        mode: CommMode,
        plain_len: Option<usize>,
    ) -> Result<Vec<u8>, Status> {
        match self.vol.session.as_mut() {
            Some(s) => s
                .open_command_len(ins, header, data, mode, plain_len)
                .map_err(|e| e.card_status()),
            None if mode == CommMode::Plain => Ok(data.to_vec()),
            None => Err(Status::AuthenticationError),
        }
    }

    /// Runs one complete native command and builds its first response frame.
    fn execute(&mut self, ins: u8, data: &[u8]) -> Vec<u8> {
        let result = match ins {
            ins::AUTHENTICATE_LEGACY
            | ins::AUTHENTICATE_ISO
            | ins::AUTHENTICATE_AES
            | ins::AUTHENTICATE_EV2_FIRST => return self.authenticate_start(ins, data),
            ins::WRITE_DATA => return self.write_data_start(data),
            _ => self.command(ins, data),
        };
        match result {
            Ok(reply) => self.respond(reply),
            Err(status) => self.fail(status),
        }
    }

    fn command(&mut self, ins: u8, data: &[u8]) -> CmdResult {
        match ins {
            ins::GET_VERSION => self.get_version(data),
            ins::GET_CARD_UID => self.get_card_uid(data),
            ins::SELECT_APPLICATION => self.select_application(data),
            ins::GET_APPLICATION_IDS => self.get_application_ids(data),
            ins::CREATE_APPLICATION => self.create_application(data),
            ins::DELETE_APPLICATION => self.delete_application(data),
            ins::FORMAT_PICC => self.format_picc(data),
            ins::FREE_MEMORY => self.get_free_memory(data),
            ins::SET_CONFIGURATION => self.set_configuration(data),
            ins::GET_KEY_SETTINGS => self.get_key_settings(data),
            ins::CHANGE_KEY_SETTINGS => self.change_key_settings(data),
            ins::GET_KEY_VERSION => self.get_key_version(data),
            ins::CHANGE_KEY => self.change_key(data),
            ins::CREATE_STD_DATA_FILE => self.create_std_data_file(data),
            ins::GET_FILE_IDS => self.get_file_ids(data),
            ins::GET_FILE_SETTINGS => self.get_file_settings(data),
            ins::CHANGE_FILE_SETTINGS => self.change_file_settings(data),
            ins::READ_DATA => self.read_data(data),
            _ => Err(Status::IllegalCommand),
        }
    }

    /// An error status: no data, and the authentication is lost.
    fn fail(&mut self, status: Status) -> Vec<u8> {
        self.drop_session();
        self.vol.pending = Pending::None;
        apdu::response_apdu(&[], status)
    }

    /// Seals a successful reply with the session (if any) and frames it.
    fn respond(&mut self, reply: Reply) -> Vec<u8> {
        let mode = if reply.mode == CommMode::Plain && !reply.raw {
            self.mgmt()
        } else {
            reply.mode
        };
        let body = match self.vol.session.as_mut() {
            Some(s) => match s.seal_response(Status::Ok, &reply.data, mode) {
                Ok(b) => b,
                Err(e) => return self.fail(e.card_status()),
            },
            None => reply.data,
        };
        let mut chunks: VecDeque<Vec<u8>> = VecDeque::new();
        let mut rest = body.as_slice();
        if let Some(sizes) = reply.frames {
            for &n in sizes.iter().take(sizes.len().saturating_sub(1)) {
                let (head, tail) = rest.split_at(n.min(rest.len()));
                chunks.push_back(head.to_vec());
                rest = tail;
            }
            chunks.push_back(rest.to_vec());
        } else {
            chunks.extend(rest.chunks(MAX_RESPONSE_FRAME).map(<[u8]>::to_vec));
        }
        if chunks.is_empty() {
            chunks.push_back(Vec::new());
        }
        let last = chunks.len() - 1;
        let mut frames: VecDeque<Vec<u8>> = chunks
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let st = if i == last {
                    Status::Ok
                } else {
                    Status::AdditionalFrame
                };
                apdu::response_apdu(&c, st)
            })
            .collect();
        let first = frames.pop_front().unwrap_or_default();
        if !frames.is_empty() {
            self.vol.pending = Pending::Frames(frames);
        }
        first
    }

    /// `90 AF …`: the next step of whatever exchange is under way.
    fn additional_frame(&mut self, data: &[u8]) -> Vec<u8> {
        match std::mem::replace(&mut self.vol.pending, Pending::None) {
            Pending::None => self.fail(Status::IllegalCommand),
            Pending::Frames(mut frames) => {
                let frame = frames.pop_front().unwrap_or_default();
                if !frames.is_empty() {
                    self.vol.pending = Pending::Frames(frames);
                }
                frame
            }
            Pending::Auth(auth) => self.authenticate_finish(auth, data),
            Pending::Command(mut asm) => {
                if let Err(e) = asm.push(data) {
                    return self.fail(e.card_status());
                }
                if !asm.is_complete() {
                    self.vol.pending = Pending::Command(asm);
                    return apdu::response_apdu(&[], Status::AdditionalFrame);
                }
                let ins = asm.ins();
                match asm.finish() {
                    Ok(full) => self.complete_long_command(ins, &full),
                    Err(e) => self.fail(e.card_status()),
                }
            }
        }
    }

    fn complete_long_command(&mut self, ins: u8, data: &[u8]) -> Vec<u8> {
        let result = match ins {
            ins::WRITE_DATA => self.write_data(data),
            _ => Err(Status::IllegalCommand),
        };
        match result {
            Ok(reply) => self.respond(reply),
            Err(status) => self.fail(status),
        }
    }

    fn native(&mut self, cmd: CommandApdu) -> Vec<u8> {
        if cmd.ins == ins::ADDITIONAL_FRAME {
            return self.additional_frame(&cmd.data);
        }
        if !matches!(self.vol.pending, Pending::None) {
            // §1.2 `CA`: a different command in the middle of an AF sequence.
            return self.fail(Status::CommandAborted);
        }
        self.execute(cmd.ins, &cmd.data)
    }
}

impl VirtualCard for SimCard {
    fn atr(&self) -> Vec<u8> {
        ATR.to_vec()
    }

    fn power_on(&mut self) {
        self.vol = Volatile::new();
        self.new_random_uid();
    }

    fn power_off(&mut self) {
        self.vol = Volatile::new();
    }

    fn process(&mut self, apdu_bytes: &[u8]) -> Vec<u8> {
        if apdu_bytes == GET_UID_APDU {
            let mut r = self.reader_uid();
            r.extend_from_slice(&[0x90, 0x00]);
            return r;
        }
        match apdu::parse_command(apdu_bytes) {
            Ok(cmd) if cmd.is_native() => self.native(cmd),
            // Native CLA with other P1/P2: a parameter error; the card understands nothing else (ISO
            // "class not supported").
            Ok(cmd) if cmd.cla == apdu::CLA_NATIVE => self.fail(Status::ParameterError),
            Ok(_) => vec![0x6E, 0x00],
            Err(_) if apdu_bytes.first() == Some(&apdu::CLA_NATIVE) => {
                self.fail(Status::LengthError)
            }
            Err(_) => vec![0x67, 0x00],
        }
    }
}

#[cfg(test)]
#[path = "sim_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "host_tests.rs"]
mod host_tests;

#[cfg(test)]
#[path = "error_tests.rs"]
mod error_tests;
