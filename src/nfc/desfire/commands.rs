//! The DESFire host command set (desfire.md §1.3, §3, §4): [`Desfire`] is a handle over a
//! [`CardTransport`] that holds the current authenticated [`Session`] and turns typed calls into APDUs.
//!
//! Session rules (§5.3, §6): once authenticated every command goes through the session, even "plain" ones,
//! because EV1 chains its IV over each message; the session ends (and is dropped here) on SelectApplication,
//! on any error (the card forgets its side after an error status), and after ChangeKey of the key that
//! authenticated. Management commands (create, delete, get settings…) are plain under EV1 and MACed under
//! EV2 secure messaging; commands carrying keys or settings (ChangeKey, ChangeKeySettings,
//! SetConfiguration, GetCardUID's answer) are enciphered. Without a session only plain commands can be
//! sent; asking for a MACed or enciphered one fails before anything is sent.
//!
//! The handle counts the APDUs it exchanges ([`Desfire::apdu_count`]) for the write benchmark.

use super::DesfireError;
use super::auth::{self, AuthCommand};
use super::crypto::{Key, KeyType};
use super::random::{OsRandom, Random};
use super::session::{
    AuthScheme, CONFIG_DISABLE_FORMAT, CONFIG_RANDOM_UID, CommMode, KeyChange, SecureCommand,
    Session,
};
use crate::nfc::apdu::{self, ins};
use crate::nfc::transport::{CardTransport, TransportError};

#[path = "commands_types.rs"]
mod types;
pub use types::*;

/// The error for a MACed or enciphered command asked for without authentication.
const NEEDS_SESSION: DesfireError = DesfireError::NotAuthenticated;

/// Passes APDUs on and counts them.
struct Counting<'t> {
    inner: &'t mut dyn CardTransport,
    apdus: u64,
}

impl CardTransport for Counting<'_> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.apdus += 1;
        self.inner.transmit(apdu)
    }
}

/// The parameters of CreateApplication (§3.1 step 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub aid: Aid,
    pub settings: KeySettings,
    /// Count and type of the keys; `iso_file_ids` is set automatically when `iso` is given.
    pub keys: KeyCount,
    /// ISO DF id and DF name (0 to 16 bytes) for an ISO application.
    pub iso: Option<(u16, Vec<u8>)>,
}

/// The parameters of CreateStdDataFile (§3.1 step 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewDataFile {
    pub file_no: u8,
    /// ISO file id, for files of an ISO application.
    pub iso_fid: Option<u16>,
    pub comm_mode: CommMode,
    pub access: AccessRights,
    pub size: u32,
}

/// SetConfiguration option `00` (§5.7). Both flags are permanent on real cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PiccConfiguration {
    pub disable_format: bool,
    pub random_uid: bool,
}

/// A DESFire card reached through a transport, with the current session.
pub struct Desfire<'t> {
    transport: Counting<'t>,
    session: Option<Session>,
    selected: Option<Aid>,
    rng: Box<dyn Random>,
    prefer_ev2: bool,
}

impl std::fmt::Debug for Desfire<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desfire")
            .field("session", &self.session)
            .field("selected", &self.selected)
            .field("apdus", &self.transport.apdus)
            .finish_non_exhaustive()
    }
}

impl<'t> Desfire<'t> {
    /// A handle using the operating system's random numbers.
    pub fn new(transport: &'t mut dyn CardTransport) -> Desfire<'t> {
        Desfire::with_random(transport, Box::new(OsRandom))
    }

    /// A handle with a given random source (seeded or scripted in tests and the simulator).
    pub fn with_random(transport: &'t mut dyn CardTransport, rng: Box<dyn Random>) -> Desfire<'t> {
        Desfire {
            transport: Counting {
                inner: transport,
                apdus: 0,
            },
            session: None,
            selected: None,
            rng,
            prefer_ev2: false,
        }
    }

    /// Authenticate AES keys with EV2First (`71`) instead of EV1 (`AA`); only EV2 cards and later accept it.
    pub fn set_prefer_ev2(&mut self, prefer: bool) {
        self.prefer_ev2 = prefer;
    }

    /// APDUs exchanged so far, continuation frames included.
    pub fn apdu_count(&self) -> u64 {
        self.transport.apdus
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The application last selected by this handle (`None` before any SelectApplication).
    pub fn selected(&self) -> Option<Aid> {
        self.selected
    }

    /// Forgets the session, as the card does after an error.
    pub fn drop_session(&mut self) {
        self.session = None;
    }

    #[cfg(test)]
    pub(crate) fn set_session(&mut self, session: Session) {
        self.session = Some(session);
    }

    /// Authenticates with `key` as key `key_no` of the selected application: `0A` for DES and 2K3DES, `1A`
    /// for 3K3DES, `AA` for AES (ESUP's choice, §3.1 step 1), or `71` for AES when EV2 is preferred.
    pub fn authenticate(&mut self, key_no: u8, key: &Key) -> Result<(), DesfireError> {
        self.session = None;
        let command = match key.kind() {
            KeyType::Aes128 if self.prefer_ev2 => AuthCommand::Ev2First,
            kind => AuthCommand::for_key(kind),
        };
        let session =
            auth::authenticate(&mut self.transport, command, key_no, key, self.rng.as_mut())?;
        self.session = Some(session);
        Ok(())
    }

    /// The mode of management commands: MACed under EV2, plain (CMAC-chained) otherwise.
    fn management_mode(&self) -> CommMode {
        match self.session.as_ref().map(Session::scheme) {
            Some(AuthScheme::Ev2) => CommMode::Mac,
            _ => CommMode::Plain,
        }
    }

    /// The protection of the part of a data command that does not carry the file's data (WriteData's answer,
    /// ReadData's command): under EV2 it is MACed unless the file is plain; under EV1 it is plain
    /// (CMAC-chained), and legacy sessions add nothing.
    fn data_companion_mode(&self, file_mode: CommMode) -> CommMode {
        match self.session.as_ref().map(Session::scheme) {
            Some(AuthScheme::Ev2) if file_mode != CommMode::Plain => CommMode::Mac,
            _ => CommMode::Plain,
        }
    }

    /// Sends one command through the session if there is one, in plain otherwise. Any error drops the
    /// session.
    fn command(&mut self, cmd: &SecureCommand) -> Result<Vec<u8>, DesfireError> {
        let result = match self.session.as_mut() {
            Some(session) => session.exchange(&mut self.transport, cmd),
            None if cmd.command_mode == CommMode::Plain && cmd.response_mode == CommMode::Plain => {
                let data = [cmd.header, cmd.data].concat();
                apdu::transceive(&mut self.transport, cmd.ins, &data).and_then(apdu::Response::ok)
            }
            None => Err(NEEDS_SESSION),
        };
        if result.is_err() {
            self.session = None;
        }
        result
    }

    /// A management command: header and data in the management mode, answer likewise.
    fn manage(&mut self, ins: u8, header: &[u8], data: &[u8]) -> Result<Vec<u8>, DesfireError> {
        let mode = self.management_mode();
        self.command(&SecureCommand {
            ins,
            header,
            data,
            command_mode: mode,
            response_mode: mode,
            response_len: None,
        })
    }

    /// An enciphered command whose answer carries no data (MACed under EV2, CMAC-chained under EV1).
    fn send_enciphered(&mut self, ins: u8, header: &[u8], data: &[u8]) -> Result<(), DesfireError> {
        if self.session.is_none() {
            return Err(NEEDS_SESSION);
        }
        let response_mode = self.management_mode();
        self.command(&SecureCommand {
            ins,
            header,
            data,
            command_mode: CommMode::Full,
            response_mode,
            response_len: None,
        })
        .map(drop)
    }

    /// GetVersion (`60`, three frames), parsed (§4).
    pub fn get_version(&mut self) -> Result<Version, DesfireError> {
        let data = self.manage(ins::GET_VERSION, &[], &[])?;
        Version::decode(&data)
    }

    /// GetCardUID (`51`): the real UID, also on random-UID cards (§8). Needs authentication; the answer is
    /// enciphered.
    pub fn get_card_uid(&mut self) -> Result<Vec<u8>, DesfireError> {
        if self.session.is_none() {
            return Err(NEEDS_SESSION);
        }
        let mode = self.management_mode();
        let uid = self.command(&SecureCommand {
            ins: ins::GET_CARD_UID,
            header: &[],
            data: &[],
            command_mode: mode,
            response_mode: CommMode::Full,
            response_len: None,
        })?;
        match uid.len() {
            4 | 7 | 10 => Ok(uid),
            _ => Err(DesfireError::Malformed("card UID length")),
        }
    }

    /// SelectApplication (`5A`); ends any session.
    pub fn select_application(&mut self, aid: Aid) -> Result<(), DesfireError> {
        self.session = None;
        self.selected = None;
        apdu::transceive(&mut self.transport, ins::SELECT_APPLICATION, &aid.wire())?.ok()?;
        self.selected = Some(aid);
        Ok(())
    }

    /// GetApplicationIDs (`6A`), answers over several frames included.
    pub fn get_application_ids(&mut self) -> Result<Vec<Aid>, DesfireError> {
        let data = self.manage(ins::GET_APPLICATION_IDS, &[], &[])?;
        if !data.len().is_multiple_of(3) {
            return Err(DesfireError::Malformed(
                "application ids not a multiple of 3 bytes",
            ));
        }
        Ok(data
            .chunks_exact(3)
            .map(|c| Aid::from_wire([c[0], c[1], c[2]]))
            .collect())
    }

    /// CreateApplication (`CA`): `AID ‖ amks ‖ nok [‖ ISO DF id LSB-first ‖ DF name]` (§3.1 step 2).
    pub fn create_application(&mut self, app: &NewApplication) -> Result<(), DesfireError> {
        let mut keys = app.keys;
        keys.iso_file_ids |= app.iso.is_some();
        let mut data = app.aid.wire().to_vec();
        data.extend_from_slice(&[app.settings.encode(), keys.encode()]);
        if let Some((fid, name)) = &app.iso {
            if name.len() > 16 {
                return Err(DesfireError::TooLong(name.len()));
            }
            data.extend_from_slice(&fid.to_le_bytes());
            data.extend_from_slice(name);
        }
        self.manage(ins::CREATE_APPLICATION, &[], &data).map(drop)
    }

    /// DeleteApplication (`DA`).
    pub fn delete_application(&mut self, aid: Aid) -> Result<(), DesfireError> {
        self.manage(ins::DELETE_APPLICATION, &[], &aid.wire())
            .map(drop)
    }

    /// FormatPICC (`FC`): deletes every application. Needs the PICC master key.
    pub fn format_picc(&mut self) -> Result<(), DesfireError> {
        self.manage(ins::FORMAT_PICC, &[], &[]).map(drop)
    }

    /// GetKeySettings (`45`): the settings and the key count and type of the selected application.
    pub fn get_key_settings(&mut self) -> Result<(KeySettings, KeyCount), DesfireError> {
        match self.manage(ins::GET_KEY_SETTINGS, &[], &[])?.as_slice() {
            [settings, nok] => Ok((KeySettings::decode(*settings), KeyCount::decode(*nok)?)),
            _ => Err(DesfireError::Malformed("key settings are 2 bytes")),
        }
    }

    /// ChangeKeySettings (`54`), enciphered; needs the master key session.
    pub fn change_key_settings(&mut self, settings: KeySettings) -> Result<(), DesfireError> {
        self.send_enciphered(ins::CHANGE_KEY_SETTINGS, &[], &[settings.encode()])
    }

    /// GetKeyVersion (`64`).
    pub fn get_key_version(&mut self, key_no: u8) -> Result<u8, DesfireError> {
        let data = self.manage(ins::GET_KEY_VERSION, &[key_no], &[])?;
        match data.as_slice() {
            [v] => Ok(*v),
            _ => Err(DesfireError::Malformed("key version is 1 byte")),
        }
    }

    /// ChangeKey (`C4`, §5.6). When `key_no` is the key that authenticated, the new key is sent as is and
    /// the session ends (authenticate again); otherwise `old` (default: the all-zero key of the new key's
    /// type, as on a fresh application) is XORed in. On the PICC master key (PICC selected, key 0) the new
    /// key's type bits are ORed into the key number (§3.1 step 9).
    pub fn change_key(
        &mut self,
        key_no: u8,
        new: &Key,
        old: Option<&Key>,
    ) -> Result<(), DesfireError> {
        let Some(session) = self.session.as_mut() else {
            return Err(NEEDS_SESSION);
        };
        let same = session.key_no() == key_no;
        let wire_no = if self.selected == Some(Aid::PICC) && key_no == 0 {
            key_no | new.kind().type_bits()
        } else {
            key_no
        };
        let zero = Key::zero(new.kind());
        let change = if same {
            KeyChange::AuthenticatedKey
        } else {
            KeyChange::OtherKey {
                old: old.unwrap_or(&zero),
            }
        };
        let result = session
            .change_key_data(wire_no, new, change)
            .and_then(|data| apdu::transceive(&mut self.transport, ins::CHANGE_KEY, &data));
        let ev2 = session.scheme() == AuthScheme::Ev2;
        let result = match result {
            Ok(r) if same => {
                // The card ends the session: the answer carries no MAC (§5.6).
                self.session = None;
                r.ok().map(drop)
            }
            Ok(r) => {
                let mode = if ev2 { CommMode::Mac } else { CommMode::Plain };
                session
                    .open_response(r.status, &r.data, mode, None)
                    .map(drop)
            }
            Err(e) => Err(e),
        };
        if result.is_err() {
            self.session = None;
        }
        result
    }

    /// SetConfiguration option `00` (§5.7), enciphered, PICC master key session. Permanent on real cards.
    pub fn set_configuration(&mut self, config: PiccConfiguration) -> Result<(), DesfireError> {
        let flags = if config.disable_format {
            CONFIG_DISABLE_FORMAT
        } else {
            0
        } | if config.random_uid {
            CONFIG_RANDOM_UID
        } else {
            0
        };
        self.send_enciphered(ins::SET_CONFIGURATION, &[0x00], &[flags])
    }

    /// CreateStdDataFile (`CD`): `fileNo [‖ ISO id] ‖ comm ‖ AR(2) ‖ size(3)` (§3.1 step 5).
    pub fn create_std_data_file(&mut self, file: &NewDataFile) -> Result<(), DesfireError> {
        let size = u24_bytes(file.size).ok_or(DesfireError::TooLong(file.size as usize))?;
        let mut data = vec![file.file_no];
        if let Some(fid) = file.iso_fid {
            data.extend_from_slice(&fid.to_le_bytes());
        }
        data.push(file.comm_mode.byte());
        data.extend_from_slice(&file.access.wire());
        data.extend_from_slice(&size);
        self.manage(ins::CREATE_STD_DATA_FILE, &[], &data).map(drop)
    }

    /// GetFileIDs (`6F`).
    pub fn get_file_ids(&mut self) -> Result<Vec<u8>, DesfireError> {
        self.manage(ins::GET_FILE_IDS, &[], &[])
    }

    /// GetFileSettings (`F5`), parsed.
    pub fn get_file_settings(&mut self, file_no: u8) -> Result<FileSettings, DesfireError> {
        let data = self.manage(ins::GET_FILE_SETTINGS, &[file_no], &[])?;
        FileSettings::decode(&data)
    }

    /// ChangeFileSettings (`5F`): `fileNo ‖ comm ‖ AR(2)`. `sent` is [`CommMode::Plain`] while the file's
    /// change right is free (ESUP's trick, §3.1 step 7), [`CommMode::Full`] when it needs a key.
    pub fn change_file_settings(
        &mut self,
        file_no: u8,
        comm_mode: CommMode,
        access: AccessRights,
        sent: CommMode,
    ) -> Result<(), DesfireError> {
        let [a0, a1] = access.wire();
        let data = [comm_mode.byte(), a0, a1];
        match sent {
            CommMode::Full => self.send_enciphered(ins::CHANGE_FILE_SETTINGS, &[file_no], &data),
            _ => self
                .manage(ins::CHANGE_FILE_SETTINGS, &[file_no], &data)
                .map(drop),
        }
    }

    /// The `fileNo ‖ offset(3) ‖ length(3)` header of ReadData and WriteData.
    fn data_header(file_no: u8, offset: u32, len: u32) -> Result<Vec<u8>, DesfireError> {
        let too_long = DesfireError::TooLong(offset.max(len) as usize);
        let mut h = vec![file_no];
        h.extend_from_slice(&u24_bytes(offset).ok_or(too_long.clone())?);
        h.extend_from_slice(&u24_bytes(len).ok_or(too_long)?);
        Ok(h)
    }

    /// WriteData (`3D`) in the file's communication mode; long data goes in `AF` frames (§3.1 step 6).
    pub fn write_data(
        &mut self,
        file_no: u8,
        offset: u32,
        data: &[u8],
        mode: CommMode,
    ) -> Result<(), DesfireError> {
        let len = u32::try_from(data.len()).map_err(|_| DesfireError::TooLong(data.len()))?;
        let header = Self::data_header(file_no, offset, len)?;
        let response_mode = self.data_companion_mode(mode);
        self.command(&SecureCommand {
            ins: ins::WRITE_DATA,
            header: &header,
            data,
            command_mode: mode,
            response_mode,
            response_len: None,
        })
        .map(drop)
    }

    /// ReadData (`BD`) in the file's communication mode; `length` 0 reads to the end of the file.
    pub fn read_data(
        &mut self,
        file_no: u8,
        offset: u32,
        length: u32,
        mode: CommMode,
    ) -> Result<Vec<u8>, DesfireError> {
        let header = Self::data_header(file_no, offset, length)?;
        let command_mode = self.data_companion_mode(mode);
        let data = self.command(&SecureCommand {
            ins: ins::READ_DATA,
            header: &header,
            data: &[],
            command_mode,
            response_mode: mode,
            response_len: (length > 0).then_some(length as usize),
        })?;
        if length > 0 && data.len() != length as usize {
            return Err(DesfireError::Malformed("ReadData answer length"));
        }
        Ok(data)
    }

    /// FreeMemory (`6E`): free bytes on the card.
    pub fn get_free_memory(&mut self) -> Result<u32, DesfireError> {
        let data = self.manage(ins::FREE_MEMORY, &[], &[])?;
        u24(&data).ok_or(DesfireError::Malformed("free memory is 3 bytes"))
    }
}

#[cfg(test)]
#[path = "commands_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "commands_key_tests.rs"]
mod key_tests;
