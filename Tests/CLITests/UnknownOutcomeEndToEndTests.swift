import FolioServer
import FolioTestSupport
import Foundation
import Testing

/// The real binary in tmux, through the fault proxy: a create whose request is
/// held past the timeout is said to be of unknown outcome, stays in view, and
/// is reported done once the store has it; quitting while it is being sent
/// leaves it for the next start, which reports it.
@Suite(.needsTmux) struct UnknownOutcomeEndToEndTests {
    @Test func aHeldCreateIsUnknownThenDoneOnceTheStoreHasIt() async throws {
        try await CLITests.withServer { server in
            let proxy = try FaultProxy(upstreamPort: server.port)
            defer { proxy.stop() }
            try await TmuxSession.run(server: server, arguments: ["--timeout", "5"], environment: ["FOLIO_BASE_URL": proxy.baseURL]) {
                tui in
                // The first page is not what this test is about: on a loaded machine it may miss
                // the short timeout, and R (as a clerk would press it) asks again.
                let deadline = ContinuousClock.now + .seconds(60)
                while !(try await tui.screen()).contains("page 1/"), ContinuousClock.now < deadline {
                    if try await tui.screen().contains("R to retry") { try await tui.keys("R") }
                    try await Task.sleep(for: .milliseconds(100))
                }
                try await tui.waitFor("page 1/")
                try await tui.openReview(order: "100000123")
                // The store gets the request only after 12 s; the client gives up after 5 s
                // (generous, so that a loaded machine's reads are not taken for the fault).
                proxy.inject(.holdThenForward(seconds: 12), writesOnly: true)
                try await tui.keys("Enter")
                let unknown = try await tui.waitFor("outcome unknown") { $0.contains("outcome unknown") }
                #expect(!unknown.contains("safe to retry") && !unknown.contains("done ·"))
                // The plan is not re-armed: the order is shown as the store has it now.
                try await tui.waitFor("the reloaded order") {
                    $0.contains("Order 100000123") && $0.contains("This order has no invoice yet")
                }
                // Leaving the create screen, the banner stays on every screen until the write is found.
                try await tui.keys("Escape")
                try await tui.waitFor("the banner") { $0.contains("1 write of unknown outcome · order 100000123 · checking…") }
                let done = try await tui.waitFor("done, once the store has it", timeout: .seconds(60)) {
                    $0.contains("done · invoice") && $0.contains("now found")
                }
                #expect(!done.contains("write of unknown outcome · order"), "the banner is gone")
                let truth = try await StoreTruth.read(server)
                #expect(truth.invoicesByReference.count == 1 && truth.invoicesByReference.values.first?.count == 1)
                let number = try #require(done.firstMatch(of: /done · invoice (\d+)/)?.1)
                let invoices = try await SandboxClient(baseURL: server.baseURL, token: CLITests.token).invoices(
                    "order_increment_id=100000123")
                #expect(invoices.map { $0["increment_id"] as? String } == [String(number)], "exactly one invoice, the one named")
            }
        }
    }

    @Test func quittingWhileSendingLeavesTheWriteForTheNextStart() async throws {
        try await CLITests.withServer { server in
            let proxy = try FaultProxy(upstreamPort: server.port)
            defer { proxy.stop() }
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("folio-e2e-state-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: state) }
            let environment = ["FOLIO_BASE_URL": proxy.baseURL, "XDG_STATE_HOME": state]
            var reference = ""
            try await TmuxSession.run(server: server, environment: environment) { tui in
                try await tui.waitFor("page 1/")
                try await tui.openReview(order: "100000123")
                proxy.inject(.holdThenForward(seconds: 2), writesOnly: true)
                try await tui.keys("Enter")
                try await tui.waitFor("sending…")
                // Quit once the request is on the wire (the proxy holds it): "sending…" shows as soon
                // as the key is pressed, before the journal and the look-ups that come first.
                let deadline = ContinuousClock.now + .seconds(20)
                while proxy.stats.applied["holdThenForward", default: 0] == 0, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                try await tui.keys("q")
                let said = try await tui.waitFor("the line on the way out") { $0.contains("was being sent when Folio stopped") }
                #expect(try await tui.exitStatus() == 0)
                try await tui.expectTerminalRestored()
                reference = String(try #require(said.firstMatch(of: /ref ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/)?.1))
            }
            // The held request reaches the store after all.
            #expect(await proxy.drain(timeout: 10))
            #expect(try await StoreTruth.read(server).invoices(carrying: reference).count == 1)
            try await TmuxSession.run(server: server, environment: environment) { tui in
                let screen = try await tui.waitFor("the outcome reported at start") {
                    $0.contains("done · invoice") && $0.contains(reference)
                }
                #expect(screen.contains("now found"))
            }
            let listed = try await CLITests.folio(
                ["journal", "--all", "--json"], baseURL: proxy.baseURL,
                environment: [
                    "FOLIO_BASE_URL": proxy.baseURL, "FOLIO_TOKEN": CLITests.token, "XDG_STATE_HOME": state,
                    "XDG_CONFIG_HOME": "/nonexistent",
                    "PATH": "/usr/bin:/bin",
                ])
            let entries =
                (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["entries"] as? [[String: Any]]
            #expect(listed.status == 0 && entries?.map { $0["outcome"] as? String } == ["done"], "\(listed.stdout)")
            #expect(entries?.first?["reference"] as? String == reference)
        }
    }
}

/// kill -9 of the CLI while its write is on the wire: nothing runs on the way
/// out, so only what was journaled before the first byte left can tell.
@Suite struct KilledMidWriteTests {
    /// Runs `folio WRITE` through `proxy`, which holds the request until the test calls
    /// `proxy.forwardHeld()`; kills the CLI once the request is held. Returns the environment
    /// of that CLI and the reference of the journal's one entry.
    static func killedOnTheWire(_ write: String, proxy: FaultProxy) async throws -> (environment: [String: String], reference: String) {
        let state = CLITests.stateHome
        let marker = state + "-kill-now"
        let environment = [
            "FOLIO_BASE_URL": proxy.baseURL, "FOLIO_TOKEN": CLITests.token, "XDG_CONFIG_HOME": "/nonexistent",
            "XDG_STATE_HOME": state, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "F": CLITests.binary.path, "M": marker,
        ]
        // The store gets the write only when the test says; the CLI is killed meanwhile.
        proxy.inject(.hold)
        async let killed = Shell.capture(
            "/bin/sh",
            [
                "-c",
                """
                "$F" \(write) --timeout 30 & pid=$!
                i=0; while [ ! -e "$M" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done
                kill -9 $pid; wait $pid; echo "status=$?"
                """,
            ], environment: environment)
        // Kill it once the proxy holds its request: it was sent, so it was journaled first.
        let deadline = ContinuousClock.now + .seconds(20)
        while proxy.stats.applied["hold", default: 0] == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(FileManager.default.createFile(atPath: marker, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: marker) }
        #expect(try await killed.stdout.contains("status=137"), "killed by SIGKILL")

        let listed = try await CLITests.folio(["journal", "--json"], baseURL: proxy.baseURL, environment: environment)
        let entries =
            (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["entries"] as? [[String: Any]]
        #expect(entries?.count == 1 && entries?.first?["outcome"] as? String == "unknown", "\(listed.stdout)")
        #expect((entries?.first?["latest"] as? String)?.contains("Folio stopped while sending") == true)
        return (environment, try #require(entries?.first?["reference"] as? String))
    }

    @Test func aCreateKilledOnTheWireIsFoundByItsReferenceLater() async throws {
        try await CLITests.withServer { server in
            let proxy = try FaultProxy(upstreamPort: server.port)
            defer { proxy.stop() }
            let (environment, reference) = try await Self.killedOnTheWire(
                "invoices create --order 100000123 --item 24-MB01=1", proxy: proxy)
            // Nothing claimed while the request is still held; once it reaches the store, resolve finds it.
            #expect(try await StoreTruth.read(server).invoices(carrying: reference).isEmpty)
            proxy.forwardHeld()
            #expect(await proxy.drain(timeout: 10))
            let resolved = try await CLITests.folio(["journal", "resolve"], baseURL: proxy.baseURL, environment: environment)
            #expect(resolved.status == 0 && resolved.stdout.contains("done"), "\(resolved.stdout)\(resolved.stderr)")
            #expect(try await StoreTruth.read(server).invoices(carrying: reference).count == 1)
        }
    }

    /// The same for a refund, and the clerk tries again: at once, refused
    /// while the first is unknown (exit 7); once it has reached the store,
    /// told it went through (exit 5). One unit is refunded, once.
    @Test func aRefundKilledOnTheWireIsNeverRefundedTwice() async throws {
        try await CLITests.withServer { server in
            let proxy = try FaultProxy(upstreamPort: server.port)
            defer { proxy.stop() }
            let store = SandboxClient(baseURL: server.baseURL, token: CLITests.token)
            let before = try await store.orderItems("100000044", field: "qty_refunded")
            let refund = ["creditmemos", "create", "--invoice", "100000045", "--item", "24-WG085=1"]
            let (environment, reference) = try await Self.killedOnTheWire(refund.joined(separator: " "), proxy: proxy)
            let atOnce = try await CLITests.folio(refund, baseURL: proxy.baseURL, environment: environment)
            #expect(atOnce.status == 7 && atOnce.stderr.contains(reference), "\(atOnce.stdout)\(atOnce.stderr)")
            proxy.forwardHeld()
            #expect(await proxy.drain(timeout: 10))
            let later = try await CLITests.folio(refund, baseURL: proxy.baseURL, environment: environment)
            #expect(later.status == 5 && later.stderr.contains(reference), "\(later.stdout)\(later.stderr)")
            #expect(try await CLITests.count(server, "SELECT COUNT(*) FROM creditmemos") == 1)
            let after = try await store.orderItems("100000044", field: "qty_refunded")
            #expect(after["24-WG085"] == (before["24-WG085"] ?? -9) + 1, "one unit, once")
        }
    }
}
