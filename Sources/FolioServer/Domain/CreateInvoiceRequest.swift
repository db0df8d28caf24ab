/// A validated `POST /api2/invoice/create` body. Everything that can be
/// checked without the database is checked here, so that a bad request never
/// opens a transaction.
struct CreateInvoiceRequest: Sendable {
    enum ItemReference: Sendable, Equatable {
        case itemId(Int64)
        case sku(String)

        /// How errors name it: "order_item_id 7", "sku WS12".
        var label: String {
            switch self {
            case .itemId(let id): "order_item_id \(id)"
            case .sku(let sku): "sku \(sku)"
            }
        }

        /// The one of `candidates` this names (`id` and `sku` read each), nil when none.
        /// One SKU may be sold on two lines of an order: a SKU that names
        /// several is refused rather than taken as the first (400, saying how to name one).
        func one<T>(of candidates: [T], id: (T) -> Int64, sku: (T) -> String, in place: String) throws -> T? {
            switch self {
            case .itemId(let wanted): return candidates.first { id($0) == wanted }
            case .sku(let wanted):
                let named = candidates.filter { sku($0) == wanted }
                guard named.count < 2 else {
                    throw APIError.invalidItem("sku \(wanted) names \(named.count) items of \(place): name one by order_item_id")
                }
                return named.first
            }
        }
    }
    struct RequestedItem: Sendable {
        let reference: ItemReference
        let qty: Quantity
    }
    enum Capture: String, Sendable, CaseIterable {
        case online, offline
        case noCapture = "no_capture"
    }

    let order: LookupKey
    /// nil: invoice every remaining quantity.
    let items: [RequestedItem]?
    let capture: Capture
    let sendEmail: Bool
    let comment: String?

    init(_ input: RequestInput) throws {
        let (name, value) = try input.exactlyOne(of: ["order_id", "order_increment_id"])
        order = name == "order_id" ? .id(try RequestInput.id(value, named: name)) : .incrementId(value)

        let captureText = try input.text("capture") ?? "offline"
        guard let capture = Capture(rawValue: captureText) else {
            throw APIError(.badRequest, "Invalid capture mode", detail: "capture must be online, offline or no_capture")
        }
        self.capture = capture
        sendEmail = try input.flag("send_email")
        comment = try input.note("comment")

        switch input.bodyValue("items") {
        case nil, .null?: items = nil
        case .array(let entries)?:
            guard !entries.isEmpty else {
                throw APIError.invalidItem("items is empty; omit it to invoice every remaining quantity")
            }
            items = try entries.enumerated().map { try Self.item($1, position: $0 + 1) }
        default: throw APIError.invalidItem("items must be an array")
        }
    }

    /// One entry of `items` (the credit memo request reads its items with it too).
    static func item(_ entry: JSON, position: Int) throws -> RequestedItem {
        guard case .object = entry else { throw APIError.invalidItem("item \(position) is not an object") }
        let reference: ItemReference
        switch (entry["order_item_id"], entry["sku"]) {
        case (.some(.number(let n)), nil), (.some(.string(let n)), nil):
            guard let id = RequestInput.wholeNumber(n) else {
                throw APIError.invalidItem("item \(position): order_item_id must be a whole number")
            }
            reference = .itemId(id)
        case (nil, .some(.string(let sku))) where !sku.isEmpty:
            reference = .sku(sku)
        case (.some, .some):
            throw APIError.invalidItem("item \(position): name order_item_id or sku, not both")
        default:
            throw APIError.invalidItem("item \(position): order_item_id or sku is required")
        }
        let qtyText: String
        switch entry["qty"] {
        case .number(let n)?: qtyText = n
        case .string(let s)?: qtyText = s
        default: throw APIError.invalidItem("item \(position): qty is required")
        }
        guard let qty = Quantity(decimalText: qtyText) else {
            throw APIError.invalidItem("item \(position): qty \(qtyText) is not a number with at most 4 decimals")
        }
        guard qty.scaled > 0 else { throw APIError.invalidItem("item \(position): qty must be positive") }
        return RequestedItem(reference: reference, qty: qty)
    }
}
