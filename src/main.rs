//! `guichet`: the GUI without a subcommand, the CLI otherwise (ARCHITECTURE §4).

use std::process::ExitCode;

use clap::Parser;
use guichet::cli::{self, Cli};

/// mimalloc instead of the system allocator: the directory sync allocates millions of small strings
/// on one thread and frees them on another, where glibc's arenas contend (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GUICHET_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Cli::parse();
    let mut env = match cli::prepare(&args) {
        Ok(env) => env,
        Err(cli::Failure(msg)) => {
            eprintln!("guichet: {msg}");
            return ExitCode::from(1);
        }
    };
    let result = match args.command {
        Some(cmd) => {
            restore_sigpipe();
            cli::run(&mut env, cmd)
        }
        None => guichet::gui::run(env, args.bench_startup, started),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(cli::Failure(msg)) => {
            eprintln!("guichet: {msg}");
            ExitCode::from(1)
        }
    }
}

/// A command's output piped into `head` or `less` ends quietly when the reader closes the pipe, as other
/// command-line tools do, instead of a "failed printing to stdout" panic (Rust ignores SIGPIPE by
/// default). Only for the command line: the window keeps the default.
fn restore_sigpipe() {
    #[cfg(target_os = "linux")]
    // SAFETY: `signal` only changes the process-wide disposition; SIG_DFL is a valid one.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
