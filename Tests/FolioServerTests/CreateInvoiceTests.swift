import Foundation
import GRDB
import Testing

@testable import FolioServer

/// `POST /api2/invoice/create`, over real HTTP.
@Suite struct CreateInvoiceTests {
    /// An order of the seed that is still open for invoicing with `method`, and has ≥ 2 items.
    func openOrder(_ s: LiveServer, method: String? = nil, minItems: Int = 1) async throws -> OrderRow {
        try await s.server.database.read { db in
            let orders = try OrderRow.filter(Column("can_invoice") == true && Column("status") == "pending")
                .order(Column("entity_id")).fetchAll(db)
            return try #require(
                try orders.first { order in
                    try (method == nil || order.paymentMethod == method)
                        && OrderItemRow.filter(Column("order_id") == order.entityId).fetchCount(db) >= minItems
                        && order.entityId != SeedGenerator.fixtureOrderId
                })
        }
    }

    @Test func seedDocumentExamplesPartialThenFull() async throws {
        try await LiveServer.with { s in
            let partial = try await s.post(
                "/api2/invoice/create",
                json: """
                    {"order_id": 123, "items": [{"order_item_id": 10, "qty": 1}, {"sku": "PRODUCT-001", "qty": 2}],
                     "capture": "no_capture"}
                    """)
            #expect(partial.status == 201)
            let invoice = try #require(try partial.json["invoice"])
            #expect(invoice["state"]?.int == 1)
            #expect(invoice["items"]?.array?.map { $0["qty"]?.int } == [1, 2])
            #expect(invoice["shipping_amount"]?.decimal == Decimal(string: "7.99"), "shipping goes on the first invoice")

            let full = try await s.post(
                "/api2/invoice/create",
                json: """
                    {"order_increment_id": "100000123", "capture": "offline", "send_email": true,
                     "comment": "Invoice created by integration."}
                    """)
            #expect(full.status == 201)
            let second = try #require(try full.json["invoice"])
            #expect(second["state"]?.int == 2)
            #expect(second["email_sent"]?.int == 1)
            #expect(second["shipping_amount"]?.decimal == 0)
            #expect(second["comments"]?.array?.count == 1)
            #expect(second["comments"]?.array?.first?["is_customer_notified"]?.int == 1, "the email carrying the comment was sent")
            #expect(second["items"]?.array?.map { $0["qty"]?.numberText } == ["3", "1", "2.5"])

            // The two invoices add up to the order exactly, in both currencies.
            let order = try await s.get("/api2/order?id=123").json["order"]
            let sum = [invoice, second].compactMap { $0["grand_total"]?.decimal }.reduce(0, +)
            #expect(sum == order?["grand_total"]?.decimal)
            #expect(order?["can_invoice"]?.bool == false)
            let again = try await s.post("/api2/invoice/create", json: #"{"order_id": 123}"#)
            #expect(again.status == 400)
            #expect(again.error == "Cannot create invoice")
        }
    }

    @Test(arguments: [
        (#"{"order_id": 123, "order_increment_id": "100000123"}"#, "Use either order_id or order_increment_id"),
        (#"{"capture": "offline"}"#, "order_id or order_increment_id is required"),
        (#"{"order_id": 123, "capture": "later"}"#, "Invalid capture mode"),
        (#"{"order_id": 123, "items": [{"qty": 1}]}"#, "Invalid item"),
        (#"{"order_id": 123, "items": [{"sku": "PRODUCT-001", "qty": 0}]}"#, "Invalid item"),
        (#"{"order_id": 123, "items": [{"sku": "PRODUCT-001", "qty": -1}]}"#, "Invalid item"),
        (#"{"order_id": 123, "items": [{"sku": "PRODUCT-001"}]}"#, "Invalid item"),
        (#"{"order_id": 123, "items": [{"order_item_id": 10, "sku": "24-MB01", "qty": 1}]}"#, "Invalid item"),
        (#"{"order_id": 123, "items": [{"order_item_id": 99999, "qty": 1}]}"#, "Invalid item"),
        (#"{"order_id": 123, "items": [{"sku": "NO-SUCH-SKU", "qty": 1}]}"#, "Invalid item"),
        (#"{"order_id": 123, "items": [{"order_item_id": 10, "qty": 1.5}]}"#, "Invalid item"),
        (#"{"order_id": 123, "items": [{"order_item_id": 10, "qty": 5}]}"#, "Invalid item"),
        (#"{"order_id": 123, "items": [{"order_item_id": 12, "qty": 2.75}]}"#, "Invalid item"),
        (#"{"order_id": 123, "items": [{"order_item_id": 10, "qty": 1}, {"sku": "24-MB01", "qty": 1}]}"#, "Invalid item"),
        (#"{"order_id": 123, "items": []}"#, "Invalid item"),
        (#"{"order_id": 123, "items": {"sku": "PRODUCT-001"}}"#, "Invalid item"),
        (#"{"order_id": "abc"}"#, "Invalid parameter: order_id"),
        (#"{"order_id": 123"#, "Invalid JSON"),
    ])
    func refusedWithFourHundredAndNothingWritten(body: String, error: String) async throws {
        try await LiveServer.with(orders: 130) { s in
            let before = try await s.footprint()
            let reply = try await s.post("/api2/invoice/create", json: body)
            #expect(reply.status == 400, "\(body)")
            #expect(reply.error == error, "\(body) → \(reply.body)")
            #expect(try await s.footprint() == before, "a refused create wrote something")
        }
    }

    @Test func overTheRemainderNamesTheItemAndQuantities() async throws {
        try await LiveServer.with(orders: 130) { s in
            let reply = try await s.post("/api2/invoice/create", json: #"{"order_id": 123, "items": [{"order_item_id": 10, "qty": 5}]}"#)
            #expect(try reply.json["detail"]?.string == "order_item_id 10: qty 5 requested, only 4 left to invoice")
        }
    }

    @Test func unknownOrderIsNotFoundAndCanceledOrderCannotBeInvoiced() async throws {
        try await LiveServer.with { s in
            let before = try await s.footprint()
            for body in [#"{"order_id": 987654}"#, #"{"order_increment_id": "999999999"}"#] {
                let reply = try await s.post("/api2/invoice/create", json: body)
                #expect(reply.status == 404)
                #expect(reply.error == "Order not found")
            }
            let canceled = try await s.server.database.read { db in
                try OrderRow.filter(Column("status") == "canceled").fetchOne(db)
            }
            let reply = try await s.post("/api2/invoice/create", json: #"{"order_id": \#(try #require(canceled).entityId)}"#)
            #expect(reply.status == 400)
            #expect(reply.error == "Cannot create invoice")
            #expect(try await s.footprint() == before)
        }
    }

    @Test func decimalQuantitiesOnDecimalItems() async throws {
        try await LiveServer.with(orders: 130) { s in
            let reply = try await s.post(
                "/api2/invoice/create", json: #"{"order_id": 123, "items": [{"order_item_id": 12, "qty": "1.25"}]}"#)
            #expect(reply.status == 201)
            #expect(try reply.json["invoice"]?["items"]?.array?.first?["qty"]?.numberText == "1.25")
            let order = try await s.get("/api2/order?id=123").json["order"]
            let item = order?["items"]?.array?.first { $0["item_id"]?.int == 12 }
            #expect(item?["qty_invoiced"]?.numberText == "1.25")
            #expect(item?["qty_to_invoice"]?.numberText == "1.25")
        }
    }

    @Test func onlineCaptureIsRefusedForMethodsThatCannotAndSavesNothing() async throws {
        try await LiveServer.with { s in
            for method in ["checkmo", "banktransfer"] {
                let order = try await openOrder(s, method: method)
                let before = try await s.footprint()
                let reply = try await s.post("/api2/invoice/create", json: #"{"order_id": \#(order.entityId), "capture": "online"}"#)
                #expect(reply.status == 500)
                #expect(reply.error == "Payment gateway error")
                #expect(try await s.footprint() == before, "\(method): a refused capture wrote something")
            }
            let card = try await openOrder(s, method: "card")
            let reply = try await s.post("/api2/invoice/create", json: #"{"order_id": \#(card.entityId), "capture": "online"}"#)
            #expect(reply.status == 201)
            #expect(try reply.json["invoice"]?["state"]?.int == 2)
            #expect(try reply.json["invoice"]?["transaction_id"]?.string?.hasPrefix("txn_") == true)
        }
    }

    @Test func noCaptureIsOpenAndOfflineIsPaidWithoutTransaction() async throws {
        try await LiveServer.with { s in
            let a = try await openOrder(s)
            let open = try await s.post("/api2/invoice/create", json: #"{"order_id": \#(a.entityId), "capture": "no_capture"}"#)
            #expect(try open.json["invoice"]?["state"]?.int == 1)
            let id = try #require(try open.json["invoice"]?["entity_id"]?.int)
            #expect(try await s.get("/api/admin/invoices/\(id)").json["state"]?.string == "pending_payment")
            let b = try await openOrder(s)
            let paid = try await s.post("/api2/invoice/create", json: #"{"order_id": \#(b.entityId)}"#)
            #expect(try paid.json["invoice"]?["state"]?.int == 2, "offline is the default")
            #expect(try paid.json["invoice"]?["transaction_id"] == .null)
        }
    }

    @Test func failedEmailOnCreateKeepsTheInvoiceWithEmailSentZero() async throws {
        try await LiveServer.with(faults: Faults(smtpFailing: true)) { s in
            let order = try await openOrder(s)
            let reply = try await s.post(
                "/api2/invoice/create",
                json: #"{"order_id": \#(order.entityId), "send_email": true, "comment": "Thanks!"}"#)
            #expect(reply.status == 201)
            let invoice = try #require(try reply.json["invoice"])
            #expect(invoice["email_sent"]?.int == 0)
            // The comment is kept, and says the customer was not told: the email never left.
            #expect(invoice["comments"]?.array?.first?["comment"]?.string == "Thanks!")
            #expect(invoice["comments"]?.array?.first?["is_customer_notified"]?.int == 0)
            let id = try #require(invoice["entity_id"]?.int)
            #expect(try await s.get("/api2/invoice?id=\(id)").json["invoice"]?["comments"]?.array?.first?["is_customer_notified"]?.int == 0)
            #expect(try await s.get("/sandbox/outbox?invoice_id=\(id)").json["emails"]?.array?.isEmpty == true)
        }
    }

    @Test func lockContentionAnswers503AndWritesNothing() async throws {
        try await LiveServer.with(faults: Faults(lockContention: true)) { s in
            let before = try await s.footprint()
            let reply = try await s.post("/api2/invoice/create", json: #"{"order_id": 123}"#)
            #expect(reply.status == 503)
            #expect(try await s.footprint() == before)
        }
    }

    @Test func dropAfterCreateCommitsThenClosesWithoutAnswer() async throws {
        try await LiveServer.with(faults: Faults(dropAfterCreate: true)) { s in
            await #expect(throws: (any Error).self) {
                _ = try await s.post("/api2/invoice/create", json: #"{"order_id": 123, "comment": "drop test"}"#)
            }
            let invoices = try #require(try await s.get("/api2/invoice?order_id=123").json["invoices"]?.array)
            #expect(invoices.count == 1, "the invoice was committed before the connection dropped")
        }
    }

    @Test func dropBeforeCreateClosesWithoutAnswerAndWritesNothing() async throws {
        try await LiveServer.with(faults: Faults(dropBeforeCreate: true)) { s in
            let before = try await s.footprint()
            await #expect(throws: (any Error).self) {
                _ = try await s.post("/api2/invoice/create", json: #"{"order_id": 123}"#)
            }
            #expect(try await s.footprint() == before)
        }
    }

    @Test func latencyFaultDelaysEveryRequest() async throws {
        try await LiveServer.with(faults: Faults(latencyMilliseconds: 300)) { s in
            let clock = ContinuousClock()
            let elapsed = try await clock.measure { _ = try await s.get("/api2/oauth/health") }
            #expect(elapsed >= .milliseconds(300))
        }
    }
}
