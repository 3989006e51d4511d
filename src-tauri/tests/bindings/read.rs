//! Reading the Rust side with `syn`: the `#[tauri::command]` functions and their types, the
//! `Event` constants, the permitted commands in build.rs and the handled ones in lib.rs.

use std::{collections::BTreeSet, fs, path::PathBuf};

use syn::{
    Expr, ExprLit, FnArg, GenericArgument, Item, Lit, Meta, Pat, PathArguments, ReturnType, Type,
};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files that hold commands: `commands.rs` and anything under `commands/`.
pub fn command_files() -> Vec<PathBuf> {
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
pub struct Command {
    pub name: String,
    pub docs: Vec<String>,
    pub args: Vec<(String, String, bool)>,
    pub returns: String,
}

pub fn docs(attrs: &[syn::Attribute]) -> Vec<String> {
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

pub fn is_command(attrs: &[syn::Attribute]) -> bool {
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

pub fn camel(snake: &str) -> String {
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

pub fn generic_args(args: &PathArguments) -> Vec<&Type> {
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
pub fn injected(ty: &Type) -> bool {
    let Type::Path(p) = ty else { return false };
    let last = p.path.segments.last().unwrap().ident.to_string();
    matches!(
        last.as_str(),
        "State" | "AppHandle" | "Window" | "WebviewWindow" | "Webview"
    )
}

/// The TypeScript for a Rust type; named types must have a ts-rs file beside the output.
pub fn ts(ty: &Type, named: &mut BTreeSet<String>) -> String {
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
pub fn ok_type(ret: &ReturnType) -> &Type {
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
pub fn commands_in(source: &str, named: &mut BTreeSet<String>) -> Vec<Command> {
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

pub fn read_commands(named: &mut BTreeSet<String>) -> Vec<Command> {
    command_files()
        .iter()
        .flat_map(|file| commands_in(&fs::read_to_string(file).unwrap(), named))
        .collect()
}

/// One event: its constant, its name, its payload's TypeScript, and its doc.
#[derive(Debug)]
pub struct Event {
    pub constant: String,
    pub name: String,
    pub payload: String,
    pub docs: Vec<String>,
}

/// The `const NAME: Event<T> = Event::new("name")` items of a Rust source file.
pub fn events_in(source: &str, named: &mut BTreeSet<String>) -> Vec<Event> {
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

/// The string literals of `const COMMANDS` in build.rs.
pub fn permitted() -> Vec<String> {
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
pub fn handled() -> Vec<String> {
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
