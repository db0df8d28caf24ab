import Foundation
import Testing

/// `folio serve`'s options: numbers out of range are refused before anything
/// starts, and secrets can come from the environment or a private file.
@Suite struct ServeOptionsTests {
    func serve(_ arguments: [String], environment: [String: String] = [:]) async throws -> Shell.Run {
        try await Shell.capture(
            CLITests.binary.path, ["serve"] + arguments,
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "SWIFT_BACKTRACE": "enable=no"]
                .merging(environment) { $1 })
    }

    @Test func helpSaysWhereSecretsAreSafe() async throws {
        let help = try await serve(["--help"])
        #expect(help.status == 0)
        for text in ["FOLIO_SERVE_TOKENS", "FOLIO_SERVE_LIMITED_TOKENS", "FOLIO_SERVE_CLIENTS", "--token-file", "visible"] {
            #expect(help.stdout.contains(text), "\(text)")
        }
    }

    @Test(arguments: [
        ["--token-ttl", "9223372036854775807"], ["--token-ttl", "0"], ["--seed", "9223372036854775807"],
        ["--seed", "-1"], ["--port", "70000"], ["--port", "-1"], ["--token-ttl", "-3"],
        ["--fault-latency", "-5"], ["--fault-latency", "9223372036854775807"],
    ])
    func numbersOutOfRangeAreRefusedNotTrapped(arguments: [String]) async throws {
        // Were an option let through, the server would fail to open this database
        // and say so, rather than start and keep the test waiting.
        let unopenable = ["--db", "/nonexistent-folio-dir/store.sqlite"]
        let run = try await serve(arguments + unopenable + (arguments.contains("--port") ? [] : ["--port", "0"]))
        #expect(run.status == 2, "\(arguments): exit \(run.status)")
        // Named as out of range, not "Missing value" (a negative number is a value, not a flag).
        #expect(run.stderr.contains("\(arguments[0]) must be"), "\(arguments): \(run.stderr)")
        #expect(!run.stdout.contains("listening"))
    }

    @Test(arguments: [["--orders", "-1"], ["--page-size", "-1"], ["--page-size", "0"], ["--orders", "9223372036854775807"]])
    func demoNumbersOutOfRangeAreNamed(arguments: [String]) async throws {
        let run = try await Shell.capture(
            CLITests.binary.path, ["demo"] + arguments,
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "xterm"])
        #expect(run.status == 2, "\(arguments): exit \(run.status)")
        #expect(run.stderr.contains("\(arguments[0]) must be"), "\(arguments): \(run.stderr)")
    }

    @Test func secretsFromTheEnvironmentAndAFileAreRead() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A malformed client in the environment is refused, which proves it is read.
        let badEnvironment = try await serve(["--port", "0"], environment: ["FOLIO_SERVE_CLIENTS": "erp-without-secret"])
        #expect(badEnvironment.status == 2)
        #expect(badEnvironment.stderr.contains("FOLIO_SERVE_CLIENTS"))
        // A token file others may read is refused, and the secret in it never printed.
        let file = folder + "/serve.secrets"
        _ = FileManager.default.createFile(atPath: file, contents: Data("token hunter2-secret\n".utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        let open = try await serve(["--port", "0", "--token-file", file])
        #expect(open.status == 2)
        #expect(open.stderr.contains("chmod 600"))
        #expect(!(open.stdout + open.stderr).contains("hunter2"))
    }
}
