import Foundation

/// Runs programs for the end-to-end tests without blocking Swift's
/// cooperative threads, which the in-process server needs to answer them.
enum Shell {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `path` to its end and returns its status and output.
    ///
    /// Through `posix_spawn` rather than Foundation's `Process`, whose `run()`
    /// on this toolchain now and then reads past a buffer while listing
    /// `/proc/self/fd` and crashes the test process (swift-corelibs-foundation
    /// #5472); the fidelity matrix spawns thousands of `tmux capture-pane`s.
    /// The wait happens on a thread of its own.
    static func capture(_ path: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try spawnAndWait(path, arguments, environment) }) }.start()
        }
    }

    /// Held while a child is started (here, or `tmux new-session` in
    /// `TmuxSession`), so that none inherits another's pipe.
    static let launching = NSLock()

    private static func spawnAndWait(_ path: String, _ arguments: [String], _ environment: [String: String]?) throws -> Run {
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let started: Int32 = try launching.withLock {
            // Close-on-exec, and made under the lock every start here takes,
            // so that no other child keeps a write end open.
            guard pipe(&out) == 0 else { throw ShellFailure(description: "pipe: \(errno)") }
            guard pipe(&err) == 0 else {
                out.forEach { close($0) }
                throw ShellFailure(description: "pipe: \(errno)")
            }
            for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            posix_spawn_file_actions_adddup2(&actions, out[1], 1)
            posix_spawn_file_actions_adddup2(&actions, err[1], 2)
            return posix_spawn(&pid, path, &actions, nil, argv, envp)
        }
        close(out[1])
        close(err[1])
        defer {
            close(out[0])
            close(err[0])
        }
        guard started == 0 else { throw ShellFailure(description: "\(path): cannot start (\(started))") }
        let (stdout, stderr) = drain(out[0], err[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Exited: its code; killed by a signal: 128 + the signal, as a shell says.
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Run(status: code, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Reads both pipes to their ends together, so that neither fills and stalls the child.
    private static func drain(_ a: Int32, _ b: Int32) -> ([UInt8], [UInt8]) {
        var data: [[UInt8]] = [[], []]
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while fds.contains(where: { $0.fd >= 0 }) {
            guard poll(&fds, nfds_t(fds.count), -1) >= 0 else { if errno == EINTR { continue } else { break } }
            for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = read(fds[i].fd, &buffer, buffer.count)
                if n > 0 { data[i] += buffer[0..<n] } else if n == 0 || errno != EINTR { fds[i].fd = -1 }
            }
        }
        return (data[0], data[1])
    }

    /// A short command's standard output; a failure throws unless allowed.
    static func run(_ path: String, _ arguments: [String], allowFailure: Bool = false) async throws -> String {
        let run = try await capture(path, arguments)
        if run.status != 0 && !allowFailure {
            throw ShellFailure(description: "\(path) \(arguments.joined(separator: " ")) exited \(run.status)")
        }
        return run.stdout
    }

    struct ShellFailure: Error, CustomStringConvertible { let description: String }
}
