//! Authentication and key management on the card side (desfire.md §2.2 amks, §5.1–§5.2, §5.6, §6):
//! the four authentications through [`CardAuth`], GetKeySettings, ChangeKeySettings, GetKeyVersion and
//! ChangeKey (same key and other key, session ended when the authenticated key changes).

use super::{CmdResult, Pending, Reply, SimCard};
use crate::nfc::apdu::{self, Status, ins};
use crate::nfc::desfire::auth::{AuthCommand, CardAuth};
use crate::nfc::desfire::crypto::{Key, KeyType};
use crate::nfc::desfire::session::{CommMode, KeyChange};

/// amks bit 0: the master key may be changed.
const MASTER_CHANGEABLE: u8 = 0x01;
/// amks bit 1: directory listing without the master key.
pub(super) const FREE_LISTING: u8 = 0x02;
/// amks bit 2: create/delete files without the master key.
pub(super) const FREE_CREATE: u8 = 0x04;
/// amks bit 3: the key settings may be changed.
const CONFIG_CHANGEABLE: u8 = 0x08;

impl SimCard {
    /// The key settings byte of the current level.
    pub(super) fn level_settings(&self) -> u8 {
        match self.vol.selected.and_then(|aid| self.state.apps.get(&aid)) {
            Some(app) => app.settings,
            None => self.state.picc_settings,
        }
    }

    /// The key `key_no` of the current level; `40` (no such key) otherwise.
    fn level_key(&self, key_no: u8) -> Result<&Key, Status> {
        match self.vol.selected {
            None if key_no == 0 => Ok(&self.state.picc_key),
            None => Err(Status::NoSuchKey),
            Some(aid) => self
                .state
                .apps
                .get(&aid)
                .and_then(|a| a.keys.get(usize::from(key_no)))
                .ok_or(Status::NoSuchKey),
        }
    }

    /// Requires the master key of the current level unless `free`.
    pub(super) fn master_or(&self, free: bool) -> Result<(), Status> {
        if free || self.authenticated_with(0) {
            Ok(())
        } else {
            Err(Status::AuthenticationError)
        }
    }

    /// First step of `0A`/`1A`/`AA`/`71`: the challenge with `91 AF`. A new authentication ends the old
    /// session first, whatever its outcome.
    pub(super) fn authenticate_start(&mut self, code: u8, data: &[u8]) -> Vec<u8> {
        self.drop_session();
        let Some(command) = AuthCommand::from_ins(code) else {
            return self.fail(Status::IllegalCommand);
        };
        let key_no = match CardAuth::requested_key(command, data) {
            Ok(k) => k,
            Err(e) => return self.fail(e.card_status()),
        };
        let key = match self.level_key(key_no) {
            Ok(k) => k.clone(),
            Err(s) => return self.fail(s),
        };
        match CardAuth::start(command, key_no, &key, self.rng.as_mut()) {
            Ok((auth, challenge)) => {
                self.vol.pending = Pending::Auth(auth);
                apdu::response_apdu(&challenge, Status::AdditionalFrame)
            }
            Err(e) => self.fail(e.card_status()),
        }
    }

    /// Second step: checks the host's answer, opens the session and proves the card's knowledge of the key.
    pub(super) fn authenticate_finish(&mut self, auth: CardAuth, answer: &[u8]) -> Vec<u8> {
        match auth.finish(answer, self.rng.as_mut()) {
            Ok((session, proof)) => {
                self.vol.session = Some(session);
                apdu::response_apdu(&proof, Status::Ok)
            }
            Err(e) => self.fail(e.card_status()),
        }
    }

    /// GetKeySettings (`45`): `amks ‖ nok` (the PICC answers `settings ‖ 01|type bits`).
    pub(super) fn get_key_settings(&mut self, data: &[u8]) -> CmdResult {
        let data = self.open(ins::GET_KEY_SETTINGS, 0, data, self.mgmt())?;
        if !data.is_empty() {
            return Err(Status::LengthError);
        }
        self.master_or(self.level_settings() & FREE_LISTING != 0)?;
        let nok = match self.vol.selected.and_then(|aid| self.state.apps.get(&aid)) {
            Some(app) => app.nok,
            None => 0x01 | self.state.picc_key.kind().type_bits(),
        };
        Ok(Reply::plain(vec![self.level_settings(), nok]))
    }

    /// ChangeKeySettings (`54`): the new amks byte, enciphered; master key and amks bit 3 required.
    pub(super) fn change_key_settings(&mut self, data: &[u8]) -> CmdResult {
        if !self.authenticated_with(0) {
            return Err(Status::AuthenticationError);
        }
        let plain = self.open_len(ins::CHANGE_KEY_SETTINGS, 0, data, CommMode::Full, Some(1))?;
        let [settings] = plain.as_slice() else {
            return Err(Status::LengthError);
        };
        if self.level_settings() & CONFIG_CHANGEABLE == 0 {
            return Err(Status::PermissionDenied);
        }
        match self
            .vol
            .selected
            .and_then(|aid| self.state.apps.get_mut(&aid))
        {
            Some(app) => app.settings = *settings,
            None => self.state.picc_settings = *settings,
        }
        Ok(Reply::empty())
    }

    /// GetKeyVersion (`64`): the version of key `keyNo` of the current level.
    pub(super) fn get_key_version(&mut self, data: &[u8]) -> CmdResult {
        let data = self.open(ins::GET_KEY_VERSION, 0, data, self.mgmt())?;
        let [key_no] = data.as_slice() else {
            return Err(Status::LengthError);
        };
        let key_no = if self.at_picc() {
            key_no & 0x0F
        } else {
            *key_no
        };
        let version = self.level_key(key_no)?.version();
        Ok(Reply::plain(vec![version]))
    }

    /// ChangeKey (`C4`, §5.6). Who may change which key comes from amks: bit 0 for the master key, the high
    /// nibble for the others (`0` master key, `1`–`D` that key, `E` the key itself, `F` frozen).
    pub(super) fn change_key(&mut self, data: &[u8]) -> CmdResult {
        let Some(session) = self.vol.session.as_ref() else {
            return Err(Status::AuthenticationError);
        };
        let auth_key = session.key_no() & 0x0F;
        let key_byte = *data.first().ok_or(Status::LengthError)?;
        let picc = self.at_picc();
        let (key_no, new_type) = if picc {
            let kind = match key_byte & 0xC0 {
                0x00 => KeyType::Des,
                0x40 => KeyType::ThreeKey3Des,
                0x80 => KeyType::Aes128,
                _ => return Err(Status::ParameterError),
            };
            (key_byte & 0x3F, kind)
        } else {
            let kind = self
                .vol
                .selected
                .and_then(|aid| self.state.apps.get(&aid))
                .and_then(|a| a.key_type())
                .ok_or(Status::ApplicationNotFound)?;
            (key_byte, kind)
        };
        let old = self.level_key(key_no)?.clone();
        let settings = self.level_settings();
        let allowed = if key_no == 0 {
            auth_key == 0 && settings & MASTER_CHANGEABLE != 0
        } else {
            match settings >> 4 {
                0xF => return Err(Status::PermissionDenied),
                0xE => auth_key == key_no,
                k => auth_key == k,
            }
        };
        if !allowed {
            return Err(if key_no == 0 && auth_key == 0 {
                Status::PermissionDenied
            } else {
                Status::AuthenticationError
            });
        }
        let same = key_no == auth_key;
        let change = if same {
            KeyChange::AuthenticatedKey
        } else {
            KeyChange::OtherKey { old: &old }
        };
        let session = self
            .vol
            .session
            .as_mut()
            .ok_or(Status::AuthenticationError)?;
        let (_, new_key) = session
            .open_change_key(data, new_type, change)
            .map_err(|e| e.card_status())?;
        match self
            .vol
            .selected
            .and_then(|aid| self.state.apps.get_mut(&aid))
        {
            Some(app) => {
                if let Some(slot) = app.keys.get_mut(usize::from(key_no)) {
                    *slot = new_key;
                }
            }
            None => self.state.picc_key = new_key,
        }
        if same {
            // The key behind the session changed: the card ends it and answers without a MAC (§5.6,
            // `KeyChange::AuthenticatedKey`).
            self.drop_session();
        }
        Ok(Reply::empty())
    }
}
