import Foundation
import GRDB

/// Invoices in storage: the writes (creating invoices, sending their emails)
/// here, the reads in `InvoiceStore+Reads.swift`. Routes reach the database
/// only through a store.
///
/// Never over-invoice: the quantity check and the `qty_invoiced` increment
/// happen in one write transaction. GRDB serialises the writers of a database
/// pool, so the transaction also holds the order's lock for its whole length;
/// under any number of concurrent creates, a request that loses the race reads
/// the winner's quantities and is refused with nothing written.
struct InvoiceStore: Sendable {
    let database: any DatabaseWriter
    let faults: FaultSwitches
    let clock: @Sendable () -> String

    struct Created: Sendable {
        let invoiceId: Int64
        let emailSent: Bool
    }

    /// `claim`, when the request has an Idempotency-Key, is recorded in the
    /// invoice's own transaction: one invoice per key however many race.
    func create(_ request: CreateInvoiceRequest, claim: IdempotencyClaim? = nil) async throws -> Created {
        if faults.current.lockContention { throw APIError.unavailable }
        let now = clock()
        let (invoiceId, commentId): (Int64, Int64?) = try await database.write(claiming: claim) { db in
            guard let order = try OrderRow.named(request.order).fetchOne(db) else { throw APIError.orderNotFound }
            let items = try OrderItemRow.of(order: order.entityId).fetchAll(db)
            guard order.state != "canceled", order.canInvoice else { throw APIError.cannotCreateInvoice }
            let quantities = try Self.quantities(request.items, items: items)
            guard !quantities.isEmpty else { throw APIError.cannotCreateInvoice }
            let result = InvoiceCalculator.invoice(order: order, items: items, quantities: quantities)

            var transactionId: String?
            if request.capture == .online {
                // The gateway refuses methods that cannot capture online; throwing
                // here rolls the whole transaction back: nothing is saved.
                guard PaymentGateway.capturesOnline(order.paymentMethod) else { throw APIError.gatewayError }
                transactionId = PaymentGateway.transactionId()
            }
            let billingName = try order.billingName(db)
            let increment = try DocumentNumbers.invoices.next(db)
            let paid = request.capture != .noCapture
            var invoice = InvoiceRow(
                entityId: nil, incrementId: increment, orderId: order.entityId, orderIncrementId: order.incrementId,
                state: paid ? 2 : 1, paymentStatus: paid ? "paid" : "pending_payment",
                captureMode: request.capture.rawValue, transactionId: transactionId, emailSent: false,
                totals: result.totals, order: order,
                billingName: billingName, createdAt: now)
            try invoice.insert(db)
            let id = invoice.entityId!
            for var line in result.lines {
                line.invoiceId = id
                try line.insert(db)
            }
            for item in result.updatedItems { try item.update(db) }
            var updatedOrder = result.order
            updatedOrder.updatedAt = now
            try updatedOrder.update(db)
            // The order's history says so, in the same transaction.
            let created = OrderHistoryRow.event("Invoice \(increment) created", order: order.entityId, source: .invoice, at: now)
            try created.insert(db)
            if updatedOrder.status != order.status {
                let changed = OrderHistoryRow.event(
                    "Status changed to \(updatedOrder.status)", order: order.entityId, source: .system, status: updatedOrder.status,
                    at: now)
                try changed.insert(db)
            }
            // Not notified yet: the email goes after this transaction, and marks the comment when it is sent.
            guard let comment = request.comment else { return (id, nil) }
            try InvoiceCommentRow(id: nil, invoiceId: id, comment: comment, isCustomerNotified: false, createdAt: now).insert(db)
            return (id, db.lastInsertedRowID)
        }
        // Email goes after the invoice is saved; a failed send leaves it saved
        // with email_sent 0 and its comment not notified, for an explicit resend.
        var emailSent = false
        if request.sendEmail {
            // The create already recorded the comment on the invoice; the email carries it too.
            emailSent =
                (try? await sendEmail(
                    invoiceId: invoiceId, comment: request.comment, recordComment: false,
                    notifies: commentId)) != nil
        }
        return Created(invoiceId: invoiceId, emailSent: emailSent)
    }

    /// Resolves requested items against the order's, with the reason for any refusal.
    static func quantities(_ requested: [CreateInvoiceRequest.RequestedItem]?, items: [OrderItemRow]) throws -> [Int64: Quantity] {
        guard let requested else {
            return Dictionary(uniqueKeysWithValues: items.filter { $0.qtyToInvoice.scaled > 0 }.map { ($0.itemId, $0.qtyToInvoice) })
        }
        var result: [Int64: Quantity] = [:]
        for entry in requested {
            let item = try entry.reference.one(of: items, id: \.itemId, sku: \.sku, in: "this order")
            let label = entry.reference.label
            guard let item else { throw APIError.invalidItem("\(label) is not an item of this order") }
            guard result[item.itemId] == nil else { throw APIError.invalidItem("\(label) is named twice") }
            guard item.isQtyDecimal || entry.qty.isWhole else {
                throw APIError.invalidItem("\(label): qty \(entry.qty) must be a whole number")
            }
            let left = item.qtyToInvoice
            guard entry.qty <= left else {
                throw APIError.invalidItem("\(label): qty \(entry.qty) requested, only \(left) left to invoice")
            }
            result[item.itemId] = entry.qty
        }
        return result
    }

    /// Sends (records in the outbox) the invoice email and sets `email_sent`;
    /// a resend's comment is also kept in the invoice's history. `notifies`
    /// is a comment recorded earlier (by the create) that this email carries:
    /// it is marked `is_customer_notified` only once the email is sent.
    @discardableResult
    func sendEmail(
        invoiceId: Int64, comment: String?, recordComment: Bool = true, notifies: Int64? = nil,
        claim: IdempotencyClaim? = nil
    ) async throws -> InvoiceRow {
        if faults.current.lockContention { throw APIError.unavailable }
        let smtpFailing = faults.current.smtpFailing
        let now = clock()
        do {
            return try await sending(
                invoiceId: invoiceId, comment: comment, recordComment: recordComment, notifies: notifies,
                smtpFailing: smtpFailing, at: now, claim: claim)
        } catch let error as APIError where error == .emailFailed {
            // The failed send is history too (the send itself left nothing).
            // (If that write fails too, the caller still hears that the email failed.)
            try? await database.write(claiming: nil) { db in
                guard let invoice = try InvoiceRow.fetchOne(db, key: invoiceId) else { return }
                let failed = OrderHistoryRow.event(
                    "Invoice \(invoice.incrementId) email to \(invoice.customerEmail) failed: the mail server did not take it",
                    order: invoice.orderId, source: .email, at: now)
                try failed.insert(db)
            }
            throw APIError.emailFailed
        }
    }

    private func sending(
        invoiceId: Int64, comment: String?, recordComment: Bool, notifies: Int64?, smtpFailing: Bool, at now: String,
        claim: IdempotencyClaim?
    ) async throws -> InvoiceRow {
        try await database.write(claiming: claim) { db in
            guard var invoice = try InvoiceRow.fetchOne(db, key: invoiceId) else { throw APIError.invoiceNotFound }
            if smtpFailing { throw APIError.emailFailed }
            try OutboxRow(
                id: nil, invoiceId: invoiceId, incrementId: invoice.incrementId,
                recipient: invoice.customerEmail, comment: comment, sentAt: now
            ).insert(db)
            let sent = OrderHistoryRow.event(
                "Invoice \(invoice.incrementId) emailed to \(invoice.customerEmail)" + (comment.map { ": \($0)" } ?? ""),
                order: invoice.orderId, source: .email, notified: true, at: now)
            try sent.insert(db)
            if recordComment, let comment {
                try InvoiceCommentRow(
                    id: nil, invoiceId: invoiceId, comment: comment, isCustomerNotified: true,
                    createdAt: now
                ).insert(db)
            }
            if let notifies {
                try InvoiceCommentRow.filter(key: notifies).updateAll(db) { $0.isCustomerNotified.set(to: true) }
            }
            // Only the columns that change: a full-row update names state and
            // created_at too, which fires the count triggers for nothing.
            try invoice.updateChanges(db) {
                $0.emailSent = true
                $0.updatedAt = now
            }
            return invoice
        }
    }
}
