import Foundation
import GRDB
import Testing

@testable import FolioServer

/// `/api2/customers`: customers made from the store's orders, looked up by id
/// or address, or listed with the family's paging, over real HTTP.
@Suite struct CustomerTests {
    @Test func lookUpByIdOrAddressInAnyCase() async throws {
        try await LiveServer.with(orders: 150) { s in
            let zoe = try await s.get("/api2/customers?email=ZOE.Fassbender@example.com")
            #expect(zoe.status == 200, "\(zoe.body)")
            let customer = try #require(try zoe.json["customer"])
            #expect(customer["email"]?.string == "zoe.fassbender@example.com")
            #expect(customer["firstname"]?.string == "Zoë" && customer["lastname"]?.string == "Faßbender")
            let first = try await s.server.database.read { db in
                try String.fetchOne(
                    db, sql: "SELECT MIN(created_at) FROM orders WHERE lower(customer_email) = 'zoe.fassbender@example.com'")
            }
            #expect(customer["created_at"]?.string == first)
            guard case .object(let fields)? = try zoe.json["customer"] else {
                Issue.record("no object")
                return
            }
            #expect(fields.map(\.0) == ["id", "email", "firstname", "lastname", "created_at"])
            let id = try #require(customer["id"]?.int)
            let byId = try await s.get("/api2/customers?id=\(id)")
            #expect(try byId.status == 200 && byId.json["customer"] == customer)
            for typed in ["%20zoe.fassbender@example.com%09", "ZOE.FASSBENDER%40EXAMPLE.COM"] {
                #expect(try await s.get("/api2/customers?email=\(typed)").json["customer"] == customer, "\(typed)")
            }
            #expect(try await s.get("/api2/customers", json: #"{"email": "Zoe.Fassbender@Example.com"}"#).json["customer"] == customer)
            for query in ["email=nobody.at.all@example.com", "email=zoe.fassbender@example.co", "id=999999", "id=0", "id=-1"] {
                let reply = try await s.get("/api2/customers?\(query)")
                #expect(reply.status == 404 && reply.error == "Customer not found", "\(query): \(reply.body)")
                guard case .object(let fields)? = try? reply.json else { continue }
                #expect(fields.count == 1, "only the error: \(reply.body)")
            }
            for query in [
                "id=\(id)&email=zoe.fassbender@example.com", "id=abc", "id=1.5", "id=99999999999999999999", "email=",
                "email=%20", "email=a%00b", "email=" + String(repeating: "a", count: 501), "page=0", "sort=email",
                "created_from=yesterday",
            ] {
                let reply = try await s.get("/api2/customers?\(query)")
                #expect(reply.status == 400 && reply.error != nil, "\(query.prefix(40)): \(reply.status) \(reply.body)")
            }
            #expect(try await s.get("/api2/customers?id=\(id)&email=x@example.com").error == "Use either id or email")
            #expect(try await s.get("/api2/customers", token: nil).status == 401)
            #expect(try await s.get("/api2/customers", token: LiveServer.limitedToken).status == 200)
            #expect(try await s.get("/api2/customer").status == 404, "no singular alias")
            #expect(try await s.post("/api2/customers", json: "{}").status == 405)
        }
    }

    @Test func theListingPagesEveryCustomerOnce() async throws {
        try await LiveServer.with(orders: 150) { s in
            let total = try await s.server.database.read { db in try CustomerRow.fetchCount(db) }
            let plain = try await s.get("/api2/customers")
            #expect(try plain.status == 200 && plain.json["total"] == nil)
            let firstPage = try #require(try plain.json["customers"]?.array)
            #expect(firstPage.count == 20)
            let ids = firstPage.compactMap { $0["id"]?.int }
            #expect(ids == ids.sorted(by: >), "newest customers first, by default")
            for sort in ["id", "created_at"] {
                for direction in ["asc", "desc"] {
                    var seen: [Int] = []
                    var times: [String] = []
                    var page = 1
                    while true {
                        let reply = try await s.get(
                            "/api2/customers?limit=13&page=\(page)&include_pagination=1&sort=\(sort)&direction=\(direction)")
                        let json = try reply.json
                        #expect(json["total"]?.int == total && json["limit"]?.int == 13 && json["page"]?.int == page)
                        #expect(json["last_page"]?.int == (total + 12) / 13 && json["has_next"]?.bool == (page * 13 < total))
                        let rows = try #require(json["customers"]?.array)
                        seen += rows.compactMap { $0["id"]?.int }
                        times += rows.compactMap { $0["created_at"]?.string }
                        if rows.count < 13 { break }
                        page += 1
                    }
                    #expect(seen.count == total && Set(seen).count == total, "\(sort) \(direction): every customer once")
                    if sort == "created_at" {
                        #expect(direction == "asc" ? times == times.sorted() : times == times.sorted(by: >), "\(sort) \(direction)")
                    } else {
                        #expect(direction == "asc" ? seen == seen.sorted() : seen == seen.sorted(by: >), "\(sort) \(direction)")
                    }
                }
            }
            // The created range is the first order's time, whole days inclusive.
            let march = try await s.get("/api2/customers?created_from=2026-03-01&created_to=2026-03-31&limit=200")
            let inMarch = try await s.server.database.read { db in
                try CustomerRow.filter { $0.createdAt >= "2026-03-01" && $0.createdAt < "2026-04-01" }.fetchCount(db)
            }
            #expect(try march.json["customers"]?.array?.count == inMarch && inMarch > 0)
        }
    }
}
