import FolioServer
import Foundation
import GRDB
import Testing

@testable import FolioCore

/// `APIClient` against the real reference server over loopback HTTP.
@Suite struct ClientTests {
    @Test func listsWithEveryFilterAndPaginationMetadata() async throws {
        try await Store.with { store in
            try await store.client { client in
                var query = InvoiceQuery()
                query.limit = 7
                let first = try await client.invoices(query)
                #expect(first.items.count == 7 && first.hasNext)
                #expect(first.total == (try await store.count("SELECT COUNT(*) FROM invoices")))
                query.states = [.open, .canceled]
                query.sort = .grandTotal
                query.descending = false
                // A range inside the seed's (2025-01 to 2026-10), so the filter has something to leave out.
                query.createdFrom = DateBound("2025-04-01")
                query.createdTo = DateBound("2025-09-30")
                let open = try await client.invoices(query)
                #expect(open.items.allSatisfy { [.open, .pending, .pendingPayment, .overdue, .canceled].contains($0.state) })
                #expect(
                    !open.items.isEmpty
                        && open.items.allSatisfy { ($0.createdAt ?? "") >= "2025-04-01" && ($0.createdAt ?? "") < "2025-10-01" })
                #expect(
                    open.total
                        == (try await store.count(
                            "SELECT COUNT(*) FROM invoices WHERE state IN (1, 3) AND created_at >= '2025-04-01' AND created_at < '2025-10-01'"
                        )))
                #expect(open.total ?? 0 < first.total ?? 0)
                // The server sorts by face value across currencies, which is what Decimal compares.
                let totals = open.items.map(\.grandTotal.amount)
                #expect(!totals.isEmpty && totals == totals.sorted())
                var byOrder = InvoiceQuery()
                byOrder.orderIncrementId = "100000044"
                #expect(try await client.invoices(byOrder).items.map(\.id) == [456])
                var byNumber = InvoiceQuery()
                byNumber.invoiceIncrementIds = ["100000045"]
                #expect(
                    try await client.invoices(byNumber).items.map(\.incrementId) == ["100000045"], "one number is a filter, not a lookup")
            }
        }
    }

    /// "Newest" is the created sort: an invoice written last but created in
    /// 2025 (an import, a migration) does not sit on top of the list.
    @Test func theDefaultSortIsNewestCreatedFirst() async throws {
        try await Store.with { store in
            let lastWritten = try await store.count("SELECT MAX(entity_id) FROM invoices")
            try await store.server.database.write { db in
                try db.execute(sql: "UPDATE invoices SET created_at = '2025-01-02 00:00:00' WHERE entity_id = ?", arguments: [lastWritten])
            }
            try await store.client { client in
                let query = InvoiceQuery()
                #expect(query.sort == .createdAt && query.descending && query.sort.label == "created")
                let page = try await client.invoices(query)
                #expect(!page.items.isEmpty && page.items.first?.id != Int64(lastWritten))
                let created = page.items.compactMap(\.createdAt)
                #expect(created.count == page.items.count && created == created.sorted(by: >))
            }
        }
    }

    /// An order's history through the client: newest first, by number or id, and 404 for an unknown order.
    @Test func anOrdersHistory() async throws {
        try await Store.with { store in
            try await store.client { client in
                let byNumber = try await client.history(orderNumber: "100000044")
                let times = byNumber.compactMap(\.createdAt)
                #expect(!times.isEmpty && times.count == byNumber.count && times == times.sorted(by: >), "newest first")
                #expect(byNumber.contains { $0.comment == "Invoice 100000045 created" && $0.source == "invoice" })
                #expect(byNumber.allSatisfy { !$0.isVisibleOnFront && $0.createdAt?.count == 19 })
                #expect(try await client.history(orderId: 44) == byNumber)
                #expect(await failure { try await client.history(orderNumber: "999999999") } == .notFound(what: "order 999999999"))
            }
        }
    }

    /// The state filter is a set of states; the wire's codes exist only in the query string.
    @Test func theStateFilterIsStatesOnTheWireCodes() throws {
        var query = InvoiceQuery()
        query.states = [.canceled, .open]
        #expect(query.queryItems.first { $0.0 == "state" }?.1 == "1,3")
        try query.validate()
        query.states = [.pending]
        #expect(throws: FolioError.invalidInput("state must be open, paid or canceled")) { try query.validate() }
    }

    @Test func refusesBadQueriesBeforeSending() async throws {
        var query = InvoiceQuery()
        query.createdFrom = DateBound("2026-02-01")
        query.createdTo = DateBound("2026-01-01")
        #expect(throws: FolioError.self) { try query.validate() }
        query = InvoiceQuery()
        query.limit = 500
        #expect(throws: FolioError.invalidInput("limit must be 1 to 200")) { try query.validate() }
        #expect(DateBound("2026-02-30") == nil && DateBound("2026-1-1") == nil && DateBound("2026-01-01 24:00:00") == nil)
        #expect(DateBound("2026-01-01 12:30:00")?.isDateOnly == false)
    }

    @Test func detailPrefersTheAdminEndpointAndFallsBackWithoutIt() async throws {
        try await Store.with { store in
            let full = try await store.client { try await $0.invoice(number: "100000045") }
            #expect(full.source == .admin && full.unavailable.isEmpty)
            #expect(full.billingAddress != nil && full.channelName == "EU Store")
            let limited = try await store.client(token: .fixed(Store.limitedToken)) { client in
                let first = try await client.invoice(number: "100000045")
                let second = try await client.invoice(id: 456)
                #expect(client.adminDetail.known == false, "the refusal is remembered for the session")
                return (first, second)
            }
            #expect(limited.0.source == .api2 && limited.1.source == .api2)
            #expect(limited.0.unavailable.contains("billing and shipping addresses"))
            #expect(limited.0.totals.grandTotal?.amount == full.totals.grandTotal?.amount, "the same money either way")
            #expect(limited.0.baseTotals.grandTotal?.amount == full.baseTotals.grandTotal?.amount)
            #expect(limited.0.items.map(\.sku) == full.items.map(\.sku))
        }
    }

    @Test func everyStatusMapsToATypedErrorWithAdvice() async throws {
        try await Store.with { store in
            try await store.client { client in
                #expect(await failure { try await client.invoice(number: "999999999") } == .notFound(what: "invoice 999999999"))
                #expect(await failure { try await client.order(number: "999999999") } == .notFound(what: "order 999999999"))
                #expect(await failure { try await client.invoice(number: " ") } == .invalidInput("the invoice number is empty"))
                // 500 Payment gateway error: order 123 pays by check.
                let order = try await client.order(number: "100000123")
                let online = try CapturePlan(order: order, quantities: [10: 1], capture: .online)
                let gateway = await failure { try await client.createInvoice(online, journal: store.journal) }
                #expect(gateway == .gateway(message: "Payment gateway error"))
                #expect(gateway?.exitCode == 5)
                #expect(gateway?.message.contains("nothing was saved") == true)
                try await store.faults(#"{"lock_contention": true}"#)
                #expect(
                    await failure {
                        try await client.resendEmail(invoiceId: 456, invoiceNumber: "100000045", comment: nil, journal: store.journal)
                    } == .unavailable)
                try await store.faults(#"{"lock_contention": false, "smtp_failing": true}"#)
                let smtp = await failure {
                    try await client.resendEmail(invoiceId: 456, invoiceNumber: "100000045", comment: nil, journal: store.journal)
                }
                #expect(smtp == .server(status: 500, message: "Email could not be sent"), "the API's documented refusal: nothing changed")
                #expect(smtp?.exitCode == 6)
                #expect(try store.journal.openEntries().isEmpty, "every refusal above is a known outcome")
            }
            let unauthorized = await failure { try await store.client(token: .fixed("wrong")) { try await $0.invoices(InvoiceQuery()) } }
            #expect(unauthorized == .unauthorized(profile: "test"))
            #expect(unauthorized?.message == "token invalid or expired — check the token of profile test, or get a new one")
            #expect(unauthorized?.exitCode == 4)
        }
    }

    @Test func refusedCreateCarriesTheServersReason() async throws {
        try await Store.with { store in
            try await store.client { client in
                let order = try await client.order(number: "100000123")
                let plan = try CapturePlan(order: order, quantities: [10: 4])
                _ = try await client.createInvoice(plan, journal: store.journal)
                // The same plan again: the server refuses, naming the item and what is left.
                let again = await failure { try await client.createInvoice(plan, journal: store.journal) }
                #expect(again == .refused(message: "Invalid item", detail: "order_item_id 10: qty 4 requested, only 0 left to invoice"))
                #expect(again?.exitCode == 5)
            }
        }
    }

    @Test func networkDownAndTimeoutsSayWhatHappened() async throws {
        // A port nothing listens on.
        let closed = await failure {
            let client = try APIClient(.init(baseURL: "http://127.0.0.1:1", profile: "p", token: .fixed("t")))
            defer { Task { await client.shutdown() } }
            return try await client.invoices(InvoiceQuery())
        }
        guard case .network(let host, _)? = closed else {
            Issue.record("expected a network error, got \(String(describing: closed))")
            return
        }
        #expect(host == "127.0.0.1")
        #expect(closed?.exitCode == 6)
        try await Store.with(faults: Faults(latencyMilliseconds: 1_500)) { store in
            let slow = await failure {
                try await store.client(tune: { $0.requestTimeout = .milliseconds(300) }) { try await $0.invoice(id: 456) }
            }
            #expect(slow == .timeout(host: "127.0.0.1"))
        }
    }

    @Test func getsRetry503ThenSucceedOrGiveUpAfterThreeTries() async throws {
        try await Store.with { store in
            try await store.client { client in
                try await store.faults(#"{"fail_next": 2}"#)
                #expect(try await client.invoices(InvoiceQuery()).items.count == 20, "two 503s, then the third try answers")
                try await store.faults(#"{"fail_next": 3}"#)
                #expect(await failure { try await client.invoices(InvoiceQuery()) } == .unavailable)
                // A POST is never retried: one 503 is the answer.
                try await store.faults(#"{"fail_next": 1}"#)
                #expect(
                    await failure {
                        try await client.resendEmail(invoiceId: 456, invoiceNumber: "100000045", comment: nil, journal: store.journal)
                    } == .unavailable)
                try await store.faults(#"{"fail_next": 0}"#)
            }
        }
    }

    /// The live access tokens the server holds (by digest), and when the last expires.
    static func accessTokens(_ store: Store) async throws -> (hashes: Set<String>, expiry: Int64) {
        try await store.server.database.read { db in
            (
                Set(try String.fetchAll(db, sql: "SELECT token_hash FROM oauth_tokens WHERE kind = 'access'")),
                try Int64.fetchOne(db, sql: "SELECT MAX(expires_at) FROM oauth_tokens WHERE kind = 'access'") ?? 0
            )
        }
    }

    /// Until the server's clock has passed `expiry` (a poll with a deadline).
    static func waitPast(_ expiry: Int64) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while Int64(Date().timeIntervalSince1970) < expiry, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func oauthTokensAreFetchedAndRenewedOnceAfterExpiry() async throws {
        // Six seconds: a loaded two-core machine once took more than three between a renewal
        // and its use, so the renewed token had expired too (the client renews once a call).
        try await Store.with(accessTokenLifetime: 6) { store in
            try await store.client(token: .oauthClient(id: "erp", secret: "s3cret")) { client in
                #expect(try await client.invoices(InvoiceQuery()).items.count == 20)
                var known = try await Self.accessTokens(store)
                #expect(known.hashes.count == 1, "the first call fetched one token")
                for expiry in 1...2 {
                    try await Self.waitPast(known.expiry)
                    // The call meets a 401, renews once, and succeeds.
                    _ = try await client.invoice(id: 456)
                    let now = try await Self.accessTokens(store)
                    #expect(now.hashes.subtracting(known.hashes).count == 1, "expiry \(expiry): exactly one new access token")
                    known = now
                }
            }
            let bad = await failure {
                try await store.client(token: .oauthClient(id: "erp", secret: "wrong")) { try await $0.invoices(InvoiceQuery()) }
            }
            #expect(bad == .unauthorized(profile: "test"))
        }
    }

    /// Twenty requests that start together get one token, and twenty refused
    /// together after it expires share one renewal.
    @Test func concurrentRequestsShareOneGrantAndOneRenewal() async throws {
        // Six seconds: twenty requests at once on a loaded two-core machine once outlived a three-second token.
        try await Store.with(accessTokenLifetime: 6) { store in
            try await store.client(token: .oauthClient(id: "erp", secret: "s3cret")) { client in
                func together() async throws {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<20 { group.addTask { _ = try await client.invoice(id: 456) } }
                        try await group.waitForAll()
                    }
                }
                try await together()
                let first = try await Self.accessTokens(store)
                #expect(first.hashes.count == 1, "twenty first requests, one grant: \(first.hashes.count)")
                try await Self.waitPast(first.expiry)
                try await together()
                // A refresh rotates the pair; a second renewal would find the refresh
                // token spent and ask with the credentials: two live tokens.
                let after = try await Self.accessTokens(store).hashes
                #expect(after.count == 1 && after != first.hashes, "twenty 401s, one renewal: \(after.count) tokens")
            }
        }
    }

    @Test func aFixedTokenIsNeverRenewed() async throws {
        try await Store.with { store in
            let before = try await store.count("SELECT COUNT(*) FROM oauth_tokens")
            #expect(
                await failure { try await store.client(token: .fixed("stale")) { try await $0.invoice(id: 456) } }
                    == .unauthorized(profile: "test"))
            #expect(try await store.count("SELECT COUNT(*) FROM oauth_tokens") == before)
        }
    }

    @Test func exportWalksEveryPageOnce() async throws {
        try await Store.with(orders: 400) { store in
            try await store.client { client in
                var query = InvoiceQuery()
                query.limit = 37
                var seen: [Int64] = []
                var pages = 0
                for try await page in InvoicePages(client: client, query: query) {
                    seen += page.items.map(\.id)
                    pages += 1
                }
                let total = try await store.count("SELECT COUNT(*) FROM invoices")
                #expect(seen.count == total && Set(seen).count == total)
                #expect(pages == (total + 36) / 37)
            }
        }
    }

    @Test func thePageCachePrefetchesTheNextPageAndForgetsOldQueries() async throws {
        try await Store.with { store in
            try await store.client { client in
                let cache = InvoicePageCache(client: client)
                var query = InvoiceQuery()
                query.limit = 10
                _ = try await cache.page(query)
                let deadline = ContinuousClock.now + .seconds(5)
                while !(await cache.isCached(query.onPage(2))), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(await cache.isCached(query.onPage(2)), "page 2 arrived without being asked for")
                // Reading on keeps only the neighbours of the page asked for.
                for number in 2...5 { _ = try await cache.page(query.onPage(number)) }
                #expect(await cache.isCached(query.onPage(4)))
                #expect(await cache.isCached(query.onPage(5)))
                #expect(!(await cache.isCached(query.onPage(1))), "page 1 kept after reading on to page 5")
                #expect(!(await cache.isCached(query.onPage(3))))
                // A request older than one already seen gives up instead of resetting the cache.
                _ = try await cache.page(query.onPage(5), generation: 10)
                await #expect(throws: CancellationError.self) { _ = try await cache.page(query.onPage(1), generation: 9) }
                #expect(await cache.isCached(query.onPage(5)))
                var other = query
                other.states = [.paid]
                _ = try await cache.page(other)
                #expect(!(await cache.isCached(query.onPage(2))), "a new query drops the old one's pages")
            }
        }
    }

    @Test func resendRecordsExactlyOneEmail() async throws {
        try await Store.with { store in
            let before = try await store.count("SELECT COUNT(*) FROM outbox WHERE invoice_id = 456")
            let sent = try await store.client {
                try await $0.resendEmail(
                    invoiceId: 456, invoiceNumber: "100000045", comment: "on the phone with the customer",
                    journal: store.journal)
            }
            #expect(sent.emailSent && !sent.reconciled)
            let comment = try await store.server.database.read { db in
                try String.fetchOne(db, sql: "SELECT comment FROM invoice_comments WHERE invoice_id = 456 ORDER BY id DESC LIMIT 1")
            }
            #expect(comment == sent.reference.marker + " on the phone with the customer", "the reference, then the clerk's words")
            #expect(try await store.count("SELECT COUNT(*) FROM outbox WHERE invoice_id = 456") == before + 1)
        }
    }

    @Test func plainHTTPIsRefusedExceptToLoopback() {
        #expect(throws: FolioError.self) { _ = try APIClient(.init(baseURL: "http://shop.example.com", profile: "p", token: .fixed("t"))) }
        var allowed = APIClient.Settings(baseURL: "http://shop.example.com", profile: "p", token: .fixed("t"))
        allowed.allowInsecureHTTP = true
        #expect(throws: Never.self) {
            let c = try APIClient(allowed)
            Task { await c.shutdown() }
        }
        #expect(throws: Never.self) {
            let c = try APIClient(.init(baseURL: "http://localhost:8080/", profile: "p", token: .fixed("t")))
            Task { await c.shutdown() }
        }
        #expect(throws: FolioError.self) { _ = try APIClient(.init(baseURL: "ftp://x", profile: "p", token: .fixed("t"))) }
    }

    /// Loopback is an address, not a prefix: names that merely start like one go over the network.
    @Test(arguments: [
        ("localhost", true), ("LOCALHOST", true), ("127.0.0.1", true), ("127.255.3.9", true), ("[::1]", true),
        ("[0:0:0:0:0:0:0:1]", true), ("127.0.0.1.example.com", false), ("127.evil.example", false),
        ("shop.localhost", false), ("128.0.0.1", false), ("[::2]", false), ("[::ffff:10.0.0.1]", false),
        ("localhost.example.com", false), ("0x7f.0.0.1", false),
    ])
    func loopbackIsParsedAsAnAddress(host: String, loopback: Bool) {
        let url = "http://\(host):8080"
        if loopback {
            #expect(throws: Never.self, "\(host)") {
                let c = try APIClient(.init(baseURL: url, profile: "p", token: .fixed("t")))
                Task { await c.shutdown() }
            }
        } else {
            #expect(throws: FolioError.self, "\(host)") {
                let c = try APIClient(.init(baseURL: url, profile: "p", token: .fixed("t")))
                Task { await c.shutdown() }
            }
        }
    }
}
