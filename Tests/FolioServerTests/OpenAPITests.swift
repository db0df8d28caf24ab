import Foundation
import GRDB
import Testing

@testable import FolioServer

/// `docs/openapi.json` describes what the server serves: every path, method and
/// status it lists is produced by a real request here, and every status this
/// test can produce is listed.
@Suite struct OpenAPITests {
    typealias Probe = @Sendable (LiveServer) async throws -> LiveServer.Reply

    static func document() throws -> JSON {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi.json")
        return try JSON.parse(Array(try Data(contentsOf: url)))
    }

    /// One request per (method, path, status) that must produce that status;
    /// more may follow a key's three words with a label of their own.
    static func probes() -> [String: Probe] {
        var p: [String: Probe] = [:]
        for base in ["/api2/invoice", "/api2/invoices"] {
            p["GET \(base) 200"] = { try await $0.get("\(base)?limit=2") }
            // The customer filters (Folio extensions): found, and refused when empty.
            p["GET \(base) 200 customer filters"] = {
                try await $0.get("\(base)?customer_email=ZOE.FASSBENDER@example.com&billing_name=zo%C3%AB%20fa&include_pagination=1")
            }
            p["GET \(base) 400 customer filters"] = { try await $0.get("\(base)?billing_name=%20") }
            p["GET \(base) 400"] = { try await $0.get("\(base)?state=9") }
            p["GET \(base) 401"] = { try await $0.get(base, token: "nope") }
            p["GET \(base) 404"] = { try await $0.get("\(base)?id=999999") }
            p["POST \(base)/create 201"] = {
                try await $0.post("\(base)/create", json: #"{"order_id": 123, "items": [{"sku": "PRODUCT-001", "qty": 1}]}"#)
            }
            p["POST \(base)/create 400"] = { try await $0.post("\(base)/create", json: #"{"order_id": 123, "items": [{"qty": 1}]}"#) }
            p["POST \(base)/create 401"] = { try await $0.post("\(base)/create", token: nil, json: #"{"order_id": 123}"#) }
            p["POST \(base)/create 404"] = { try await $0.post("\(base)/create", json: #"{"order_id": 999999}"#) }
            p["POST \(base)/create 409"] = { s in
                // A trigger stands in for the other writer that saved first.
                try await s.server.database.write { db in
                    try db.execute(sql: "CREATE TRIGGER other_writer BEFORE INSERT ON invoices BEGIN SELECT RAISE(ABORT, 'conflict'); END")
                }
                let reply = try await s.post("\(base)/create", json: #"{"order_id": 123}"#)
                try await s.server.database.write { db in try db.execute(sql: "DROP TRIGGER other_writer") }
                return reply
            }
            p["POST \(base)/create 422"] = { s in
                // The first request's answer (a 404) is recorded; the key then meets another body.
                _ = try await s.post("\(base)/create", key: "probe-422-\(base)", json: #"{"order_id": 999999}"#)
                return try await s.post("\(base)/create", key: "probe-422-\(base)", json: #"{"order_id": 999998}"#)
            }
            p["POST \(base)/create 500"] = { try await $0.post("\(base)/create", json: #"{"order_id": 123, "capture": "online"}"#) }
            p["POST \(base)/create 503"] = { s in
                _ = try await s.post("/sandbox/faults", json: #"{"lock_contention": true}"#)
                let reply = try await s.post("\(base)/create", json: #"{"order_id": 123}"#)
                _ = try await s.post("/sandbox/faults", json: #"{"lock_contention": false}"#)
                return reply
            }
            p["POST \(base)/email 200"] = { try await $0.post("\(base)/email", json: #"{"invoice_id": 456}"#) }
            p["POST \(base)/email 400"] = { try await $0.post("\(base)/email", json: #"{"id": 456, "invoice_id": 456}"#) }
            p["POST \(base)/email 401"] = { try await $0.post("\(base)/email", token: nil, json: #"{"id": 456}"#) }
            p["POST \(base)/email 404"] = { try await $0.post("\(base)/email", json: #"{"id": 999999}"#) }
            p["POST \(base)/email 409"] = { s in
                try await s.keyInFlight("probe-409-\(base)", route: "invoice/email", json: #"{"id": 456}"#)
                return try await s.post("\(base)/email", key: "probe-409-\(base)", json: #"{"id": 456}"#)
            }
            p["POST \(base)/email 422"] = { s in
                _ = try await s.post("\(base)/email", key: "probe-422-\(base)", json: #"{"id": 999999}"#)
                return try await s.post("\(base)/email", key: "probe-422-\(base)", json: #"{"id": 999998}"#)
            }
            p["POST \(base)/email 500"] = { s in
                _ = try await s.post("/sandbox/faults", json: #"{"smtp_failing": true}"#)
                let reply = try await s.post("\(base)/email", json: #"{"id": 456}"#)
                _ = try await s.post("/sandbox/faults", json: #"{"smtp_failing": false}"#)
                return reply
            }
            p["POST \(base)/email 503"] = { s in
                _ = try await s.post("/sandbox/faults", json: #"{"lock_contention": true}"#)
                let reply = try await s.post("\(base)/email", json: #"{"id": 456}"#)
                _ = try await s.post("/sandbox/faults", json: #"{"lock_contention": false}"#)
                return reply
            }
        }
        for base in ["/api2/creditmemo", "/api2/creditmemo/create"] {
            // A cent of credit on the fixture invoice: as many times as the probes like.
            let cent = #"{"invoice_id": 456, "items": [], "adjustment_positive": "0.01"}"#
            p["POST \(base) 201"] = { try await $0.post(base, json: cent) }
            p["POST \(base) 400"] = { try await $0.post(base, json: #"{"invoice_id": 456, "order_id": 44}"#) }
            p["POST \(base) 401"] = { try await $0.post(base, token: nil, json: cent) }
            p["POST \(base) 404"] = { try await $0.post(base, json: #"{"invoice_id": 999999}"#) }
            p["POST \(base) 409"] = { s in
                try await s.keyInFlight("probe-409-\(base)", route: "creditmemo", json: cent)
                return try await s.post(base, key: "probe-409-\(base)", json: cent)
            }
            p["POST \(base) 422"] = { s in
                _ = try await s.post(base, key: "probe-422-\(base)", json: #"{"invoice_id": 999999}"#)
                return try await s.post(base, key: "probe-422-\(base)", json: #"{"invoice_id": 999998}"#)
            }
            p["POST \(base) 500"] = { s in
                // Online, for an invoice that was not captured online.
                let id = try await s.server.database.read { db in
                    try Int64.fetchOne(db, sql: "SELECT entity_id FROM invoices WHERE state = 2 AND capture_mode <> 'online' LIMIT 1")
                }
                return try await s.post(base, json: #"{"invoice_id": \#(id ?? 0), "refund_type": "online"}"#)
            }
            p["POST \(base) 503"] = { s in
                _ = try await s.post("/sandbox/faults", json: #"{"lock_contention": true}"#)
                let reply = try await s.post(base, json: cent)
                _ = try await s.post("/sandbox/faults", json: #"{"lock_contention": false}"#)
                return reply
            }
        }
        p["GET /api2/creditmemo 200"] = { s in
            let made = try await s.post("/api2/creditmemo", json: #"{"invoice_id": 456, "items": [], "adjustment_positive": "0.01"}"#)
            let number = try made.json["creditmemo"]?["increment_id"]?.string ?? ""
            return try await s.get("/api2/creditmemo?increment_id=\(number)")
        }
        p["GET /api2/creditmemo 400"] = { try await $0.get("/api2/creditmemo") }
        p["GET /api2/creditmemo 401"] = { try await $0.get("/api2/creditmemo?id=1", token: nil) }
        p["GET /api2/creditmemo 404"] = { try await $0.get("/api2/creditmemo?id=999999") }
        for base in ["/api2/order", "/api2/orders"] {
            p["GET \(base) 200"] = { try await $0.get("\(base)?can_invoice=1") }
            p["GET \(base) 400"] = { try await $0.get("\(base)?sort=nope") }
            p["GET \(base) 401"] = { try await $0.get(base, token: nil) }
            p["GET \(base) 404"] = { try await $0.get("\(base)?id=999999") }
        }
        p["GET /api2/customers 200"] = { try await $0.get("/api2/customers?email=Zoe.Fassbender@example.com") }
        p["GET /api2/customers 200 listing"] = { try await $0.get("/api2/customers?limit=3&include_pagination=1&sort=created_at") }
        p["GET /api2/customers 400"] = { try await $0.get("/api2/customers?id=1&email=zoe.fassbender@example.com") }
        p["GET /api2/customers 401"] = { try await $0.get("/api2/customers", token: nil) }
        p["GET /api2/customers 404"] = { try await $0.get("/api2/customers?email=nobody.at.all@example.com") }
        p["GET /api2/history 200"] = { try await $0.get("/api2/history?order_id=44") }
        p["GET /api2/history 400"] = { try await $0.get("/api2/history") }
        p["GET /api2/history 401"] = { try await $0.get("/api2/history?order_id=44", token: nil) }
        p["GET /api2/history 404"] = { try await $0.get("/api2/history?order_id=999999") }
        p["POST /api2/history 201"] = { try await $0.post("/api2/history", json: #"{"order_id": 123, "comment": "probe"}"#) }
        p["POST /api2/history 400"] = { try await $0.post("/api2/history", json: #"{"order_id": 123, "comment": ""}"#) }
        p["POST /api2/history 401"] = { try await $0.post("/api2/history", token: nil, json: #"{"order_id": 123, "comment": "x"}"#) }
        p["POST /api2/history 404"] = { try await $0.post("/api2/history", json: #"{"order_id": 999999, "comment": "x"}"#) }
        p["POST /api2/history 409"] = { s in
            try await s.keyInFlight("probe-409-history", route: "history", json: #"{"order_id": 123, "comment": "x"}"#)
            return try await s.post("/api2/history", key: "probe-409-history", json: #"{"order_id": 123, "comment": "x"}"#)
        }
        p["POST /api2/history 422"] = { s in
            _ = try await s.post("/api2/history", key: "probe-422-history", json: #"{"order_id": 999999, "comment": "x"}"#)
            return try await s.post("/api2/history", key: "probe-422-history", json: #"{"order_id": 999998, "comment": "x"}"#)
        }
        p["GET /api/admin/invoices/{id} 200"] = { try await $0.get("/api/admin/invoices/456") }
        p["GET /api/admin/invoices/{id} 401"] = { try await $0.get("/api/admin/invoices/456", token: nil) }
        p["GET /api/admin/invoices/{id} 403"] = { try await $0.get("/api/admin/invoices/456", token: LiveServer.limitedToken) }
        p["GET /api/admin/invoices/{id} 404"] = { try await $0.get("/api/admin/invoices/999999") }
        p["POST /api2/oauth/token 200"] = {
            try await $0.request(
                .POST, "/api2/oauth/token", token: nil, form: "grant_type=client_credentials&client_id=erp&client_secret=s3cret")
        }
        p["POST /api2/oauth/token 400"] = { try await $0.request(.POST, "/api2/oauth/token", token: nil, form: "grant_type=password") }
        p["POST /api2/oauth/token 401"] = {
            try await $0.request(
                .POST, "/api2/oauth/token", token: nil, form: "grant_type=client_credentials&client_id=erp&client_secret=x")
        }
        p["GET /api2/oauth/health 200"] = { try await $0.get("/api2/oauth/health", token: nil) }
        p["GET /sandbox/outbox 200"] = { try await $0.get("/sandbox/outbox") }
        p["GET /sandbox/outbox 400"] = { try await $0.get("/sandbox/outbox?invoice_id=twelve") }
        p["GET /sandbox/outbox 401"] = { try await $0.get("/sandbox/outbox", token: nil) }
        p["GET /sandbox/outbox 403"] = { try await $0.get("/sandbox/outbox", token: LiveServer.limitedToken) }
        p["GET /sandbox/faults 200"] = { try await $0.get("/sandbox/faults") }
        p["GET /sandbox/faults 401"] = { try await $0.get("/sandbox/faults", token: nil) }
        p["GET /sandbox/faults 403"] = { try await $0.get("/sandbox/faults", token: LiveServer.limitedToken) }
        p["POST /sandbox/faults 200"] = { try await $0.post("/sandbox/faults", json: #"{"latency_ms": 0}"#) }
        p["POST /sandbox/faults 400"] = { try await $0.post("/sandbox/faults", json: #"{"latency_ms": "slow"}"#) }
        p["POST /sandbox/faults 401"] = { try await $0.post("/sandbox/faults", token: nil, json: "{}") }
        p["POST /sandbox/faults 403"] = { try await $0.post("/sandbox/faults", token: LiveServer.limitedToken, json: "{}") }
        return p
    }

    static func documented() throws -> [String] {
        guard case .object(let paths)? = try document()["paths"] else { return [] }
        return paths.flatMap { path, item -> [String] in
            guard case .object(let methods) = item else { return [] }
            return methods.flatMap { method, operation -> [String] in
                guard case .object(let responses)? = operation["responses"] else { return [] }
                return responses.map { "\(method.uppercased()) \(path) \($0.0)" }
            }
        }
    }

    /// "GET /path 200", without a probe's label.
    static func documentedKey(_ probe: String) -> String { probe.split(separator: " ").prefix(3).joined(separator: " ") }

    /// The listing's customer filters and the customers route are documented
    /// as what they are: Folio extensions, with the limits the server applies.
    @Test func theCustomerFiltersAreDocumentedAsExtensions() throws {
        let doc = try Self.document()
        for path in ["/api2/invoice", "/api2/invoices"] {
            let parameters = try #require(doc["paths"]?[path]?["get"]?["parameters"]?.array)
            for name in ["customer_email", "billing_name"] {
                let parameter = try #require(parameters.first { $0["name"]?.string == name }, "\(path) \(name)")
                #expect(parameter["x-folio-extension"]?.bool == true, "\(path) \(name)")
                #expect(parameter["schema"]?["maxLength"]?.int == SearchText.maximumLength)
                #expect(parameter["description"]?.string?.contains("Folio extension") == true)
            }
        }
        let customers = try #require(doc["paths"]?["/api2/customers"]?["get"])
        #expect(customers["x-folio-extension"] == nil, "the route is the vendor's")
        let names = Set(try #require(customers["parameters"]?.array).compactMap { $0["name"]?.string })
        #expect(names.isSuperset(of: ["id", "email", "page", "limit", "include_pagination", "sort", "direction"]))
    }

    @Test func theDocumentIsOpenAPI31() throws {
        let doc = try Self.document()
        #expect(doc["openapi"]?.string == "3.1.0")
        #expect(try Self.documented().count > 40)
    }

    @Test func everyDocumentedStatusHasAProbeAndEveryProbeIsDocumented() throws {
        let documented = Set(try Self.documented())
        let probed = Set(Self.probes().keys.map(Self.documentedKey))
        #expect(documented.subtracting(probed).sorted() == [], "documented but not checked")
        #expect(probed.subtracting(documented).sorted() == [], "served but not documented")
    }

    @Test func everyDocumentedPathMethodAndStatusIsServed() async throws {
        try await LiveServer.with(orders: 130) { s in
            for (key, probe) in Self.probes().sorted(by: { $0.key < $1.key }) {
                let expected = Int(Self.documentedKey(key).split(separator: " ").last!)!
                let reply = try await probe(s)
                #expect(reply.status == expected, "\(key): got \(reply.status) \(reply.body.prefix(200))")
                if expected >= 400 { #expect(reply.error != nil, "\(key): error body is {\"error\": …}") }
            }
        }
    }
}
