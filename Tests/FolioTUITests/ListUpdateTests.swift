import FolioCore
import FolioTerminal
import Testing

@testable import FolioTUI

/// Every key of the list screen, as `update` sees it: no terminal, no network.
@Suite struct ListUpdateTests {
    typealias Loaded = (state: AppState, request: Int, query: InvoiceQuery)

    /// Presses a key that must ask for a page; returns what it asked.
    func press(_ key: Key, _ state: inout AppState, sourceLocation: SourceLocation = #_sourceLocation) -> (Int, InvoiceQuery)? {
        let effects = state.update(.key(key))
        let load = Fixtures.loadRequest(effects)
        #expect(load != nil, "\(key) asked for no page", sourceLocation: sourceLocation)
        return load
    }

    @Test func downAndUpMoveThenCrossPages() {
        var state = Fixtures.loaded()
        #expect(state.update(.key(.character("j"))).isEmpty)
        #expect(state.list.selected == 1)
        _ = state.update(.key(.down))
        #expect(state.list.selected == 2)
        _ = state.update(.key(.character("k")))
        _ = state.update(.key(.up))
        #expect(state.list.selected == 0)
        // Up on the first row of page 1 does nothing.
        #expect(state.update(.key(.up)).isEmpty)
        // Down past the last row asks for the next page and lands on its first row.
        state.list.selected = 49
        let (request, query) = press(.down, &state)!
        #expect(query.page == 2)
        _ = state.update(.pageLoaded(request: request, .success(Fixtures.page(2, of: 4))))
        #expect(state.list.page == 2 && state.list.selected == 0)
        // Up from there goes back and lands on the last row.
        let (back, previous) = press(.up, &state)!
        #expect(previous.page == 1)
        _ = state.update(.pageLoaded(request: back, .success(Fixtures.page(1, of: 4))))
        #expect(state.list.selected == 49)
    }

    @Test(arguments: [Key.pageDown, .right, .character("]")])
    func nextPageKeys(_ key: Key) {
        var state = Fixtures.loaded()
        #expect(press(key, &state)?.1.page == 2)
    }

    @Test(arguments: [Key.pageUp, .left, .character("[")])
    func previousPageKeys(_ key: Key) {
        var state = Fixtures.loaded(page: Fixtures.page(3, of: 4))
        #expect(press(key, &state)?.1.page == 2)
    }

    @Test func pagingPastTheEndsStays() {
        var state = Fixtures.loaded(page: Fixtures.page(4, of: 4))
        #expect(state.update(.key(.pageDown)).isEmpty)
        #expect(state.message?.text == "this is the last page")
        // PgUp on page 1 asks for nothing and goes to the first row.
        var first = Fixtures.loaded()
        first.list.selected = 5
        #expect(first.update(.key(.pageUp)).isEmpty)
        #expect(first.list.selected == 0)
    }

    @Test func rapidPagingCountsFromThePageOnItsWay() {
        var state = Fixtures.loaded()
        let (first, _) = press(.pageDown, &state)!
        let (second, query) = press(.pageDown, &state)!
        #expect(query.page == 3)
        // The answer to the first press arrives late: dropped, page 3 still awaited.
        _ = state.update(.pageLoaded(request: first, .success(Fixtures.page(2, of: 4))))
        #expect(state.list.page == 1)
        #expect(state.list.loading?.request == second)
        _ = state.update(.pageLoaded(request: second, .success(Fixtures.page(3, of: 4))))
        #expect(state.list.page == 3)
        #expect(state.list.loading == nil)
    }

    @Test(arguments: [Key.home, .character("g")])
    func firstKeys(_ key: Key) {
        var state = Fixtures.loaded(page: Fixtures.page(3, of: 4))
        let (request, query) = press(key, &state)!
        #expect(query.page == 1)
        _ = state.update(.pageLoaded(request: request, .success(Fixtures.page(1, of: 4))))
        #expect(state.list.selected == 0)
        state.list.selected = 7
        #expect(state.update(.key(key)).isEmpty)
        #expect(state.list.selected == 0)
    }

    @Test(arguments: [Key.end, .character("G")])
    func lastKeys(_ key: Key) {
        var state = Fixtures.loaded()
        let (request, query) = press(key, &state)!
        #expect(query.page == 4)
        _ = state.update(.pageLoaded(request: request, .success(Fixtures.page(4, of: 4))))
        #expect(state.list.selected == 49)
    }

    @Test func stateCyclesThroughEveryFilterAndBackToAll() {
        var state = Fixtures.loaded(page: Fixtures.page(2, of: 4))
        var seen: [Set<InvoiceState>] = []
        for _ in 0..<4 {
            let (request, query) = press(.character("s"), &state)!
            #expect(query.page == 1)
            seen.append(query.states)
            _ = state.update(.pageLoaded(request: request, .success(Fixtures.page(1, of: 1))))
        }
        #expect(seen == [[.open], [.paid], [.canceled], []])
    }

    @Test func sortMenuAndReverse() {
        var state = Fixtures.loaded()
        #expect(state.list.query.sort == .createdAt && state.list.query.descending, "newest first: by created")
        #expect(state.press(.sort, in: ListState.keymap).isEmpty)
        guard state[SortMenu.self] != nil else {
            Issue.record("no sort menu")
            return
        }
        _ = state.press(.down, in: SortMenu.keymap)
        _ = state.press(.down, in: SortMenu.keymap)
        let fields = SortMenu.fields
        let chosen = fields[(fields.firstIndex(of: .createdAt)! + 2) % fields.count]
        #expect(chosen != .createdAt)
        let (_, query) = press(.enter, &state)!
        #expect(query.sort == chosen)
        #expect(query.descending)
        #expect(state.dialog == nil)
        let (_, reversed) = press(.character("r"), &state)!
        #expect(!reversed.descending && reversed.sort == chosen)
        // Esc leaves the sort as it was.
        _ = state.press(.sort, in: ListState.keymap)
        _ = state.press(.down, in: SortMenu.keymap)
        #expect(state.press(.close, in: SortMenu.keymap).isEmpty)
        #expect(state.list.query.sort == chosen && state.dialog == nil)
    }

    @Test func reloadAsksAgainFreshAndKeepsTheRow() {
        var state = Fixtures.loaded()
        state.list.selected = 3
        let before = state.list.query
        let effects = state.update(.key(.character("R")))
        guard case .loadPage(let request, let query, let fresh)? = effects.first else {
            Issue.record("no load")
            return
        }
        #expect(fresh && query == before)
        _ = state.update(.pageLoaded(request: request, .success(Fixtures.page(1, of: 4))))
        #expect(state.list.selected == 3)
    }

    @Test func aFailedFilterKeepsItsLabelButNoOldRowsAndRRetriesIt() {
        var state = Fixtures.loaded()
        let (request, _) = press(.character("s"), &state)!
        _ = state.update(.pageLoaded(request: request, .failure(.network(host: "shop", reason: "connection refused"))))
        #expect(state.message?.kind == .error)
        #expect(state.list.query.states == [.open])
        // The rows of "all invoices" are not shown under "state: open".
        #expect(state.list.rows.isEmpty)
        let screen = state.render().text
        #expect(screen.contains("state: open") && !screen.contains("Customer"))
        // Moving keeps the error in view; R retries the same filters.
        _ = state.update(.key(.down))
        #expect(state.message?.kind == .error)
        let (retry, query) = press(.character("R"), &state)!
        #expect(query.states == [.open])
        _ = state.update(.pageLoaded(request: retry, .success(Fixtures.page(1, of: 1))))
        #expect(state.message == nil)
    }

    @Test func searchFindsAnInvoiceAndEscBringsTheFiltersBack() {
        var state = Fixtures.loaded()
        let (stateRequest, _) = press(.character("s"), &state)!
        _ = state.update(.pageLoaded(request: stateRequest, .success(Fixtures.page(1, of: 1))))
        _ = state.update(.key(.character("/")))
        for c in "100000045" { _ = state.update(.key(.character(c))) }
        let effects = state.update(.key(.enter))
        guard case .search(let request, let text)? = effects.first else {
            Issue.record("no search")
            return
        }
        #expect(text == "100000045")
        #expect(state.isBusy)
        let load = Fixtures.loadRequest(state.update(.searched(request: request, .success(.invoice(number: "100000045")))))!
        #expect(load.query.invoiceIncrementIds == ["100000045"])
        #expect(load.query.states.isEmpty)
        #expect(state.list.search?.label == "invoice 100000045")
        let (_, restored) = press(.escape, &state)!
        #expect(restored.states == [.open] && restored.invoiceIncrementIds.isEmpty)
        #expect(state.list.search == nil)
    }

    @Test func searchForAnOrderListsItsInvoices() {
        var state = Fixtures.loaded()
        _ = state.update(.key(.character("/")))
        for c in "100000123" { _ = state.update(.key(.character(c))) }
        guard case .search(let request, _)? = state.update(.key(.enter)).first else {
            Issue.record("no search")
            return
        }
        let load = Fixtures.loadRequest(state.update(.searched(request: request, .success(.order(number: "100000123")))))!
        #expect(load.query.orderIncrementId == "100000123")
        #expect(state.list.search?.label == "order 100000123")
    }

    @Test func searchForNothingSaysSoAndChangesNothing() {
        var state = Fixtures.loaded()
        let before = state.list.query
        _ = state.update(.key(.character("/")))
        for c in "999" { _ = state.update(.key(.character(c))) }
        guard case .search(let request, _)? = state.update(.key(.enter)).first else {
            Issue.record("no search")
            return
        }
        #expect(state.update(.searched(request: request, .success(.nothing(number: "999")))).isEmpty)
        #expect(state.message == StatusMessage(.error, "no invoice or order numbered 999"))
        #expect(state.list.query == before)
        // Text that cannot be searched is refused before any request.
        _ = state.update(.key(.character("/")))
        for c in "a@b" { _ = state.update(.key(.character(c))) }
        #expect(state.update(.key(.enter)).isEmpty)
        #expect(state.message?.text == "“a@b” is not an email address")
        // Esc in the prompt just closes it.
        _ = state.update(.key(.character("/")))
        #expect(state.update(.key(.escape)).isEmpty)
        #expect(state.dialog == nil)
    }

    /// An email address: that customer's invoices, the account's name in the
    /// header; Esc brings the filters back.
    @Test func searchByEmailListsThatCustomersInvoices() {
        var state = Fixtures.loaded()
        let before = state.list.query
        _ = state.update(.key(.character("/")))
        _ = state.update(.paste("Zoe.Fassbender@example.com"))
        guard case .search(let request, "Zoe.Fassbender@example.com")? = state.update(.key(.enter)).first else {
            Issue.record("no search")
            return
        }
        let found = SearchOutcome.customer(.email("Zoe.Fassbender@example.com"), name: "Zoë Faßbender")
        let load = Fixtures.loadRequest(state.update(.searched(request: request, .success(found))))
        #expect(load?.query.customer == .email("Zoe.Fassbender@example.com"))
        #expect(load?.query.states.isEmpty == true && load?.query.createdFrom == nil)
        #expect(state.list.search?.label == "customer Zoë Faßbender <Zoe.Fassbender@example.com>")
        #expect(state.render().text.contains("customer Zoë Faßbender"))
        let back = Fixtures.loadRequest(state.press(.cancel, in: ListState.keymap))
        #expect(back?.query == before.onPage(1) && state.list.search == nil)
    }

    /// Other text: the invoices whose bill-to name contains it.
    @Test func searchByNameListsTheNamesThatContainIt() {
        var state = Fixtures.loaded()
        _ = state.update(.key(.character("/")))
        _ = state.update(.paste("muller"))
        guard case .search(let request, "muller")? = state.update(.key(.enter)).first else {
            Issue.record("no search")
            return
        }
        let load = Fixtures.loadRequest(state.update(.searched(request: request, .success(.customer(.name("muller"), name: nil)))))
        #expect(load?.query.customer == .name("muller"))
        #expect(state.list.search?.label == "name contains “muller”")
    }

    /// Each kind of customer search drawn, with the store's captured answer:
    /// the header names what was asked, every row is that customer's.
    @Test func customerSearchesDrawn() throws {
        for (name, filter, found) in [
            (
                "invoices-customer-email", CustomerFilter.email("Zoe.Fassbender@example.com"),
                SearchOutcome.customer(.email("Zoe.Fassbender@example.com"), name: "Zoë Faßbender")
            ),
            ("invoices-customer-name", .name("muller"), .customer(.name("muller"), name: nil)),
        ] {
            let page = try StoreFixtures.invoices(name)
            #expect(!page.items.isEmpty && page.items.allSatisfy(filter.matches), "\(name): the capture is that customer's")
            var state = Fixtures.loaded()
            _ = state.update(.key(.character("/")))
            _ = state.update(.paste(name == "invoices-customer-email" ? "Zoe.Fassbender@example.com" : "muller"))
            guard case .search(let request, _)? = state.update(.key(.enter)).first,
                let load = Fixtures.loadRequest(state.update(.searched(request: request, .success(found))))
            else {
                Issue.record("\(name): no search")
                continue
            }
            _ = state.update(.pageLoaded(request: load.request, .success(page)))
            try expectStyledSnapshot(state.render(), "list-\(name)")
        }
    }

    /// No invoices for the customer, or a store that cannot search by
    /// customer: said in words; the list, its rows and filters untouched.
    @Test func aCustomerSearchThatFindsNothingOrCannotSearchChangesNothing() {
        for answer in [
            Result<SearchOutcome, FolioError>.success(.noInvoices(.email("nobody@example.com"))),
            .failure(.cannotSearchByCustomer(asked: "nobody@example.com")),
        ] {
            var state = Fixtures.loaded()
            let before = (state.list.query, state.list.rows)
            _ = state.update(.key(.character("/")))
            _ = state.update(.paste("nobody@example.com"))
            guard case .search(let request, _)? = state.update(.key(.enter)).first else {
                Issue.record("no search")
                return
            }
            #expect(state.update(.searched(request: request, answer)).isEmpty)
            #expect(state.list.query == before.0 && state.list.rows == before.1 && state.list.search == nil)
            switch answer {
            case .success: #expect(state.message == StatusMessage(.info, "no invoices for nobody@example.com"))
            case .failure:
                #expect(state.message?.kind == .error)
                #expect(state.message?.text.hasPrefix("this store cannot search invoices by customer") == true)
                #expect(state.message?.text.contains("invoice or order number") == true)
            }
        }
    }

    @Test func datePresetsAndTypedRange() {
        var state = Fixtures.loaded()
        _ = state.update(.key(.character("d")))
        _ = state.update(.key(.down))
        _ = state.update(.key(.down))
        let (_, week) = press(.enter, &state)!
        #expect(week.createdFrom?.text == "2026-11-15" && week.createdTo?.text == "2026-11-21")
        #expect(state.list.dateLabel == "last 7 days")
        _ = state.update(.key(.character("d")))
        for _ in 0..<2 { _ = state.update(.key(.down)) }
        let (_, lastMonth) = press(.enter, &state)!
        #expect(lastMonth.createdFrom?.text == "2026-10-01" && lastMonth.createdTo?.text == "2026-10-31")
        // Typed: digits go to "from", Tab to "to"; a bad date keeps the dialog open.
        _ = state.update(.key(.character("d")))
        for _ in 0..<6 { _ = state.update(.key(.backspace)) }
        for _ in 0..<10 { _ = state.update(.key(.backspace)) }
        for c in "2026-02-30" { _ = state.update(.key(.character(c))) }
        #expect(state.update(.key(.enter)).isEmpty)
        guard let dialog = state[DateRangeDialog.self] else {
            Issue.record("dialog closed")
            return
        }
        #expect(dialog.problem?.contains("not a date") == true)
        for _ in 0..<2 { _ = state.update(.key(.backspace)) }
        for c in "01" { _ = state.update(.key(.character(c))) }
        _ = state.update(.key(.tab))
        for _ in 0..<10 { _ = state.update(.key(.backspace)) }
        for c in "2026-03-31" { _ = state.update(.key(.character(c))) }
        let (_, typed) = press(.enter, &state)!
        #expect(typed.createdFrom?.text == "2026-02-01" && typed.createdTo?.text == "2026-03-31")
        #expect(state.list.dateLabel == nil)
        // "any date" clears the filter.
        _ = state.update(.key(.character("d")))
        for _ in 0..<6 { _ = state.update(.key(.up)) }
        let (_, any) = press(.enter, &state)!
        #expect(any.createdFrom == nil && any.createdTo == nil)
    }

    @Test func helpOpensScrollsAndCloses() {
        var state = Fixtures.loaded(width: 80, height: 12)
        _ = state.update(.key(.character("?")))
        guard let help = state[HelpState.self] else {
            Issue.record("no help")
            return
        }
        #expect(help.lines.contains { $0.keys == "/" })
        _ = state.update(.key(.character("j")))
        guard let scrolled = state[HelpState.self] else {
            Issue.record("help closed")
            return
        }
        #expect(scrolled.scroll == 1)
        // Keys do not reach the list while help is open.
        #expect(state.list.selected == 0)
        _ = state.update(.key(.character("?")))
        #expect(state.dialog == nil)
    }

    @Test func cOpensTheCreateScreenAskingForTheOrder() {
        var state = Fixtures.loaded()
        guard case .loadInvoiceableOrders(_, 1)? = state.update(.key(.character("c"))).first else {
            Issue.record("the orders to pick from were not asked for")
            return
        }
        #expect(state.create?.stage == .askOrder)
        // Keys now go to the create screen, not to the list.
        _ = state.update(.key(.character("j")))
        #expect(state.list.selected == 0 && state.create?.orderNumber.text == "j")
    }

    @Test func enterOpensTheSelectedInvoice() {
        var state = Fixtures.loaded()
        _ = state.update(.key(.down))
        #expect(state.update(.key(.enter)) == [.loadDetail(request: state.lastRequest, id: state.list.rows[1].id)])
        #expect(state.detail?.number == state.list.rows[1].incrementId)
        #expect(state.render().text.contains("loading invoice \(state.list.rows[1].incrementId)"))
    }

    @Test func qAndQQuitTheListEscNever() {
        var state = Fixtures.loaded()
        #expect(state.press(.quit, in: ListState.keymap) == [.quit(status: 0)])
        #expect(state.press(GenericAction.quit) == [.quit(status: 0)])
        #expect(state.press(.cancel, in: ListState.keymap).isEmpty, "Esc with nothing to cancel does nothing")
    }

    /// Esc pressed while a `/` look-up is still out once quit Folio: now it
    /// stops the look-up, whose late answer changes nothing.
    @Test func escStopsASearchStillLooking() {
        var state = Fixtures.loaded()
        let before = state.list.query
        _ = state.press(.search, in: ListState.keymap)
        for c in "100000045" { _ = state.update(.key(.character(c))) }
        guard case .search(let request, _)? = state.update(.key(.enter)).first else {
            Issue.record("no search")
            return
        }
        #expect(state.isBusy)
        #expect(state.press(.cancel, in: ListState.keymap).isEmpty)
        #expect(state.list.searching == nil && !state.isBusy && state.message?.text == "search stopped")
        #expect(state.update(.searched(request: request, .success(.invoice(number: "100000045")))).isEmpty)
        #expect(state.list.search == nil && state.list.query == before)
    }

    /// `Q` quits from any screen that is not taking text; `q` closes the top one.
    @Test func bigQQuitsFromAnywhereLittleQGoesBack() {
        var state = Fixtures.loaded()
        _ = state.press(.open, in: ListState.keymap)
        _ = state.press(GenericAction.help)
        #expect(state[HelpState.self] != nil)
        #expect(state.press(GenericAction.quit) == [.quit(status: 0)])
        #expect(state.update(.key(.character("q"))).isEmpty && state.dialog == nil && state.detail != nil)
        #expect(state.update(.key(.character("q"))).isEmpty && state.detail == nil)
        // In a text field, Q is text.
        _ = state.press(.search, in: ListState.keymap)
        #expect(state.update(.key(.character("Q"))).isEmpty)
        #expect(state[SearchPrompt.self]?.editor.text == "Q")
    }

    @Test func tooSmallTakesOnlyQuit() {
        var state = Fixtures.loaded()
        _ = state.update(.resize(width: 20, height: 5))
        #expect(state.update(.key(.pageDown)).isEmpty)
        #expect(state.update(.key(.character("q"))) == [.quit(status: 0)])
    }

    @Test func selectionStaysOnScreenWhenThePageIsTallerThanTheTerminal() {
        var state = Fixtures.loaded(width: 80, height: 12)
        for _ in 0..<20 { _ = state.update(.key(.down)) }
        #expect(state.list.selected == 20)
        #expect(state.list.top == 20 - state.listBodyHeight + 1)
        #expect(state.render().text.contains(state.list.rows[20].incrementId))
    }

    @Test func ctrlLRedrawsFromAnyScreen() {
        var state = Fixtures.loaded()
        #expect(state.update(.key(.control("l"))) == [.redraw])
        _ = state.update(.resize(width: 10, height: 4))
        #expect(state.update(.key(.control("l"))) == [.redraw])
    }

    @Test func mouseClickPicksARowAndTheWheelScrolls() {
        var state = Fixtures.loaded(width: 80, height: 24)
        // Screen row 5 is the fourth invoice (rows start under the column titles).
        #expect(state.update(.mouse(Mouse(.click, x: 10, y: 5))).isEmpty)
        #expect(state.list.selected == 3)
        // Clicks on the header, the titles or the status bar pick nothing.
        for y in [0, 1, 23] { _ = state.update(.mouse(Mouse(.click, x: 10, y: y))) }
        #expect(state.list.selected == 3)
        _ = state.update(.mouse(Mouse(.wheelDown, x: 0, y: 10)))
        #expect(state.list.selected == 6)
        _ = state.update(.mouse(Mouse(.wheelUp, x: 0, y: 10)))
        _ = state.update(.mouse(Mouse(.wheelUp, x: 0, y: 10)))
        #expect(state.list.selected == 0)
        // At the end of the page the wheel turns it once, however many notches.
        state.list.selected = 48
        let first = state.update(.mouse(Mouse(.wheelDown, x: 0, y: 10)))
        #expect(Fixtures.loadRequest(first)?.query.page == 2)
        #expect(state.update(.mouse(Mouse(.wheelDown, x: 0, y: 10))).isEmpty)
        // Dialogs keep to the keyboard.
        _ = state.update(.key(.character("o")))
        let before = state.list.selected
        _ = state.update(.mouse(Mouse(.click, x: 10, y: 3)))
        #expect(state.list.selected == before)
    }

    @Test func tickTurnsTheSpinner() {
        var state = Fixtures.loaded()
        _ = state.update(.tick)
        _ = state.update(.tick)
        #expect(state.spinner == 2)
    }
}
