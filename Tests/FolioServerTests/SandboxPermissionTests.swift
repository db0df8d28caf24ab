import Testing

@testable import FolioServer

/// `/sandbox` can switch faults that fail every API call: only the full fixed
/// tokens of whoever runs the server may use it.
@Suite struct SandboxPermissionTests {
    @Test func limitedTokensAndOAuthClientsMayNotTouchTheSandbox() async throws {
        try await LiveServer.with { s in
            let issued = try await s.request(
                .POST, "/api2/oauth/token", token: nil,
                form: "grant_type=client_credentials&client_id=erp&client_secret=s3cret")
            let oauth = try #require(try issued.json["access_token"]?.string)
            for token in [LiveServer.limitedToken, oauth] {
                #expect(try await s.get("/api2/invoice?limit=1", token: token).status == 200, "a valid token")
                for reply in [
                    try await s.get("/sandbox/outbox", token: token), try await s.get("/sandbox/faults", token: token),
                    try await s.post("/sandbox/faults", token: token, json: #"{"fail_next": 5, "smtp_failing": true}"#),
                ] {
                    #expect(reply.status == 403)
                    #expect(reply.error == "Forbidden")
                }
            }
            let faults = try await s.get("/sandbox/faults")
            #expect(faults.status == 200, "the full token may")
            #expect(try faults.json["fail_next"]?.int == 0 && faults.json["smtp_failing"]?.bool == false, "nothing was switched")
        }
    }
}
