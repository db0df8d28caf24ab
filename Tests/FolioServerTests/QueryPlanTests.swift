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

    struct Case { let name: String; let plan: String; let inSortOrder: Bool; let matches: Int; let rows: Int }

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
                    let sql = query.pageSQL(matches: matches, tableSize: size)
                    let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: query.listing.arguments)
                        .map { $0["detail"] as String }.joined(separator: " | ")
                    let exact = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM invoices" + query.listing.whereClause,
                                                 arguments: query.listing.arguments) ?? -1
                    #expect(matches == exact, "\(name): the counted total is exact")
                    result.append(Case(name: "\(name) × \(sort) \(direction)", plan: plan,
                                       inSortOrder: query.readsInSortOrder(matches: matches, tableSize: size),
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
        #expect(cases.contains { $0.inSortOrder } && cases.contains { !$0.inSortOrder }, "both plans are exercised")
        for c in cases {
            if c.inSortOrder {
                #expect(!c.plan.contains("TEMP B-TREE"), "\(c.name): \(c.plan)")
                // entity_id order is the table's own b-tree: a scan of it in order is the index.
                #expect(c.plan.contains("USING") || c.name.contains("entity_id"), "\(c.name): \(c.plan)")
            } else {
                #expect(c.plan.hasPrefix("SEARCH invoices USING"), "\(c.name): \(c.plan)")
                #expect(c.matches * c.matches <= 20 * c.rows, "\(c.name): sorted only when small")
            }
        }
    }
}
