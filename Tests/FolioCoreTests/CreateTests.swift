import Foundation
import GRDB
import Testing
@testable import FolioCore
import FolioServer

/// `CapturePlan` and creating invoices safely, against the real server.
@Suite struct CreateTests {
    /// Order 123 of the seed: item 10 (4 left), item 11 PRODUCT-001 (3 left), item 12 linen by the metre (2.5 left).
    func fixture(_ client: APIClient) async throws -> Order { try await client.order(number: "100000123") }

    @Test func aPlanIsCheckedAgainstTheOrder() async throws {
        try await Store.with { store in
            try await store.client { client in
                let order = try await fixture(client)
                #expect(throws: FolioError.invalidInput("24-MB01: only 4 left to invoice")) { try CapturePlan(order: order, quantities: [10: 5]) }
                #expect(throws: FolioError.invalidInput("24-MB01: whole units only")) { try CapturePlan(order: order, quantities: [10: Decimal(string: "1.5")!]) }
                #expect(throws: FolioError.invalidInput("24-MB01: the quantity cannot be negative")) { try CapturePlan(order: order, quantities: [10: -1]) }
                #expect(throws: FolioError.invalidInput("choose at least one item to invoice")) { try CapturePlan(order: order, quantities: [10: 0]) }
                #expect(throws: FolioError.invalidInput("item 999 is not an item of order 100000123")) { try CapturePlan(order: order, quantities: [999: 1]) }
                #expect(throws: FolioError.invalidInput("LIN-NAT-M: at most 4 decimals")) { try CapturePlan(order: order, quantities: [12: Decimal(string: "0.00001")!]) }

                let decimal = try CapturePlan(order: order, quantities: [12: Decimal(string: "1.25")!])
                #expect(decimal.lines?.map(\.qty) == [Decimal(string: "1.25")!])
                let partial = try CapturePlan(order: order, quantities: [10: 1, 11: 2], capture: .noCapture, comment: "  ")
                #expect(partial.lines?.count == 2 && partial.comment == nil)
                let everything = try CapturePlan(order: order, quantities: [10: 4, 11: 3, 12: Decimal(string: "2.5")!], sendEmail: true)
                #expect(everything.lines == nil, "all remaining chosen: a full capture, items omitted")
                #expect(everything.summary.contains("  all remaining items (full capture)"))
                let body = try #require(try JSONSerialization.jsonObject(with: everything.body) as? [String: Any])
                #expect(body["order_increment_id"] as? String == "100000123" && body["order_id"] == nil, "the order named one way only")
                #expect(body["items"] == nil && body["capture"] as? String == "offline")
            }
        }
    }

    @Test func aPartialCaptureChangesExactlyWhatWasPlanned() async throws {
        try await Store.with { store in
            try await store.client { client in
                let order = try await fixture(client)
                let plan = try CapturePlan(order: order, quantities: [11: 1], capture: .noCapture, comment: "Invoiced via Folio")
                let created = try await client.createInvoice(plan)
                #expect(!created.reconciled && !created.emailNotSent)
                #expect(created.invoice.state == .open)
                let after = try await fixture(client)
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
                let created = try await client.createInvoice(plan)
                #expect(created.emailNotSent)
            }
        }
    }

    @Test func lostAnswersAreReconciledAndNothingIsCreatedTwice() async throws {
        try await Store.with(orders: 300, faults: Faults(dropAfterCreate: true)) { store in
            // 24 creates, each on an order with something left to invoice; every answer is dropped.
            let orders: [String] = try await store.server.database.read { db in
                try String.fetchAll(db, sql: """
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
                    let created = try await client.createInvoice(try CapturePlan(order: order, quantities: [item.id: 1]))
                    #expect(created.reconciled, "\(number): the answer was dropped, the invoice found")
                    #expect(created.invoice.orderIncrementId == number)
                }
            }
            #expect(try await store.count("SELECT COUNT(*) FROM invoices") == before + 24, "exactly one invoice per intended create")
        }
    }

    @Test func aRequestLostBeforeTheServerIsNotCreatedAndSafeToRetry() async throws {
        try await Store.with(faults: Faults(dropBeforeCreate: true)) { store in
            try await store.client(tune: { $0.reconcileGrace = .milliseconds(500) }) { client in
                let plan = try CapturePlan(order: try await fixture(client), quantities: [10: 1])
                let before = try await store.count("SELECT COUNT(*) FROM invoices")
                let lost = await failure { try await client.createInvoice(plan) }
                guard case .notCreated(let order, _)? = lost else { Issue.record("got \(String(describing: lost))"); return }
                #expect(order == "100000123")
                #expect(lost?.message.contains("not created — safe to retry") == true)
                #expect(try await store.count("SELECT COUNT(*) FROM invoices") == before)
                try await store.faults(#"{"drop_before_create": false}"#)
                let retried = try await client.createInvoice(plan)
                #expect(!retried.reconciled)
                #expect(try await store.count("SELECT COUNT(*) FROM invoices") == before + 1)
            }
        }
    }
}
