import Foundation

/// Everything an invoice is, from whichever endpoint could answer: the admin
/// detail (camelCase, one call, everything) or, when that is missing or
/// forbidden, the `/api2` lookup, with `unavailable` naming what it lacks.
public struct InvoiceDetail: Sendable, Hashable {
    public enum Source: Sendable, Hashable { case admin, api2 }

    public var source: Source
    /// What a person cannot see because the server did not send it (fallback).
    public var unavailable: [String]

    public var id: Int64
    public var incrementId: String
    public var orderId: Int64?
    public var orderIncrementId: String?
    public var state: InvoiceState
    public var emailSent: Bool?
    public var totalQty: Decimal?
    public var orderCurrency: String
    public var baseCurrency: String
    public var channelCurrency: String?
    /// In the order currency.
    public var totals: Totals
    /// In the base currency; compare `baseCurrency` with `orderCurrency` before showing.
    public var baseTotals: Totals
    public var transactionId: String?
    public var reminders: Int?
    public var nextReminderAt: String?
    public var createdAt: String?
    public var updatedAt: String?
    public var orderStatus: String?
    public var orderStatusLabel: String?
    public var orderDate: String?
    public var channelName: String?
    public var customerName: String?
    public var customerEmail: String?
    public var billingAddress: Address?
    public var shippingAddress: Address?
    public var items: [InvoiceLine]
    public var comments: [InvoiceComment]
    /// Fields the server sent that Folio has no name for, kept as they came.
    public var extraFields: [String: JSONValue]

    /// True when the base-currency column says something the order column does not.
    public var showsBaseCurrency: Bool { !baseCurrency.isEmpty && baseCurrency != orderCurrency }
}

public struct Totals: Sendable, Hashable {
    public var subtotal: Money?
    public var subtotalInclTax: Money?
    public var discount: Money?
    public var shipping: Money?
    public var shippingInclTax: Money?
    public var shippingTax: Money?
    public var tax: Money?
    public var grandTotal: Money?
}

public struct Address: Sendable, Hashable {
    public var id: Int64?
    /// `order_billing` or `order_shipping`.
    public var type: String?
    public var firstName: String?
    public var lastName: String?
    public var company: String?
    public var street: String?
    public var city: String?
    public var region: String?
    public var country: String?
    public var postcode: String?
    public var email: String?
    public var phone: String?

    public var name: String { [firstName, lastName].compactMap { $0 }.joined(separator: " ") }

    /// The address as a person writes it on an envelope, one line each.
    public var lines: [String] {
        [
            name, company, street, [postcode, city].compactMap { $0 }.joined(separator: " "),
            [region, country].compactMap { $0 }.joined(separator: ", "), phone, email,
        ]
        .compactMap { $0 }.filter { !$0.isEmpty }
    }
}

public struct InvoiceLine: Sendable, Hashable, Identifiable {
    public var id: Int64?
    public var orderItemId: Int64?
    public var sku: String
    public var name: String
    public var qty: Decimal
    public var price: Money?
    public var basePrice: Money?
    public var basePriceInclTax: Money?
    public var total: Money?
    public var baseTotal: Money?
    public var baseTotalInclTax: Money?
    public var taxAmount: Money?
    public var discountAmount: Money?
    public var productId: Int64?
    public var productType: String?
    public var baseImageUrl: String?
    /// Selected options as label/value pairs: `Size: M`, `Colour: Blue`.
    public var options: [Option]
    public var additional: JSONValue?

    public struct Option: Sendable, Hashable {
        public let label: String
        public let value: String
    }
}

public struct InvoiceComment: Sendable, Hashable {
    public var text: String
    public var createdAt: String?
    public var customerNotified: Bool?
}
