//! The window: navigation rail, the current screen, the status bar; keyboard shortcuts; turning the
//! screens' effects into iced Tasks.

use std::time::{Duration, Instant};

use iced::keyboard::{self, Key, Modifiers};
use iced::widget::operation::{self, AbsoluteOffset};
use iced::widget::{Column, button, column, container, row, rule, text};
use iced::{Element, Length, Subscription, Task, Theme};

use super::app_queue::QueueUi;
use super::dir_jobs::{DirJob, SyncRequest};
use super::encoding::{self, EncodeMsg, EncodeRequest};
use super::jobs::{self, Done, Job, Services};
use super::printing::Origin;
use super::printing::{self, Dialog, PrintMsg, PrintRequest};
use super::queue_jobs::{self, WorkerMsg, WorkerRequest};
use super::screens::{
    desk, directory, encoding as encoding_tab, groups, imports, library, printers, production,
    queue, readers, services as services_tab, settings, training,
};
use super::sync::{self, SyncUi};
use super::theme;
use crate::fl;
use crate::store::counts::Counts;

/// The screens of the navigation rail. Only screens that work are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Desk,
    Production,
    Groups,
    /// The outbox: counts, errors that need a human, the managers' tools.
    Queue,
    /// The school librarian's BCDI borrowers update.
    Library,
    /// The ENT/IT admin's school files: SACoche export and check, SIECLE import.
    Imports,
    Settings,
}

/// Something `update` asks the runtime to do.
#[derive(Debug, Clone)]
pub enum Effect {
    Job(Job),
    Focus(&'static str),
    /// Tab / Shift+Tab: the next (previous) field of any form.
    FocusNext {
        back: bool,
    },
    ScrollTo {
        id: &'static str,
        y: f32,
    },
    /// A directory sync on a worker thread, reporting through `Message::Sync` (`sync.rs`).
    Sync(SyncRequest),
    /// Cards sent to a printer or a PDF on a worker thread, reporting through `Message::Print`.
    Print(PrintRequest),
    /// A native open/save dialog; the answer comes back as `Message::Picked`.
    Dialog(Dialog),
    /// A card encoded on a worker thread, reporting through `Message::Encode` (`encoding.rs`).
    Encode(EncodeRequest),
    /// The queue worker on a thread of its own, reporting through `Message::Worker`.
    Worker(WorkerRequest),
    /// A dialog of the Library screen; the answer comes back as `library::Message::Picked`.
    LibraryDialog(library::Pick),
    /// A native dialog of the Imports screen; the answer comes back as `imports::Message::Picked`.
    PickImport(imports::Pick),
    Exit,
}

#[derive(Debug, Clone)]
pub enum Message {
    Done(Done),
    Navigate(Screen),
    Desk(desk::Message),
    Settings(settings::Message),
    /// Settings → Directory form.
    Directory(directory::Message),
    /// Directory sync: start, progress, end, schedule.
    Sync(sync::Message),
    Groups(groups::Message),
    Production(production::Message),
    /// Settings → Printing.
    Printers(printers::Message),
    /// Settings → Encoding.
    Encoding(encoding_tab::Message),
    /// An encoding run's steps and end.
    Encode(EncodeMsg),
    /// The training reader's buttons (Settings → Readers).
    Training(training::Message),
    Print(PrintMsg),
    Queue(queue::Message),
    Library(library::Message),
    Imports(imports::Message),
    /// Settings → Services.
    Services(services_tab::Message),
    /// The queue worker's reports and the badge's tick.
    Worker(WorkerMsg),
    /// The path chosen in a dialog (`None`: cancelled).
    Picked(Dialog, Option<std::path::PathBuf>),
    /// A file dropped on the window (a photo for the card being prepared).
    FileDropped(std::path::PathBuf),
    Key(Key, Modifiers),
    /// A reader plugged or unplugged, a card put on or taken off, the PC/SC service gone or back.
    Reader(crate::nfc::monitor::ReaderEvent),
    Frame,
}

/// Start-up measurement for `make bench` (`guichet --bench-startup`).
#[derive(Debug)]
struct Bench {
    started: Instant,
    first_frame: Option<Duration>,
    ready: Option<Duration>,
}

pub struct App {
    pub services: Services,
    pub screen: Screen,
    pub desk: desk::State,
    pub settings: settings::State,
    pub directory: directory::State,
    pub sync: SyncUi,
    pub groups: groups::State,
    pub production: production::State,
    pub printers: printers::State,
    /// Card readers, from the PC/SC monitor.
    pub readers: readers::State,
    /// Settings → Encoding.
    pub encoding: encoding_tab::State,
    /// The training reader (offered when `config.encode.virtual_reader`).
    pub training: training::State,
    pub queue: queue::State,
    pub library: library::State,
    pub imports: imports::State,
    /// Settings → Services.
    pub services_tab: services_tab::State,
    /// The queue worker and the badge.
    pub queue_ui: QueueUi,
    pub counts: Option<Counts>,
    /// Start-up is running (database check, demo generation on first run).
    pub starting: bool,
    pub status: Option<String>,
    bench: Option<Bench>,
}

impl App {
    /// The state at start and the first effects (start-up job).
    pub fn new(services: Services) -> (App, Vec<Effect>) {
        let mut desk = desk::State::new(services.config.desk.results_limit);
        desk.default_printer = services.config.print.printer.clone();
        desk.sdet_note = crate::ui_text::sdet_note(&services.config.sdet);
        let settings = settings::State::new(&services.config);
        let directory = directory::State::new(&services.config);
        let services_tab = services_tab::State::new(&services.config);
        let status = services.fresh.then(|| fl!("status-creating-demo"));
        let app = App {
            services,
            screen: Screen::Desk,
            desk,
            settings,
            directory,
            sync: SyncUi::default(),
            groups: groups::State::new(),
            production: production::State::new(),
            printers: printers::State::default(),
            readers: readers::State::default(),
            encoding: encoding_tab::State::default(),
            training: training::State::default(),
            queue: queue::State::new(),
            library: library::State::default(),
            imports: imports::State::new(),
            services_tab,
            queue_ui: QueueUi::default(),
            counts: None,
            starting: true,
            status,
            bench: None,
        };
        (
            app,
            vec![Effect::Job(Job::Startup), Effect::Focus(desk::SEARCH_ID)],
        )
    }

    /// iced's boot function.
    pub fn boot(services: Services, bench_startup: bool, started: Instant) -> (App, Task<Message>) {
        let (mut app, fx) = App::new(services);
        if bench_startup {
            app.bench = Some(Bench {
                started,
                first_frame: None,
                ready: None,
            });
        }
        let task = app.run_effects(fx);
        (app, task)
    }

    pub fn title(&self) -> String {
        match self.screen {
            Screen::Desk => fl!("title-desk"),
            Screen::Production => fl!("title-production"),
            Screen::Groups => fl!("title-groups"),
            Screen::Queue => fl!("title-queue"),
            Screen::Library => fl!("title-library"),
            Screen::Imports => fl!("title-imports"),
            Screen::Settings => fl!("title-settings"),
        }
    }

    pub fn theme(&self) -> Theme {
        theme::theme(self.services.config.ui.theme)
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let keys = keyboard::listen().filter_map(|event| match event {
            keyboard::Event::KeyPressed { key, modifiers, .. } => {
                Some(Message::Key(key, modifiers))
            }
            _ => None,
        });
        let background = SyncUi::subscription(&self.services.config).map(Message::Sync);
        let dropped = iced::event::listen_with(|event, _, _| match event {
            iced::Event::Window(iced::window::Event::FileDropped(path)) => {
                Some(Message::FileDropped(path))
            }
            _ => None,
        });
        let readers = crate::nfc::monitor::subscription().map(Message::Reader);
        let badge = QueueUi::subscription(self.starting);
        let keys = Subscription::batch([keys, dropped, readers, badge]);
        if self.bench.is_some() {
            Subscription::batch([
                keys,
                background,
                iced::window::frames().map(|_| Message::Frame),
            ])
        } else {
            Subscription::batch([keys, background])
        }
    }

    /// The state transition; returns what the runtime must do. Tests call this directly.
    pub fn handle(&mut self, msg: Message) -> Vec<Effect> {
        match msg {
            Message::Done(done) => self.on_done(done),
            Message::Navigate(s) => {
                self.screen = s;
                match s {
                    Screen::Desk => vec![Effect::Focus(desk::SEARCH_ID)],
                    Screen::Groups => {
                        let mut fx = self.groups.open();
                        fx.push(Effect::Focus(groups::FILTER_ID));
                        fx
                    }
                    Screen::Production => self.production.open(),
                    Screen::Queue => {
                        let mut fx = self.queue.reload();
                        fx.push(Effect::Job(Job::Queue(queue_jobs::QueueJob::Badge)));
                        fx
                    }
                    Screen::Library => self.library.open(),
                    Screen::Imports => self.imports.open(),
                    Screen::Settings => match self.settings.tab {
                        settings::Tab::Printing => self.printers.open(),
                        settings::Tab::Encoding => self.encoding.open(),
                        settings::Tab::Services => self.services_tab.open(),
                        _ => Vec::new(),
                    },
                }
            }
            Message::Desk(desk::Message::OpenGroup(g)) => {
                self.screen = Screen::Groups;
                self.groups.show_group(g)
            }
            Message::Desk(desk::Message::OpenEncode(card)) => self.open_encode(card),
            Message::Desk(desk::Message::Encode(m)) => self.on_panel(Origin::Desk, m),
            Message::Desk(m) => {
                if matches!(m, desk::Message::NewPerson) {
                    // The settings may have changed since the start (Settings → Services).
                    self.desk.sdet_note = crate::ui_text::sdet_note(&self.services.config.sdet);
                }
                self.desk.update(m)
            }
            Message::Settings(settings::Message::Tab(settings::Tab::Printing)) => {
                self.settings.tab = settings::Tab::Printing;
                self.printers.open()
            }
            Message::Settings(settings::Message::Tab(settings::Tab::Encoding)) => {
                self.settings.tab = settings::Tab::Encoding;
                self.encoding.open()
            }
            Message::Settings(settings::Message::Tab(settings::Tab::Services)) => {
                self.on_services_tab()
            }
            Message::Settings(m) => self.settings.update(&mut self.services.config, m),
            Message::Queue(m) => self.queue.update(m),
            Message::Library(m) => self.library.update(m),
            Message::Imports(m) => self.imports.update(m),
            Message::Services(m) => self.services_tab.update(&mut self.services.config, m),
            Message::Worker(m) => self.on_worker(m),
            Message::Encoding(m) => self.encoding.update(&mut self.services.config, m),
            Message::Encode(m) => self.on_encode(m),
            Message::Training(m) => {
                self.training.update(m);
                Vec::new()
            }
            Message::Production(m) => self.on_production(m),
            Message::Printers(m) => self.printers.update(&mut self.services.config, m),
            Message::Print(m) => self.on_print(m),
            Message::Picked(d, path) => self.on_picked(d, path),
            Message::FileDropped(path) => self.on_dropped(path),
            Message::Reader(event) => {
                self.readers.apply(event);
                Vec::new()
            }
            Message::Directory(m) => self.directory.update(&mut self.services.config, m),
            Message::Sync(m) => self.on_sync(m),
            Message::Groups(groups::Message::OpenMember(id)) => {
                self.screen = Screen::Desk;
                self.desk.open_person(id)
            }
            Message::Groups(m) => self.groups.update(m),
            Message::Key(key, modifiers) => self.on_key(key, modifiers),
            Message::Frame => self.on_frame(),
        }
    }

    fn on_done(&mut self, done: Done) -> Vec<Effect> {
        match done {
            Done::Started { demo_loaded } => {
                self.starting = false;
                self.status = demo_loaded.map(|n| fl!("status-demo-loaded", count = n));
                let mut fx = vec![
                    Effect::Job(Job::Directory),
                    Effect::Job(Job::Counts),
                    Effect::Job(Job::Dir(DirJob::Status)),
                    Effect::Job(Job::Queue(queue_jobs::QueueJob::Badge)),
                ];
                fx.extend(self.queue_ui.restart(&self.services.config));
                fx
            }
            Done::Counts(c) => {
                self.counts = Some(c);
                Vec::new()
            }
            Done::Searched { seq, ids } => self.desk.on_searched(seq, ids),
            Done::Directory(ids) => self.desk.on_directory(ids),
            Done::Rows(rows) => self.desk.on_rows(rows),
            Done::Person(view) => self.desk.on_person(*view),
            Done::Captured(result) => self.desk.on_captured(result),
            Done::CardChanged { person, message } => {
                // The change queued its outbox rows in the same transaction: the worker sends them now.
                self.queue_ui.wake();
                let mut fx = self.desk.on_card_changed(person, message);
                fx.push(Effect::Job(Job::Queue(queue_jobs::QueueJob::Badge)));
                fx
            }
            Done::ConfigSaved => {
                self.status = Some(fl!("status-settings-saved"));
                Vec::new()
            }
            Done::Failed(message) => {
                self.starting = false;
                self.desk.on_failed(message);
                Vec::new()
            }
            Done::Dir(d) => self.on_dir_done(d),
            Done::Prod(d) => self.on_prod_done(d),
            Done::Enc(d) => self.on_enc_done(d),
            Done::Queue(d) => self.on_queue_done(d),
            Done::Library(d) => self.library.on_done(d),
            Done::Imports(d) => self.on_imports_done(d),
        }
    }

    /// `--bench-startup`: the first frame, then the first frame that shows the loaded directory.
    fn on_frame(&mut self) -> Vec<Effect> {
        let ready = !self.starting
            && !self.desk.list().is_empty()
            && self
                .desk
                .list()
                .first()
                .is_some_and(|id| self.desk.row(*id).is_some());
        let Some(b) = self.bench.as_mut() else {
            return Vec::new();
        };
        let elapsed = b.started.elapsed();
        if b.first_frame.is_none() {
            b.first_frame = Some(elapsed);
        }
        if ready && b.ready.is_none() {
            b.ready = Some(elapsed);
            let figures = serde_json::json!({
                "first_frame_ms": b.first_frame.unwrap_or(elapsed).as_secs_f64() * 1000.0,
                "ready_ms": elapsed.as_secs_f64() * 1000.0,
                "persons": self.desk.list().len(),
                "peak_rss_kb": peak_rss_kb(),
            });
            println!("{figures}");
            return vec![Effect::Exit];
        }
        Vec::new()
    }

    /// iced's update: the state transition, then the effects as Tasks.
    pub fn update_task(&mut self, msg: Message) -> Task<Message> {
        let fx = self.handle(msg);
        self.run_effects(fx)
    }

    fn run_effects(&self, fx: Vec<Effect>) -> Task<Message> {
        Task::batch(fx.into_iter().map(|e| match e {
            Effect::Job(job) => {
                let services = self.services.clone();
                Task::perform(
                    async move {
                        tokio::task::spawn_blocking(move || jobs::perform(&services, job))
                            .await
                            .unwrap_or_else(|e| Done::Failed(e.to_string()))
                    },
                    Message::Done,
                )
            }
            Effect::Focus(id) => operation::focus(id),
            Effect::FocusNext { back: false } => operation::focus_next(),
            Effect::FocusNext { back: true } => operation::focus_previous(),
            Effect::ScrollTo { id, y } => operation::scroll_to(id, AbsoluteOffset { x: 0.0, y }),
            Effect::Sync(req) => sync::task(self.services.clone(), req),
            Effect::Print(req) => printing::task(self.services.clone(), req),
            Effect::Dialog(d) => printing::dialog(d),
            Effect::Encode(req) => encoding::task(self.services.clone(), req),
            Effect::Worker(req) => queue_jobs::worker_task(self.services.clone(), req),
            Effect::LibraryDialog(pick) => super::app_library::dialog(pick),
            Effect::PickImport(pick) => super::imports_jobs::dialog(pick),
            Effect::Exit => iced::exit(),
        }))
    }

    pub fn view(&self) -> Element<'_, Message> {
        let body: Element<'_, Message> = match self.screen {
            Screen::Desk => self.desk.view(&self.encode_readers()).map(Message::Desk),
            Screen::Production => self
                .production
                .view(&self.encode_readers())
                .map(Message::Production),
            Screen::Groups => self.groups.view().map(Message::Groups),
            Screen::Queue => self.queue.view().map(Message::Queue),
            Screen::Library => self.library.view().map(Message::Library),
            Screen::Imports => self.imports.view().map(Message::Imports),
            Screen::Settings => {
                let tab: Element<'_, Message> = match self.settings.tab {
                    settings::Tab::General => self
                        .settings
                        .view(
                            &self.services.config,
                            self.services.store.path().display().to_string(),
                            self.services.config_file.display().to_string(),
                        )
                        .map(Message::Settings),
                    settings::Tab::Directory => {
                        self.directory.view(&self.services.config, &self.sync)
                    }
                    settings::Tab::Printing => self
                        .printers
                        .view(&self.services.config)
                        .map(Message::Printers),
                    settings::Tab::Readers => {
                        let mut col = column![self.readers.view()];
                        if self.services.config.encode.virtual_reader {
                            col = col.push(
                                container(self.training.view().map(Message::Training))
                                    .padding([0, 20]),
                            );
                        }
                        col.into()
                    }
                    settings::Tab::Encoding => self
                        .encoding
                        .view(&self.services.config)
                        .map(Message::Encoding),
                    settings::Tab::Services => self.services_tab.view().map(Message::Services),
                };
                column![self.settings.tabs().map(Message::Settings), tab].into()
            }
        };
        let main = row![
            self.rail(),
            rule::vertical(1),
            container(body).width(Length::Fill).height(Length::Fill)
        ];
        column![
            main.height(Length::Fill),
            rule::horizontal(1),
            self.status_bar()
        ]
        .into()
    }

    fn rail(&self) -> Element<'_, Message> {
        let item = |screen: Screen, label: String| {
            let style = if self.screen == screen {
                button::primary
            } else {
                button::text
            };
            button(text(label).size(15))
                .on_press(Message::Navigate(screen))
                .style(style)
                .width(Length::Fill)
                .padding([10, 12])
        };
        let col: Column<'_, Message> = column![
            text("Guichet").size(20),
            item(Screen::Desk, fl!("nav-desk")),
            item(Screen::Production, fl!("nav-production")),
            item(Screen::Groups, fl!("nav-groups")),
            item(Screen::Queue, fl!("nav-queue")),
            item(Screen::Library, fl!("nav-library")),
            item(Screen::Imports, fl!("nav-imports")),
            item(Screen::Settings, fl!("nav-settings")),
        ]
        .spacing(6)
        .padding(12)
        .width(Length::Fixed(150.0));
        container(col)
            .height(Length::Fill)
            .style(theme::chrome)
            .into()
    }
}

/// Peak resident memory of this process (Linux `VmHWM`), in KiB; 0 where unknown.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
