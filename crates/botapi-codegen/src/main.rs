//! `botapi-codegen`: generates the Bot API types, methods and metadata of `botapi-proto` from
//! the machine-readable descriptions in `../shared/spec`.
//!
//! ```text
//! cargo run -p botapi-codegen                  # regenerate
//! cargo run -p botapi-codegen -- --check       # fail, listing files, if anything differs
//! cargo run -p botapi-codegen -- --spec DIR    # read the spec from DIR
//! ```
//!
//! Only facts are taken from the spec (names, types, optionality, discriminators, return
//! types); every decision the spec does not make is listed in `hand.rs`.

mod emit;
mod hand;
mod layout;
mod model;
mod spec;
mod text;

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// The directory `cargo run` writes generated sources into, relative to the workspace root;
/// files there that are not generated any more are removed.
const GENERATED_DIR: &str = "crates/botapi-proto/src/generated";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("botapi-codegen: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root
        .canonicalize()
        .map_err(|e| format!("workspace root {}: {e}", root.display()))?;
    let mut check = false;
    let mut spec_dir = root.join("../shared/spec");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => {
                spec_dir = PathBuf::from(args.next().ok_or("--spec needs a directory")?);
            }
            "-h" | "--help" => {
                println!("usage: botapi-codegen [--check] [--spec DIR]");
                return Ok(ExitCode::SUCCESS);
            }
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }

    let spec = spec::load(&spec_dir)?;
    let model = model::build(&spec)?;
    let mut files = Vec::new();
    for (path, code) in emit::all(&model)? {
        let formatted = rustfmt(&code).map_err(|e| format!("{path}: {e}"))?;
        files.push((path, formatted));
    }

    let produced: BTreeSet<PathBuf> = files.iter().map(|(p, _)| root.join(p)).collect();
    let mut stale = Vec::new();
    list_rs(&root.join(GENERATED_DIR), &mut stale);
    stale.retain(|p| !produced.contains(p));

    if check {
        let mut differ = Vec::new();
        for (path, code) in &files {
            if std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(code.as_str()) {
                differ.push(path.clone());
            }
        }
        for path in &stale {
            let shown = path.strip_prefix(&root).unwrap_or(path);
            differ.push(format!("{} (not generated any more)", shown.display()));
        }
        if differ.is_empty() {
            println!("botapi-codegen: {} files up to date", files.len());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "botapi-codegen: generated code differs from the spec; run `cargo run -p botapi-codegen`:"
        );
        for path in differ {
            eprintln!("  {path}");
        }
        return Ok(ExitCode::FAILURE);
    }

    let mut written = 0;
    for (path, code) in &files {
        let full = root.join(path);
        if std::fs::read_to_string(&full).ok().as_deref() == Some(code.as_str()) {
            continue;
        }
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&full, code).map_err(|e| format!("{}: {e}", full.display()))?;
        written += 1;
    }
    for path in &stale {
        std::fs::remove_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!(
        "botapi-codegen: Bot API {}: {} methods, {} types; wrote {written} of {} files, removed {}",
        model.version,
        model.methods.len(),
        model.type_order.len(),
        files.len(),
        stale.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Every `.rs` file under `dir`.
fn list_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            list_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Formats `code` with rustfmt as `cargo fmt` would (edition 2024, width 100).
fn rustfmt(code: &str) -> Result<String, String> {
    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned());
    let mut child = Command::new(&rustfmt)
        .args(["--edition", "2024", "--config", "max_width=100"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {rustfmt}: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("rustfmt has no stdin")?;
    let input = code.to_owned();
    // Write from another thread so a large output cannot block on a full pipe.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    writer
        .join()
        .map_err(|_| "rustfmt writer panicked".to_owned())?
        .map_err(|e| format!("rustfmt stdin: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt output: {e}"))
}
