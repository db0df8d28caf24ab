import FolioCore
import FolioTerminal
import Foundation

/// Opens the terminal interface on a store: the ncurses terminal, the theme,
/// the first page. Used by `folio` and `folio demo`.
public enum TerminalApp {
    public struct Options: Sendable {
        /// Shown in the header: the profile's name, or "demo".
        public var context: String
        public var pageSize = 50
        /// A theme name or path (`--theme`, or `theme:` in the config).
        public var theme: String?
        /// Where `--theme NAME` looks besides the shipped themes.
        public var themesDirectory: String?
        /// Clicks and the wheel go to Folio (else they stay the terminal's).
        public var mouse = false
        /// A resend of one invoice within this long asks for a reason (`resend_window_minutes`).
        public var resendWindow = ResendPolicy.defaultWindow
        public var environment = ProcessInfo.processInfo.environment

        public init(context: String) { self.context = context }
    }

    /// Runs until the user quits; returns the exit status. Runs on a thread
    /// of its own, so the async tasks that talk to the store keep theirs.
    public static func run(client: APIClient, journal: WriteJournal, options: Options) async -> Result<Int32, TerminalError> {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: runHere(client: client, journal: journal, options: options))
            }
            thread.name = "folio-terminal"
            thread.start()
        }
    }

    private static func runHere(client: APIClient, journal: WriteJournal, options: Options) -> Result<Int32, TerminalError> {
        let started = Date()
        let terminal: NcursesTerminal
        do { terminal = try NcursesTerminal(environment: options.environment, mouse: options.mouse) } catch { return .failure(error) }
        let (theme, problem) = Theme.resolve(options.theme, depth: terminal.depth, userDirectory: options.themesDirectory)
        var state = AppState(
            width: terminal.width, height: terminal.height,
            look: Look(theme: theme, glyphs: Glyphs(for: terminal.repertoire)),
            context: options.context, today: .today(), pageSize: options.pageSize, resendWindow: options.resendWindow)
        let notes = [terminal.terminalNote, problem].compactMap { $0 }
        if !notes.isEmpty { state.message = StatusMessage(.warning, notes.joined(separator: "; ")) }
        // First thing: the writes an earlier run left unknown (a kill, a crash, a dropped ssh session).
        let first = state.loadList(state.list.query, landing: .first) + state.checkWrites()
        let program = Program(terminal: terminal, state: state, runner: EffectRunner(client: client, journal: journal))
        let status = program.run(initial: first)
        sayWhatWasInFlight(journal, since: started)
        return .success(status)
    }

    /// After the terminal is given back: one line for each write this run
    /// sent whose outcome is still unknown — in flight when Folio stopped
    /// (quit, Ctrl-C, SIGTERM, SIGHUP), or unknown since. Its journal entry
    /// stays for the next start.
    static func sayWhatWasInFlight(_ journal: WriteJournal, since: Date) {
        guard let open = try? journal.openEntries() else { return }
        for entry in open where entry.startedAt >= since {
            let state = entry.result == nil ? "was being sent when Folio stopped" : "is still of unknown outcome"
            let line =
                "folio: \(entry.what) \(state) (ref \(entry.reference)): kept in the journal "
                + "— start folio again or run `folio journal resolve`\n"
            // write(2), not FileHandle: after a dropped ssh session stderr is gone, and
            // FileHandle.write would trap on the error instead of letting Folio end.
            _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        }
    }
}
