import Foundation
import GRDB
import Hummingbird

/// `/api2/oauth`: `POST token` (client credentials and refresh token grants)
/// and `GET health`. Response fields are OAuth 2's own names.
struct OAuthController: Sendable {
    let access: AccessControl

    var endpoints: RouteCollection<Context> {
        RouteCollection(context: Context.self)
            .get("health", use: health)
            .post("token", use: token)
    }

    @Sendable func health(_ request: Request, context: Context) async throws -> Response {
        .json(.object([("status", .string("ok"))]))
    }

    @Sendable func token(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let form = Self.parseForm(String(buffer: body))
        let issued: AccessControl.IssuedTokens
        switch form["grant_type"] {
        case "client_credentials":
            var id = form["client_id"]
            var secret = form["client_secret"]
            if id == nil, let basic = Self.basicCredentials(request) { (id, secret) = basic }
            guard let id, let secret, access.client(id: id, secret: secret) != nil else {
                throw APIError(.unauthorized, "invalid_client")
            }
            issued = try await access.issue(clientId: id)
        case "refresh_token":
            guard let refresh = form["refresh_token"] else {
                throw APIError(.badRequest, "invalid_request", detail: "refresh_token is required")
            }
            issued = try await access.rotate(refreshToken: refresh)
        case nil:
            throw APIError(.badRequest, "invalid_request", detail: "grant_type is required")
        default:
            throw APIError(.badRequest, "unsupported_grant_type")
        }
        var response = Response.json(
            .object([
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
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
