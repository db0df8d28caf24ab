/// The reference server's stand-in for a payment gateway.
enum PaymentGateway {
    /// `card` captures online; `checkmo` and `banktransfer` cannot.
    static func capturesOnline(_ method: String) -> Bool { method == "card" }
    static func transactionId() -> String { "txn_" + AccessControl.newToken().prefix(16).lowercased() }
}
