import Foundation
import GRDB
import Testing

@testable import FolioServer

/// Tokens, permissions and OAuth, over real HTTP.
@Suite struct AuthTests {
    @Test func everyEndpointNeedsAValidBearerToken() async throws {
        try await LiveServer.with { s in
            let calls: [(String, String?)] = [
                ("/api2/invoice", nil), ("/api2/invoices?id=456", nil), ("/api2/order?id=123", nil),
                ("/api/admin/invoices/456", nil), ("/sandbox/outbox", nil),
                ("/api2/invoice/create", #"{"order_id": 123}"#), ("/api2/invoice/email", #"{"invoice_id": 456}"#),
                ("/api2/creditmemo", #"{"invoice_id": 456}"#), ("/api2/creditmemo/create", #"{"invoice_id": 456}"#),
                ("/api2/creditmemo?id=1", nil),
            ]
            let before = try await s.footprint()
            for (path, body) in calls {
                for token in [nil, "wrong-token", ""] {
                    let reply = body == nil ? try await s.get(path, token: token) : try await s.post(path, token: token, json: body!)
                    #expect(reply.status == 401, "\(path) with \(token ?? "no token")")
                    #expect(reply.error == "Unauthorized")
                }
            }
            let basic = try await s.request(.GET, "/api2/invoice", token: nil, headers: [("Authorization", "Basic dGVzdDp0ZXN0")])
            #expect(basic.status == 401)
            #expect(try await s.footprint() == before)
            let health = try await s.get("/api2/oauth/health", token: nil)
            #expect(try health.json == .object([("status", .string("ok"))]))
        }
    }

    @Test func limitedTokenMayListButNotReadTheAdminDetail() async throws {
        try await LiveServer.with { s in
            #expect(try await s.get("/api2/invoice?id=456", token: LiveServer.limitedToken).status == 200)
            let admin = try await s.get("/api/admin/invoices/456", token: LiveServer.limitedToken)
            #expect(admin.status == 403)
            #expect(admin.error == "Forbidden")
        }
    }

    @Test func clientCredentialsRefreshAndRotation() async throws {
        try await LiveServer.with { s in
            let issued = try await s.request(
                .POST, "/api2/oauth/token", token: nil,
                form: "grant_type=client_credentials&client_id=erp&client_secret=s3cret")
            #expect(issued.status == 200)
            let json = try issued.json
            #expect(json["token_type"]?.string == "Bearer")
            #expect(json["expires_in"]?.int == 3600)
            let access = try #require(json["access_token"]?.string)
            let refresh = try #require(json["refresh_token"]?.string)
            #expect(try await s.get("/api2/invoice?limit=1", token: access).status == 200)
            #expect(try await s.get("/api/admin/invoices/456", token: access).status == 200)

            let renewed = try await s.request(
                .POST, "/api2/oauth/token", token: nil,
                form: "grant_type=refresh_token&refresh_token=\(refresh)")
            #expect(renewed.status == 200)
            let next = try #require(try renewed.json["access_token"]?.string)
            #expect(next != access)
            #expect(try await s.get("/api2/invoice?limit=1", token: next).status == 200)
            let reused = try await s.request(
                .POST, "/api2/oauth/token", token: nil,
                form: "grant_type=refresh_token&refresh_token=\(refresh)")
            #expect(reused.status == 400, "a refresh token is single-use")
            #expect(reused.error == "invalid_grant")
            // No refresh token at all is a malformed request, not an unknown grant.
            let missing = try await s.request(.POST, "/api2/oauth/token", token: nil, form: "grant_type=refresh_token")
            #expect(missing.status == 400 && missing.error == "invalid_request")

            let basic = Data("erp:s3cret".utf8).base64EncodedString()
            let viaBasic = try await s.request(
                .POST, "/api2/oauth/token", token: nil, form: "grant_type=client_credentials",
                headers: [("Authorization", "Basic \(basic)")])
            #expect(viaBasic.status == 200)
        }
    }

    @Test func badCredentialsAndGrants() async throws {
        try await LiveServer.with { s in
            for form in [
                "grant_type=client_credentials&client_id=erp&client_secret=wrong",
                "grant_type=client_credentials&client_id=nobody&client_secret=s3cret",
                "grant_type=client_credentials",
            ] {
                let reply = try await s.request(.POST, "/api2/oauth/token", token: nil, form: form)
                #expect(reply.status == 401, "\(form)")
                #expect(reply.error == "invalid_client")
            }
            #expect(
                try await s.request(.POST, "/api2/oauth/token", token: nil, form: "grant_type=password").error == "unsupported_grant_type")
            #expect(try await s.request(.POST, "/api2/oauth/token", token: nil, form: "").status == 400)
        }
    }

    @Test func accessTokensExpire() async throws {
        // Long enough to be used once on a loaded machine, short enough to wait out.
        try await LiveServer.with(accessTokenLifetime: 4) { s in
            let issued = try await s.request(
                .POST, "/api2/oauth/token", token: nil,
                form: "grant_type=client_credentials&client_id=erp&client_secret=s3cret")
            let access = try #require(try issued.json["access_token"]?.string)
            #expect(try await s.get("/api2/invoice?limit=1", token: access).status == 200)
            // Poll with a deadline: the token must stop working within its lifetime plus a margin.
            let deadline = ContinuousClock.now + .seconds(15)
            var status = 200
            while status == 200, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                status = try await s.get("/api2/invoice?limit=1", token: access).status
            }
            #expect(status == 401)
        }
    }

    @Test func secretsAreStoredOnlyAsDigests() async throws {
        try await LiveServer.with { s in
            let issued = try await s.request(
                .POST, "/api2/oauth/token", token: nil,
                form: "grant_type=client_credentials&client_id=erp&client_secret=s3cret")
            let access = try #require(try issued.json["access_token"]?.string)
            let stored = try await s.server.database.read { db in try String.fetchAll(db, sql: "SELECT token_hash FROM oauth_tokens") }
            #expect(!stored.contains(access))
            #expect(stored.contains(AccessControl.hex(AccessControl.digest(access))))
            #expect(issued.headers["Cache-Control"].first == "no-store")
        }
    }
}
