//! Who holds a TCP port this daemon was asked to listen on, for the
//! message that says so: the listening socket's inode from
//! `/proc/net/tcp` and `tcp6` (proc(5)), then the process with a file
//! descriptor on it. Another user's processes cannot be looked into
//! without privileges: then none is named.

use std::fs;

/// The name and process id of a process listening on TCP `port`, if one
/// can be found.
pub(super) fn port_holder(port: u16) -> Option<(String, u32)> {
    let inode = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|table| fs::read_to_string(table).ok())
        .find_map(|table| listening_inode(&table, port))?;
    let socket = format!("socket:[{inode}]");
    fs::read_dir("/proc").ok()?.flatten().find_map(|entry| {
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        let holds = fs::read_dir(entry.path().join("fd"))
            .ok()?
            .flatten()
            .any(|fd| fs::read_link(fd.path()).is_ok_and(|to| to.as_os_str() == socket.as_str()));
        let name = fs::read_to_string(entry.path().join("comm")).ok()?;
        holds.then(|| (name.trim().to_owned(), pid))
    })
}

/// The inode of the socket listening (state `0A`) on `port` in a
/// `/proc/net/tcp` table: `sl local_address rem_address st … inode`.
fn listening_inode(table: &str, port: u16) -> Option<String> {
    table.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let local_port = fields.get(1)?.rsplit_once(':')?.1;
        let listening = fields.get(3) == Some(&"0A");
        (listening && u16::from_str_radix(local_port, 16).ok()? == port)
            .then(|| fields.get(9).map(|inode| (*inode).to_owned()))?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listening_socket_is_found_by_its_port() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   \
            0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0\n   \
            1: 0100007F:1F91 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0\n";
        assert_eq!(listening_inode(table, 8080).as_deref(), Some("4242"));
        // Connected, not listening.
        assert_eq!(listening_inode(table, 8081), None);
        // This process, listening.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (_, pid) = port_holder(port).expect("found");
        assert_eq!(pid, std::process::id());
    }
}
