//! The reading side of a sync: searches each base (RFC 4533 refreshOnly, or a paged search), maps the
//! entries and hands them to the writer in batches. Facts: reference crates.md §3.2–3.3.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::time::Instant;

use super::apply::{Finish, Msg};
use super::ids::DnIndex;
use super::items::{GroupItem, PersonItem};
use super::{Kind, Mode, Phase, Plan, Progress};
use crate::directory::client::{self, DirError};
use crate::directory::wire::proto::{self, EntryState, Op, Scope, SyncInfo};
use crate::directory::wire::{self, Conn};
use crate::directory::{Entry, dn_key};

const BATCH: usize = 500;
/// LDAP result code e-syncRefreshRequired (RFC 4533 §2.5): the cookie is too old, reload everything.
const SYNC_REFRESH_REQUIRED: u32 = 4096;
/// Prefix of a fallback-mode watermark stored in place of a cookie.
const WATERMARK: &[u8] = b"ts:";

pub struct Context<'a> {
    pub plan: &'a Plan,
    pub tx: &'a SyncSender<Msg>,
    pub progress: &'a (dyn Fn(Progress) + Sync),
    pub cancel: &'a AtomicBool,
    pub started: Instant,
    pub expected: Option<u64>,
    /// A first load: groups name their members by the order of the persons sent
    /// ([`GroupItem::member_ordinals`]), and the reading of the groups does not wait for the writer.
    pub first_load: bool,
}

/// The writer has stopped (it reports why); the reading side just ends.
struct WriterGone;

struct Reader<'a> {
    ctx: Context<'a>,
    seen: u64,
    skipped: Vec<String>,
    /// First load: the persons sent so far by DN key, with their order (see [`Context::first_load`]).
    people: Option<DnIndex>,
    persons_sent: i64,
    /// Messages the writer could not take yet while the groups are read without waiting for it.
    backlog: VecDeque<Msg>,
    /// Whether sending goes to the backlog instead of waiting when the channel is full.
    buffering: bool,
}

pub async fn fetch(
    ctx: Context<'_>,
    kinds: &[Kind],
    cookies: Vec<Option<Vec<u8>>>,
    full: bool,
    full_due: bool,
) -> Result<(), DirError> {
    let plan = ctx.plan;
    let mut ldap = wire::connect(&plan.connect).await?;
    let content_sync = client::offers_content_sync(&mut ldap, &plan.searches.people.0).await?;
    let mode = if full || (!content_sync && full_due) {
        Mode::Full
    } else if content_sync {
        Mode::Incremental
    } else {
        Mode::Fallback
    };
    let people = ctx.first_load.then(DnIndex::new);
    let mut reader = Reader {
        ctx,
        seen: 0,
        skipped: Vec::new(),
        people,
        persons_sent: 0,
        backlog: VecDeque::new(),
        buffering: false,
    };
    let mut states = Vec::new();
    for (kind, cookie) in kinds.iter().copied().zip(cookies) {
        let Some((base, filter)) = plan.search_of(kind) else {
            continue;
        };
        // A first load reads the groups while the writer indexes the persons (their members are
        // small numbers by then, so the messages waiting take little memory).
        reader.buffering = reader.people.is_some() && kind == Kind::Groups;
        let attrs = plan.attrs(kind);
        let is_watermark = cookie.as_deref().is_some_and(|c| c.starts_with(WATERMARK));
        let result = if content_sync {
            let cookie = cookie.filter(|_| mode == Mode::Incremental && !is_watermark);
            match reader
                .content_sync(&mut ldap, kind, base, filter, &attrs, cookie.clone())
                .await
            {
                Err(Stop::Ldap(DirError::Ldap { rc, .. }))
                    if rc == SYNC_REFRESH_REQUIRED && cookie.is_some() =>
                {
                    reader
                        .content_sync(&mut ldap, kind, base, filter, &attrs, None)
                        .await
                }
                other => other,
            }
        } else {
            let watermark = cookie
                .filter(|_| mode == Mode::Fallback && is_watermark)
                .map(|c| String::from_utf8_lossy(&c[WATERMARK.len()..]).into_owned());
            reader
                .paged(&mut ldap, kind, base, filter, attrs, watermark)
                .await
        };
        match result {
            Ok(cookie) => states.push((kind.base_name(), cookie, plan.fingerprint(kind))),
            Err(Stop::Writer) => return Ok(()),
            Err(Stop::Ldap(e)) => return Err(e),
        }
    }
    ldap.unbind().await;
    reader.progress(Phase::Finishing);
    reader.buffering = false;
    let skipped = std::mem::take(&mut reader.skipped);
    let _ = reader.send(Msg::Finish(Finish {
        mode,
        states,
        skipped,
        entries: reader.seen,
    }));
    Ok(())
}

enum Stop {
    Writer,
    Ldap(DirError),
}

impl From<WriterGone> for Stop {
    fn from(_: WriterGone) -> Stop {
        Stop::Writer
    }
}

impl From<DirError> for Stop {
    fn from(e: DirError) -> Stop {
        Stop::Ldap(e)
    }
}

/// Mapped entries waiting to be sent.
enum Batch {
    Structures(Vec<(String, crate::directory::mapping::MappedStructure)>),
    Persons(Vec<PersonItem>),
    Groups(Vec<GroupItem>),
}

impl Batch {
    fn new(kind: Kind) -> Batch {
        match kind {
            Kind::Structures => Batch::Structures(Vec::new()),
            Kind::People => Batch::Persons(Vec::new()),
            Kind::Groups => Batch::Groups(Vec::new()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Batch::Structures(v) => v.len(),
            Batch::Persons(v) => v.len(),
            Batch::Groups(v) => v.len(),
        }
    }

    fn take(&mut self) -> Msg {
        match self {
            Batch::Structures(v) => Msg::Structures(std::mem::take(v)),
            Batch::Persons(v) => Msg::Persons(std::mem::take(v)),
            Batch::Groups(v) => Msg::Groups(std::mem::take(v)),
        }
    }
}

fn phase_of(kind: Kind) -> Phase {
    match kind {
        Kind::Structures => Phase::Structures,
        Kind::People => Phase::People,
        Kind::Groups => Phase::Groups,
    }
}

impl Reader<'_> {
    /// Hands a message to the writer, in order: waits while its channel is full, unless buffering
    /// (then the message waits in the backlog, and the reading goes on).
    fn send(&mut self, msg: Msg) -> Result<(), WriterGone> {
        if !self.buffering {
            for waiting in self.backlog.drain(..) {
                self.ctx.tx.send(waiting).map_err(|_| WriterGone)?;
            }
            return self.ctx.tx.send(msg).map_err(|_| WriterGone);
        }
        self.backlog.push_back(msg);
        while let Some(next) = self.backlog.pop_front() {
            match self.ctx.tx.try_send(next) {
                Ok(()) => {}
                Err(TrySendError::Full(next)) => {
                    self.backlog.push_front(next);
                    break;
                }
                Err(TrySendError::Disconnected(_)) => return Err(WriterGone),
            }
        }
        Ok(())
    }

    fn progress(&self, phase: Phase) {
        (self.ctx.progress)(Progress {
            phase,
            seen: self.seen,
            expected: self.ctx.expected,
            elapsed: self.ctx.started.elapsed(),
        });
    }

    fn check_cancel(&self) -> Result<(), DirError> {
        if self.ctx.cancel.load(Ordering::Relaxed) {
            Err(DirError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Maps one entry into the batch (or records why it cannot be), flushing full batches.
    fn take_entry(
        &mut self,
        kind: Kind,
        batch: &mut Batch,
        uuid: String,
        entry: Entry,
    ) -> Result<(), Stop> {
        let mapping = &self.ctx.plan.mapping;
        let failed = match batch {
            Batch::Structures(v) => mapping
                .map_structure(&entry)
                .map(|m| v.push((uuid.clone(), m)))
                .err(),
            Batch::Persons(v) => mapping
                .map_person(&entry)
                .map(|m| {
                    let item = PersonItem::new(uuid.clone(), m);
                    if let Some(people) = &mut self.people {
                        people.insert(&item.dn_key, self.persons_sent);
                    }
                    self.persons_sent += 1;
                    v.push(item)
                })
                .err(),
            Batch::Groups(v) => mapping
                .map_group(&entry)
                .map(|m| {
                    let mut item = GroupItem::new(uuid.clone(), m);
                    if let Some(people) = &self.people {
                        item.resolve(people);
                    }
                    v.push(item)
                })
                .err(),
        };
        if let Some(e) = failed {
            self.skipped.push(e.to_string());
            self.send(Msg::Seen(kind, vec![uuid]))?;
        }
        self.seen += 1;
        if batch.len() >= BATCH {
            self.send(batch.take())?;
            self.check_cancel()?;
        }
        if self.seen.is_multiple_of(BATCH as u64) {
            self.progress(phase_of(kind));
        }
        Ok(())
    }

    fn flush(&mut self, kind: Kind, batch: &mut Batch) -> Result<(), WriterGone> {
        if batch.len() > 0 {
            self.send(batch.take())?;
        }
        self.progress(phase_of(kind));
        Ok(())
    }

    /// RFC 4533 refreshOnly; returns the new cookie.
    async fn content_sync(
        &mut self,
        ldap: &mut Conn,
        kind: Kind,
        base: &str,
        filter: &str,
        attrs: &[String],
        cookie: Option<Vec<u8>>,
    ) -> Result<Option<Vec<u8>>, Stop> {
        let full = cookie.is_none();
        let request = [proto::sync_request(cookie.as_deref())];
        ldap.search(base, Scope::Subtree, filter, attrs, &request)
            .await?;
        let mut new_cookie = None;
        let mut batch = Batch::new(kind);
        let mut deleted = Vec::new();
        let mut present = Vec::new();
        self.progress(phase_of(kind));
        let done = loop {
            let range = ldap.next().await?;
            let m = ldap.message(range)?;
            match m.op {
                Op::Intermediate(Some(value)) => {
                    match proto::sync_info(value).map_err(malformed)? {
                        SyncInfo::NewCookie(c) => new_cookie = Some(c.to_vec()),
                        SyncInfo::RefreshDone(c) => {
                            if let Some(c) = c {
                                new_cookie = Some(c.to_vec());
                            }
                        }
                        SyncInfo::IdSet {
                            cookie,
                            refresh_deletes,
                            uuids,
                        } => {
                            if let Some(c) = cookie {
                                new_cookie = Some(c.to_vec());
                            }
                            let msg = if refresh_deletes {
                                Msg::Deleted(kind, uuids.iter().map(|u| uuid_text(u)).collect())
                            } else {
                                Msg::SeenUuids(
                                    kind,
                                    uuids.iter().filter_map(|u| uuid_raw(u)).collect(),
                                )
                            };
                            self.send(msg)?;
                        }
                    }
                }
                Op::Intermediate(None) | Op::Reference => {}
                Op::Entry(dn, attributes) => {
                    let state = wire::control(&m.controls, proto::SYNC_STATE_OID)
                        .map(proto::sync_state)
                        .transpose()
                        .map_err(malformed)?;
                    let entry = proto::entry(dn, attributes).map_err(malformed)?;
                    let uuid = match &state {
                        Some(st) if st.uuid.len() == 16 => uuid_text(st.uuid),
                        _ => entry_uuid(&entry),
                    };
                    if let Some(c) = state.as_ref().and_then(|s| s.cookie) {
                        new_cookie = Some(c.to_vec());
                    }
                    match state.map(|s| s.state) {
                        Some(EntryState::Delete) => deleted.push(uuid),
                        Some(EntryState::Present) => present.push(uuid),
                        _ => self.take_entry(kind, &mut batch, uuid, entry)?,
                    }
                }
                Op::Result(_, outcome) => {
                    wire::succeeded(outcome, "search")?;
                    break wire::control(&m.controls, proto::SYNC_DONE_OID)
                        .map(proto::sync_done)
                        .transpose()
                        .map_err(malformed)?;
                }
            }
        };
        let refresh_deletes = done.as_ref().is_none_or(|d| d.refresh_deletes);
        if let Some(c) = done.and_then(|d| d.cookie) {
            new_cookie = Some(c);
        }
        self.flush(kind, &mut batch)?;
        self.send(Msg::Seen(kind, present))?;
        self.send(Msg::Deleted(kind, deleted))?;
        self.send(Msg::Done {
            kind,
            by_absence: full || !refresh_deletes,
        })?;
        Ok(new_cookie.or(cookie))
    }

    /// A paged search (no content synchronisation): everything, or what changed since `watermark`.
    /// Returns the new watermark (the highest modifyTimestamp seen) as the cookie.
    async fn paged(
        &mut self,
        ldap: &mut Conn,
        kind: Kind,
        base: &str,
        filter: &str,
        mut attrs: Vec<String>,
        watermark: Option<String>,
    ) -> Result<Option<Vec<u8>>, Stop> {
        attrs.push("modifyTimestamp".into());
        let filter = match &watermark {
            Some(w) => format!("(&{filter}(modifyTimestamp>={}))", ldap3::ldap_escape(w)),
            None => filter.to_string(),
        };
        let mut batch = Batch::new(kind);
        let mut high = watermark.clone().unwrap_or_default();
        let mut page = Vec::new();
        self.progress(phase_of(kind));
        loop {
            let control = [proto::paged_request(BATCH as i32, &page)];
            ldap.search(base, Scope::Subtree, &filter, &attrs, &control)
                .await?;
            loop {
                let range = ldap.next().await?;
                let m = ldap.message(range)?;
                match m.op {
                    Op::Entry(dn, attributes) => {
                        let entry = proto::entry(dn, attributes).map_err(malformed)?;
                        if let Some(ts) = entry.first("modifyTimestamp")
                            && ts > high.as_str()
                        {
                            high = ts.to_string();
                        }
                        let uuid = entry_uuid(&entry);
                        self.take_entry(kind, &mut batch, uuid, entry)?;
                    }
                    Op::Result(_, outcome) => {
                        wire::succeeded(outcome, "search")?;
                        page = wire::paged_cookie(&m.controls)?;
                        break;
                    }
                    Op::Intermediate(_) | Op::Reference => {}
                }
            }
            if page.is_empty() {
                break;
            }
        }
        self.flush(kind, &mut batch)?;
        self.send(Msg::Done {
            kind,
            by_absence: watermark.is_none(),
        })?;
        let mut cookie = WATERMARK.to_vec();
        cookie.extend_from_slice(high.as_bytes());
        Ok(Some(cookie))
    }
}

/// A response that does not follow the protocol.
fn malformed(e: wire::ber::Malformed) -> DirError {
    DirError::Protocol(e.to_string())
}

/// The entry's identity: its entryUUID, else its DN (directories without entryUUID).
fn entry_uuid(e: &Entry) -> String {
    match e.first("entryUUID") {
        Some(u) => u.to_ascii_lowercase(),
        None => format!("dn:{}", dn_key(&e.dn)),
    }
}

/// RFC 4122 text form of 16 raw bytes, as OpenLDAP's entryUUID attribute shows it (other lengths:
/// plain lower-case hex).
pub fn uuid_text(b: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if b.len() == 16 && matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[usize::from(x >> 4)] as char);
        out.push(HEX[usize::from(x & 15)] as char);
    }
    out
}

/// The 16 raw bytes of an entryUUID as one number (the value `IdSet` keeps for its text form).
fn uuid_raw(b: &[u8]) -> Option<u128> {
    Some(u128::from_be_bytes(b.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn uuids_print_like_entryuuid() {
        let raw = [
            0x25, 0x53, 0x9b, 0xe8, 0x64, 0x23, 0x10, 0x3e, 0xad, 0xd8, 0x98, 0x89, 0x99, 0x97,
            0x84, 0x33,
        ];
        assert_eq!(
            super::uuid_text(&raw),
            "25539be8-6423-103e-add8-988999978433"
        );
        assert_eq!(super::uuid_text(&raw[..3]), "25539b");
        let mut set = super::super::ids::IdSet::default();
        set.insert_uuid(super::uuid_raw(&raw).unwrap());
        assert!(set.contains("25539be8-6423-103e-add8-988999978433"));
        assert_eq!(super::uuid_raw(&raw[..15]), None);
    }
}
