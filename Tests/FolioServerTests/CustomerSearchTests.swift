import Foundation
import GRDB
import Testing

@testable import FolioServer

/// What the customer filters of `GET /api2/invoice` find (a Folio
/// extension): every filter, sort and page against a brute-force reading of
/// the whole store, folded by `SearchText` itself; hostile text; refusals.
@Suite struct CustomerSearchTests {
    struct Invoice {
        let id: Int
        let name: String
        let email: String
    }

    /// Every invoice of the store, as brute force reads it.
    func invoices(_ s: LiveServer) async throws -> [Invoice] {
        try await s.server.database.read { db in
            try Row.fetchAll(db, sql: "SELECT entity_id, billing_name, customer_email FROM invoices").map {
                Invoice(id: $0[0], name: $0[1], email: $0[2])
            }
        }
    }

    /// Every page of a listing at `limit` 50, checking the pagination fields of each.
    func allPages(_ s: LiveServer, _ query: String) async throws -> (ids: [Int], total: Int) {
        var ids: [Int] = []
        var page = 1
        var total = -1
        while true {
            let reply = try await s.get("/api2/invoice?\(query)&limit=50&page=\(page)&include_pagination=1")
            #expect(reply.status == 200, "\(query): \(reply.body.prefix(300))")
            let json = try reply.json
            let rows = try #require(json["invoices"]?.array)
            total = try #require(json["total"]?.int)
            #expect(json["last_page"]?.int == max(1, (total + 49) / 50) && json["has_next"]?.bool == (page * 50 < total))
            ids += rows.compactMap { $0["entity_id"]?.int }
            if rows.count < 50 { break }
            page += 1
        }
        return (ids, total)
    }

    /// `name=value`, every byte but ASCII letters and digits percent-encoded.
    func query(_ name: String, _ value: String) -> String {
        "\(name)="
            + value.utf8.map { byte in
                let c = Character(Unicode.Scalar(byte))
                return byte < 0x80 && (c.isLetter || c.isNumber) ? String(c) : String(format: "%%%02X", byte)
            }.joined()
    }

    /// A new order like order 123 (nothing invoiced, no addresses) placed by
    /// `name` at `email`, invoiced through the API: its invoice's id.
    func invoice(_ s: LiveServer, name: String, email: String) async throws -> Int {
        let orderId = try await s.server.database.write { db -> Int64 in
            var order = try #require(try OrderRow.fetchOne(db, key: 123))
            let items = try OrderItemRow.filter { $0.orderId == 123 }.fetchAll(db)
            let id = (try Int64.fetchOne(db, sql: "SELECT MAX(entity_id) FROM orders") ?? 0) + 1
            let firstItem = (try Int64.fetchOne(db, sql: "SELECT MAX(item_id) FROM order_items") ?? 0) + 1
            order.entityId = id
            order.incrementId = "T\(id)"
            order.customerName = name
            order.customerEmail = email
            try order.insert(db)
            for (n, var item) in items.enumerated() {
                item.itemId = firstItem + Int64(n)
                item.orderId = id
                try item.insert(db)
            }
            return id
        }
        let created = try await s.post("/api2/invoice/create", json: #"{"order_id": \#(orderId)}"#)
        #expect(created.status == 201, "\(created.body)")
        return try #require(try created.json["invoice"]?["entity_id"]?.int)
    }

    @Test func anEmailFindsItsCustomersInvoicesInAnyCase() async throws {
        try await LiveServer.with(orders: 600) { s in
            let all = try await invoices(s)
            let byEmail = Dictionary(grouping: all) { SearchText.emailKey($0.email) }
            // A customer with several invoices, some of them typed in other capitals.
            let (key, theirs) = try #require(byEmail.max { ($0.value.count, $1.key) < ($1.value.count, $0.key) })
            #expect(theirs.count >= 3, "a seeded customer has several invoices")
            for typed in [key, key.uppercased(), "  \(key.capitalized)\t"] {
                let (ids, total) = try await allPages(s, query("customer_email", typed))
                #expect(Set(ids) == Set(theirs.map(\.id)) && ids.count == total && total == theirs.count, "\(typed)")
            }
            #expect(try await allPages(s, query("customer_email", "nobody@example.com")).total == 0)
            #expect(try await allPages(s, query("customer_email", String(key.dropLast()))).total == 0, "exact, not a prefix")
            #expect(byEmail.values.contains { Set($0.map(\.email)).count > 1 }, "the seed types some addresses in other capitals")
        }
    }

    @Test func nonASCIIAddressesAreCaseless() async throws {
        try await LiveServer.with(orders: 40) { s in
            let id = try await invoice(s, name: "Élodie Dürr", email: "ÉLODIE.DÜRR@Exemple.fr")
            let other = try await invoice(s, name: "Elodie Durr", email: "elodie.durr@exemple.fr")
            for typed in ["élodie.dürr@exemple.fr", "E\u{301}LODIE.DU\u{308}RR@EXEMPLE.FR", "Élodie.Dürr@exemple.FR"] {
                #expect(try await allPages(s, query("customer_email", typed)).ids == [id], "\(typed)")
            }
            #expect(try await allPages(s, query("customer_email", "elodie.durr@exemple.fr")).ids == [other], "accents count")
            // Both names are one to billing_name: folded, they are the same.
            #expect(Set(try await allPages(s, query("billing_name", "elodie durr")).ids) == [id, other])
        }
    }

    @Test func aNameFragmentFindsEveryNameThatHoldsIt() async throws {
        try await LiveServer.with(orders: 600) { s in
            let all = try await invoices(s)
            for typed in [
                "muller", "MÜLLER", "Mu\u{308}ller", "jose", "JOSÉ", "zoë", "ZOE", "fassbender", "Faßbender",
                "overgaard", "lucja", "a", "  costello  ", "o'sullivan", "nguyễn", "山田", "von hohenzollern-sigmaringen",
            ] {
                let fragment = SearchText.nameKey(typed)
                let expected = all.filter { SearchText.nameKey($0.name).contains(fragment) }.map(\.id)
                let (ids, total) = try await allPages(s, query("billing_name", typed))
                #expect(!expected.isEmpty, "\(typed) is in the seed")
                #expect(ids == expected.sorted(by: >) && total == expected.count, "\(typed): \(ids.count) of \(expected.count)")
            }
            let muller = try await allPages(s, query("billing_name", "muller")).ids
            #expect(muller.allSatisfy { id in all.first { $0.id == id }!.name.contains("Müller") })
        }
    }

    /// `%`, `_` and `\` are letters; so are quotes, emoji and marks typed alone after a letter.
    @Test func hostileTextIsLiteral() async throws {
        try await LiveServer.with(orders: 20) { s in
            let names = [
                "100% Cotton Ltd", "Under_Score", #"Back\Slash"#, "Quote ' \" Co", "Zoë 🦄 Smith", "Ana Mu\u{308}ller",
                "Bell\u{7} Ringer",
            ]
            var ids: [String: Int] = [:]
            for (n, name) in names.enumerated() { ids[name] = try await invoice(s, name: name, email: "hostile\(n)@example.com") }
            let all = try await invoices(s)
            // What each query must find among the names above; the seed's names may hold some too (O'Sullivan).
            let cases: [(String, [String])] = [
                ("%", ["100% Cotton Ltd"]), ("_", ["Under_Score"]), (#"\"#, [#"Back\Slash"#]), ("0%", ["100% Cotton Ltd"]),
                ("'", ["Quote ' \" Co"]), ("\"", ["Quote ' \" Co"]), ("🦄", ["Zoë 🦄 Smith"]), ("ana müller", ["Ana Mu\u{308}ller"]),
                ("e%c", []), ("u_s", []), ("' OR 1=1 --", []), ("%%", []), (#"\\"#, []),
            ]
            for (typed, mine) in cases {
                let found = try await allPages(s, query("billing_name", typed)).ids
                let expected = all.filter { SearchText.nameKey($0.name).contains(SearchText.nameKey(typed)) }.map(\.id)
                #expect(found == expected.sorted(by: >), "\(typed): \(found)")
                #expect(Set(found).intersection(ids.values) == Set(mine.map { ids[$0]! }), "\(typed): \(found)")
            }
            // A control character may be in a stored name (found by the rest of it), never in a query.
            #expect(try await allPages(s, query("billing_name", "ringer")).ids == [ids["Bell\u{7} Ringer"]!])
        }
    }

    @Test func refusals() async throws {
        try await LiveServer.with(orders: 20) { s in
            let refused: [(String, String)] = [
                ("billing_name=", "empty"), ("billing_name=%20%20%09", "empty"), ("customer_email=", "empty"),
                ("customer_email=%20", "empty"), ("billing_name=%CC%81", "empty"), ("billing_name=%E2%80%8B", "empty"),
                ("billing_name=a%00b", "control"), ("customer_email=a%00b@example.com", "control"),
                ("billing_name=%01", "control"), ("billing_name=x%7F", "control"), ("billing_name=%C2%9B", "control"),
                ("billing_name=" + String(repeating: "a", count: 501), "at most 500"),
                ("customer_email=" + String(repeating: "%C3%A9", count: 501), "at most 500"),
                ("billing_name=" + String(repeating: "x", count: 20_000), "at most 500"),
            ]
            for (query, detail) in refused {
                let reply = try await s.get("/api2/invoice?\(query)")
                let name = String(query.prefix { $0 != "=" })
                #expect(reply.status == 400 && reply.error == "Invalid parameter: \(name)", "\(query.prefix(60)): \(reply.body)")
                #expect(try reply.json["detail"]?.string?.contains(detail) == true, "\(query.prefix(60)): \(reply.body)")
            }
            // The same in a JSON body, and a list where one value is due.
            for body in [#"{"billing_name": "\u0000"}"#, #"{"billing_name": ["a", "b"]}"#, #"{"customer_email": "  "}"#] {
                #expect(try await s.get("/api2/invoice", json: body).status == 400, "\(body)")
            }
            // 500 code points is allowed (and matches nothing); an emoji is one code point.
            let long = try await s.get("/api2/invoice?" + query("billing_name", String(repeating: "🦄", count: 500)))
            #expect(try long.status == 200 && long.json["invoices"]?.array?.isEmpty == true)
            // White space around a value is not a control character: NEL and tabs are trimmed.
            #expect(try await s.get("/api2/invoice?billing_name=%C2%85zoe%09").status == 200)
        }
    }

    /// Every filter, sort and direction, page by page, against brute force:
    /// the store read whole without the customer filters, then filtered by
    /// the folding itself. Totals exact; no page repeats or skips a row.
    @Test func everyFilterSortAndPageMatchesBruteForce() async throws {
        let live = try await LiveServer.start(orders: 3_000)
        let (wrong, plans) = try await live.server.database.write { db -> ([String], Set<String>) in
            // Some invoices updated long after they were created, as resends do; some written by
            // other means than the store, without the ids the filters search (never found by them).
            try db.execute(sql: "UPDATE invoices SET updated_at = '2026-11-20 10:00:00' WHERE entity_id % 37 = 0")
            try db.execute(sql: "UPDATE invoices SET billing_name_id = NULL, customer_id = NULL WHERE entity_id % 53 = 0")
            let email = try #require(
                try String.fetchOne(
                    db, sql: "SELECT customer_email FROM invoices GROUP BY lower(customer_email) ORDER BY COUNT(*) DESC LIMIT 1"))
            // Each invoice's keys, folded once.
            var keys: [Int64: (name: String?, email: String?)] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT entity_id, billing_name, customer_email, billing_name_id, customer_id FROM invoices")
            {
                keys[row[0]] = (
                    (row[3] as Int64?).map { _ in SearchText.nameKey(row[1]) }, (row[4] as Int64?).map { _ in SearchText.emailKey(row[2]) }
                )
            }
            let searches: [[String: [String]]] = [
                ["billing_name": ["a"]], ["billing_name": ["MÜLLER"]], ["billing_name": ["zoë faßb"]], ["billing_name": ["nobody"]],
                ["customer_email": [email.uppercased()]], ["customer_email": [email], "billing_name": ["e"]],
            ]
            let others: [[String: [String]]] = [
                [:], ["state": ["2"]], ["state": ["1,3"]], ["created_from": ["2025-06-01"], "created_to": ["2026-05-31"]],
                ["state": ["2"], "created_from": ["2026-03-01"], "created_to": ["2026-03-31"]],
                ["created_from": ["2025-06-01 08:00:00"], "created_to": ["2026-01-01 12:00:00"]],
                // Partial months at both ends, and ranges open at one end.
                ["created_from": ["2025-06-15"], "created_to": ["2026-02-10"], "state": ["1,2"]],
                ["created_from": ["2026-02-15"]], ["created_to": ["2025-09-10 18:30:00"]],
            ]
            var wrong: [String] = []
            var plans: Set<String> = []
            for search in searches {
                for other in others {
                    for sort in InvoiceListQuery.sortable.keys.sorted() {
                        for direction in ["asc", "desc"] {
                            var input = other.merging(search) { a, _ in a }
                            input["sort"] = [sort]
                            input["direction"] = [direction]
                            input["limit"] = ["15"]
                            var base = other
                            base["sort"] = [sort]
                            base["direction"] = [direction]
                            let plain = try InvoiceListQuery(RequestInput(query: base))
                            let expected = try Int64.fetchAll(
                                db, sql: "SELECT entity_id FROM invoices NOT INDEXED" + plain.filter.whereClause + plain.orderClause,
                                arguments: plain.filter.arguments
                            ).filter { id in
                                (search["billing_name"].map { keys[id]!.name?.contains(SearchText.nameKey($0[0])) == true } ?? true)
                                    && (search["customer_email"].map { keys[id]!.email == SearchText.emailKey($0[0]) } ?? true)
                            }
                            let label = "\(search) \(other) × \(sort) \(direction)"
                            let pages = max(1, (expected.count + 14) / 15)
                            for page in Set([1, 2, 3, pages, pages + 1]) {
                                input["page"] = [String(page)]
                                input["include_pagination"] = ["1"]
                                let query = try InvoiceListQuery(RequestInput(query: input))
                                let (rows, total) = try query.run(db)
                                plans.insert("\(try query.planned(db, matches: try query.total(db)).plan)")
                                let slice = Array(expected.dropFirst((page - 1) * 15).prefix(15))
                                if rows.map(\.entityId!) != slice { wrong.append("\(label) p\(page)") }
                                if total != expected.count { wrong.append("\(label): total \(total ?? -1) ≠ \(expected.count)") }
                            }
                        }
                    }
                }
            }
            return (wrong, plans)
        }
        await live.server.stop()
        #expect(wrong == [])
        #expect(plans.isSuperset(of: ["inSortOrder", "customerThenSort", "promptAndLate"]), "\(plans)")
    }

    /// The per-name counts stay exact through creates, state changes and deletes.
    @Test func theCountsByNameFollowEveryWrite() async throws {
        try await LiveServer.with(orders: 200) { s in
            _ = try await invoice(s, name: "José Müller", email: "jm@example.com")
            _ = try await invoice(s, name: "JOSE MULLER", email: "jm2@example.com")
            func mismatches() async throws -> Int {
                try await s.server.database.read { db in
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT (SELECT COUNT(*) FROM (
                                SELECT name_id, state, n FROM billing_name_counts WHERE n > 0
                                EXCEPT SELECT billing_name_id, state, COUNT(*) FROM invoices GROUP BY 1, 2
                            )) + (SELECT COUNT(*) FROM (
                                SELECT billing_name_id, state, COUNT(*) FROM invoices GROUP BY 1, 2
                                EXCEPT SELECT name_id, state, n FROM billing_name_counts WHERE n > 0
                            )) + (SELECT COUNT(*) FROM (
                                SELECT name_id, state, month, n FROM billing_name_month_counts WHERE n > 0
                                EXCEPT SELECT billing_name_id, state, substr(created_at, 1, 7), COUNT(*) FROM invoices GROUP BY 1, 2, 3
                            )) + (SELECT COUNT(*) FROM (
                                SELECT billing_name_id, state, substr(created_at, 1, 7), COUNT(*) FROM invoices GROUP BY 1, 2, 3
                                EXCEPT SELECT name_id, state, month, n FROM billing_name_month_counts WHERE n > 0))
                            """) ?? -1
                }
            }
            #expect(try await mismatches() == 0)
            try await s.server.database.write { db in
                try db.execute(sql: "UPDATE invoices SET state = 3 WHERE entity_id % 3 = 0")
                try db.execute(sql: "UPDATE invoices SET created_at = datetime(created_at, '-40 days') WHERE entity_id % 7 = 0")
                try db.execute(sql: "DELETE FROM invoice_items WHERE invoice_id % 5 = 0")
                try db.execute(sql: "DELETE FROM invoice_comments WHERE invoice_id % 5 = 0")
                try db.execute(sql: "DELETE FROM outbox WHERE invoice_id % 5 = 0")
                try db.execute(sql: "DELETE FROM invoices WHERE entity_id % 5 = 0")
            }
            #expect(try await mismatches() == 0)
            let names = try await s.server.database.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM billing_names WHERE key = 'jose muller'")
            }
            #expect(names == 1, "one distinct name for both spellings")
            let all = try await invoices(s)
            let (ids, total) = try await allPages(s, "billing_name=jos&state=1,2")
            let expected = try await s.server.database.read { db in
                try Set(Int.fetchAll(db, sql: "SELECT entity_id FROM invoices WHERE state IN (1, 2)"))
            }
            let matching = all.filter { expected.contains($0.id) && SearchText.nameKey($0.name).contains("jos") }
            #expect(Set(ids) == Set(matching.map(\.id)) && total == matching.count)
        }
    }
}
