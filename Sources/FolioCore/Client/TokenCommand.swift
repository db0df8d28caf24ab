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
    /// Far more than any token; nothing after it is read.
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
        var defaults = sigset_t()
        var none = sigset_t()
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
        guard started == 0 else {
            close(out[0])
            throw .configuration("cannot run the token command: \(String(cString: strerror(started)))")
        }
        // Read to the end, or until the command has exited and nothing more
        // is waiting (a background child it left holding stdout, `agent &
        // echo tok`, does not keep Folio waiting), or until `largest`: then
        // the read end is closed and a command that goes on writing (`yes`)
        // meets SIGPIPE.
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var status: Int32 = 0
        var exited = false
        reading: while true {
            var ready = pollfd(fd: out[0], events: Int16(POLLIN), revents: 0)
            let polled = poll(&ready, 1, exited ? 0 : 100)
            if polled > 0 {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(out[0], $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                data.append(contentsOf: buffer[0..<n])
                if data.count >= largest { break }
            } else if polled == 0 && exited {
                break  // gone, and nothing more is waiting in the pipe
            }
            if !exited {
                switch waitpid(pid, &status, WNOHANG) {
                case pid: exited = true
                case -1 where errno != EINTR: break reading
                default: break
                }
            }
        }
        close(out[0])
        if !exited {
            var result: pid_t
            repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
            // Reaped by someone else (SIGCHLD ignored): its status is unknown, so it did not succeed.
            if result < 0 { return (-1, data) }
        }
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (code, data)
    }
}
