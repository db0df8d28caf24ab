import FolioTestSupport
import Foundation
import GRDB
import Testing

@testable import FolioServer

/// Invoice numbers come from a counter, not from the highest number as text.
@Suite struct InvoiceNumberTests {
    /// Invoices one unit of a PRODUCT-001 at a time (order 123 has four), and returns the numbers given.
    func createNumbers(_ s: LiveServer, count: Int) async throws -> [String] {
        var numbers: [String] = []
        for _ in 0..<count {
            let reply = try await s.post("/api2/invoice/create", json: #"{"order_id": 123, "items": [{"sku": "PRODUCT-001", "qty": 1}]}"#)
            #expect(reply.status == 201, "\(reply.body.prefix(200))")
            numbers.append(try #require(try reply.json["invoice"]?["increment_id"]?.string))
        }
        return numbers
    }

    /// A copy of invoice 456 under another number, as an import or another tool might write it.
    static func insertInvoice(_ db: Database, number: String) throws {
        var row = try #require(try InvoiceRow.fetchOne(db, key: SeedGenerator.fixtureInvoiceId))
        row.entityId = nil
        row.incrementId = number
        try row.insert(db)
    }

    @Test func numbersGoOnPastNineDigits() async throws {
        try await LiveServer.with(orders: 30) { s in
            try await s.server.database.write { db in
                try db.execute(sql: "UPDATE invoice_numbers SET last_issued = 999999998")
            }
            #expect(try await createNumbers(s, count: 3) == ["999999999", "1000000000", "1000000001"])
        }
    }

    @Test func aNonNumericNumberDoesNotStopTheSequence() async throws {
        try await LiveServer.with(orders: 30) { s in
            let highest = try await s.server.database.write { db in
                for number in ["INV-7", "ZZZ", "100000009x"] { try Self.insertInvoice(db, number: number) }
                return try Int64.fetchOne(
                    db, sql: "SELECT MAX(CAST(increment_id AS INTEGER)) FROM invoices WHERE increment_id NOT GLOB '*[^0-9]*'")!
            }
            #expect(try await createNumbers(s, count: 2) == [String(highest + 1), String(highest + 2)])
        }
    }

    @Test func aNumberTakenByOtherMeansIsSkipped() async throws {
        try await LiveServer.with(orders: 30) { s in
            let last = try await s.server.database.write { db in
                let last = try Int64.fetchOne(db, sql: "SELECT last_issued FROM invoice_numbers")!
                try Self.insertInvoice(db, number: String(last + 1))
                return last
            }
            #expect(try await createNumbers(s, count: 1) == [String(last + 2)])
        }
    }

    @Test func theSeedLeavesTheCounterAtItsHighestNumber() async throws {
        try await LiveServer.with(orders: 80) { s in
            try await s.server.database.read { db in
                let last = try Int64.fetchOne(db, sql: "SELECT last_issued FROM invoice_numbers")
                let highest = try Int64.fetchOne(db, sql: "SELECT MAX(CAST(increment_id AS INTEGER)) FROM invoices")
                #expect(last != nil && last == highest)
                #expect(highest! > 100_000_045)
            }
        }
    }

    /// A database written before the counter existed: the migration starts it
    /// past the highest all-digit number, whatever else is stored.
    @Test func theMigrationStartsTheCounterPastAnOlderDatabasesHighestNumber() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-numbers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("store.sqlite").path
        do {
            let pool = try ReferenceServer.openDatabase(at: path)
            try ReferenceServer.seedIfEmpty(pool, orders: 20, randomSeed: 3)
            try await pool.write { db in
                for number in ["999999999", "INV-7", "99999999999999999999999", "0001"] { try Self.insertInvoice(db, number: number) }
                // As the previous build left it: no counter, no record of its migration.
                try db.execute(sql: "DROP TABLE invoice_numbers")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7 invoice number counter'")
            }
            try pool.close()
        }
        var options = TestServer.options(orders: 0, faults: Faults(), accessTokenLifetime: 3600, seed: 1, tokens: [LiveServer.token])
        options.seedOrders = nil
        options.databasePath = path
        try await LiveServer.with(options: options) { s async throws in
            #expect(try await createNumbers(s, count: 2) == ["1000000000", "1000000001"])
        }
    }
}
