import NIOHTTP1
import Testing

@testable import FolioServer

/// Another method on a path the server serves is a 405 with `Allow`.
@Suite struct MethodNotAllowedTests {
    @Test func undeclaredMethodsOnKnownPathsAre405WithAllow() async throws {
        try await LiveServer.with { s in
            let cases: [(HTTPMethod, String, String)] = [
                (.DELETE, "/api2/invoice", "GET"), (.POST, "/api2/invoices", "GET"), (.GET, "/api2/invoice/create", "POST"),
                (.PUT, "/api2/invoices/email", "POST"), (.PATCH, "/api2/order", "GET"),
                (.DELETE, "/api/admin/invoices/456", "GET"), (.GET, "/api2/oauth/token", "POST"),
                (.POST, "/api2/oauth/health", "GET"), (.DELETE, "/sandbox/faults", "GET, POST"),
                (.PUT, "/sandbox/outbox", "GET"), (.OPTIONS, "/api2/invoice/create", "POST"),
                (.DELETE, "/api2/creditmemo", "GET, POST"), (.GET, "/api2/creditmemo/create", "POST"),
            ]
            let before = try await s.footprint()
            for (method, path, allow) in cases {
                let reply = try await s.request(method, path, json: method == .GET ? nil : "{}")
                #expect(reply.status == 405, "\(method) \(path)")
                #expect(reply.headers["Allow"].first == allow, "\(method) \(path)")
                #expect(reply.error == "Method not allowed", "\(method) \(path)")
            }
            #expect(try await s.footprint() == before)
            let unknown = try await s.request(.DELETE, "/api2/nothing-here")
            #expect(unknown.status == 404, "an unknown path stays a 404")
            #expect(try await s.get("/api2/invoice?id=999999").status == 404, "a route's own 404 stays a 404")
        }
    }
}
