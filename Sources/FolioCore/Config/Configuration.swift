import Configuration
import Foundation

/// A store to talk to: where, and how to get a token.
public struct Profile: Sendable, Equatable {
    public var name: String
    public var baseURL: String
    public var token: TokenSource
    public var allowInsecureHTTP: Bool
    /// How long one request may take (`timeout:` in seconds, or `--timeout`); 30 s when unset.
    public var timeout: Duration?
    /// The environment variable the token came from; nil when from the config file.
    public var tokenFrom: String?

    public init(
        name: String, baseURL: String, token: TokenSource, allowInsecureHTTP: Bool, timeout: Duration? = nil,
        tokenFrom: String? = nil
    ) {
        self.name = name
        self.baseURL = baseURL
        self.token = token
        self.allowInsecureHTTP = allowInsecureHTTP
        self.timeout = timeout
        self.tokenFrom = tokenFrom
    }

    public func clientSettings() -> APIClient.Settings {
        var settings = APIClient.Settings(baseURL: baseURL, profile: name, token: token)
        settings.tokenFrom = tokenFrom
        settings.allowInsecureHTTP = allowInsecureHTTP
        if let timeout { settings.requestTimeout = timeout }
        return settings
    }
}

/// What the command line says, which wins over the environment and the file.
public struct ConfigOverrides: Sendable {
    public var profile: String?
    public var baseURL: String?
    public var theme: String?
    public var allowInsecureHTTP = false
    /// `--timeout SECONDS`.
    public var timeout: Double?
    public init() {}
}

/// Folio's settings: `$XDG_CONFIG_HOME/folio/config.yaml`, overridden by the
/// environment (`FOLIO_PROFILE`, `FOLIO_BASE_URL`, `FOLIO_TOKEN`, …), overridden
/// by flags — layered by swift-configuration, each layer a provider.
///
/// ```yaml
/// profile: shop                 # the default profile
/// theme: default
/// page_size: 50
/// resend_window_minutes: 10     # a resend of one invoice within this asks why
/// profiles:
///   shop:
///     base_url: https://shop.example.com
///     token_command: pass show shop/folio   # or token: …, or oauth: {client_id, client_secret[_command]}
/// ```
public struct FolioSettings: Sendable {
    public var profile: Profile
    public var theme: String?
    public var pageSize: Int
    public var configPath: String
    /// A resend of the same invoice within this long asks for a reason
    /// (`resend_window_minutes`, 10 when unset; 0 turns the question off).
    public var resendWindow: Duration = ResendPolicy.defaultWindow

    /// `$XDG_CONFIG_HOME/folio/config.yaml`, else `~/.config/folio/config.yaml`.
    public static func defaultPath(_ environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/folio/config.yaml" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.config/folio/config.yaml"
    }

    public static func load(
        _ overrides: ConfigOverrides = ConfigOverrides(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        path: String? = nil
    ) async throws(FolioError) -> FolioSettings {
        let path = path ?? defaultPath(environment)
        let config = try ConfigFile.read(path)
        let exists = config != nil

        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        if let p = overrides.profile { flagValues[["profile"]] = ConfigValue(stringLiteral: p) }
        if let b = overrides.baseURL { flagValues[["base_url"]] = ConfigValue(stringLiteral: b) }
        if let t = overrides.theme { flagValues[["theme"]] = ConfigValue(stringLiteral: t) }
        let flags = InMemoryProvider(name: "flags", values: flagValues)
        // FOLIO_BASE_URL is the key `folio.base_url`; the mapping puts every key under `folio`.
        let env = KeyMappingProvider(upstream: EnvironmentVariablesProvider(environmentVariables: environment)) {
            $0.prepending(["folio"])
        }
        let file = try config?.provider() ?? nil
        let top = ConfigReader(providers: [flags, env] + (file.map { [$0] } ?? []))

        let profileName = top.string(forKey: "profile") ?? "default"
        // A profile's own keys live under profiles.NAME in the file.
        let profileFile = file.map { f in KeyMappingProvider(upstream: f) { $0.prepending(["profiles", profileName]) } }
        let p = ConfigReader(providers: [flags, env] + (profileFile.map { [$0] } ?? []))

        guard let baseURL = p.string(forKey: "base_url"), !baseURL.isEmpty else {
            throw .configuration(
                exists
                    ? "profile \(profileName) has no base_url in \(path) — add one, or set FOLIO_BASE_URL"
                    : "no store configured — create \(path) (see the README), set FOLIO_BASE_URL and FOLIO_TOKEN, or try `folio demo`")
        }
        let token: TokenSource
        if let fixed = p.string(forKey: "token", isSecret: true), !fixed.isEmpty {
            token = .fixed(fixed)
        } else if let command = p.string(forKey: "token_command"), !command.isEmpty {
            token = .command(command)
        } else if let id = p.string(forKey: "oauth.client_id") {
            var secret = p.string(forKey: "oauth.client_secret", isSecret: true)
            if secret == nil, let command = p.string(forKey: "oauth.client_secret_command") {
                secret = try TokenProvider.run(command)
            }
            guard let secret else {
                throw .configuration("profile \(profileName): oauth needs client_secret or client_secret_command")
            }
            token = .oauthClient(id: id, secret: secret)
        } else {
            throw .configuration("profile \(profileName) has no token — set token_command, token or oauth in \(path), or FOLIO_TOKEN")
        }
        let insecure = overrides.allowInsecureHTTP || p.bool(forKey: "allow_insecure_http", default: false)
        let seconds = overrides.timeout ?? p.double(forKey: "timeout") ?? p.int(forKey: "timeout").map(Double.init)
        if let seconds, !(seconds > 0 && seconds <= 3600) {
            throw .configuration("timeout must be between 0 and 3600 seconds, not \(seconds) — fix --timeout or the profile's timeout")
        }
        let pageSize = try pageSize(
            top.string(forKey: "page_size"),
            from: environment["FOLIO_PAGE_SIZE"] != nil ? "FOLIO_PAGE_SIZE" : path)
        let window = try resendWindow(
            top.string(forKey: "resend_window_minutes"),
            from: environment["FOLIO_RESEND_WINDOW_MINUTES"] != nil ? "FOLIO_RESEND_WINDOW_MINUTES" : path)
        return FolioSettings(
            profile: Profile(
                name: profileName, baseURL: baseURL, token: token, allowInsecureHTTP: insecure,
                timeout: seconds.map { .milliseconds(Int64(($0 * 1000).rounded())) },
                tokenFrom: tokenOrigin(token, environment: environment)),
            theme: top.string(forKey: "theme"), pageSize: pageSize, configPath: path, resendWindow: window)
    }

    /// `resend_window_minutes`: a whole number from 0 (never ask) to 1440.
    static func resendWindow(_ raw: String?, from source: String) throws(FolioError) -> Duration {
        guard let raw else { return ResendPolicy.defaultWindow }
        guard let minutes = Int(raw.trimmingCharacters(in: .whitespaces)), (0...1440).contains(minutes) else {
            throw .configuration(
                "resend_window_minutes must be a whole number from 0 to 1440, not \"\(raw.prefix(40))\" — fix it in \(source)")
        }
        return .seconds(minutes * 60)
    }

    /// `page_size`, 50 when unset. A value that is not a whole number from 1 to
    /// 200 is refused by name rather than bent into range, so that a typo is seen.
    static func pageSize(_ raw: String?, from source: String) throws(FolioError) -> Int {
        guard let raw else { return 50 }
        guard let value = Int(raw.trimmingCharacters(in: .whitespaces)), (1...200).contains(value) else {
            throw .configuration("page_size must be a whole number from 1 to 200, not \"\(raw.prefix(40))\" — fix it in \(source)")
        }
        return value
    }

    /// Where the token came from, for the message of a 401: an environment
    /// variable wins over the file, so it is named when it was set.
    static func tokenOrigin(_ token: TokenSource, environment: [String: String]) -> String? {
        func set(_ name: String) -> Bool { !(environment[name] ?? "").isEmpty }
        switch token {
        case .fixed where set("FOLIO_TOKEN"): return "FOLIO_TOKEN"
        case .command where set("FOLIO_TOKEN_COMMAND"): return "FOLIO_TOKEN_COMMAND"
        case .oauthClient where set("FOLIO_OAUTH_CLIENT_ID"): return "FOLIO_OAUTH_CLIENT_ID"
        default: return nil
        }
    }
}
