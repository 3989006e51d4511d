//! `till`: the till's command-line face, for scripts, end-of-day jobs and black-box tests.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use till_core::{Environment, Mode};

/// Till: a Lightning point of sale for Aurpay, from the command line.
#[derive(Debug, Parser)]
#[command(name = "till", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the version, the mode (demo or live), the network and the data folder.
    Info,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Info => match Environment::from_process() {
            Ok(env) => {
                let mode = match env.mode() {
                    Mode::Demo => "demo (no gateway credentials configured)",
                    Mode::Live => "live",
                };
                println!("till {}", till_core::VERSION);
                println!("mode:      {mode}");
                println!("network:   {}", env.network);
                println!("gateway:   {}", env.base_url);
                println!("data dir:  {}", env.data_dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("till: {e}");
                ExitCode::from(1)
            }
        },
    }
}
