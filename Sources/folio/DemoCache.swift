import FolioServer
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The demo's sample database in the cache folder, safe to share between
/// every `folio demo` started on the machine.
///
/// A lock file (`flock`) orders them: a demo holds it shared while it runs,
/// and only a demo holding it alone makes the data (the first start) or
/// throws it away (`--reset`). The data is made in a temporary file and
/// renamed into place, then marked ready, so a demo killed half-way leaves
/// nothing that looks finished, and the next start makes it again.
struct DemoCache {
    let folder: String
    let orders: Int
    var database: String { folder + "/demo-\(orders).sqlite" }
    var ready: String { database + ".ready" }
    var lockPath: String { database + ".lock" }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// A held lock on the cache; released when the process ends (or `release`).
    final class Hold: @unchecked Sendable {
        private var descriptor: Int32
        init(_ descriptor: Int32) { self.descriptor = descriptor }
        func release() {
            guard descriptor >= 0 else { return }
            close(descriptor)
            descriptor = -1
        }
        deinit { release() }
    }

    /// Makes the data if it is missing (or `reset` asks), and returns the
    /// shared lock that keeps it in place while the demo runs. `say` tells
    /// the person at the terminal what is taking time.
    func prepare(reset: Bool, say: (String) -> Void, seeded: (Int) -> Void) throws -> Hold {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        let hold = Hold(fd)
        if reset {
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                throw Failure(description: "another folio demo is using \(database); quit it before --reset")
            }
        } else {
            lock(fd, LOCK_SH, say: say)
            if isReady { return hold }
            // Not made yet: take the lock alone, then look again (another demo may have made it meanwhile).
            lock(fd, LOCK_EX, say: say)
        }
        if reset || !isReady {
            say("folio demo: generating \(orders) sample orders (first start only)…")
            try seed()
            seeded(orders)
        }
        flock(fd, LOCK_SH)
        return hold
    }

    var isReady: Bool { FileManager.default.fileExists(atPath: ready) && FileManager.default.fileExists(atPath: database) }

    /// Waits for the lock, saying why when it is not free at once.
    private func lock(_ fd: Int32, _ kind: Int32, say: (String) -> Void) {
        if flock(fd, kind | LOCK_NB) == 0 { return }
        say("folio demo: waiting for another folio demo to finish with \(database)…")
        while flock(fd, kind) != 0, errno == EINTR {}
    }

    /// Makes the data in a temporary file and moves it into place; the lock is held alone.
    private func seed() throws {
        let files = FileManager.default
        let temporary = database + ".seeding"
        for path in [ready, temporary, temporary + "-wal", temporary + "-shm"] { try? files.removeItem(atPath: path) }
        do {
            try ReferenceServer.makeSeededDatabase(at: temporary, orders: orders, randomSeed: 1)
        } catch {
            throw Failure(description: "cannot make the sample data in \(temporary): \(error)")
        }
        // No demo has the old data open (the lock is ours alone): its journal files go with it.
        for suffix in ["-wal", "-shm"] { try? files.removeItem(atPath: database + suffix) }
        guard rename(temporary, database) == 0 else {
            throw Failure(description: "cannot move the sample data to \(database): \(String(cString: strerror(errno)))")
        }
        for suffix in ["-wal", "-shm"] { try? files.removeItem(atPath: temporary + suffix) }
        guard files.createFile(atPath: ready, contents: Data()) else {
            throw Failure(description: "cannot mark \(database) ready")
        }
    }
}
