//! The directory GUI driven with iced_test: Settings → Directory (save, keyring, test connection),
//! sync progress and the offline status, the mass-deletion confirmation, the Groups screen and the
//! person panel's groups. Same `App::handle`, jobs and sync worker as the window, run synchronously.

mod support;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use guichet::config::Config;
use guichet::demo::{self, DemoOptions};
use guichet::gui::app::Screen;
use guichet::gui::dir_jobs::{Outcome, SyncRequest};
use guichet::gui::jobs;
use guichet::gui::screens::{desk, directory};
use guichet::gui::sync;
use guichet::gui::{App, Effect, Message};
use guichet::i18n::{self, Lang};
use guichet::secrets::{self, Secret};
use guichet::store::{Store, group_tree, persons, sync_state};
use guichet::ui_text;
use iced::{Point, touch};
use iced_test::selector::{self, Candidate};

/// The messages of one sync, run to the end on this thread as the window's worker thread would.
fn sync_messages(app: &App, req: &SyncRequest) -> Vec<Message> {
    let out = std::sync::Mutex::new(Vec::new());
    sync::execute(&app.services, req, &|m| {
        out.lock().unwrap().push(Message::Sync(m));
    });
    out.into_inner().unwrap()
}

/// Applies a message and its jobs, but returns the syncs it asks for instead of running them.
fn drive_until_sync(app: &mut App, msg: Message) -> Vec<SyncRequest> {
    let mut syncs = Vec::new();
    let mut queue = VecDeque::from([msg]);
    while let Some(m) = queue.pop_front() {
        for fx in app.handle(m) {
            match fx {
                Effect::Job(job) => {
                    queue.push_back(Message::Done(jobs::perform(&app.services, job)))
                }
                Effect::Sync(req) => syncs.push(req),
                _ => {}
            }
        }
    }
    syncs
}

/// Applies a message and everything it triggers (jobs, then syncs), in order.
fn drive(app: &mut App, msg: Message) {
    let mut pending = VecDeque::from([msg]);
    while let Some(m) = pending.pop_front() {
        for req in drive_until_sync(app, m) {
            pending.extend(sync_messages(app, &req));
        }
    }
}

fn start_with(dir: &std::path::Path, store: Store) -> App {
    support::gui::start_with(dir, store, drive)
}

fn start(dir: &std::path::Path) -> App {
    start_with(dir, support::fixture_store(dir))
}

/// A small demo institution: university and school, with groups.
fn demo_store(dir: &std::path::Path) -> Store {
    let store = Store::open(&dir.join("guichet.db")).expect("open store");
    demo::generate(
        &store,
        &DemoOptions {
            persons: 80,
            seed: 1,
        },
        jiff::Timestamp::now(),
    )
    .expect("demo");
    store
}

use support::gui::{HEIGHT, shows, ui};

/// Clicks what `label` finds and applies the resulting messages.
fn click(app: &mut App, label: &str) -> bool {
    support::gui::click(app, label, drive)
}

/// Whether some text on screen contains `part`.
fn shows_part(app: &App, part: &str) -> bool {
    let part = part.to_string();
    ui(app)
        .find(move |c: Candidate<'_>| match c {
            Candidate::Text { content, .. } if content.contains(&part) => Some(()),
            _ => None,
        })
        .is_ok()
}

/// Types into the text input with widget id `id` (after clicking it), applying the messages.
fn type_into(app: &mut App, id: &'static str, value: &str) {
    let mut sim = ui(app);
    sim.click(selector::id(id)).expect(id);
    let _ = sim.typewrite(value);
    for m in sim.into_messages().collect::<Vec<_>>() {
        drive(app, m);
    }
}

fn open_directory_tab(app: &mut App) {
    assert!(click(app, "Settings"));
    assert!(click(app, "Directory"), "the Directory tab");
    assert!(shows(app, "Bind DN"), "the directory form");
}

/// Opens the preset pick-list and taps its `index`-th option (of `count`), as a user would. The
/// menu opens on the side with more room (iced's `overlay::menu` rule), like in the window.
fn choose_preset(app: &mut App, index: usize, count: usize) {
    let mut sim = ui(app);
    let target = sim
        .click(selector::id(directory::PRESET_ID))
        .expect("preset pick-list");
    let b = target.visible_bounds().expect("visible");
    // One option is a line of 14 px text (line height 1.3) with the pick-list's 8 px padding.
    let option = 14.0 * 1.3 + 16.0;
    let below = HEIGHT - (b.y + b.height) > b.y;
    let y = if below {
        b.y + b.height + option * (index as f32 + 0.5)
    } else {
        b.y - option * ((count - index) as f32 - 0.5)
    };
    let at = Point::new(b.center_x(), y);
    sim.point_at(at);
    let _ = sim.simulate([iced::Event::Touch(touch::Event::FingerPressed {
        id: touch::Finger(0),
        position: at,
    })]);
    for m in sim.into_messages().collect::<Vec<_>>() {
        drive(app, m);
    }
}

fn lang() -> std::sync::MutexGuard<'static, ()> {
    let l = support::lang_lock();
    i18n::set_language(Lang::En);
    secrets::use_mock_store();
    l
}

#[test]
fn directory_form_saves_settings_and_the_password_only_in_the_keyring() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let mut app = start(dir.path());
    open_directory_tab(&mut app);
    assert!(shows(&app, "No password stored"));
    assert!(
        shows(&app, "Rights end date"),
        "the preset's mapping, readable"
    );
    assert!(shows(&app, "supannEtuId"), "SupAnn by default");

    type_into(&mut app, directory::URL_ID, "ldap://ldap.example.org");
    type_into(
        &mut app,
        directory::PEOPLE_BASE_ID,
        "ou=people,dc=example,dc=org",
    );
    type_into(
        &mut app,
        directory::BIND_DN_ID,
        "cn=guichet,dc=example,dc=org",
    );
    type_into(&mut app, directory::PASSWORD_ID, "s3cret-Pw!");
    assert!(
        !format!("{:?}", app.directory).contains("s3cret"),
        "a typed password never shows in debug output"
    );
    choose_preset(&mut app, 1, 2);
    assert!(
        shows(&app, "ENTEleveClasses"),
        "SDET chosen: its mapping is shown"
    );
    assert!(shows(&app, "Classes taught"));
    assert!(!shows(&app, "supannEtuId"));
    assert!(click(&mut app, "Save"));
    assert!(shows(&app, "Directory settings saved."));
    assert!(shows(&app, "Stored in the OS keyring"));

    let file = std::fs::read_to_string(dir.path().join("guichet.toml")).unwrap();
    assert!(file.contains("ldap://ldap.example.org"), "{file}");
    assert!(file.contains("ou=people,dc=example,dc=org"), "{file}");
    assert!(file.contains("cn=guichet,dc=example,dc=org"), "{file}");
    assert!(file.contains("preset = \"sdet\""), "{file}");
    assert!(
        !file.contains("s3cret"),
        "the password never reaches the file"
    );
    assert_eq!(
        secrets::get(Secret::LdapPassword).unwrap().as_deref(),
        Some("s3cret-Pw!")
    );

    // Saving again with an empty password field keeps the stored password.
    drive(
        &mut app,
        Message::Directory(directory::Message::Edit(
            directory::Field::Every,
            "0".into(),
        )),
    );
    assert!(click(&mut app, "Save"));
    assert_eq!(
        secrets::get(Secret::LdapPassword).unwrap().as_deref(),
        Some("s3cret-Pw!")
    );
    let saved = Config::load(&dir.path().join("guichet.toml")).unwrap();
    assert_eq!(saved.directory.sync_every_minutes, 0);

    // A wrong value is refused in the user's language, and nothing is written.
    drive(
        &mut app,
        Message::Directory(directory::Message::Edit(
            directory::Field::Url,
            "http://ldap.example.org".into(),
        )),
    );
    assert!(click(&mut app, "Save"));
    assert!(shows_part(
        &app,
        "The address starts with ldap:// or ldaps://"
    ));
    let again = Config::load(&dir.path().join("guichet.toml")).unwrap();
    assert_eq!(again, saved);
    assert_eq!(
        app.services.config.directory.url.as_deref(),
        Some("ldap://ldap.example.org")
    );
}

#[test]
fn test_connection_reports_an_unreachable_directory() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let mut app = start(dir.path());
    open_directory_tab(&mut app);
    type_into(&mut app, directory::URL_ID, "ldap://127.0.0.1:1");
    type_into(
        &mut app,
        directory::PEOPLE_BASE_ID,
        "ou=people,dc=example,dc=org",
    );
    let mut sim = ui(&app);
    sim.click("Test connection").expect("the button");
    let msgs: Vec<Message> = sim.into_messages().collect();
    // While the test runs the button says so; the window stays usable.
    for fx in app.handle(msgs[0].clone()) {
        let Effect::Job(job) = fx else { continue };
        assert!(shows(&app, "Testing…"));
        let done = jobs::perform(&app.services, job);
        drive(&mut app, Message::Done(done));
    }
    assert!(shows(&app, "Connection test"));
    assert!(shows_part(
        &app,
        "Cannot reach the directory (ldap://127.0.0.1:1)"
    ));
    assert!(
        !dir.path().join("guichet.toml").exists(),
        "testing saves nothing"
    );
}

#[test]
fn sync_shows_progress_then_offline_and_backs_off() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let mut app = start(dir.path());
    assert!(
        !shows_part(&app, "Directory"),
        "nothing about the directory while it is not configured"
    );
    open_directory_tab(&mut app);
    type_into(&mut app, directory::URL_ID, "ldap://127.0.0.1:1");
    type_into(
        &mut app,
        directory::PEOPLE_BASE_ID,
        "ou=people,dc=example,dc=org",
    );
    assert!(click(&mut app, "Save"));
    assert!(shows(&app, "Directory never synchronised"));

    let mut sim = ui(&app);
    sim.click("Synchronise now").expect("the button");
    let start: Vec<Message> = sim.into_messages().collect();
    let mut syncs = Vec::new();
    for m in start {
        syncs.extend(drive_until_sync(&mut app, m));
    }
    let [req] = syncs.as_slice() else {
        panic!("one sync asked: {syncs:?}");
    };
    assert!(!req.background && !req.allow_mass_delete);
    assert!(shows(&app, "Directory: starting the sync…"));
    assert!(shows(&app, "Cancel"), "a running sync can be cancelled");
    assert!(
        drive_until_sync(&mut app, Message::Sync(sync::Message::Start)).is_empty(),
        "never two syncs at once"
    );

    let messages = sync_messages(&app, req);
    assert!(messages.len() >= 2, "progress, then the end: {messages:?}");
    let mut messages = messages.into_iter();
    drive(&mut app, messages.next().unwrap());
    assert!(
        shows(&app, "Directory: connecting, 0 entries…"),
        "status bar"
    );
    assert!(shows(&app, "Synchronisation in progress"));
    assert!(
        shows_part(&app, "Directory: connecting — 0 entries"),
        "the progress line"
    );
    for m in messages {
        drive(&mut app, m);
    }
    let state = app
        .services
        .store
        .read(|c| sync_state::get(c, "people"))
        .unwrap()
        .expect("a sync state");
    let since = state.offline_since.expect("offline since");
    assert!(shows(
        &app,
        &format!("Directory offline since {}", ui_text::datetime(since))
    ));
    assert!(shows(&app, "Last synchronisation"));
    assert!(shows_part(&app, "Cannot reach the directory"));
    assert!(shows(&app, "Synchronise now"), "ready again");

    // Background sync is on (15 minutes by default): the first retry comes 30 s later.
    assert_eq!(app.sync.failures(), 1);
    let due = app.sync.next_due().expect("a retry is scheduled");
    let wait = due.saturating_duration_since(Instant::now());
    assert!(
        wait <= Duration::from_secs(30) && wait > Duration::from_secs(25),
        "{wait:?}"
    );
    let early = drive_until_sync(&mut app, Message::Sync(sync::Message::Tick(Instant::now())));
    assert!(early.is_empty(), "not before the retry delay");
    let retry = drive_until_sync(&mut app, Message::Sync(sync::Message::Tick(due)));
    assert!(matches!(retry.as_slice(), [r] if r.background));
    for m in sync_messages(&app, &retry[0]) {
        drive(&mut app, m);
    }
    assert_eq!(app.sync.failures(), 2);
    let wait = app
        .sync
        .next_due()
        .unwrap()
        .saturating_duration_since(Instant::now());
    assert!(wait > Duration::from_secs(55), "then 1 min: {wait:?}");
    // The desk kept working all along.
    assert!(click(&mut app, "Desk"));
    assert!(shows(&app, "5 persons in the directory"));
}

#[test]
fn mass_deletion_asks_before_going_on() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let mut app = start(dir.path());
    app.services.config.directory.url = Some("ldap://127.0.0.1:1".into());
    app.services.config.directory.people_base = Some("ou=people,dc=example,dc=org".into());
    open_directory_tab(&mut app);
    let syncs = drive_until_sync(&mut app, Message::Sync(sync::Message::Start));
    assert_eq!(syncs.len(), 1);
    let message = "Sync stopped before deleting anything: it would remove 80 of the 100 persons.";
    drive(
        &mut app,
        Message::Sync(sync::Message::Finished(Outcome::MassDelete(message.into()))),
    );
    assert!(shows(&app, message));
    assert!(shows(
        &app,
        "Directory sync stopped: confirmation needed (Settings → Directory)"
    ));
    let mut sim = ui(&app);
    sim.click("Delete anyway").expect("the confirmation button");
    let msgs: Vec<Message> = sim.into_messages().collect();
    let mut again = Vec::new();
    for m in msgs {
        again.extend(drive_until_sync(&mut app, m));
    }
    assert!(matches!(again.as_slice(), [r] if r.allow_mass_delete && !r.background));
    // The other way out: Cancel closes the panel and deletes nothing.
    drive(
        &mut app,
        Message::Sync(sync::Message::Finished(Outcome::MassDelete(message.into()))),
    );
    assert!(click(&mut app, "Cancel"));
    assert!(!shows(&app, "Delete anyway"));
}

#[test]
fn groups_screen_lists_groups_with_counts_and_members() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let groups = store.read(group_tree::all_with_counts).unwrap();
    // A group with members whose display name is unique, to find it by its label.
    let group = groups
        .iter()
        .filter(|g| g.members > 1)
        .find(|g| {
            groups
                .iter()
                .filter(|o| o.display_name == g.display_name)
                .count()
                == 1
        })
        .expect("a group")
        .clone();
    let members = store.read(|c| group_tree::members(c, group.id)).unwrap();
    let first = store.read(|c| persons::rows(c, &members[..1])).unwrap()[0].clone();
    let mut app = start_with(dir.path(), store);

    assert!(click(&mut app, "Groups"));
    assert_eq!(app.screen, Screen::Groups);
    assert!(shows(&app, &format!("{} groups", groups.len())));
    assert!(shows(&app, "univ-broceliande"), "a root stem of the tree");
    assert!(shows(&app, "Choose a group to list its members."));

    // The filter finds it by its full name (accents and case ignored).
    type_into(
        &mut app,
        guichet::gui::screens::groups::FILTER_ID,
        &group.name.to_uppercase(),
    );
    assert!(shows(&app, &group.display_name));
    assert!(shows(
        &app,
        &format!("{} members · {}", group.members, group.name)
    ));
    assert!(click(&mut app, &group.display_name));
    assert!(
        shows(&app, &format!("{} members", group.members)),
        "the count"
    );
    assert!(shows(&app, &first.display_name), "members listed in order");

    assert!(click(&mut app, &first.display_name));
    assert_eq!(app.screen, Screen::Desk, "a member opens on the Desk");
    assert_eq!(
        app.desk.person.as_ref().map(|p| p.view.detail.id),
        Some(first.id)
    );
}

#[test]
fn person_panel_shows_groups_by_stem_and_departure() {
    let _l = lang();
    let dir = tempfile::tempdir().unwrap();
    let store = demo_store(dir.path());
    let pupil = store
        .read(|c| guichet::store::search::search_ids(c, "loewy zoe", 1))
        .unwrap()[0];
    store
        .write(|tx| {
            tx.execute(
                "UPDATE persons SET departed_at = '2026-07-01T10:00:00Z' WHERE id = ?1",
                [pupil],
            )?;
            Ok(())
        })
        .unwrap();
    let mut app = start_with(dir.path(), store);
    drive(
        &mut app,
        Message::Desk(desk::Message::QueryChanged("loewy zoe".into())),
    );
    drive(&mut app, Message::Desk(desk::Message::Submit));
    let panel = app.desk.person.as_ref().expect("person open");
    assert!(!panel.view.detail.groups.is_empty());
    assert!(shows(&app, "Left the directory on 2026-07-01"));
    // The school's stem is shown once, indented groups below it with their member counts.
    assert!(shows(&app, "esco"));
    let g = panel.view.detail.groups[0].clone();
    let count = panel
        .view
        .group_members
        .iter()
        .find(|(id, _)| *id == g.id)
        .unwrap()
        .1;
    assert!(count >= 1);
    assert!(shows(&app, &g.display_name));
    // A group of the panel opens on the Groups screen with its members.
    assert!(click(&mut app, &g.display_name));
    assert_eq!(app.screen, Screen::Groups);
    assert!(shows(&app, &g.name));
}

/// With a real slapd (skipped when OpenLDAP is not installed, a failure under CI=true): the form is
/// filled and saved, "Synchronise now" shows the progress and the report, the status bar the time of
/// the sync, the Desk and the Groups screen the new persons and groups.
#[test]
fn real_sync_from_the_form_fills_the_desk_and_the_groups() {
    use support::slapd::{Slapd, SlapdOptions};
    let _l = lang();
    let tmp = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(support::guichet())
        .args(["gen-ldif", "--preset", "supann", "--persons", "60"])
        .args(["--groups", "6", "--max-group", "30"])
        .output()
        .expect("gen-ldif");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ldif = tmp.path().join("supann.ldif");
    std::fs::write(&ldif, &out.stdout).unwrap();
    let Some(slapd) = Slapd::start(SlapdOptions {
        ldif: Some(ldif),
        ..SlapdOptions::supann()
    }) else {
        return;
    };
    let suffix = slapd.suffix().to_string();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let store = Store::open(&data.join("guichet.db")).unwrap();
    let mut app = start_with(&data, store);
    open_directory_tab(&mut app);
    type_into(&mut app, directory::URL_ID, &slapd.url());
    assert!(click(&mut app, "None (plain LDAP)"));
    type_into(&mut app, directory::BIND_DN_ID, &slapd.reader_dn());
    type_into(&mut app, directory::PASSWORD_ID, slapd.reader_password());
    type_into(
        &mut app,
        directory::PEOPLE_BASE_ID,
        &format!("ou=people,{suffix}"),
    );
    type_into(
        &mut app,
        directory::GROUPS_BASE_ID,
        &format!("ou=groups,{suffix}"),
    );
    type_into(
        &mut app,
        directory::STRUCTURES_BASE_ID,
        &format!("ou=structures,{suffix}"),
    );
    assert!(click(&mut app, "Save"));
    assert_eq!(
        secrets::get(Secret::LdapPassword).unwrap().as_deref(),
        Some(slapd.reader_password()),
        "special characters typed into the secure field reach the keyring intact"
    );

    assert!(click(&mut app, "Test connection"));
    assert!(shows(
        &app,
        &format!("Directory reachable: {}", slapd.url())
    ));
    assert!(shows(
        &app,
        &format!("Bind accepted: {}", slapd.reader_dn())
    ));
    assert!(shows(&app, "Persons: 60 entries match the filter"));

    let syncs = drive_until_sync(&mut app, Message::Sync(sync::Message::Start));
    let [req] = syncs.as_slice() else {
        panic!("one sync: {syncs:?}");
    };
    let messages = sync_messages(&app, req);
    let progress = messages
        .iter()
        .filter(|m| matches!(m, Message::Sync(sync::Message::Progress(_))))
        .count();
    assert!(progress >= 2, "progress through the phases: {messages:?}");
    let mut shown_progress = false;
    for m in messages {
        let is_progress = matches!(m, Message::Sync(sync::Message::Progress(_)));
        drive(&mut app, m);
        if is_progress && !shown_progress {
            assert!(shows(&app, "Synchronisation in progress"));
            assert!(shows_part(&app, "entries"), "the progress line");
            shown_progress = true;
        }
    }
    assert!(shows(&app, "Last synchronisation"));
    assert!(shows_part(&app, "60 added"), "the report");
    let state = app
        .services
        .store
        .read(|c| sync_state::get(c, "people"))
        .unwrap()
        .expect("state");
    let at = state.last_ok_at.expect("a successful sync");
    assert!(shows(
        &app,
        &format!("Directory synchronised {}", ui_text::datetime(at))
    ));
    assert!(click(&mut app, "Desk"));
    assert!(
        shows(&app, "60 persons in the directory"),
        "the Desk reloaded"
    );
    assert!(click(&mut app, "Groups"));
    let groups = app
        .services
        .store
        .read(group_tree::all_with_counts)
        .unwrap();
    assert!(!groups.is_empty());
    assert!(shows(&app, &format!("{} groups", groups.len())));
}
