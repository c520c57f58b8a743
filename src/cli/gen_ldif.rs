//! `guichet gen-ldif`: a deterministic synthetic directory as LDIF on stdout, for tests and
//! benchmarks (`guichet gen-ldif --preset supann --persons 275000 --groups 24000 --max-group 35000 >
//! big.ldif`, then `slapadd -q -l big.ldif`). The summary goes to stderr.

use std::io::{self, BufWriter, Write};

use clap::Args;
use serde_json::json;

use super::{CliResult, Env, Failure};
use crate::directory::ldif_gen::{self, LdifOptions};
use crate::directory::mapping::PresetName;
use crate::fl;

#[derive(Debug, Args)]
pub struct GenLdifArgs {
    /// Directory preset: supann (university) or sdet (schools).
    #[arg(long, value_parser = ["supann", "sdet"])]
    preset: String,
    /// How many persons.
    #[arg(long, default_value_t = 1000)]
    persons: usize,
    /// Exactly this many groups (0: a natural number for the size).
    #[arg(long, default_value_t = 0)]
    groups: usize,
    /// Members of the biggest group (0: no such group).
    #[arg(long, default_value_t = 0)]
    max_group: usize,
    /// Seed of the generator: the same seed gives the same LDIF.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Suffix (default dc=univ-guichet,dc=fr for supann, dc=ent-guichet,dc=fr for sdet).
    #[arg(long, value_name = "DN")]
    base: Option<String>,
}

pub fn run(env: &mut Env, args: GenLdifArgs) -> CliResult {
    let preset = PresetName::parse(&args.preset)
        .ok_or_else(|| Failure(format!("--preset: supann | sdet ({:?})", args.preset)))?;
    if args.persons == 0 {
        return Err(Failure(fl!("cli-gen-ldif-no-persons")));
    }
    let opts = LdifOptions {
        preset,
        persons: args.persons,
        groups: args.groups,
        max_group: args.max_group,
        seed: args.seed,
        base: args
            .base
            .unwrap_or_else(|| ldif_gen::default_base(preset).to_string()),
    };
    if ldif_gen::check_options(&opts).is_err() {
        return Err(Failure(fl!(
            "cli-gen-ldif-bad-options",
            base = opts.base.clone()
        )));
    }
    let started = std::time::Instant::now();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let result = ldif_gen::write_ldif(&opts, &mut out).and_then(|s| out.flush().map(|()| s));
    let stats = match result {
        Ok(stats) => stats,
        // The reader went away (`| head`): nothing more to say.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
        Err(e) => return Err(Failure(fl!("cli-gen-ldif-failed", error = e.to_string()))),
    };
    let seconds = started.elapsed().as_secs_f64();
    // The LDIF owns stdout: the summary goes to stderr.
    let mut err = io::stderr().lock();
    let line = if env.json {
        let mut v = serde_json::to_value(&stats).map_err(|e| Failure(e.to_string()))?;
        v["seconds"] = json!((seconds * 1000.0).round() / 1000.0);
        v.to_string()
    } else {
        fl!(
            "cli-gen-ldif-done",
            persons = stats.persons,
            structures = stats.structures,
            groups = stats.groups,
            members = stats.member_values,
            seconds = format!("{seconds:.1}")
        )
    };
    let _ = writeln!(err, "{line}");
    Ok(())
}
