//! WebKitGTK's memory monitor's files, kept from the web processes WebKit starts later (Linux).
//!
//! WebKit's memory-pressure monitor is a thread of the desktop process (WebKit's
//! `MemoryPressureMonitor`, started with the web context). Five seconds in, it opens the files it
//! reads for as long as the process lives: `/proc/meminfo`, `/proc/zoneinfo`,
//! `/proc/self/cgroup` and the cgroup's `memory.*` files, with C's `fopen(path, "r")`, so without
//! close-on-exec. WebKit starts each of its processes letting it inherit every descriptor not
//! marked so (GLib's `G_SUBPROCESS_FLAGS_INHERIT_FDS`). The first web process starts before the
//! monitor's first look and holds none of them; every web process started after it, when the
//! page renews itself at rest or after a crash, holds seven it never reads: a long day ended 7
//! open files above its start (BENCHMARKS.md, "A long day").
//!
//! [`keep_memory_monitor_files_to_itself`] marks those descriptors close-on-exec. The monitor
//! goes on reading them as before; only a process started later no longer inherits them.

use std::{fs, path::Path};

/// Whether `target`, where one of this process's descriptors leads (`/proc/self/fd/N`), is one
/// of the files WebKit's memory monitor keeps open; `own_pid` is this process's id, which the
/// kernel writes in place of `self`.
pub fn is_memory_monitor_file(target: &Path, own_pid: u32) -> bool {
    let Some(target) = target.to_str() else {
        return false;
    };
    if target == "/proc/meminfo" || target == "/proc/zoneinfo" {
        return true;
    }
    if target == format!("/proc/{own_pid}/cgroup") {
        return true;
    }
    target.strip_prefix("/sys/fs/cgroup/").is_some_and(|rest| {
        rest.rsplit('/')
            .next()
            .is_some_and(|file| file.starts_with("memory."))
    })
}

/// Marks close-on-exec each of this process's open descriptors that leads to one of WebKit's
/// memory monitor's files ([`is_memory_monitor_file`]) and is not marked yet; answers how many
/// it marked. Cheap (a look at `/proc/self/fd`), and nothing to do once done, so it can be
/// called after each page load: the monitor opens its files a few seconds after the start, and
/// opens the cgroup's again if the process moves to another cgroup.
pub fn keep_memory_monitor_files_to_itself() -> usize {
    let pid = std::process::id();
    let Ok(entries) = fs::read_dir("/proc/self/fd") else {
        return 0;
    };
    let mut marked = 0;
    for entry in entries.flatten() {
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(target) = fs::read_link(entry.path()) else {
            continue;
        };
        if is_memory_monitor_file(&target, pid) && mark_close_on_exec(fd) {
            marked += 1;
        }
    }
    marked
}

/// Sets `fd`'s close-on-exec flag if it is not set; answers whether it set it.
fn mark_close_on_exec(fd: i32) -> bool {
    // SAFETY: F_GETFD and F_SETFD read and set one flag of a descriptor; they touch no memory.
    // A descriptor closed since it was listed makes fcntl answer -1 (EBADF). The monitor never
    // closes its files, so a number reused for another file in between is all but impossible;
    // and a descriptor meant for a child is never passed by inheritance: WebKit hands each to
    // its process explicitly (GLib's `take_fd`, a dup2 in the child), which the flag does not
    // stop.
    #[allow(unsafe_code)]
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    if flags < 0 || flags & libc::FD_CLOEXEC != 0 {
        return false;
    }
    // SAFETY: as above.
    #[allow(unsafe_code)]
    let set = unsafe { libc::fcntl(fd, libc::F_SETFD, flags | libc::FD_CLOEXEC) };
    set == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;

    #[test]
    fn the_monitors_files_are_told_from_any_other() {
        let pid = 4321;
        for monitor in [
            "/proc/meminfo",
            "/proc/zoneinfo",
            "/proc/4321/cgroup",
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
            "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes",
            "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/memory.current",
            "/sys/fs/cgroup/memory.max",
        ] {
            assert!(is_memory_monitor_file(Path::new(monitor), pid), "{monitor}");
        }
        for other in [
            "/proc/1234/cgroup",
            "/proc/4321/status",
            "/proc/4321/smaps_rollup",
            "/proc/stat",
            "/sys/fs/cgroup/cpu.max",
            "/home/shop/.local/share/till/ledger.sqlite",
            "/tmp/memory.current",
            "socket:[12345]",
            "anon_inode:[eventfd]",
        ] {
            assert!(!is_memory_monitor_file(Path::new(other), pid), "{other}");
        }
    }

    /// The close-on-exec flag of `fd`.
    fn close_on_exec(fd: i32) -> bool {
        // SAFETY: reads one flag of a descriptor this test holds open.
        #[allow(unsafe_code)]
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
        assert!(flags >= 0, "fcntl failed on {fd}");
        flags & libc::FD_CLOEXEC != 0
    }

    /// Clears `fd`'s close-on-exec flag, as C's `fopen(path, "r")` leaves it.
    fn as_fopen_leaves_it(fd: i32) {
        // SAFETY: sets one flag of a descriptor this test holds open.
        #[allow(unsafe_code)]
        let set = unsafe { libc::fcntl(fd, libc::F_SETFD, 0) };
        assert_eq!(set, 0);
        assert!(!close_on_exec(fd));
    }

    /// The one test that marks descriptors: it marks every monitor file this process has open, so
    /// no other test may hold one.
    #[test]
    fn the_monitors_files_are_marked_close_on_exec_and_no_other_file() {
        let meminfo = fs::File::open("/proc/meminfo").expect("/proc/meminfo");
        let cgroup = fs::File::open("/proc/self/cgroup").expect("/proc/self/cgroup");
        let other = a_file_of_another_kind();
        for f in [&meminfo, &cgroup, &other] {
            as_fopen_leaves_it(f.as_raw_fd());
        }
        // At least these two (a descriptor of the kind inherited from whatever ran the tests
        // would be marked too).
        assert!(keep_memory_monitor_files_to_itself() >= 2);
        assert!(close_on_exec(meminfo.as_raw_fd()));
        assert!(
            close_on_exec(cgroup.as_raw_fd()),
            "/proc/self/cgroup not told"
        );
        assert!(
            !close_on_exec(other.as_raw_fd()),
            "a file of another kind was marked"
        );
        // Done once, nothing more to do.
        assert_eq!(keep_memory_monitor_files_to_itself(), 0);
    }

    /// A file of no interest to the monitor (in the temporary folder, removed at once), open
    /// for the test's length.
    fn a_file_of_another_kind() -> fs::File {
        let path = std::env::temp_dir().join(format!("till-webview-{}", std::process::id()));
        let file = fs::File::create(&path).expect("a temporary file");
        let _ = fs::remove_file(&path);
        file
    }
}
