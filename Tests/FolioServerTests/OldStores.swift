import GRDB
import Testing

@testable import FolioServer

/// Stores as an earlier version of the server left them, for migration tests.
///
/// Today's generator cannot write into an old schema (its records carry
/// today's columns), so an old store is a store seeded today with what the
/// later migrations added taken away again. `seeded` checks that what is
/// left has exactly the schema of a store migrated only that far, so the
/// test's "old store" cannot drift from a real one.
enum OldStores {
    /// What each migration added, taken away: in reverse order of migrations.
    static let removals: [(migration: String, sql: String)] = [
        (
            "v10 credit memos",
            """
            DROP TABLE creditmemo_comments;
            DROP TABLE creditmemo_items;
            DROP TABLE creditmemos;
            DROP TABLE creditmemo_numbers;
            DROP TABLE invoice_refunds;
            DROP TABLE order_refunds;
            ALTER TABLE outbox DROP COLUMN creditmemo_id;
            ALTER TABLE invoice_items DROP COLUMN base_discount_refunded;
            ALTER TABLE invoice_items DROP COLUMN discount_refunded;
            ALTER TABLE invoice_items DROP COLUMN base_tax_refunded;
            ALTER TABLE invoice_items DROP COLUMN tax_refunded;
            ALTER TABLE invoice_items DROP COLUMN base_row_refunded;
            ALTER TABLE invoice_items DROP COLUMN row_refunded;
            ALTER TABLE invoice_items DROP COLUMN qty_refunded;
            ALTER TABLE order_items DROP COLUMN base_discount_refunded;
            ALTER TABLE order_items DROP COLUMN discount_refunded;
            ALTER TABLE order_items DROP COLUMN base_tax_refunded;
            ALTER TABLE order_items DROP COLUMN tax_refunded;
            ALTER TABLE order_items DROP COLUMN base_row_refunded;
            ALTER TABLE order_items DROP COLUMN row_refunded;
            """
        ),
        (
            "v9 customers and invoice search",
            """
            DROP TRIGGER billing_name_counts_insert;
            DROP TRIGGER billing_name_counts_delete;
            DROP TRIGGER billing_name_counts_update_old;
            DROP TRIGGER billing_name_counts_update_new;
            DROP TABLE billing_name_counts;
            DROP TABLE billing_name_month_counts;
            DROP INDEX invoices_billing_name;
            DROP INDEX invoices_customer;
            DROP INDEX customers_created;
            ALTER TABLE invoices DROP COLUMN billing_name_id;
            ALTER TABLE invoices DROP COLUMN customer_id;
            DROP TABLE billing_names;
            DROP TABLE customers;
            """
        ),
        (
            "v8 order history",
            """
            DROP INDEX order_history_order;
            DROP TABLE order_history;
            """
        ),
    ]

    /// A store seeded as `ReferenceServer.seedIfEmpty` seeds one, then taken
    /// back to before `migration`: that migration and every later one are
    /// undone and unrecorded.
    static func seeded(before migration: String, orders: Int, seed: UInt64) throws -> DatabaseQueue {
        let db = try DatabaseQueue()
        try Schema.migrator.migrate(db)
        try ReferenceServer.seedIfEmpty(db, orders: orders, randomSeed: seed)
        let undone = try #require(removals.firstIndex { $0.migration == migration }, "no removal for \(migration)")
        try db.write { db in
            for removal in removals[...undone] {
                try db.execute(sql: removal.sql)
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [removal.migration])
            }
        }
        try expectSameSchema(db, asMigratedBefore: migration)
        return db
    }

    /// The store's tables, indexes and triggers are those of an empty store
    /// migrated up to the migration before `migration`.
    static func expectSameSchema(_ db: DatabaseQueue, asMigratedBefore migration: String) throws {
        let identifiers = Schema.migrator.migrations
        let index = try #require(identifiers.firstIndex(of: migration))
        let reference = try DatabaseQueue()
        try Schema.migrator.migrate(reference, upTo: identifiers[index - 1])
        func schema(_ db: DatabaseQueue) throws -> [String] {
            try db.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master
                        WHERE name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY type, name
                        """)
            }
        }
        #expect(try schema(db) == schema(reference), "the stripped store is a store from before \(migration)")
        #expect(try db.read { try Schema.migrator.appliedIdentifiers($0) } == Set(identifiers[..<index]))
    }
}
