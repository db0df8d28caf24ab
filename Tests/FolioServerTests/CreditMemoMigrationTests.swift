import Foundation
import GRDB
import Testing

@testable import FolioServer

/// A store from before credit memos ("v8 order history") is brought forward:
/// nothing of it was refunded, and it can be refunded at once.
@Suite struct CreditMemoMigrationTests {
    /// A database at "v8 order history" holding one invoiced order, written
    /// as that version's server wrote it (its columns only).
    static func oldStore(at path: String) throws {
        let pool = try DatabasePool(path: path)
        try Schema.migrator.migrate(pool, upTo: "v8 order history")
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO orders (entity_id, increment_id, state, status, created_at, updated_at, customer_name,
                        customer_email, channel_name, order_currency_code, base_currency_code, payment_method,
                        subtotal, base_subtotal, tax_amount, base_tax_amount, discount_amount, base_discount_amount,
                        shipping_amount, base_shipping_amount, shipping_tax_amount, base_shipping_tax_amount,
                        grand_total, base_grand_total, face_factor, shipping_invoiced, can_invoice)
                    VALUES (7, '100000007', 'processing', 'processing', '2025-05-01 10:00:00', '2025-05-02 10:00:00',
                        'Ada Old', 'ada@example.com', 'EU Store', 'EUR', 'USD', 'card',
                        3000, 3270, 665, 725, 300, 327, 500, 545, 95, 104, 3865, 4213, 100, 1, 0);
                    INSERT INTO order_items (item_id, order_id, sku, name, product_id, product_type, is_qty_decimal,
                        qty_ordered, qty_invoiced, price, base_price, row_total, base_row_total, tax_amount, base_tax_amount,
                        discount_amount, base_discount_amount, row_invoiced, base_row_invoiced, tax_invoiced, base_tax_invoiced,
                        discount_invoiced, base_discount_invoiced)
                    VALUES (70, 7, 'OLD-1', 'Old mug', 1, 'simple', 0, 30000, 30000, 1000, 1090, 3000, 3270, 570, 621,
                        300, 327, 3000, 3270, 570, 621, 300, 327);
                    INSERT INTO invoices (entity_id, increment_id, order_id, order_increment_id, state, payment_status,
                        capture_mode, transaction_id, email_sent, subtotal, base_subtotal, tax_amount, base_tax_amount,
                        discount_amount, base_discount_amount, shipping_amount, base_shipping_amount, shipping_tax_amount,
                        base_shipping_tax_amount, grand_total, base_grand_total, face_factor, total_qty,
                        order_currency_code, base_currency_code, billing_name, customer_email, created_at, updated_at)
                    VALUES (70, '100000070', 7, '100000007', 2, 'paid', 'online', 'txn_old', 1, 3000, 3270, 665, 725,
                        300, 327, 500, 545, 95, 104, 3865, 4213, 100, 30000, 'EUR', 'USD', 'Ada Old', 'ada@example.com',
                        '2025-05-02 10:00:00', '2025-05-02 10:02:00');
                    INSERT INTO invoice_items (entity_id, invoice_id, order_item_id, sku, name, qty, price, base_price,
                        row_total, base_row_total, tax_amount, base_tax_amount, discount_amount, base_discount_amount)
                    VALUES (700, 70, 70, 'OLD-1', 'Old mug', 30000, 1000, 1090, 3000, 3270, 570, 621, 300, 327);
                    INSERT INTO outbox (invoice_id, increment_id, recipient, comment, sent_at)
                    VALUES (70, '100000070', 'ada@example.com', NULL, '2025-05-02 10:02:00');
                    """)
        }
        try pool.close()
    }

    /// A seeded store of the version before (its every table and column, as
    /// `OldStores` checks) starts with nothing refunded, and refunds exactly.
    @Test func aSeededStoreFromBeforeStartsWithNothingRefunded() async throws {
        let old = try OldStores.seeded(before: "v10 credit memos", orders: 60, seed: 7)
        try Schema.migrator.migrate(old)
        let sums = try await old.read { db in
            try [
                "SELECT SUM(qty_refunded + row_refunded + base_row_refunded + tax_refunded + base_tax_refunded"
                    + " + discount_refunded + base_discount_refunded) FROM invoice_items",
                "SELECT SUM(qty_refunded + row_refunded + base_row_refunded + tax_refunded + base_tax_refunded"
                    + " + discount_refunded + base_discount_refunded) FROM order_items",
                "SELECT COUNT(*) FROM invoice_refunds", "SELECT COUNT(*) FROM order_refunds", "SELECT COUNT(*) FROM creditmemos",
                "SELECT COUNT(*) FROM outbox WHERE creditmemo_id IS NOT NULL",
            ].map { try Int64.fetchOne(db, sql: $0) }
        }
        #expect(sums == [0, 0, 0, 0, 0, 0])
        let store = CreditMemoStore(database: old, faults: FaultSwitches(Faults()), clock: { Timestamp.now })
        let created = try await store.create(try CreateCreditMemoRequest(RequestInput(body: [("invoice_id", .int(456))])))
        let memo = try #require(try await store.creditMemo(.id(created))?.creditMemo)
        let invoice = try #require(try await old.read { db in try InvoiceRow.fetchOne(db, key: 456) })
        #expect(memo.incrementId == "100000001")
        #expect(memo.grandTotal == invoice.grandTotal && memo.baseGrandTotal == invoice.baseGrandTotal)
    }

    @Test func aStoreFromBeforeCreditMemosIsBroughtForwardAndRefundable() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-old-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        try Self.oldStore(at: path)

        var options = ServerOptions()
        options.port = 0
        options.databasePath = path
        options.tokens = [LiveServer.token]
        try await LiveServer.with(options: options) { s in
            let applied = try await s.server.database.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
            #expect(applied.contains("v10 credit memos"))
            let invoice = try await s.invoiceJSON(70)
            #expect(invoice["total_refunded"]?.string == "0.0000")
            #expect(invoice["items"]?.array?.first?["qty_refunded"]?.numberText == "0")
            #expect(try await s.get("/sandbox/outbox").json["emails"]?.array?.first?["creditmemo_id"] == .null)
            #expect(try await s.get("/api/admin/invoices/70").json["state"]?.string == "paid")

            let reply = try await s.post("/api2/creditmemo", json: #"{"invoice_increment_id": "100000070", "refund_type": "online"}"#)
            #expect(reply.status == 201, "\(reply.body)")
            let memo = try #require(try reply.json["creditmemo"])
            #expect(memo["increment_id"]?.string == "100000001")
            #expect(memo["grand_total"]?.string == "38.6500" && memo["base_grand_total"]?.string == "42.1300")
            #expect(memo["shipping_amount"]?.string == "5.0000" && memo["base_shipping_tax_amount"]?.string == "1.0400")
            let order = try #require(try await s.get("/api2/order?id=7").json["order"])
            #expect(order["total_refunded"]?.string == "38.6500" && order["total_invoiced"]?.string == "38.6500")
            #expect(try await s.get("/api/admin/invoices/70").json["state"]?.string == "refunded")
        }
    }
}
