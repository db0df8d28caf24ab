import Foundation
import Testing

@testable import FolioCore

/// The journal: durable, private, shared by processes, tolerant of a torn line.
@Suite struct WriteJournalTests {
    func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("folio-journal-\(UUID().uuidString)").path
    }

    func intent(_ order: String = "100000123") -> JournalEntry.Intent {
        .init(
            kind: .invoiceCreate, profile: "shop", orderNumber: order, quantities: ["10": "1"],
            summary: ["order \(order)"], body: #"{"order_increment_id":"\#(order)"}"#)
    }

    @Test func theFileIsPrivateAndLivesInTheStateFolder() throws {
        let base = folder()
        defer { try? FileManager.default.removeItem(atPath: base) }
        #expect(WriteJournal.defaultDirectory(["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/folio")
        #expect(WriteJournal.defaultDirectory(["HOME": "/h"]) == "/h/.local/state/folio")
        #expect(WriteJournal.defaultDirectory(["XDG_STATE_HOME": "relative", "HOME": "/h"]) == "/h/.local/state/folio")
        let journal = WriteJournal(profile: "shop", directory: base + "/folio")
        #expect(journal.path == base + "/folio/shop.journal")
        #expect(
            WriteJournal(profile: "../etc/x", directory: base).path == base + "/_..%2Fetc%2Fx.journal",
            "a profile name cannot leave the folder")
        try journal.begin(intent(), reference: .make())
        let file = try FileManager.default.attributesOfItem(atPath: journal.path)
        let dir = try FileManager.default.attributesOfItem(atPath: base + "/folio")
        #expect((file[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((dir[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        // A file someone made readable is tightened on the next write.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: journal.path)
        try journal.begin(intent(), reference: .make())
        #expect((try FileManager.default.attributesOfItem(atPath: journal.path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func outcomesFoldIntoEntriesAndOnlyUnknownsStayOpen() throws {
        let base = folder()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let journal = WriteJournal(profile: "shop", directory: base)
        let (a, b, c, d) = (OperationReference.make(), OperationReference.make(), OperationReference.make(), OperationReference.make())
        for r in [a, b, c, d] { try journal.begin(intent(), reference: r) }
        try journal.record(a, .done, result: "invoice 100000201", invoice: .init(id: 501, number: "100000201"))
        try journal.record(b, .refused, result: "refused by the store: Invalid item")
        try journal.record(c, .unknown, result: "timed out")
        // d: nothing after the intent (the program was killed while sending).
        let entries = try journal.entries()
        #expect(entries.map(\.reference) == [a, b, c, d])
        #expect(entries.map(\.status) == [.done, .refused, .open, .open])
        #expect(entries[0].invoice == .init(id: 501, number: "100000201"))
        #expect(try journal.openEntries().map(\.reference) == [c, d])
        #expect(entries[3].explanation == "no answer was recorded: Folio stopped while sending")
        try journal.settle(c, note: "order shows nothing")
        #expect(try journal.openEntries().map(\.reference) == [d])
        #expect(throws: FolioError.self) { try journal.settle(c, note: "again") }
        #expect(throws: FolioError.self) { try journal.settle(.make(), note: "unknown ref") }
    }

    /// A fuzz run found it: `.514` was written, read back a hair below, and
    /// printed (`journal list --json`) as `.513` — Foundation's ISO 8601 style cuts the fraction.
    @Test func aTimeReadsBackToTheMillisecondItWasWrittenWith() throws {
        let base = folder()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let journal = WriteJournal(profile: "shop", directory: base)
        let times = [651_744_925.514, 2_525_228_985.111, 1_764_386_716.0, 1_764_386_716.9996]
        for (i, time) in times.enumerated() {
            try journal.begin(intent("10000012\(i)"), reference: .make(), at: Date(timeIntervalSince1970: time))
        }
        let written = try String(contentsOfFile: journal.path, encoding: .utf8)
        let texts = ["1990-08-27T08:15:25.514Z", "2050-01-08T04:29:45.111Z", "2025-11-29T03:25:16.000Z", "2025-11-29T03:25:17.000Z"]
        for text in texts { #expect(written.contains(text), "\(text) in the file") }
        #expect(try journal.entries().map { WriteJournal.timeText($0.startedAt) } == texts)
    }

    @Test func aTornLastLineIsSkippedAndTheRestStillReads() throws {
        let base = folder()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let journal = WriteJournal(profile: "shop", directory: base)
        let a = OperationReference.make()
        try journal.begin(intent(), reference: a)
        let handle = try #require(FileHandle(forWritingAtPath: journal.path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"at":"2026-11-28T10:00:00Z","event":"done","ref":"#.utf8))  // a crash mid-line
        handle.closeFile()
        #expect(try journal.entries().map(\.reference) == [a])
        #expect(try journal.openEntries().count == 1, "the torn outcome does not count: still unknown")
        // The next record starts on a line of its own: the torn bytes swallow nothing.
        try journal.record(a, .done, result: "found")
        let text = try String(contentsOfFile: journal.path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        #expect(try journal.entries().first?.status == .done, "the outcome after a torn line is not lost")
    }

    @Test func manyWritersAtOnceLoseNoRecord() async throws {
        let base = folder()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let references = (0..<200).map { _ in OperationReference.make() }
        await withTaskGroup(of: Void.self) { group in
            for (index, reference) in references.enumerated() {
                group.addTask {
                    // A journal object each, as separate processes would have.
                    let journal = WriteJournal(profile: "shop", directory: base)
                    try? journal.begin(self.intent("1000\(index)"), reference: reference)
                    try? journal.record(reference, .done, result: "invoice \(index)")
                }
            }
        }
        let entries = try WriteJournal(profile: "shop", directory: base).entries()
        #expect(Set(entries.map(\.reference)) == Set(references))
        #expect(entries.allSatisfy { $0.status == .done })
    }

    @Test func compactionDropsOnlyOldClosedEntries() throws {
        let base = folder()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let journal = WriteJournal(profile: "shop", directory: base)
        let old = Date(timeIntervalSinceNow: -200 * 86_400)
        let (closed, open, recent) = (OperationReference.make(), OperationReference.make(), OperationReference.make())
        try journal.begin(intent(), reference: closed, at: old)
        try journal.record(closed, .done, result: "invoice 1", at: old)
        try journal.begin(intent(), reference: open, at: old)
        try journal.begin(intent(), reference: recent)
        try journal.record(recent, .refused, result: "no")
        // A record this version cannot read (another version's kind of write) is kept, not compacted away.
        let foreign =
            #"{"at":"2026-01-01T00:00:00.000Z","event":"intent","intent":{"kind":"creditmemo.create"},"ref":"AAAA-BBBB-CCCC-DDDD"}"#
        let handle = try #require(FileHandle(forWritingAtPath: journal.path))
        handle.seekToEndOfFile()
        handle.write(Data((foreign + "\n").utf8))
        handle.closeFile()
        try journal.compact()
        #expect(try journal.entries().map(\.reference) == [open, recent], "an old unknown is never dropped")
        #expect(try String(contentsOfFile: journal.path, encoding: .utf8).contains(foreign))
        #expect((try FileManager.default.attributesOfItem(atPath: journal.path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func unwritableFolderRefusesTheWriteBeforeAnythingIsSent() throws {
        let base = folder()
        defer { try? FileManager.default.removeItem(atPath: base) }
        // A file where the folder should be.
        #expect(FileManager.default.createFile(atPath: base, contents: Data()))
        let journal = WriteJournal(profile: "shop", directory: base + "/folio")
        #expect(throws: FolioError.self) { try journal.begin(intent(), reference: .make()) }
        do { try journal.begin(intent(), reference: .make()) } catch {
            #expect(error.message.contains("nothing was sent"))
        }
    }
}
