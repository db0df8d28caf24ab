import FolioCore

/// The one write of a dialog (a resend, a note): sent once, and its answer
/// judged the same way in every dialog. A refusal keeps the dialog and what
/// was typed, with the reason; an earlier write of unknown outcome on the
/// same thing asks for Enter again; an unknown outcome closes the dialog
/// (never offered again as it was) and the journal keeps looking.
struct DialogWrite: Sendable, Equatable {
    /// "resend", "note": what the dialog writes, in messages.
    let noun: String
    /// "gone out", "been added": what a write of unknown outcome may have done.
    let mayHave: String
    /// The request in flight, if any.
    var sending: Int?
    var problem: String?
    /// An earlier write of unknown outcome (its reference): Enter again sends anyway.
    var pendingConfirm: String?

    init(noun: String, mayHave: String) {
        self.noun = noun
        self.mayHave = mayHave
    }

    /// Starts the write: its request number, and whether the clerk said to go ahead past an earlier one.
    mutating func start(_ desk: inout Desk) -> (request: Int, evenIfPending: Bool) {
        let request = desk.request()
        sending = request
        problem = nil
        return (request, pendingConfirm != nil)
    }

    /// The answer to `request`, if it is this write's: the value when done;
    /// nil otherwise, with the dialog's state and the desk already told.
    mutating func finish<T>(_ request: Int, _ result: Result<T, FolioError>, _ desk: inout Desk) -> T? {
        guard sending == request else { return nil }
        sending = nil
        let anyway = pendingConfirm
        pendingConfirm = nil
        switch result {
        case .success(let value):
            return value
        case .failure(.pendingWrite(_, let reference)) where anyway == nil:
            pendingConfirm = reference
            problem = "an earlier \(noun) (ref \(reference)) is of unknown outcome — it may have \(mayHave)"
            desk.checkWrites()
        case .failure(.earlierWriteDone(_, _, let reference)) where anyway == nil:
            pendingConfirm = reference
            problem = "the earlier \(noun) (ref \(reference)) did go through after all"
        case .failure(.outcomeUnknown(let what, let reference, _)):
            desk.close()
            desk.message = StatusMessage(
                .warning, "outcome unknown: \(what) may have \(mayHave) (ref \(reference)) — Folio keeps looking; W shows it")
            desk.checkWrites(restart: true)
        case .failure(let error):
            problem = error.message
        }
        return nil
    }

    /// While the write is out: nothing sends again, nothing closes the dialog before the answer.
    static func sendingKeys<Action>(send: Action, cancel: Action) -> Keymap<Action> {
        Keymap([
            Binding([.enter], send, "(sending: nothing; the answer is on its way)"),
            Binding([.escape, .character("q")], cancel, "(sending: the dialog stays until the store answers)"),
        ])
    }

    /// The keys' line at the bottom of the dialog.
    func hint(_ idle: String) -> String {
        sending != nil
            ? "sending…"
            : pendingConfirm != nil
                ? "Enter sends anyway · Esc cancels"
                : problem != nil ? "Enter tries again · Esc cancels" : idle
    }
}
