//! ISO 7816 wrapping of native DESFire commands (desfire.md §1.1): `90 INS 00 00 Lc data 00` out,
//! `data ‖ 91 status` back, with the additional-frame (`AF`) continuation in both directions. The host side
//! sends over a [`CardTransport`]; the card side (the simulator) parses C-APDUs with [`parse_command`] and
//! answers through [`ResponseFrames`] and [`CommandAssembler`].

use std::collections::VecDeque;
use std::fmt;

use crate::nfc::desfire::DesfireError;
use crate::nfc::transport::CardTransport;

/// CLA of every wrapped native command.
pub const CLA_NATIVE: u8 = 0x90;
/// SW1 of every wrapped native response; SW2 is the DESFire status.
pub const SW1_NATIVE: u8 = 0x91;
/// Most data bytes in one command frame: the first WriteData frame carries a 7-byte header and 47 data
/// bytes, the next ones 54 bytes (desfire.md §3.1 step 6), which is what the card's frame buffer accepts.
pub const MAX_COMMAND_FRAME: usize = 54;
/// Most data bytes the card puts in one response frame (64-byte ISO 14443-4 frame minus protocol bytes);
/// used by the simulator when it splits long answers. Hosts accept frames of any length.
pub const MAX_RESPONSE_FRAME: usize = 59;
/// Upper bound on a reassembled response, so a card that keeps answering `AF` cannot make the host loop.
pub const MAX_RESPONSE_TOTAL: usize = 65_536;

/// Native command codes (desfire.md §1.3).
pub mod ins {
    pub const AUTHENTICATE_LEGACY: u8 = 0x0A;
    pub const AUTHENTICATE_ISO: u8 = 0x1A;
    pub const AUTHENTICATE_AES: u8 = 0xAA;
    pub const AUTHENTICATE_EV2_FIRST: u8 = 0x71;
    pub const CHANGE_KEY_SETTINGS: u8 = 0x54;
    pub const SET_CONFIGURATION: u8 = 0x5C;
    pub const CHANGE_KEY: u8 = 0xC4;
    pub const GET_KEY_VERSION: u8 = 0x64;
    pub const GET_KEY_SETTINGS: u8 = 0x45;
    pub const CREATE_APPLICATION: u8 = 0xCA;
    pub const CREATE_DELEGATED_APPLICATION: u8 = 0xC9;
    pub const DELETE_APPLICATION: u8 = 0xDA;
    pub const GET_APPLICATION_IDS: u8 = 0x6A;
    pub const FREE_MEMORY: u8 = 0x6E;
    pub const GET_DF_NAMES: u8 = 0x6D;
    pub const SELECT_APPLICATION: u8 = 0x5A;
    pub const FORMAT_PICC: u8 = 0xFC;
    pub const GET_VERSION: u8 = 0x60;
    pub const GET_CARD_UID: u8 = 0x51;
    pub const GET_FILE_IDS: u8 = 0x6F;
    pub const GET_FILE_SETTINGS: u8 = 0xF5;
    pub const CHANGE_FILE_SETTINGS: u8 = 0x5F;
    pub const CREATE_STD_DATA_FILE: u8 = 0xCD;
    pub const CREATE_BACKUP_DATA_FILE: u8 = 0xCB;
    pub const CREATE_VALUE_FILE: u8 = 0xCC;
    pub const CREATE_LINEAR_RECORD_FILE: u8 = 0xC1;
    pub const CREATE_CYCLIC_RECORD_FILE: u8 = 0xC0;
    pub const DELETE_FILE: u8 = 0xDF;
    pub const READ_DATA: u8 = 0xBD;
    pub const WRITE_DATA: u8 = 0x3D;
    pub const GET_VALUE: u8 = 0x6C;
    pub const CREDIT: u8 = 0x0C;
    pub const DEBIT: u8 = 0xDC;
    pub const LIMITED_CREDIT: u8 = 0x1C;
    pub const WRITE_RECORD: u8 = 0x3B;
    pub const READ_RECORDS: u8 = 0xBB;
    pub const CLEAR_RECORD_FILE: u8 = 0xEB;
    pub const COMMIT_TRANSACTION: u8 = 0xC7;
    pub const ABORT_TRANSACTION: u8 = 0xA7;
    pub const ADDITIONAL_FRAME: u8 = 0xAF;
}

/// A DESFire status byte (SW2 after `91`, desfire.md §1.2). Codes the reference does not list are kept as
/// [`Status::Other`] so that no card answer is lost or misread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Ok,
    NoChanges,
    OutOfEeprom,
    IllegalCommand,
    IntegrityError,
    NoSuchKey,
    LengthError,
    PermissionDenied,
    ParameterError,
    ApplicationNotFound,
    AuthenticationError,
    AdditionalFrame,
    BoundaryError,
    CommandAborted,
    PiccDisabled,
    CountError,
    Duplicate,
    EepromError,
    FileNotFound,
    FileIntegrityError,
    Other(u8),
}

/// Every listed status with its code, in one table so that both conversions agree.
const STATUS_CODES: [(Status, u8); 20] = [
    (Status::Ok, 0x00),
    (Status::NoChanges, 0x0C),
    (Status::OutOfEeprom, 0x0E),
    (Status::IllegalCommand, 0x1C),
    (Status::IntegrityError, 0x1E),
    (Status::NoSuchKey, 0x40),
    (Status::LengthError, 0x7E),
    (Status::PermissionDenied, 0x9D),
    (Status::ParameterError, 0x9E),
    (Status::ApplicationNotFound, 0xA0),
    (Status::AuthenticationError, 0xAE),
    (Status::AdditionalFrame, 0xAF),
    (Status::BoundaryError, 0xBE),
    (Status::CommandAborted, 0xCA),
    (Status::PiccDisabled, 0xCD),
    (Status::CountError, 0xCE),
    (Status::Duplicate, 0xDE),
    (Status::EepromError, 0xEE),
    (Status::FileNotFound, 0xF0),
    (Status::FileIntegrityError, 0xF1),
];

impl Status {
    pub fn from_byte(b: u8) -> Status {
        STATUS_CODES
            .iter()
            .find(|(_, code)| *code == b)
            .map_or(Status::Other(b), |(s, _)| *s)
    }

    pub fn byte(self) -> u8 {
        match self {
            Status::Other(b) => b,
            s => STATUS_CODES
                .iter()
                .find(|(st, _)| *st == s)
                .map_or(0xFF, |(_, code)| *code),
        }
    }

    /// `00` and `AF` are the only non-error statuses (desfire.md §1.1).
    pub fn is_error(self) -> bool {
        !matches!(self, Status::Ok | Status::AdditionalFrame)
    }

    fn meaning(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::NoChanges => "no changes",
            Status::OutOfEeprom => "out of EEPROM",
            Status::IllegalCommand => "illegal command",
            Status::IntegrityError => "integrity error (CRC/MAC)",
            Status::NoSuchKey => "no such key",
            Status::LengthError => "length error",
            Status::PermissionDenied => "permission denied",
            Status::ParameterError => "parameter error",
            Status::ApplicationNotFound => "application not found",
            Status::AuthenticationError => "authentication error",
            Status::AdditionalFrame => "additional frame",
            Status::BoundaryError => "boundary error",
            Status::CommandAborted => "command aborted",
            Status::PiccDisabled => "PICC disabled",
            Status::CountError => "count error",
            Status::Duplicate => "duplicate",
            Status::EepromError => "EEPROM error",
            Status::FileNotFound => "file not found",
            Status::FileIntegrityError => "file integrity error",
            Status::Other(_) => "unknown status",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02X} ({})", self.byte(), self.meaning())
    }
}

/// Wraps a native command: `90 INS 00 00 Lc data 00`, or `90 INS 00 00 00` without data.
pub fn wrap(ins: u8, data: &[u8]) -> Result<Vec<u8>, DesfireError> {
    let lc = u8::try_from(data.len()).map_err(|_| DesfireError::TooLong(data.len()))?;
    let mut apdu = Vec::with_capacity(data.len() + 6);
    apdu.extend_from_slice(&[CLA_NATIVE, ins, 0x00, 0x00]);
    if !data.is_empty() {
        apdu.push(lc);
        apdu.extend_from_slice(data);
    }
    apdu.push(0x00);
    Ok(apdu)
}

/// One R-APDU: its data and the DESFire status. After [`transceive`], `data` is the concatenation of all
/// frames and `status` the final one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub status: Status,
}

impl Response {
    /// The data if the status is `00`, the status as an error otherwise.
    pub fn ok(self) -> Result<Vec<u8>, DesfireError> {
        match self.status {
            Status::Ok => Ok(self.data),
            s => Err(DesfireError::Card(s)),
        }
    }
}

/// Splits an R-APDU into data and status; `SW1` must be `91`.
pub fn parse_response(rapdu: &[u8]) -> Result<Response, DesfireError> {
    match rapdu {
        [data @ .., SW1_NATIVE, sw2] => Ok(Response {
            data: data.to_vec(),
            status: Status::from_byte(*sw2),
        }),
        [.., sw1, sw2] => Err(DesfireError::NotDesfire {
            sw1: *sw1,
            sw2: *sw2,
        }),
        _ => Err(DesfireError::Malformed("response shorter than SW1 SW2")),
    }
}

/// Sends one frame and returns its answer as it is, `AF` included. The authentications use this, because
/// there `AF` announces a challenge, not more data.
pub fn exchange(t: &mut dyn CardTransport, ins: u8, data: &[u8]) -> Result<Response, DesfireError> {
    parse_response(&t.transmit(&wrap(ins, data)?)?)
}

/// Sends a whole command and collects the whole answer: data longer than [`MAX_COMMAND_FRAME`] goes in
/// `AF` continuation frames (the card answers `91 AF` to each but the last), and while the card answers
/// `91 AF` the host asks for the next frame with `90 AF 00 00 00`. The returned status is the final one,
/// error or not; a card that stops early with an error status ends the exchange there.
pub fn transceive(
    t: &mut dyn CardTransport,
    ins: u8,
    data: &[u8],
) -> Result<Response, DesfireError> {
    let mut chunks = data.chunks(MAX_COMMAND_FRAME);
    let mut response = exchange(t, ins, chunks.next().unwrap_or(&[]))?;
    for chunk in chunks {
        match response.status {
            Status::AdditionalFrame if response.data.is_empty() => {}
            Status::AdditionalFrame => {
                return Err(DesfireError::Malformed(
                    "card sent data before the command was complete",
                ));
            }
            _ => return Ok(response),
        }
        response = exchange(t, ins::ADDITIONAL_FRAME, chunk)?;
    }
    let mut collected = std::mem::take(&mut response.data);
    while response.status == Status::AdditionalFrame {
        response = exchange(t, ins::ADDITIONAL_FRAME, &[])?;
        collected.extend_from_slice(&response.data);
        if collected.len() > MAX_RESPONSE_TOTAL {
            return Err(DesfireError::Malformed("response longer than 64 KiB"));
        }
    }
    Ok(Response {
        data: collected,
        status: response.status,
    })
}

/// A C-APDU as the card receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandApdu {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Vec<u8>,
}

impl CommandApdu {
    /// A wrapped native DESFire command (`CLA 90`, `P1 = P2 = 00`).
    pub fn is_native(&self) -> bool {
        self.cla == CLA_NATIVE && self.p1 == 0 && self.p2 == 0
    }
}

/// Parses a short C-APDU (cases 1–4 of ISO 7816-3): `CLA INS P1 P2 [Lc data] [Le]`. Used by the card side;
/// never panics.
pub fn parse_command(apdu: &[u8]) -> Result<CommandApdu, DesfireError> {
    let [cla, ins, p1, p2, body @ ..] = apdu else {
        return Err(DesfireError::Malformed("C-APDU shorter than 4 bytes"));
    };
    let data = match body {
        // Case 1 (no body) and case 2 (Le only).
        [] | [_] => Vec::new(),
        [lc, rest @ ..] => {
            let lc = usize::from(*lc);
            match rest.len().checked_sub(lc) {
                Some(0) | Some(1) if lc > 0 => rest.get(..lc).unwrap_or_default().to_vec(),
                _ => {
                    return Err(DesfireError::Malformed(
                        "Lc does not match the C-APDU length",
                    ));
                }
            }
        }
    };
    Ok(CommandApdu {
        cla: *cla,
        ins: *ins,
        p1: *p1,
        p2: *p2,
        data,
    })
}

/// Builds an R-APDU: `data ‖ 91 status`.
pub fn response_apdu(data: &[u8], status: Status) -> Vec<u8> {
    let mut r = Vec::with_capacity(data.len() + 2);
    r.extend_from_slice(data);
    r.extend_from_slice(&[SW1_NATIVE, status.byte()]);
    r
}

/// Card side of a long answer: the frames still to send. The first comes from [`ResponseFrames::start`];
/// each later `90 AF` command takes the next with [`ResponseFrames::next_frame`].
#[derive(Debug, Default)]
pub struct ResponseFrames {
    pending: VecDeque<Vec<u8>>,
}

impl ResponseFrames {
    /// Splits `data` into frames of at most `max` bytes (all but the last with `91 AF`, the last with
    /// `status`), keeps the rest and returns the first R-APDU. An error status goes out alone, without data.
    pub fn start(&mut self, data: &[u8], status: Status, max: usize) -> Vec<u8> {
        self.pending.clear();
        if status.is_error() || data.is_empty() {
            return response_apdu(if status.is_error() { &[] } else { data }, status);
        }
        let chunks: Vec<&[u8]> = data.chunks(max.max(1)).collect();
        let last = chunks.len().saturating_sub(1);
        for (i, chunk) in chunks.into_iter().enumerate() {
            let st = if i == last {
                status
            } else {
                Status::AdditionalFrame
            };
            self.pending.push_back(response_apdu(chunk, st));
        }
        self.next_frame().unwrap_or_default()
    }

    /// The next frame, if a long answer is under way.
    pub fn next_frame(&mut self) -> Option<Vec<u8>> {
        self.pending.pop_front()
    }

    pub fn is_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Forgets the rest of an answer (any command other than `AF` aborts it).
    pub fn clear(&mut self) {
        self.pending.clear();
    }
}

/// Card side of a long command: collects `AF` frames until the expected total length is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandAssembler {
    ins: u8,
    data: Vec<u8>,
    expected: usize,
}

impl CommandAssembler {
    /// Starts with the first frame of command `ins`, whose full data is `expected` bytes long.
    pub fn new(ins: u8, first: &[u8], expected: usize) -> CommandAssembler {
        CommandAssembler {
            ins,
            data: first.to_vec(),
            expected,
        }
    }

    pub fn ins(&self) -> u8 {
        self.ins
    }

    pub fn is_complete(&self) -> bool {
        self.data.len() == self.expected
    }

    /// Adds a continuation frame; more bytes than announced is a length error.
    pub fn push(&mut self, frame: &[u8]) -> Result<(), DesfireError> {
        if self.data.len() + frame.len() > self.expected {
            return Err(DesfireError::Malformed("more command data than announced"));
        }
        self.data.extend_from_slice(frame);
        Ok(())
    }

    /// The whole command data, once complete.
    pub fn finish(self) -> Result<Vec<u8>, DesfireError> {
        if self.is_complete() {
            Ok(self.data)
        } else {
            Err(DesfireError::Malformed("command data incomplete"))
        }
    }
}

#[cfg(test)]
#[path = "apdu_tests.rs"]
mod tests;
