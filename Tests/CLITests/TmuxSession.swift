import FolioServer
import FolioTerminal
import FolioTestSupport
import Foundation
import Testing

@testable import FolioTUI

/// One tmux server on its own socket, running `folio` under a shell that
/// records, after it exits, its status, the tty modes and the screen mode.
final class TmuxSession: Sendable {
    /// Whether the terminal tests run: where tmux is, and always under CI
    /// (whose script installs it, so a missing tmux fails there). Elsewhere
    /// they are reported as skipped, never as passed.
    static var canRun: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || ProcessInfo.processInfo.environment["CI"] != nil
    }

    let socket = "folio-e2e-\(UUID().uuidString.prefix(8))"
    let folder: URL
    let jobControl: Bool

    /// `jobControl` runs `folio` from an interactive shell, as a person
    /// would; only there can Ctrl-Z stop it (the kernel discards a
    /// terminal's stop signal for a process group no shell watches).
    init(
        server: RunningServer?, arguments: [String] = [], width: Int = 100, height: Int = 30,
        environment: [String: String] = [:], jobControl: Bool = false
    ) async throws {
        self.jobControl = jobControl
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var env = [
            "FOLIO_BASE_URL": server?.baseURL ?? "", "FOLIO_TOKEN": CLITests.token,
            "XDG_CONFIG_HOME": folder.path, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color",
        ]
        env.merge(environment) { $1 }
        let assignments = env.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        // A clean environment: nothing of the test runner's (NO_COLOR, say) leaks in.
        let folio =
            "env -i PATH=/usr/bin:/bin HOME='\(folder.path)' \(assignments) '\(CLITests.binary.path)'"
            + arguments.map { " '\($0)'" }.joined()
        let script = "\(folio); \(TmuxSession.record(in: folder)); exec sleep 600"
        let first = jobControl ? "env PS1='$ ' bash --norc --noprofile -i" : script
        // The first command forks the tmux server, which Foundation's
        // Process does not see end; a plain shell and waitpid on a
        // thread of its own do.
        let command =
            "/usr/bin/tmux -L \(socket) -f /dev/null new-session -d -x \(width) -y \(height) "
            + "\"$(cat '\(folder.path)/script')\" </dev/null >/dev/null 2>&1"
        try first.write(to: folder.appendingPathComponent("script"), atomically: true, encoding: .utf8)
        let status = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Shell.launching.withLock { system(command) }) }.start()
        }
        guard status == 0 else { throw Shell.ShellFailure(description: "tmux new-session exited \(status)") }
        if jobControl {
            try await waitFor("the shell's prompt") { $0.contains("$") }
            // Only folio on this line: a shell runs the rest of a line
            // at once when its first command is stopped.
            try await type(folio)
            try await keys("Enter")
        }
    }

    /// A session for `body`, closed however `body` ends.
    static func run(
        server: RunningServer?, arguments: [String] = [], width: Int = 100, height: Int = 30,
        environment: [String: String] = [:], jobControl: Bool = false,
        _ body: (TmuxSession) async throws -> Void
    ) async throws {
        let session = try await TmuxSession(
            server: server, arguments: arguments, width: width, height: height,
            environment: environment, jobControl: jobControl)
        do {
            try await body(session)
        } catch {
            await session.close()
            throw error
        }
        await session.close()
    }

    @discardableResult
    func tmux(_ arguments: String...) async throws -> String {
        try await Shell.run("/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + arguments)
    }

    func screen(colours: Bool = false) async throws -> String {
        colours ? try await tmux("capture-pane", "-e", "-p") : try await tmux("capture-pane", "-p")
    }
    func keys(_ keys: String...) async throws { for key in keys { try await tmux("send-keys", key) } }
    func type(_ text: String) async throws { try await tmux("send-keys", "-l", text) }

    /// Presses an action by name: its first key in the room's own table, so
    /// a rebinding moves the end-to-end tests with it.
    func press<Action>(_ action: Action, in keymap: Keymap<Action>) async throws {
        guard let key = keymap.keys(for: action).first else {
            Issue.record("no key for \(action)")
            throw CancellationError()
        }
        if case .character(let c) = key { try await type(String(c)) } else { try await keys(Self.name(of: key)) }
    }

    func press(_ action: GenericAction) async throws { try await press(action, in: GenericAction.keymap) }

    /// tmux's name for a key that is not a character.
    static func name(of key: Key) -> String {
        switch key {
        case .character(let c): String(c)
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        case .pageUp: "PageUp"
        case .pageDown: "PageDown"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .backspace: "BSpace"
        case .delete: "DC"
        case .insert: "IC"
        case .tab: "Tab"
        case .backTab: "BTab"
        case .escape: "Escape"
        case .function(let n): "F\(n)"
        case .control(let c): "C-\(c)"
        }
    }
    func resize(_ width: Int, _ height: Int) async throws {
        try await tmux("resize-window", "-x", "\(width)", "-y", "\(height)")
    }

    /// `/` on the list, then `number` and Enter; the caller waits for what it finds.
    func search(_ number: String) async throws {
        try await press(.search, in: ListState.keymap)
        try await waitFor("the search prompt") { $0.contains("number, email or name:") }
        try await type(number)
        try await press(.submit, in: SearchPrompt.keymap)
    }

    /// The invoice rows of a list screen (they start with the invoice number).
    static func invoiceRows(_ screen: String) -> [Substring] {
        screen.split(separator: "\n").filter { $0.hasPrefix("1000") }
    }

    /// `c` on the list, the order's number, Enter, and its quantity picker.
    func openCreate(order: String) async throws {
        try await press(.create, in: ListState.keymap)
        try await waitFor("the order prompt") { $0.contains("order #:") }
        try await type(order)
        try await press(.lookUp, in: CreateState.askKeys)
        try await waitFor("the picker of order \(order)") { $0.contains("Order \(order)") && $0.contains("To invoice") }
    }

    /// The create screen of `order`, everything remaining chosen, at its review.
    func openReview(order: String) async throws {
        try await openCreate(order: order)
        try await press(.review, in: CreateState.itemKeys)
        try await waitFor("Review — this is what will be sent")
    }

    /// Polls the screen until `condition` holds and returns it, or fails
    /// with the last screen seen.
    @discardableResult
    func waitFor(
        _ what: String, timeout: Duration = .seconds(15), colours: Bool = false,
        _ condition: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try await screen(colours: colours)
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("timed out waiting for \(what); screen:\n\(last)")
        throw CancellationError()
    }

    func waitFor(_ text: String) async throws { try await waitFor("“\(text)”") { $0.contains(text) } }

    /// The commands that record the status and the tty modes after `folio`.
    static func record(in folder: URL) -> String {
        // The status file last: once it exists, so does the other.
        "s=$?; stty -a > '\(folder.path)/stty'; echo $s > '\(folder.path)/status'"
    }

    /// The exit status `folio` left, once it has exited.
    func exitStatus(timeout: Duration = .seconds(10)) async throws -> Int32? {
        if jobControl {
            // Back at the prompt (and only then), ask the shell for the status.
            try await waitFor("the prompt after folio") { screen in
                screen.split(separator: "\n").last.map { $0.hasPrefix("$") } == true && !screen.contains("page 1/")
            }
            try await type(TmuxSession.record(in: folder))
            try await keys("Enter")
        }
        let file = folder.appendingPathComponent("status")
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: file, encoding: .utf8),
                let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return status
            }
            try await Task.sleep(for: .milliseconds(25))
        }
        return nil
    }

    /// The pane's modes that a full-screen program switches on, by tmux's names.
    static let screenModes = [
        "alternate_on", "keypad_flag", "keypad_cursor_flag", "mouse_any_flag", "mouse_button_flag",
        "mouse_standard_flag", "mouse_sgr_flag",
    ]

    /// Which of `screenModes` are on now.
    func modesOn() async throws -> Set<String> {
        let format = TmuxSession.screenModes.map { "#{\($0)}" }.joined(separator: " ")
        let values = try await tmux("display-message", "-p", format).split(separator: " ").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return Set(zip(TmuxSession.screenModes, values).filter { $0.1 == "1" }.map(\.0))
    }

    /// Text as a terminal pastes it: bracketed when the program asked for it.
    func paste(_ text: String) async throws {
        try await tmux("set-buffer", "-b", "folio-e2e", "--", text)
        try await tmux("paste-buffer", "-p", "-b", "folio-e2e")
    }

    /// The tty is back in the shell's modes, and every screen mode is off:
    /// the alternate screen, keypad mode, mouse tracking and (after a plain
    /// shell took over, not an interactive one that turns it on itself)
    /// bracketed paste.
    func expectTerminalRestored(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let stty = try String(contentsOf: folder.appendingPathComponent("stty"), encoding: .utf8)
        let flags = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        #expect(
            flags.contains("icanon") && flags.contains("echo") && flags.contains("isig"),
            "tty modes not restored: \(stty)", sourceLocation: sourceLocation)
        let on = try await modesOn()
        #expect(on.isEmpty, "still on after folio: \(on.sorted())", sourceLocation: sourceLocation)
        guard !jobControl else { return }
        // The tty echoes what is pasted now; the paste marks would show as ^[[200~.
        try await paste("pasted-after-folio")
        let screen = try await waitFor("the paste echoed") { $0.contains("pasted-after-folio") }
        #expect(!screen.contains("[200~"), "bracketed paste is still on", sourceLocation: sourceLocation)
    }

    /// The pid of `folio` in the pane.
    func folioPID() async throws -> Int32 {
        let shell = try await tmux("display-message", "-p", "#{pane_pid}").trimmingCharacters(in: .whitespacesAndNewlines)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let out = try await Shell.run("/usr/bin/pgrep", ["-P", shell, "-x", "folio"], allowFailure: true)
            if let pid = Int32(out.split(separator: "\n").first ?? "") { return pid }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw CancellationError()
    }

    func close() async {
        _ = try? await tmux("kill-server")
        try? FileManager.default.removeItem(at: folder)
    }
}

extension Trait where Self == ConditionTrait {
    /// A suite that drives the real binary in tmux.
    static var needsTmux: Self { .enabled(if: TmuxSession.canRun, "tmux is not installed (CI installs it)") }
}
