//! Dropping the simulator stops it before `drop` returns: a test that drops it and then asks
//! the gateway sees it unreachable, never a late answer (a test of the app failed 2 runs in 7
//! on a fresh machine before this held).

// Tests may unwrap: a panic here is a failed test with its message.
#![allow(clippy::unwrap_used)]

use std::net::{SocketAddr, TcpStream};
use std::sync::Mutex;

use aurpay_sim::SimConfig;

/// One test at a time: each binds simulators on free ports in a loop, and a port one test's
/// simulator has just let go of may be the very one the other's next simulator is given, which
/// would then answer the first test's "is it gone?".
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Whether a simulator still accepts on `addr`. A connection that reached no listener but itself
/// is not one: with nothing listening on a port of the range the kernel gives out for outgoing
/// connections, a connect may be given that very port as its own and meet itself (TCP's
/// simultaneous open), one attempt in some tens of thousands.
fn accepted(stream: std::io::Result<TcpStream>, addr: SocketAddr) -> bool {
    stream.is_ok_and(|s| s.local_addr().ok() != Some(addr))
}

#[test]
#[cfg_attr(
    windows,
    ignore = "Windows here is Wine, which closes a listening socket after closesocket returns \
              (through wineserver), so a connect right after drop may still be accepted; the \
              guarantee serves the Linux suites that drop a simulator and expect it gone"
)]
fn after_drop_no_connection_is_accepted() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // Many rounds: the race was between `drop` and the accept loop seeing the signal.
    for round in 0..200 {
        let sim = runtime
            .block_on(aurpay_sim::start(SimConfig::with_api_key("k")))
            .unwrap();
        let addr = sim.addr();
        assert!(
            accepted(TcpStream::connect(addr), addr),
            "round {round}: up"
        );
        drop(sim);
        assert!(
            !accepted(TcpStream::connect(addr), addr),
            "round {round}: still accepting after drop"
        );
    }
}

#[test]
fn dropped_inside_a_multi_threaded_runtime_it_stops_too() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        for round in 0..50 {
            let sim = aurpay_sim::start(SimConfig::with_api_key("k"))
                .await
                .unwrap();
            let addr = sim.addr();
            drop(sim);
            let stream = tokio::net::TcpStream::connect(addr)
                .await
                .and_then(|s| s.into_std());
            assert!(
                !accepted(stream, addr),
                "round {round}: still accepting after drop"
            );
        }
    });
}
