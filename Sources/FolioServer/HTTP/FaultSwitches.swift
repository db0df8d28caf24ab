import Synchronization

/// The live fault settings, shared by every request.
final class FaultSwitches: Sendable {
    private let state: Mutex<Faults>
    init(_ faults: Faults) { state = Mutex(faults) }
    var current: Faults { state.withLock { $0 } }
    /// True (and one fewer left) when this request is one of the "next N" to fail.
    func takeFailure() -> Bool {
        state.withLock { faults in
            guard faults.failNext > 0 else { return false }
            faults.failNext -= 1
            return true
        }
    }

    func update(_ change: (inout Faults) -> Void) -> Faults {
        state.withLock { faults in
            change(&faults)
            return faults
        }
    }
}
