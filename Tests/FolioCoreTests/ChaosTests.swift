import FolioServer
import FolioTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

@testable import FolioCore

/// Hundreds of creates through a fault proxy, with a second clerk invoicing
/// the same orders directly at the same time, each followed by what a clerk
/// does next. Every claim Folio made is then judged against the store's own
/// tables. `FOLIO_CHAOS_CREATES` sets the number (CI: 320); `scripts/chaos.sh`
/// runs the long version and records the figures in RELIABILITY.md.
@Suite(.serialized) struct ChaosTests {
    static let faults = FaultProxy.Fault.chaos
    static var creates: Int { Int(ProcessInfo.processInfo.environment["FOLIO_CHAOS_CREATES"] ?? "") ?? 320 }

    /// One intended create and every attempt made for it (the references sent).
    struct Intent: Sendable {
        let order: String
        let itemId: Int64
        let fault: String
        var attempts: [(reference: OperationReference, outcome: ChaosTally.Outcome?, step: String)] = []
    }

    /// What the clerks' tasks share.
    final class Ledger: Sendable {
        let intents = Mutex<[Intent]>([])
        let stopped = Mutex(false)
    }

    @Test func noDuplicateAndNoFalseClaimUnderEveryFault() async throws {
        // Enough orders that each sees a few creates: an order with a write left
        // unknown holds back every later create on it, as it should.
        try await Store.with(orders: max(400, Self.creates)) { store in
            let orders: [String] = try await store.server.database.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT o.increment_id FROM orders o WHERE o.can_invoice = 1 AND EXISTS (
                            SELECT 1 FROM order_items WHERE order_id = o.entity_id AND is_qty_decimal = 0
                            AND qty_ordered - qty_invoiced - qty_canceled >= 20000)
                        ORDER BY o.entity_id LIMIT \(max(60, Self.creates / 4))
                        """)
            }
            #expect(orders.count >= 40)
            let folder = (store.journal.path as NSString).deletingLastPathComponent
            let workers = 6
            let total = Self.creates
            let ledger = Ledger()

            // The second clerk: one unit at a time on the same orders, straight to the store.
            let otherJournal = WriteJournal(profile: "test", directory: folder + "/other-clerk")
            let other = Task {
                try await store.client { client in
                    var made: Set<Int64> = []
                    var index = 0
                    while !ledger.stopped.withLock({ $0 }) {
                        index += 1
                        guard let order = try? await client.order(number: orders[(index * 7) % orders.count]),
                            let item = order.items.first(where: { !$0.isQtyDecimal && $0.qtyToInvoice >= 1 }),
                            let plan = try? CapturePlan(order: order, quantities: [item.id: 1], comment: "other clerk")
                        else { continue }
                        if let created = try? await client.createInvoice(plan, journal: otherJournal) { made.insert(created.invoice.id) }
                    }
                    return made
                }
            }

            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<workers {
                    group.addTask {
                        let proxy = try FaultProxy(upstreamPort: store.server.port)
                        defer { proxy.stop() }
                        let journal = WriteJournal(profile: "test", directory: folder + "/clerk-\(worker)")
                        try await store.client(via: proxy.baseURL, tune: { $0.requestTimeout = .seconds(1) }) { client in
                            for i in stride(from: worker, to: total, by: workers) {
                                let fault = Self.faults[i % Self.faults.count]
                                guard let order = try? await client.order(number: orders[i % orders.count]),
                                    let item = order.items.first(where: { !$0.isQtyDecimal && $0.qtyToInvoice >= 1 })
                                else { continue }
                                let plan = try CapturePlan(order: order, quantities: [item.id: 1], comment: "chaos \(i)")
                                var intent = Intent(order: order.incrementId, itemId: item.id, fault: fault.name)
                                proxy.inject(fault, writesOnly: true)
                                let first = await Self.attempt(client, plan, journal)
                                proxy.clear()
                                intent.attempts.append((first.reference, first.outcome, "first"))
                                // What a clerk does next when it did not plainly work: the same create again, or resolve.
                                if first.outcome != .done && first.outcome != .found {
                                    if i % 2 == 0 {
                                        let again = await Self.attempt(client, plan, journal)
                                        intent.attempts.append((again.reference, again.outcome, "again"))
                                    } else {
                                        _ = try? await client.resolveOpenWrites(journal)
                                    }
                                }
                                ledger.intents.withLock { $0.append(intent) }
                            }
                            // The fault clears: every held request reaches the store; then the clerk resolves.
                            #expect(await proxy.drain(timeout: 10))
                            _ = try await client.resolveOpenWrites(journal)
                        }
                    }
                }
                try await group.waitForAll()
            }
            ledger.stopped.withLock { $0 = true }
            let theirs = try await other.value

            // Judge every claim against the store's own tables.
            let truth = try await StoreTruth.read(store.server)
            var entries: [OperationReference: JournalEntry] = [:]
            for worker in 0..<workers {
                for entry in try WriteJournal(profile: "test", directory: folder + "/clerk-\(worker)").entries() {
                    entries[entry.reference] = entry
                }
            }
            var duplicates = 0
            var attempts = 0
            var stillOpen: [JournalEntry] = []
            for intent in ledger.intents.withLock({ $0 }) {
                var made: Set<Int64> = []
                for attempt in intent.attempts {
                    attempts += 1
                    let carrying = truth.invoices(carrying: attempt.reference.value)
                    made.formUnion(carrying)
                    guard let entry = entries[attempt.reference] else {
                        // Never journaled: held back before sending, so it must not exist.
                        #expect(attempt.outcome == .heldBack && carrying.isEmpty, "\(attempt.reference): not journaled yet on the store")
                        continue
                    }
                    switch entry.status {
                    case .done:
                        #expect(
                            carrying.count == 1 && entry.invoice.map { carrying.contains($0.id) } == true,
                            "\(entry.reference) claimed \(entry.explanation); the store has \(carrying)")
                        if let id = entry.invoice?.id {
                            #expect(truth.lines[id] == [intent.itemId: 10_000], "invoice \(id): the lines asked for")
                            #expect(!theirs.contains(id), "another clerk's invoice taken as ours")
                        }
                    case .refused:
                        #expect(carrying.isEmpty, "\(entry.reference) refused, yet the store has \(carrying)")
                    case .open:
                        #expect(carrying.isEmpty, "\(entry.reference) still unknown although the store has \(carrying)")
                        stillOpen.append(entry)
                    case .settled:
                        Issue.record("nobody settled \(entry.reference) yet")
                    }
                }
                duplicates += max(0, made.count - 1)
                #expect(made.count <= 1, "order \(intent.order) (\(intent.fault)): \(made.count) invoices for one intended create")
            }
            // Unknowns: re-count as found later or truly absent, from the journal's final word.
            let final = ChaosTally()
            for intent in ledger.intents.withLock({ $0 }) {
                for attempt in intent.attempts {
                    guard var outcome = attempt.outcome else { continue }
                    if outcome == .unknownAbsent, entries[attempt.reference]?.status == .done { outcome = .unknownThenFound }
                    final.add(attempt.step == "first" ? intent.fault : "(same create again)", outcome)
                }
            }
            #expect(duplicates == 0)
            #expect(attempts >= 200 || total < 200, "\(attempts) creates")
            // Each fault was judged as it must be.
            for fault in ["dropAfterForward", "freeze", "holdThenForward", "gatewayError", "refuseConnection"] {
                #expect(final.count(fault, .done) == 0, "\(fault): an answer cannot have arrived")
            }
            for fault in ["dropAfterForward", "freeze", "holdThenForward", "gatewayError"] {
                #expect(final.count(fault, .refused) == 0, "\(fault): the store took it, so it is never 'refused'")
            }
            #expect(final.count("redirect", .done) + final.count("redirect", .found) == 0, "a 307 is never followed")
            #expect(final.count("holdThenForward", .unknownThenFound) > 0, "a late commit is found once the fault clears")
            // A plain pass is done (on a machine loaded enough to miss the timeout, it may
            // also be unknown — still truthful, judged above like every other).
            #expect(final.count("pass", .done) > 0)
            // What stays open is truly absent; the clerk, having looked, settles it.
            for entry in stillOpen {
                let journal = (0..<workers).map { WriteJournal(profile: "test", directory: folder + "/clerk-\($0)") }
                    .first { (try? $0.entries().contains { $0.reference == entry.reference }) == true }
                try journal?.settle(entry.reference, note: "order checked: no invoice carries the reference")
            }
            print(
                final.table(
                    title:
                        "Core client: \(attempts) creates, \(workers) clerks through fault proxies, a second clerk direct (\(theirs.count) invoices)"
                ))
            final.report(
                title:
                    "Core client: \(attempts) creates, \(workers) clerks through fault proxies, a second clerk direct (\(theirs.count) invoices), duplicates: \(duplicates)"
            )
        }
    }

    /// One create, classified as the clerk would be told.
    static func attempt(
        _ client: APIClient, _ plan: CapturePlan, _ journal: WriteJournal
    ) async
        -> (reference: OperationReference, outcome: ChaosTally.Outcome?)
    {
        let reference = OperationReference.make()
        do {
            let created = try await client.createInvoice(plan, journal: journal, reference: reference)
            return (reference, created.reconciled ? .found : .done)
        } catch let error where error.isEarlierWrite {
            return (reference, .heldBack)
        } catch .outcomeUnknown {
            return (reference, .unknownAbsent)
        } catch {
            return (reference, .refused)
        }
    }
}
