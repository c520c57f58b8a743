//! The reading side of a sync: searches each base (RFC 4533 refreshOnly, or a paged search), maps the
//! entries and hands them to the writer in batches. Facts: reference crates.md §3.2–3.3.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::time::Instant;

use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
use ldap3::asn1::{PL, StructureTag};
use ldap3::controls::{
    Control, ControlType, EntryState, MakeCritical, RefreshMode, SyncDone, SyncInfo, SyncRequest,
    SyncState,
};
use ldap3::{Ldap, Scope};

use super::apply::{Finish, Msg};
use super::ids::DnIndex;
use super::items::{GroupItem, PersonItem};
use super::{Kind, Mode, Phase, Plan, Progress};
use crate::directory::client::{self, DirError};
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
    let mut ldap = client::connect(&plan.connect).await?;
    let content_sync =
        client::offers_content_sync(&mut ldap, &plan.connect, &plan.searches.people.0).await?;
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
    let _ = ldap.unbind().await;
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
        ldap: &mut Ldap,
        kind: Kind,
        base: &str,
        filter: &str,
        attrs: &[String],
        cookie: Option<Vec<u8>>,
    ) -> Result<Option<Vec<u8>>, Stop> {
        let url = self.ctx.plan.connect.url.clone();
        let err = |e| DirError::from_ldap(e, &url, "search");
        let full = cookie.is_none();
        let request = SyncRequest {
            mode: RefreshMode::RefreshOnly,
            cookie: cookie.clone(),
            reload_hint: false,
        };
        let mut stream = ldap
            .with_controls(request.critical())
            .streaming_search(base, Scope::Subtree, filter, attrs.to_vec())
            .await
            .map_err(err)?;
        let mut new_cookie = None;
        let mut batch = Batch::new(kind);
        let mut deleted = Vec::new();
        let mut present = Vec::new();
        self.progress(phase_of(kind));
        while let Some(re) = stream.next().await.map_err(err)? {
            if re.is_intermediate() {
                match ldap3::controls::parse_syncinfo(re) {
                    SyncInfo::NewCookie(c) => new_cookie = Some(c),
                    SyncInfo::RefreshDelete { cookie, .. }
                    | SyncInfo::RefreshPresent { cookie, .. } => {
                        if cookie.is_some() {
                            new_cookie = cookie;
                        }
                    }
                    SyncInfo::SyncIdSet {
                        cookie,
                        refresh_deletes,
                        sync_uuids,
                    } => {
                        if cookie.is_some() {
                            new_cookie = cookie;
                        }
                        let msg = if refresh_deletes {
                            Msg::Deleted(kind, sync_uuids.iter().map(|u| uuid_text(u)).collect())
                        } else {
                            Msg::SeenUuids(
                                kind,
                                sync_uuids.iter().filter_map(|u| uuid_raw(u)).collect(),
                            )
                        };
                        self.send(msg)?;
                    }
                }
                continue;
            }
            if re.is_ref() {
                continue;
            }
            let state = re.1.iter().find_map(|c| match c {
                Control(Some(ControlType::SyncState), raw) => Some(raw.parse::<SyncState>()),
                _ => None,
            });
            let entry = to_entry(re.0);
            let uuid = match &state {
                Some(st) if st.entry_uuid.len() == 16 => uuid_text(&st.entry_uuid),
                _ => entry_uuid(&entry),
            };
            if let Some(c) = state.as_ref().and_then(|s| s.cookie.clone()) {
                new_cookie = Some(c);
            }
            match state.map(|s| s.state) {
                Some(EntryState::Delete) => deleted.push(uuid),
                Some(EntryState::Present) => present.push(uuid),
                _ => self.take_entry(kind, &mut batch, uuid, entry)?,
            }
        }
        let res = stream.finish().await;
        if res.rc != 0 {
            return Err(Stop::Ldap(DirError::Ldap {
                op: "search",
                rc: res.rc,
                message: res.text,
            }));
        }
        let done = res.ctrls.iter().find_map(|c| match c {
            Control(Some(ControlType::SyncDone), raw) => Some(raw.parse::<SyncDone>()),
            _ => None,
        });
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
        ldap: &mut Ldap,
        kind: Kind,
        base: &str,
        filter: &str,
        mut attrs: Vec<String>,
        watermark: Option<String>,
    ) -> Result<Option<Vec<u8>>, Stop> {
        let url = self.ctx.plan.connect.url.clone();
        let err = |e| DirError::from_ldap(e, &url, "search");
        attrs.push("modifyTimestamp".into());
        let filter = match &watermark {
            Some(w) => format!("(&{filter}(modifyTimestamp>={}))", ldap3::ldap_escape(w)),
            None => filter.to_string(),
        };
        let adapters: Vec<Box<dyn Adapter<_, _>>> = vec![
            Box::new(EntriesOnly::new()),
            Box::new(PagedResults::new(BATCH as i32)),
        ];
        let mut stream = ldap
            .streaming_search_with(adapters, base, Scope::Subtree, &filter, attrs)
            .await
            .map_err(err)?;
        let mut batch = Batch::new(kind);
        let mut high = watermark.clone().unwrap_or_default();
        self.progress(phase_of(kind));
        while let Some(re) = stream.next().await.map_err(err)? {
            let entry = to_entry(re.0);
            if let Some(ts) = entry.first("modifyTimestamp")
                && ts > high.as_str()
            {
                high = ts.to_string();
            }
            let uuid = entry_uuid(&entry);
            self.take_entry(kind, &mut batch, uuid, entry)?;
        }
        let res = stream.finish().await;
        if res.rc != 0 {
            return Err(Stop::Ldap(DirError::Ldap {
                op: "search",
                rc: res.rc,
                message: res.text,
            }));
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

/// The entry of a SearchResultEntry (RFC 4511 §4.5.2: `[APPLICATION 4] { objectName, attributes }`),
/// taking the decoded buffers as they are: each UTF-8 value becomes its `String` without a copy, other
/// values (e.g. `jpegPhoto`) stay bytes. A malformed element is left out rather than trusted.
fn to_entry(tag: StructureTag) -> Entry {
    let mut parts = match tag.payload {
        PL::C(parts) => parts.into_iter(),
        PL::P(_) => return Entry::default(),
    };
    let dn = match parts.next().map(|t| t.payload) {
        Some(PL::P(dn)) => String::from_utf8(dn)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        _ => String::new(),
    };
    let mut e = Entry::new(dn);
    let Some(PL::C(attributes)) = parts.next().map(|t| t.payload) else {
        return e;
    };
    for attribute in attributes {
        let PL::C(pair) = attribute.payload else {
            continue;
        };
        let mut pair = pair.into_iter();
        let (Some(PL::P(name)), Some(PL::C(raw))) = (
            pair.next().map(|t| t.payload),
            pair.next().map(|t| t.payload),
        ) else {
            continue;
        };
        let Ok(name) = String::from_utf8(name) else {
            continue;
        };
        // As ldap3's `SearchEntry`: an attribute with one value that is not UTF-8 is binary, all of it.
        let mut values = Vec::with_capacity(raw.len());
        let mut binary = false;
        for v in raw {
            let PL::P(bytes) = v.payload else {
                continue;
            };
            if binary {
                e.push_bin(&name, bytes);
                continue;
            }
            match String::from_utf8(bytes) {
                Ok(text) => values.push(text),
                Err(bin) => {
                    binary = true;
                    for text in values.drain(..) {
                        e.push_bin(&name, text.into_bytes());
                    }
                    e.push_bin(&name, bin.into_bytes());
                }
            }
        }
        if !binary {
            e.push_values(name, values);
        }
    }
    e
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
