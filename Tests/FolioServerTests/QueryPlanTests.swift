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
    ]

    struct Case { let name: String; let plan: String; let choice: InvoiceListQuery.Plan; let matches: Int; let rows: Int }

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
                    let sql = prepared.pageSQL(choice)
                    let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: prepared.listing.arguments)
                        .map { $0["detail"] as String }.joined(separator: " | ")
                    let exact = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM invoices" + query.listing.whereClause,
                                                 arguments: query.listing.arguments) ?? -1
                    #expect(matches == exact, "\(name): the counted total is exact")
                    result.append(Case(name: "\(name) × \(sort) \(direction)", plan: plan, choice: choice,
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
        for choice in [InvoiceListQuery.Plan.inSortOrder, .rangeThenSort, .chosenBySQLite] {
            #expect(cases.contains { $0.choice == choice }, "the \(choice) plan is exercised")
        }
        for c in cases {
            switch c.choice {
            case .inSortOrder:
                #expect(!c.plan.contains("TEMP B-TREE"), "\(c.name): \(c.plan)")
                // entity_id order is the table's own b-tree: a scan of it in order is the index.
                #expect(c.plan.contains("USING") || c.name.contains("entity_id"), "\(c.name): \(c.plan)")
            case .rangeThenSort:
                // The range of the cover index is read and a bounded sorter keeps one page of (key, id)
                // pairs. grand_total_face is a virtual column, so that sort also reads the rows —
                // chosen only for a small range, where walking its order would read far more.
                #expect(c.plan.contains("_created_cover (created_at"), "\(c.name): \(c.plan)")
                #expect(c.plan.hasPrefix("SEARCH invoices USING COVERING INDEX") || c.name.contains("grand_total"), "\(c.name): \(c.plan)")
                if c.name.contains("grand_total") { #expect(c.matches * c.matches <= 20 * c.rows, "\(c.name): small ranges only") }
            case .chosenBySQLite:
                #expect(c.plan.hasPrefix("SEARCH invoices USING"), "\(c.name): \(c.plan)")
                #expect(c.name.contains("order") || c.name.contains("increment_id list") || c.matches * c.matches <= 20 * c.rows,
                        "\(c.name): sorted by SQLite only when narrow or small")
            }
        }
    }

    /// A created range sorted by a column that grows with time is not walked
    /// from the newest invoice: everything newer than the range would be read.
    @Test func aRangeSortedByATimeOrderedColumnIsScannedNotWalked() throws {
        var input: [String: [String]] = ["created_from": ["2025-03-01"], "created_to": ["2025-03-31"], "sort": ["updated_at"]]
        let query = try InvoiceListQuery(RequestInput(query: input))
        #expect(query.plan(matches: 45_000, tableSize: 1_000_000, beyond: 800_000) == .rangeThenSort)
        input["sort"] = ["entity_id"]
        let seeking = try InvoiceListQuery(RequestInput(query: input))
        #expect(seeking.seeksToRange)
        #expect(seeking.plan(matches: 45_000, tableSize: 1_000_000, beyond: 800_000) == .inSortOrder,
                "an id bound skips what lies beyond the range")
        input["sort"] = ["updated_at"]
        #expect(query.plan(matches: 800_000, tableSize: 1_000_000, beyond: 90_000) == .inSortOrder)
        #expect(!query.seeksToRange, "updated_at changes on every email: no bound holds for it")
        input["sort"] = ["grand_total"]
        let uncorrelated = try InvoiceListQuery(RequestInput(query: input))
        #expect(uncorrelated.plan(matches: 45_000, tableSize: 1_000_000, beyond: 800_000) == .inSortOrder)
        #expect(uncorrelated.plan(matches: 1_500, tableSize: 1_000_000, beyond: 800_000) == .rangeThenSort)
    }
}
