import Foundation
import Testing

@testable import FolioServer

/// The family's listing rules on `GET /api2/invoice`, over real HTTP.
@Suite struct ListingTests {
    func ids(_ reply: LiveServer.Reply) throws -> [Int] {
        try #require(try reply.json["invoices"]?.array).compactMap { $0["entity_id"]?.int }
    }

    @Test func defaultsAreTwentyNewestFirstWithoutPagination() async throws {
        try await LiveServer.with { s in
            let reply = try await s.get("/api2/invoice")
            #expect(reply.status == 200)
            let list = try ids(reply)
            #expect(list.count == 20)
            #expect(list == list.sorted(by: >))
            #expect(try reply.json["total"] == nil)
        }
    }

    @Test func limitAliasesMaximumAndInvalidValues() async throws {
        try await LiveServer.with(orders: 300) { s in
            for alias in ["limit", "page_size", "per_page", "pageSize"] {
                #expect(try ids(await s.get("/api2/invoice?\(alias)=7")).count == 7, "\(alias)")
            }
            #expect(try ids(await s.get("/api2/invoice?limit=500")).count == 200)
            #expect(try ids(await s.get("/api2/invoice?limit=abc")).count == 20)
            #expect(try ids(await s.get("/api2/invoice?limit=0")).count == 20)
            #expect(try ids(await s.get("/api2/invoice?limit=-3")).count == 20)
            let bad = try await s.get("/api2/invoice?page=0")
            #expect(bad.status == 400)
        }
    }

    @Test func paginationMetadataAndPagesThatNeverRepeatOrSkip() async throws {
        try await LiveServer.with { s in
            let first = try await s.get("/api2/invoice?limit=25&include_pagination=1&sort=grand_total&direction=asc")
            let json = try first.json
            let total = try #require(json["total"]?.int)
            let lastPage = try #require(json["last_page"]?.int)
            #expect(lastPage == (total + 24) / 25)
            #expect(json["has_next"]?.bool == true)
            #expect(json["page"]?.int == 1 && json["limit"]?.int == 25)
            var seen: [Int] = []
            var totals: [Decimal] = []
            for page in 1...lastPage {
                let reply = try await s.get("/api2/invoice?limit=25&page=\(page)&sort=grand_total&direction=asc&include_pagination=1")
                let rows = try #require(try reply.json["invoices"]?.array)
                seen += rows.compactMap { $0["entity_id"]?.int }
                totals += rows.compactMap { $0["grand_total"]?.decimal }
                #expect(try reply.json["has_next"]?.bool == (page < lastPage))
            }
            #expect(seen.count == total)
            #expect(Set(seen).count == total, "a page repeated a row")
            #expect(totals == totals.sorted())
            let past = try await s.get("/api2/invoice?limit=25&page=\(lastPage + 1)")
            #expect(past.status == 200)
            #expect(try ids(past).isEmpty)
        }
    }

    @Test func sortByEveryAllowedColumnBothWays() async throws {
        try await LiveServer.with { s in
            for column in ["entity_id", "created_at", "updated_at", "increment_id", "grand_total"] {
                for direction in ["asc", "desc"] {
                    let rows = try #require(
                        try await s.get("/api2/invoice?sort=\(column)&direction=\(direction)&limit=50").json["invoices"]?.array)
                    func ordered<T: Comparable>(_ keys: [T]) -> Bool {
                        keys.count == rows.count && keys == (direction == "asc" ? keys.sorted() : keys.sorted(by: >))
                    }
                    let isOrdered =
                        switch column {
                        case "grand_total": ordered(rows.compactMap { $0[column]?.decimal })
                        case "entity_id": ordered(rows.compactMap { $0[column]?.int })
                        default: ordered(rows.compactMap { $0[column]?.string })
                        }
                    #expect(isOrdered, "\(column) \(direction)")
                }
            }
            #expect(try await s.get("/api2/invoice?sort=billing_name").status == 400)
            #expect(try await s.get("/api2/invoice?direction=up").status == 400)
            #expect(try await s.get("/api2/invoice?sort=grand_total&direction=DESC").status == 200)
        }
    }

    @Test func stateFilterSingleCommaListAndUnknown() async throws {
        try await LiveServer.with { s in
            for state in [1, 2, 3] {
                let rows = try #require(try await s.get("/api2/invoice?state=\(state)&limit=200").json["invoices"]?.array)
                #expect(!rows.isEmpty, "seed has invoices in state \(state)")
                #expect(rows.allSatisfy { $0["state"]?.int == state })
            }
            let both = try await s.get("/api2/invoice?state=1,3&limit=200&include_pagination=1").json
            #expect(both["invoices"]?.array?.allSatisfy { [1, 3].contains($0["state"]?.int) } == true)
            let open = try await s.get("/api2/invoice?state=1&include_pagination=1").json["total"]?.int
            let canceled = try await s.get("/api2/invoice?state=3&include_pagination=1").json["total"]?.int
            #expect(both["total"]?.int == (open ?? 0) + (canceled ?? 0))
            let counted = try await s.server.database.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM invoices WHERE state IN (1, 3)")
            }
            #expect(both["total"]?.int == counted)
            #expect(try await s.get("/api2/invoice?state=4").status == 400)
            #expect(try await s.get("/api2/invoice?state=open").status == 400)
        }
    }

    @Test func createdRangeIsStrictAndDateOnlyEndIncludesTheDay() async throws {
        try await LiveServer.with { s in
            let all = try #require(try await s.get("/api2/invoice?limit=200&sort=created_at&direction=asc").json["invoices"]?.array)
            let day = String(try #require(all[all.count / 2]["created_at"]?.string).prefix(10))
            let rows = try #require(
                try await s.get("/api2/invoice?created_from=\(day)&created_to=\(day)&limit=200").json["invoices"]?.array)
            #expect(!rows.isEmpty)
            #expect(rows.allSatisfy { $0["created_at"]?.string?.hasPrefix(day) == true })
            let expected = all.filter { $0["created_at"]?.string?.hasPrefix(day) == true }.count
            #expect(rows.count == expected)
            let timed = try await s.get("/api2/invoice?created_from=\(day)%2000:00:00&created_to=\(day)%2023:59:59&limit=200")
            #expect(try timed.json["invoices"]?.array?.count == expected)
            for bad in ["2026-13-01", "2026-02-30", "26-01-01", "2026-01-01T00:00:00", "2026/01/01", "yesterday", "2026-01-01%2025:00:00"] {
                let reply = try await s.get("/api2/invoice?created_from=\(bad)")
                #expect(reply.status == 400, "\(bad)")
                #expect(reply.error == "Invalid parameter: created_from")
            }
            let reversed = try await s.get("/api2/invoice?created_from=2026-02-01&created_to=2026-01-01")
            #expect(reversed.status == 400)
            #expect(reversed.error == "Invalid date range")
        }
    }

    @Test func filtersFromJSONBodyAndQueryStringWins() async throws {
        try await LiveServer.with { s in
            let body = #"{"limit": 3, "state": 2, "include_pagination": 1}"#
            let fromBody = try await s.get("/api2/invoice", json: body)
            #expect(try ids(fromBody).count == 3)
            #expect(try fromBody.json["invoices"]?.array?.allSatisfy { $0["state"]?.int == 2 } == true)
            #expect(try fromBody.json["total"] != nil)
            let overridden = try await s.get("/api2/invoice?limit=5&state=1", json: body)
            #expect(try ids(overridden).count == 5)
            #expect(try overridden.json["invoices"]?.array?.allSatisfy { $0["state"]?.int == 1 } == true)
            #expect(try await s.get("/api2/invoice", json: "{not json").status == 400)
            #expect(try await s.get("/api2/invoice", json: "[1,2]").status == 400)
        }
    }

    @Test func lookupByIdOrSingleIncrementAndListsAsFilters() async throws {
        try await LiveServer.with { s in
            let byId = try await s.get("/api2/invoice?id=456")
            #expect(byId.status == 200)
            let invoice = try #require(try byId.json["invoice"])
            #expect(invoice["increment_id"]?.string == "100000045")
            #expect(invoice["items"]?.array?.isEmpty == false)
            #expect(invoice["comments"]?.array != nil)
            let byIncrement = try await s.get("/api2/invoice?increment_id=100000045")
            #expect(try byIncrement.json["invoice"]?["entity_id"]?.int == 456)
            #expect(try await s.get("/api2/invoices?id=456").json["invoice"]?["entity_id"]?.int == 456)

            let rows = try #require(try await s.get("/api2/invoice?limit=3").json["invoices"]?.array)
            let incs = rows.compactMap { $0["increment_id"]?.string }
            let comma = try await s.get("/api2/invoice?increment_id=\(incs.joined(separator: ","))")
            #expect(Set(try comma.json["invoices"]?.array?.compactMap { $0["increment_id"]?.string } ?? []) == Set(incs))
            let repeated = try await s.get("/api2/invoice?" + incs.map { "increment_id[]=\($0)" }.joined(separator: "&"))
            #expect(try repeated.json["invoices"]?.array?.count == 3)
            let one = try await s.get("/api2/invoice?increment_id[]=\(incs[0])")
            #expect(try one.json["invoices"]?.array?.count == 1, "a one-element list is still a filter")
            let array = try await s.get("/api2/invoice", json: #"{"increment_id": ["\#(incs[0])", "\#(incs[1])"]}"#)
            #expect(try array.json["invoices"]?.array?.count == 2)

            for path in ["/api2/invoice?id=999999", "/api2/invoice?increment_id=999999999"] {
                let missing = try await s.get(path)
                #expect(missing.status == 404)
                #expect(missing.error == "Invoice not found")
            }
            #expect(try await s.get("/api2/invoice?id=abc").status == 400)
        }
    }

    @Test func orderFiltersAndTheListedShape() async throws {
        try await LiveServer.with { s in
            let byIncrement = try #require(try await s.get("/api2/invoice?order_increment_id=100000044").json["invoices"]?.array)
            #expect(byIncrement.map { $0["entity_id"]?.int } == [456])
            let byId = try #require(try await s.get("/api2/invoice?order_id=44").json["invoices"]?.array)
            #expect(byId.count == 1)
            let row = byId[0]
            for field in [
                "entity_id", "increment_id", "order_id", "order_increment_id", "state", "grand_total",
                "base_grand_total", "subtotal", "tax_amount", "shipping_amount", "discount_amount",
                "order_currency_code", "base_currency_code", "total_qty", "email_sent", "billing_name",
                "customer_email", "created_at", "updated_at",
            ] {
                #expect(row[field] != nil, "listed field \(field)")
            }
            #expect(row["grand_total"]?.string?.split(separator: ".").last?.count == 4, "Magento-style money text")
            #expect(try await s.get("/api2/invoice?order_increment_id=100000123").json["invoices"]?.array?.isEmpty == true)
            #expect(try await s.get("/api2/invoice?order_id=x").status == 400)
        }
    }

    /// `created_from=D 10:00:00&created_to=D` is the rest of day D: the range
    /// check reads a date-only end as its whole day, as the filter does.
    @Test func aDateOnlyEndCoversItsWholeDayInTheRangeCheckToo() async throws {
        try await LiveServer.with { s in
            let all = try #require(try await s.get("/api2/invoice?limit=200&sort=created_at&direction=asc").json["invoices"]?.array)
            let stamps = all.compactMap { $0["created_at"]?.string }
            // A day with an invoice after its first one: from that second one's time to the day itself.
            let (day, from) = try #require(
                stamps.indices.dropFirst().lazy.map { (String(stamps[$0].prefix(10)), stamps[$0]) }
                    .first { day, stamp in stamps.contains { $0.hasPrefix(day) && $0 < stamp } })
            let expected = stamps.filter { $0.hasPrefix(day) && $0 >= from }.count
            let query = "created_from=\(from.replacingOccurrences(of: " ", with: "%20"))&created_to=\(day)&limit=200"
            let reply = try await s.get("/api2/invoice?" + query)
            #expect(reply.status == 200, "\(reply.body.prefix(200))")
            let rows = try #require(try reply.json["invoices"]?.array)
            #expect(rows.count == expected && expected > 0)
            #expect(rows.allSatisfy { ($0["created_at"]?.string).map { $0.hasPrefix(day) && $0 >= from } == true })
            #expect(try await s.get("/api2/order?" + query).status == 200, "orders take the same range")
            #expect(try await s.get("/api2/invoice?created_from=2026-05-01%2023:59:59&created_to=2026-05-01").status == 200)
            let after = try await s.get("/api2/invoice?created_from=2026-05-02%2000:00:00&created_to=2026-05-01")
            #expect(after.status == 400)
            #expect(after.error == "Invalid date range")
            let timed = try await s.get("/api2/invoice?created_from=2026-05-01%2010:00:00&created_to=2026-05-01%2009:59:59")
            #expect(timed.error == "Invalid date range", "a timed end is that second")
        }
    }
}
