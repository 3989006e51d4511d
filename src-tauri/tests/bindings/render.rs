//! Writing the TypeScript: the command functions with their `Commands` map, and the event names
//! with their `Events` map.

use std::{collections::BTreeSet, fmt::Write as _};

use super::read::{camel, Command, Event};

pub fn render(commands: &[Command], named: &BTreeSet<String>) -> String {
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

pub fn render_events(events: &[Event], named: &BTreeSet<String>) -> String {
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
