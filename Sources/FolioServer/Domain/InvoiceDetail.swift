/// An invoice as the `/api2` look-up shows it: the row, its lines, its comments.
struct InvoiceDetail: Sendable {
    let invoice: InvoiceRow
    let items: [InvoiceItemRow]
    let comments: [InvoiceCommentRow]
    /// What was refunded against it (nil: nothing).
    var refunds: InvoiceRefundRow? = nil
}
