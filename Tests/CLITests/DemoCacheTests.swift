import FolioServer
import Foundation
import GRDB
import Testing

/// `folio demo`'s sample data in the cache folder, shared by demos started
/// together and safe from one killed half-way. Without a terminal each demo
/// makes (or finds) the data, starts its server, then stops at the
/// terminal interface: enough to see what the cache went through.
@Suite(.serialized) struct DemoCacheTests {
    static func cache() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("folio-demo-cache-\(UUID().uuidString.prefix(8))")
    }

    static func demo(_ cache: URL, orders: Int) async throws -> Shell.Run {
        try await Shell.capture(
            CLITests.binary.path, ["demo", "--orders", "\(orders)"],
            environment: [
                "XDG_CACHE_HOME": cache.path, "HOME": cache.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            ])
    }

    static func orders(in database: String) throws -> Int {
        let queue = try DatabaseQueue(path: database)
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders") ?? -1 }
    }

    @Test func twoDemosStartedTogetherShareOneCompleteDatabase() async throws {
        let cache = Self.cache()
        defer { try? FileManager.default.removeItem(at: cache) }
        async let first = Self.demo(cache, orders: 400)
        async let second = Self.demo(cache, orders: 400)
        let runs = try await [first, second]
        for run in runs {
            // Each reached the terminal interface (and stopped there, having none).
            #expect(run.status == 2 && run.stderr.contains("needs a terminal"), "\(run.status): \(run.stderr)")
            #expect(!run.stderr.contains("no such table") && !run.stderr.contains("did not start"), "\(run.stderr)")
        }
        #expect(runs.filter { $0.stderr.contains("generating 400 sample orders") }.count == 1, "the data was made once")
        let folder = cache.path + "/folio"
        #expect(FileManager.default.fileExists(atPath: folder + "/demo-400.sqlite.ready"))
        #expect(try Self.orders(in: folder + "/demo-400.sqlite") == 400)
    }

    @Test func aDemoKilledWhileMakingTheDataLeavesNothingThatLooksFinished() async throws {
        let cache = Self.cache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let folder = cache.path + "/folio"
        let orders = 3_000
        // Start one, wait (with a deadline) until it is writing the data, and kill it there.
        let script = """
            '\(CLITests.binary.path)' demo --orders \(orders) 2>/dev/null & pid=$!
            i=0
            while [ ! -e '\(folder)/demo-\(orders).sqlite.seeding' ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done
            sleep 0.2
            kill -9 $pid
            wait $pid
            ls '\(folder)'
            """
        let killed = try await Shell.capture(
            "/bin/sh", ["-c", script],
            environment: [
                "XDG_CACHE_HOME": cache.path, "HOME": cache.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            ])
        let left = killed.stdout.split(separator: "\n").map(String.init)
        #expect(left.contains("demo-\(orders).sqlite.seeding"), "killed while seeding: \(left)")
        #expect(!left.contains("demo-\(orders).sqlite.ready") && !left.contains("demo-\(orders).sqlite"), "\(left)")

        // The next start makes the data again, whole.
        let run = try await Self.demo(cache, orders: orders)
        #expect(run.stderr.contains("generating \(orders) sample orders"), "\(run.stderr)")
        #expect(run.status == 2 && run.stderr.contains("needs a terminal"), "\(run.status): \(run.stderr)")
        #expect(try Self.orders(in: folder + "/demo-\(orders).sqlite") == orders)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(!files.contains { $0.contains(".seeding") }, "\(files)")
    }

    @Test func resetWhileAnotherDemoRunsIsRefused() async throws {
        let cache = Self.cache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let folder = cache.path + "/folio"
        _ = try await Self.demo(cache, orders: 50)
        let before = try Self.orders(in: folder + "/demo-50.sqlite")
        // Hold the lock as a running demo does, then ask for --reset.
        let lock = open(folder + "/demo-50.sqlite.lock", O_RDWR)
        #expect(lock >= 0 && flock(lock, LOCK_SH) == 0)
        defer { close(lock) }
        let run = try await Shell.capture(
            CLITests.binary.path, ["demo", "--orders", "50", "--reset"],
            environment: [
                "XDG_CACHE_HOME": cache.path, "HOME": cache.path, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
            ])
        #expect(run.status == 6 && run.stderr.contains("another folio demo is using"), "\(run.status): \(run.stderr)")
        let after = try Self.orders(in: folder + "/demo-50.sqlite")
        #expect(before > 0 && after == before, "the data in use is untouched")
    }
}
