// folio-tui-bench: how fast a keypress becomes a frame, and how many bytes a
// frame costs on the wire. Run it release-built:
//
//   swift run -c release folio-tui-bench
//
// 1. keypress → frame: update + render + diff of a 200×60 list of 200 rows,
//    the selection walking down and up, timed one keypress at a time.
// 2. bytes to the terminal: the ncurses backend painting into a real pty
//    (200×60, xterm-256color); what one row of movement sends, against a
//    full repaint of the same screen.
import CNcursesw
import FolioCore
import FolioTUI
import FolioTerminal
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

let width = 200
let height = 60
let rows = 200

func listState() -> AppState {
    var state = AppState(width: width, height: height, context: "bench", today: .today(), pageSize: rows)
    guard case .loadPage(let request, _, _)? = state.update(.key(.character("R"))).first else { fatalError("no load") }
    let names = ["Ana Müller", "山田 太郎", "Maximilian-Alexander von Hohenzollern-Sigmaringen", "Zoë Faßbender", "José O'Sullivan"]
    let items = (0..<rows).map { i in
        InvoiceSummary(
            id: Int64(i), incrementId: String(100_000_000 + i), orderIncrementId: String(100_000_500 + i),
            state: [InvoiceState.open, .paid, .canceled][i % 3],
            grandTotal: Money(Decimal(1000 + i) / 100 * 7, ["EUR", "USD", "JPY"][i % 3]),
            emailSent: i % 4 != 0, billingName: names[i % names.count], createdAt: "2026-11-\(10 + i % 18) 10:\(10 + i % 50):00")
    }
    _ = state.update(
        .pageLoaded(
            request: request,
            .success(
                Page(
                    items: items, page: 1, limit: rows, total: 1_000_000,
                    lastPage: 5000, hasNext: true))))
    return state
}

func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }

// MARK: 1. keypress → frame

do {
    var state = listState()
    var previous = state.render()
    var samples: [Double] = []
    let presses = 20_000
    samples.reserveCapacity(presses)
    var changed = 0
    for i in 0..<presses {
        let key: Key = (i / (rows - 1)) % 2 == 0 ? .down : .up
        let start = ContinuousClock.now
        _ = state.update(.key(key))
        let frame = state.render()
        changed += frame.changes(since: previous).count
        previous = frame
        let elapsed = ContinuousClock.now - start
        samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
    }
    let sorted = samples.sorted()
    print("keypress → frame (update + render + diff), \(width)×\(height), \(rows) rows, \(presses) presses")
    print(
        String(
            format: "  p50 %.3f ms   p99 %.3f ms   max %.3f ms   (%.1f cells changed per press)",
            percentile(sorted, 0.5) / 1000, percentile(sorted, 0.99) / 1000, sorted.last! / 1000,
            Double(changed) / Double(presses)))
}

// MARK: 2. bytes through a pty

/// Counts what the terminal side of a pty receives.
final class Wire: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    private var last = ContinuousClock.now
    let master: Int32

    init(master: Int32) {
        self.master = master
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                lock.withLock {
                    total += n
                    last = .now
                }
            }
        }.start()
    }

    /// Bytes received once the line has been quiet for 100 ms.
    func settled() -> Int {
        while true {
            usleep(20_000)
            let (count, when) = lock.withLock { (total, last) }
            if ContinuousClock.now - when > .milliseconds(100) { return count }
        }
    }
}

do {
    var master: Int32 = 0
    var slave: Int32 = 0
    var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
    guard openpty(&master, &slave, nil, nil, &size) == 0 else { fatalError("openpty failed") }
    let wire = Wire(master: master)
    let terminal = try NcursesTerminal(environment: ["TERM": "xterm-256color", "COLORTERM": ""], input: slave, output: slave)
    var state = listState()
    _ = state.update(.resize(width: terminal.width, height: terminal.height))
    terminal.present(state.render())
    var before = wire.settled()
    // A full repaint of the same screen (what Ctrl-L or a resize costs).
    terminal.invalidate()
    terminal.present(state.render())
    var after = wire.settled()
    let full = after - before
    // Then the selection moves one row at a time.
    let moves = 40
    before = after
    for _ in 0..<moves {
        _ = state.update(.key(.down))
        terminal.present(state.render())
        _ = wire.settled()
    }
    after = wire.settled()
    terminal.close()
    let perMove = Double(after - before) / Double(moves)
    print("bytes to the terminal, \(terminal.width)×\(terminal.height) xterm-256color through a pty (\(terminal.depth))")
    print(
        String(
            format: "  full repaint %d B   one-row move %.0f B (mean of %d)   ratio %.2f %%",
            full, perMove, moves, perMove / Double(full) * 100))
}
