import CNcursesw
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A signal the event loop must act on, delivered as a byte on a pipe so the
/// loop can wait for keys, answers and signals in one `poll`.
public enum TerminalSignal: UInt8, Sendable {
    case hangup = 1, interrupt = 2, terminate = 15, suspend = 20, resize = 28

    /// The shell's convention: 128 + the signal number.
    public var exitStatus: Int32 { 128 + Int32(rawValue) }
}

/// Gives the terminal back however Folio ends.
///
/// ncurses' own SIGINT/SIGTERM handlers restore the terminal but exit at once,
/// skipping Folio's cleanup; so Folio installs its own before ncurses starts
/// (ncurses then leaves them alone). SIGINT, SIGTERM, SIGHUP and SIGTSTP only
/// write a byte to a pipe: the loop does the work, outside the handler. A
/// crash (SIGSEGV, a Swift trap…) cannot go back to the loop, so its handler
/// writes the saved reset sequence and the saved tty modes with plain
/// `write` and `tcsetattr`, both safe in a signal handler, then lets the
/// signal continue to whatever handled it before.
public enum TerminalRestore {
    nonisolated(unsafe) private static var pipeFDs: (read: Int32, write: Int32) = (-1, -1)
    /// What a crash handler needs, in memory allocated once: a handler must
    /// neither allocate nor run a lazy initializer.
    private struct Saved {
        var active = false
        var haveModes = false
        var modes = termios()
        var input: Int32 = STDIN_FILENO
        var output: Int32 = STDOUT_FILENO
        var resetCount = 0
    }
    nonisolated(unsafe) private static let saved: UnsafeMutablePointer<Saved> = {
        let p = UnsafeMutablePointer<Saved>.allocate(capacity: 1)
        p.initialize(to: Saved())
        return p
    }()
    nonisolated(unsafe) private static let reset = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    /// The handlers that were there before, by signal number (no allocation in a handler).
    nonisolated(unsafe) private static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    nonisolated(unsafe) private static var installed = false

    static let loopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGTSTP]
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

    /// The read end of the signal pipe, for the loop's `poll`.
    public static var signalDescriptor: Int32 { pipeFDs.read }

    /// Signals received since the last call.
    public static func pendingSignals() -> [TerminalSignal] {
        guard pipeFDs.read >= 0 else { return [] }
        var result: [TerminalSignal] = []
        var buffer = [UInt8](repeating: 0, count: 16)
        while true {
            let n = read(pipeFDs.read, &buffer, buffer.count)
            if n <= 0 { break }
            result += buffer[0..<n].compactMap(TerminalSignal.init(rawValue:))
        }
        return result
    }

    static func install(input: Int32, output: Int32) {
        saved.pointee.active = true
        saved.pointee.input = input
        saved.pointee.output = output
        saved.pointee.haveModes = tcgetattr(input, &saved.pointee.modes) == 0
        // Until the terminal's own sequences are known, the common ones:
        // leave the alternate screen, show the cursor, plain attributes.
        setReset(Array("\u{1B}[?1049l\u{1B}[?25h\u{1B}[0m".utf8))
        guard !installed else { return }
        installed = true
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            pipeFDs = (fds[0], fds[1])
        }
        for signal in loopSignals { handle(signal, with: forwardToLoop) }
        for signal in crashSignals { handle(signal, with: { number in
            TerminalRestore.restoreNow()
            // Hand the signal on to whoever had it before (the Swift runtime's
            // backtracer, or the default action).
            sigaction(number, TerminalRestore.previous + Int(number), nil)
            raise(number)
        }) }
        atexit { TerminalRestore.restoreNow() }
    }

    private static let forwardToLoop: @convention(c) (Int32) -> Void = { number in
        var byte = UInt8(truncatingIfNeeded: number)
        _ = write(TerminalRestore.pipeFDs.write, &byte, 1)
    }

    private static func handle(_ number: Int32, with handler: @escaping @convention(c) (Int32) -> Void) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(number, &action, previous + Int(number))
    }

    /// A resize signal may land on any thread, and ncurses' handler only sets
    /// a flag; so Folio's own handler also wakes the loop through the pipe,
    /// then hands the signal to ncurses, which reports KEY_RESIZE.
    static func forwardResizes() {
        handle(SIGWINCH, with: { number in
            var byte = UInt8(truncatingIfNeeded: number)
            _ = write(TerminalRestore.pipeFDs.write, &byte, 1)
            if let ncurses = TerminalRestore.previous[Int(number)].__sigaction_handler.sa_handler,
               unsafeBitCast(ncurses, to: Int.self) > 1 {
                ncurses(number)
            }
        })
    }

    /// Keeps the terminal's own "leave full-screen" sequences for a crash.
    static func captureSequences() {
        var bytes: [UInt8] = []
        for capability in ["rmcup", "cnorm", "sgr0"] {
            guard let value = tigetstr(capability), Int(bitPattern: value) > 0 else { continue }
            bytes += Array(String(cString: value).utf8)
        }
        if !bytes.isEmpty { setReset(bytes) }
    }

    private static func setReset(_ bytes: [UInt8]) {
        saved.pointee.resetCount = min(bytes.count, 256)
        for i in 0..<saved.pointee.resetCount { reset[i] = bytes[i] }
    }

    /// Stops the process as Ctrl-Z asked, and returns when `fg` resumes it.
    static func stopSelf() {
        Glibc.signal(SIGTSTP, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTSTP)
        sigprocmask(SIG_UNBLOCK, &set, nil)
        kill(getpid(), SIGTSTP)
        // Running again: take SIGTSTP back.
        handle(SIGTSTP, with: forwardToLoop)
    }

    /// The terminal is back in the shell's hands; nothing more to restore.
    static func done() { saved.pointee.active = false }

    /// Only async-signal-safe calls: used from crash handlers and atexit.
    static func restoreNow() {
        let s = saved
        guard s.pointee.active else { return }
        s.pointee.active = false
        _ = write(s.pointee.output, reset, s.pointee.resetCount)
        if s.pointee.haveModes { tcsetattr(s.pointee.input, TCSANOW, &s.pointee.modes) }
    }
}
