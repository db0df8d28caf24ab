import ArgumentParser
import FolioCLIOutput
import FolioCore
import Foundation

/// How every command that talks to a store finds it: a profile of the config
/// file, overridden by the environment, overridden by these flags.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Profile of the config file to use (default: the file's `profile`, or FOLIO_PROFILE).")
    var profile: String?
    @Option(name: .customLong("base-url"), help: "The store's base URL (overrides the profile and FOLIO_BASE_URL).")
    var baseURL: String?
    @Option(help: "Config file (default: $XDG_CONFIG_HOME/folio/config.yaml or ~/.config/folio/config.yaml).")
    var config: String?
    @Flag(name: .customLong("allow-insecure-http"), help: "Allow plain http:// to a host that is not this machine.")
    var allowInsecureHTTP = false
    @Option(
        parsing: .unconditional,
        help: "Seconds one request may take before its answer counts as lost (default 30, or the profile's timeout).")
    var timeout: Double?

    func settings(theme: String? = nil) async throws(FolioError) -> FolioSettings {
        var overrides = ConfigOverrides()
        overrides.theme = theme
        overrides.profile = profile
        overrides.baseURL = baseURL
        overrides.allowInsecureHTTP = allowInsecureHTTP
        overrides.timeout = timeout
        return try await FolioSettings.load(overrides, path: config)
    }

    /// Runs `body` with a client for the chosen profile and always closes it.
    /// A `FolioError` becomes one line on stderr and its exit code.
    func withClient<T>(
        theme: String? = nil,
        _ body: (APIClient, FolioSettings) async throws(FolioError) -> T
    ) async throws -> T {
        let settings: FolioSettings
        let client: APIClient
        do {
            settings = try await self.settings(theme: theme)
            client = try APIClient(settings.profile.clientSettings())
        } catch {
            throw CLIFailure(error)
        }
        do {
            let result = try await body(client, settings)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw CLIFailure(error)
        }
    }
}

/// A failure the CLI reports as one clear line and a meaningful exit code.
struct CLIFailure: Error, CustomStringConvertible {
    let error: FolioError
    init(_ error: FolioError) { self.error = error }
    var description: String { error.message }

    /// Input checked before anything is sent: a refusal is one line and its exit code, like any other.
    static func checking<T>(_ body: () throws(FolioError) -> T) throws(CLIFailure) -> T {
        do { return try body() } catch { throw CLIFailure(error) }
    }
}

extension FolioSettings {
    /// The write journal of this profile.
    var journal: WriteJournal { WriteJournal(profile: profile.name) }
}

/// Runs a command body, turning a `CLIFailure` into stderr + exit code.
func reporting(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let failure as CLIFailure {
        Output.error(failure.error.message)
        throw ExitCode(failure.error.exitCode)
    }
}
