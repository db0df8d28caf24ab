import FolioCore
import FolioTerminal
import Foundation
import Synchronization

/// Runs the loop: wait for a key, an answer or a signal; `update`; perform
/// the effects; paint. It owns one thread and blocks only in `poll`, so a key
/// is handled the moment it arrives, whatever the network is doing.
final class Program: Sendable {
    private let terminal: any TerminalBackend & Sendable
    private let runner: EffectRunner?
    private let inbox = Inbox()
    private let model: Mutex<AppState>

    init(terminal: any TerminalBackend & Sendable, state: AppState, runner: EffectRunner?) {
        self.terminal = terminal
        self.runner = runner
        model = Mutex(state)
    }

    /// The state as it is now (for tests).
    var state: AppState { model.withLock { $0 } }

    /// Delivers an event as if it came from outside (an answer, a test's key).
    func send(_ event: Event) { inbox.post(event) }

    /// Runs until an effect or a signal says to quit; returns the exit status.
    /// The terminal is given back before this returns.
    func run(initial: [Effect] = []) -> Int32 {
        defer { terminal.close() }
        if let status = perform(update(.resize(width: terminal.width, height: terminal.height)) + initial) { return status }
        terminal.present(model.withLock { $0.render() })
        var lastTick = ContinuousClock.now
        while true {
            let busy = model.withLock { $0.isBusy }
            wait(timeoutMilliseconds: busy ? 80 : -1)
            var events = inbox.drain()
            for signal in terminal.pendingSignals() {
                switch signal {
                case .suspend: terminal.suspend()
                case .resize: break  // the terminal reports the new size as an event
                default: return signal.exitStatus
                }
            }
            events += terminal.pendingEvents().map { event -> Event in
                switch event {
                case .key(let key): return .key(key)
                case .mouse(let mouse): return .mouse(mouse)
                case .resize(let width, let height): return .resize(width: width, height: height)
                case .paste(let text): return .paste(text)
                }
            }
            if busy, ContinuousClock.now - lastTick >= .milliseconds(80) {
                lastTick = .now
                events.append(.tick)
            }
            for event in events {
                if let status = perform(update(event)) { return status }
            }
            terminal.present(model.withLock { $0.render() })
        }
    }

    private func update(_ event: Event) -> [Effect] { model.withLock { $0.update(event) } }

    /// Starts the effects; a quit is returned rather than performed.
    private func perform(_ effects: [Effect]) -> Int32? {
        for effect in effects {
            if case .quit(let status) = effect { return status }
            if case .redraw = effect {
                terminal.invalidate()
                continue
            }
            if case .suspend = effect {
                terminal.suspend()
                continue
            }
            if case .copy(let text) = effect {
                terminal.copyToClipboard(text)
                continue
            }
            runner?.perform(effect) { [inbox] event in inbox.post(event) }
        }
        return nil
    }

    private func wait(timeoutMilliseconds: Int32) {
        var fds = [pollfd(fd: inbox.descriptor, events: Int16(POLLIN), revents: 0)]
        if let input = terminal.inputDescriptor { fds.append(pollfd(fd: input, events: Int16(POLLIN), revents: 0)) }
        if let signals = terminal.signalDescriptor { fds.append(pollfd(fd: signals, events: Int16(POLLIN), revents: 0)) }
        // EINTR (a resize, a signal) simply ends the wait.
        _ = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
    }
}

/// Events from other threads, with a pipe that wakes the loop's `poll`.
final class Inbox: Sendable {
    private let queue = Mutex<[Event]>([])
    private let pipeFDs: (read: Int32, write: Int32)

    init() {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        pipeFDs = (fds[0], fds[1])
    }

    deinit {
        close(pipeFDs.read)
        close(pipeFDs.write)
    }

    var descriptor: Int32 { pipeFDs.read }

    func post(_ event: Event) {
        queue.withLock { $0.append(event) }
        var byte: UInt8 = 1
        _ = write(pipeFDs.write, &byte, 1)
    }

    func drain() -> [Event] {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(pipeFDs.read, &buffer, buffer.count) > 0 {}
        return queue.withLock { events in
            defer { events = [] }
            return events
        }
    }
}
