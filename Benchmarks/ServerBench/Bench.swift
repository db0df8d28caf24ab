import AsyncHTTPClient
import FolioServer
import Foundation
import GRDB
import NIOCore

/// `swift run -c release folio-server-bench [--invoices N] [--db PATH] [--requests N]`
///
/// Seeds (once, into PATH) a store of about N invoices, starts the reference
/// server on it, and prints, over real loopback HTTP:
/// - list latency p50 / p99 for every filter × sort (page 1, 20 rows, with
///   `include_pagination=1`, as the TUI asks), plus deep pages;
/// - the same for the customer filters (`customer_email`, `billing_name`);
/// - create throughput with concurrent clients.
@main
struct ServerBench {
    static func main() async throws {
        let args = CommandLine.arguments
        func option(_ name: String) -> String? { args.firstIndex(of: name).flatMap { args.indices.contains($0 + 1) ? args[$0 + 1] : nil } }
        let target = Int(option("--invoices") ?? "1000000")!
        let path = option("--db") ?? FileManager.default.temporaryDirectory.appendingPathComponent("folio-bench-\(target).sqlite").path
        let requests = Int(option("--requests") ?? "60")!

        // Seed once: ~0.9 invoices per order in the generated store.
        if !FileManager.default.fileExists(atPath: path) {
            let orders = target * 10 / 9
            print("seeding \(orders) orders into \(path) …")
            let started = ContinuousClock.now
            let db = try ReferenceServer.openDatabase(at: path)
            try ReferenceServer.seedIfEmpty(db, orders: orders, randomSeed: 1)
            try db.close()
            print("seeded in \(ContinuousClock.now - started)")
        }
        // A database of an earlier version is migrated here, and the time said.
        let opening = ContinuousClock.now
        try ReferenceServer.openDatabase(at: path).close()
        print("opened (and migrated, if it was older) in \(ContinuousClock.now - opening)")
        var options = ServerOptions()
        options.port = 0
        options.databasePath = path
        options.tokens = ["bench"]
        let server = try await ReferenceServer.start(options: options)
        let invoices = try await server.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM invoices") ?? 0 }
        print("invoices: \(invoices)   server: \(server.baseURL)")
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; requests per case: \(requests)")
        print("")

        try await listLatency(server, requests: requests)
        try await customerLatency(server, requests: requests)
        try await createThroughput(server)
        await server.stop()
    }

    static let filters: [(String, String)] = [
        ("no filter", ""),
        ("state=1", "state=1"),
        ("state=1,3", "state=1,3"),
        ("created: 1 month", "created_from=2026-03-01&created_to=2026-03-31"),
        ("created: 1 day", "created_from=2026-03-02&created_to=2026-03-02"),
        ("created: 18 months", "created_from=2025-03-01&created_to=2026-08-31"),
        ("state=2 + 1 month", "state=2&created_from=2026-03-01&created_to=2026-03-31"),
        ("order_increment_id", "order_increment_id=100000044"),
        ("increment_id list", "increment_id=100000100,100000200,100000300"),
    ]
    static let sorts = ["entity_id", "created_at", "updated_at", "increment_id", "grand_total"]

    static func get(_ url: String) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer bench")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 24)
        return Int(response.status.code)
    }

    static func percentile(_ sorted: [Duration], _ p: Double) -> Duration {
        sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func ms(_ d: Duration) -> String {
        let (s, atto) = d.components
        return String(format: "%.2f", Double(s) * 1000 + Double(atto) / 1e15)
    }

    static func listLatency(_ server: RunningServer, requests: Int) async throws {
        print("## list latency, ms (GET /api2/invoice, page 1, limit 20, include_pagination=1, sort desc)")
        print("")
        try await latencyTable(server, filters: filters, requests: requests)
        let clock = ContinuousClock()
        print("## deep pages, ms (no filter, sort created_at desc)")
        print("")
        for page in [10, 100, 1000] {
            let url = "\(server.baseURL)/api2/invoice?include_pagination=1&limit=20&sort=created_at&page=\(page)"
            var samples: [Duration] = []
            for _ in 0..<requests { samples.append(try await clock.measure { _ = try await get(url) }) }
            samples.sort()
            print("- page \(page): p50 \(ms(percentile(samples, 0.5))), p99 \(ms(percentile(samples, 0.99)))")
        }
        print("")
    }

    /// The customer filters: a customer's address (the one with the most
    /// invoices, typed in capitals), an address nobody has, name fragments
    /// matching most, many, one name, none, accented, with states and a month.
    static func customerLatency(_ server: RunningServer, requests: Int) async throws {
        let (email, invoices) = try await server.database.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT c.email, (SELECT COUNT(*) FROM invoices WHERE customer_id = c.id) AS n FROM customers c
                    WHERE c.id IN (SELECT customer_id FROM invoices WHERE customer_id IS NOT NULL GROUP BY customer_id
                                   ORDER BY COUNT(*) DESC LIMIT 1)
                    """)!
            return (row[0] as String, row[1] as Int)
        }
        let typed = email.uppercased().addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        print("## customer filters, ms (GET /api2/invoice, page 1, limit 20, include_pagination=1, sort desc)")
        print("")
        print("The customer: \(email) (\(invoices) invoices), asked for as \(email.uppercased()).")
        print("")
        let customerFilters: [(String, String)] = [
            ("customer_email: a customer", "customer_email=\(typed)"),
            ("customer_email: nobody", "customer_email=nobody%40example.com"),
            ("customer_email + state=2", "customer_email=\(typed)&state=2"),
            ("billing_name=a (most)", "billing_name=a"),
            ("billing_name=nandez (many)", "billing_name=nandez"),
            ("billing_name=zoë faßb (one name)", "billing_name=zo%C3%AB%20fa%C3%9Fb"),
            ("billing_name=xyz (none)", "billing_name=xyz"),
            ("billing_name=MÜLLER (accented)", "billing_name=M%C3%9CLLER"),
            ("billing_name=jose (José)", "billing_name=jose"),
            ("billing_name=a + state=1", "billing_name=a&state=1"),
            ("billing_name=nandez + state=1,3", "billing_name=nandez&state=1,3"),
            ("billing_name=zoë faßb + state=2", "billing_name=zo%C3%AB%20fa%C3%9Fb&state=2"),
            ("billing_name=a + 1 month", "billing_name=a&created_from=2026-03-01&created_to=2026-03-31"),
            ("billing_name=jose + 1 month", "billing_name=jose&created_from=2026-03-01&created_to=2026-03-31"),
            ("billing_name=a + 18 months", "billing_name=a&created_from=2025-03-01&created_to=2026-08-31"),
        ]
        try await latencyTable(server, filters: customerFilters, requests: requests)
    }

    /// p50 / p99 of page 1 for each filter × sort, as a table, and the worst p99.
    static func latencyTable(_ server: RunningServer, filters: [(String, String)], requests: Int) async throws {
        print("| filter | " + sorts.map { "\($0) p50 / p99" }.joined(separator: " | ") + " |")
        print("|---|" + sorts.map { _ in "---:|" }.joined())
        var worst = Duration.zero
        let clock = ContinuousClock()
        for (name, filter) in filters {
            var cells: [String] = []
            for sort in sorts {
                let url = "\(server.baseURL)/api2/invoice?include_pagination=1&limit=20&sort=\(sort)&direction=desc&\(filter)"
                for _ in 0..<3 { _ = try await get(url) }  // warm the page cache
                var samples: [Duration] = []
                for _ in 0..<requests {
                    var status = 0
                    let elapsed = try await clock.measure { status = try await get(url) }
                    precondition(status == 200, "\(url) answered \(status)")
                    samples.append(elapsed)
                }
                samples.sort()
                worst = max(worst, percentile(samples, 0.99))
                cells.append("\(ms(percentile(samples, 0.5))) / \(ms(percentile(samples, 0.99)))")
            }
            print("| \(name) | " + cells.joined(separator: " | ") + " |")
        }
        print("")
        print("worst p99 over all cases: \(ms(worst)) ms")
        print("")
    }

    /// Partial creates of one unit from orders that can be invoiced, by 8 concurrent clients.
    static func createThroughput(_ server: RunningServer) async throws {
        let targets: [(Int64, Int64)] = try await server.database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT i.order_id, i.item_id FROM order_items i JOIN orders o ON o.entity_id = i.order_id
                    WHERE o.can_invoice = 1 AND i.is_qty_decimal = 0 AND i.qty_ordered - i.qty_invoiced - i.qty_canceled >= 10000
                    LIMIT 2000
                    """
            ).map { ($0[0], $0[1]) }
        }
        let clients = 8
        let clock = ContinuousClock()
        var codes: [Int: Int] = [:]
        let elapsed = try await clock.measure {
            codes = try await withThrowingTaskGroup(of: [Int].self) { group in
                for c in 0..<clients {
                    group.addTask {
                        var statuses: [Int] = []
                        for (n, (order, item)) in targets.enumerated() where n % clients == c {
                            var request = HTTPClientRequest(url: "\(server.baseURL)/api2/invoice/create")
                            request.method = .POST
                            request.headers.add(name: "Authorization", value: "Bearer bench")
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.body = .bytes(
                                ByteBuffer(
                                    string:
                                        #"{"order_id": \#(order), "items": [{"order_item_id": \#(item), "qty": 1}], "capture": "offline"}"#)
                            )
                            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                            _ = try await response.body.collect(upTo: 1 << 20)
                            statuses.append(Int(response.status.code))
                        }
                        return statuses
                    }
                }
                return try await group.reduce(into: [:]) { counts, statuses in
                    for s in statuses { counts[s, default: 0] += 1 }
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("## create throughput")
        print("")
        print(
            "- \(targets.count) partial creates by \(clients) concurrent clients in \(String(format: "%.2f", seconds)) s: "
                + "\(String(format: "%.0f", Double(targets.count) / seconds)) creates/s; statuses \(codes)")
    }
}
