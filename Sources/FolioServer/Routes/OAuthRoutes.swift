import Foundation
import GRDB
import Hummingbird

/// `POST /api2/oauth/token` (client credentials and refresh token grants) and
/// `GET /api2/oauth/health`. Response fields are OAuth 2's own names.
struct OAuthRoutes {
    let env: ServerEnvironment

    func register(on router: Router<Context>) {
        router.get("/api2/oauth/health") { _, _ in Response.json(.object([("status", .string("ok"))])) }
        router.post("/api2/oauth/token") { request, _ in try await token(request) }
    }

    func token(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let form = Self.parseForm(String(buffer: body))
        let issued: AccessControl.IssuedTokens
        switch form["grant_type"] {
        case "client_credentials":
            var id = form["client_id"], secret = form["client_secret"]
            if id == nil, let basic = Self.basicCredentials(request) { (id, secret) = basic }
            guard let id, let secret, env.access.client(id: id, secret: secret) != nil else {
                throw APIError(.unauthorized, "invalid_client")
            }
            issued = try await env.access.issue(clientId: id)
        case "refresh_token":
            guard let refresh = form["refresh_token"] else {
                throw APIError(.badRequest, "invalid_request", detail: "refresh_token is required")
            }
            issued = try await env.access.rotate(refreshToken: refresh)
        case nil:
            throw APIError(.badRequest, "invalid_request", detail: "grant_type is required")
        default:
            throw APIError(.badRequest, "unsupported_grant_type")
        }
        var response = Response.json(.object([
            ("access_token", .string(issued.access)), ("token_type", .string("Bearer")),
            ("expires_in", .int(issued.expiresIn)), ("refresh_token", .string(issued.refresh)),
        ]))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// `application/x-www-form-urlencoded`: `+` is a space, `%XX` a byte.
    static func parseForm(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            result[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return result
    }

    static func basicCredentials(_ request: Request) -> (String, String)? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmed),
              let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}

/// Reference-server-only endpoints for tests and demos: the email outbox and
/// the fault switches. Both need a token with the sandbox permission, since
/// the switches can make every API call fail.
struct SandboxRoutes {
    let env: ServerEnvironment

    /// 401 without a valid token, 403 with one that lacks the sandbox permission.
    private func authorize(_ request: Request) async throws {
        let principal = try await env.access.authenticate(request)
        guard principal.permissions.contains(Principal.sandbox) else { throw APIError.forbidden }
    }

    func register(on router: Router<Context>) {
        router.get("/sandbox/outbox") { request, _ in
            try await authorize(request)
            let input = try await RequestInput.read(request)
            let invoiceId = try input.integer("invoice_id")
            let emails = try await env.database.read { db in
                var query = OutboxRow.order(Column("id"))
                if let invoiceId { query = query.filter(Column("invoice_id") == invoiceId) }
                return try query.fetchAll(db)
            }
            return Response.json(.object([("emails", .array(emails.map { email in
                .object([
                    ("invoice_id", .int(email.invoiceId)), ("increment_id", .string(email.incrementId)),
                    ("recipient", .string(email.recipient)), ("comment", .optional(email.comment)),
                    ("sent_at", .string(email.sentAt)),
                ])
            }))]))
        }
        router.get("/sandbox/faults") { request, _ in
            try await authorize(request)
            return Response.json(env.faults.current.json)
        }
        router.post("/sandbox/faults") { request, _ in
            try await authorize(request)
            let input = try await RequestInput.read(request)
            let smtp = try input.has("smtp_failing") ? input.flag("smtp_failing") : nil
            let drop = try input.has("drop_after_create") ? input.flag("drop_after_create") : nil
            let dropBefore = try input.has("drop_before_create") ? input.flag("drop_before_create") : nil
            let lock = try input.has("lock_contention") ? input.flag("lock_contention") : nil
            let latency = try input.integer("latency_ms")
            let failNext = try input.integer("fail_next")
            if let failNext, !(0...1_000).contains(failNext) {
                throw APIError.invalidParameter("fail_next", "expected 0 to 1000")
            }
            if let latency, !(0...60_000).contains(latency) {
                throw APIError.invalidParameter("latency_ms", "expected 0 to 60000")
            }
            let updated = env.faults.update { faults in
                if let smtp { faults.smtpFailing = smtp }
                if let drop { faults.dropAfterCreate = drop }
                if let dropBefore { faults.dropBeforeCreate = dropBefore }
                if let lock { faults.lockContention = lock }
                if let latency { faults.latencyMilliseconds = Int(latency) }
                if let failNext { faults.failNext = Int(failNext) }
            }
            env.logger.notice("faults now \(updated.json.serialized())")
            return Response.json(updated.json)
        }
    }
}
