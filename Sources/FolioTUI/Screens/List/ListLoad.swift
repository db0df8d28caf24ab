import FolioCore
import FolioTerminal

/// The list's pages and look-ups: asking for a page (the rows on screen
/// always belong to the header's filters), taking its answer, and `/`.
extension ListState {
    /// Whether a page exists, as far as the server has said. (A page number
    /// at the end of Int's range has no next: a hostile `last_page` cannot trap.)
    func canGo(to wanted: Int) -> Bool {
        guard wanted > targetPage else { return false }
        if let last = lastPage { return wanted <= last }
        return hasNext && wanted - 1 == page
    }

    /// The page after the one the user is heading to, if numbers go that far.
    var nextPage: Int { targetPage < Int.max ? targetPage + 1 : targetPage }

    mutating func load(page: Int, landing: ListState.Landing, _ desk: inout Desk) -> [Effect] {
        load(query.onPage(page), landing: landing, &desk)
    }

    /// Asks for a page. The query becomes the list's at once (the header shows
    /// what was asked). Rows of other filters or another sort go at once, so
    /// the header never names filters the rows do not match, and so does a
    /// `/` look-up still out (filters chosen after it win); rows of the same
    /// listing stay until the answer comes. An answer to an earlier request
    /// is dropped.
    mutating func load(
        _ query: InvoiceQuery, landing: ListState.Landing, fresh: Bool = false,
        retreat: Bool = false, _ desk: inout Desk
    ) -> [Effect] {
        let request = desk.request()
        if query.onPage(1) != self.query.onPage(1) {
            clearRows()
            searching = nil
        }
        self.query = query
        failed = nil
        loading = .init(request: request, query: query, landing: landing, retreat: retreat)
        return [.loadPage(request: request, query: query, fresh: fresh)]
    }

    mutating func pageLoaded(_ request: Int, _ result: Result<Page<InvoiceSummary>, FolioError>, _ desk: inout Desk) -> [Effect] {
        guard let loading, loading.request == request else { return [] }
        self.loading = nil
        switch result {
        case .failure(let error):
            // Rows still on screen are of these filters (another page): the
            // header goes back to their page, and R tries the failed one again.
            let turn = !rows.isEmpty && loading.query.page != page
            if turn { query = loading.query.onPage(page) }
            let shown = StatusMessage(.error, (turn ? "page \(loading.query.page) did not load: " : "") + error.message + " — R to retry")
            desk.message = shown
            failed = .init(load: loading, message: shown)
        case .success(let answer):
            let asked = loading.query.page
            // The listing shrank under us (a reload): go once to what is now the last page.
            if answer.items.isEmpty, asked > 1, !loading.retreat {
                let last = max(1, min(asked - 1, answer.lastPage ?? asked - 1))
                return load(loading.query.onPage(last), landing: .last, retreat: true, &desk)
            }
            if desk.message?.kind == .error { desk.message = nil }
            rows = answer.items
            // The page the store says it sent (it may clamp a page past the
            // end); the query follows, so that R reloads what is on screen.
            page = answer.page
            query = loading.query.onPage(answer.page)
            lastPage = answer.lastPage.map { max($0, answer.page) }
            total = answer.total.map { max(0, $0) }
            hasNext = answer.hasNext && answer.page < Int.max
            loaded = true
            switch loading.landing {
            case .first: selected = 0
            case .last: selected = max(0, answer.items.count - 1)
            case .keep: selected = min(selected, max(0, answer.items.count - 1))
            }
        }
        return []
    }

    /// `/` typed something: ask what it is (nothing typed clears the search).
    mutating func startSearch(_ text: String, _ desk: inout Desk) -> [Effect] {
        let typed = text.trimmingCharacters(in: .whitespaces)
        guard !typed.isEmpty else { return clearSearch(&desk) }
        do throws(FolioError) {
            _ = try SearchTerm.reading(typed)
        } catch {
            desk.message = StatusMessage(.error, error.message)
            return []
        }
        let request = desk.request()
        searching = request
        return [.search(request: request, text: typed)]
    }

    mutating func searched(_ request: Int, _ result: Result<SearchOutcome, FolioError>, _ desk: inout Desk) -> [Effect] {
        guard searching == request else { return [] }
        searching = nil
        switch result {
        case .failure(let error):
            desk.message = StatusMessage(.error, error.message)
            return []
        case .success(.nothing(let number)):
            desk.message = StatusMessage(.error, "no invoice or order numbered \(number)")
            return []
        case .success(.noInvoices(let filter)):
            desk.message = StatusMessage(.info, "no invoices for \(filter.label)")
            return []
        case .success(let found):
            // The search replaces the filters (they might hide what was found);
            // Esc brings them back.
            let previous = search?.previous ?? self.query
            let previousLabel = search == nil ? dateLabel : search?.previousDateLabel
            var query = InvoiceQuery()
            query.limit = self.query.limit
            query.sort = self.query.sort
            query.descending = self.query.descending
            let label: String
            if case .invoice(let number) = found {
                query.invoiceIncrementIds = [number]
                label = "invoice \(number)"
            } else if case .order(let number) = found {
                query.orderIncrementId = number
                label = "order \(number)"
            } else if case .customer(let filter, let name) = found {
                query.customer = filter
                label = name.map { "customer \($0) <\(filter.label)>" } ?? (filter.isEmail ? "customer \(filter.label)" : filter.label)
            } else {
                return []
            }
            search = .init(label: label, previous: previous, previousDateLabel: previousLabel)
            dateLabel = nil
            desk.message = nil
            return load(query, landing: .first, &desk)
        }
    }
}
