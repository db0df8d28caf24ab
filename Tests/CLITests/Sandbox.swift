import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The reference server's own answers and its sandbox, over plain HTTP: what
/// the screen shows is checked against these, not against Folio's client.
struct Sandbox {
    let baseURL: String

    func request(_ path: String, body: String? = nil) async throws -> Data {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.setValue("Bearer \(CLITests.token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        return try await URLSession.shared.data(for: request).0
    }

    func json(_ path: String) async throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try await request(path)) as? [String: Any] ?? [:]
    }

    func post(_ path: String, _ body: String) async throws { _ = try await request(path, body: body) }

    /// An order's items by sku: `qty_invoiced` (or another quantity field).
    func orderItems(_ number: String, field: String = "qty_invoiced") async throws -> [String: Decimal] {
        let answer = try await json("/api2/order?increment_id=\(number)")
        let order = (answer["order"] as? [String: Any]) ?? (answer["data"] as? [String: Any]) ?? answer
        var result: [String: Decimal] = [:]
        for item in order["items"] as? [[String: Any]] ?? [] {
            guard let sku = item["sku"] as? String else { continue }
            result[sku] = Decimal(string: "\(item[field] ?? "0")") ?? -1
        }
        return result
    }

    func outbox(invoice: Int) async throws -> [[String: Any]] {
        try await json("/sandbox/outbox?invoice_id=\(invoice)")["emails"] as? [[String: Any]] ?? []
    }
}
