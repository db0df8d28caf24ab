import FolioCore
import FolioTerminal
import Foundation
import Testing

@testable import FolioTUI

/// The rows on screen always match the header, whatever fails or arrives
/// late; and no paging metadata a store sends can trap or make a loop.
@Suite struct ListLoadTests {
    static func press(_ key: Key, _ state: inout AppState) -> (request: Int, query: InvoiceQuery)? {
        Fixtures.loadRequest(state.update(.key(key)))
    }

    static let refused = FolioError.network(host: "shop", reason: "connection refused")

    /// Every invoice row on screen, by its state word.
    static func rowStates(_ state: AppState) -> [String] {
        state.render().text.split(separator: "\n").filter { $0.hasPrefix("1000") }
            .compactMap { line in ["open", "paid", "canceled"].first { line.contains(" \($0) ") } }
    }

    @Test func whileAnotherFilterLoadsTheOldRowsAreNotShownUnderIt() throws {
        var state = Fixtures.loaded()
        #expect(Self.rowStates(state).contains("paid"))
        _ = try #require(Self.press(.character("s"), &state))
        let screen = state.render().text
        #expect(screen.contains("state: open"))
        #expect(Self.rowStates(state).isEmpty, "paid rows under “state: open”:\n\(screen)")
        #expect(screen.contains("loading invoices"))
    }

    @Test func aFailedPageTurnKeepsThePageShownAndRRetriesTheTurn() throws {
        var state = Fixtures.loaded()
        let turn = try #require(Self.press(.pageDown, &state))
        _ = state.update(.pageLoaded(request: turn.request, .failure(Self.refused)))
        // Page 1's rows stay, and so does everything that says they are page 1.
        #expect(state.list.page == 1 && state.list.query.page == 1 && state.list.rows.count == 50)
        #expect(state.message?.text.hasPrefix("page 2 did not load") == true)
        #expect(state.render().text.split(separator: "\n").first?.contains("page 1/4") == true)
        // R, with the error still showing, tries page 2 again.
        let retry = try #require(Self.press(.character("R"), &state))
        #expect(retry.query.page == 2)
        _ = state.update(.pageLoaded(request: retry.request, .success(Fixtures.page(2, of: 4))))
        #expect(state.list.page == 2 && state.message == nil)
    }

    @Test func afterMovingOnRReloadsWhatIsShownNotTheEarlierFailure() throws {
        var state = Fixtures.loaded()
        let turn = try #require(Self.press(.pageDown, &state))
        _ = state.update(.pageLoaded(request: turn.request, .failure(Self.refused)))
        // Another filter loads fine: the failed page of the old one is forgotten.
        let paid = try #require(Self.press(.character("s"), &state))
        _ = state.update(.pageLoaded(request: paid.request, .success(Fixtures.page(1, of: 1))))
        let reload = try #require(Self.press(.character("R"), &state))
        #expect(reload.query.states == [.open] && reload.query.page == 1)

        // Or the error was replaced by another message: R reloads the page on screen.
        var other = Fixtures.loaded()
        let failed = try #require(Self.press(.pageDown, &other))
        _ = other.update(.pageLoaded(request: failed.request, .failure(Self.refused)))
        other.message = StatusMessage(.error, "something else went wrong")
        let again = try #require(Self.press(.character("R"), &other))
        #expect(again.query.page == 1)
    }

    @Test func aSlowSearchAnswerDoesNotOverrideAFilterChosenAfterIt() throws {
        var state = Fixtures.loaded()
        _ = state.update(.key(.character("/")))
        for c in "100000045" { _ = state.update(.key(.character(c))) }
        guard case .search(let search, _)? = state.update(.key(.enter)).first else {
            Issue.record("no search")
            return
        }
        let filter = try #require(Self.press(.character("s"), &state))
        // The look-up answers after the filter was chosen: dropped.
        #expect(state.update(.searched(request: search, .success(.invoice(number: "100000045")))).isEmpty)
        #expect(state.list.search == nil && state.list.query.states == [.open])
        _ = state.update(.pageLoaded(request: filter.request, .success(Fixtures.page(1, of: 1))))
        #expect(state.render().text.contains("state: open"))
        #expect(!state.isBusy)
    }

    static func empty(page: Int, lastPage: Int?, hasNext: Bool = true) -> Page<InvoiceSummary> {
        Page(items: [], page: page, limit: 50, total: nil, lastPage: lastPage, hasNext: hasNext)
    }

    @Test func aLastPageNearIntMaxNeitherTrapsNorLoops() throws {
        var state = Fixtures.loaded(
            page: Page(
                items: Fixtures.special, page: 1, limit: 50, total: nil,
                lastPage: Int.max, hasNext: true))
        let last = try #require(Self.press(.end, &state))
        #expect(last.query.page == Int.max)
        // That page is empty: one step back to what the store calls the last page, not more.
        let back = try #require(
            Fixtures.loadRequest(
                state.update(
                    .pageLoaded(
                        request: last.request,
                        .success(Self.empty(page: Int.max, lastPage: Int.max))))))
        #expect(back.query.page == Int.max - 1)
        #expect(state.update(.pageLoaded(request: back.request, .success(Self.empty(page: Int.max - 1, lastPage: Int.max)))).isEmpty)
        // Every paging key from here is safe, and a chain of empty pages ends.
        for key in [Key.pageDown, .down, .end, .pageUp, .home] {
            var copy = state
            var next = Fixtures.loadRequest(copy.update(.key(key)))
            var loads = 0
            while let load = next, loads < 5 {
                next = Fixtures.loadRequest(
                    copy.update(
                        .pageLoaded(
                            request: load.request,
                            .success(Self.empty(page: load.query.page, lastPage: Int.max)))))
                loads += 1
            }
            #expect(loads <= 2, "\(key) asked for \(loads) pages in a row")
        }
        // A store that says it sent page Int.max with more after it: no next page to ask for.
        var top = Fixtures.loaded(
            page: Page(
                items: Fixtures.special, page: Int.max, limit: 50, total: -5,
                lastPage: nil, hasNext: true))
        #expect(top.list.page == Int.max && !top.list.hasNext && top.list.total == 0)
        #expect(top.update(.key(.pageDown)).isEmpty)
        #expect(top.update(.key(.end)).isEmpty)
    }

    @Test func pagesThatAreAlwaysEmptyEndInOneStepBack() throws {
        var state = Fixtures.loaded()
        var load = try #require(Self.press(.pageDown, &state))
        var requests = 0
        // Every answer is empty and claims more pages: at most one step back per key.
        while requests < 10 {
            let effects = state.update(.pageLoaded(request: load.request, .success(Self.empty(page: load.query.page, lastPage: 4))))
            guard let next = Fixtures.loadRequest(effects) else { break }
            load = next
            requests += 1
        }
        #expect(requests == 1)
        #expect(state.render().text.contains("no invoices match"))
    }

    @Test func hasNextForeverOnlyTurnsAPageAKey() throws {
        var state = Fixtures.loaded(page: Page(items: Fixtures.special, page: 1, limit: 50, total: nil, lastPage: nil, hasNext: true))
        for page in 2...5 {
            let load = try #require(Self.press(.end, &state))
            #expect(load.query.page == page)
            let more = Page(items: Fixtures.special, page: page, limit: 50, total: nil, lastPage: nil, hasNext: true)
            #expect(state.update(.pageLoaded(request: load.request, .success(more))).isEmpty)
        }
    }

    static func order(_ n: Int) throws -> Order {
        try JSONDecoder().decode(Order.self, from: Data(#"{"entity_id": \#(n), "increment_id": "1000000\#(n)"}"#.utf8))
    }

    @Test func anEmptyPageOfOrdersInTheCreatePickerIsSafe() throws {
        var state = Fixtures.loaded()
        guard case .loadInvoiceableOrders(let first, _)? = state.update(.key(.character("c"))).first else {
            Issue.record("no orders asked")
            return
        }
        _ = state.update(
            .invoiceableOrdersLoaded(
                request: first,
                .success(
                    Page(
                        items: [try Self.order(11), try Self.order(12)],
                        page: 1, limit: 20, total: nil, lastPage: nil,
                        hasNext: true))))
        _ = state.update(.key(.down))
        _ = state.update(.key(.down))
        #expect(state.create?.pick == 1)
        // The next page is empty (the store's paging says there is more; there is not).
        guard case .loadInvoiceableOrders(let next, let page)? = state.update(.key(.pageDown)).first else {
            Issue.record("no next page")
            return
        }
        #expect(page == 2)
        _ = state.update(
            .invoiceableOrdersLoaded(
                request: next,
                .success(
                    Page(
                        items: [], page: Int.max, limit: 20, total: 3,
                        lastPage: Int.max, hasNext: true))))
        #expect(state.create?.pick == nil)
        _ = state.update(.key(.down))
        #expect(state.create?.pick == nil)
        // Enter with nothing picked and nothing typed asks for a number; PgDn past Int.max does nothing.
        #expect(state.update(.key(.enter)).isEmpty)
        #expect(state.create?.problem == "type an order number")
        #expect(state.update(.key(.pageDown)).isEmpty)
        _ = state.render()
    }
}
