import Foundation
import Testing

@testable import FolioCore

/// Profiles: the YAML file, overridden by the environment, overridden by flags.
@Suite struct ConfigurationTests {
    /// A config file in a fresh directory, with the mode given.
    func file(_ yaml: String, mode: Int = 0o600) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("config.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    static let yaml = """
        profile: shop
        theme: dark-256
        page_size: 80
        profiles:
          shop:
            base_url: https://shop.example.com
            token_command: echo from-the-password-manager
          staging:
            base_url: https://staging.example.com
            oauth:
              client_id: erp
              client_secret_command: printf s3cret
          local:
            base_url: http://127.0.0.1:8080
            token: plain-token
        """

    @Test func theFileChoosesTheProfileAndItsTokenSource() async throws {
        let path = try file(Self.yaml)
        let settings = try await FolioSettings.load(environment: [:], path: path)
        #expect(settings.profile.name == "shop")
        #expect(settings.profile.baseURL == "https://shop.example.com")
        #expect(settings.profile.token == .command("echo from-the-password-manager"))
        #expect(settings.theme == "dark-256" && settings.pageSize == 80)
        #expect(try TokenProvider.run("echo from-the-password-manager") == "from-the-password-manager")
    }

    @Test func environmentOverridesTheFileAndFlagsOverrideTheEnvironment() async throws {
        let path = try file(Self.yaml)
        let env = ["FOLIO_PROFILE": "staging", "FOLIO_BASE_URL": "https://env.example.com"]
        let fromEnv = try await FolioSettings.load(environment: env, path: path)
        #expect(fromEnv.profile.name == "staging")
        #expect(fromEnv.profile.baseURL == "https://env.example.com")
        #expect(fromEnv.profile.token == .oauthClient(id: "erp", secret: "s3cret"))
        var flags = ConfigOverrides()
        flags.profile = "local"
        flags.baseURL = "http://localhost:9999"
        let fromFlags = try await FolioSettings.load(flags, environment: env, path: path)
        #expect(fromFlags.profile.name == "local" && fromFlags.profile.baseURL == "http://localhost:9999")
        #expect(fromFlags.profile.token == .fixed("plain-token"))
        let tokenFromEnv = try await FolioSettings.load(flags, environment: ["FOLIO_TOKEN": "env-token"], path: path)
        #expect(tokenFromEnv.profile.token == .fixed("env-token"), "FOLIO_TOKEN wins over the file's token")
    }

    @Test func noFileButTheEnvironmentIsEnough() async throws {
        let settings = try await FolioSettings.load(
            environment: ["FOLIO_BASE_URL": "http://127.0.0.1:1", "FOLIO_TOKEN": "t"],
            path: "/nonexistent/folio/config.yaml")
        #expect(settings.profile.baseURL == "http://127.0.0.1:1" && settings.profile.token == .fixed("t"))
        #expect(settings.pageSize == 50)
    }

    @Test func nothingConfiguredSaysHowToStart() async {
        let error = await failure { try await FolioSettings.load(environment: [:], path: "/nonexistent/folio/config.yaml") }
        #expect(error?.message.contains("folio demo") == true)
        #expect(error?.exitCode == 2)
    }

    @Test func aFileWithASecretThatOthersCanReadIsRefused() async throws {
        let open = try file(Self.yaml, mode: 0o644)
        let error = await failure { try await FolioSettings.load(environment: [:], path: open) }
        #expect(error?.message.contains("chmod 600") == true)
        #expect(error?.message.contains("plain-token") == false, "the secret is never in the message")
        // Without a secret in it, the same mode is fine (a token command is not a secret).
        let noSecret = try file(
            "profile: a\nprofiles:\n  a:\n    base_url: https://a.example.com\n    token_command: echo x\n", mode: 0o644)
        #expect(try await FolioSettings.load(environment: [:], path: noSecret).profile.name == "a")
    }

    @Test func incompleteProfilesSayWhatIsMissing() async throws {
        let noToken = try file("profiles:\n  default:\n    base_url: https://a.example.com\n")
        #expect(
            await failure { try await FolioSettings.load(environment: [:], path: noToken) }?.message
                .contains("has no token") == true)
        let noURL = try file("profile: x\nprofiles:\n  x:\n    token_command: echo t\n")
        #expect(
            await failure { try await FolioSettings.load(environment: [:], path: noURL) }?.message
                .contains("profile x has no base_url") == true)
        let broken = try file("profiles: [unclosed\n")
        #expect(
            await failure { try await FolioSettings.load(environment: [:], path: broken) }?.message
                .contains("config.yaml:2:1: not valid YAML") == true)
    }

    @Test func aFailingTokenCommandIsAClearError() {
        #expect(throws: FolioError.configuration("the token command failed (exit 3) — run it by hand to see why")) {
            _ = try TokenProvider.run("exit 3")
        }
        #expect(throws: FolioError.configuration("the token command printed nothing")) { _ = try TokenProvider.run("true") }
    }

    /// A command that leaves a background child holding its stdout does not
    /// keep Folio waiting; one that never stops writing is cut off; a
    /// multi-line answer (pass show) is read whole and its first line used.
    @Test func aTokenCommandCannotHoldFolio() throws {
        let started = ContinuousClock.now
        #expect(try TokenProvider.run("sleep 30 & echo from-the-agent") == "from-the-agent")
        #expect(ContinuousClock.now - started < .seconds(10), "waited for the background child")
        #expect(throws: FolioError.self) { _ = try TokenProvider.run("yes") }
        #expect(try TokenProvider.run("printf 'tok\\nurl: shop\\n'; sleep 0.2; printf 'more\\n'") == "tok")
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func aPageSizeOutOfRangeOrNotANumberIsRefusedByName() async throws {
        let profile = "profiles:\n  default:\n    base_url: https://a.example.com\n    token_command: echo t\n"
        for bad in ["0", "-1", "abc", "201", "2.5", "\"\""] {
            let path = try file("page_size: \(bad)\n" + profile)
            let error = await failure { try await FolioSettings.load(environment: [:], path: path) }
            #expect(error?.message.hasPrefix("page_size must be a whole number from 1 to 200") == true, "page_size: \(bad)")
            #expect(error?.message.contains(path) == true && error?.exitCode == 2)
        }
        for good in ["1", "200", "75"] {
            let path = try file("page_size: \(good)\n" + profile)
            #expect(try await FolioSettings.load(environment: [:], path: path).pageSize == Int(good))
        }
        let env = await failure {
            try await FolioSettings.load(
                environment: [
                    "FOLIO_BASE_URL": "https://a.example.com", "FOLIO_TOKEN": "t",
                    "FOLIO_PAGE_SIZE": "0",
                ], path: "/nonexistent/folio/config.yaml")
        }
        #expect(env?.message.contains("FOLIO_PAGE_SIZE") == true, "the environment variable is named when it is the source")
    }

    @Test func aRefusedTokenNamesTheVariableItCameFrom() async throws {
        let fromEnv = try await FolioSettings.load(
            environment: ["FOLIO_BASE_URL": "https://a.example.com", "FOLIO_TOKEN": "t"],
            path: "/nonexistent/folio/config.yaml")
        #expect(fromEnv.profile.tokenFrom == "FOLIO_TOKEN")
        #expect(fromEnv.profile.clientSettings().tokenFrom == "FOLIO_TOKEN")
        let fromFile = try await FolioSettings.load(environment: ["FOLIO_PROFILE": "local"], path: try file(Self.yaml))
        #expect(fromFile.profile.tokenFrom == nil)
        let message = FolioError.unauthorized(profile: "default", tokenFrom: "FOLIO_TOKEN").message
        #expect(message.contains("FOLIO_TOKEN") && !message.contains("profile default"))
        #expect(FolioError.unauthorized(profile: "shop").message.contains("the token of profile shop"))
    }

    @Test func theDefaultPathFollowsXDG() {
        #expect(FolioSettings.defaultPath(["XDG_CONFIG_HOME": "/x"]) == "/x/folio/config.yaml")
        #expect(FolioSettings.defaultPath(["HOME": "/home/clerk"]) == "/home/clerk/.config/folio/config.yaml")
    }
}
