import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The one HTTP client tests use to reach the reference server from the
/// side, as another tool (not Folio's client) would: raw requests, its
/// sandbox (fault switches, the outbox) and plain reads to check what a
/// screen or a command claimed. Test targets share it instead of each
/// keeping a client of its own.
public struct SandboxClient: Sendable {
    public let baseURL: String
    public let token: String?

    public init(baseURL: String, token: String? = TestServer.token) {
        self.baseURL = baseURL
        self.token = token
    }

    public struct Reply: Sendable {
        public let status: Int
        public let body: Data
        public let headers: HTTPHeaders
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as JSON objects, or nil when it is not an object.
        public var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    /// Any request. `token` overrides the client's (nil sends none); a JSON
    /// or form body sets its content type; `chunked` sends it without a length.
    public func request(
        _ method: HTTPMethod, _ path: String, token: String?? = .none, json: String? = nil,
        form: String? = nil, headers extra: [(String, String)] = [], chunked: Bool = false
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let bearer = token ?? self.token { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = chunked ? .bytes(Array(json.utf8), length: .unknown) : .bytes(ByteBuffer(string: json))
        }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), body: Data(buffer: body), headers: response.headers)
    }

    /// A GET's body as a JSON object; a failed or non-object answer is an error, never an empty object.
    public func json(_ path: String) async throws -> [String: Any] {
        let reply = try await request(.GET, path)
        guard reply.status == 200, let object = reply.object else { throw Refused(path: path, reply: reply) }
        return object
    }

    /// A POST as another tool would send it; the status is returned for those who check it.
    @discardableResult
    public func post(_ path: String, _ json: String) async throws -> Int { try await request(.POST, path, json: json).status }

    /// Flips the server's fault switches (`{"fail_next": 2}` …). A switch the
    /// server refuses (a typo) is an error: a test must not run on without its fault.
    @discardableResult
    public func faults(_ json: String) async throws -> Int {
        let reply = try await request(.POST, "/sandbox/faults", json: json)
        guard (200..<300).contains(reply.status) else { throw Refused(path: "/sandbox/faults", reply: reply) }
        return reply.status
    }

    /// The rows of an invoice listing (`/api2/invoice?QUERY`); an answer without them is an error.
    public func invoices(_ query: String) async throws -> [[String: Any]] {
        guard let rows = try await json("/api2/invoice?\(query)")["invoices"] as? [[String: Any]] else {
            throw Refused(path: "/api2/invoice?\(query)", reply: nil)
        }
        return rows
    }

    /// The emails the server sent for an invoice (its sandbox outbox).
    public func outbox(invoice: Int) async throws -> [[String: Any]] {
        guard let emails = try await json("/sandbox/outbox?invoice_id=\(invoice)")["emails"] as? [[String: Any]] else {
            throw Refused(path: "/sandbox/outbox", reply: nil)
        }
        return emails
    }

    /// An order's items by SKU: `qty_invoiced`, or another quantity field.
    /// An item without the field is an error, not a zero.
    public func orderItems(_ number: String, field: String = "qty_invoiced") async throws -> [String: Decimal] {
        let answer = try await json("/api2/order?increment_id=\(number)")
        guard let order = answer["order"] as? [String: Any], let items = order["items"] as? [[String: Any]], !items.isEmpty else {
            throw Refused(path: "/api2/order?increment_id=\(number)", reply: nil)
        }
        var result: [String: Decimal] = [:]
        for item in items {
            guard let sku = item["sku"] as? String, let value = item[field], let qty = Decimal(string: "\(value)") else {
                throw Refused(path: "/api2/order?increment_id=\(number) (\(field))", reply: nil)
            }
            result[sku] = qty
        }
        return result
    }

    public struct Refused: Error, CustomStringConvertible {
        public let path: String
        public let reply: Reply?
        public var description: String { "\(path): \(reply.map { "\($0.status) \($0.text.prefix(200))" } ?? "not the expected shape")" }
    }
}
