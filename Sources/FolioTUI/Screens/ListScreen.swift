import FolioCore
import FolioTerminal

/// The home screen: one server page of invoices at a time, filtered and
/// sorted on the server. State, keys and update live here; drawing is in ListRender.
///
/// The rows on screen always belong to the filters and sort in the header:
/// choosing other ones clears the rows until their page comes, and a failed
/// load leaves no old rows under a new label.
public struct ListState: Sendable {
    /// What the header shows and R reloads: filters, sort and the page wanted.
    public var query: InvoiceQuery
    public var rows: [InvoiceSummary] = [] {
        didSet { lines = rows.map(ListLine.init) }
    }
    /// The rows as the screen writes them, formatted once when a page arrives
    /// (a keypress then only moves the selection, it formats no money).
    private(set) var lines: [ListLine] = []
    /// The page the rows are from, and what the server said about the rest.
    public var page = 1
    public var lastPage: Int?
    public var total: Int?
    public var hasNext = false
    /// Whether any page has arrived yet.
    public var loaded = false
    public var selected = 0
    /// The first row on screen, when the page is taller than the terminal.
    public var top = 0
    public var loading: Loading?
    /// The load that failed last, while its error is on screen: R tries it again.
    public var failed: Failed?
    /// The request of a `/` lookup in flight.
    public var searching: Int?
    /// A search narrowing the list, and the filters to go back to.
    public var search: SearchFilter?
    /// The name of a date preset ("last 7 days"), shown instead of the dates.
    public var dateLabel: String?

    public struct Loading: Sendable, Equatable {
        public let request: Int
        public let query: InvoiceQuery
        public let landing: Landing
        /// Sent after an empty page to go back to the store's last one: not
        /// done twice, so a store whose pages are all empty cannot make a loop.
        public var retreat = false
    }

    public struct Failed: Sendable, Equatable {
        public let load: Loading
        /// The error shown for it; once another message replaces it, R reloads what is on screen.
        public let message: StatusMessage
    }

    /// Where the selection goes on the page that arrives.
    public enum Landing: Sendable, Equatable { case first, last, keep }

    public struct SearchFilter: Sendable, Equatable {
        public let label: String
        public let previous: InvoiceQuery
        public let previousDateLabel: String?
    }

    public init(pageSize: Int) {
        query = InvoiceQuery()
        query.limit = pageSize
    }

    public var selectedInvoice: InvoiceSummary? { rows.indices.contains(selected) ? rows[selected] : nil }

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

public enum ListAction: Sendable, Equatable {
    case up, down, previousPage, nextPage, first, last
    case open, search, cycleState, dateRange, sort, reverse, reload, create, email, help, back
}

extension ListState {
    public static let keymap = Keymap<ListAction>([
        Binding([.down, .character("j")], .down, "next invoice", hint: "move"),
        Binding([.up, .character("k")], .up, "previous invoice"),
        Binding([.pageDown, .right, .character("]")], .nextPage, "next page", hint: "page"),
        Binding([.pageUp, .left, .character("[")], .previousPage, "previous page"),
        Binding([.home, .character("g")], .first, "first invoice of the first page"),
        Binding([.end, .character("G")], .last, "last invoice of the last page"),
        Binding([.enter], .open, "open the invoice", hint: "open"),
        Binding([.character("/")], .search, "search: an invoice # jumps to it, an order # lists its invoices", hint: "search"),
        Binding([.character("s")], .cycleState, "state: all → open → paid → canceled", hint: "state"),
        Binding([.character("d")], .dateRange, "created date range (typed or presets)", hint: "dates"),
        Binding([.character("o")], .sort, "choose the sort column", hint: "sort"),
        Binding([.character("r")], .reverse, "reverse the sort"),
        Binding([.character("R")], .reload, "reload (and retry after an error)"),
        Binding([.character("c")], .create, "create an invoice"),
        Binding([.character("e")], .email, "resend the invoice email"),
        Binding([.character("?")], .help, "this help", hint: "help"),
        Binding([.character("q"), .escape], .back, "clear the search, else quit", hint: "quit"),
    ])
}

// MARK: - Update

extension AppState {
    mutating func updateList(_ action: ListAction) -> [Effect] {
        switch action {
        case .down:
            if list.selected + 1 < list.rows.count {
                list.selected += 1
            } else if canGo(to: nextPage) {
                return loadList(page: nextPage, landing: .first)
            }
        case .up:
            if list.selected > 0 {
                list.selected -= 1
            } else if list.targetPage > 1 {
                return loadList(page: list.targetPage - 1, landing: .last)
            }
        case .nextPage:
            guard canGo(to: nextPage) else {
                list.selected = max(0, list.rows.count - 1)
                message = StatusMessage(.info, "this is the last page")
                break
            }
            return loadList(page: nextPage, landing: .first)
        case .previousPage:
            guard list.targetPage > 1 else { list.selected = 0; break }
            return loadList(page: list.targetPage - 1, landing: .first)
        case .first:
            if list.targetPage == 1 { list.selected = 0 } else { return loadList(page: 1, landing: .first) }
        case .last:
            let last = list.lastPage ?? (list.hasNext && list.targetPage < Int.max ? list.targetPage + 1 : list.targetPage)
            if last == list.targetPage { list.selected = max(0, list.rows.count - 1) } else { return loadList(page: last, landing: .last) }
        case .open:
            return openSelected()
        case .create:
            return startCreate()
        case .email:
            guard let invoice = list.selectedInvoice else { break }
            overlay = .email(EmailDialog(invoiceId: invoice.id, number: invoice.incrementId, recipient: invoice.customerEmail))
        case .search:
            overlay = .search(LineEditor(prompt: "invoice or order #: ", maxLength: 32))
        case .cycleState:
            var query = list.query
            switch query.states {
            case []: query.states = [1]
            case [1]: query.states = [2]
            case [2]: query.states = [3]
            default: query.states = []
            }
            return loadList(query.onPage(1), landing: .first)
        case .dateRange:
            overlay = .dateRange(DateRangeDialog(today: today, from: list.query.createdFrom, to: list.query.createdTo,
                                                 label: list.dateLabel))
        case .sort:
            overlay = .sort(SortMenu(current: list.query.sort))
        case .reverse:
            var query = list.query
            query.descending.toggle()
            return loadList(query.onPage(1), landing: .first)
        case .reload:
            // Retry what failed while its error shows; else reload what is on screen.
            if let failed = list.failed, message == failed.message {
                message = nil
                return loadList(failed.load.query, landing: failed.load.landing, fresh: true)
            }
            message = nil
            return loadList(list.query, landing: .keep, fresh: true)
        case .help:
            overlay = .help(HelpState(title: "Invoices — keys", lines: ListState.keymap.helpLines + HelpState.everywhere))
        case .back:
            if let search = list.search {
                list.search = nil
                list.dateLabel = search.previousDateLabel
                return loadList(search.previous.onPage(1), landing: .first)
            }
            return [.quit(status: 0)]
        }
        return []
    }

    /// Whether a page exists, as far as the server has said. (A page number
    /// at the end of Int's range has no next: a hostile `last_page` cannot trap.)
    private func canGo(to page: Int) -> Bool {
        guard page > list.targetPage else { return false }
        if let last = list.lastPage { return page <= last }
        return list.hasNext && page - 1 == list.page
    }

    /// The page after the one the user is heading to, if numbers go that far.
    private var nextPage: Int { list.targetPage < Int.max ? list.targetPage + 1 : list.targetPage }

    private mutating func loadList(page: Int, landing: ListState.Landing) -> [Effect] {
        loadList(list.query.onPage(page), landing: landing)
    }

    /// Asks for a page. The query becomes the list's at once (the header shows
    /// what was asked). Rows of other filters or another sort go at once, so
    /// the header never names filters the rows do not match, and so does a
    /// `/` look-up still out (filters chosen after it win); rows of the same
    /// listing stay until the answer comes. An answer to an earlier request
    /// is dropped.
    mutating func loadList(_ query: InvoiceQuery, landing: ListState.Landing, fresh: Bool = false,
                           retreat: Bool = false) -> [Effect] {
        let request = nextRequest()
        if query.onPage(1) != list.query.onPage(1) {
            list.clearRows()
            list.searching = nil
        }
        list.query = query
        list.failed = nil
        list.loading = .init(request: request, query: query, landing: landing, retreat: retreat)
        return [.loadPage(request: request, query: query, fresh: fresh)]
    }

    mutating func pageLoaded(_ request: Int, _ result: Result<Page<InvoiceSummary>, FolioError>) -> [Effect] {
        guard let loading = list.loading, loading.request == request else { return [] }
        list.loading = nil
        let follow = detail?.followsList == true
        detail?.followsList = false
        switch result {
        case .failure(let error):
            // Rows still on screen are of these filters (another page): the
            // header goes back to their page, and R tries the failed one again.
            let turn = !list.rows.isEmpty && loading.query.page != list.page
            if turn { list.query = loading.query.onPage(list.page) }
            let shown = StatusMessage(.error, (turn ? "page \(loading.query.page) did not load: " : "") + error.message + " — R to retry")
            message = shown
            list.failed = .init(load: loading, message: shown)
        case .success(let page):
            let asked = loading.query.page
            // The listing shrank under us (a reload): go once to what is now the last page.
            if page.items.isEmpty, asked > 1, !loading.retreat {
                let last = max(1, min(asked - 1, page.lastPage ?? asked - 1))
                return loadList(loading.query.onPage(last), landing: .last, retreat: true)
            }
            if message?.kind == .error { message = nil }
            list.rows = page.items
            // The page the store says it sent (it may clamp a page past the
            // end); the query follows, so that R reloads what is on screen.
            list.page = page.page
            list.query = loading.query.onPage(page.page)
            list.lastPage = page.lastPage.map { max($0, page.page) }
            list.total = page.total.map { max(0, $0) }
            list.hasNext = page.hasNext && page.page < Int.max
            list.loaded = true
            switch loading.landing {
            case .first: list.selected = 0
            case .last: list.selected = max(0, page.items.count - 1)
            case .keep: list.selected = min(list.selected, max(0, page.items.count - 1))
            }
            if follow { return openSelected() }
        }
        return []
    }

    /// `/` typed a number: ask what it is.
    mutating func startSearch(_ text: String) -> [Effect] {
        let number = text.trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty else { return list.search == nil ? [] : updateList(.back) }
        guard number.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            message = StatusMessage(.error, "“\(number)” is not an invoice or order number")
            return []
        }
        let request = nextRequest()
        list.searching = request
        return [.search(request: request, text: number)]
    }

    mutating func searched(_ request: Int, _ result: Result<SearchOutcome, FolioError>) -> [Effect] {
        guard list.searching == request else { return [] }
        list.searching = nil
        switch result {
        case .failure(let error):
            message = StatusMessage(.error, error.message)
            return []
        case .success(.nothing(let number)):
            message = StatusMessage(.error, "no invoice or order numbered \(number)")
            return []
        case .success(let found):
            // The search replaces the filters (they might hide what was found);
            // Esc brings them back.
            let previous = list.search?.previous ?? list.query
            let previousLabel = list.search == nil ? list.dateLabel : list.search?.previousDateLabel
            var query = InvoiceQuery()
            query.limit = list.query.limit
            query.sort = list.query.sort
            query.descending = list.query.descending
            let label: String
            if case .invoice(let number) = found {
                query.invoiceIncrementIds = [number]
                label = "invoice \(number)"
            } else if case .order(let number) = found {
                query.orderIncrementId = number
                label = "order \(number)"
            } else { return [] }
            list.search = .init(label: label, previous: previous, previousDateLabel: previousLabel)
            list.dateLabel = nil
            message = nil
            return loadList(query, landing: .first)
        }
    }
}
