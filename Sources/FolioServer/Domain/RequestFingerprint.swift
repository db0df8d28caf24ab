import Crypto
import Foundation
import HTTPTypes
import NIOCore

/// What makes two requests "the same request" for an `Idempotency-Key`: the
/// method, the route's name (one name for a path and its alias), the query
/// parameters, and the body compared as canonical JSON, all hashed together.
///
/// The body is parsed and written back canonically, not hashed as raw bytes,
/// so that a client that re-serialises the same JSON (other white space, key
/// order or string escapes) is recognised. Canonical means: object keys sorted
/// by their UTF-8 bytes, a repeated key reduced to its last value (the one the
/// routes read), strings as `JSON.serialized()` escapes them, and numbers kept
/// as their literal text, because this server reads `"order_id": 123` and
/// `123.0` differently. A body that is not JSON is compared by a hash of its
/// bytes; an empty one is "no body".
enum RequestFingerprint {
    static func of(method: HTTPRequest.Method, route: String, query: [(String, String)], body: ByteBuffer) -> String {
        let bytes = Array(body.readableBytesView)
        let content: JSON
        if bytes.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            content = .null
        } else if let parsed = try? JSON.parse(bytes) {
            content = .array([.string("json"), parsed.canonical])
        } else {
            content = .array([.string("bytes"), .string(hex(SHA256.hash(data: bytes)))])
        }
        // Query values keep their order within a name; names are sorted.
        let parameters = query.enumerated()
            .sorted { a, b in
                let (x, y) = (a.element.0.utf8, b.element.0.utf8)
                return x.elementsEqual(y) ? a.offset < b.offset : x.lexicographicallyPrecedes(y)
            }
            .map { JSON.array([.string($0.element.0), .string($0.element.1)]) }
        let whole = JSON.array([.string(method.rawValue), .string(route), .array(parameters), content])
        return hex(SHA256.hash(data: Array(whole.serialized().utf8)))
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

extension JSON {
    /// The same value written one way only; see `RequestFingerprint`.
    var canonical: JSON {
        switch self {
        case .array(let items):
            return .array(items.map(\.canonical))
        case .object(let pairs):
            var latest: [String: JSON] = [:]
            for (key, value) in pairs { latest[key] = value }
            return .object(
                latest.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                    .map { ($0.key, $0.value.canonical) })
        default:
            return self
        }
    }
}
