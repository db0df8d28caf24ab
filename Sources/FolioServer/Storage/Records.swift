import Foundation
import GRDB

/// Rows of the reference server's tables. Columns are snake_case; properties
/// camelCase; GRDB converts between them.
protocol SnakeCaseColumns: Codable, FetchableRecord, MutablePersistableRecord {}
/// A row whose key is known before it is inserted.
protocol SnakeCaseRecord: SnakeCaseColumns, PersistableRecord {}
/// A row whose key the database assigns on insert (`didInsert` records it).
protocol AutoIncrementedRecord: SnakeCaseColumns {}

extension SnakeCaseColumns {
    static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy {
        .custom { column in ColumnKey(stringValue: ColumnName.camelCase(column)) }
    }
    static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy {
        .custom { key in ColumnName.snakeCase(key.stringValue) }
    }
}

/// `orderItemId` ↔ `order_item_id`. Our property names are plain ASCII words,
/// so a character walk is all the conversion needs.
enum ColumnName {
    static func snakeCase(_ name: String) -> String {
        var out = ""
        out.reserveCapacity(name.count + 4)
        for c in name {
            if c.isUppercase {
                out.append("_")
                out.append(contentsOf: c.lowercased())
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func camelCase(_ column: String) -> String {
        var out = ""
        var upper = false
        for c in column {
            if c == "_" { upper = true; continue }
            out.append(contentsOf: upper ? c.uppercased() : String(c))
            upper = false
        }
        return out
    }
}

struct ColumnKey: CodingKey {
    let stringValue: String
    init(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

struct OrderRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "orders"
    var entityId: Int64
    var incrementId: String
    var state: String
    var status: String
    var createdAt: String
    var updatedAt: String
    var customerName: String
    var customerEmail: String
    var channelName: String
    var orderCurrencyCode: String
    var baseCurrencyCode: String
    var paymentMethod: String
    var subtotal: Int64, baseSubtotal: Int64
    var taxAmount: Int64, baseTaxAmount: Int64
    var discountAmount: Int64, baseDiscountAmount: Int64
    var shippingAmount: Int64, baseShippingAmount: Int64
    var shippingTaxAmount: Int64, baseShippingTaxAmount: Int64
    var grandTotal: Int64, baseGrandTotal: Int64
    /// 10^(4 − minor digits of the order currency); see `Schema`.
    var faceFactor: Int64
    var shippingInvoiced: Bool
    var canInvoice: Bool
}

struct AddressRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "order_addresses"
    var id: Int64?
    var orderId: Int64
    var addressType: String
    var firstName: String
    var lastName: String
    var companyName: String?
    var street: String
    var city: String
    var region: String?
    var country: String
    var postcode: String
    var email: String
    var phone: String?
}

struct OrderItemRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "order_items"
    var itemId: Int64
    var orderId: Int64
    var sku: String
    var name: String
    var productId: Int64
    var productType: String
    var isQtyDecimal: Bool
    var qtyOrdered: Int64
    var qtyInvoiced: Int64
    var qtyCanceled: Int64
    var qtyRefunded: Int64
    var price: Int64, basePrice: Int64
    var rowTotal: Int64, baseRowTotal: Int64
    var taxAmount: Int64, baseTaxAmount: Int64
    var discountAmount: Int64, baseDiscountAmount: Int64
    var rowInvoiced: Int64, baseRowInvoiced: Int64
    var taxInvoiced: Int64, baseTaxInvoiced: Int64
    var discountInvoiced: Int64, baseDiscountInvoiced: Int64
    /// JSON text: selected options and configurable attributes.
    var additional: String?
    var baseImageUrl: String?

    /// Ordered less invoiced less canceled: what an invoice may still take.
    var qtyToInvoice: Quantity { Quantity(scaled: qtyOrdered - qtyInvoiced - qtyCanceled) }
}

struct InvoiceRow: AutoIncrementedRecord, Sendable {
    static let databaseTableName = "invoices"
    var entityId: Int64?
    var incrementId: String
    var orderId: Int64
    var orderIncrementId: String
    /// 1 open, 2 paid, 3 canceled.
    var state: Int
    /// The admin family's finer state: pending, pending_payment, overdue, paid, canceled.
    var paymentStatus: String
    var captureMode: String
    var transactionId: String?
    var emailSent: Bool
    var subtotal: Int64, baseSubtotal: Int64
    var taxAmount: Int64, baseTaxAmount: Int64
    var discountAmount: Int64, baseDiscountAmount: Int64
    var shippingAmount: Int64, baseShippingAmount: Int64
    var shippingTaxAmount: Int64, baseShippingTaxAmount: Int64
    var grandTotal: Int64, baseGrandTotal: Int64
    /// 10^(4 − minor digits of the order currency); see `Schema`.
    var faceFactor: Int64
    var totalQty: Int64
    var orderCurrencyCode: String
    var baseCurrencyCode: String
    var billingName: String
    var customerEmail: String
    var reminders: Int
    var nextReminderAt: String?
    var createdAt: String
    var updatedAt: String

    mutating func didInsert(_ inserted: InsertionSuccess) { entityId = inserted.rowID }
}

struct InvoiceItemRow: AutoIncrementedRecord, Sendable {
    static let databaseTableName = "invoice_items"
    var entityId: Int64?
    var invoiceId: Int64
    var orderItemId: Int64
    var sku: String
    var name: String
    var qty: Int64
    var price: Int64, basePrice: Int64
    var rowTotal: Int64, baseRowTotal: Int64
    var taxAmount: Int64, baseTaxAmount: Int64
    var discountAmount: Int64, baseDiscountAmount: Int64

    mutating func didInsert(_ inserted: InsertionSuccess) { entityId = inserted.rowID }
}

struct InvoiceCommentRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "invoice_comments"
    var id: Int64?
    var invoiceId: Int64
    var comment: String
    var isCustomerNotified: Bool
    var createdAt: String
}

struct OutboxRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "outbox"
    var id: Int64?
    var invoiceId: Int64
    var incrementId: String
    var recipient: String
    var comment: String?
    var sentAt: String
}

struct OAuthTokenRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "oauth_tokens"
    var tokenHash: String
    var kind: String
    var clientId: String
    /// Unix seconds.
    var expiresAt: Int64
}

struct IdempotencyKeyRow: SnakeCaseRecord, Sendable {
    static let databaseTableName = "idempotency_keys"
    /// Who sent the key (`Principal.id`): keys of different callers never meet.
    var principal: String
    var idempotencyKey: String
    /// `RequestFingerprint` of the first request that used the key.
    var fingerprint: String
    /// A random id of the request that wrote the row, so that it can tell its
    /// own in-flight row from a concurrent request's.
    var owner: String
    var createdAt: String
    /// The first answer; both nil while that request is still in flight.
    var answerStatus: Int?
    var answerBody: Data?
}
