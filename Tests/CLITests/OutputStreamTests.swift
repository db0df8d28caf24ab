import FolioServer
import FolioTestSupport
import Foundation
import Testing

/// Where the output goes and how the CLI ends: a reader that closes the pipe
/// early, a full disk, usage errors, a bad config, a refused token.
@Suite struct OutputStreamTests {
    /// Runs `script` in bash with the built `folio` as `$0` and `arguments` as
    /// `$@`. A trap must not hang the test in the backtracer.
    static func shell(
        _ script: String, _ arguments: [String], baseURL: String,
        extra: [String: String] = [:]
    ) async throws -> Shell.Run {
        try await Shell.capture(
            "/bin/bash", ["-c", script, CLITests.binary.path] + arguments,
            environment: [
                "FOLIO_BASE_URL": baseURL, "FOLIO_TOKEN": CLITests.token, "XDG_CONFIG_HOME": "/nonexistent",
                "XDG_STATE_HOME": CLITests.stateHome, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                "SWIFT_BACKTRACE": "enable=no",
            ].merging(extra) { $1 })
    }

    /// The reader closes its end before folio writes a byte, so every write is an EPIPE.
    static let closedReader = #""$0" "$@" | { exec 0<&-; sleep 0.3; }; echo "folio=${PIPESTATUS[0]}""#
    /// The everyday case: a reader that takes one line and goes.
    static let headOne = #""$0" "$@" | head -1 >/dev/null; echo "folio=${PIPESTATUS[0]}""#

    @Test func aClosedPipeEndsQuietly() async throws {
        try await CLITests.withServer(orders: 20) { server in
            let number = try await server.database.read { db in
                try String.fetchOne(db, sql: "SELECT increment_id FROM invoices ORDER BY entity_id DESC LIMIT 1")
            }
            let commands: [[String]] = [
                ["invoices", "list", "--limit", "200"], ["invoices", "list", "--limit", "200", "--json"],
                ["invoices", "list", "--limit", "200", "--csv"], ["invoices", "show", try #require(number)],
                ["invoices", "export"], ["invoices", "export", "--format", "jsonl"], ["orders", "show", "100000123"],
            ]
            for arguments in commands {
                for script in [Self.closedReader, Self.headOne] {
                    let run = try await Self.shell(script, arguments, baseURL: server.baseURL)
                    #expect(run.stdout == "folio=0\n", "\(arguments) | reader: \(run.stdout) \(run.stderr)")
                    #expect(run.stderr.isEmpty, "\(arguments): a closed pipe is not an error to report: \(run.stderr)")
                }
            }
        }
    }

    @Test func aReaderLeavingEarlyDoesNotHideAWriteStillUnknown() async throws {
        try await CLITests.withServer(orders: 20) { server in
            let proxy = try FaultProxy(upstreamPort: server.port)
            defer { _ = proxy.stop() }
            // A proxy that answers 502 at once and passes the create on later: its outcome is unknown.
            proxy.inject(.answerThenForward(status: 502, seconds: 6))
            let create = try await CLITests.folio(
                ["invoices", "create", "--order", "100000123", "--item", "PRODUCT-001=1"],
                baseURL: proxy.baseURL)
            #expect(create.status == 7, "\(create.stderr)")
            let resolve = try await Self.shell(Self.closedReader, ["journal", "resolve"], baseURL: proxy.baseURL)
            #expect(resolve.stdout == "folio=7\n", "still unknown, whoever reads the output: \(resolve.stdout) \(resolve.stderr)")
            #expect(resolve.stderr.isEmpty)
            _ = await proxy.drain(timeout: 10)
        }
    }

    @Test func aFullDiskIsOneLineAndExit8() async throws {
        try await CLITests.withServer(orders: 20) { server in
            for arguments in [
                ["invoices", "list"], ["invoices", "list", "--json"], ["invoices", "list", "--csv"],
                ["invoices", "export"], ["orders", "show", "100000123"],
            ] {
                let run = try await Self.shell(#""$0" "$@" > /dev/full"#, arguments, baseURL: server.baseURL)
                #expect(run.status == 8, "\(arguments): \(run.status) \(run.stderr)")
                #expect(run.stderr.hasPrefix("folio: cannot write the output: No space left on device"), "\(run.stderr)")
                #expect(run.stderr.split(separator: "\n").count == 1, "one line, no backtrace: \(run.stderr)")
            }
        }
    }

    @Test func usageErrorsExit2WithAClearMessage() async throws {
        let cases: [([String], String)] = [
            (["invoices", "list", "--no-such-flag"], "Unknown option '--no-such-flag'"),
            (["invoices", "list", "--page", "-1"], "--page must be 1 or more, not -1"),
            (["invoices", "list", "--page=-1"], "--page must be 1 or more, not -1"),
            (["invoices", "list", "--page", "0"], "--page must be 1 or more, not 0"),
            (["invoices", "list", "--page", "abc"], "'abc' is invalid for '--page <page>'"),
            (["invoices", "list", "--limit", "-5"], "--limit must be 1 to 200, not -5"),
            (["invoices", "list", "--limit", "201"], "--limit must be 1 to 200, not 201"),
            (["invoices", "export", "--page-size", "0"], "--page-size must be 1 to 200, not 0"),
            (["invoices", "show"], "give an invoice number or --id"),
            (["invoices", "show", "--id", "-3"], "--id must be 1 or more, not -3"),
            (["invoices", "create"], "Missing expected argument '--order <order>'"),
            (["no-such-command"], "Unexpected argument 'no-such-command'"),
        ]
        for (arguments, message) in cases {
            let run = try await CLITests.folio(arguments, baseURL: "http://127.0.0.1:1")
            #expect(run.status == 2, "\(arguments) exited \(run.status)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("Missing value for"), "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
        let help = try await CLITests.folio(["invoices", "list", "--help"], baseURL: "")
        #expect(help.status == 0 && help.stdout.contains("--page"), "help is not an error")
    }

    @Test func aConfigPageSizeThatIsNoPageSizeIsRefusedByName() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folio-cli-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for bad in ["0", "-1", "abc"] {
            let path = folder.appendingPathComponent("config-\(bad).yaml").path
            try "page_size: \(bad)\nprofiles:\n  default:\n    base_url: http://127.0.0.1:1\n    token_command: echo t\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
            let run = try await CLITests.folio(
                ["invoices", "list", "--config", path], baseURL: "",
                environment: [
                    "XDG_STATE_HOME": CLITests.stateHome, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                ])
            #expect(run.status == 2, "page_size: \(bad) exited \(run.status)")
            #expect(run.stderr == "folio: page_size must be a whole number from 1 to 200, not \"\(bad)\" — fix it in \(path)\n")
        }
    }

    @Test func aRefusedTokenFromTheEnvironmentSaysSo() async throws {
        try await CLITests.withServer(orders: 5) { server in
            let run = try await CLITests.folio(["invoices", "list"], baseURL: server.baseURL, token: "wrong-token")
            #expect(run.status == 4)
            #expect(run.stderr == "folio: token invalid or expired — the token came from FOLIO_TOKEN: check it, or get a new one\n")
        }
    }
}
