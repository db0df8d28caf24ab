import Foundation

/// A token command (`token_command`, `client_secret_command`) run as a shell
/// would run it in the foreground: in Folio's process group, with Folio's
/// terminal as its stdin and stderr, so that a password manager can ask for a
/// passphrase on `/dev/tty`. Only stdout is taken, through a pipe.
///
/// Not Foundation's `Process`: it starts the child in a process group of its
/// own, where reading the terminal fails (a background group), and it passes
/// on Folio's ignored SIGPIPE.
enum TokenCommand {
    /// Far more than any token; the rest is not read.
    static let largest = 64 << 10

    /// The command's exit status (128 + n when killed by signal n) and stdout.
    static func run(_ command: String) throws(FolioError) -> (status: Int32, stdout: Data) {
        var out: [Int32] = [-1, -1]
        guard pipe(&out) == 0 else {
            throw .configuration("cannot run the token command: \(String(cString: strerror(errno)))")
        }
        // Neither end goes to any other child; the command gets the write end as its stdout.
        for fd in out { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), none = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let words: [String] = ["/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let started = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        close(out[1])
        defer { close(out[0]) }
        guard started == 0 else {
            throw .configuration("cannot run the token command: \(String(cString: strerror(started)))")
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(out[0], $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            if data.count < largest { data.append(contentsOf: buffer[0..<n]) }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (code, data)
    }
}
