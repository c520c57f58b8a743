//! A throw-away IPP Everywhere printer for integration tests: CUPS's `ippeveprinter` (Debian package
//! cups-ipp-utils) on a free loopback port, in a temporary folder, without DNS-SD advertising
//! (`-r off`), keeping every document it receives (`-k`, spool folder `-d`).
//!
//! What ippeveprinter really does (CUPS 2.4, checked by hand):
//! - it needs a D-Bus system bus even with `-r off` (it opens its Avahi client first and exits with
//!   "Unable to initialize DNS-SD" without one), so the fixture starts a private `dbus-daemon` and
//!   points `DBUS_SYSTEM_BUS_ADDRESS` at it; no avahi-daemon is needed;
//! - `-n 127.0.0.1` fails ("Unable to create IPv6 listener"): it resolves the host name once per
//!   address family, so the fixture passes `-n localhost`;
//! - without `-c` it "prints" by sleeping about 10 s a job; with `-c command` the job ends when the
//!   command exits: 0 → completed, non-zero → aborted (`job-state-reasons` aborted-by-system), and an
//!   `ERROR: text` line on the command's stderr becomes the `job-state-message`;
//! - Cancel-Job on a processing job succeeds at once, but the job stays processing until the print
//!   command exits on its own; it is then reported canceled;
//! - `-k` keeps `<job-id>-<job-name>.pdf` in the spool folder, next to the command's output
//!   (`.prn`), which [`IppEve::received_files`] leaves out;
//! - `-f image/pwg-raster` makes it refuse PDF (`document-format-supported` then lists
//!   application/octet-stream and image/pwg-raster only).
//!
//! Self-contained (std + tempfile), included with `#[path = "support/ipp.rs"]`. A missing
//! ippeveprinter or dbus-daemon makes [`IppEve::start`] return `None` with a visible notice, or
//! panic when `CI=true`.
#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How the printer handles jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    /// Accepts PDF and completes each job at once.
    Prints,
    /// Accepts PDF, then aborts each job with this printer message.
    Fails(String),
    /// Accepts PDF and keeps each job processing for this long (to cancel it).
    Slow(Duration),
    /// Accepts only PWG raster: a PDF is refused.
    RasterOnly,
}

/// A running ippeveprinter (and its private D-Bus); both stopped on drop.
pub struct IppEve {
    dir: tempfile::TempDir,
    name: String,
    port: u16,
    printer: Child,
    dbus: Child,
}

/// The project's rule for a missing component (`support::missing`), as this module's `None`.
fn missing(component: &str) -> Option<IppEve> {
    super::missing(component);
    None
}

fn find_tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin", "/sbin"].map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind a free port on 127.0.0.1")
}

fn write_script(path: &Path, body: &str) {
    let mut f = fs::File::create(path).expect("write the print command");
    writeln!(f, "#!/bin/sh\n{body}").expect("write the print command");
    drop(f);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

/// Stops a child started here, and its process group (the print command it runs).
fn stop(child: &mut Child) {
    if let Ok(None) = child.try_wait() {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", child.id())])
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl IppEve {
    /// Starts a printer named `name` with `behaviour`; waits until it answers
    /// Get-Printer-Attributes.
    pub fn start(name: &str, behaviour: Behaviour) -> Option<IppEve> {
        let (Some(ippeveprinter), Some(ipptool)) =
            (find_tool("ippeveprinter"), find_tool("ipptool"))
        else {
            return missing("ippeveprinter (cups-ipp-utils)");
        };
        let Some(dbus_daemon) = find_tool("dbus-daemon") else {
            return missing("dbus-daemon");
        };
        let dir = tempfile::Builder::new()
            .prefix("guichet-ippeve-")
            .tempdir()
            .expect("temporary folder");
        let spool = dir.path().join("spool");
        fs::create_dir(&spool).expect("spool folder");
        let bus = dir.path().join("bus");
        let mut dbus = Command::new(dbus_daemon)
            .args(["--session", "--nofork", "--nopidfile"])
            .arg(format!("--address=unix:path={}", bus.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start dbus-daemon");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !bus.exists() {
            if Instant::now() > deadline || matches!(dbus.try_wait(), Ok(Some(_))) {
                stop(&mut dbus);
                panic!("dbus-daemon did not start");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let command = dir.path().join("print.sh");
        let (formats, script) = match &behaviour {
            Behaviour::Prints => ("application/pdf", "exit 0".to_string()),
            Behaviour::RasterOnly => ("image/pwg-raster", "exit 0".to_string()),
            Behaviour::Fails(message) => (
                "application/pdf",
                format!("echo 'ERROR: {}' >&2\nexit 1", message.replace('\'', "")),
            ),
            Behaviour::Slow(d) => (
                "application/pdf",
                format!("sleep {}\nexit 0", d.as_secs().max(1)),
            ),
        };
        write_script(&command, &script);
        let log_path = dir.path().join("ippeveprinter.log");
        for _ in 0..8 {
            let port = free_port();
            let log = fs::File::create(&log_path).expect("log file");
            let mut printer = Command::new(&ippeveprinter)
                .args(["-r", "off", "-n", "localhost", "-k", "-v"])
                .arg("-p")
                .arg(port.to_string())
                .arg("-d")
                .arg(&spool)
                .arg("-f")
                .arg(formats)
                .arg("-c")
                .arg(&command)
                .arg(name)
                .current_dir(dir.path())
                .env(
                    "DBUS_SYSTEM_BUS_ADDRESS",
                    format!("unix:path={}", bus.display()),
                )
                .stdout(log.try_clone().expect("log file"))
                .stderr(log)
                .process_group(0)
                .spawn()
                .expect("start ippeveprinter");
            let uri = format!("ipp://127.0.0.1:{port}/ipp/print");
            let deadline = Instant::now() + Duration::from_secs(15);
            loop {
                if let Ok(Some(_)) = printer.try_wait() {
                    let log = fs::read_to_string(&log_path).unwrap_or_default();
                    if log.contains("listener") {
                        break; // the port was taken meanwhile: try another one
                    }
                    stop(&mut dbus);
                    panic!("ippeveprinter exited:\n{log}");
                }
                let answered = Command::new(&ipptool)
                    .args(["-q", "-T", "2", &uri, "get-printer-attributes.test"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
                if answered {
                    return Some(IppEve {
                        dir,
                        name: name.to_string(),
                        port,
                        printer,
                        dbus,
                    });
                }
                if Instant::now() > deadline {
                    stop(&mut printer);
                    stop(&mut dbus);
                    panic!(
                        "ippeveprinter did not answer within 15 s:\n{}",
                        fs::read_to_string(&log_path).unwrap_or_default()
                    );
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            stop(&mut printer);
        }
        stop(&mut dbus);
        panic!(
            "ippeveprinter: no free port after 8 attempts:\n{}",
            fs::read_to_string(&log_path).unwrap_or_default()
        );
    }

    pub fn uri(&self) -> String {
        format!("ipp://127.0.0.1:{}/ipp/print", self.port)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The documents received, oldest job first (`<job-id>-<job-name>.<ext>`), without the print
    /// command's output files.
    pub fn received_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<(u64, PathBuf)> = fs::read_dir(self.dir.path().join("spool"))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "prn"))
                    .map(|p| {
                        let id = p
                            .file_name()
                            .and_then(|n| n.to_str())
                            .and_then(|n| n.split('-').next())
                            .and_then(|n| n.parse().ok())
                            .unwrap_or(u64::MAX);
                        (id, p)
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files.into_iter().map(|(_, p)| p).collect()
    }

    /// ippeveprinter's log (verbose), for failure messages.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("ippeveprinter.log")).unwrap_or_default()
    }
}

impl Drop for IppEve {
    fn drop(&mut self) {
        stop(&mut self.printer);
        stop(&mut self.dbus);
    }
}
