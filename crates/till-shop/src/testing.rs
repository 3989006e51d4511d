//! For tests only (feature `testing`): a throwaway PostgreSQL cluster and a TCP proxy that cuts
//! a till off from it in the ways a shop's network does.
//!
//! The cluster is Debian's PostgreSQL 15 (`cargo xtask setup` installs it), started as the
//! `postgres` user (initdb refuses root) on a free loopback port with fsync off, in a temporary
//! folder, and stopped with `pg_ctl -m immediate` when dropped.

#![allow(clippy::unwrap_used)]

use std::{
    net::TcpListener,
    path::PathBuf,
    process::Command,
    sync::{
        atomic::{AtomicU8, Ordering},
        Arc,
    },
    time::Duration,
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// Debian's PostgreSQL programs.
const BIN: &str = "/usr/lib/postgresql/15/bin";

/// A PostgreSQL cluster of its own, gone when dropped.
#[derive(Debug)]
pub struct Cluster {
    dir: tempfile::TempDir,
    port: u16,
    /// Server options beyond the port and the socket folder.
    options: String,
}

impl Cluster {
    /// Creates and starts one (about a second).
    pub fn start() -> Cluster {
        Self::start_with(|_| String::new())
    }

    /// Creates and starts one that also speaks TLS, with a certificate for `localhost` and
    /// 127.0.0.1 signed by an authority of its own; answers the authority's certificate (what a
    /// shop gives its tills as `sslrootcert`).
    pub fn start_with_tls() -> (Cluster, PathBuf) {
        let mut ca = PathBuf::new();
        let cluster = Self::start_with(|dir| {
            let tls = dir.join("tls");
            std::fs::create_dir(&tls).unwrap();
            let ec = [
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
            ];
            run(Command::new("openssl")
                .args(["req", "-x509"])
                .args(ec)
                .args(["-keyout", "ca.key", "-out", "ca.pem", "-days", "2"])
                .args(["-subj", "/CN=Till test shop authority"])
                .current_dir(&tls));
            run(Command::new("openssl")
                .arg("req")
                .args(ec)
                .args([
                    "-keyout",
                    "server.key",
                    "-out",
                    "server.csr",
                    "-subj",
                    "/CN=localhost",
                ])
                .current_dir(&tls));
            std::fs::write(
                tls.join("server.ext"),
                "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
            )
            .unwrap();
            run(Command::new("openssl")
                .args([
                    "x509",
                    "-req",
                    "-in",
                    "server.csr",
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                ])
                .args(["-CAcreateserial", "-out", "server.pem", "-days", "2"])
                .args(["-extfile", "server.ext"])
                .current_dir(&tls));
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&tls));
            run(Command::new("chmod").arg("600").arg(tls.join("server.key")));
            ca = tls.join("ca.pem");
            format!(
                " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                tls.join("server.pem").display(),
                tls.join("server.key").display()
            )
        });
        (cluster, ca)
    }

    fn start_with(options: impl FnOnce(&std::path::Path) -> String) -> Cluster {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        run(Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(dir.path()));
        run(Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(format!("{BIN}/initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres", "--no-sync"]));
        // A free port: asked of the kernel, then handed to the server.
        let port = free_port();
        let options = options(dir.path());
        let cluster = Cluster { dir, port, options };
        cluster.start_again();
        cluster
    }

    /// Starts the server again (after [`Cluster::crash`]) on the same port.
    pub fn start_again(&self) {
        run(Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(format!("{BIN}/pg_ctl"))
            .arg("-D")
            .arg(self.data())
            .args(["-w", "-t", "60", "-l"])
            .arg(self.dir.path().join("log"))
            .arg("-o")
            .arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off{}",
                self.port,
                self.dir.path().display(),
                self.options
            ))
            .arg("start"));
    }

    /// Stops the server as a power cut would (`pg_ctl -m immediate`): transactions in flight
    /// are lost, committed ones are kept.
    pub fn crash(&self) {
        run(Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(format!("{BIN}/pg_ctl"))
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"]));
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The administrator's URL.
    pub fn admin(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// A till's URL with its role and password, through `port` (a [`Proxy`]'s, or the
    /// cluster's own).
    pub fn till_via(&self, login: &crate::server::TillLogin, port: u16) -> String {
        format!(
            "postgres://{}:{}@127.0.0.1:{port}/postgres",
            login.role, login.password
        )
    }

    /// A till's URL straight to the cluster.
    pub fn till(&self, login: &crate::server::TillLogin) -> String {
        self.till_via(login, self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(format!("{BIN}/pg_ctl"))
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A loopback port nobody listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// What the proxy does with connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Cut {
    /// Passes everything both ways.
    Pass = 0,
    /// Closes every new connection at once (a server that is down).
    Refuse = 1,
    /// Takes every new connection's bytes and never answers (a cable pulled, a dead Wi-Fi).
    BlackHole = 2,
    /// Passes the login and a round's first answer (where the server's copy ends), then
    /// swallows the server's answers from the second data row on (the batch's), keeping the
    /// connection open: the server has committed the batch, the till never hears so.
    DropReply = 3,
}

/// A small TCP proxy in front of the cluster, cutting as told (each new connection follows the
/// mode of the moment it was opened).
#[derive(Debug)]
pub struct Proxy {
    port: u16,
    mode: Arc<AtomicU8>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Listens on a free loopback port, passing to `upstream` (a loopback port).
    pub async fn start(upstream: u16) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mode = Arc::new(AtomicU8::new(Cut::Pass as u8));
        let m = mode.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let cut = m.load(Ordering::SeqCst);
                tokio::spawn(serve(client, upstream, cut));
            }
        });
        Proxy { port, mode, task }
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// From now on, new connections are cut so.
    pub fn set(&self, cut: Cut) {
        self.mode.store(cut as u8, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// How long a black-holed or swallowed connection is held open at most.
const HOLD: Duration = Duration::from_secs(120);

async fn serve(mut client: TcpStream, upstream: u16, cut: u8) {
    if cut == Cut::Refuse as u8 {
        return;
    }
    if cut == Cut::BlackHole as u8 {
        let mut sink = [0_u8; 4096];
        let _ = tokio::time::timeout(HOLD, async {
            while let Ok(n) = client.read(&mut sink).await {
                if n == 0 {
                    break;
                }
            }
        })
        .await;
        return;
    }
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)).await else {
        return;
    };
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let up = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut cr, &mut sw).await;
        let _ = sw.shutdown().await;
    });
    if cut == Cut::DropReply as u8 {
        // Pass the server's messages (a type byte, then a length that counts itself) until the
        // first data row: from there on nothing reaches the till.
        let mut buf: Vec<u8> = Vec::new();
        let mut chunk = [0_u8; 8192];
        let mut swallowing = false;
        let mut rows_passed = 0;
        let _ = tokio::time::timeout(HOLD, async {
            while let Ok(n) = sr.read(&mut chunk).await {
                if n == 0 {
                    break;
                }
                if swallowing {
                    continue;
                }
                buf.extend_from_slice(&chunk[..n]);
                let mut pass = 0;
                while buf.len() >= pass + 5 {
                    let kind = buf[pass];
                    let len = u32::from_be_bytes([
                        buf[pass + 1],
                        buf[pass + 2],
                        buf[pass + 3],
                        buf[pass + 4],
                    ]) as usize;
                    if kind == b'D' && rows_passed == 1 {
                        swallowing = true;
                        break;
                    }
                    if buf.len() < pass + 1 + len {
                        break;
                    }
                    if kind == b'D' {
                        rows_passed += 1;
                    }
                    pass += 1 + len;
                }
                if cw.write_all(&buf[..pass]).await.is_err() {
                    break;
                }
                buf.drain(..pass);
            }
        })
        .await;
    } else {
        let _ = tokio::io::copy(&mut sr, &mut cw).await;
    }
    up.abort();
}

/// A Lightning sale of `minor` euro cents written paid now into `ledger` for the till named
/// `terminal` (two journal entries: rung up, paid), as the tests' and the benchmark's tills sell;
/// its receipt number.
pub fn sell_paid(ledger: &mut till_core::ledger::Ledger, terminal: &str, minor: i64) -> i64 {
    use till_core::{
        ledger::{LedgerError, NewSale},
        money::{decimal_text, Currency, Fiat},
        sale::SaleState,
    };
    let eur = Currency::from_code("EUR").unwrap();
    let now = chrono::Utc::now();
    let s = ledger
        .insert_sale(
            &NewSale::keyed(
                terminal,
                Fiat::parse(&decimal_text(minor, "EUR"), eur).unwrap(),
                "ana",
            ),
            now,
        )
        .unwrap();
    ledger
        .update_sale::<LedgerError>(s.id, now, |x| {
            x.state = SaleState::Paid;
            x.amount_msat = Some(u64::try_from(minor).unwrap() * 10_000);
            x.paid_at = Some(now);
            Ok(Some(("status", serde_json::json!({"status": "SUCCESS"}))))
        })
        .unwrap();
    s.receipt_no
}
