import FolioCore
import FolioServer
import FolioTerminal
import FolioTestSupport
import Foundation
import Testing

@testable import FolioTUI

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The whole loop — keys, effects over loopback HTTP, answers, frames —
/// against the real reference server, in an in-memory terminal.
@Suite struct ProgramTests {
    /// Starts a program on its own thread, as the terminal app does.
    final class Running: Sendable {
        let program: Program
        let terminal: MemoryTerminal
        private let done: Task<Int32, Never>

        /// `via`: another address to reach the server by (a fault proxy in front of it).
        init(server: RunningServer, via: String? = nil, width: Int = 100, height: Int = 30, pageSize: Int = 20) throws {
            let client = try APIClient(.init(baseURL: via ?? server.baseURL, profile: "test", token: .fixed(TestServer.token)))
            terminal = MemoryTerminal(width: width, height: height)
            var state = AppState(width: width, height: height, context: "test", today: Fixtures.today, pageSize: pageSize)
            let first = state.loadList(state.list.query, landing: .first)
            let program = Program(terminal: terminal, state: state, runner: EffectRunner(client: client, journal: Fixtures.journal()))
            self.program = program
            done = Task {
                let status = await withCheckedContinuation { continuation in
                    Thread { continuation.resume(returning: program.run(initial: first)) }.start()
                }
                await client.shutdown()
                return status
            }
        }

        func press(_ keys: Key...) { for key in keys { program.send(.key(key)) } }
        /// An action by name, by its first key in the room's own table.
        func press<Action>(_ action: Action, in keymap: Keymap<Action>) {
            guard let key = keymap.keys(for: action).first else {
                Issue.record("no key for \(action)")
                return
            }
            program.send(.key(key))
        }
        func type(_ text: String) { for c in text { program.send(.key(.character(c))) } }

        /// Waits (polling, with a deadline) until the screen satisfies `condition`.
        func waitFor(_ what: String, timeout: Duration = .seconds(10), _ condition: (String) -> Bool) async throws {
            let deadline = ContinuousClock.now + timeout
            while !condition(terminal.frame.text) {
                guard ContinuousClock.now < deadline else {
                    Issue.record("timed out waiting for \(what); screen:\n\(terminal.frame.text)")
                    throw CancellationError()
                }
                try await Task.sleep(for: .milliseconds(10))
            }
        }

        func waitFor(_ text: String) async throws { try await waitFor("“\(text)”") { $0.contains(text) } }

        var status: Int32 { get async { await done.value } }
    }

    @Test func pagesSearchesAndQuitsAgainstTheServer() async throws {
        try await TestServer.with(orders: 150) { server in
            let app = try Running(server: server)
            try await app.waitFor("page 1/")
            app.press(.nextPage, in: ListState.keymap)
            try await app.waitFor("page 2/")
            app.press(.cycleState, in: ListState.keymap)
            try await app.waitFor("state: open")
            try await app.waitFor("only open rows") { ProgramTests.rows($0, allSay: "open") }
            app.press(.search, in: ListState.keymap)
            app.type("100000045")
            app.press(.submit, in: SearchPrompt.keymap)
            try await app.waitFor("invoice 100000045")
            try await app.waitFor("page 1/1 · 1 invoice")
            app.press(.cancel, in: ListState.keymap)
            try await app.waitFor("state: open")
            app.press(.quit, in: ListState.keymap)
            #expect(await app.status == 0)
            #expect(app.terminal.closed)
        }
    }

    /// The answer to "open" is held back until after "paid" has arrived (a
    /// fault proxy freezes it for a second): whether it still reaches the
    /// program or its request was given up for the newer one, the screen stays on paid.
    @Test func aLateAnswerToAnOldFilterIsDropped() async throws {
        try await TestServer.with(orders: 150) { server in
            let proxy = try FaultProxy(upstreamPort: server.port)
            defer { proxy.stop() }
            let app = try Running(server: server, via: proxy.baseURL)
            try await app.waitFor("page 1/")
            #expect(await proxy.drain(timeout: 10), "the first page and its prefetch are done")
            proxy.inject(.freeze(seconds: 1), count: 1, writesOnly: false)
            app.press(.cycleState, in: ListState.keymap)  // open: its answer is frozen
            app.press(.cycleState, in: ListState.keymap)  // paid: answered at once
            try await app.waitFor("only paid rows") { ProgramTests.rows($0, allSay: "paid") }
            #expect(proxy.stats.applied["freeze"] == 1)
            // The frozen answer has been relayed; a key's round trip proves the loop has seen what came.
            #expect(await proxy.drain(timeout: 10))
            app.press(GenericAction.help, in: GenericAction.keymap)
            try await app.waitFor("Invoices — keys")
            #expect(app.program.state.list.query.states == [.paid])
            #expect(app.program.state.list.rows.allSatisfy { $0.state == .paid } && !app.program.state.list.rows.isEmpty)
            app.press(GenericAction.quit, in: GenericAction.keymap)
            #expect(await app.status == 0)
        }
    }

    @Test func aDownServerSaysSoAndRRetries() async throws {
        try await TestServer.with(orders: 20) { server in
            let app = try Running(server: server)
            try await app.waitFor("page 1/")
            // Every request fails: the error shows under the filter asked for,
            // and no row of the old filter stays under its label.
            #expect(try await setFailNext(server, 1000) == 200)
            app.press(.character("s"))
            try await app.waitFor("R to retry")
            #expect(app.terminal.frame.text.contains("state: open"))
            #expect(!app.terminal.frame.text.split(separator: "\n").contains { $0.hasPrefix("1000") })
            // The server is back: R tries the same filter again.
            #expect(try await setFailNext(server, 0) == 200)
            app.press(.character("R"))
            try await app.waitFor("the retried page") { !$0.contains("R to retry") && $0.contains("state: open") && $0.contains("page 1/") }
            app.press(.character("q"))
            #expect(await app.status == 0)
        }
    }

    /// Whether every invoice row on screen shows this state.
    static func rows(_ screen: String, allSay state: String) -> Bool {
        let rows = screen.split(separator: "\n").dropFirst(2).dropLast().filter { $0.hasPrefix("1000") }
        return !rows.isEmpty && rows.allSatisfy { $0.contains(" \(state) ") }
    }

    /// Flips the server's `fail_next` switch over HTTP, as a test harness would.
    func setFailNext(_ server: RunningServer, _ count: Int) async throws -> Int {
        try await SandboxClient(baseURL: server.baseURL).faults(#"{"fail_next": \#(count)}"#)
    }
}
