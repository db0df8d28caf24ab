import Foundation
import GRDB
import Testing

@testable import FolioServer

/// The generated store: deterministic, varied, and consistent with the API's rules.
@Suite struct SeedTests {
    func seeded(_ orders: Int, seed: UInt64 = 7) throws -> DatabaseQueue {
        let db = try DatabaseQueue()
        try Schema.migrator.migrate(db)
        var generator = SeedGenerator(seed: seed)
        try generator.generate(into: db, orders: orders)
        return db
    }

    func dump(_ db: DatabaseQueue) throws -> String {
        try db.read { db in
            try ["orders", "order_items", "order_addresses", "invoices", "invoice_items", "invoice_comments"].map { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1").map(\.description).joined(separator: "\n")
            }.joined(separator: "\n")
        }
    }

    @Test func sameSeedSameStoreOtherSeedOtherStore() throws {
        #expect(try dump(seeded(60, seed: 3)) == dump(seeded(60, seed: 3)))
        #expect(try dump(seeded(60, seed: 3)) != dump(seeded(60, seed: 4)))
    }

    @Test(arguments: [0, 1, 50, 130])
    func seedDocumentFixturesExistWhateverTheCount(orders: Int) throws {
        try seeded(orders).read { db in try checkFixtures(db) }
    }

    func checkFixtures(_ db: Database) throws {
        let order = try #require(try OrderRow.fetchOne(db, key: 123))
        #expect(order.incrementId == "100000123")
        let items = try OrderItemRow.filter(Column("order_id") == 123).fetchAll(db)
        #expect(items.contains { $0.itemId == 10 && $0.qtyOrdered >= 3 * Quantity.scale })
        #expect(items.contains { $0.sku == "PRODUCT-001" && $0.qtyOrdered >= 3 * Quantity.scale })
        #expect(items.allSatisfy { $0.qtyInvoiced == 0 })
        let invoice = try #require(try InvoiceRow.fetchOne(db, key: 456))
        #expect(invoice.incrementId == "100000045")
        #expect(invoice.orderCurrencyCode != invoice.baseCurrencyCode)
        #expect(try InvoiceRow.filter(Column("increment_id") == "100000045").fetchCount(db) == 1)
        // The documents' customers keep their addresses, whoever else shares their names.
        #expect(order.customerEmail == "veronica.costello@example.com")
        #expect(invoice.customerEmail == "zoe.fassbender@example.com")
    }

    /// Customers return: several orders (and invoices) to one address, some
    /// typed in other capitals; one person per address, and several people
    /// under a common name, each with an address of their own.
    @Test func customersReturnWithAddressesOfTheirOwn() throws {
        try seeded(2_000).read { db in try checkCustomers(db) }
    }

    func checkCustomers(_ db: Database) throws {
        func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
        #expect(try count("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM orders GROUP BY lower(customer_email))") >= 3)
        #expect(try count("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM invoices GROUP BY lower(customer_email))") >= 3)
        #expect(try count("SELECT COUNT(*) FROM (SELECT 1 FROM orders GROUP BY lower(customer_email) HAVING COUNT(*) > 1)") > 50)
        #expect(try count("SELECT COUNT(*) FROM orders WHERE customer_email <> lower(customer_email)") > 0, "typed in capitals")
        #expect(
            try count(
                "SELECT COUNT(*) FROM (SELECT 1 FROM orders GROUP BY lower(customer_email) HAVING COUNT(DISTINCT customer_name) > 1)"
            ) == 0, "one person per address")
        #expect(
            try count(
                "SELECT COUNT(*) FROM (SELECT 1 FROM orders GROUP BY customer_name HAVING COUNT(DISTINCT lower(customer_email)) > 1)"
            ) > 0, "a common name, several people")
        #expect(try count("SELECT COUNT(*) FROM orders WHERE customer_email GLOB '*[0-9]@example.com'") > 0)
        #expect(
            try count("SELECT COUNT(*) FROM order_addresses a JOIN orders o ON o.entity_id = a.order_id WHERE a.email <> o.customer_email")
                == 0)
    }

    @Test func theStoreIsVaried() throws {
        try seeded(600).read { db in try checkVariety(db) }
    }

    func checkVariety(_ db: Database) throws {
        func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
        #expect(try count("SELECT COUNT(DISTINCT order_currency_code) FROM orders") >= 4)
        #expect(try count("SELECT COUNT(*) FROM orders WHERE order_currency_code <> base_currency_code") > 0)
        #expect(try count("SELECT COUNT(*) FROM orders WHERE customer_name GLOB '*[太美小민山佐王김]*'") > 0, "CJK names")
        #expect(try count("SELECT COUNT(*) FROM orders WHERE customer_name GLOB '*[éëöüßøÅł]*'") > 0, "accented names")
        #expect(try count("SELECT COUNT(*) FROM orders WHERE length(customer_name) > 40") > 0, "very long names")
        #expect(try count("SELECT COUNT(*) FROM order_addresses WHERE company_name IS NOT NULL") > 0)
        #expect(
            try count(
                "SELECT COUNT(*) FROM orders o WHERE (SELECT street FROM order_addresses WHERE order_id = o.entity_id AND address_type = 'order_billing') <> (SELECT street FROM order_addresses WHERE order_id = o.entity_id AND address_type = 'order_shipping')"
            ) > 0)
        #expect(try count("SELECT COUNT(DISTINCT product_type) FROM order_items") >= 3)
        #expect(try count("SELECT COUNT(*) FROM order_items WHERE additional LIKE '%Size%'") > 0)
        #expect(try count("SELECT COUNT(*) FROM order_items WHERE is_qty_decimal = 1") > 0)
        #expect(try count("SELECT COUNT(*) FROM orders WHERE discount_amount > 0") > 0)
        #expect(try Set(String.fetchAll(db, sql: "SELECT DISTINCT payment_method FROM orders")) == ["checkmo", "banktransfer", "card"])
        // Orders in every situation.
        #expect(
            try count(
                "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items WHERE order_id = o.entity_id AND (qty_invoiced > 0 OR qty_canceled > 0))"
            ) > 0)
        #expect(
            try count(
                "SELECT COUNT(*) FROM orders WHERE can_invoice = 1 AND EXISTS (SELECT 1 FROM order_items WHERE order_id = entity_id AND qty_invoiced > 0)"
            ) > 0, "partly invoiced")
        #expect(try count("SELECT COUNT(*) FROM orders WHERE can_invoice = 0 AND status <> 'canceled'") > 0, "fully invoiced")
        #expect(try count("SELECT COUNT(*) FROM orders WHERE status = 'canceled'") > 0)
        #expect(try count("SELECT COUNT(*) FROM order_items WHERE qty_canceled > 0 AND qty_canceled < qty_ordered") > 0, "partly canceled")
        for state in [1, 2, 3] { #expect(try count("SELECT COUNT(*) FROM invoices WHERE state = \(state)") > 0) }
        for status in ["pending", "pending_payment", "overdue"] {
            #expect(try count("SELECT COUNT(*) FROM invoices WHERE state = 1 AND payment_status = '\(status)'") > 0, "\(status)")
        }
        #expect(
            try count("SELECT COUNT(*) FROM invoices WHERE payment_status = 'overdue' AND (reminders = 0 OR next_reminder_at IS NULL)") == 0
        )
        #expect(try count("SELECT COUNT(*) FROM invoices WHERE created_at LIKE '2025-%'") > 0)
        #expect(try count("SELECT COUNT(*) FROM invoices WHERE created_at LIKE '2026-%'") > 0)
    }

    @Test func seededInvoicesObeyTheAPIsRules() throws {
        try seeded(600).read { db in try checkRules(db) }
    }

    func checkRules(_ db: Database) throws {
        #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM order_items WHERE qty_invoiced + qty_canceled > qty_ordered") == 0)
        // Fully invoiced, never canceled: the live invoices add up to the order exactly, in both currencies.
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT o.grand_total AS g, o.base_grand_total AS bg, SUM(i.grand_total) AS s, SUM(i.base_grand_total) AS bs
                FROM orders o JOIN invoices i ON i.order_id = o.entity_id AND i.state <> 3
                WHERE o.can_invoice = 0 AND NOT EXISTS (SELECT 1 FROM order_items WHERE order_id = o.entity_id AND qty_canceled > 0)
                GROUP BY o.entity_id
                """)
        #expect(rows.count > 50)
        for row in rows {
            #expect(row["g"] as Int64 == row["s"] as Int64)
            #expect(row["bg"] as Int64 == row["bs"] as Int64)
        }
        let counted = try Row.fetchAll(db, sql: "SELECT day, state, n FROM invoice_day_counts WHERE n > 0 ORDER BY day, state")
        let actual = try Row.fetchAll(
            db, sql: "SELECT substr(created_at, 1, 10) AS day, state, COUNT(*) AS n FROM invoices GROUP BY 1, 2 ORDER BY 1, 2")
        #expect(counted == actual, "the trigger-kept counts match")
    }
}
