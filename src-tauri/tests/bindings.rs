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

use std::{
    collections::BTreeSet,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
};

use syn::{
    Expr, ExprLit, FnArg, GenericArgument, Item, Lit, Meta, Pat, PathArguments, ReturnType, Type,
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files that hold commands: `commands.rs` and anything under `commands/`.
fn command_files() -> Vec<PathBuf> {
    let shell = root().join("src-tauri");
    let mut files = vec![shell.join("commands.rs")];
    if let Ok(dir) = fs::read_dir(shell.join("commands")) {
        let mut more: Vec<PathBuf> = dir
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .collect();
        more.sort();
        files.extend(more);
    }
    files
}

/// One command as the web view sees it.
#[derive(Debug)]
struct Command {
    name: String,
    docs: Vec<String>,
    args: Vec<(String, String, bool)>,
    returns: String,
}

fn docs(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn is_command(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let segments: Vec<String> = a
            .path()
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        segments == ["tauri", "command"]
    })
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn generic_args(args: &PathArguments) -> Vec<&Type> {
    match args {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Arguments Tauri fills in itself; the web view never sends them.
fn injected(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let last = p.path.segments.last().unwrap().ident.to_string();
    matches!(
        last.as_str(),
        "State" | "AppHandle" | "Window" | "WebviewWindow" | "Webview"
    )
}

/// The TypeScript for a Rust type; named types must have a ts-rs file beside the output.
fn ts(ty: &Type, named: &mut BTreeSet<String>) -> String {
    match ty {
        Type::Tuple(t) if t.elems.is_empty() => "void".into(),
        Type::Reference(r) => ts(&r.elem, named),
        Type::Path(p) => {
            let seg = p.path.segments.last().unwrap();
            let inner = generic_args(&seg.arguments);
            match seg.ident.to_string().as_str() {
                "String" | "str" => "string".into(),
                "bool" => "boolean".into(),
                "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "f32" | "f64"
                | "usize" | "isize" => "number".into(),
                "Option" => format!("{} | null", ts(inner[0], named)),
                // An enum's name, checked by the command itself (src-tauri/choice.rs).
                "Choice" => ts(inner[0], named),
                "Vec" => format!("Array<{}>", ts(inner[0], named)),
                other => {
                    named.insert(other.to_string());
                    other.to_string()
                }
            }
        }
        _ => panic!("no TypeScript mapping for a type of this shape (tuples, arrays, fn types)"),
    }
}

/// `Result<T, IpcError>` -> T.
fn ok_type(ret: &ReturnType) -> &Type {
    let ReturnType::Type(_, ty) = ret else {
        panic!("a command must return Result<T, IpcError>")
    };
    let Type::Path(p) = &**ty else {
        panic!("a command must return Result<T, IpcError>")
    };
    let seg = p.path.segments.last().unwrap();
    assert_eq!(
        seg.ident, "Result",
        "a command must return Result<T, IpcError>"
    );
    let args = generic_args(&seg.arguments);
    let Type::Path(err) = args[1] else {
        panic!("error type")
    };
    assert_eq!(
        err.path.segments.last().unwrap().ident,
        "IpcError",
        "commands answer errors as IpcError so the UI gets {{code, message}}"
    );
    args[0]
}

/// The commands in one Rust source file, in order.
fn commands_in(source: &str, named: &mut BTreeSet<String>) -> Vec<Command> {
    let parsed = syn::parse_file(source).unwrap();
    let mut out = Vec::new();
    for item in parsed.items {
        let Item::Fn(f) = item else { continue };
        if !is_command(&f.attrs) {
            continue;
        }
        let mut args = Vec::new();
        for input in &f.sig.inputs {
            let FnArg::Typed(arg) = input else {
                panic!("{}: commands are free functions", f.sig.ident)
            };
            if injected(&arg.ty) {
                continue;
            }
            let Pat::Ident(name) = &*arg.pat else {
                panic!("{}: arguments must be plain names", f.sig.ident)
            };
            let optional = matches!(&*arg.ty, Type::Path(p)
                if p.path.segments.last().unwrap().ident == "Option");
            args.push((camel(&name.ident.to_string()), ts(&arg.ty, named), optional));
        }
        out.push(Command {
            name: f.sig.ident.to_string(),
            docs: docs(&f.attrs),
            args,
            returns: ts(ok_type(&f.sig.output), named),
        });
    }
    out
}

fn read_commands(named: &mut BTreeSet<String>) -> Vec<Command> {
    command_files()
        .iter()
        .flat_map(|file| commands_in(&fs::read_to_string(file).unwrap(), named))
        .collect()
}

fn render(commands: &[Command], named: &BTreeSet<String>) -> String {
    let mut s = String::from(
        "// Generated from the #[tauri::command] functions in src-tauri/ by src-tauri/tests/bindings.rs\n\
         // when `cargo test` runs. Do not edit: change the Rust command and run the tests.\n\n",
    );
    s.push_str("import { call } from '../call';\n");
    for name in named {
        writeln!(s, "import type {{ {name} }} from './{name}';").unwrap();
    }
    for c in commands {
        s.push('\n');
        if !c.docs.is_empty() {
            s.push_str("/**\n");
            for line in &c.docs {
                if line.is_empty() {
                    s.push_str(" *\n");
                } else {
                    writeln!(s, " * {line}").unwrap();
                }
            }
            s.push_str(" */\n");
        }
        // Only trailing optional arguments may be left out.
        let mut trailing_optional = true;
        let mut params: Vec<String> = Vec::new();
        for (name, ty, optional) in c.args.iter().rev() {
            trailing_optional &= *optional;
            let mark = if trailing_optional { "?" } else { "" };
            params.push(format!("{name}{mark}: {ty}"));
        }
        params.reverse();
        let names: Vec<&str> = c.args.iter().map(|(n, _, _)| n.as_str()).collect();
        let body = if names.is_empty() {
            format!("call<{}>('{}')", c.returns, c.name)
        } else {
            format!(
                "call<{}>('{}', {{ {} }})",
                c.returns,
                c.name,
                names.join(", ")
            )
        };
        writeln!(
            s,
            "export function {}({}): Promise<{}> {{\n  return {body};\n}}",
            camel(&c.name),
            params.join(", "),
            c.returns
        )
        .unwrap();
    }
    s.push_str(
        "\n/**\n * Every command by the name it is invoked with: the arguments it is sent and what it\n \
         * answers. Fakes and the browser suite's mock are typed against this, so they cannot drift\n \
         * from Rust unnoticed.\n */\nexport interface Commands {\n",
    );
    for c in commands {
        let args: Vec<String> = c
            .args
            .iter()
            .map(|(name, ty, optional)| format!("{name}{}: {ty}", if *optional { "?" } else { "" }))
            .collect();
        let args = if args.is_empty() {
            "Record<string, never>".to_owned()
        } else {
            format!("{{ {} }}", args.join("; "))
        };
        writeln!(
            s,
            "  {}: {{ args: {args}; returns: {} }};",
            c.name, c.returns
        )
        .unwrap();
    }
    s.push_str("}\n");
    s
}

/// One event: its constant, its name, its payload's TypeScript, and its doc.
#[derive(Debug)]
struct Event {
    constant: String,
    name: String,
    payload: String,
    docs: Vec<String>,
}

/// The `const NAME: Event<T> = Event::new("name")` items of a Rust source file.
fn events_in(source: &str, named: &mut BTreeSet<String>) -> Vec<Event> {
    let parsed = syn::parse_file(source).unwrap();
    let mut out = Vec::new();
    for item in parsed.items {
        let Item::Const(c) = item else { continue };
        let Type::Path(p) = &*c.ty else { continue };
        let seg = p.path.segments.last().unwrap();
        if seg.ident != "Event" {
            continue;
        }
        let payload = match generic_args(&seg.arguments)[..] {
            [Type::Tuple(t)] if t.elems.is_empty() => "null".to_owned(),
            [ty] => ts(ty, named),
            _ => panic!("{}: Event takes one payload type", c.ident),
        };
        let Expr::Call(call) = &*c.expr else {
            panic!("{}: write it as Event::new(\"name\")", c.ident)
        };
        let name = match call.args.first() {
            Some(Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            })) => s.value(),
            _ => panic!("{}: write it as Event::new(\"name\")", c.ident),
        };
        out.push(Event {
            constant: c.ident.to_string(),
            name,
            payload,
            docs: docs(&c.attrs),
        });
    }
    out
}

fn render_events(events: &[Event], named: &BTreeSet<String>) -> String {
    let mut s = String::from(
        "// Generated from the Event constants in src-tauri/events.rs by src-tauri/tests/bindings.rs\n\
         // when `cargo test` runs. Do not edit: change the Rust constant and run the tests.\n\n",
    );
    for name in named {
        writeln!(s, "import type {{ {name} }} from './{name}';").unwrap();
    }
    for e in events {
        s.push('\n');
        for line in &e.docs {
            writeln!(s, "/** {line} */").unwrap();
        }
        writeln!(s, "export const {} = '{}';", e.constant, e.name).unwrap();
    }
    s.push_str("\n/** Every event by name, with what it carries. */\nexport interface Events {\n");
    for e in events {
        writeln!(s, "  '{}': {};", e.name, e.payload).unwrap();
    }
    s.push_str("}\n");
    s
}

/// The string literals of `const COMMANDS` in build.rs.
fn permitted() -> Vec<String> {
    let source = fs::read_to_string(root().join("src-tauri/build.rs")).unwrap();
    let parsed = syn::parse_file(&source).unwrap();
    for item in parsed.items {
        let Item::Const(c) = item else { continue };
        if c.ident != "COMMANDS" {
            continue;
        }
        let Expr::Reference(r) = &*c.expr else {
            panic!("COMMANDS is &[..]")
        };
        let Expr::Array(a) = &*r.expr else {
            panic!("COMMANDS is &[..]")
        };
        return a
            .elems
            .iter()
            .map(|e| match e {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => s.value(),
                _ => panic!("COMMANDS holds something that is not a string literal"),
            })
            .collect();
    }
    panic!("build.rs has no COMMANDS")
}

/// The paths inside `generate_handler![...]` in lib.rs, by their last segment.
fn handled() -> Vec<String> {
    let source = fs::read_to_string(root().join("src-tauri/lib.rs")).unwrap();
    let start = source
        .find("generate_handler![")
        .expect("lib.rs calls generate_handler!");
    let rest = &source[start + "generate_handler![".len()..];
    let list = &rest[..rest.find(']').unwrap()];
    list.split(',')
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(|p| p.rsplit("::").next().unwrap().to_string())
        .collect()
}

fn output() -> PathBuf {
    root().join("ui/src/lib/bindings/commands.ts")
}

/// Types from till-core that commands return directly: exported here too, because cargo runs
/// this package's tests before till-core's own export tests.
fn export_core_types() {
    use ts_rs::TS;
    let config = ts_rs::Config::from_env();
    till_core::ledger::Refund::export_all(&config).unwrap();
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
