import FolioServer
import Foundation
import GRDB
import Testing

@testable import FolioCore

/// `CapturePlan` and creating invoices safely, against the real server.
@Suite struct CreateTests {
    /// Order 123 of the seed: item 10 (4 left), item 11 PRODUCT-001 (3 left), item 12 linen by the metre (2.5 left).
    func fixture(_ client: APIClient) async throws -> Order { try await client.order(number: "100000123") }

    @Test func aPlanIsCheckedAgainstTheOrder() async throws {
        try await Store.with { store in
            try await store.client { client in
                let order = try await fixture(client)
                #expect(throws: FolioError.invalidInput("24-MB01: only 4 left to invoice")) {
                    try CapturePlan(order: order, quantities: [10: 5])
                }
                #expect(throws: FolioError.invalidInput("24-MB01: whole units only")) {
                    try CapturePlan(order: order, quantities: [10: Decimal(string: "1.5")!])
                }
                #expect(throws: FolioError.invalidInput("24-MB01: the quantity cannot be negative")) {
                    try CapturePlan(order: order, quantities: [10: -1])
                }
                #expect(throws: FolioError.invalidInput("choose at least one item to invoice")) {
                    try CapturePlan(order: order, quantities: [10: 0])
                }
                #expect(throws: FolioError.invalidInput("item 999 is not an item of order 100000123")) {
                    try CapturePlan(order: order, quantities: [999: 1])
                }
                #expect(throws: FolioError.invalidInput("LIN-NAT-M: at most 4 decimals")) {
                    try CapturePlan(order: order, quantities: [12: Decimal(string: "0.00001")!])
                }

                let decimal = try CapturePlan(order: order, quantities: [12: Decimal(string: "1.25")!])
                #expect(decimal.lines?.map(\.qty) == [Decimal(string: "1.25")!])
                let partial = try CapturePlan(order: order, quantities: [10: 1, 11: 2], capture: .noCapture, comment: "  ")
                #expect(partial.lines?.count == 2 && partial.comment == nil)
                let everything = try CapturePlan(order: order, quantities: [10: 4, 11: 3, 12: Decimal(string: "2.5")!], sendEmail: true)
                #expect(everything.lines == nil, "all remaining chosen: a full capture, items omitted")
                #expect(everything.summary.contains("  all remaining items (full capture)"))
                let reference = OperationReference.make()
                let body = try #require(try JSONSerialization.jsonObject(with: everything.body(reference: reference)) as? [String: Any])
                #expect(body["order_increment_id"] as? String == "100000123" && body["order_id"] == nil, "the order named one way only")
                #expect(body["capture"] as? String == "offline")
                let items = try #require(body["items"] as? [[String: Any]])
                #expect(
                    items.map { $0["order_item_id"] as? Int } == [10, 11, 12],
                    "a full capture names its items too: the store invoices what was reviewed")
                #expect(body["comment"] as? String == reference.marker, "no comment of the clerk's: the marker alone")
            }
        }
    }

    @Test func aPartialCaptureChangesExactlyWhatWasPlanned() async throws {
        try await Store.with { store in
            try await store.client { client in
                let order = try await fixture(client)
                let plan = try CapturePlan(order: order, quantities: [11: 1], capture: .noCapture, comment: "Invoiced via Folio")
                let created = try await client.createInvoice(plan, journal: store.journal)
                #expect(!created.reconciled && !created.emailNotSent)
                #expect(created.invoice.state == .open)
                let after = try await fixture(client)
                #expect(!order.items.isEmpty && after.items.map(\.id) == order.items.map(\.id))
                for (before, now) in zip(order.items, after.items) {
                    #expect(now.qtyInvoiced - before.qtyInvoiced == (now.id == 11 ? 1 : 0))
                }
            }
        }
    }

    @Test func emailAskedButNotSentIsSaidSoTheResendCanBeOffered() async throws {
        try await Store.with(faults: Faults(smtpFailing: true)) { store in
            try await store.client { client in
                let plan = try CapturePlan(order: try await fixture(client), quantities: [10: 1], sendEmail: true)
                let created = try await client.createInvoice(plan, journal: store.journal)
                #expect(created.emailNotSent)
            }
        }
    }

    @Test func lostAnswersAreFoundByTheirReferenceAndNothingIsCreatedTwice() async throws {
        try await Store.with(orders: 300, faults: Faults(dropAfterCreate: true)) { store in
            // 24 creates, each on an order with something left to invoice; every answer is dropped.
            let orders: [String] = try await store.server.database.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT o.increment_id FROM orders o WHERE o.can_invoice = 1 AND o.entity_id <> 123
                        AND EXISTS (SELECT 1 FROM order_items WHERE order_id = o.entity_id AND is_qty_decimal = 0
                                    AND qty_ordered - qty_invoiced - qty_canceled >= 10000)
                        ORDER BY o.entity_id LIMIT 24
                        """)
            }
            #expect(orders.count == 24)
            let before = try await store.count("SELECT COUNT(*) FROM invoices")
            try await store.client { client in
                for number in orders {
                    let order = try await client.order(number: number)
                    let item = try #require(order.items.first { !$0.isQtyDecimal && $0.qtyToInvoice >= 1 })
                    let created = try await client.createInvoice(
                        try CapturePlan(order: order, quantities: [item.id: 1]),
                        journal: store.journal)
                    #expect(created.reconciled, "\(number): the answer was dropped, the invoice found by its reference")
                    #expect(created.invoice.orderIncrementId == number)
                    let marked = try await store.count(
                        """
                        SELECT COUNT(*) FROM invoice_comments c JOIN invoices i ON i.entity_id = c.invoice_id
                        WHERE i.increment_id = '\(created.invoice.incrementId)' AND c.comment LIKE '%\(created.reference.marker)%'
                        """)
                    #expect(marked == 1, "the invoice found is the one that carries the reference")
                }
            }
            #expect(try await store.count("SELECT COUNT(*) FROM invoices") == before + 24, "exactly one invoice per intended create")
            let entries = try store.journal.entries()
            #expect(entries.count == 24 && entries.allSatisfy { $0.status == .done && $0.invoice != nil })
        }
    }

    @Test func aLostRequestIsUnknownNeverSafeToRetryUntilSettled() async throws {
        try await Store.with(faults: Faults(dropBeforeCreate: true)) { store in
            try await store.client { client in
                let plan = try CapturePlan(order: try await fixture(client), quantities: [10: 1])
                let before = try await store.count("SELECT COUNT(*) FROM invoices")
                let lost = await failure { try await client.createInvoice(plan, journal: store.journal) }
                guard case .outcomeUnknown(let what, let reference, _)? = lost else {
                    Issue.record("got \(String(describing: lost))")
                    return
                }
                #expect(what == "an invoice for order 100000123")
                #expect(lost?.exitCode == 7)
                #expect(lost?.message.contains("safe to retry") == false)
                #expect(try await store.count("SELECT COUNT(*) FROM invoices") == before)
                let open = try store.journal.openEntries()
                #expect(open.map(\.reference.value) == [reference], "the unknown write stays open in the journal")

                // The fault clears; the clerk tries the same create again: refused while the first is unknown.
                try await store.faults(#"{"drop_before_create": false}"#)
                let again = await failure { try await client.createInvoice(plan, journal: store.journal) }
                #expect(again == .pendingWrite(what: "order 100000123", reference: reference))
                #expect(again?.exitCode == 7)
                #expect(try await store.count("SELECT COUNT(*) FROM invoices") == before, "nothing sent while pending")
                // Resolving finds nothing, so it stays unknown: no timer turns it into "not created".
                let looked = try await client.resolveOpenWrites(store.journal)
                #expect(looked.count == 1 && looked[0].isOpen)

                // The clerk checked the order and settles it; then the create goes through once.
                try store.journal.settle(try #require(OperationReference(reference)), note: "order shows no such invoice")
                let created = try await client.createInvoice(plan, journal: store.journal)
                #expect(!created.reconciled)
                #expect(try await store.count("SELECT COUNT(*) FROM invoices") == before + 1)
                #expect(try store.journal.openEntries().isEmpty)
            }
        }
    }

    @Test func evenIfPendingSendsAnywayWithItsOwnReference() async throws {
        try await Store.with(faults: Faults(dropBeforeCreate: true)) { store in
            try await store.client { client in
                let plan = try CapturePlan(order: try await fixture(client), quantities: [10: 1])
                _ = await failure { try await client.createInvoice(plan, journal: store.journal) }
                try await store.faults(#"{"drop_before_create": false}"#)
                let forced = try await client.createInvoice(plan, journal: store.journal, evenIfPending: true)
                let entries = try store.journal.entries()
                #expect(entries.count == 2 && entries[0].isOpen && entries[1].status == .done)
                #expect(entries[1].reference == forced.reference && entries[0].reference != forced.reference)
            }
        }
    }

    @Test func anotherClerksInvoiceIsNeverTakenAsOurs() async throws {
        try await Store.with(faults: Faults(dropBeforeCreate: true)) { store in
            let otherJournal = WriteJournal(
                profile: "other", directory: (store.journal.path as NSString).deletingLastPathComponent + "/other")
            try await store.client { client in
                let order = try await fixture(client)
                let plan = try CapturePlan(order: order, quantities: [10: 1])
                let lost = await failure { try await client.createInvoice(plan, journal: store.journal) }
                guard case .outcomeUnknown(_, let reference, _)? = lost else {
                    Issue.record("got \(String(describing: lost))")
                    return
                }
                try await store.faults(#"{"drop_before_create": false}"#)
                // A second clerk invoices exactly the same quantities on the same order.
                let theirs = try await client.createInvoice(plan, journal: otherJournal)
                let looked = try await client.resolveOpenWrites(store.journal)
                #expect(looked.count == 1 && looked[0].isOpen, "one new invoice with our lines is not proof: it lacks our reference")
                #expect(looked[0].invoice == nil && looked[0].reference.value == reference)
                #expect(theirs.invoice.orderIncrementId == "100000123")
            }
        }
    }

    @Test func aReferenceOnTwoInvoicesOrOnOtherLinesIsNotTakenAsDone() async throws {
        try await Store.with(faults: Faults(dropBeforeCreate: true)) { store in
            try await store.client { client in
                let order = try await fixture(client)
                let lost = await failure {
                    try await client.createInvoice(
                        try CapturePlan(order: order, quantities: [10: 1]),
                        journal: store.journal)
                }
                guard case .outcomeUnknown(_, let text, _)? = lost, let reference = OperationReference(text) else {
                    Issue.record("got \(String(describing: lost))")
                    return
                }
                try await store.faults(#"{"drop_before_create": false}"#)
                // Another tool's invoice carries our marker first in its comment, with other lines (2 instead of 1).
                try await store.post(
                    "/api2/invoice/create",
                    """
                    {"order_increment_id":"100000123","items":[{"order_item_id":10,"qty":2}],"comment":"\(reference.marker) by hand"}
                    """)
                var looked = try await client.resolveOpenWrites(store.journal)
                #expect(looked.first?.isOpen == true)
                #expect(looked.first?.explanation.contains("its lines differ") == true)
                // And a second one with the marker and our lines: two candidates.
                try await store.post(
                    "/api2/invoice/create",
                    """
                    {"order_increment_id":"100000123","items":[{"order_item_id":10,"qty":1}],"comment":"\(reference.marker)"}
                    """)
                looked = try await client.resolveOpenWrites(store.journal)
                #expect(looked.first?.isOpen == true)
                #expect(looked.first?.explanation.contains("2 invoices of order 100000123 carry ref") == true)
            }
        }
    }

    @Test func aLateCommitIsFoundOnceTheStoreAnswers() async throws {
        try await Store.with { store in
            let order = try await store.client { try await fixture($0) }
            let before = try await store.count("SELECT COUNT(*) FROM invoices")
            // The store now takes 1.5 s for everything; the client gives up after 0.3 s.
            try await store.faults(#"{"latency_ms": 1500}"#)
            let lost = try await store.client(tune: { $0.requestTimeout = .milliseconds(300) }) { client in
                await failure { try await client.createInvoice(try CapturePlan(order: order, quantities: [11: 1]), journal: store.journal) }
            }
            guard case .outcomeUnknown(_, _, let reason)? = lost else {
                Issue.record("got \(String(describing: lost))")
                return
            }
            #expect(reason.contains("did not answer in time"))
            let open = try store.journal.openEntries()
            #expect(open.count == 1 && open[0].explanation.contains("could not look"), "the look-up timed out too: still unknown")
            // The store commits later; once it answers again, the reference is found.
            try await store.faults(#"{"latency_ms": 0}"#)
            let deadline = ContinuousClock.now + .seconds(10)
            while try await store.count("SELECT COUNT(*) FROM invoices") == before, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            let looked = try await store.client { try await $0.resolveOpenWrites(store.journal) }
            #expect(looked.count == 1 && looked[0].status == .done)
            #expect(try await store.count("SELECT COUNT(*) FROM invoices") == before + 1)
            #expect(
                looked[0].invoice?.number
                    == (try await store.server.database.read { db in
                        try String.fetchOne(db, sql: "SELECT increment_id FROM invoices ORDER BY entity_id DESC LIMIT 1")
                    }))
        }
    }
}
