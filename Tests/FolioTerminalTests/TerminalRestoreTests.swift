import Synchronization
import Testing

@testable import FolioTerminal

#if canImport(Glibc)
    import Glibc
#endif

/// A handler of the test's own, to see whether it is back after Folio's.
private let hits = Atomic<Int>(0)
private let countHit: @convention(c) (Int32) -> Void = { _ in hits.add(1, ordering: .relaxed) }

/// The signal handlers the terminal installs, without a terminal: what they
/// replace comes back, they keep errno, and they run on an alternate stack.
/// Serialized: they change the process's handlers for a moment.
@Suite(.serialized) struct TerminalRestoreTests {
    static func handler(of signal: Int32) -> sigaction {
        var current = sigaction()
        sigaction(signal, nil, &current)
        return current
    }

    /// Raises `signal` on this thread with it unblocked (the test runner's
    /// threads may block signals; a blocked one would only be left pending).
    static func raiseUnblocked(_ signal: Int32) {
        var set = sigset_t()
        var old = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        pthread_sigmask(SIG_UNBLOCK, &set, &old)
        raise(signal)
        pthread_sigmask(SIG_SETMASK, &old, nil)
    }

    static func isCountHit(_ action: sigaction) -> Bool {
        guard let handler = action.__sigaction_handler.sa_handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(countHit, to: Int.self)
    }

    @Test func theHandlersThatWereThereComeBackWhenTheTerminalCloses() {
        var mine = sigaction()
        var before = sigaction()
        mine.__sigaction_handler.sa_handler = countHit
        sigemptyset(&mine.sa_mask)
        sigaction(SIGUSR2, &mine, &before)
        defer { sigaction(SIGUSR2, &before, nil) }

        func address(_ action: sigaction) -> Int { action.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: Int.self) } ?? 0 }
        let signals = TerminalRestore.loopSignals + TerminalRestore.crashSignals + [SIGWINCH]
        let earlier = signals.map { address(Self.handler(of: $0)) }

        TerminalRestore.install(input: -1, output: -1)
        #expect(!Self.isCountHit(Self.handler(of: SIGUSR2)), "Folio's handler takes the signal while the terminal is open")
        TerminalRestore.done()
        #expect(Self.isCountHit(Self.handler(of: SIGUSR2)), "the earlier handler is back")
        let count = hits.load(ordering: .relaxed)
        Self.raiseUnblocked(SIGUSR2)
        #expect(hits.load(ordering: .relaxed) == count + 1)
        // Every other signal Folio took has what it had before, too.
        #expect(signals.map { address(Self.handler(of: $0)) } == earlier)
    }

    @Test func everyHandlerRunsOnAnAlternateStack() {
        TerminalRestore.install(input: -1, output: -1)
        defer { TerminalRestore.done() }
        for signal in TerminalRestore.loopSignals + TerminalRestore.crashSignals {
            #expect(Self.handler(of: signal).sa_flags & Int32(SA_ONSTACK) != 0, "signal \(signal)")
        }
        var stack = stack_t()
        #expect(sigaltstack(nil, &stack) == 0)
        #expect(stack.ss_flags & Int32(SS_DISABLE) == 0, "this thread has an alternate signal stack")
        #expect(stack.ss_size >= 16 * 1024)
    }

    @Test func aHandlerKeepsErrno() {
        TerminalRestore.install(input: -1, output: -1)
        defer { TerminalRestore.done() }
        // Fill the signal pipe, so that the handler's own write fails (EAGAIN).
        for _ in 0..<70_000 { Self.raiseUnblocked(SIGUSR1) }
        errno = ENOTTY
        Self.raiseUnblocked(SIGUSR1)
        #expect(errno == ENOTTY, "errno \(errno) after a signal")
        let pending = TerminalRestore.pendingSignals()
        #expect(!pending.isEmpty && pending.allSatisfy { $0 == .user1 })
    }

    @Test func signalsAreNamedAndEndWithTheShellsStatus() {
        #expect(TerminalSignal(number: SIGQUIT) == .quit)
        #expect(TerminalSignal.quit.exitStatus == 131)
        #expect(TerminalSignal(number: SIGUSR1) == .user1)
        #expect(TerminalSignal.user1.exitStatus == 128 + SIGUSR1)
        #expect(TerminalSignal.interrupt.exitStatus == 130)
        #expect(!TerminalSignal.suspend.ends && !TerminalSignal.resize.ends && TerminalSignal.hangup.ends)
        #expect(TerminalRestore.loopSignals.contains(SIGQUIT) && TerminalRestore.loopSignals.contains(SIGUSR1))
    }
}
