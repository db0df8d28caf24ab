import FolioServer
import FolioTerminal
import FolioTestSupport
import Foundation
import Testing

@_spi(Fuzzing) @testable import FolioCore

/// The reference server's own answers, captured once into `StoreAnswers/`
/// and read back through the client's decoders: the screen tests draw what
/// a store really sends, and a change of the seed does not move every
/// snapshot. `FOLIO_CAPTURE_FIXTURES=1 swift test --filter captureFromTheReferenceServer`
/// captures them again from a freshly seeded server (review the diff).
enum StoreFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("StoreAnswers")

    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String {
            "no StoreAnswers/\(name).json — FOLIO_CAPTURE_FIXTURES=1 swift test --filter captureFromTheReferenceServer"
        }
    }

    static func data(_ name: String) throws -> Data {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("\(name).json")) else { throw Missing(name: name) }
        return data
    }

    /// An invoice as the admin detail has it (`GET /api/admin/invoices/{id}`).
    static func invoice(_ name: String) throws -> InvoiceDetail { try StoreAnswers.adminInvoice(data(name)) }
    /// An invoice as the `/api2` look-up has it (a token without the admin permission).
    static func lookedUp(_ name: String) throws -> InvoiceDetail { try StoreAnswers.invoiceLookup(data(name)).detail }
    static func order(_ name: String) throws -> Order { try StoreAnswers.order(data(name)) }
    static func orders(_ name: String) throws -> Page<Order> { try StoreAnswers.orderPage(data(name), page: 1, limit: 20) }
    /// The history of an order (`history-ORDERID.json`), captured for the orders of the invoices above.
    static func history(order id: Int64) throws -> [OrderHistoryEntry] { try StoreAnswers.history(data("history-\(id)")) }
    /// A listing page as the store answered it.
    static func invoices(_ name: String) throws -> Page<InvoiceSummary> { try StoreAnswers.invoicePage(data(name), page: 1, limit: 20) }

    /// Invoice 100000045 as a refund sees it, with its order's fractional items.
    static var refund456: RefundSource {
        get throws {
            struct Envelope: Decodable { let invoice: RefundSource }
            var source = try JSONDecoder().decode(Envelope.self, from: data("refund-456")).invoice
            source.decimalItems = Set(try order("order-44").items.filter(\.isQtyDecimal).map(\.id))
            return source
        }
    }

    /// The documents' invoice 456 (order 100000044, EUR with a USD base).
    static var invoice456: InvoiceDetail { get throws { try invoice("invoice-456") } }
    /// The documents' order 123 (100000123), nothing invoiced yet.
    static var order123: Order { get throws { try order("order-123") } }
}

@Suite struct StoreFixturesTests {
    /// Each captured answer still decodes, and is the invoice or order it is named for.
    @Test func everyAnswerDecodesAsWhatItIsNamed() throws {
        #expect(try StoreFixtures.invoice456.incrementId == "100000045")
        #expect(try StoreFixtures.invoice456.showsBaseCurrency)
        #expect(try StoreFixtures.lookedUp("invoice-456-api2").source == .api2)
        #expect(try StoreFixtures.order123.incrementId == "100000123")
        #expect(try StoreFixtures.order("order-44").incrementId == "100000044")
        #expect(try !StoreFixtures.invoice("invoice-single-currency").showsBaseCurrency)
        #expect(try StoreFixtures.invoice("invoice-many-items").items.count >= 3)
        #expect(try TextWidth.of(StoreFixtures.invoice("invoice-long-names").customerName ?? "") >= 40)
        #expect(try StoreFixtures.orders("orders-invoiceable").items.count == 20)
        let history = try StoreFixtures.history(order: try #require(StoreFixtures.invoice456.orderId))
        #expect(history.contains { $0.comment == "Invoice 100000045 created" && $0.source == "invoice" })
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["FOLIO_CAPTURE_FIXTURES"] == "1"))
    func captureFromTheReferenceServer() async throws {
        try await TestServer.with(orders: 150) { server in
            let admin = try APIClient(.init(baseURL: server.baseURL, profile: "fixtures", token: .fixed(TestServer.token)))
            let limited = try APIClient(.init(baseURL: server.baseURL, profile: "fixtures", token: .fixed(TestServer.limitedToken)))
            func save(_ name: String, _ reply: APIClient.Reply) throws {
                #expect(reply.status == 200, "\(name): \(reply.status)")
                // The bytes as sent (a re-encoder could change how an amount is written).
                try reply.body.write(to: StoreFixtures.folder.appendingPathComponent("\(name).json"))
            }
            try save("invoice-456", try await admin.get("/api/admin/invoices/456"))
            try save("invoice-456-api2", try await limited.get("/api2/invoice", query: [("id", "456")]))
            try save("order-123", try await admin.get("/api2/order", query: [("increment_id", "100000123")]))
            // The invoice as a refund sees it (its lines with what is refunded, the capture), before any refund.
            try save("refund-456", try await admin.get("/api2/invoice", query: [("increment_id", "100000045")]))
            let order44 = try await admin.invoice(id: 456).orderId!
            try save("order-44", try await admin.get("/api2/order", query: [("id", String(order44))]))
            try save(
                "orders-invoiceable",
                try await admin.get(
                    "/api2/order",
                    query: [
                        ("page", "1"), ("limit", "20"), ("include_pagination", "1"), ("can_invoice", "1"),
                    ]))
            // Seeded invoices with a shape the screens must handle.
            var query = InvoiceQuery()
            query.limit = 200
            query.sort = .incrementId
            query.descending = false
            let details = try await withThrowingTaskGroup(of: InvoiceDetail.self) { group in
                for summary in try await admin.invoices(query).items { group.addTask { try await admin.invoice(id: summary.id) } }
                return try await group.reduce(into: []) { $0.append($1) }.sorted { $0.incrementId < $1.incrementId }
            }
            let shapes: [(String, (InvoiceDetail) -> Bool)] = [
                ("invoice-single-currency", { !$0.showsBaseCurrency && $0.items.count >= 2 }),
                ("invoice-many-items", { $0.items.count >= 3 && $0.items.contains { !$0.options.isEmpty } }),
                ("invoice-long-names", { TextWidth.of($0.customerName ?? "") >= 40 }),
            ]
            var orders: Set<Int64> = [order44]
            for (name, test) in shapes {
                let found = try #require(details.first(where: test), "no seeded invoice for \(name)")
                try save(name, try await admin.get("/api/admin/invoices/\(found.id)"))
                if let order = found.orderId { orders.insert(order) }
            }
            for order in orders { try save("history-\(order)", try await admin.get("/api2/history", query: [("order_id", String(order))])) }
            // The two customer searches of `/`, as the list asks for them.
            for (name, filter) in [
                ("invoices-customer-email", CustomerFilter.email("Zoe.Fassbender@example.com")),
                ("invoices-customer-name", .name("muller")),
            ] {
                var search = InvoiceQuery()
                search.customer = filter
                try save(name, try await admin.get("/api2/invoice", query: search.queryItems))
            }
            await admin.shutdown()
            await limited.shutdown()
        }
    }
}
