import Foundation
import GRDB
import Testing

@testable import FolioServer

/// `Idempotency-Key` on create and email (folio ext.), over real HTTP, checked
/// against the server's own tables.
@Suite struct IdempotencyTests {
    static let create = "/api2/invoice/create"
    static let email = "/api2/invoice/email"
    /// One unit of item 10 of the fixture order 123 (4 ordered, none invoiced).
    static let oneUnit = #"{"order_id": 123, "items": [{"order_item_id": 10, "qty": 1}], "comment": "ref 7f3a"}"#

    func invoices(_ s: LiveServer, order: Int64 = 123) async throws -> Int {
        try await s.server.database.read { db in try InvoiceRow.filter(Column("order_id") == order).fetchCount(db) }
    }

    func qtyInvoiced(_ s: LiveServer, item: Int64 = 10) async throws -> Int64? {
        try await s.server.database.read { db in try OrderItemRow.fetchOne(db, key: item)?.qtyInvoiced }
    }

    func outbox(_ s: LiveServer) async throws -> Int {
        try await s.server.database.read { db in try OutboxRow.fetchCount(db) }
    }

    func keys(_ s: LiveServer) async throws -> [IdempotencyKeyRow] {
        try await s.server.database.read { db in try IdempotencyKeyRow.fetchAll(db) }
    }

    func replayed(_ reply: LiveServer.Reply) -> Bool { reply.headers.first(name: "Idempotent-Replayed") == "true" }

    @Test func replayReturnsTheFirstAnswerAndWritesNothing() async throws {
        try await LiveServer.with(orders: 130) { s in
            let first = try await s.post(Self.create, key: "create-1", json: Self.oneUnit)
            #expect(first.status == 201)
            #expect(!replayed(first))
            let before = try await s.footprint()
            #expect(try await invoices(s) == 1)
            #expect(try await qtyInvoiced(s) == 1 * Quantity.scale)

            // The same JSON written again by another serialiser: key order, spacing, escapes.
            let again = try await s.post(
                Self.create, key: "create-1",
                json: """
                    {"comment":"ref 7f3a", "items":[ {"qty":1,"order_item_id":10} ],
                     "order_id":123}
                    """)
            #expect(again.status == 201)
            #expect(again.body == first.body, "the first answer, byte for byte")
            #expect(replayed(again))
            #expect(try await s.footprint() == before, "no second invoice, item line, comment or qty")
            #expect(try await invoices(s) == 1)
            #expect(try await qtyInvoiced(s) == 1 * Quantity.scale)

            // Without the header the same body is simply another request.
            let plain = try await s.post(Self.create, json: Self.oneUnit)
            #expect(plain.status == 201)
            #expect(!replayed(plain))
            #expect(try await invoices(s) == 2)
            #expect(try await keys(s).count == 1, "a request without a key records nothing")
        }
    }

    @Test func sameKeyWithAnotherRequestIs422AndWritesNothing() async throws {
        try await LiveServer.with(orders: 130) { s in
            #expect(try await s.post(Self.create, key: "create-2", json: Self.oneUnit).status == 201)
            let before = try await s.footprint()
            let others = [
                (Self.create, #"{"order_id": 123, "items": [{"order_item_id": 10, "qty": 2}], "comment": "ref 7f3a"}"#),
                (Self.create, #"{"order_id": 123, "items": [{"order_item_id": 10, "qty": 1.0}], "comment": "ref 7f3a"}"#),
                (Self.email, Self.oneUnit),
                (Self.create + "?order_id=124", Self.oneUnit),
            ]
            for (path, body) in others {
                let reply = try await s.post(path, key: "create-2", json: body)
                #expect(reply.status == 422, "\(path) \(body)")
                #expect(reply.error == "Idempotency key reused with a different request")
            }
            #expect(try await s.footprint() == before)
            #expect(try await qtyInvoiced(s) == 1 * Quantity.scale)
        }
    }

    @Test func theAliasPathIsTheSameRoute() async throws {
        try await LiveServer.with(orders: 130) { s in
            let first = try await s.post("/api2/invoice/create", key: "alias-1", json: Self.oneUnit)
            let alias = try await s.post("/api2/invoices/create", key: "alias-1", json: Self.oneUnit)
            #expect(first.status == 201)
            #expect(alias.status == 201)
            #expect(alias.body == first.body)
            #expect(replayed(alias))
            #expect(try await invoices(s) == 1)

            let sent = try await outbox(s)
            let resend = try await s.post("/api2/invoices/email", key: "alias-2", json: #"{"invoice_id": 456}"#)
            let again = try await s.post("/api2/invoice/email", key: "alias-2", json: #"{"invoice_id": 456}"#)
            #expect(resend.status == 200)
            #expect(again.body == resend.body)
            #expect(replayed(again))
            #expect(try await outbox(s) == sent + 1)
        }
    }

    @Test func keysAreScopedToTheirCaller() async throws {
        let (alice, bob) = ("token-alice", "token-bob")
        try await LiveServer.with(orders: 130, tokens: [alice, bob]) { s in
            let first = try await s.post(Self.create, key: "shared", token: alice, json: Self.oneUnit)
            #expect(first.status == 201)
            // Bob's "shared" is his own key: his request runs, and sees nothing of Alice's answer.
            let bobs = try await s.post(Self.create, key: "shared", token: bob, json: Self.oneUnit)
            #expect(bobs.status == 201)
            #expect(!replayed(bobs))
            #expect(try bobs.json["invoice"]?["entity_id"] != first.json["invoice"]?["entity_id"])
            // Nor does his other body with that key meet hers.
            let other = try await s.post(Self.create, key: "shared", token: bob, json: #"{"order_id": 999999}"#)
            #expect(other.status == 422, "against Bob's own first request, not Alice's")
            let hers = try await s.post(Self.create, key: "shared", token: alice, json: Self.oneUnit)
            #expect(hers.body == first.body)
            #expect(replayed(hers))
            #expect(try await invoices(s) == 2)
            #expect(Set(try await keys(s).map(\.principal)).count == 2)
        }
    }

    @Test func anOAuthClientKeepsItsKeysAcrossRenewedTokens() async throws {
        try await LiveServer.with(orders: 130) { s in
            func accessToken() async throws -> String {
                let reply = try await s.request(
                    .POST, "/api2/oauth/token", token: nil,
                    form: "grant_type=client_credentials&client_id=erp&client_secret=s3cret")
                return try #require(try reply.json["access_token"]?.string)
            }
            let (old, renewed) = (try await accessToken(), try await accessToken())
            #expect(old != renewed)
            let first = try await s.post(Self.create, key: "erp-1", token: old, json: Self.oneUnit)
            let retry = try await s.post(Self.create, key: "erp-1", token: renewed, json: Self.oneUnit)
            #expect(first.status == 201)
            #expect(retry.body == first.body)
            #expect(replayed(retry))
            #expect(try await invoices(s) == 1)
        }
    }

    @Test func concurrentRequestsWithOneKeyWriteOnce() async throws {
        try await LiveServer.with(orders: 130) { s in
            // Every unit of item 10: a second write would be refused as "Invalid item".
            let body = #"{"order_id": 123, "items": [{"order_item_id": 10, "qty": 4}]}"#
            let replies = try await withThrowingTaskGroup(of: LiveServer.Reply.self) { group in
                for _ in 0..<24 { group.addTask { try await s.post(Self.create, key: "race-1", json: body) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(try await invoices(s) == 1)
            #expect(try await qtyInvoiced(s) == 4 * Quantity.scale)
            let created = replies.filter { $0.status == 201 }
            #expect(created.filter { !replayed($0) }.count == 1, "one request did the work")
            #expect(Set(created.map(\.body)).count == 1, "every 201 is that request's answer")
            for reply in replies where reply.status != 201 {
                #expect(reply.status == 409, "\(reply.status) \(reply.body)")
                #expect(reply.error == "A request with this Idempotency-Key is in progress")
            }
            let after = try await s.post(Self.create, key: "race-1", json: body)
            #expect(after.status == 201)
            #expect(after.body == created.first?.body)
        }
    }

    @Test func aKeyLeftInFlightAnswers409AndNeverWrites() async throws {
        try await LiveServer.with(orders: 130) { s in
            try await s.keyInFlight("stuck-1", route: "invoice/create", json: Self.oneUnit)
            let before = try await s.footprint()
            let reply = try await s.post("/api2/invoices/create", key: "stuck-1", json: Self.oneUnit)
            #expect(reply.status == 409)
            #expect(reply.error == "A request with this Idempotency-Key is in progress")
            #expect(try await s.footprint() == before)
        }
    }

    /// Left in flight by an earlier run of the server (killed after the write
    /// committed, before it answered): not "in progress" — interrupted, and
    /// still never written again.
    @Test func aKeyLeftByAnEarlierRunIsInterruptedNotInProgress() async throws {
        try await LiveServer.with(orders: 130) { s in
            try await s.keyInFlight("cut-1", route: "invoice/create", json: Self.oneUnit, ofThisRun: false)
            let before = try await s.footprint()
            let reply = try await s.post("/api2/invoices/create", key: "cut-1", json: Self.oneUnit)
            #expect(reply.status == 409)
            #expect(reply.error == "The request with this Idempotency-Key was interrupted before it answered")
            #expect(try await s.footprint() == before)
        }
    }

    @Test func aFourHundredIsRecordedAndReplayed() async throws {
        try await LiveServer.with(orders: 130) { s in
            try await s.server.database.write { db in
                try db.execute(sql: "UPDATE orders SET can_invoice = 0 WHERE entity_id = 123")
            }
            let refused = try await s.post(Self.create, key: "refused-1", json: Self.oneUnit)
            #expect(refused.status == 400)
            #expect(refused.error == "Cannot create invoice")
            try await s.server.database.write { db in
                try db.execute(sql: "UPDATE orders SET can_invoice = 1 WHERE entity_id = 123")
            }
            // Run again, this request would now succeed; the key answers as it first did.
            let again = try await s.post(Self.create, key: "refused-1", json: Self.oneUnit)
            #expect(again.status == 400)
            #expect(again.body == refused.body)
            #expect(replayed(again))
            #expect(try await invoices(s) == 0)
            #expect(try await s.post(Self.create, key: "refused-2", json: Self.oneUnit).status == 201)
        }
    }

    @Test func serverErrorsAreNotRecordedSoARetryRunsAgain() async throws {
        try await LiveServer.with(orders: 130) { s in
            let online = #"{"order_id": 123, "capture": "online"}"#
            let refused = try await s.post(Self.create, key: "gateway-1", json: online)
            #expect(refused.status == 500)
            #expect(refused.error == "Payment gateway error")
            #expect(try await keys(s).isEmpty, "nothing saved, not even the key")
            let retried = try await s.post(Self.create, key: "gateway-1", json: online)
            #expect(retried.status == 500)
            #expect(!replayed(retried))

            _ = try await s.post("/sandbox/faults", json: #"{"lock_contention": true}"#)
            #expect(try await s.post(Self.create, key: "busy-1", json: Self.oneUnit).status == 503)
            _ = try await s.post("/sandbox/faults", json: #"{"lock_contention": false}"#)
            let ran = try await s.post(Self.create, key: "busy-1", json: Self.oneUnit)
            #expect(ran.status == 201, "the 503 was not kept: the retry did the work")
            #expect(!replayed(ran))
            #expect(try await invoices(s) == 1)

            _ = try await s.post("/sandbox/faults", json: #"{"smtp_failing": true}"#)
            #expect(try await s.post(Self.email, key: "smtp-1", json: #"{"invoice_id": 456}"#).status == 500)
            _ = try await s.post("/sandbox/faults", json: #"{"smtp_failing": false}"#)
            let sent = try await outbox(s)
            let resent = try await s.post(Self.email, key: "smtp-1", json: #"{"invoice_id": 456}"#)
            #expect(resent.status == 200)
            #expect(!replayed(resent))
            #expect(try await outbox(s) == sent + 1)
        }
    }

    @Test func aKeyOlderThanADayIsNotReplayed() async throws {
        try await LiveServer.with(orders: 130) { s in
            let first = try await s.post(Self.create, key: "old-1", json: Self.oneUnit)
            #expect(first.status == 201)
            func age(_ seconds: Int64) async throws {
                let then = Timestamp.string(unixSeconds: Int64(Date().timeIntervalSince1970) - seconds)
                try await s.server.database.write { db in
                    try db.execute(sql: "UPDATE idempotency_keys SET created_at = ?", arguments: [then])
                }
            }
            try await age(23 * 3600)
            let young = try await s.post(Self.create, key: "old-1", json: Self.oneUnit)
            #expect(replayed(young), "23 hours old: still replayed")
            #expect(young.body == first.body)

            try await age(24 * 3600 + 5)
            let late = try await s.post(Self.create, key: "old-1", json: Self.oneUnit)
            #expect(late.status == 201)
            #expect(!replayed(late), "24 hours old: the key is new again")
            #expect(late.body != first.body)
            #expect(try await invoices(s) == 2)
            let rows = try await keys(s)
            #expect(rows.count == 1, "the expired row was pruned and the key recorded afresh")
            #expect(rows.first?.createdAt ?? "" > Timestamp.string(unixSeconds: Int64(Date().timeIntervalSince1970) - 3600))
        }
    }

    @Test func emailReplaysDoNotSendAgain() async throws {
        try await LiveServer.with(orders: 130) { s in
            let sent = try await outbox(s)
            let first = try await s.post(Self.email, key: "mail-1", json: #"{"invoice_id": 456, "comment": "ref 9c1"}"#)
            let again = try await s.post(Self.email, key: "mail-1", json: #"{"comment": "ref 9c1", "invoice_id": 456}"#)
            #expect(first.status == 200)
            #expect(again.status == 200)
            #expect(again.body == first.body)
            #expect(replayed(again))
            #expect(try await outbox(s) == sent + 1)

            // Create with send_email: the recorded answer is the final one, email sent.
            let body = #"{"order_id": 123, "send_email": true, "comment": "ref 9c2"}"#
            let created = try await s.post(Self.create, key: "mail-2", json: body)
            #expect(try created.json["invoice"]?["email_sent"]?.int == 1)
            let replay = try await s.post(Self.create, key: "mail-2", json: body)
            #expect(replay.body == created.body)
            #expect(try await outbox(s) == sent + 2)
            let stored = try #require(try await keys(s).first { $0.idempotencyKey == "mail-2" })
            #expect(stored.answerBody.map { String(decoding: $0, as: UTF8.self) } == created.body)
        }
    }

    @Test func aLostAnswerIsRecoveredWithTheKey() async throws {
        try await LiveServer.with(orders: 130, faults: Faults(dropAfterCreate: true)) { s in
            await #expect(throws: (any Error).self) {
                _ = try await s.post(Self.create, key: "lost-1", json: Self.oneUnit)
            }
            _ = try await s.post("/sandbox/faults", json: #"{"drop_after_create": false}"#)
            let retry = try await s.post(Self.create, key: "lost-1", json: Self.oneUnit)
            #expect(retry.status == 201)
            #expect(replayed(retry), "the answer the network lost")
            #expect(try await invoices(s) == 1)
        }
    }

    @Test(arguments: ["", String(repeating: "k", count: 256), "clé", "tab\there"])
    func aMalformedKeyIs400NamingTheHeader(key: String) async throws {
        try await LiveServer.with(orders: 130) { s in
            let before = try await s.footprint()
            let reply = try await s.post(Self.create, key: key, json: Self.oneUnit)
            #expect(reply.status == 400)
            #expect(reply.error == "Invalid parameter: Idempotency-Key")
            #expect(try await s.footprint() == before)
            let longest = try await s.post(Self.create, key: String(repeating: "k", count: 255), json: Self.oneUnit)
            #expect(longest.status == 201)
        }
    }
}
