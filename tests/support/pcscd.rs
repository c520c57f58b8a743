//! A private pcscd for the card reader tests: the vpcd virtual reader driver (desfire.md §11) on free
//! loopback ports, and its own client socket instead of the system's `/run/pcscd/pcscd.comm`.
//!
//! pcscd 1.9.9 has the socket path compiled in, but it accepts a listening socket handed over by systemd
//! socket activation (`LISTEN_FDS`/`LISTEN_PID`, fd 3): the harness binds a Unix socket in a temporary
//! folder and passes it that way. The client library reads the path from `PCSCLITE_CSOCK_NAME`, once per
//! process (the first PC/SC call caches it): [`lock`] sets it before any test of the binary touches PC/SC,
//! and serialises those tests. Spawned programs (the `guichet` binary) inherit it.
//!
//! Side effects on the machine: pcscd still writes (and on exit removes) `/run/pcscd/pcscd.pid`, and
//! needs `/run/pcscd` to exist or to be creatable; the system's daemon, if any, is otherwise untouched.
//! A missing pcscd or vpcd driver makes [`Pcscd::start`] return `None` (a visible skip), or panic under
//! `CI=true`.
#![allow(dead_code)]

use std::fs;
use std::net::{SocketAddr, TcpListener};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use super::{have, missing};

/// The environment variable naming the client socket of pcsc-lite.
pub const SOCKET_ENV: &str = "PCSCLITE_CSOCK_NAME";
const DRIVER: &str = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
/// vpcd makes two readers (`VPCDSLOTS`), slot n listening on the configured port + n.
pub const SLOTS: u16 = 2;

/// This process's client socket, in a folder of its own under the target's temporary folder (Unix socket
/// paths are limited to 108 bytes, so no deep temporary folder). The folder exists while a daemon runs.
fn socket_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("pcscd-{}", std::process::id()))
            .join("pcscd.comm");
        // SAFETY: runs once, under LOCK, before this process makes any PC/SC call; every test of the
        // binaries that use it takes LOCK before doing anything else, so no other thread reads the
        // environment meanwhile.
        unsafe { std::env::set_var(SOCKET_ENV, &path) };
        path
    })
}

/// Serialises the tests that use PC/SC and points the client library at the private socket. Take it first
/// in every such test.
pub fn lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    socket_path();
    guard
}

/// The client socket every daemon of this process listens on.
pub fn socket() -> &'static Path {
    socket_path()
}

/// A port `p` with `p + 1` free too, on every interface (vpcd listens on all of them).
fn free_port_pair() -> u16 {
    for _ in 0..50 {
        let Ok(first) = TcpListener::bind("127.0.0.1:0") else {
            continue;
        };
        let Ok(port) = first.local_addr().map(|a| a.port()) else {
            continue;
        };
        drop(first);
        if port < u16::MAX - SLOTS
            && (0..SLOTS).all(|n| TcpListener::bind(("0.0.0.0", port + n)).is_ok())
        {
            return port;
        }
    }
    panic!("no two consecutive free TCP ports");
}

fn find_pcscd() -> Option<PathBuf> {
    ["/usr/sbin/pcscd", "/usr/local/sbin/pcscd", "/sbin/pcscd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| have("pcscd").then(|| PathBuf::from("pcscd")))
}

/// A running private pcscd; stopped on drop.
pub struct Pcscd {
    dir: tempfile::TempDir,
    child: Option<Child>,
    port: u16,
}

impl Pcscd {
    /// Starts the daemon and waits until it lists the vpcd readers. Call under [`lock`].
    pub fn start() -> Option<Pcscd> {
        let Some(pcscd) = find_pcscd() else {
            missing("pcscd");
            return None;
        };
        if !Path::new(DRIVER).is_file() {
            missing("the vpcd driver (vsmartcard-vpcd)");
            return None;
        }
        let dir = tempfile::tempdir().expect("temporary folder");
        let port = free_port_pair();
        let conf = dir.path().join("reader.conf.d");
        fs::create_dir(&conf).expect("reader.conf.d");
        fs::write(
            conf.join("vpcd"),
            format!(
                "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:{port}\nLIBPATH {DRIVER}\nCHANNELID {port}\n"
            ),
        )
        .expect("write the reader configuration");
        let socket = socket_path();
        if let Some(folder) = socket.parent() {
            fs::create_dir_all(folder).expect("create the pcscd socket folder");
        }
        let _ = fs::remove_file(socket);
        let listener = UnixListener::bind(socket).expect("bind the private pcscd socket");
        let log = fs::File::create(dir.path().join("pcscd.log")).expect("log file");
        let log_err = log.try_clone().expect("log file");
        // Socket activation: fd 3 is the listening socket, LISTEN_PID the daemon's own pid ($$ survives exec).
        let child = Command::new("sh")
            .arg("-c")
            .arg(r#"LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" -f -c "$1" 3<&0 0</dev/null"#)
            .arg(&pcscd)
            .arg(&conf)
            .stdin(Stdio::from(OwnedFd::from(listener)))
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log_err))
            .spawn()
            .expect("start pcscd");
        let mut daemon = Pcscd {
            dir,
            child: Some(child),
            port,
        };
        daemon.wait_ready();
        Some(daemon)
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let wanted = self.reader(SLOTS - 1);
        loop {
            let listed = guichet::nfc::pcsc::Pcsc::establish()
                .and_then(|p| p.readers())
                .is_ok_and(|r| r.contains(&wanted));
            if listed {
                return;
            }
            let exited = self
                .child
                .as_mut()
                .is_some_and(|c| c.try_wait().is_ok_and(|s| s.is_some()));
            if exited || Instant::now() > deadline {
                panic!("pcscd did not start:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The daemon's output so far (for failure messages).
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("pcscd.log")).unwrap_or_default()
    }

    /// The PC/SC name of vpcd slot `slot`.
    pub fn reader(&self, slot: u16) -> String {
        format!("Virtual PCD 00 {slot:02}")
    }

    /// Where a virtual card connects to be on slot `slot`.
    pub fn card_addr(&self, slot: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port + slot))
    }

    /// Stops the daemon (SIGTERM, then SIGKILL after 3 s) and removes its socket.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(3);
            while child.try_wait().is_ok_and(|s| s.is_none()) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        let socket = socket_path();
        let _ = fs::remove_file(socket);
        if let Some(folder) = socket.parent() {
            let _ = fs::remove_dir(folder);
        }
    }
}

impl Drop for Pcscd {
    fn drop(&mut self) {
        self.stop();
    }
}
