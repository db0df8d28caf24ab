import Foundation
import GRDB
import Testing

@testable import FolioServer

/// The customers a store keeps (`CustomerRow`), made from its orders; each
/// invoice's customer and billing name; and the same from migration v9 for a
/// store written before customers existed.
@Suite struct CustomerStoreTests {
    /// One customer per address (compared caselessly), as the orders say:
    /// the earliest order (first written, on a tie) gives the address as
    /// typed, the name and the time.
    struct Expected: Equatable {
        var email: String
        var firstname: String
        var lastname: String
        var createdAt: String
    }

    static func bruteForce(_ db: Database) throws -> [String: Expected] {
        var result: [String: Expected] = [:]
        let orders = try Row.fetchAll(db, sql: "SELECT customer_email, customer_name, created_at FROM orders ORDER BY entity_id")
        for order in orders {
            let key = SearchText.emailKey(order[0])
            let time: String = order[2]
            if let known = result[key], known.createdAt <= time { continue }
            let words = (order[1] as String).split(separator: " ")
            result[key] = Expected(
                email: order[0], firstname: words.first.map(String.init) ?? "", lastname: words.dropFirst().joined(separator: " "),
                createdAt: time)
        }
        return result
    }

    static func stored(_ db: Database) throws -> [String: Expected] {
        Dictionary(
            uniqueKeysWithValues: try CustomerRow.fetchAll(db).map {
                ($0.emailKey, Expected(email: $0.email, firstname: $0.firstname, lastname: $0.lastname, createdAt: $0.createdAt))
            })
    }

    @Test func customersAreTheOrdersCustomers() async throws {
        try await LiveServer.with(orders: 600) { s in
            try await s.server.database.read { db in
                let expected = try Self.bruteForce(db)
                #expect(try Self.stored(db) == expected)
                #expect(expected.count > 300 && expected.count < 600, "customers return: \(expected.count) for 600 orders")
                // Every invoice's customer is its address's.
                let wrong = try Row.fetchAll(
                    db, sql: "SELECT i.customer_email, c.email_key FROM invoices i LEFT JOIN customers c ON c.id = i.customer_id"
                ).filter { SearchText.emailKey($0[0]) != ($0[1] as String?) }
                #expect(wrong.isEmpty)
                // A customer with several orders; the documents' fixtures keep their addresses.
                let most = try Int.fetchOne(db, sql: "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM orders GROUP BY lower(customer_email))")
                #expect((most ?? 0) >= 3)
                #expect(try OrderRow.fetchOne(db, key: 123)?.customerEmail == "veronica.costello@example.com")
                #expect(try OrderRow.fetchOne(db, key: 44)?.customerEmail == "zoe.fassbender@example.com")
            }
        }
    }

    /// The same seed gives the same customers, ids included, whatever else runs.
    @Test func customerIdsAreStableAcrossReseeds() throws {
        func customers(_ seed: UInt64) throws -> [String] {
            let db = try DatabaseQueue()
            try Schema.migrator.migrate(db)
            try ReferenceServer.seedIfEmpty(db, orders: 300, randomSeed: seed)
            return try db.read { db in
                try String.fetchAll(db, sql: "SELECT id || ' ' || email || ' ' || created_at FROM customers ORDER BY id")
            }
        }
        let first = try customers(5)
        #expect(try first.count > 100 && first == customers(5))
        #expect(first != (try customers(6)))
    }

    /// A store from before customers existed gets, from migration v9, the
    /// customers and search keys a store seeded today has.
    @Test func aStoreFromBeforeCustomersGetsTheSameCustomers() throws {
        let old = try OldStores.seeded(before: "v9 customers and invoice search", orders: 400, seed: 7)
        try Schema.migrator.migrate(old)
        let fresh = try DatabaseQueue()
        try Schema.migrator.migrate(fresh)
        try ReferenceServer.seedIfEmpty(fresh, orders: 400, randomSeed: 7)
        func state(_ db: DatabaseQueue) throws -> [[String]] {
            try db.read { db in
                try [
                    String.fetchAll(
                        db,
                        sql:
                            "SELECT id || '|' || email || '|' || email_key || '|' || firstname || '|' || lastname || '|' || created_at FROM customers ORDER BY id"
                    ),
                    String.fetchAll(
                        db,
                        sql:
                            "SELECT i.entity_id || '|' || i.customer_id || '|' || n.key FROM invoices i JOIN billing_names n ON n.id = i.billing_name_id ORDER BY i.entity_id"
                    ),
                    String.fetchAll(
                        db,
                        sql:
                            "SELECT n.key || '|' || c.state || '|' || c.n FROM billing_name_counts c JOIN billing_names n ON n.id = c.name_id ORDER BY 1"
                    ),
                    String.fetchAll(
                        db,
                        sql:
                            "SELECT n.key || '|' || c.state || '|' || c.month || '|' || c.n FROM billing_name_month_counts c JOIN billing_names n ON n.id = c.name_id ORDER BY 1"
                    ),
                    String.fetchAll(db, sql: "SELECT key FROM billing_names ORDER BY key"),
                ]
            }
        }
        let migrated = try state(old)
        #expect(migrated.allSatisfy { !$0.isEmpty })
        #expect(try migrated == state(fresh))
    }
}
