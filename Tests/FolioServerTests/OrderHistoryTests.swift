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

    /// A seeded store has a history: each invoice's creation, and its email when sent.
    @Test func aSeededStoreHasABelievableHistory() async throws {
        try await LiveServer.with { s in
            let entries = try await history(s, "order_increment_id=100000044")
            #expect(entries.contains { $0["comment"]?.string == "Invoice 100000045 created" && $0["source"]?.string == "invoice" })
            let invoices = try await s.server.database.read { db in try InvoiceRow.fetchCount(db) }
            let emailed = try await s.server.database.read { db in try InvoiceRow.filter(sql: "email_sent = 1").fetchCount(db) }
            #expect(invoices > 0 && emailed > 0)
            #expect(try await count(s) == invoices + emailed)
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
            let ids = byNumber.compactMap { $0["id"]?.int }
            #expect(ids.count == byNumber.count && ids == ids.sorted(by: >), "newest first")
        }
    }

    @Test func refusals() async throws {
        try await LiveServer.with { s in
            let before = try await count(s)
            let both = try await s.get("/api2/history?order_id=44&order_increment_id=100000044")
            #expect(both.status == 400 && both.error == "Use only one of order_id, order_increment_id, increment_id")
            #expect(try await s.get("/api2/history").status == 400)
            #expect(try await s.get("/api2/history?order_id=x").status == 400)
            let unknown = try await s.get("/api2/history?order_increment_id=999999999")
            #expect(unknown.status == 404 && unknown.error == "Order not found")
            #expect(try await s.get("/api2/history?order_id=44", token: nil).status == 401)
            #expect(try await s.get("/api2/histories?order_id=44").status == 404, "no plural alias")
            let refused: [(String, String)] = [
                (#"{"order_id": 123, "order_increment_id": "100000123", "comment": "x"}"#, "Use only one of order_id, order_increment_id"),
                (#"{"comment": "x"}"#, "order_id or order_increment_id is required"),
                (#"{"order_id": 123}"#, "comment is required"),
                (#"{"order_id": 123, "comment": "   "}"#, "comment is required"),
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
