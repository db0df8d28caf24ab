import Foundation
import GRDB
import Testing

@testable import FolioServer

/// What an attack on the write routes found, each pinned: a NUL that SQLite
/// would cut a string at, a body past the limit, a query an idempotency key
/// read differently from its handler, a SKU sold on two lines, a comment
/// too long for the history it is copied into.
@Suite struct HostileWriteTests {
    static func count(_ s: LiveServer, _ sql: String) async throws -> Int {
        try await s.server.database.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    /// A NUL never names another record nor loses the rest of a text: 400, naming the parameter, nothing written.
    @Test func aNulCharacterIsRefusedNeverCutShort() async throws {
        try await LiveServer.with { s in
            let before = try await s.refundFootprint()
            for body in [
                #"{"invoice_increment_id": "100000045\u0000DROP", "items": [], "adjustment_positive": "0.01"}"#,
                #"{"invoice_increment_id": "100000045", "items": [], "adjustment_positive": "0.01", "comment": "keep\u0000LOST"}"#,
                #"{"order_increment_id": "100000044\u0000x", "items": [], "adjustment_positive": "0.01"}"#,
            ] {
                let (reply, _) = try await s.refund(body)
                #expect(
                    reply.status == 400 && reply.error?.hasPrefix("Invalid parameter") == true, "\(body): \(reply.status) \(reply.body)")
                #expect(reply.body.contains("NUL"), "\(reply.body)")
            }
            #expect(try await s.refundFootprint() == before)
            let note = try await s.post("/api2/history", json: #"{"order_increment_id": "100000044", "comment": "a\u0000b"}"#)
            #expect(note.status == 400 && note.body.contains("comment"), "\(note.body)")
            for path in [
                "/api2/creditmemo?increment_id=100000001%00x", "/api2/invoice?increment_id=100000045%00x",
                "/api2/order?increment_id=100000044%00x",
            ] {
                let read = try await s.get(path)
                #expect(read.status == 400 && read.body.contains("NUL"), "\(path): \(read.status) \(read.body)")
            }
        }
    }

    /// A body past 1 MiB is 413, with or without an idempotency key, on every
    /// write route, whether its length is announced or it comes in chunks.
    @Test func aBodyPastTheLimitIs413() async throws {
        try await LiveServer.with { s in
            let huge =
                #"{"invoice_increment_id": "100000045", "comment": ""# + String(repeating: "x", count: RequestInput.maxBody + 10) + #""}"#
            for path in ["/api2/creditmemo", "/api2/invoice/create", "/api2/history"] {
                for chunked in [false, true] {
                    let plain = try await s.request(.POST, path, json: huge, chunked: chunked)
                    let keyed = try await s.request(
                        .POST, path, json: huge, headers: [("Idempotency-Key", "big-\(path.count)-\(chunked)")], chunked: chunked)
                    #expect(
                        plain.status == 413 && keyed.status == 413,
                        "\(path), chunked \(chunked): \(plain.status), with a key \(keyed.status)")
                }
            }
        }
    }

    /// The key's fingerprint reads the query as the handler does: `+` and `%20`
    /// are one request (replayed); `%2B` is another (422), never the first's answer.
    @Test func anIdempotencyKeyReadsThePlusAsTheHandlerDoes() async throws {
        try await LiveServer.with { s in
            let body = #"{"invoice_increment_id": "100000045", "items": [], "adjustment_positive": "0.01"}"#
            let first = try await s.post("/api2/creditmemo?comment=a+b", key: "plus-1", json: body)
            #expect(first.status == 201)
            let same = try await s.post("/api2/creditmemo?comment=a%20b", key: "plus-1", json: body)
            #expect(same.status == 201 && same.body == first.body, "the same request, replayed: \(same.status)")
            let other = try await s.post("/api2/creditmemo?comment=a%2Bb", key: "plus-1", json: body)
            #expect(other.status == 422, "another request under the same key: \(other.status) \(other.body)")
            #expect(try await Self.count(s, "SELECT COUNT(*) FROM creditmemos") == 1)
        }
    }

    /// One SKU sold on two lines of an order names neither: refused, saying
    /// to name one by order_item_id; by id, each line is reached.
    @Test func aSkuOnTwoLinesIsRefusedNotTakenAsTheFirst() async throws {
        try await LiveServer.with { s in
            // Two lines of one order with one SKU, nothing invoiced yet.
            let (orderId, itemIds, sku): (Int64, [Int64], String) = try await s.server.database.write { db in
                let row = try #require(
                    try Row.fetchOne(
                        db,
                        sql: """
                            SELECT o.entity_id, MIN(i.item_id), MAX(i.item_id), i.sku FROM orders o JOIN order_items i ON i.order_id = o.entity_id
                            WHERE NOT EXISTS (SELECT 1 FROM invoices v WHERE v.order_id = o.entity_id) AND o.state != 'canceled'
                            GROUP BY o.entity_id HAVING COUNT(*) >= 2 ORDER BY o.entity_id LIMIT 1
                            """))
                let ids: [Int64] = [row[1], row[2]]
                let sku: String = row[3]
                try db.execute(sql: "UPDATE order_items SET sku = ? WHERE item_id IN (?, ?)", arguments: [sku, ids[0], ids[1]])
                return (row[0], ids, sku)
            }
            let byName = try await s.post(
                "/api2/invoice/create", json: #"{"order_id": \#(orderId), "items": [{"sku": "\#(sku)", "qty": 1}]}"#)
            #expect(
                byName.status == 400 && byName.body.contains("names 2 items of this order: name one by order_item_id"), "\(byName.body)")
            #expect(try await Self.count(s, "SELECT COUNT(*) FROM invoices WHERE order_id = \(orderId)") == 0)
            let byId = try await s.post(
                "/api2/invoice/create",
                json:
                    #"{"order_id": \#(orderId), "items": [{"order_item_id": \#(itemIds[0]), "qty": 1}, {"order_item_id": \#(itemIds[1]), "qty": 1}]}"#
            )
            #expect(byId.status == 201, "\(byId.body)")
            let invoice = try #require(try byId.json["invoice"]?["increment_id"]?.string ?? byId.json["increment_id"]?.string)
            let (refund, _) = try await s.refund(#"{"invoice_increment_id": "\#(invoice)", "items": [{"sku": "\#(sku)", "qty": 1}]}"#)
            #expect(refund.status == 400 && refund.body.contains("names 2 items of invoice \(invoice)"), "\(refund.body)")
            let (one, _) = try await s.refund(
                #"{"invoice_increment_id": "\#(invoice)", "items": [{"order_item_id": \#(itemIds[1]), "qty": 1}]}"#)
            #expect(one.status == 201, "\(one.body)")
        }
    }

    /// A credit memo's comment goes into the order's history: the history's limit; a blank one is none.
    @Test func aCreditMemoCommentFitsTheHistory() async throws {
        try await LiveServer.with { s in
            let before = try await s.refundFootprint()
            let long = String(repeating: "x", count: OrderHistoryRequest.maximumComment + 1)
            let (tooLong, _) = try await s.refund(
                #"{"invoice_increment_id": "100000045", "items": [], "adjustment_positive": "0.01", "comment": "\#(long)"}"#)
            #expect(tooLong.status == 400 && tooLong.error == "comment is too long")
            #expect(try await s.refundFootprint() == before)
            let (blank, memo) = try await s.refund(
                #"{"invoice_increment_id": "100000045", "items": [], "adjustment_positive": "0.01", "comment": " \u200B\t"}"#)
            #expect(blank.status == 201)
            #expect(memo?["comments"]?.array?.isEmpty == true, "\(blank.body)")
        }
    }
}
