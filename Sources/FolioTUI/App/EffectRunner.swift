import FolioCore
import Synchronization

/// Performs effects against the store, through FolioCore, each in its own
/// task; the answer comes back as an event.
final class EffectRunner: Sendable {
    let client: APIClient
    let pages: InvoicePageCache
    /// Where every write is recorded before it is sent.
    let journal: WriteJournal
    /// Whether this run has compacted the journal yet.
    private let compacted = Atomic<Bool>(false)

    init(client: APIClient, journal: WriteJournal) {
        self.client = client
        self.journal = journal
        pages = InvoicePageCache(client: client)
    }

    func perform(_ effect: Effect, post: @escaping @Sendable (Event) -> Void) {
        switch effect {
        case .loadPage(let request, let query, let fresh):
            Task { [pages] in
                do {
                    let page = try await pages.page(query, generation: request, fresh: fresh)
                    post(.pageLoaded(request: request, .success(page)))
                } catch let error as FolioError {
                    post(.pageLoaded(request: request, .failure(error)))
                } catch {
                    // Cancelled: a newer request replaced this one, and its answer will come.
                }
            }
        case .search(let request, let text):
            answer({ .searched(request: request, $0) }, post) { [client] () async throws(FolioError) in
                try await EffectRunner.lookUp(text, client: client)
            }
        case .loadDetail(let request, let id):
            answer({ .detailLoaded(request: request, $0) }, post) { [client] () async throws(FolioError) in try await client.invoice(id: id)
            }
        case .loadOrder(let request, let id):
            answer({ .orderLoaded(request: request, $0) }, post) { [client] () async throws(FolioError) in try await client.order(id: id) }
        case .loadHistory(let request, let orderId):
            answer({ .historyLoaded(request: request, $0) }, post) { [client] () async throws(FolioError) in
                try await client.history(orderId: orderId)
            }
        case .loadOrderForCreate(let request, let number):
            answer({ .createOrderLoaded(request: request, $0) }, post) { [client] () async throws(FolioError) in
                try await client.order(number: number)
            }
        case .loadInvoiceableOrders(let request, let page):
            answer({ .invoiceableOrdersLoaded(request: request, $0) }, post) { [client] () async throws(FolioError) in
                try await client.orders(page: page, limit: 20, invoiceable: true)
            }
        case .createInvoice(let request, let plan, let evenIfPending):
            answer({ .invoiceCreated(request: request, $0) }, post) { [client, journal] () async throws(FolioError) in
                try await client.createInvoice(plan, journal: journal, evenIfPending: evenIfPending)
            }
        case .loadOrderInvoices(let request, let number):
            answer({ .orderInvoicesLoaded(request: request, $0) }, post) { [client] () async throws(FolioError) in
                try await client.orderInvoices(number)
            }
        case .checkResend(let request, let invoiceId, let number, let orderNumber, let emailSent, let recipient):
            Task { [client, journal] in
                let check = await client.resendCheck(
                    invoiceId: invoiceId, number: number, orderNumber: orderNumber, emailSent: emailSent, recipient: recipient,
                    journal: journal)
                post(.resendChecked(request: request, check))
            }
        case .sendEmail(let request, let resend, let evenIfPending):
            answer({ .emailSent(request: request, $0) }, post) { [client, journal] () async throws(FolioError) in
                try await client.resend(resend, journal: journal, evenIfPending: evenIfPending)
            }
        case .addNote(let request, let orderNumber, let invoiceNumber, let text, let evenIfPending):
            answer({ .noteAdded(request: request, $0) }, post) { [client, journal] () async throws(FolioError) in
                try await client.addNote(
                    orderNumber: orderNumber, text: text, aboutInvoice: invoiceNumber, journal: journal, evenIfPending: evenIfPending)
            }
        case .loadRefundSource(let request, let number):
            answer({ .refundSourceLoaded(request: request, $0) }, post) { [client] () async throws(FolioError) in
                try await client.refundSource(invoiceNumber: number)
            }
        case .createCreditMemo(let request, let plan, let evenIfPending):
            answer({ .creditMemoCreated(request: request, $0) }, post) { [client, journal] () async throws(FolioError) in
                try await client.createCreditMemo(plan, journal: journal, evenIfPending: evenIfPending)
            }
        case .checkWrites(let request, let delay):
            answer({ .writesChecked(request: request, $0) }, post) { [client, journal, self] () async throws(FolioError) in
                if delay > .zero { try? await Task.sleep(for: delay) }
                // Once a run, off the terminal's thread: the first frame never waits on the file.
                if !self.compacted.exchange(true, ordering: .relaxed) { try? journal.compact() }
                return try await client.resolveOpenWrites(journal)
            }
        case .settleWrite(let request, let reference, let note):
            answer({ .writesChecked(request: request, $0) }, post) { [client, journal] () async throws(FolioError) in
                try journal.settle(reference, note: note)
                return try await client.resolveOpenWrites(journal)
            }
        case .quit, .redraw, .copy, .suspend:
            break
        }
    }

    /// Runs `work` in a task and posts its result, success or failure, as the event `event` makes of it.
    private func answer<T: Sendable>(
        _ event: @escaping @Sendable (Result<T, FolioError>) -> Event,
        _ post: @escaping @Sendable (Event) -> Void,
        _ work: @escaping @Sendable () async throws(FolioError) -> T
    ) {
        Task {
            do throws(FolioError) {
                post(event(.success(try await work())))
            } catch {
                post(event(.failure(error)))
            }
        }
    }

    /// What was typed: an invoice number if one has it, else an order
    /// number if one has it; an email address or part of a name, the
    /// customer's invoices, checked (a store that ignores the filter is
    /// said to, never shown).
    static func lookUp(_ text: String, client: APIClient) async throws(FolioError) -> SearchOutcome {
        switch try SearchTerm.reading(text) {
        case .number(let number): return try await lookUp(number: number, client: client)
        case .customer(let filter):
            var query = InvoiceQuery()
            query.customer = filter
            query.includePagination = false
            guard !(try await client.invoices(query).items.isEmpty) else { return .noInvoices(filter) }
            guard case .email(let email) = filter else { return .customer(filter, name: nil) }
            // The account's name for the header; a guest's email has none, and a failed look-up costs nothing.
            let customer = try? await client.customer(email: email)
            // A name is shown over the invoices only for the account of the very address asked.
            let theirs = customer.flatMap { $0.email.map(CustomerFilter.fold) } == CustomerFilter.fold(email)
            return .customer(filter, name: theirs ? customer?.name : nil)
        }
    }

    static func lookUp(number: String, client: APIClient) async throws(FolioError) -> SearchOutcome {
        var query = InvoiceQuery()
        query.invoiceIncrementIds = [number]
        query.limit = 1
        query.includePagination = false
        if try await client.invoices(query).items.contains(where: { $0.incrementId == number }) {
            return .invoice(number: number)
        }
        do {
            _ = try await client.order(number: number)
            return .order(number: number)
        } catch .notFound {
            return .nothing(number: number)
        }
    }
}
