/// `POST /api2/history`, read and checked before anything is written.
struct OrderHistoryRequest: Sendable {
    /// The statuses an entry may set on its order (the store's configured ones).
    static let statuses: Set<String> = [
        "pending", "processing", "invoice_issued", "awaiting_payment", "shipped", "complete", "canceled", "closed", "holded",
    ]

    /// The longest comment, in Unicode scalars (what JSON Schema's maxLength counts).
    static let maximumComment = 4096

    /// Nothing to read: only whitespace, line breaks, control and format (zero-width) characters.
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { s in
            s.properties.isWhitespace || s.properties.generalCategory == .control || s.properties.generalCategory == .format
        }
    }

    /// A comment that goes into the history, refused past `maximumComment`
    /// (a credit memo's comment goes there too).
    static func fitting(_ comment: String) throws -> String {
        guard comment.unicodeScalars.count <= maximumComment else {
            throw APIError(.badRequest, "comment is too long", detail: "at most \(maximumComment) characters")
        }
        return comment
    }

    let order: LookupKey
    let comment: String
    let status: String?
    let isCustomerNotified: Bool
    let isVisibleOnFront: Bool

    init(_ input: RequestInput) throws {
        order = try Self.order(input, aliases: false)
        guard let comment = try input.note("comment"), !Self.isBlank(comment) else {
            throw APIError(.badRequest, "comment is required")
        }
        self.comment = try Self.fitting(comment)
        status = try input.text("status")
        if let status, !Self.statuses.contains(status) {
            throw APIError(.badRequest, "Invalid status", detail: "status must be one of " + Self.statuses.sorted().joined(separator: ", "))
        }
        // A flag only: this route never sends an email.
        isCustomerNotified = try input.flag("is_customer_notified")
        isVisibleOnFront = try input.flag("is_visible_on_front")
    }

    /// The order an entry or a listing is for: `order_id` or `order_increment_id`
    /// (the listing also takes `increment_id` as its alias), exactly one.
    static func order(_ input: RequestInput, aliases: Bool) throws -> LookupKey {
        let names = aliases ? ["order_id", "order_increment_id", "increment_id"] : ["order_id", "order_increment_id"]
        // The alias is not advertised: the required message names the two documented ones.
        let (name, value) = try input.exactlyOne(of: names, required: "order_id or order_increment_id is required")
        return name == "order_id" ? .id(try RequestInput.id(value, named: name)) : .incrementId(value)
    }
}
