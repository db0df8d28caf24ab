import FolioServer
import FolioTestSupport
import Foundation
import GRDB
import Testing

/// The CLI under the same faults as the core's chaos test: `folio invoices
/// create` through a fault proxy while a second clerk invoices the same orders,
/// each followed by the same create again or `folio journal resolve`. Its exit
/// codes must say what the store did: 0 done, 5 or 6 not done, 7 unknown or
/// held back — judged against the store's own tables and the journal file,
/// which is read here as plain JSON lines, not through Folio's code.
@Suite(.serialized) struct CLIChaosTests {
    static var creates: Int { Int(ProcessInfo.processInfo.environment["FOLIO_CHAOS_CLI_CREATES"] ?? "") ?? 48 }

    /// The journal file, folded by hand: reference → last event and the invoice it names.
    static func journal(_ state: String) -> [String: (event: String, invoice: Int64?)] {
        guard let text = try? String(contentsOfFile: state + "/folio/default.journal", encoding: .utf8) else { return [:] }
        var entries: [String: (event: String, invoice: Int64?)] = [:]
        for line in text.split(separator: "\n") {
            guard let record = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let ref = record["ref"] as? String, let event = record["event"] as? String
            else { continue }
            let invoice = ((record["invoice"] as? [String: Any])?["id"] as? NSNumber)?.int64Value
            let previous = entries[ref]
            // "unknown" never overrides a final word; a final word replaces "intent" or "unknown".
            if previous == nil || ["intent", "unknown"].contains(previous!.event) {
                entries[ref] = (event, invoice ?? previous?.invoice)
            }
        }
        return entries
    }

    @Test func exitCodesTellTheTruthUnderEveryFault() async throws {
        try await CLITests.withServer(orders: max(300, Self.creates * 2)) { server in
            let orders: [(number: String, sku: String)] = try await server.database.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT o.increment_id AS number, MIN(i.sku) AS sku FROM orders o JOIN order_items i ON i.order_id = o.entity_id
                        WHERE o.can_invoice = 1 AND i.is_qty_decimal = 0 AND i.qty_ordered - i.qty_invoiced - i.qty_canceled >= 50000
                        -- a SKU the order sells on one line only (one on two lines must be named by id)
                        AND NOT EXISTS (SELECT 1 FROM order_items j WHERE j.order_id = o.entity_id AND j.sku = i.sku AND j.item_id != i.item_id)
                        GROUP BY o.entity_id ORDER BY o.entity_id LIMIT \(max(24, Self.creates / 2))
                        """
                ).map { ($0["number"], $0["sku"]) }
            }
            #expect(orders.count >= 8)
            let proxy = try FaultProxy(upstreamPort: server.port)
            defer { proxy.stop() }
            let state = CLITests.stateHome
            let environment = [
                "FOLIO_BASE_URL": proxy.baseURL, "FOLIO_TOKEN": CLITests.token, "XDG_CONFIG_HOME": "/nonexistent",
                "XDG_STATE_HOME": state, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            ]
            let faults = FaultProxy.Fault.chaos
            // The second clerk, straight to the store with a journal of their own, on the same order at the same time.
            let otherState = state + "-other"
            func otherClerk(_ number: String, _ sku: String) async throws -> Shell.Run {
                try await CLITests.folio(
                    ["invoices", "create", "--order", number, "--item", "\(sku)=1", "--comment", "other clerk"],
                    baseURL: server.baseURL,
                    environment: [
                        "FOLIO_BASE_URL": server.baseURL, "FOLIO_TOKEN": CLITests.token, "XDG_CONFIG_HOME": "/nonexistent",
                        "XDG_STATE_HOME": otherState, "PATH": "/usr/bin:/bin",
                    ])
            }
            let tally = ChaosTally()
            var intents: [[String]] = []  // per intended create, the references its attempts journaled
            var unknowns: [(label: String, reference: String)] = []
            for i in 0..<Self.creates {
                let fault = faults[i % faults.count]
                let (number, sku) = orders[i % orders.count]
                var references: [String] = []
                for step in 0..<2 {
                    let before = Set(Self.journal(state).keys)
                    if step == 0 { proxy.inject(fault, writesOnly: true) }
                    async let other: Shell.Run? = step == 0 && i % 2 == 0 ? try await otherClerk(number, sku) : nil
                    let run = try await CLITests.folio(
                        ["invoices", "create", "--order", number, "--item", "\(sku)=1", "--timeout", "1"],
                        baseURL: proxy.baseURL, environment: environment)
                    _ = try await other
                    proxy.clear()
                    let after = Self.journal(state)
                    let new = after.keys.filter { !before.contains($0) }
                    #expect(new.count <= 1)
                    references += new
                    let entry = new.first.flatMap { after[$0] }
                    let outcome: ChaosTally.Outcome
                    switch run.status {
                    case 0:
                        #expect(entry?.event == "done", "exit 0 and the journal says \(entry?.event ?? "nothing")")
                        outcome = run.stdout.contains("by its reference") ? .found : .done
                    case 2 where run.stderr.contains("nothing left to invoice") || run.stderr.contains("left to invoice"):
                        // Checked against the order before sending: the other clerk took the rest.
                        #expect(entry == nil)
                        outcome = .heldBack
                    case 5, 6:
                        #expect(entry == nil || entry?.event == "refused", "exit \(run.status) and the journal says \(entry?.event ?? "")")
                        outcome = entry == nil ? .heldBack : .refused
                    case 7:
                        #expect(entry == nil || entry?.event == "intent" || entry?.event == "unknown", "exit 7: \(run.stderr)")
                        #expect(run.stderr.contains("outcome unknown") || run.stderr.contains("write of unknown outcome"))
                        outcome = entry == nil ? .heldBack : .unknownAbsent
                    default:
                        Issue.record("exit \(run.status): \(run.stderr)")
                        outcome = .refused
                    }
                    let label = step == 0 ? fault.name : "(same create again)"
                    if outcome == .unknownAbsent, let reference = new.first {
                        unknowns.append((label, reference))  // judged once the fault has cleared
                    } else {
                        tally.add(label, outcome)
                    }
                    #expect(!run.stdout.contains(CLITests.token) && !run.stderr.contains(CLITests.token))
                    if run.status == 0 { break }
                    if i % 2 == 1 {
                        // The other next step: resolve instead of trying again.
                        let resolve = try await CLITests.folio(["journal", "resolve"], baseURL: proxy.baseURL, environment: environment)
                        #expect([0, 7].contains(resolve.status), "\(resolve.stderr)")
                        break
                    }
                }
                intents.append(references)
            }
            #expect(await proxy.drain(timeout: 10))
            let resolve = try await CLITests.folio(["journal", "resolve", "--json"], baseURL: proxy.baseURL, environment: environment)
            #expect([0, 7].contains(resolve.status))

            let truth = try await StoreTruth.read(server)
            let journal = Self.journal(state)
            for (label, reference) in unknowns {
                tally.add(label, journal[reference]?.event == "done" ? .unknownThenFound : .unknownAbsent)
            }
            let theirs = Set(Self.journal(otherState).values.compactMap(\.invoice))
            var duplicates = 0
            for references in intents {
                var made: Set<Int64> = []
                for reference in references {
                    let carrying = truth.invoices(carrying: reference)
                    made.formUnion(carrying)
                    switch journal[reference]?.event {
                    case "done":
                        #expect(carrying.count == 1 && journal[reference]?.invoice.map(carrying.contains) == true, "\(reference)")
                        #expect(journal[reference]?.invoice.map(theirs.contains) != true, "another clerk's invoice taken as ours")
                    case "refused":
                        #expect(carrying.isEmpty, "\(reference) refused, yet the store has \(carrying)")
                    default:
                        #expect(carrying.isEmpty, "\(reference) still unknown although the store has \(carrying)")
                    }
                }
                duplicates += max(0, made.count - 1)
            }
            #expect(duplicates == 0)
            #expect(tally.count("redirect", .done) + tally.count("redirect", .found) == 0)
            for fault in ["dropAfterForward", "freeze", "gatewayError"] {
                #expect(tally.count(fault, .refused) == 0 && tally.count(fault, .done) == 0, "\(fault)")
            }
            print(tally.table(title: "CLI: \(Self.creates) intended creates through a fault proxy, a second clerk direct"))
            tally.report(
                title:
                    "CLI: \(Self.creates) intended creates through a fault proxy, a second clerk direct (\(theirs.count) invoices), duplicates: \(duplicates)"
            )
        }
    }
}
