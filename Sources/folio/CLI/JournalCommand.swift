import ArgumentParser
import FolioCLIOutput
import FolioCore
import Foundation

/// `folio journal`: the writes whose outcome is not known, and settling them.
struct JournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Writes of unknown outcome: list, resolve, settle.",
        discussion: """
            Every write (an invoice create, an email resend, an order note) is recorded in the profile's journal \
            ($XDG_STATE_HOME/folio/PROFILE.journal, default ~/.local/state/folio/) before it is sent, \
            with its operation reference, and again when its outcome is known. A write whose answer \
            was lost stays open until its reference is found on the store or a clerk settles it. \
            Exit codes as for `folio invoices`; `resolve` exits 0 when nothing is left open, 7 otherwise.
            """,
        subcommands: [List.self, Resolve.self, Settle.self],
        defaultSubcommand: List.self)

    /// The profile's journal; only its name is needed to read it, so a
    /// profile that cannot connect can still be listed.
    static func journal(_ connection: ConnectionOptions) async throws -> WriteJournal {
        do {
            return try await connection.settings().journal
        } catch {
            let environment = ProcessInfo.processInfo.environment
            guard let name = connection.profile ?? environment["FOLIO_PROFILE"] else { throw CLIFailure(error) }
            return WriteJournal(profile: name)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Open writes (all recent ones with --all).")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Also the writes that ended (the last 100).") var all = false
        @Flag(help: "JSON for scripts.") var json = false

        func run() async throws {
            try await reporting {
                let journal = try await JournalCommand.journal(connection)
                let entries: [JournalEntry]
                do throws(FolioError) { entries = try journal.entries() } catch { throw CLIFailure(error) }
                let shown = all ? Array(entries.suffix(100)) : entries.filter(\.isOpen)
                if json {
                    Output.json(.object(["journal": .string(journal.path), "entries": .array(shown.map(JSONShapes.journalEntry))]))
                    return
                }
                guard !shown.isEmpty else {
                    Output.line(all ? "no writes recorded in \(journal.path)" : "no write of unknown outcome (\(journal.path))")
                    return
                }
                Output.table(
                    ["REF", "STARTED", "WRITE", "OUTCOME", "LATEST"],
                    shown.map { entry in
                        [
                            entry.reference.value, JournalEntry.localTime(entry.startedAt), entry.what,
                            entry.isOpen ? "unknown" : entry.status.rawValue, entry.explanation,
                        ]
                    })
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve", abstract: "Look for every open write by its reference; exit 7 if any stays unknown.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "JSON for scripts.") var json = false

        func run() async throws {
            try await reporting {
                let looked = try await connection.withClient { client, settings throws(FolioError) in
                    try? settings.journal.compact()
                    return try await client.resolveOpenWrites(settings.journal)
                }
                let open = looked.filter(\.isOpen)
                if json {
                    Output.json(
                        .object([
                            "resolved": .array(looked.filter { !$0.isOpen }.map(JSONShapes.journalEntry)),
                            "open": .array(open.map(JSONShapes.journalEntry)),
                        ]))
                } else {
                    for entry in looked {
                        Output.line(
                            "\(entry.reference)  \(entry.what): "
                                + (entry.isOpen ? "still unknown — " : "done — ") + entry.explanation)
                    }
                    Output.line(
                        open.isEmpty
                            ? "nothing left open"
                            : "\(open.count) write\(open.count == 1 ? "" : "s") of unknown outcome: "
                                + "check the store, then `folio journal settle REF --note WHAT-YOU-SAW`")
                }
                if !open.isEmpty { throw ExitCode(7) }
            }
        }
    }

    struct Settle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "settle", abstract: "Close an open write by hand, after checking the store.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The operation reference (dashes and case do not matter).") var reference: String
        @Option(help: "What you saw on the store (kept in the journal).") var note: String

        func run() async throws {
            try await reporting {
                guard let ref = OperationReference(reference) else {
                    throw CLIFailure(.invalidInput("\(reference) is not an operation reference (16 characters like 7K3M-9QX2-H4TD-ZP1R)"))
                }
                let journal = try await JournalCommand.journal(connection)
                do throws(FolioError) { try journal.settle(ref, note: note) } catch { throw CLIFailure(error) }
                Output.line("\(ref) settled: \(note)")
            }
        }
    }
}
