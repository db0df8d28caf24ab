import FolioCore
import FolioTerminal
@testable import FolioTUI
import Testing

/// The rows on screen always match the header, whatever fails or arrives late.
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
        #expect(reload.query.states == [1] && reload.query.page == 1)

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
        guard case .search(let search, _)? = state.update(.key(.enter)).first else { Issue.record("no search"); return }
        let filter = try #require(Self.press(.character("s"), &state))
        // The look-up answers after the filter was chosen: dropped.
        #expect(state.update(.searched(request: search, .success(.invoice(number: "100000045")))).isEmpty)
        #expect(state.list.search == nil && state.list.query.states == [1])
        _ = state.update(.pageLoaded(request: filter.request, .success(Fixtures.page(1, of: 1))))
        #expect(state.render().text.contains("state: open"))
        #expect(!state.isBusy)
    }
}
