import FolioServer
import FolioTestSupport
import Foundation
import Testing

@testable import FolioCore

/// Paging metadata no store should send — a `last_page` near Int.max, pages
/// that never end, numbers below one — ends every walk, without a trap.
@Suite struct HostilePagingTests {
    /// A "store" that answers every request with `json`: a proxy with
    /// nothing behind it (port 1 refuses), so no real server sees the pages.
    func withStoreAnswering<T>(_ json: String, _ body: (APIClient) async throws -> T) async throws -> T {
        let proxy = try FaultProxy(upstreamPort: 1)
        defer { proxy.stop() }
        proxy.setDefault(.answerInstead(status: 200, json: json), writesOnly: false)
        return try await APIClient.using(.init(baseURL: proxy.baseURL, profile: "test", token: .fixed(Store.token)), body)
    }

    static func page(ids: [Int], _ meta: String) -> String {
        let rows = ids.map {
            #"{"entity_id": \#($0), "increment_id": "\#(100_000_000 + $0)", "grand_total": "1.00", "order_currency_code": "EUR"}"#
        }
        return #"{"invoices": [\#(rows.joined(separator: ","))], \#(meta)}"#
    }

    /// Walks the export's pages, at most `limit`, and says how it ended.
    static func walk(_ client: APIClient, limit: Int = 50) async -> (pages: Int, rows: Int, error: (any Error)?) {
        var query = InvoiceQuery()
        query.limit = 2
        var pages = 0
        var rows = 0
        do {
            for try await page in InvoicePages(client: client, query: query) {
                pages += 1
                rows += page.items.count
                if pages >= limit { break }
            }
            return (pages, rows, nil)
        } catch {
            return (pages, rows, error)
        }
    }

    @Test func aStoreThatIgnoresThePageAndSaysHasNextForEverIsCaughtRepeating() async throws {
        let json = Self.page(ids: [1, 2], #""page": 1, "has_next": true"#)
        let walked = try await withStoreAnswering(json) { await Self.walk($0) }
        #expect(walked.pages == 1, "stopped at the repeat, not after \(walked.pages) pages")
        guard case .malformedResponse(let field, _)? = walked.error as? FolioError else {
            Issue.record("no error: \(String(describing: walked.error))")
            return
        }
        #expect(field == "page")
    }

    @Test func aTotalEndsTheWalkWhateverHasNextSays() async throws {
        // The same two rows would come again (the proxy answers one page for
        // all); the total of 2 ends the walk before that.
        let json = Self.page(ids: [1, 2], #""total": 2, "has_next": true, "last_page": 9223372036854775807"#)
        let walked = try await withStoreAnswering(json) { await Self.walk($0) }
        #expect(walked.pages == 1 && walked.rows == 2 && walked.error == nil)
    }

    @Test func anEmptyPageEndsTheWalkWhateverTheMetadataSays() async throws {
        let json = Self.page(ids: [], #""page": 9223372036854775807, "last_page": 9223372036854775807, "has_next": true"#)
        let walked = try await withStoreAnswering(json) { await Self.walk($0) }
        #expect(walked.pages == 1 && walked.rows == 0 && walked.error == nil)
    }

    @Test func impossibleNumbersAreDropped() async throws {
        let json = Self.page(ids: [1], #""page": -3, "limit": 0, "total": -5, "last_page": 0, "has_next": false"#)
        let page = try await withStoreAnswering(json) { client in
            var query = InvoiceQuery()
            query.page = 4
            return try await client.invoices(query)
        }
        #expect(page.page == 4 && page.limit == 20 && page.total == nil && page.lastPage == nil)
        let orders = try await withStoreAnswering(#"{"orders": [], "page": 0, "total": -1, "last_page": -7, "has_next": true}"#) {
            try await $0.orders(page: 2, limit: 20, invoiceable: true)
        }
        #expect(orders.page == 2 && orders.total == nil && orders.lastPage == nil && orders.items.isEmpty)
    }

    @Test func thePageCacheDoesNotPrefetchPastIntMax() async throws {
        let json = Self.page(ids: [1], #""page": 9223372036854775807, "has_next": true"#)
        let page = try await withStoreAnswering(json) { client in
            var query = InvoiceQuery()
            query.page = Int.max
            return try await InvoicePageCache(client: client).page(query)
        }
        #expect(page.page == Int.max)
    }
}
