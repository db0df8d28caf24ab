import FolioCore
import FolioTerminal

/// Everything that can change the state: a key, a new size, a spinner tick,
/// or the answer to an effect. Answers carry the number of the request they
/// answer, so one that is no longer wanted is recognised and dropped.
public enum Event: Sendable {
    case key(Key)
    case mouse(Mouse)
    case resize(width: Int, height: Int)
    /// Pasted text (bracketed paste): goes into the text field that has the
    /// cursor, as text; it never presses a key.
    case paste(String)
    /// The spinner's clock, while something is loading.
    case tick
    case pageLoaded(request: Int, Result<Page<InvoiceSummary>, FolioError>)
    case searched(request: Int, Result<SearchOutcome, FolioError>)
    case detailLoaded(request: Int, Result<InvoiceDetail, FolioError>)
    case orderLoaded(request: Int, Result<Order, FolioError>)
    case createOrderLoaded(request: Int, Result<Order, FolioError>)
    case invoiceableOrdersLoaded(request: Int, Result<Page<Order>, FolioError>)
    case invoiceCreated(request: Int, Result<CreatedInvoice, FolioError>)
    /// An order's invoices, newest first (shown after a create of unknown outcome).
    case orderInvoicesLoaded(request: Int, Result<[InvoiceSummary], FolioError>)
    /// An order's history, newest first (under an invoice).
    case historyLoaded(request: Int, Result<[OrderHistoryEntry], FolioError>)
    /// When the invoice's email last went out, looked up as the resend dialog opens.
    case resendChecked(request: Int, ResendCheck)
    /// The resend's answer, and its note's.
    case emailSent(request: Int, Result<ResendReport, FolioError>)
    /// An invoice as a refund sees it.
    case refundSourceLoaded(request: Int, Result<RefundSource, FolioError>)
    /// A refund's answer.
    case creditMemoCreated(request: Int, Result<CreatedCreditMemo, FolioError>)
    /// An internal note's answer.
    case noteAdded(request: Int, Result<AddedNote, FolioError>)
    /// The writes that were open, as they stand after a look for each by its reference.
    case writesChecked(request: Int, Result<[JournalEntry], FolioError>)
}

/// Work for the world outside `update`: the runtime performs it and sends the
/// result back as an `Event`. Values, so that tests can see what would happen.
public enum Effect: Sendable, Equatable {
    /// A page of the listing; `fresh` skips (and clears) the page cache.
    case loadPage(request: Int, query: InvoiceQuery, fresh: Bool)
    /// What a typed number is: an invoice, an order, or nothing.
    case search(request: Int, text: String)
    /// The full invoice (admin detail, else the /api2 lookup).
    case loadDetail(request: Int, id: Int64)
    case loadOrder(request: Int, id: Int64)
    /// An order's history, for the invoice on screen.
    case loadHistory(request: Int, orderId: Int64)
    case loadOrderForCreate(request: Int, number: String)
    /// A page of the orders that can still be invoiced (`can_invoice=1`).
    case loadInvoiceableOrders(request: Int, page: Int)
    /// Create, never twice: journaled, sent once, done / refused / unknown.
    case createInvoice(request: Int, plan: CapturePlan, evenIfPending: Bool)
    case loadOrderInvoices(request: Int, number: String)
    /// When the invoice's email last went out: the order's history, read now, and the journal.
    case checkResend(request: Int, invoiceId: Int64, number: String, orderNumber: String?, emailSent: Bool?, recipient: String?)
    /// Resend, journaled, then note it in the order's history.
    case sendEmail(request: Int, resend: Resend, evenIfPending: Bool)
    /// An internal note on the order's history, journaled.
    case addNote(request: Int, orderNumber: String, invoiceNumber: String?, text: String, evenIfPending: Bool)
    /// An invoice as a refund sees it, with which items are sold in fractions.
    case loadRefundSource(request: Int, invoiceNumber: String)
    /// Refund, never twice: journaled, sent once, done / refused / unknown.
    case createCreditMemo(request: Int, plan: RefundPlan, evenIfPending: Bool)
    /// Look for every open write of the journal by its reference, after `after`.
    case checkWrites(request: Int, after: Duration)
    /// A clerk closes an open write by hand, with what they saw.
    case settleWrite(request: Int, reference: OperationReference, note: String)
    /// Put text on the clipboard of the terminal the user sits at (OSC 52).
    case copy(text: String)
    /// Paint the whole screen again (Ctrl-L, after something scribbled on it).
    case redraw
    /// Stop as Ctrl-Z would (when the key arrives as a key, not as SIGTSTP).
    case suspend
    case quit(status: Int32)
}

/// What `/` found for what was typed.
public enum SearchOutcome: Sendable, Equatable {
    case invoice(number: String)
    case order(number: String)
    case nothing(number: String)
    /// A customer's invoices (by email, or a part of the bill-to name), the
    /// first page checked row by row; `name` is the customer's, when the
    /// store has an account for the email.
    case customer(CustomerFilter, name: String?)
    /// The store searches by customer and has no invoice for this one.
    case noInvoices(CustomerFilter)
}
