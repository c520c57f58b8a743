//! Wording of the directory sync: errors, progress, reports, "Test connection".

use crate::directory::client::{DirError, TestReport};
use crate::directory::sync::{Mode, Phase, Progress, Report};
use crate::fl;

pub fn directory_error(e: &DirError) -> String {
    match e {
        DirError::NotConfigured(key) => fl!("err-dir-not-configured", key = key.to_string()),
        DirError::Unreachable { url, message } => fl!(
            "err-dir-unreachable",
            url = url.clone(),
            message = message.clone()
        ),
        DirError::Tls { url, message } => {
            fl!("err-dir-tls", url = url.clone(), message = message.clone())
        }
        DirError::CaFile { path, message } => fl!(
            "err-dir-ca-file",
            path = path.display().to_string(),
            message = message.clone()
        ),
        DirError::BindRefused { dn, message } => {
            fl!("err-dir-bind", dn = dn.clone(), message = message.clone())
        }
        DirError::Ldap { op, rc, message } if *rc == 32 => fl!(
            "err-dir-no-such-base",
            op = op.to_string(),
            message = message.clone()
        ),
        DirError::Ldap { op, rc, message } => fl!(
            "err-dir-ldap",
            op = op.to_string(),
            rc = rc.to_string(),
            message = message.clone()
        ),
        DirError::Protocol(m) => fl!("err-dir-protocol", message = m.clone()),
        DirError::Mapping { entry, message } => fl!(
            "err-dir-mapping",
            entry = entry.clone(),
            message = message.clone()
        ),
        DirError::MassDelete {
            would,
            total,
            percent,
        } => fl!(
            "err-dir-mass-delete",
            would = would.to_string(),
            total = total.to_string(),
            percent = percent.to_string()
        ),
        DirError::Store(s) => super::store_error(s),
        DirError::Cancelled => fl!("err-dir-cancelled"),
    }
}

pub fn phase(p: Phase) -> String {
    match p {
        Phase::Connecting => fl!("sync-phase-connecting"),
        Phase::Structures => fl!("sync-phase-structures"),
        Phase::People => fl!("sync-phase-people"),
        Phase::Groups => fl!("sync-phase-groups"),
        Phase::Finishing => fl!("sync-phase-finishing"),
    }
}

/// `1 min 20 s`, `45 s`.
pub fn duration(d: std::time::Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        fl!(
            "duration-min-sec",
            min = (s / 60).to_string(),
            sec = (s % 60).to_string()
        )
    } else {
        fl!("duration-sec", sec = s.to_string())
    }
}

pub fn sync_progress(p: &Progress) -> String {
    let left = p
        .remaining()
        .map(|d| fl!("sync-progress-left", left = duration(d)))
        .unwrap_or_default();
    fl!(
        "sync-progress",
        phase = phase(p.phase),
        seen = p.seen.to_string(),
        rate = format!("{:.0}", p.rate()),
        left = left
    )
}

pub fn mode(m: Mode) -> String {
    match m {
        Mode::Full => fl!("sync-mode-full"),
        Mode::Incremental => fl!("sync-mode-incremental"),
        Mode::Fallback => fl!("sync-mode-fallback"),
    }
}

pub fn sync_report(r: &Report) -> String {
    let mut s = fl!(
        "sync-report",
        mode = mode(r.mode),
        added = r.added.to_string(),
        modified = r.modified.to_string(),
        deleted = r.deleted.to_string(),
        departed = r.departed.to_string(),
        groups = r.groups.to_string(),
        memberships = r.memberships.to_string(),
        seconds = format!("{:.1}", r.seconds)
    );
    if r.cards > 0 {
        s.push(' ');
        s.push_str(&fl!("sync-report-cards", cards = r.cards.to_string()));
    }
    if r.skipped > 0 {
        s.push(' ');
        s.push_str(&fl!("sync-report-skipped", skipped = r.skipped.to_string()));
    }
    s
}

/// "Test connection" as lines: reachable, TLS, bind, content sync, counts.
pub fn test_report(r: &TestReport) -> Vec<String> {
    let mut lines = vec![fl!("dir-test-reachable", url = r.url.clone())];
    lines.push(match r.tls_verified {
        Some(true) => fl!("dir-test-tls-verified"),
        _ => fl!("dir-test-tls-none"),
    });
    lines.push(match &r.bind_dn {
        Some(dn) => fl!("dir-test-bind", dn = dn.clone()),
        None => fl!("dir-test-anonymous"),
    });
    lines.push(if r.content_sync {
        fl!("dir-test-content-sync")
    } else {
        fl!("dir-test-no-content-sync")
    });
    let count = |label: String, c: &Result<usize, DirError>| match c {
        Ok(n) => fl!("dir-test-count", what = label, count = n.to_string()),
        Err(e) => fl!(
            "dir-test-count-failed",
            what = label,
            message = directory_error(e)
        ),
    };
    lines.push(count(fl!("dir-people"), &r.people));
    if let Some(g) = &r.groups {
        lines.push(count(fl!("dir-groups"), g));
    }
    if let Some(s) = &r.structures {
        lines.push(count(fl!("dir-structures"), s));
    }
    lines
}
