import FolioCore
import FolioTerminal

/// The home screen: one server page of invoices at a time, filtered and
/// sorted on the server. State, keys and update live here; drawing is in ListRender.
///
/// The rows on screen always belong to the filters and sort in the header:
/// choosing other ones clears the rows until their page comes, and a failed
/// load leaves no old rows under a new label.
struct ListState: Sendable {
    /// What the header shows and R reloads: filters, sort and the page wanted.
    var query: InvoiceQuery
    var rows: [InvoiceSummary] = [] {
        didSet { table = ListState.table(rows) }
    }
    /// The rows as the screen writes them, formatted once when a page arrives
    /// (a keypress then only moves the selection, it formats no money).
    private(set) var table = ListState.table([])
    /// The page the rows are from, and what the server said about the rest.
    var page = 1
    var lastPage: Int?
    var total: Int?
    var hasNext = false
    /// Whether any page has arrived yet.
    var loaded = false
    var selected = 0
    /// The first row on screen, when the page is taller than the terminal.
    var top = 0
    var loading: Loading?
    /// The load that failed last, while its error is on screen: R tries it again.
    var failed: Failed?
    /// The request of a `/` lookup in flight.
    var searching: Int?
    /// A search narrowing the list, and the filters to go back to.
    var search: SearchFilter?
    /// The name of a date preset ("last 7 days"), shown instead of the dates.
    var dateLabel: String?

    struct Loading: Sendable, Equatable {
        let request: Int
        let query: InvoiceQuery
        let landing: Landing
        /// Sent after an empty page to go back to the store's last one: not
        /// done twice, so a store whose pages are all empty cannot make a loop.
        var retreat = false
    }

    struct Failed: Sendable, Equatable {
        let load: Loading
        /// The error shown for it; once another message replaces it, R reloads what is on screen.
        let message: StatusMessage
    }

    /// Where the selection goes on the page that arrives.
    enum Landing: Sendable, Equatable { case first, last, keep }

    struct SearchFilter: Sendable, Equatable {
        let label: String
        let previous: InvoiceQuery
        let previousDateLabel: String?
    }

    init(pageSize: Int) {
        query = InvoiceQuery()
        query.limit = pageSize
    }

    var selectedInvoice: InvoiceSummary? { rows.indices.contains(selected) ? rows[selected] : nil }

    /// The page the user is heading to: the one loading, else the one shown.
    var targetPage: Int { loading?.query.page ?? page }

    /// Forgets the rows (they belong to filters no longer asked for).
    mutating func clearRows() {
        rows = []
        selected = 0
        top = 0
        page = 1
        lastPage = nil
        total = nil
        hasNext = false
        loaded = false
    }
}

enum ListAction: Sendable, Equatable {
    case up, down, previousPage, nextPage, first, last
    case open, search, cycleState, dateRange, sort, reverse, reload, create, email, quit, cancel
}

extension ListState: Room {
    static let keymap = Keymap<ListAction>([
        Binding([.down, .character("j")], .down, "next invoice (past the end of a page: the next page)", hint: "move"),
        Binding([.up, .character("k")], .up, "previous invoice (past the start of a page: the previous page)"),
        Binding([.pageDown, .right, .character("]")], .nextPage, "next page", hint: "page"),
        Binding([.pageUp, .left, .character("[")], .previousPage, "previous page"),
        Binding([.home, .character("g")], .first, "first invoice of the first page"),
        Binding([.end, .character("G")], .last, "last invoice of the last page"),
        Binding([.enter], .open, "open the invoice", hint: "open"),
        Binding(
            [.character("/")], .search,
            "search: an invoice number shows that invoice; an order number lists its invoices; an email address lists that customer's invoices; other text lists the invoices whose bill-to name contains it",
            hint: "search"),
        Binding([.character("s")], .cycleState, "state filter: all → open → paid → canceled → all", hint: "state"),
        Binding(
            [.character("d")], .dateRange, "created date range: presets (today, last 7 days, this month, last month) or typed dates",
            hint: "dates"),
        Binding([.character("o")], .sort, "choose the sort column", hint: "sort"),
        Binding([.character("r")], .reverse, "reverse the sort"),
        Binding([.character("R")], .reload, "reload (and retry after an error)"),
        Binding([.character("c")], .create, "create an invoice (see below)"),
        Binding([.character("e")], .email, "resend the selected invoice's email (a dialog: recipient, optional comment)"),
        Binding([.character("q")], .quit, "quit Folio", hint: "quit"),
        Binding([.escape], .cancel, "stop a search still looking, else clear the search filter (never quits)"),
    ])

    var keymap: Keymap<ListAction> { ListState.keymap }
    var title: String { "Invoices — keys" }

    var waiting: String? {
        if searching != nil { return "looking up" }
        return loading != nil ? "loading" : nil
    }

    func unavailable(_ action: ListAction, _ desk: Desk) -> String? {
        switch action {
        case .open, .email: selectedInvoice == nil ? (loading != nil ? "the invoices are still loading" : "no invoice selected") : nil
        default: nil
        }
    }

    mutating func perform(_ action: ListAction, _ desk: inout Desk) -> [Effect] {
        switch action {
        case .down:
            if selected + 1 < rows.count {
                selected += 1
            } else if canGo(to: nextPage) {
                return load(page: nextPage, landing: .first, &desk)
            }
        case .up:
            if selected > 0 {
                selected -= 1
            } else if targetPage > 1 {
                return load(page: targetPage - 1, landing: .last, &desk)
            }
        case .nextPage:
            guard canGo(to: nextPage) else {
                selected = max(0, rows.count - 1)
                desk.message = StatusMessage(.info, "this is the last page")
                break
            }
            return load(page: nextPage, landing: .first, &desk)
        case .previousPage:
            guard targetPage > 1 else {
                selected = 0
                break
            }
            return load(page: targetPage - 1, landing: .first, &desk)
        case .first:
            if targetPage == 1 { selected = 0 } else { return load(page: 1, landing: .first, &desk) }
        case .last:
            let last = lastPage ?? (hasNext && targetPage < Int.max ? targetPage + 1 : targetPage)
            if last == targetPage { selected = max(0, rows.count - 1) } else { return load(page: last, landing: .last, &desk) }
        case .open:
            if let invoice = selectedInvoice { desk.push(Pager(invoice: invoice.id, number: invoice.incrementId)) }
        case .create:
            desk.push(CreateState())
        case .email:
            if let invoice = selectedInvoice {
                desk.push(
                    EmailDialog(
                        invoiceId: invoice.id, number: invoice.incrementId, orderNumber: invoice.orderIncrementId,
                        recipient: invoice.customerEmail, emailSent: invoice.emailSent))
            }
        case .search:
            desk.push(SearchPrompt())
        case .cycleState:
            var query = query
            // all → open → paid → canceled → all
            let cycle = InvoiceQuery.filterableStates
            if query.states.count == 1, let now = query.states.first, let index = cycle.firstIndex(of: now) {
                query.states = index + 1 < cycle.count ? [cycle[index + 1]] : []
            } else {
                query.states = query.states.isEmpty ? [cycle[0]] : []
            }
            return load(query.onPage(1), landing: .first, &desk)
        case .dateRange:
            desk.push(DateRangeDialog(today: desk.today, from: query.createdFrom, to: query.createdTo, label: dateLabel))
        case .sort:
            desk.push(SortMenu(current: query.sort))
        case .reverse:
            var query = query
            query.descending.toggle()
            return load(query.onPage(1), landing: .first, &desk)
        case .reload:
            // Retry what failed while its error shows; else reload what is on screen.
            if let failed, desk.message == failed.message {
                desk.message = nil
                return load(failed.load.query, landing: failed.load.landing, fresh: true, &desk)
            }
            desk.message = nil
            return load(query, landing: .keep, fresh: true, &desk)
        case .quit:
            return [.quit(status: 0)]
        case .cancel:
            // A look-up still out is forgotten (its answer is dropped); else the filters come back.
            if searching != nil {
                searching = nil
                desk.message = StatusMessage(.info, "search stopped")
                return []
            }
            return clearSearch(&desk)
        }
        return []
    }

    /// The filters from before the search, if a search narrows the list.
    mutating func clearSearch(_ desk: inout Desk) -> [Effect] {
        guard let search else { return [] }
        self.search = nil
        dateLabel = search.previousDateLabel
        return load(search.previous.onPage(1), landing: .first, &desk)
    }

    /// What a dialog of the list's chose.
    mutating func apply(_ change: ListFilter, _ desk: inout Desk) -> [Effect] {
        switch change {
        case .search(let text):
            return startSearch(text, &desk)
        case .sort(let field):
            var query = query
            query.sort = field
            return load(query.onPage(1), landing: .first, &desk)
        case .created(let from, let to, let label):
            var query = query
            query.createdFrom = from
            query.createdTo = to
            dateLabel = label
            return load(query.onPage(1), landing: .first, &desk)
        }
    }

    /// After a write: the page on screen again, fresh from the store.
    /// (A page turn still out keeps where it lands.)
    mutating func reload(_ desk: inout Desk) -> [Effect] { load(query, landing: loading?.landing ?? .keep, fresh: true, &desk) }

    mutating func receive(_ event: Event, _ desk: inout Desk) -> [Effect] {
        switch event {
        case .pageLoaded(let request, let result): pageLoaded(request, result, &desk)
        case .searched(let request, let result): searched(request, result, &desk)
        default: []
        }
    }

    /// The mouse (when switched on): a click picks a row, the wheel moves
    /// the selection as the arrow keys do.
    mutating func point(_ mouse: Mouse, _ desk: inout Desk) -> [Effect] {
        switch mouse.action {
        case .wheelUp, .wheelDown:
            // Three rows a notch; at the edge of the page, one page turn (not one per notch).
            let down = mouse.action == .wheelDown
            for _ in 0..<3 {
                if down ? selected + 1 < rows.count : selected > 0 {
                    selected += down ? 1 : -1
                } else {
                    return loading == nil ? perform(down ? .down : .up, &desk) : []
                }
            }
            return []
        case .click:
            let index = ListState.scrolledTop(top: top, selected: selected, visible: ListState.bodyHeight(desk.height)) + mouse.y - 2
            if mouse.y >= 2, mouse.y < desk.height - 1, rows.indices.contains(index) { selected = index }
            return []
        }
    }

    func render(into canvas: inout Canvas, _ desk: Desk) { draw(into: &canvas, desk) }
}

extension AppState {
    /// Asks for a page of the list (the first one, at start).
    mutating func loadList(_ query: InvoiceQuery, landing: ListState.Landing) -> [Effect] {
        runList { list, desk in list.load(query, landing: landing, &desk) }
    }

    /// Rows of the list's body at this size.
    var listBodyHeight: Int { ListState.bodyHeight(height) }
}
