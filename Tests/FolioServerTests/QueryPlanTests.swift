import GRDB
import Testing

@testable import FolioServer

/// Every list filter × sort of `GET /api2/invoice` is served by an index.
///
/// A large result is read in its sort index's order (no table scan, no
/// temporary b-tree); a small one is searched by its filter's index and may be
/// sorted, which costs little because it is small.
@Suite struct QueryPlanTests {
    static let filters: [(String, [String: [String]])] = [
        ("none", [:]),
        ("state", ["state": ["1"]]),
        ("states", ["state": ["1,3"]]),
        ("created range", ["created_from": ["2025-03-01"], "created_to": ["2026-08-31"]]),
        ("created month", ["created_from": ["2026-03-01"], "created_to": ["2026-03-31"]]),
        ("state + created", ["state": ["2"], "created_from": ["2025-03-01"], "created_to": ["2026-08-31"]]),
        ("created day, timed", ["created_from": ["2026-03-02 00:00:00"], "created_to": ["2026-03-02 23:59:59"]]),
        ("order_id", ["order_id": ["44"]]),
        ("order_increment_id", ["order_increment_id": ["100000044"]]),
        ("increment_id list", ["increment_id": ["100000001,100000002,100000003"]]),
        // The customer filters: a customer, nobody, a name fragment in most names, one in
        // one name, accented, with a state, over a created range (days, then timed).
        ("customer_email", ["customer_email": ["ZOE.FASSBENDER@example.com"]]),
        ("customer_email, nobody's", ["customer_email": ["nobody@example.com"]]),
        ("billing_name, most", ["billing_name": ["a"]]),
        ("billing_name, one name", ["billing_name": ["zoë faßb"]]),
        ("billing_name, accented", ["billing_name": ["MULLER"]]),
        ("billing_name + state", ["billing_name": ["e"], "state": ["2"]]),
        (
            "billing_name + states + created",
            ["billing_name": ["o"], "state": ["1,3"], "created_from": ["2025-03-01"], "created_to": ["2026-08-31"]]
        ),
        ("billing_name + created month", ["billing_name": ["jose"], "created_from": ["2026-03-01"], "created_to": ["2026-03-31"]]),
        (
            "billing_name + created, timed",
            ["billing_name": ["a"], "created_from": ["2025-03-01 12:00:00"], "created_to": ["2026-03-02 23:59:59"]]
        ),
        ("billing_name + customer_email", ["billing_name": ["zoe"], "customer_email": ["zoe.fassbender@example.com"]]),
        ("billing_name + order_id", ["billing_name": ["zoe"], "order_id": ["44"]]),
    ]

    struct Case {
        let name: String
        let plan: String
        let choice: InvoiceListQuery.Plan
        let matches: Int
        let rows: Int
    }

    static func cases(_ db: Database) throws -> [Case] {
        var result: [Case] = []
        let size = try InvoiceListQuery.tableSize(db)
        for (name, filter) in filters {
            for sort in InvoiceListQuery.sortable.keys.sorted() {
                for direction in ["asc", "desc"] {
                    var input = filter
                    input["sort"] = [sort]
                    input["direction"] = [direction]
                    let query = try InvoiceListQuery(RequestInput(query: input))
                    let matches = try query.total(db)
                    let (choice, prepared) = try query.planned(db, matches: matches)
                    func explain(_ sql: String, _ arguments: StatementArguments) throws -> String {
                        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                            .map { $0["detail"] as String }.joined(separator: " | ")
                    }
                    let plan: String
                    if choice == .promptAndLate {
                        let walks = prepared.promptAndLateSQL()
                        plan =
                            try explain(walks.prompt, walks.promptArguments + prepared.filter.arguments)
                            + " || " + explain(walks.late, prepared.filter.arguments)
                    } else {
                        plan = try explain(prepared.pageSQL(choice), prepared.filter.arguments)
                    }
                    let exact =
                        try Int.fetchOne(
                            db, sql: "SELECT COUNT(*) FROM invoices" + query.filter.whereClause,
                            arguments: query.filter.arguments) ?? -1
                    #expect(matches == exact, "\(name): the counted total is exact")
                    result.append(
                        Case(
                            name: "\(name) × \(sort) \(direction)", plan: plan, choice: choice,
                            matches: matches, rows: size))
                }
            }
        }
        return result
    }

    @Test func everyFilterAndSortIsServedByAnIndex() async throws {
        let live = try await LiveServer.start(orders: 3_000)
        let cases = try await live.server.database.read { db in try Self.cases(db) }
        await live.server.stop()
        for choice in [InvoiceListQuery.Plan.inSortOrder, .rangeThenSort, .chosenBySQLite, .promptAndLate, .customerThenSort] {
            #expect(cases.contains { $0.choice == choice }, "the \(choice) plan is exercised")
        }
        for c in cases {
            switch c.choice {
            case .inSortOrder:
                #expect(!c.plan.contains("TEMP B-TREE"), "\(c.name): \(c.plan)")
                // entity_id order is the table's own b-tree: a scan of it in order is the index.
                #expect(c.plan.contains("USING") || c.name.contains("entity_id"), "\(c.name): \(c.plan)")
                if c.name.hasPrefix("none × entity_id") { #expect(c.plan.contains("COVERING INDEX invoices_id"), "\(c.plan)") }
            case .rangeThenSort:
                // The range of the cover index is read and a bounded sorter keeps one page of (key, id)
                // pairs. grand_total_face is a virtual column, so that sort also reads the rows —
                // chosen only for a small range, where walking its order would read far more.
                #expect(c.plan.contains("_created_cover (created_at"), "\(c.name): \(c.plan)")
                #expect(c.plan.hasPrefix("SEARCH invoices USING COVERING INDEX") || c.name.contains("grand_total"), "\(c.name): \(c.plan)")
                if c.name.contains("grand_total") { #expect(c.matches * c.matches <= 20 * c.rows, "\(c.name): small ranges only") }
            case .promptAndLate:
                // Both walks go down the late/updated index in updated_at order (ties sorted in
                // place); `late` is a virtual column, so they read the rows they pass: the prompt
                // walk starts a day past the range, the late one passes only late updates.
                let walks = c.plan.components(separatedBy: " || ")
                #expect(
                    walks.count == 2 && walks.allSatisfy { $0.hasPrefix("SEARCH invoices USING INDEX invoices_late_updated (late=?") },
                    "\(c.name): \(c.plan)")
                if c.name.contains("desc"), c.name.contains("created") { #expect(walks[0].contains("updated_at<"), "\(c.name): seeks") }
            case .customerThenSort:
                // The customer's index, or the names' (covering, also for grand_total's terms), then a
                // bounded sort of what it holds; the names are found by scanning the distinct names.
                if c.name.hasPrefix("customer_email") || c.name.contains("+ customer_email") {
                    #expect(
                        c.plan.hasPrefix("SEARCH invoices USING INDEX invoices_customer (customer_id=?")
                            || c.plan.hasPrefix("SEARCH invoices USING COVERING INDEX invoices_customer (customer_id=?"),
                        "\(c.name): \(c.plan)")
                } else {
                    #expect(
                        c.plan.hasPrefix("SEARCH invoices USING COVERING INDEX invoices_billing_name (billing_name_id=?"),
                        "\(c.name): \(c.plan)")
                    #expect(c.plan.contains("SCAN billing_names"), "\(c.name): \(c.plan)")
                }
                #expect(!c.plan.contains("SCAN invoices"), "\(c.name): \(c.plan)")
                // Walking would read about 20 × rows ÷ matches rows, each worth rowReadCost entries.
                #expect(
                    c.matches * c.matches <= 20 * InvoiceListQuery.rowReadCost * c.rows || c.name.contains("created"),
                    "\(c.name): few matches only")
            case .chosenBySQLite:
                #expect(c.plan.hasPrefix("SEARCH invoices USING"), "\(c.name): \(c.plan)")
                #expect(
                    c.name.contains("order") || c.name.contains("increment_id list") || c.matches * c.matches <= 20 * c.rows,
                    "\(c.name): sorted by SQLite only when narrow or small")
            }
        }
    }

    /// Whatever the plan, a page holds exactly what a plain ORDER BY gives —
    /// with some invoices updated long after they were created, as resends do.
    @Test func everyPlanReturnsWhatAPlainQueryReturns() async throws {
        let live = try await LiveServer.start(orders: 3_000)
        let mismatches: [String] = try await live.server.database.write { db in
            try db.execute(sql: "UPDATE invoices SET updated_at = '2026-11-20 10:00:00' WHERE entity_id % 37 = 0")
            var wrong: [String] = []
            for (name, filter) in Self.filters {
                for sort in InvoiceListQuery.sortable.keys.sorted() {
                    for direction in ["asc", "desc"] {
                        for page in ["1", "3"] {
                            var input = filter
                            input["sort"] = [sort]
                            input["direction"] = [direction]
                            input["page"] = [page]
                            input["limit"] = ["15"]
                            let query = try InvoiceListQuery(RequestInput(query: input))
                            let got = try query.run(db).rows.map(\.entityId!)
                            let plain = try Int64.fetchAll(
                                db,
                                sql: query.pageSQL(indexing: " NOT INDEXED")
                                    .replacingOccurrences(of: "SELECT *", with: "SELECT entity_id"), arguments: query.filter.arguments)
                            let plan = try query.planned(db, matches: try query.total(db)).plan
                            if got != plain { wrong.append("\(name) × \(sort) \(direction) p\(page) [\(plan)]") }
                        }
                    }
                }
            }
            return wrong
        }
        await live.server.stop()
        #expect(mismatches == [])
    }

    /// A created range sorted by a column that grows with time is not walked
    /// from the newest invoice: everything newer than the range would be read.
    @Test func aRangeSortedByATimeOrderedColumnIsNotWalkedFromTheNewest() throws {
        var input: [String: [String]] = ["created_from": ["2025-03-01"], "created_to": ["2025-03-31"], "sort": ["increment_id"]]
        let bounded = try InvoiceListQuery(RequestInput(query: input))
        #expect(bounded.seeksToRange)
        #expect(
            bounded.plan(matches: 45_000, tableSize: 1_000_000, beyond: 800_000) == .inSortOrder,
            "an id bound skips what lies beyond the range")
        input["sort"] = ["updated_at"]
        let updated = try InvoiceListQuery(RequestInput(query: input))
        #expect(!updated.seeksToRange, "updated_at changes on every email: no bound holds for it")
        #expect(updated.plan(matches: 45_000, tableSize: 1_000_000, beyond: 800_000) == .promptAndLate)
        input["sort"] = ["grand_total"]
        let uncorrelated = try InvoiceListQuery(RequestInput(query: input))
        #expect(uncorrelated.plan(matches: 45_000, tableSize: 1_000_000, beyond: 800_000) == .inSortOrder)
        #expect(uncorrelated.plan(matches: 1_500, tableSize: 1_000_000, beyond: 800_000) == .rangeThenSort)
    }
}
