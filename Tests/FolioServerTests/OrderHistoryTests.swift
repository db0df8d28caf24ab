import GRDB
import Testing

@testable import FolioServer

/// `/api2/history`: an order's history, newest first, the entries an
/// integration adds, and the server's own events, over real HTTP.
@Suite struct OrderHistoryTests {
    func history(_ s: LiveServer, _ query: String) async throws -> [JSON] {
        let reply = try await s.get("/api2/history?\(query)")
        #expect(reply.status == 200, "\(query): \(reply.body)")
        return try #require(try reply.json["history"]?.array, "\(query): no history array")
    }

    func count(_ s: LiveServer) async throws -> Int {
        try await s.server.database.read { db in try OrderHistoryRow.fetchCount(db) }
    }

    /// A seeded store has a history: each invoice's creation, each email of
    /// the outbox at its own time, each canceled invoice, each order's status.
    @Test func aSeededStoreHasABelievableHistory() async throws {
        try await LiveServer.with { s in
            let entries = try await history(s, "order_increment_id=100000044")
            #expect(entries.contains { $0["comment"]?.string == "Invoice 100000045 created" && $0["source"]?.string == "invoice" })
            let counts = try await s.server.database.read { db in
                try [
                    "SELECT COUNT(*) FROM invoices", "SELECT COUNT(*) FROM outbox", "SELECT COUNT(*) FROM invoices WHERE state = 3",
                    "SELECT COUNT(*) FROM orders WHERE status <> 'pending'",
                ].map { try Int.fetchOne(db, sql: $0) ?? -1 }
            }
            #expect(counts.allSatisfy { $0 > 0 }, "\(counts)")
            #expect(try await count(s) == counts.reduce(0, +))
            // Each email at the outbox's own time, not the invoice's.
            let mismatched = try await s.server.database.read { db in
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM outbox o JOIN invoices i ON i.entity_id = o.invoice_id
                        WHERE NOT EXISTS (SELECT 1 FROM order_history h WHERE h.order_id = i.order_id AND h.source = 'email'
                                          AND h.created_at = o.sent_at AND h.comment LIKE 'Invoice ' || o.increment_id || ' emailed to %')
                        """) ?? -1
            }
            #expect(mismatched == 0)
        }
    }

    @Test func everyIdentifierNamesTheSameOrderNewestFirst() async throws {
        try await LiveServer.with { s in
            let byNumber = try await history(s, "order_increment_id=100000044")
            #expect(!byNumber.isEmpty)
            #expect(try await history(s, "order_id=44") == byNumber)
            #expect(try await history(s, "increment_id=100000044") == byNumber, "increment_id is order_increment_id's alias")
            let body = try await s.get("/api2/history", json: #"{"order_id": 44}"#)
            #expect(try body.json["history"]?.array == byNumber, "the same in a JSON body")
            let times = byNumber.compactMap { $0["created_at"]?.string }
            #expect(times.count == byNumber.count && times == times.sorted(by: >), "newest first, by time")
        }
    }

    @Test func refusals() async throws {
        try await LiveServer.with { s in
            let before = try await count(s)
            let both = try await s.get("/api2/history?order_id=44&order_increment_id=100000044")
            #expect(both.status == 400 && both.error == "Use only one of order_id, order_increment_id or increment_id")
            #expect(try await s.get("/api2/history").status == 400)
            #expect(try await s.get("/api2/history?order_id=x").status == 400)
            // Numbers past 64 bits are refused by name, never wrapped to another order.
            for huge in ["99999999999999999999", "-99999999999999999999", "1e30"] {
                let reply = try await s.get("/api2/history?order_id=\(huge)")
                #expect(reply.status == 400 && reply.error == "Invalid parameter: order_id", "\(huge): \(reply.status) \(reply.body)")
            }
            let unknown = try await s.get("/api2/history?order_increment_id=999999999")
            #expect(unknown.status == 404 && unknown.error == "Order not found")
            #expect(try await s.get("/api2/history?order_id=44", token: nil).status == 401)
            #expect(try await s.get("/api2/histories?order_id=44").status == 404, "no plural alias")
            let refused: [(String, String)] = [
                (#"{"order_id": 123, "order_increment_id": "100000123", "comment": "x"}"#, "Use either order_id or order_increment_id"),
                (#"{"comment": "x"}"#, "order_id or order_increment_id is required"),
                (#"{"order_id": 123}"#, "comment is required"),
                (#"{"order_id": 123, "comment": "   "}"#, "comment is required"),
                (#"{"order_id": 123, "comment": "\n\r\n\t\u200b\u00a0"}"#, "comment is required"),
                (#"{"order_id": 123, "comment": "\#(String(repeating: "x", count: 4097))"}"#, "comment is too long"),
                (#"{"order_id": 123, "comment": "x", "status": "teleported"}"#, "Invalid status"),
                (#"{"order_id": 123, "comment": "x", "is_customer_notified": "maybe"}"#, "Invalid parameter"),
            ]
            for (body, error) in refused {
                let reply = try await s.post("/api2/history", json: body)
                #expect(reply.status == 400 && reply.error?.hasPrefix(error) == true, "\(body): \(reply.status) \(reply.body)")
            }
            let missing = try await s.post("/api2/history", json: #"{"order_id": 999999, "comment": "x"}"#)
            #expect(missing.status == 404)
            #expect(try await count(s) == before, "a refused entry writes nothing")
        }
    }

    /// An entry with a status sets the order's status; `is_customer_notified`
    /// is recorded as sent, and no email goes out.
    @Test func anEntrySetsTheStatusAndNeverSendsEmail() async throws {
        try await LiveServer.with { s in
            let outbox = try await s.server.database.read { db in try OutboxRow.fetchCount(db) }
            let reply = try await s.post(
                "/api2/history",
                json:
                    #"{"order_increment_id": "100000123", "comment": "Shipped with DHL", "status": "shipped", "is_customer_notified": 1, "is_visible_on_front": true}"#
            )
            #expect(reply.status == 201, "\(reply.body)")
            let entry = try #require(try reply.json["entry"])
            #expect(entry["comment"]?.string == "Shipped with DHL" && entry["status"]?.string == "shipped")
            #expect(
                entry["is_customer_notified"]?.int == 1 && entry["is_visible_on_front"]?.int == 1
                    && entry["source"]?.string == "integration")
            #expect(try await history(s, "order_id=123").first == entry, "newest first")
            #expect(try await s.get("/api2/order?id=123").json["order"]?["status"]?.string == "shipped")
            #expect(try await s.server.database.read { db in try OutboxRow.fetchCount(db) } == outbox, "no email")
        }
    }

    /// Creating an invoice and sending its email are history, in the order they happened.
    @Test func theServerRecordsItsOwnEvents() async throws {
        try await LiveServer.with { s in
            let created = try await s.post("/api2/invoice/create", json: #"{"order_id": 123, "items": [{"sku": "PRODUCT-001", "qty": 1}]}"#)
            #expect(created.status == 201)
            let number = try #require(try created.json["invoice"]?["increment_id"]?.string)
            let id = try #require(try created.json["invoice"]?["entity_id"]?.int)
            #expect(try await s.post("/api2/invoice/email", json: #"{"invoice_id": \#(id), "comment": "as asked"}"#).status == 200)
            let entries = try await history(s, "order_id=123").prefix(3).map { ($0["source"]?.string, $0["comment"]?.string) }
            #expect(entries.count == 3)
            #expect(entries[0].0 == "email" && entries[0].1?.hasPrefix("Invoice \(number) emailed to ") == true)
            #expect(entries[0].1?.hasSuffix(": as asked") == true)
            #expect(entries[1].0 == "system" && entries[1].1 == "Status changed to processing")
            #expect(entries[2].0 == "invoice" && entries[2].1 == "Invoice \(number) created")
            // A send the mail server refuses is history too, and nothing says it was sent.
            #expect(try await s.post("/sandbox/faults", json: #"{"smtp_failing": true}"#).status == 200)
            #expect(try await s.post("/api2/invoice/email", json: #"{"invoice_id": \#(id)}"#).status == 500)
            let failed = try #require(try await history(s, "order_id=123").first)
            #expect(failed["source"]?.string == "email" && failed["is_customer_notified"]?.int == 0)
            #expect(failed["comment"]?.string?.contains("failed") == true)
        }
    }

    /// Two clerks at once: 20 notes with one key are one entry; 20 with their
    /// own keys are 20 entries, each once, and the order's status is one of those sent.
    @Test func concurrentNotesAreEachWrittenOnce() async throws {
        try await LiveServer.with { s in
            let before = try await count(s)
            let sameKey = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await s.post("/api2/history", key: "clerk-same", json: #"{"order_id": 123, "comment": "one note"}"#).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            // The winner's 201, replayed; a request still racing the first gets 409 and wrote nothing.
            #expect(sameKey.allSatisfy { $0 == 201 || $0 == 409 } && sameKey.contains(201), "\(sameKey)")
            #expect(try await count(s) == before + 1)
            let statuses = ["processing", "shipped"]
            let own = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<20 {
                    group.addTask {
                        try await s.post(
                            "/api2/history", key: "clerk-\(n)",
                            json: #"{"order_id": 123, "comment": "note \#(n)", "status": "\#(statuses[n % 2])"}"#
                        ).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(own.allSatisfy { $0 == 201 }, "\(own)")
            let notes = try await history(s, "order_id=123").compactMap { $0["comment"]?.string }.filter { $0.hasPrefix("note ") }
            #expect(Set(notes) == Set((0..<20).map { "note \($0)" }) && notes.count == 20)
            // The order's status is the status of its newest entry that set one.
            let newest = try await history(s, "order_id=123").first { $0["status"]?.string != nil }?["status"]?.string
            #expect(try await s.get("/api2/order?id=123").json["order"]?["status"]?.string == newest)
        }
    }

    /// The same Idempotency-Key twice is one entry, and the first answer again.
    @Test func anIdempotencyKeyAddsOneEntry() async throws {
        try await LiveServer.with { s in
            let before = try await count(s)
            let body = #"{"order_id": 123, "comment": "called about delivery"}"#
            let first = try await s.post("/api2/history", key: "note-1", json: body)
            let again = try await s.post("/api2/history", key: "note-1", json: body)
            #expect(first.status == 201 && again.status == 201 && first.body == again.body)
            #expect(try await count(s) == before + 1)
        }
    }
}

/// A store made before the history existed (a demo cache of an earlier
/// version) gets the same history from migration v8 as a store seeded now.
@Suite struct OrderHistoryMigrationTests {
    @Test func aStoreFromBeforeTheHistoryGetsTheSameHistory() throws {
        let old = try OldStores.seeded(before: "v8 order history", orders: 60, seed: 7)
        try Schema.migrator.migrate(old)
        let fresh = try DatabaseQueue()
        try Schema.migrator.migrate(fresh)
        #expect(try ReferenceServer.seedIfEmpty(fresh, orders: 60, randomSeed: 7) == 60)
        func entries(_ db: DatabaseQueue) throws -> [String] {
            try db.read { db in
                try String.fetchAll(
                    db,
                    sql:
                        "SELECT order_id || '|' || COALESCE(comment, '') || '|' || created_at || '|' || source FROM order_history ORDER BY id"
                )
            }
        }
        let migrated = try entries(old)
        let seeded = try entries(fresh)
        #expect(!migrated.isEmpty && migrated == seeded)
        // Seeding again does nothing: no entry twice.
        #expect(try ReferenceServer.seedIfEmpty(fresh, orders: 60, randomSeed: 7) == 0)
        #expect(try entries(fresh).count == migrated.count)
    }
}
