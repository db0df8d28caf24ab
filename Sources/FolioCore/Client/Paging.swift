/// Every page of a listing, one after another: what `folio invoices export`
/// streams. The next page is fetched while the caller works on this one, so
/// the server's time and the caller's overlap; at most two pages are held.
///
/// The store's paging metadata is not trusted to end the walk: it stops at
/// an empty page, at `last_page`, once `total` rows have come, at the end of
/// Int's range, and with an error when a page repeats the one before it (a
/// store that ignores `page` and says `has_next` for ever).
public struct InvoicePages: AsyncSequence, Sendable {
    public typealias Element = Page<InvoiceSummary>
    let client: APIClient
    let query: InvoiceQuery

    public init(client: APIClient, query: InvoiceQuery) {
        self.client = client
        self.query = query
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let client: APIClient
        var query: InvoiceQuery
        var done = false
        var ahead: Task<Page<InvoiceSummary>, any Error>?
        /// Rows streamed so far, and the ids of the last page (to see a repeat).
        var streamed = 0
        var lastIDs: [Int64] = []

        public mutating func next() async throws -> Page<InvoiceSummary>? {
            guard !done else { return nil }
            let client = self.client
            let query = self.query
            let page = try await (ahead ?? Task { try await client.invoices(query) }).value
            ahead = nil
            let ids = page.items.map(\.id)
            if !ids.isEmpty, ids == lastIDs {
                done = true
                throw FolioError.malformedResponse(
                    field: "page",
                    reason: "page \(query.page) repeats page \(query.page - 1): the store does not page this listing")
            }
            lastIDs = ids
            streamed += page.items.count
            done =
                !page.hasNext || page.items.isEmpty || query.page == Int.max
                || page.lastPage.map { query.page >= $0 } == true || page.total.map { streamed >= $0 } == true
            if !done { self.query.page += 1 }
            if !done {
                let next = self.query
                ahead = Task { try await client.invoices(next) }
            }
            return page
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(client: client, query: query) }
}

/// Pages of the listing on screen, fetched ahead of the user.
///
/// Asking for a page answers at once when it is here, else fetches it; either
/// way the next page is then fetched in the background, so that paging
/// forward never waits on the network. Only the pages next to the one asked
/// for are kept, so a long session holds three pages, not all it has read. When the query changes (a new filter
/// or sort), fetches for the old one are cancelled and its pages dropped.
public actor InvoicePageCache {
    let client: APIClient
    private var pages: [Int: Page<InvoiceSummary>] = [:]
    private var inFlight: [Int: Task<Page<InvoiceSummary>, any Error>] = [:]
    private var current: InvoiceQuery?
    private var generation = 0

    public init(client: APIClient) { self.client = client }

    /// The page `query.page` of `query`; starts fetching the page after it.
    ///
    /// `generation` orders requests made from separate tasks: one that
    /// arrives after a later one has been seen is stale and gives up with
    /// `CancellationError` instead of resetting the cache to an old query.
    /// `fresh` forgets every page first (a reload).
    public func page(_ query: InvoiceQuery, generation: Int? = nil, fresh: Bool = false) async throws -> Page<InvoiceSummary> {
        if let generation {
            guard generation >= self.generation else { throw CancellationError() }
            self.generation = generation
        }
        if fresh { invalidate() }
        reset(to: query)
        let page = try await fetch(query.page)
        // Only the neighbours stay: memory does not grow with the pages read.
        pages = pages.filter { abs($0.key - query.page) <= 1 }
        if page.hasNext, query.page < Int.max { prefetch(query.page + 1) }
        return page
    }

    /// Whether a page is already here (the next one, usually).
    public func isCached(_ query: InvoiceQuery) -> Bool {
        current?.onPage(1) == query.onPage(1) && pages[query.page] != nil
    }

    /// Forgets everything (a reload, or a write that changed the listing).
    public func invalidate() {
        for task in inFlight.values { task.cancel() }
        inFlight = [:]
        pages = [:]
    }

    private func reset(to query: InvoiceQuery) {
        guard current?.onPage(1) != query.onPage(1) else { return }
        invalidate()
        current = query.onPage(1)
    }

    private func fetch(_ number: Int) async throws -> Page<InvoiceSummary> {
        if let page = pages[number] { return page }
        let task = inFlight[number] ?? start(number)
        return try await task.value
    }

    private func prefetch(_ number: Int) {
        guard pages[number] == nil, inFlight[number] == nil else { return }
        _ = start(number)
    }

    private func start(_ number: Int) -> Task<Page<InvoiceSummary>, any Error> {
        let query = current!.onPage(number)
        let client = self.client
        let task = Task { try await client.invoices(query) }
        inFlight[number] = task
        Task { await self.settle(number, query: query, task: task) }
        return task
    }

    private func settle(_ number: Int, query: InvoiceQuery, task: Task<Page<InvoiceSummary>, any Error>) async {
        let result = await task.result
        // A stale answer (the query changed meanwhile) is dropped.
        guard current == query.onPage(1), inFlight[number] == task else { return }
        inFlight[number] = nil
        if case .success(let page) = result { pages[number] = page }
    }
}
