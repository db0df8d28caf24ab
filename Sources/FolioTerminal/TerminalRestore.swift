import CNcursesw

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A signal the event loop must act on, delivered as a byte on a pipe so the
/// loop can wait for keys, answers and signals in one `poll`.
public enum TerminalSignal: Sendable, CaseIterable {
    case hangup, interrupt, quit, terminate, user1, user2, alarm, suspend, resize

    /// The platform's number for the signal.
    public var number: Int32 {
        switch self {
        case .hangup: SIGHUP
        case .interrupt: SIGINT
        case .quit: SIGQUIT
        case .terminate: SIGTERM
        case .user1: SIGUSR1
        case .user2: SIGUSR2
        case .alarm: SIGALRM
        case .suspend: SIGTSTP
        case .resize: SIGWINCH
        }
    }

    public init?(number: Int32) {
        guard let known = TerminalSignal.allCases.first(where: { $0.number == number }) else { return nil }
        self = known
    }

    /// Whether the signal ends the program (all but Ctrl-Z and a resize).
    public var ends: Bool { self != .suspend && self != .resize }

    /// The shell's convention: 128 + the signal number.
    public var exitStatus: Int32 { 128 + number }
}

/// Gives the terminal back however Folio ends, and the process's signal
/// handlers back when the terminal interface closes.
///
/// ncurses' own SIGINT/SIGTERM handlers restore the terminal but exit at once,
/// skipping Folio's cleanup; so Folio installs its own before ncurses starts
/// (ncurses then leaves them alone). Every signal that would end the process
/// (SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1/2, SIGALRM) and SIGTSTP only
/// write a byte to a pipe: the loop does the work, outside the handler. A
/// crash (SIGSEGV, a Swift trap…) cannot go back to the loop, so its handler
/// writes the saved reset sequence and the saved tty modes with plain
/// `write` and `tcsetattr`, both safe in a signal handler, then lets the
/// signal continue to whatever handled it before. Handlers keep `errno` and
/// run on an alternate stack, so a stack overflow still restores.
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
    static let resetCapacity = 512
    nonisolated(unsafe) private static let reset = UnsafeMutablePointer<UInt8>.allocate(capacity: resetCapacity)
    /// The handlers that were there before Folio's, by signal number (no
    /// allocation in a handler); put back by `uninstall`.
    nonisolated(unsafe) private static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    /// ncurses' SIGWINCH handler, which Folio's calls after waking the loop.
    nonisolated(unsafe) private static let ncursesResize = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
    nonisolated(unsafe) private static var installed = false
    nonisolated(unsafe) private static var exitHookSet = false

    static let loopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTSTP]
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGSYS]
    static var handled: [Int32] { loopSignals + crashSignals + [SIGWINCH] }
    /// The alternate stack's size: the handlers only call write, tcsetattr,
    /// sigaction and raise.
    static let alternateStackSize = 64 * 1024

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
            result += buffer[0..<n].compactMap { TerminalSignal(number: Int32($0)) }
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
        setReset(Array("\u{1B}[?2004l\u{1B}[?1049l\u{1B}[?25h\u{1B}[0m".utf8))
        guard !installed else { return }
        installed = true
        if pipeFDs.read < 0 {
            var fds: [Int32] = [-1, -1]
            if pipe(&fds) == 0 {
                for fd in fds {
                    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                }
                pipeFDs = (fds[0], fds[1])
            }
        }
        _ = pendingSignals()
        prepareAlternateStack()
        for signal in handled { sigaction(signal, nil, previous + Int(signal)) }
        for signal in loopSignals { handle(signal, with: forwardToLoop) }
        for signal in crashSignals {
            handle(
                signal,
                with: { number in
                    TerminalRestore.restoreNow()
                    // Hand the signal on to whoever had it before (the Swift runtime's
                    // backtracer, or the default action).
                    sigaction(number, TerminalRestore.previous + Int(number), nil)
                    raise(number)
                })
        }
        if !exitHookSet {
            exitHookSet = true
            atexit { TerminalRestore.restoreNow() }
        }
    }

    /// Puts back every handler Folio replaced: once the terminal interface
    /// has closed, Ctrl-C during a slow shutdown ends the process as usual.
    static func uninstall() {
        guard installed else { return }
        installed = false
        for signal in handled { sigaction(signal, previous + Int(signal), nil) }
        _ = pendingSignals()
    }

    private static let forwardToLoop: @convention(c) (Int32) -> Void = { number in
        let kept = errno
        var byte = UInt8(truncatingIfNeeded: number)
        _ = write(TerminalRestore.pipeFDs.write, &byte, 1)
        errno = kept
    }

    private static func handle(_ number: Int32, with handler: @escaping @convention(c) (Int32) -> Void) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_ONSTACK
        sigaction(number, &action, nil)
    }

    /// Handlers run on the thread the signal lands on; this gives the
    /// terminal's thread (where screens are drawn, and a runaway recursion
    /// would overflow) a stack of its own for them. A thread that already
    /// has one keeps it.
    private static func prepareAlternateStack() {
        var current = stack_t()
        guard sigaltstack(nil, &current) == 0, current.ss_flags & Int32(SS_DISABLE) != 0 else { return }
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: alternateStackSize, alignment: 16)
        stack.ss_size = alternateStackSize
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
    }

    /// A resize signal may land on any thread, and ncurses' handler only sets
    /// a flag; so Folio's own handler also wakes the loop through the pipe,
    /// then hands the signal to ncurses, which reports KEY_RESIZE.
    static func forwardResizes() {
        sigaction(SIGWINCH, nil, ncursesResize)
        handle(
            SIGWINCH,
            with: { number in
                let kept = errno
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(TerminalRestore.pipeFDs.write, &byte, 1)
                if let ncurses = TerminalRestore.ncursesResize.pointee.__sigaction_handler.sa_handler,
                    unsafeBitCast(ncurses, to: Int.self) > 1
                {
                    ncurses(number)
                }
                errno = kept
            })
    }

    /// Keeps the terminal's own "leave full-screen" sequences for a crash:
    /// bracketed paste and the mouse off, keypad mode off, the normal screen,
    /// the cursor, plain attributes.
    static func captureSequences(mouse: Bool) {
        var bytes = Array("\u{1B}[?2004l".utf8)
        if mouse { bytes += Array("\u{1B}[?1006l\u{1B}[?1003l\u{1B}[?1002l\u{1B}[?1000l".utf8) }
        for capability in ["rmkx", "rmcup", "cnorm", "sgr0"] {
            guard let value = tigetstr(capability), Int(bitPattern: value) > 0 else { continue }
            bytes += Array(String(cString: value).utf8)
        }
        setReset(bytes)
    }

    private static func setReset(_ bytes: [UInt8]) {
        saved.pointee.resetCount = min(bytes.count, resetCapacity)
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

    /// The terminal is back in the shell's hands: nothing more to restore,
    /// and the signal handlers are the process's own again.
    static func done() {
        saved.pointee.active = false
        uninstall()
    }

    /// Only async-signal-safe calls: used from crash handlers and atexit.
    static func restoreNow() {
        let s = saved
        guard s.pointee.active else { return }
        s.pointee.active = false
        _ = write(s.pointee.output, reset, s.pointee.resetCount)
        if s.pointee.haveModes { tcsetattr(s.pointee.input, TCSANOW, &s.pointee.modes) }
    }
}
