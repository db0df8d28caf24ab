import FolioTestSupport
import Foundation
import Testing

@testable import FolioServer

/// The server's secrets can come from the environment or a private file
/// instead of the command line, which every user of the machine can read.
@Suite struct ServerSecretsTests {
    @Test func secretsFromTheEnvironment() throws {
        let secrets = try ServerSecrets.fromEnvironment([
            "FOLIO_SERVE_TOKENS": "alpha, beta\ngamma", "FOLIO_SERVE_LIMITED_TOKENS": "lim",
            "FOLIO_SERVE_CLIENTS": "erp:s3:cret ,pos:pw", "UNRELATED": "x",
        ])
        #expect(secrets.tokens == ["alpha", "beta", "gamma"])
        #expect(secrets.limitedTokens == ["lim"])
        #expect(secrets.clients == [OAuthClientCredential(id: "erp", secret: "s3:cret"), OAuthClientCredential(id: "pos", secret: "pw")])
        #expect(try ServerSecrets.fromEnvironment([:]).isEmpty)
        #expect(throws: ServerSecretsError.self) { try ServerSecrets.fromEnvironment(["FOLIO_SERVE_CLIENTS": "nosecret"]) }
    }

    @Test func aTokenFileIsParsedAndItsErrorsNeverQuoteALine() throws {
        let secrets = try ServerSecrets.parse(
            fileText: """
                # the demo's tokens
                token   t-full

                limited-token t-limited
                client erp:s3cret
                """)
        #expect(
            secrets
                == ServerSecrets(
                    tokens: ["t-full"], limitedTokens: ["t-limited"],
                    clients: [OAuthClientCredential(id: "erp", secret: "s3cret")]))
        for (text, line) in [("token a\nbearer hunter2", 2), ("token a b hunter2", 1), ("client hunter2", 1), ("hunter2", 1)] {
            do {
                _ = try ServerSecrets.parse(fileText: text)
                Issue.record("accepted \(line)")
            } catch let error as ServerSecretsError {
                #expect(error.message.hasPrefix("line \(line):"))
                #expect(!error.message.contains("hunter2"), "a secret in an error: \(error.message)")
            }
        }
    }

    /// A fresh private folder, removed after `body`.
    func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-secrets-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    func write(_ text: String, to path: String, mode: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test func aTokenFileOthersMayReadOrWriteIsRefused() throws {
        try withFolder { folder in
            let path = folder + "/serve.secrets"
            for mode in [0o600, 0o400] {
                try? FileManager.default.removeItem(atPath: path)
                try write("token t1\n", to: path, mode: mode)
                #expect(try ServerSecrets.read(file: path).tokens == ["t1"], "mode \(String(mode, radix: 8))")
            }
            for mode in [0o644, 0o640, 0o620, 0o602, 0o666] {
                try? FileManager.default.removeItem(atPath: path)
                try write("token t1\n", to: path, mode: mode)
                #expect(throws: ServerSecretsError.self, "mode \(String(mode, radix: 8))") { try ServerSecrets.read(file: path) }
            }
            // A symlink (stow, chezmoi) is judged by the file it points to.
            try? FileManager.default.removeItem(atPath: path)
            try write("token t2\n", to: path, mode: 0o600)
            try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: path)
            #expect(try ServerSecrets.read(file: folder + "/link").tokens == ["t2"])
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            #expect(throws: ServerSecretsError.self) { try ServerSecrets.read(file: folder + "/link") }
            #expect(throws: ServerSecretsError.self) { try ServerSecrets.read(file: folder + "/missing") }
            #expect(throws: ServerSecretsError.self) { try ServerSecrets.read(file: folder) }
        }
    }

    @Test func secretsFromAFileAndTheEnvironmentWorkOverHTTP() async throws {
        var secrets = try ServerSecrets.parse(fileText: "token file-full\nlimited-token file-limited\n")
        secrets.add(try ServerSecrets.fromEnvironment(["FOLIO_SERVE_CLIENTS": "env-client:env-secret"]))
        var options = TestServer.options(orders: 0, faults: Faults(), accessTokenLifetime: 3600, seed: 1, tokens: secrets.tokens)
        options.limitedTokens = secrets.limitedTokens
        options.clients = secrets.clients
        try await LiveServer.with(options: options) { s in
            #expect(try await s.get("/api/admin/invoices/456", token: "file-full").status == 200)
            #expect(try await s.get("/sandbox/faults", token: "file-full").status == 200)
            #expect(try await s.get("/api/admin/invoices/456", token: "file-limited").status == 403)
            #expect(try await s.get("/sandbox/faults", token: "file-limited").status == 403)
            let issued = try await s.request(
                .POST, "/api2/oauth/token", token: nil,
                form: "grant_type=client_credentials&client_id=env-client&client_secret=env-secret")
            #expect(issued.status == 200)
        }
    }
}
