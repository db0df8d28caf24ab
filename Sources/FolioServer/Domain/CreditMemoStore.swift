import GRDB

/// Credit memos in storage: creating one (and sending its email), reading one.
///
/// Never over-refund: the source is read, every limit checked and every tally
/// (invoice lines, invoices, order items, the order) incremented in one write
/// transaction. GRDB runs one write transaction at a time, so a request that
/// loses a race reads the winner's tallies and is refused with nothing
/// written, as invoice creates are (see `InvoiceStore`).
struct CreditMemoStore: Sendable {
    let database: any DatabaseWriter
    let faults: FaultSwitches
    let clock: @Sendable () -> String

    /// `claim`, when the request has an Idempotency-Key, is recorded in the
    /// credit memo's own transaction: one credit memo per key however many race.
    /// Returns the new credit memo's id.
    func create(_ request: CreateCreditMemoRequest, claim: IdempotencyClaim? = nil) async throws -> Int64 {
        if faults.current.lockContention { throw APIError.unavailable }
        let now = clock()
        let (memoId, commentId): (Int64, Int64?) = try await database.write(claiming: claim) { db in
            let source = try Self.source(request.source, db)
            let currency = Currency.of(source.order.orderCurrencyCode)
            func minorUnits(_ amount: CreateCreditMemoRequest.Amount?, _ refusal: (String) -> APIError) throws -> MinorUnits? {
                guard let amount else { return nil }
                guard let value = amount.minorUnits(currency) else {
                    throw refusal(
                        "\(amount.name) \(amount.text): \(currency.code) has \(currency.minorDigits) decimal"
                            + (currency.minorDigits == 1 ? "" : "s"))
                }
                return value
            }
            let asked = CreditMemoCalculator.Asked(
                items: request.items, shipping: try minorUnits(request.shippingAmount, APIError.invalidShippingAmount),
                adjustmentPositive: try minorUnits(request.adjustmentPositive, APIError.invalidAdjustment) ?? 0,
                adjustmentNegative: try minorUnits(request.adjustmentNegative, APIError.invalidAdjustment) ?? 0)
            let result = try CreditMemoCalculator.creditMemo(source, asked)

            var transactionId: String?
            if request.refundType == .online {
                // The gateway refunds only money it captured, for methods that refund
                // online; throwing here rolls the whole transaction back: nothing is saved.
                guard PaymentGateway.refundsOnline(source.order.paymentMethod),
                    result.invoices.allSatisfy(PaymentGateway.capturedOnline)
                else { throw APIError.gatewayError }
                transactionId = PaymentGateway.transactionId()
            }
            let increment = try DocumentNumbers.creditMemos.next(db)
            let invoice = result.invoices[0]
            let totals = result.totals
            var memo = CreditMemoRow(
                entityId: nil, incrementId: increment, orderId: source.order.entityId,
                orderIncrementId: source.order.incrementId, invoiceId: invoice.entityId ?? 0,
                invoiceIncrementId: invoice.incrementId, source: source.kind.rawValue,
                refundType: request.refundType.rawValue, transactionId: transactionId, state: 2, emailSent: false,
                subtotal: totals.subtotal, baseSubtotal: totals.baseSubtotal,
                taxAmount: totals.taxAmount, baseTaxAmount: totals.baseTaxAmount,
                discountAmount: totals.discountAmount, baseDiscountAmount: totals.baseDiscountAmount,
                shippingAmount: totals.shippingAmount, baseShippingAmount: totals.baseShippingAmount,
                shippingTaxAmount: totals.shippingTaxAmount, baseShippingTaxAmount: totals.baseShippingTaxAmount,
                adjustmentPositive: totals.adjustmentPositive, baseAdjustmentPositive: totals.baseAdjustmentPositive,
                adjustmentNegative: totals.adjustmentNegative, baseAdjustmentNegative: totals.baseAdjustmentNegative,
                grandTotal: totals.grandTotal, baseGrandTotal: totals.baseGrandTotal, totalQty: totals.totalQty,
                orderCurrencyCode: source.order.orderCurrencyCode, baseCurrencyCode: source.order.baseCurrencyCode,
                createdAt: now, updatedAt: now)
            try memo.insert(db)
            let id = memo.entityId!
            for var line in result.lines {
                line.creditmemoId = id
                try line.insert(db)
            }
            for line in result.invoiceLines { try line.update(db) }
            for tally in result.invoiceRefunds { try tally.upsert(db) }
            for item in result.orderItems { try item.update(db) }
            try result.orderRefunds.upsert(db)
            var order = source.order
            order.updatedAt = now
            try order.update(db)

            // The order's history says so, in the same transaction, with the
            // comment (which carries a client's operation reference).
            let numbers = result.invoices.map(\.incrementId)
            let what =
                "Credit memo \(increment) for invoice\(numbers.count == 1 ? "" : "s") \(numbers.joined(separator: ", ")): "
                + "refunded \(currency.decimalText(totals.grandTotal)) \(currency.code) (\(request.refundType.rawValue))"
            try OrderHistoryRow.event(
                what + (request.comment.map { ": \($0)" } ?? ""), order: source.order.entityId, source: .creditmemo, at: now
            ).insert(db)
            // Not notified yet: the email goes after this transaction, and marks the comment when it is sent.
            guard let comment = request.comment else { return (id, nil) }
            try CreditMemoCommentRow(id: nil, creditmemoId: id, comment: comment, isCustomerNotified: false, createdAt: now)
                .insert(db)
            return (id, db.lastInsertedRowID)
        }
        // As for invoices: the email goes after the credit memo is saved; a
        // failed send leaves it saved with email_sent 0.
        // The memo's own email_sent says whether it went (the answer is read back after this).
        if request.sendEmail { _ = try? await sendEmail(creditMemoId: memoId, comment: request.comment, notifies: commentId) }
        return memoId
    }

    /// The credit memo's source as stored: the invoice (or the order's
    /// invoices but the canceled ones, oldest first) with its lines and
    /// tallies, the order and its items.
    static func source(_ named: CreateCreditMemoRequest.Source, _ db: Database) throws -> CreditMemoCalculator.Source {
        let kind: CreditMemoCalculator.Source.Kind
        let order: OrderRow
        let rows: [InvoiceRow]
        switch named {
        case .invoice(let key):
            guard let invoice = try InvoiceRow.named(key).fetchOne(db) else { throw APIError.invoiceNotFound }
            guard let found = try OrderRow.named(.id(invoice.orderId)).fetchOne(db) else { throw APIError.orderNotFound }
            kind = .invoice
            order = found
            rows = [invoice]
        case .order(let key):
            guard let found = try OrderRow.named(key).fetchOne(db) else { throw APIError.orderNotFound }
            let invoices = try InvoiceRow.filter(Column("order_id") == found.entityId && Column("state") != 3)
                .order(InvoiceRow.Columns.entityId).fetchAll(db)
            kind = .order
            order = found
            rows = invoices
        }
        return CreditMemoCalculator.Source(
            kind: kind, order: order, items: try OrderItemRow.of(order: order.entityId).fetchAll(db),
            invoices: try rows.map { row in
                let id = row.entityId ?? 0
                return CreditMemoCalculator.Invoice(
                    row: row, lines: try InvoiceItemRow.of(invoice: id).fetchAll(db), refunds: try InvoiceRefundRow.of(invoice: id, db))
            },
            orderRefunds: try OrderRefundRow.of(order: order.entityId, db))
    }

    /// Sends (records in the outbox) the credit memo email and sets
    /// `email_sent`; `notifies` is the create's comment, marked
    /// `is_customer_notified` once the email carrying it is sent.
    func sendEmail(creditMemoId: Int64, comment: String?, notifies: Int64?) async throws {
        let smtpFailing = faults.current.smtpFailing
        let now = clock()
        try await database.write(claiming: nil) { db in
            guard var memo = try CreditMemoRow.fetchOne(db, key: creditMemoId),
                let order = try OrderRow.named(.id(memo.orderId)).fetchOne(db)
            else { throw APIError.creditMemoNotFound }
            let recipient = order.customerEmail
            if smtpFailing {
                // The failed send is history too (the send itself left nothing).
                try OrderHistoryRow.event(
                    "Credit memo \(memo.incrementId) email to \(recipient) failed: the mail server did not take it",
                    order: memo.orderId, source: .email, at: now
                ).insert(db)
                return
            }
            try OutboxRow(
                id: nil, invoiceId: memo.invoiceId, incrementId: memo.incrementId, recipient: recipient, comment: comment,
                sentAt: now, creditmemoId: creditMemoId
            ).insert(db)
            try OrderHistoryRow.event(
                "Credit memo \(memo.incrementId) emailed to \(recipient)" + (comment.map { ": \($0)" } ?? ""),
                order: memo.orderId, source: .email, notified: true, at: now
            ).insert(db)
            if let notifies {
                try CreditMemoCommentRow.filter(key: notifies).updateAll(db) { $0.isCustomerNotified.set(to: true) }
            }
            memo.emailSent = true
            memo.updatedAt = now
            try memo.update(db)
        }
        if smtpFailing { throw APIError.emailFailed }
    }

    /// The credit memo `key` names, with its lines and comments; nil if there is none.
    func creditMemo(_ key: LookupKey) async throws -> CreditMemoDetail? {
        try await database.read { db in
            guard let memo = try CreditMemoRow.named(key).fetchOne(db), let id = memo.entityId else { return nil }
            return CreditMemoDetail(
                creditMemo: memo, items: try CreditMemoItemRow.of(creditmemo: id).fetchAll(db),
                comments: try CreditMemoCommentRow.of(creditmemo: id).fetchAll(db))
        }
    }
}

/// A credit memo with its lines and comments: what the API answers.
struct CreditMemoDetail: Sendable {
    let creditMemo: CreditMemoRow
    let items: [CreditMemoItemRow]
    let comments: [CreditMemoCommentRow]
}
