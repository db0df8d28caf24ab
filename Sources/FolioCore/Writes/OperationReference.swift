import Foundation

/// The client-made name of one write, so that its outcome can be found on any
/// store by the reference alone.
///
/// 80 random bits as 16 Crockford base-32 characters in groups of four
/// (`7K3M-9QX2-H4TD-ZP1R`): short enough to read aloud over the phone, no
/// letters that look like digits (no I, L, O, U). It travels twice: as the
/// `Idempotency-Key` header, which a store may honour, and inside the audit
/// comment as a marker (`[folio-op 7K3M-9QX2-H4TD-ZP1R]`), which every store of
/// the API keeps with the invoice and returns on its look-up.
public struct OperationReference: Sendable, Hashable, Codable, CustomStringConvertible {
    public let value: String

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A new reference from the system's random source.
    public static func make() -> OperationReference {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }

    static func make<G: RandomNumberGenerator>(using generator: inout G) -> OperationReference {
        // 16 characters × 5 bits = 80 bits.
        let high = generator.next() as UInt64
        let low = UInt16.random(in: .min ... .max, using: &generator)
        var bits = (high, low)
        var characters: [Character] = []
        for index in 0..<16 {
            if index > 0, index % 4 == 0 { characters.append("-") }
            characters.append(alphabet[Int(bits.0 >> 59)])
            bits = (bits.0 << 5 | UInt64(bits.1 >> 11), bits.1 << 5)
        }
        return OperationReference(checked: String(characters))
    }

    private init(checked value: String) { self.value = value }

    /// A reference as a person typed it: case and dashes do not matter.
    public init?(_ text: String) {
        let plain = text.uppercased().filter { $0 != "-" && $0 != " " }
        guard plain.count == 16, plain.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        var grouped = ""
        for (index, character) in plain.enumerated() {
            if index > 0, index % 4 == 0 { grouped.append("-") }
            grouped.append(character)
        }
        value = grouped
    }

    public var description: String { value }

    /// What goes into the audit comment.
    public var marker: String { "[folio-op \(value)]" }

    /// The longest comment of a clerk's that fits with the marker in the 255
    /// characters stores commonly keep.
    public static let commentRoom = 255 - 32

    /// The comment a write sends: the marker first (so that a store that cuts
    /// long comments keeps it), then the clerk's words, with any marker-like
    /// text in them defused so that a comment can never name another write.
    public func marked(_ comment: String?) -> String {
        guard let comment, !comment.isEmpty else { return marker }
        return marker + " " + comment.replacingOccurrences(of: "[folio-op", with: "(folio-op")
    }

    /// The reference a comment was sent with: only Folio's own marker, at the
    /// start, counts.
    public static func marking(_ comment: String) -> OperationReference? {
        let text = comment.drop { $0 == " " }
        guard text.hasPrefix("[folio-op "), let end = text.firstIndex(of: "]") else { return nil }
        return OperationReference(String(text[text.index(text.startIndex, offsetBy: 10)..<end]))
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let reference = OperationReference(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an operation reference: \(text)"))
        }
        self = reference
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
