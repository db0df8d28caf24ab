import Foundation

/// Every write Folio sends, recorded durably before it is sent and again when
/// its outcome is known, so that a write whose answer was lost — or whose
/// program was killed, or whose ssh session dropped — is never forgotten.
///
/// One file per profile, `$XDG_STATE_HOME/folio/PROFILE.journal` (default
/// `~/.local/state/folio/`), mode 0600 in a 0700 folder: JSON lines, appended
/// and fsynced one record at a time under an exclusive `flock`, so that the
/// terminal interface and the CLI can share it. A torn last line (a crash in
/// the middle of a write) is skipped when reading. No token or secret is ever
/// written: only the reference, what was asked, when, and the outcome.
public final class WriteJournal: Sendable {
    public let path: String
    public let profile: String
    private let lockPath: String

    /// The journal of `profile` in `directory` (default: the XDG state folder).
    public init(
        profile: String, directory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let folder = directory ?? Self.defaultDirectory(environment)
        self.profile = profile
        let safe = profile.unicodeScalars.map { scalar -> String in
            CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII || "._-".unicodeScalars.contains(scalar)
                ? String(scalar) : String(format: "%%%02X", scalar.value)
        }.joined()
        path = folder + "/" + (safe.isEmpty || safe.hasPrefix(".") ? "_" + safe : safe) + ".journal"
        lockPath = path + ".lock"
    }

    /// `$XDG_STATE_HOME/folio`, else `~/.local/state/folio`.
    public static func defaultDirectory(_ environment: [String: String]) -> String {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/folio" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/folio"
    }

    // MARK: Writing

    /// Records that a write is about to be sent. Throws (and nothing may be
    /// sent) when the record cannot be made durable.
    public func begin(_ intent: JournalEntry.Intent, reference: OperationReference, at date: Date = Date()) throws(FolioError) {
        try append(JournalRecord(reference: reference, at: date, event: .intent, intent: intent))
    }

    /// Records what became of a write.
    public func record(
        _ reference: OperationReference, _ event: JournalRecord.Event, result: String,
        invoice: JournalRecord.InvoiceRef? = nil, at date: Date = Date()
    ) throws(FolioError) {
        try append(JournalRecord(reference: reference, at: date, event: event, result: result, invoice: invoice))
    }

    /// A clerk looked at the store and closes an open write with what they saw.
    public func settle(_ reference: OperationReference, note: String) throws(FolioError) {
        guard let entry = try entries().first(where: { $0.reference == reference }) else {
            throw .notFound(what: "write \(reference) in \(path)")
        }
        guard entry.isOpen else { throw .invalidInput("write \(reference) is already \(entry.status.rawValue): \(entry.explanation)") }
        try record(reference, .settled, result: "settled by hand: " + note)
    }

    private func append(_ record: JournalRecord) throws(FolioError) {
        guard let line = Self.line(record) else { throw failure("cannot encode a record") }
        try locked(exclusive: true) { () throws(FolioError) in
            // Never through a symbolic link, never into anything but a regular file.
            let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o600)
            guard fd >= 0 else { throw failure(errno == ELOOP ? "it is a symbolic link" : String(cString: strerror(errno))) }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw failure("it is not a regular file") }
            guard info.st_uid == geteuid() else { throw failure("it belongs to another user") }
            if info.st_mode & 0o077 != 0 { _ = fchmod(fd, 0o600) }
            // A line left torn by a crash or a full disk must not swallow this record.
            var last: UInt8 = 0x0A
            if info.st_size > 0 { _ = pread(fd, &last, 1, off_t(info.st_size - 1)) }
            let bytes = last == 0x0A ? line : [0x0A] + line
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else {
                let reason = String(cString: strerror(errno))
                _ = ftruncate(fd, off_t(info.st_size))  // leave no half record behind
                throw failure("cannot write it: \(reason)")
            }
            guard fsync(fd) == 0 else { throw failure("fsync: \(String(cString: strerror(errno)))") }
        }
    }

    /// One record as a line of the file, newline included.
    static func line(_ record: JournalRecord) -> Data? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.timeText(date))
        }
        guard var line = try? encoder.encode(record) else { return nil }
        line.append(0x0A)
        return line
    }

    // MARK: Reading

    /// Every write, oldest first, with its latest outcome.
    public func entries() throws(FolioError) -> [JournalEntry] {
        let data: Data = try locked(exclusive: false) { () throws(FolioError) in
            let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
            if fd < 0, errno == ENOENT { return Data() }
            guard fd >= 0 else { throw failure(errno == ELOOP ? "it is a symbolic link" : String(cString: strerror(errno))) }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw failure("it is not a regular file") }
            return FileHandle(fileDescriptor: fd, closeOnDealloc: false).readDataToEndOfFile()
        }
        return Self.fold(data)
    }

    /// The journals of the other profiles in the same folder (a store may be
    /// reached through more than one profile).
    public func siblings() -> [WriteJournal] {
        let folder = (path as NSString).deletingLastPathComponent
        let mine = (path as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".journal") && $0 != mine }.sorted().map { name in
            WriteJournal(file: folder + "/" + name, profile: (String(name.dropLast(".journal".count)).removingPercentEncoding ?? name))
        }
    }

    private init(file: String, profile: String) {
        path = file
        self.profile = profile
        lockPath = file + ".lock"
    }

    /// Writes whose outcome is not known: Folio must not claim anything about them.
    public func openEntries() throws(FolioError) -> [JournalEntry] { try entries().filter(\.isOpen) }

    static func fold(_ data: Data) -> [JournalEntry] {
        let decoder = Self.decoder
        var order: [OperationReference] = []
        var byReference: [OperationReference: JournalEntry] = [:]
        for line in data.split(separator: 0x0A) {
            // A line cut short by a crash does not decode and is skipped.
            guard let record = try? decoder.decode(JournalRecord.self, from: line) else { continue }
            if record.event == .intent, let intent = record.intent {
                if byReference[record.reference] == nil { order.append(record.reference) }
                byReference[record.reference] = JournalEntry(reference: record.reference, intent: intent, startedAt: record.at)
            } else if var entry = byReference[record.reference] {
                entry.apply(record)
                byReference[record.reference] = entry
            }
        }
        return order.compactMap { byReference[$0] }
    }

    /// Drops closed entries older than `age`, rewriting the file atomically
    /// (written, fsynced, renamed). Open entries are always kept.
    public func compact(keepingClosedFor age: TimeInterval = 90 * 86_400, now: Date = Date()) throws(FolioError) {
        try locked(exclusive: true) { () throws(FolioError) in
            guard let data = FileManager.default.contents(atPath: path) else { return }
            let stale = Set(Self.fold(data).filter { !$0.isOpen && now.timeIntervalSince($0.updatedAt) > age }.map(\.reference))
            guard !stale.isEmpty else { return }
            let decoder = Self.decoder
            var kept = Data()
            for line in data.split(separator: 0x0A) {
                // Only records positively of a stale write go; a line this version cannot read stays.
                if let record = try? decoder.decode(JournalRecord.self, from: line), stale.contains(record.reference) { continue }
                kept.append(line)
                kept.append(0x0A)
            }
            let temporary = path + ".new"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw failure(String(cString: strerror(errno))) }
            let written = kept.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            let synced = fsync(fd) == 0
            close(fd)
            guard written == kept.count, synced, rename(temporary, path) == 0 else {
                unlink(temporary)
                throw failure("cannot rewrite it")
            }
            syncDirectory()
        }
    }

    /// Times to the millisecond (UTC), so that the order of records within a second is kept.
    public static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `date` as the journal writes it, `2026-11-29T03:25:16.514Z`: UTC, to the
    /// nearest millisecond. Made from whole milliseconds rather than by
    /// `timeFormat`, which cuts the fraction instead of rounding it: `.514`
    /// read back from the file parses a hair below and was printed as `.513`.
    public static func timeText(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (milliseconds / 1000).rounded(.down)
        let whole = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle())
        let fraction = String(Int(milliseconds - seconds * 1000))
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = (try? timeFormat.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a time: \(text)"))
        }
        return decoder
    }

    // MARK: Locking

    /// Runs `body` holding the journal's lock file (created with the folder).
    private func locked<T>(exclusive: Bool, _ body: () throws(FolioError) -> T) throws(FolioError) -> T {
        let folder = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw failure("cannot create \(folder)")
            }
        }
        var folderInfo = stat()
        guard stat(folder, &folderInfo) == 0, folderInfo.st_mode & S_IFMT == S_IFDIR else { throw failure("\(folder) is not a folder") }
        guard folderInfo.st_uid == geteuid(), folderInfo.st_mode & 0o022 == 0 else {
            throw failure("\(folder) can be changed by other users — chmod 700 it")
        }
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw failure(String(cString: strerror(errno))) }
        defer { close(fd) }
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            guard errno == EINTR else { throw failure("cannot lock it") }
        }
        let created = exclusive && !FileManager.default.fileExists(atPath: path)
        let result = try body()
        if created { syncDirectory() }
        return result
    }

    /// A new or renamed file is durable only once its folder is.
    private func syncDirectory() {
        let fd = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    private func failure(_ reason: String) -> FolioError {
        .configuration(
            "cannot use the write journal \(path): \(reason) — nothing was sent; fix the folder's permissions or free some space")
    }
}
