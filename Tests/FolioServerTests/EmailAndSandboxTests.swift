import GRDB
import Testing

@testable import FolioServer

/// `POST /api2/invoice/email`, the outbox, and the fault switches, over real HTTP.
@Suite struct EmailAndSandboxTests {
    func outboxCount(_ s: LiveServer, _ id: Int) async throws -> Int {
        try #require(try await s.get("/sandbox/outbox?invoice_id=\(id)").json["emails"]?.array).count
    }

    @Test func resendByEveryIdentifierRecordsOneEmailEach() async throws {
        try await LiveServer.with { s in
            let start = try await outboxCount(s, 456)
            for body in [
                #"{"invoice_id": 456, "comment": "Resend requested by integration."}"#,
                #"{"id": 456}"#, #"{"increment_id": "100000045"}"#,
            ] {
                let reply = try await s.post("/api2/invoice/email", json: body)
                #expect(reply.status == 200, "\(body)")
                #expect(try reply.json == .object([("success", .bool(true)), ("invoice_id", .int(456)), ("email_sent", .int(1))]))
            }
            #expect(try await outboxCount(s, 456) == start + 3)
            let emails = try #require(try await s.get("/sandbox/outbox?invoice_id=456").json["emails"]?.array)
            let mine = try #require(emails.indices.contains(start) ? emails[start] : nil, "the resend is not in the outbox")
            #expect(mine["comment"]?.string == "Resend requested by integration.")
            #expect(mine["increment_id"]?.string == "100000045")
            #expect(mine["recipient"]?.string?.contains("@") == true)
            #expect(mine["sent_at"]?.string?.count == 19)
            let comments = try await s.get("/api2/invoice?id=456").json["invoice"]?["comments"]?.array
            #expect(comments?.contains { $0["comment"]?.string == "Resend requested by integration." } == true)
        }
    }

    /// A resend changes the email flag and the time, nothing else: the count
    /// triggers on state and created time do not fire for it.
    @Test func aResendTouchesNoCountedColumn() async throws {
        try await LiveServer.with { s in
            try await s.server.database.write { db in
                try db.execute(
                    sql: """
                        CREATE TABLE fired (n INTEGER);
                        CREATE TRIGGER fired_on_counted AFTER UPDATE OF state, created_at, billing_name_id ON invoices
                        BEGIN INSERT INTO fired VALUES (1); END;
                        """)
            }
            #expect(try await s.post("/api2/invoice/email", json: #"{"invoice_id": 456}"#).status == 200)
            let fired = try await s.server.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fired") }
            let sent = try await s.server.database.read { db in
                try Int.fetchOne(db, sql: "SELECT email_sent FROM invoices WHERE entity_id = 456")
            }
            #expect(fired == 0 && sent == 1)
        }
    }

    @Test func refusalsOfResend() async throws {
        try await LiveServer.with { s in
            let start = try await outboxCount(s, 456)
            let two = try await s.post("/api2/invoice/email", json: #"{"invoice_id": 456, "increment_id": "100000045"}"#)
            #expect(two.status == 400)
            let none = try await s.post("/api2/invoice/email", json: #"{"comment": "x"}"#)
            #expect(none.status == 400)
            for body in [#"{"invoice_id": 999999}"#, #"{"increment_id": "999999999"}"#] {
                let missing = try await s.post("/api2/invoice/email", json: body)
                #expect(missing.status == 404)
                #expect(missing.error == "Invoice not found")
            }
            #expect(try await outboxCount(s, 456) == start)
        }
    }

    @Test func smtpFaultFlippedAtRunTimeFailsTheResendAndChangesNothing() async throws {
        try await LiveServer.with { s in
            let flipped = try await s.post("/sandbox/faults", json: #"{"smtp_failing": true}"#)
            #expect(try flipped.json["smtp_failing"]?.bool == true)
            #expect(try await s.get("/sandbox/faults").json["smtp_failing"]?.bool == true)
            let open = try #require(
                try await s.get("/api2/invoice?state=1&limit=200").json["invoices"]?.array?
                    .first { $0["email_sent"]?.int == 0 })
            let id = try #require(open["entity_id"]?.int)
            let before = try await s.get("/api2/invoice?id=\(id)").body
            let reply = try await s.post("/api2/invoice/email", json: #"{"invoice_id": \#(id)}"#)
            #expect(reply.status == 500)
            #expect(reply.error == "Email could not be sent")
            #expect(try await s.get("/api2/invoice?id=\(id)").body == before, "the invoice is unchanged")
            #expect(try await outboxCount(s, id) == 0)
            _ = try await s.post("/sandbox/faults", json: #"{"smtp_failing": false}"#)
            #expect(try await s.post("/api2/invoice/email", json: #"{"invoice_id": \#(id)}"#).status == 200)
            #expect(try await outboxCount(s, id) == 1)
            #expect(try await s.get("/api2/invoice?id=\(id)").json["invoice"]?["email_sent"]?.int == 1)
        }
    }

    @Test func sandboxNeedsATokenAndValidatesSwitches() async throws {
        try await LiveServer.with { s in
            #expect(try await s.get("/sandbox/outbox", token: nil).status == 401)
            #expect(try await s.post("/sandbox/faults", token: nil, json: "{}").status == 401)
            #expect(try await s.post("/sandbox/faults", json: #"{"latency_ms": -5}"#).status == 400)
            #expect(try await s.post("/sandbox/faults", json: #"{"smtp_failing": "maybe"}"#).status == 400)
            let all = try await s.post("/sandbox/faults", json: #"{"latency_ms": 5, "drop_after_create": true, "lock_contention": true}"#)
            #expect(
                try all.json
                    == .object([
                        ("smtp_failing", .bool(false)), ("latency_ms", .int(5)),
                        ("drop_after_create", .bool(true)), ("drop_before_create", .bool(false)),
                        ("lock_contention", .bool(true)),
                        ("fail_next", .int(0)),
                    ]))
            #expect(try await s.post("/api2/invoice/email", json: #"{"invoice_id": 456}"#).status == 503)
        }
    }

    @Test func failNextAnswers503ThatManyTimesThenRecovers() async throws {
        try await LiveServer.with { s in
            _ = try await s.post("/sandbox/faults", json: #"{"fail_next": 2}"#)
            #expect(try await s.get("/api2/invoice?limit=1").status == 503)
            #expect(try await s.get("/sandbox/faults").json["fail_next"]?.int == 1, "sandbox calls do not count")
            #expect(try await s.get("/api2/order?id=123").status == 503)
            #expect(try await s.get("/api2/invoice?limit=1").status == 200)
            #expect(try await s.post("/sandbox/faults", json: #"{"fail_next": 5000}"#).status == 400)
        }
    }
}
