/// A validated `POST /api2/creditmemo` body. Everything that can be checked
/// without the database is checked here, so that a bad request never opens a
/// transaction; what needs the store (the currency's minor digits, what is
/// left to refund) is checked by `CreditMemoCalculator`.
struct CreateCreditMemoRequest: Sendable {
    enum Source: Sendable, Equatable {
        case invoice(LookupKey)
        case order(LookupKey)
    }
    enum RefundType: String, Sendable, CaseIterable {
        case online, offline
    }

    /// An amount as sent: exact, never negative, in ten-thousandths of a unit
    /// of the order's currency (whose minor digits are checked once it is known).
    struct Amount: Sendable, Equatable {
        let name: String
        let tenThousandths: Int64

        /// In minor units of `currency`; nil when the amount has more decimals than it.
        func minorUnits(_ currency: Currency) -> MinorUnits? {
            let factor = currency.faceFactor
            guard factor > 0, tenThousandths % factor == 0 else { return nil }
            return tenThousandths / factor
        }

        var text: String { Quantity(scaled: tenThousandths).description }
    }

    static let sourceNames = ["invoice_id", "invoice_increment_id", "order_id", "order_increment_id"]

    let source: Source
    /// nil: every refundable quantity; empty: no item at all (shipping or an adjustment only).
    let items: [CreateInvoiceRequest.RequestedItem]?
    /// nil: all the shipping left to refund when `items` is nil too, else none.
    let shippingAmount: Amount?
    let adjustmentPositive: Amount?
    let adjustmentNegative: Amount?
    let refundType: RefundType
    let sendEmail: Bool
    let comment: String?

    init(_ input: RequestInput) throws {
        let (name, value) = try input.exactlyOne(of: Self.sourceNames)
        switch name {
        case "invoice_id", "order_id":
            let id = try RequestInput.id(value, named: name)
            source = name == "invoice_id" ? .invoice(.id(id)) : .order(.id(id))
        case "invoice_increment_id": source = .invoice(.incrementId(value))
        default: source = .order(.incrementId(value))
        }

        let typeText = try input.text("refund_type") ?? "offline"
        guard let refundType = RefundType(rawValue: typeText) else {
            throw APIError(.badRequest, "Invalid refund type", detail: "refund_type must be online or offline")
        }
        self.refundType = refundType
        sendEmail = try input.flag("send_email")
        // It is copied into the order's history: the history's limit, and a blank one is none.
        comment = try input.note("comment").flatMap { OrderHistoryRequest.isBlank($0) ? nil : try OrderHistoryRequest.fitting($0) }

        shippingAmount = try Self.amount(input, "shipping_amount", error: "Invalid shipping amount")
        adjustmentPositive = try Self.amount(input, "adjustment_positive", error: "Invalid adjustment")
        adjustmentNegative = try Self.amount(input, "adjustment_negative", error: "Invalid adjustment")

        switch input.bodyValue("items") {
        case nil, .null?: items = nil
        case .array(let entries)?:
            items = try entries.enumerated().map { try CreateInvoiceRequest.item($1, position: $0 + 1) }
        default: throw APIError.invalidItem("items must be an array")
        }
    }

    /// A money field: a JSON number or a decimal string, at least 0, at most 12
    /// whole digits and 4 decimals (further decimals only zeros); nil when absent.
    private static func amount(_ input: RequestInput, _ name: String, error: String) throws -> Amount? {
        let text: String
        // A JSON number may be written -0 (it is 0); a decimal string has no sign.
        var signed = false
        if let values = input.query[name], let first = values.first {
            text = first
        } else {
            switch input.bodyValue(name) {
            case nil, .null?: return nil
            case .number(let n)?:
                text = n
                signed = true
            case .string(let s)?: text = s
            default: throw APIError(.badRequest, error, detail: "\(name) must be a number or a decimal string")
            }
        }
        guard signed || !text.hasPrefix("-"), let value = Quantity(decimalText: text), value.scaled >= 0 else {
            if text.hasPrefix("-") { throw APIError(.badRequest, error, detail: "\(name) must not be negative") }
            throw APIError(.badRequest, error, detail: "\(name) \(text) is not an amount with at most 4 decimals")
        }
        return Amount(name: name, tenThousandths: value.scaled)
    }
}
