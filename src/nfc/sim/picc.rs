//! Card-level commands (desfire.md §1.3 "PICC level", §3.1, §4, §5.7, §8): GetVersion, GetCardUID,
//! SelectApplication, GetApplicationIDs, CreateApplication, DeleteApplication, FormatPICC, GetFreeMemory,
//! SetConfiguration.

use std::collections::BTreeMap;

use super::model::{
    self, Application, MAX_APPLICATIONS, MAX_KEYS, NOK_ISO, application_blocks, key_type_from_nok,
};
use super::{CmdResult, Reply, SimCard};
use crate::nfc::apdu::{Status, ins};
use crate::nfc::desfire::crypto::Key;
use crate::nfc::desfire::session::{CONFIG_DISABLE_FORMAT, CONFIG_RANDOM_UID, CommMode};

/// GetVersion frames: hardware (7), software (7), UID ‖ batch ‖ week ‖ year (14) (§4).
const VERSION_FRAMES: &[usize] = &[7, 7, 14];
/// Hardware: NXP, DESFire, subtype 1, version 18.0 (EV2), 8 KB (`1A` = 2^13), ISO 14443-3 and -4.
const HARDWARE: [u8; 7] = [0x04, 0x01, 0x01, 0x12, 0x00, 0x1A, 0x05];
/// Software: same layout, version 2.1.
const SOFTWARE: [u8; 7] = [0x04, 0x01, 0x01, 0x02, 0x01, 0x1A, 0x05];
/// A fixed batch number and production week/year (2024 week 12).
const BATCH_AND_DATE: [u8; 7] = [0xBA, 0x7C, 0x00, 0x00, 0x01, 0x12, 0x24];

impl SimCard {
    pub(super) fn at_picc(&self) -> bool {
        self.vol.selected.is_none()
    }

    /// Whether the session was opened with key `key_no` at the current level (a selection ends sessions,
    /// so the session is always of the selected level).
    pub(super) fn authenticated_with(&self, key_no: u8) -> bool {
        self.vol
            .session
            .as_ref()
            .is_some_and(|s| s.key_no() & 0x0F == key_no)
    }

    /// Requires the PICC master key unless `free` (the PICC key settings allow it).
    fn picc_master_or(&self, free: bool) -> Result<(), Status> {
        if free || self.authenticated_with(0) {
            Ok(())
        } else {
            Err(Status::AuthenticationError)
        }
    }

    fn require_picc(&self) -> Result<(), Status> {
        if self.at_picc() {
            Ok(())
        } else {
            Err(Status::PermissionDenied)
        }
    }

    pub(super) fn get_version(&mut self, data: &[u8]) -> CmdResult {
        let data = self.open(ins::GET_VERSION, 0, data, self.mgmt())?;
        if !data.is_empty() {
            return Err(Status::LengthError);
        }
        let mut out = HARDWARE.to_vec();
        out.extend_from_slice(&SOFTWARE);
        // A random-UID card does not give its UID away unauthenticated: zeros (§8 leaves this unconfirmed;
        // the host must use GetCardUID anyway).
        if self.state.random_uid {
            out.extend_from_slice(&[0; 7]);
        } else {
            out.extend_from_slice(&self.state.uid);
        }
        out.extend_from_slice(&BATCH_AND_DATE);
        Ok(Reply {
            data: out,
            mode: CommMode::Plain,
            frames: Some(VERSION_FRAMES),
            raw: false,
        })
    }

    /// GetCardUID (`51`): after any authentication, the real UID, enciphered (§8).
    pub(super) fn get_card_uid(&mut self, data: &[u8]) -> CmdResult {
        if self.vol.session.is_none() {
            return Err(Status::AuthenticationError);
        }
        let data = self.open(ins::GET_CARD_UID, 0, data, self.mgmt())?;
        if !data.is_empty() {
            return Err(Status::LengthError);
        }
        Ok(Reply {
            data: self.state.uid.to_vec(),
            mode: CommMode::Full,
            frames: None,
            raw: false,
        })
    }

    pub(super) fn select_application(&mut self, data: &[u8]) -> CmdResult {
        // Selecting ends the authentication whatever the outcome; the answer is plain.
        self.drop_session();
        let aid: [u8; 3] = data.try_into().map_err(|_| Status::LengthError)?;
        if aid == [0; 3] {
            self.vol.selected = None;
        } else if self.state.apps.contains_key(&aid) {
            self.vol.selected = Some(aid);
        } else {
            return Err(Status::ApplicationNotFound);
        }
        Ok(Reply::empty())
    }

    pub(super) fn get_application_ids(&mut self, data: &[u8]) -> CmdResult {
        let data = self.open(ins::GET_APPLICATION_IDS, 0, data, self.mgmt())?;
        self.require_picc()?;
        if !data.is_empty() {
            return Err(Status::LengthError);
        }
        self.picc_master_or(self.state.picc_settings & 0x02 != 0)?;
        Ok(Reply::plain(
            self.state.apps.keys().flatten().copied().collect(),
        ))
    }

    /// CreateApplication (`CA`): `AID(3) amks nok [isoFid(2) [dfName ≤ 16]]` (§3.1 step 2).
    pub(super) fn create_application(&mut self, data: &[u8]) -> CmdResult {
        let data = self.open(ins::CREATE_APPLICATION, 0, data, self.mgmt())?;
        self.require_picc()?;
        let ([a0, a1, a2, amks, nok], iso) = match data.split_first_chunk::<5>() {
            Some((head, rest)) if rest.is_empty() || (2..=18).contains(&rest.len()) => {
                (*head, rest)
            }
            _ => return Err(Status::LengthError),
        };
        self.picc_master_or(self.state.picc_settings & 0x04 != 0)?;
        let aid = [a0, a1, a2];
        let key_count = nok & 0x0F;
        let kind = key_type_from_nok(nok).ok_or(Status::ParameterError)?;
        if aid == [0; 3] || key_count == 0 || key_count > MAX_KEYS {
            return Err(Status::ParameterError);
        }
        let (iso_fid, df_name) = match iso {
            [] => (None, Vec::new()),
            [f0, f1, name @ ..] if nok & NOK_ISO != 0 => (Some([*f0, *f1]), name.to_vec()),
            _ => return Err(Status::ParameterError),
        };
        if self.state.apps.contains_key(&aid)
            || iso_fid.is_some_and(|f| self.state.apps.values().any(|a| a.iso_fid == Some(f)))
        {
            return Err(Status::Duplicate);
        }
        if self.state.apps.len() >= MAX_APPLICATIONS {
            return Err(Status::CountError);
        }
        if !self.state.fits(application_blocks(usize::from(key_count))) {
            return Err(Status::OutOfEeprom);
        }
        let app = Application {
            aid,
            settings: amks,
            nok,
            keys: (0..key_count).map(|_| Key::zero(kind)).collect(),
            iso_fid,
            df_name,
            files: BTreeMap::new(),
        };
        self.state.apps.insert(aid, app);
        Ok(Reply::empty())
    }

    /// DeleteApplication (`DA`): with the PICC master key, or with the application's master key while it is
    /// selected.
    pub(super) fn delete_application(&mut self, data: &[u8]) -> CmdResult {
        let data = self.open(ins::DELETE_APPLICATION, 0, data, self.mgmt())?;
        let aid: [u8; 3] = data
            .as_slice()
            .try_into()
            .map_err(|_| Status::LengthError)?;
        if aid == [0; 3] {
            return Err(Status::ParameterError);
        }
        if !self.state.apps.contains_key(&aid) {
            return Err(Status::ApplicationNotFound);
        }
        let own_master = self.vol.selected == Some(aid) && self.authenticated_with(0);
        let picc_master = self.at_picc() && self.authenticated_with(0);
        if !picc_master && !own_master {
            return Err(Status::AuthenticationError);
        }
        self.state.apps.remove(&aid);
        if own_master {
            // The selected application is gone: back at card level, without a session.
            self.vol.selected = None;
            self.drop_session();
        }
        Ok(Reply::empty())
    }

    /// FormatPICC (`FC`): removes every application; needs the PICC master key and not disabled (§5.7).
    pub(super) fn format_picc(&mut self, data: &[u8]) -> CmdResult {
        let data = self.open(ins::FORMAT_PICC, 0, data, self.mgmt())?;
        self.require_picc()?;
        if !data.is_empty() {
            return Err(Status::LengthError);
        }
        self.picc_master_or(false)?;
        if self.state.format_disabled {
            return Err(Status::PermissionDenied);
        }
        self.state.apps.clear();
        Ok(Reply::empty())
    }

    /// GetFreeMemory (`6E`): 3 bytes LSB first.
    pub(super) fn get_free_memory(&mut self, data: &[u8]) -> CmdResult {
        let data = self.open(ins::FREE_MEMORY, 0, data, self.mgmt())?;
        if !data.is_empty() {
            return Err(Status::LengthError);
        }
        Ok(Reply::plain(model::u24(self.state.free()).to_vec()))
    }

    /// SetConfiguration (`5C`) option `00`: flags enciphered (§5.7); both flags are one-way.
    pub(super) fn set_configuration(&mut self, data: &[u8]) -> CmdResult {
        self.require_picc()?;
        if !self.authenticated_with(0) {
            return Err(Status::AuthenticationError);
        }
        if data.first() != Some(&0x00) {
            return Err(Status::ParameterError);
        }
        let plain = self.open_len(ins::SET_CONFIGURATION, 1, data, CommMode::Full, Some(1))?;
        let [_, flags] = plain.as_slice() else {
            return Err(Status::LengthError);
        };
        if flags & !(CONFIG_DISABLE_FORMAT | CONFIG_RANDOM_UID) != 0 {
            return Err(Status::ParameterError);
        }
        self.state.format_disabled |= flags & CONFIG_DISABLE_FORMAT != 0;
        self.state.random_uid |= flags & CONFIG_RANDOM_UID != 0;
        Ok(Reply::empty())
    }
}
