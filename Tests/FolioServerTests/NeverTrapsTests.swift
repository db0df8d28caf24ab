import Foundation
import Testing

@testable import FolioServer

/// No number in a request or an option can make the server trap: each is
/// bounded and checked, out of range is a 400 naming the field, and the server
/// keeps answering.
@Suite struct NeverTrapsTests {
    @Test func aHugePageIs400NamingPageAndTheServerKeepsAnswering() async throws {
        try await LiveServer.with { s in
            let pages = ["9223372036854775807", "2147483648", "99999999999999999999999", "0", "-1", "1.5", "x"]
            for token in [LiveServer.token, LiveServer.limitedToken] {
                for page in pages {
                    for path in [
                        "/api2/invoice?page=\(page)", "/api2/invoices?page=\(page)&limit=200&include_pagination=1",
                        "/api2/invoice?page=\(page)&created_from=2025-01-01&sort=increment_id&direction=asc",
                        "/api2/order?page=\(page)&can_invoice=1",
                    ] {
                        let reply = try await s.get(path, token: token)
                        #expect(reply.status == 400, "\(path)")
                        #expect(reply.error == "Invalid parameter: page", "\(path)")
                    }
                }
                let fromBody = try await s.get("/api2/invoice", token: token, json: #"{"page": 9223372036854775807}"#)
                #expect(fromBody.error == "Invalid parameter: page")
                #expect(try await s.get("/api2/invoice?limit=1", token: token).status == 200, "still answering")
            }
        }
    }

    @Test(arguments: [
        "", "&sort=created_at", "&sort=updated_at&created_from=2025-01-01", "&sort=grand_total&state=2",
        "&sort=increment_id&direction=desc&created_from=2025-03-01", "&state=1,2&sort=entity_id&direction=asc",
        "&created_from=2025-01-01&created_to=2026-12-31&sort=updated_at&direction=asc",
    ])
    func theHighestPageIsAnEmptyPageWithEveryPlan(query: String) async throws {
        try await LiveServer.with(orders: 60) { s in
            let reply = try await s.get("/api2/invoice?page=2147483647&limit=200&include_pagination=1" + query)
            #expect(reply.status == 200, "\(reply.body.prefix(200))")
            #expect(try reply.json["invoices"]?.array?.isEmpty == true)
            #expect(try reply.json["has_next"]?.bool == false)
            #expect(try await s.get("/api2/order?page=2147483647&limit=200").json["orders"]?.array?.isEmpty == true)
        }
    }

    @Test func planEstimatesSaturateInsteadOfOverflowing() throws {
        let deepest = ["page": ["2147483647"], "limit": ["200"]]
        let plain = try InvoiceListQuery(RequestInput(query: deepest))
        #expect(plain.plan(matches: 1, tableSize: .max, beyond: 0) == .chosenBySQLite)
        var ranged = deepest
        ranged["created_from"] = ["2025-01-01"]
        ranged["sort"] = ["increment_id"]
        let walk = try InvoiceListQuery(RequestInput(query: ranged))
        #expect(!walk.seeksToRange, "a descending walk with no end date passes what lies beyond the range")
        #expect(walk.plan(matches: 10, tableSize: .max / 2, beyond: .max) == .rangeThenSort)
        #expect(InvoiceListQuery.saturating(.max, plus: 1) == .max)
        #expect(InvoiceListQuery.saturating(3, times: 4) == 12)
    }

    @Test func idsAndQuantitiesOutOfRangeAre400NamingTheField() async throws {
        try await LiveServer.with { s in
            let huge = "99999999999999999999"
            for (path, field) in [
                ("/api2/invoice?id=\(huge)", "id"), ("/api2/invoice?order_id=\(huge)", "order_id"),
                ("/api2/order?id=\(huge)", "id"), ("/sandbox/outbox?invoice_id=\(huge)", "invoice_id"),
            ] {
                let reply = try await s.get(path)
                #expect(reply.status == 400, "\(path)")
                #expect(reply.error == "Invalid parameter: \(field)", "\(path)")
            }
            let before = try await s.footprint()
            let creates: [(String, String)] = [
                (#"{"order_id": \#(huge)}"#, "Invalid parameter: order_id"),
                (#"{"order_id": 123, "items": [{"order_item_id": \#(huge), "qty": 1}]}"#, "Invalid item"),
                (#"{"order_id": 123, "items": [{"order_item_id": 12, "qty": "9999999999999"}]}"#, "Invalid item"),
                (#"{"order_id": 123, "items": [{"order_item_id": 12, "qty": 1e400}]}"#, "Invalid item"),
                (#"{"order_id": 123, "items": [{"order_item_id": 12, "qty": 999999999999}]}"#, "Invalid item"),
                (#"{"order_id": 123, "items": [{"order_item_id": 12, "qty": "0.00001"}]}"#, "Invalid item"),
            ]
            for (body, error) in creates {
                let reply = try await s.post("/api2/invoice/create", json: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.error == error, "\(body)")
            }
            #expect(try await s.post("/api2/invoice/email", json: #"{"invoice_id": \#(huge)}"#).error == "Invalid parameter: invoice_id")
            for body in [#"{"latency_ms": \#(huge)}"#, #"{"fail_next": \#(huge)}"#, #"{"latency_ms": 60001}"#] {
                #expect(try await s.post("/sandbox/faults", json: body).status == 400, "\(body)")
            }
            let many = (0...RequestInput.maximumListCount).map { "\"\(100_000_000 + $0)\"" }.joined(separator: ",")
            for name in ["increment_id", "order_increment_id"] {
                let reply = try await s.get("/api2/invoice", json: #"{"\#(name)": [\#(many)]}"#)
                #expect(reply.status == 400, "\(name): \(reply.body.prefix(100))")
                #expect(reply.error == "Invalid parameter: \(name)")
            }
            #expect(try await s.get("/api2/order", json: #"{"status": [\#(many)]}"#).error == "Invalid parameter: status")
            #expect(try await s.footprint() == before, "nothing written")
            #expect(try await s.get("/api2/order?id=123").status == 200, "still answering")
        }
    }

    @Test func anAccessTokenLifetimeBeyondAYearIsHeldToAYear() async throws {
        try await LiveServer.with(accessTokenLifetime: .max) { s in
            let issued = try await s.request(
                .POST, "/api2/oauth/token", token: nil,
                form: "grant_type=client_credentials&client_id=erp&client_secret=s3cret")
            #expect(issued.status == 200)
            #expect(try issued.json["expires_in"]?.int == Int(ServerOptions.maximumAccessTokenLifetime))
            let access = try #require(try issued.json["access_token"]?.string)
            #expect(try await s.get("/api2/invoice?limit=1", token: access).status == 200)
        }
    }

    @Test func aSeedBeyondTheBoundIsRefusedBeforeAnythingStarts() async throws {
        for orders in [ServerOptions.maximumSeedOrders + 1, -1, .max] {
            var options = ServerOptions()
            options.port = 0
            options.seedOrders = orders
            let refused = options
            await #expect(throws: ServerStartError.self, "\(orders)") { _ = try await ReferenceServer.start(options: refused) }
        }
    }
}
