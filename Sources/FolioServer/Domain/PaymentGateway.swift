/// The reference server's stand-in for a payment gateway.
enum PaymentGateway {
    /// `card` captures online; `checkmo` and `banktransfer` cannot.
    static func capturesOnline(_ method: String) -> Bool { method == "card" }
    /// `card` refunds online too; the others have nothing online to refund.
    static func refundsOnline(_ method: String) -> Bool { method == "card" }
    /// An invoice whose money the gateway holds: captured online, with its transaction.
    static func capturedOnline(_ invoice: InvoiceRow) -> Bool {
        invoice.captureMode == "online" && !(invoice.transactionId ?? "").isEmpty
    }
    static func transactionId() -> String { "txn_" + AccessControl.newToken().prefix(16).lowercased() }
}
