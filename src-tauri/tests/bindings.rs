//! Generates the web view's command functions from the Rust commands themselves, and checks the
//! three places a command must appear agree.
//!
//! ts-rs writes a TypeScript file per type when `cargo test` runs; this test does the same for
//! the commands: it reads every `#[tauri::command]` in `src-tauri/commands*.rs` with `syn`, maps
//! its arguments and its `Ok` type to TypeScript, and writes `ui/src/lib/bindings/commands.ts`.
//! `cargo xtask test` then fails if the committed file differs, exactly as for the types. A command
//! that is not in `build.rs` (no permission) or not in the handler list (not callable) fails here
//! by name, before the web view ever sees it.

#![allow(clippy::unwrap_used)]

#[path = "bindings/read.rs"]
mod read;
#[path = "bindings/render.rs"]
mod render;

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

use read::*;
use render::*;

fn output() -> PathBuf {
    root().join("ui/src/lib/bindings/commands.ts")
}

/// Types from till-core that commands return directly: exported here too, because cargo runs
/// this package's tests before till-core's own export tests.
fn export_core_types() {
    use ts_rs::TS;
    let config = ts_rs::Config::from_env();
    till_core::ledger::Refund::export_all(&config).unwrap();
    till_core::people::Member::export_all(&config).unwrap();
    till_core::people::Person::export_all(&config).unwrap();
    till_core::ledger::Shift::export_all(&config).unwrap();
    till_core::shift::ShiftReport::export_all(&config).unwrap();
    till_core::report::Report::export_all(&config).unwrap();
    till_core::settings::Settings::export_all(&config).unwrap();
    till_core::day::DayClosed::export_all(&config).unwrap();
    till_core::connect::ConnectionResult::export_all(&config).unwrap();
    till_core::connect::CredentialKind::export_all(&config).unwrap();
    till_core::connect::Readiness::export_all(&config).unwrap();
    till_core::currencies::CurrencyList::export_all(&config).unwrap();
    till_core::export::ExportFormat::export_all(&config).unwrap();
    till_core::sale::SaleState::export_all(&config).unwrap();
    till_core::startup::CredentialSource::export_all(&config).unwrap();
    till_core::cart::CartView::export_all(&config).unwrap();
    till_core::cart::CartChange::export_all(&config).unwrap();
    till_core::catalog::ItemForm::export_all(&config).unwrap();
    till_core::money::bill::Pick::export_all(&config).unwrap();
}

#[test]
fn every_command_is_permitted_handled_and_generated() {
    export_core_types();
    let mut named = BTreeSet::new();
    let commands = read_commands(&mut named);
    let names: BTreeSet<String> = commands.iter().map(|c| c.name.clone()).collect();
    assert!(names.len() > 10, "found only {names:?}");

    let permitted: BTreeSet<String> = permitted().into_iter().collect();
    let handled: BTreeSet<String> = handled().into_iter().collect();
    assert_eq!(
        names.difference(&permitted).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "commands missing from COMMANDS in build.rs (no permission, so never callable)"
    );
    assert_eq!(
        permitted.difference(&names).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "build.rs permits commands that do not exist"
    );
    assert_eq!(
        names.symmetric_difference(&handled).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "generate_handler! in lib.rs and the #[tauri::command] functions differ"
    );

    let dir = output().parent().unwrap().to_path_buf();
    for name in &named {
        assert!(
            Path::new(&dir.join(format!("{name}.ts"))).exists(),
            "{name} is used by a command but has no generated type: derive TS with #[ts(export)]"
        );
    }
    fs::write(output(), render(&commands, &named)).unwrap();
}

#[test]
fn every_event_is_generated() {
    let mut named = BTreeSet::new();
    let source = fs::read_to_string(root().join("src-tauri/events.rs")).unwrap();
    let events = events_in(&source, &mut named);
    assert!(events.len() >= 2, "found only {events:?}");
    let dir = output().parent().unwrap().to_path_buf();
    for name in &named {
        assert!(
            dir.join(format!("{name}.ts")).exists(),
            "{name} is carried by an event but has no generated type"
        );
    }
    fs::write(dir.join("events.ts"), render_events(&events, &named)).unwrap();
}

#[test]
fn events_render_with_their_payloads() {
    let source = r#"
        /// A sale changed.
        pub const SALE_UPDATED: Event<SaleUpdated> = Event::new("sale-updated");
        pub const LOCK_CHANGED: Event<()> = Event::new("lock-changed");
        const IDLE_CHECK: Duration = Duration::from_secs(5);
    "#;
    let mut named = BTreeSet::new();
    let out = render_events(&events_in(source, &mut named), &named);
    assert!(
        out.contains("import type { SaleUpdated } from './SaleUpdated';"),
        "{out}"
    );
    assert!(
        out.contains("/** A sale changed. */\nexport const SALE_UPDATED = 'sale-updated';"),
        "{out}"
    );
    assert!(
        out.contains("  'sale-updated': SaleUpdated;\n  'lock-changed': null;\n"),
        "{out}"
    );
    assert!(!out.contains("IDLE_CHECK"), "{out}");
}

#[test]
fn rendering_maps_rust_types_to_typescript() {
    let source = r#"
        /// Finds things.
        ///
        /// Second paragraph.
        #[tauri::command]
        pub async fn find_things(
            shell: State<'_, Shell>,
            receipt_no: i64,
            query: Option<String>,
        ) -> Result<Vec<SaleView>, IpcError> { todo!() }

        #[tauri::command]
        pub fn forget<R: Runtime>(app: AppHandle<R>) -> Result<(), IpcError> { todo!() }

        pub fn not_a_command() -> u8 { 0 }
    "#;
    let mut named = BTreeSet::new();
    let commands = commands_in(source, &mut named);
    let out = render(&commands, &named);
    assert!(
        out.contains("import type { SaleView } from './SaleView';"),
        "{out}"
    );
    assert!(
        out.contains(
            "export function findThings(receiptNo: number, query?: string | null): \
             Promise<Array<SaleView>> {\n  return call<Array<SaleView>>('find_things', \
             { receiptNo, query });\n}"
        ),
        "{out}"
    );
    assert!(
        out.contains(" * Finds things.\n *\n * Second paragraph.\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "export function forget(): Promise<void> {\n  return call<void>('forget');\n}"
        ),
        "{out}"
    );
    assert!(!out.contains("notACommand"), "{out}");
    assert!(
        out.contains(
            "  find_things: { args: { receiptNo: number; query?: string | null }; returns: Array<SaleView> };\n  \
             forget: { args: Record<string, never>; returns: void };\n"
        ),
        "{out}"
    );
}

#[test]
#[should_panic(expected = "IpcError")]
fn a_command_with_another_error_type_is_refused() {
    let source = r#"
        #[tauri::command]
        pub fn leaky() -> Result<String, String> { todo!() }
    "#;
    commands_in(source, &mut BTreeSet::new());
}
