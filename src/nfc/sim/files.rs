//! Standard data files (desfire.md §2.1, §2.2, §3.1 steps 5–7, §4): CreateStdDataFile, GetFileIDs,
//! GetFileSettings, ChangeFileSettings, ReadData and WriteData.
//!
//! Access: a right names a key (`0`–`D`), `E` (free) or `F` (never). Authenticated with a key the right
//! names, the exchange uses the file's communication mode; a free right is used in plain; otherwise the
//! card refuses with `9D` (desfire.md §16: "write refused after locking (`9D`)").

use super::keys::{FREE_CREATE, FREE_LISTING};
use super::model::{
    AccessRights, DataFile, FREE, MAX_FILE_NO, NEVER, NOK_ISO, file_blocks, read_u24,
};
use super::{CmdResult, Pending, Reply, SimCard};
use crate::nfc::apdu::{self, CommandAssembler, Status, ins};
use crate::nfc::desfire::session::{AuthScheme, CommMode};

/// The 7-byte header of ReadData and WriteData: `fileNo offset(3) length(3)`.
const RW_HEADER: usize = 7;

struct Range {
    file_no: u8,
    offset: usize,
    len: usize,
}

fn parse_range(data: &[u8]) -> Result<Range, Status> {
    let (&file_no, rest) = data.split_first().ok_or(Status::LengthError)?;
    let offset = read_u24(rest).ok_or(Status::LengthError)?;
    let len = rest
        .get(3..)
        .and_then(read_u24)
        .ok_or(Status::LengthError)?;
    Ok(Range {
        file_no,
        offset,
        len,
    })
}

impl SimCard {
    fn selected_app(&self) -> Result<&super::Application, Status> {
        self.vol
            .selected
            .and_then(|aid| self.state.apps.get(&aid))
            .ok_or(Status::PermissionDenied)
    }

    fn file(&self, file_no: u8) -> Result<&DataFile, Status> {
        self.selected_app()?
            .files
            .get(&file_no)
            .ok_or(Status::FileNotFound)
    }

    /// The communication mode of an access through any of `rights` (see the module comment).
    fn file_access(&self, comm: CommMode, rights: &[u8]) -> Result<CommMode, Status> {
        let key = self.vol.session.as_ref().map(|s| s.key_no() & 0x0F);
        if rights.iter().any(|&r| r < FREE && Some(r) == key) {
            Ok(comm)
        } else if rights.contains(&FREE) {
            Ok(CommMode::Plain)
        } else {
            Err(Status::PermissionDenied)
        }
    }

    /// CreateStdDataFile (`CD`): `fileNo [isoFid(2)] comm AR(2) size(3)` (§3.1 step 5).
    pub(super) fn create_std_data_file(&mut self, data: &[u8]) -> CmdResult {
        let data = self.open(ins::CREATE_STD_DATA_FILE, 0, data, self.mgmt())?;
        let app = self.selected_app()?;
        let (file_no, iso_fid, rest) = match data.as_slice() {
            [no, rest @ ..] if rest.len() == 6 => (*no, None, rest),
            [no, f0, f1, rest @ ..] if rest.len() == 6 && app.nok & NOK_ISO != 0 => {
                (*no, Some([*f0, *f1]), rest)
            }
            [_, _, _, rest @ ..] if rest.len() == 6 => return Err(Status::ParameterError),
            _ => return Err(Status::LengthError),
        };
        let [comm, ar0, ar1, s0, s1, s2] = *rest else {
            return Err(Status::LengthError);
        };
        self.master_or(app.settings & FREE_CREATE != 0)?;
        let comm = CommMode::from_byte(comm).ok_or(Status::ParameterError)?;
        let size = read_u24(&[s0, s1, s2]).ok_or(Status::LengthError)?;
        if file_no > MAX_FILE_NO || size == 0 {
            return Err(Status::ParameterError);
        }
        if app.files.contains_key(&file_no)
            || iso_fid.is_some_and(|f| app.files.values().any(|x| x.iso_fid == Some(f)))
        {
            return Err(Status::Duplicate);
        }
        if !self.state.fits(file_blocks(size)) {
            return Err(Status::OutOfEeprom);
        }
        let file = DataFile {
            iso_fid,
            comm,
            rights: AccessRights::from_wire(ar0, ar1),
            data: vec![0; size],
        };
        if let Some(app) = self.vol.selected.and_then(|a| self.state.apps.get_mut(&a)) {
            app.files.insert(file_no, file);
        }
        Ok(Reply::empty())
    }

    pub(super) fn get_file_ids(&mut self, data: &[u8]) -> CmdResult {
        let data = self.open(ins::GET_FILE_IDS, 0, data, self.mgmt())?;
        if !data.is_empty() {
            return Err(Status::LengthError);
        }
        let app = self.selected_app()?;
        self.master_or(app.settings & FREE_LISTING != 0)?;
        Ok(Reply::plain(app.files.keys().copied().collect()))
    }

    pub(super) fn get_file_settings(&mut self, data: &[u8]) -> CmdResult {
        let data = self.open(ins::GET_FILE_SETTINGS, 0, data, self.mgmt())?;
        let [file_no] = data.as_slice() else {
            return Err(Status::LengthError);
        };
        let app = self.selected_app()?;
        self.master_or(app.settings & FREE_LISTING != 0)?;
        Ok(Reply::plain(self.file(*file_no)?.settings()))
    }

    /// ChangeFileSettings (`5F`): `fileNo ‖ comm AR(2)`, plain when the change right is free, enciphered
    /// with the change key otherwise (§3.1 step 7, §9 V6).
    pub(super) fn change_file_settings(&mut self, data: &[u8]) -> CmdResult {
        let &file_no = data.first().ok_or(Status::LengthError)?;
        let file = self.file(file_no)?;
        let change = file.rights.change;
        if change == NEVER {
            return Err(Status::PermissionDenied);
        }
        let mode = match self.file_access(CommMode::Full, &[change])? {
            CommMode::Plain => self.mgmt(),
            full => full,
        };
        // comm ‖ access rights (2): three bytes.
        let plain = self.open_len(ins::CHANGE_FILE_SETTINGS, 1, data, mode, Some(3))?;
        let [_, comm, ar0, ar1] = plain.as_slice() else {
            return Err(Status::LengthError);
        };
        let comm = CommMode::from_byte(*comm).ok_or(Status::ParameterError)?;
        let rights = AccessRights::from_wire(*ar0, *ar1);
        if let Some(file) = self
            .vol
            .selected
            .and_then(|a| self.state.apps.get_mut(&a))
            .and_then(|a| a.files.get_mut(&file_no))
        {
            file.comm = comm;
            file.rights = rights;
        }
        Ok(Reply::empty())
    }

    /// ReadData (`BD`): `fileNo offset(3) length(3)`; length 0 reads to the end of the file.
    pub(super) fn read_data(&mut self, data: &[u8]) -> CmdResult {
        // Under EV2 the command is MACed when the file's data is protected (commands.rs, data commands).
        let file_no = *data.first().ok_or(Status::LengthError)?;
        let access = {
            let file = self.file(file_no)?;
            self.file_access(file.comm, &[file.rights.read, file.rights.read_write])?
        };
        let command_mode = if self.ev2() && access != CommMode::Plain {
            CommMode::Mac
        } else {
            CommMode::Plain
        };
        let data = self.open(ins::READ_DATA, 0, data, command_mode)?;
        if data.len() != RW_HEADER {
            return Err(Status::LengthError);
        }
        let r = parse_range(&data)?;
        let file = self.file(r.file_no)?;
        let mode = self.file_access(file.comm, &[file.rights.read, file.rights.read_write])?;
        let len = if r.len == 0 {
            file.size()
                .checked_sub(r.offset)
                .ok_or(Status::BoundaryError)?
        } else {
            r.len
        };
        let bytes = file
            .data
            .get(r.offset..r.offset.saturating_add(len))
            .filter(|b| !b.is_empty())
            .ok_or(Status::BoundaryError)?;
        Ok(Reply {
            data: bytes.to_vec(),
            mode,
            frames: None,
            raw: true,
        })
    }

    /// How many bytes follow WriteData's header for `len` data bytes in `mode` with the current session.
    fn write_body_len(&self, mode: CommMode, len: usize) -> usize {
        let Some(session) = self.vol.session.as_ref() else {
            return len;
        };
        let scheme = session.scheme();
        let block = session.key_type().block_len();
        match (mode, scheme) {
            (CommMode::Plain, _) => len,
            (CommMode::Mac, AuthScheme::Legacy) => len + 4,
            (CommMode::Mac, _) => len + 8,
            (CommMode::Full, AuthScheme::Legacy) => (len + 2).div_ceil(8) * 8,
            (CommMode::Full, AuthScheme::Ev2) => (len / 16 + 1) * 16 + 8,
            (CommMode::Full, _) => (len + 4).div_ceil(block) * block,
        }
    }

    /// Checks a write's file, right and bounds; returns its communication mode.
    fn write_check(&self, r: &Range) -> Result<CommMode, Status> {
        let file = self.file(r.file_no)?;
        let mode = self.file_access(file.comm, &[file.rights.write, file.rights.read_write])?;
        if r.len == 0 || r.offset.saturating_add(r.len) > file.size() {
            return Err(Status::BoundaryError);
        }
        Ok(mode)
    }

    /// WriteData (`3D`) first frame: checks the request, then collects the `AF` frames (§3.1 step 6).
    pub(super) fn write_data_start(&mut self, first: &[u8]) -> Vec<u8> {
        let checked = parse_range(first).and_then(|r| {
            let mode = self.write_check(&r)?;
            Ok(RW_HEADER + self.write_body_len(mode, r.len))
        });
        let total = match checked {
            Ok(t) => t,
            Err(s) => return self.fail(s),
        };
        let asm = CommandAssembler::new(ins::WRITE_DATA, first, total);
        if first.len() > total {
            return self.fail(Status::LengthError);
        }
        if asm.is_complete() {
            return match self.write_data(first) {
                Ok(reply) => self.respond(reply),
                Err(s) => self.fail(s),
            };
        }
        self.vol.pending = Pending::Command(asm);
        apdu::response_apdu(&[], Status::AdditionalFrame)
    }

    /// WriteData once all its frames are in.
    pub(super) fn write_data(&mut self, full: &[u8]) -> CmdResult {
        let r = parse_range(full)?;
        let mode = self.write_check(&r)?;
        let opened = self.open_len(ins::WRITE_DATA, RW_HEADER, full, mode, Some(r.len))?;
        let bytes = opened.get(RW_HEADER..).unwrap_or_default();
        if bytes.len() != r.len {
            return Err(Status::LengthError);
        }
        let target = self
            .vol
            .selected
            .and_then(|a| self.state.apps.get_mut(&a))
            .and_then(|a| a.files.get_mut(&r.file_no))
            .and_then(|f| f.data.get_mut(r.offset..r.offset + r.len))
            .ok_or(Status::BoundaryError)?;
        target.copy_from_slice(bytes);
        // The answer is MACed under EV2 for protected files only, like the command's data.
        Ok(Reply {
            raw: mode == CommMode::Plain,
            ..Reply::empty()
        })
    }
}
