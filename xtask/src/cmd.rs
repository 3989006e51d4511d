//! Running commands: echo them, stream their output, and keep it for the summary's counts.

use std::{
    io::{BufRead, BufReader, Read},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::mpsc,
    thread,
};

/// The repository's root (the folder above xtask/).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// A failed step: a sentence for the person at the terminal.
pub type Error = String;

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        let a = a.to_string_lossy();
        if a.contains(' ') {
            s.push_str(&format!(" '{a}'"));
        } else {
            s.push(' ');
            s.push_str(&a);
        }
    }
    s
}

/// Runs a command with inherited output; Err when it cannot start or exits non-zero.
pub fn run(cmd: &mut Command) -> Result<(), Error> {
    let line = describe(cmd);
    println!("$ {line}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})"))
    }
}

/// Runs a command quietly and returns its standard output, or None when it fails or is absent.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Whether a program is on PATH.
pub fn have(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
}

/// Runs a command, printing its output as it comes and also returning all of it (both streams).
pub fn run_captured(cmd: &mut Command) -> (bool, String) {
    let line = describe(cmd);
    println!("$ {line}");
    let mut child = match cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn() {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("could not start `{line}`: {e}");
            eprintln!("{msg}");
            return (false, msg);
        }
    };
    let (tx, rx) = mpsc::channel::<String>();
    let pump = |stream: Box<dyn Read + Send>, tx: mpsc::Sender<String>, to_err: bool| {
        thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if to_err {
                    eprintln!("{line}");
                } else {
                    println!("{line}");
                }
                if tx.send(line).is_err() {
                    break;
                }
            }
        })
    };
    let mut pumps = Vec::new();
    if let Some(out) = child.stdout.take() {
        pumps.push(pump(Box::new(out), tx.clone(), false));
    }
    if let Some(err) = child.stderr.take() {
        pumps.push(pump(Box::new(err), tx.clone(), true));
    }
    drop(tx);
    let mut all = String::new();
    for line in rx {
        all.push_str(&strip_ansi(&line));
        all.push('\n');
    }
    for p in pumps {
        let _ = p.join();
    }
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    (ok, all)
}

/// Removes terminal colour codes (`ESC [ ... letter`) so runners' closing lines can be read.
pub fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn colour_codes_are_stripped() {
        let line = "\u{1b}[2m      Tests \u{1b}[22m \u{1b}[1m\u{1b}[32m8 passed\u{1b}[39m\u{1b}[22m\u{1b}[90m (8)\u{1b}[39m";
        assert_eq!(super::strip_ansi(line), "      Tests  8 passed (8)");
        assert_eq!(super::strip_ansi("plain"), "plain");
    }
}
