/// An invoice with everything the admin detail shows of its order.
struct InvoiceWithOrder: Sendable {
    let invoice: InvoiceRow
    let order: OrderRow
    let addresses: [AddressRow]
    let items: [InvoiceItemRow]
    let orderItems: [Int64: OrderItemRow]
    /// What was refunded against it (nil: nothing).
    var refunds: InvoiceRefundRow? = nil
}
