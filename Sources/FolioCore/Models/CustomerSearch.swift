import Foundation

/// Invoices by who they are billed to: what a caller gives on the phone.
/// A Folio extension of the listing (`customer_email`, `billing_name`); a
/// store without it may ignore it and answer every invoice, so every row
/// that comes back is checked against what was asked (`matches`).
public enum CustomerFilter: Sendable, Hashable {
    /// The customer's email: exact, case-insensitive.
    case email(String)
    /// Text the bill-to name contains: case-insensitive, accents folded.
    case name(String)

    /// The listing's parameter and its value.
    var queryItem: (String, String) {
        switch self {
        case .email(let email): return ("customer_email", email)
        case .name(let text): return ("billing_name", text)
        }
    }

    public var isEmail: Bool { if case .email = self { true } else { false } }

    /// What was asked, for headers and messages: "zoe@example.com", "name contains “muller”".
    public var label: String {
        switch self {
        case .email(let email): return email
        case .name(let text): return "name contains “\(text)”"
        }
    }

    /// Whether a listed invoice is one of what was asked. Generous where
    /// stores may differ (case, accents, ß and ss, ø and o, the width of
    /// characters), so that a store that does search is never called one
    /// that does not; an invoice that fails this is another customer's.
    public func matches(_ invoice: InvoiceSummary) -> Bool {
        switch self {
        case .email(let email):
            guard let theirs = invoice.customerEmail else { return false }
            return Self.fold(theirs.trimmingCharacters(in: .whitespaces)) == Self.fold(email)
        case .name(let text):
            guard let name = invoice.billingName else { return false }
            // Code points, not characters: the store's substring search does not
            // keep a letter and the vowel sign after it together.
            return Array(Self.fold(name).unicodeScalars).contains(Array(Self.fold(text).unicodeScalars))
        }
    }

    /// Case, accents and width folded, and the letters that do not decompose
    /// spelled as they are typed without them; blanks runs made one space.
    public static func fold(_ text: String) -> String {
        // Compatibility forms first (ligatures, full-width letters, ſ), then case, accents and width.
        let folded = text.decomposedStringWithCompatibilityMapping.folding(
            options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        var blank = false
        for scalar in folded.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !blank, !out.isEmpty { out.append(" ") }
                blank = true
                continue
            }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: continue
            default: blank = false
            }
            switch scalar {
            case "ς": out += "σ"
            case "ß", "ẞ": out += "ss"
            case "ø", "Ø": out += "o"
            case "æ", "Æ": out += "ae"
            case "œ", "Œ": out += "oe"
            case "ł", "Ł": out += "l"
            case "đ", "Đ": out += "d"
            case "ð", "Ð": out += "d"
            case "þ", "Þ": out += "th"
            case "ħ", "Ħ": out += "h"
            case "ŧ", "Ŧ": out += "t"
            case "ı": out += "i"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out.hasSuffix(" ") ? String(out.dropLast()) : out
    }
}

/// What a clerk typed into `/`: a number, an email address, or part of a name.
public enum SearchTerm: Sendable, Equatable {
    /// An invoice or an order number (letters, digits, `-`, `_`).
    case number(String)
    case customer(CustomerFilter)

    /// The longest search Folio sends (an email address is at most 254).
    public static let room = 254

    /// Reads what was typed; refuses what cannot be any of them, with why.
    public static func reading(_ text: String) throws(FolioError) -> SearchTerm {
        // As people paste it: full-width digits from a Japanese keyboard, "#000000045"
        // from a store's email, "<zoe@example.com>," from a mail header.
        var typed = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces)
        typed = typed.trimmingCharacters(in: CharacterSet(charactersIn: "<>,;\"' ")).trimmingCharacters(in: .whitespaces)
        if typed.hasPrefix("#"), typed.dropFirst().allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter || $0 == "-") }) {
            typed.removeFirst()
        }
        guard !typed.isEmpty else { throw .invalidInput("type an invoice or order number, an email address or part of a name") }
        guard typed.count <= room else { throw .invalidInput("that is too long to search for (at most \(room) characters)") }
        if typed.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
        }) {
            throw .invalidInput("the search has control characters — type it again")
        }
        if typed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }),
            typed.contains(where: \.isNumber)
        {
            return .number(typed)
        }
        if typed.contains("@") {
            let parts = typed.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
                !typed.contains(where: \.isWhitespace)
            else { throw .invalidInput("“\(typed)” is not an email address") }
            return .customer(.email(typed))
        }
        // One letter matches nearly everyone, but one ideograph is a surname.
        guard typed.count >= 2 || !typed.allSatisfy(\.isASCII) else { throw .invalidInput("type at least two letters of the name") }
        return .customer(.name(typed))
    }
}

/// A customer account (`GET /api2/customers`).
public struct Customer: Sendable, Equatable, Decodable {
    public let id: Int64
    public let email: String?
    public let firstname: String?
    public let lastname: String?
    public let createdAt: String?

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        guard let id = try c.integer("id", "entity_id") else {
            throw DecodingError.keyNotFound(AnyKey("id"), .init(codingPath: decoder.codingPath, debugDescription: "missing"))
        }
        self.id = id
        email = try c.text("email")
        firstname = try c.text("firstname", "first_name")
        lastname = try c.text("lastname", "last_name")
        createdAt = try c.text("created_at", "createdAt")
    }

    /// "Zoë Faßbender", or the email when the store has no name.
    public var name: String {
        let full = [firstname, lastname].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return full.isEmpty ? (email ?? "customer \(id)") : full
    }
}

extension APIClient {
    /// The customer with this email, or nil when the store has none (a
    /// guest's orders have no account).
    public func customer(email: String) async throws(FolioError) -> Customer? {
        let reply = try await get("/api2/customers", query: [("email", email)])
        if reply.status == 404 { return nil }
        try check(reply, what: "customer \(email)")
        struct Envelope: Decodable { let customer: Customer }
        return try Self.decode(Envelope.self, reply.body).customer
    }
}
