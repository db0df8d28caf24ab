import Configuration
import Foundation
import Yams

/// The config file, opened once and judged on what was opened.
///
/// The file can run `token_command`, so it is treated like ssh treats its own
/// files: it must be a regular file owned by this user (or root) that nobody
/// else can write, and, when it holds a secret itself (`token`,
/// `client_secret`), that nobody else can read. The checks are made with
/// `fstat` on the descriptor the bytes are then read from — never a check of a
/// path followed by a second open that a swapped file could win — and a
/// symbolic link (stow, chezmoi) is judged by the file it points to.
struct ConfigFile {
    let path: String
    /// The bytes as read, parsed once here to find secrets and again by the snapshot.
    let data: Data
    let holdsSecret: Bool
    /// Only comments or nothing: no settings, which is not an error.
    let isEmpty: Bool

    /// Keys whose value is a secret wherever they appear.
    static let secretKeys: Set<String> = ["token", "client_secret"]
    /// Far more than any config; a bigger file is a mistake, not a config.
    static let largest = 1 << 20

    /// Reads the file at `path`; nil when there is none.
    static func read(_ path: String) throws(FolioError) -> ConfigFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            guard code == ENOENT else { throw .configuration("cannot open \(path): \(String(cString: strerror(code)))") }
            var link = stat()
            if lstat(path, &link) == 0 {
                throw .configuration("\(path) is a symbolic link to a file that does not exist — fix the link or remove it")
            }
            return nil
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .configuration("cannot read \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .configuration("\(path) is not a regular file — Folio reads its config only from a plain file")
        }
        let mode = Int(info.st_mode & 0o7777)
        guard info.st_uid == geteuid() || info.st_uid == 0 else {
            throw .configuration(
                "\(path) belongs to another user (uid \(info.st_uid)) and can run token_command as you — "
                    + "use a config of your own")
        }
        guard mode & 0o022 == 0 else {
            throw .configuration(
                String(
                    format: "%@ can be changed by others (mode %o) and can run token_command as you — run: chmod go-w %@",
                    path, mode, path))
        }
        let data = try readAll(fd, path: path)
        let root = try parse(data, path: path)
        let holdsSecret = try root.map { node throws(FolioError) in try Self.holdsSecret(node, path: path) } ?? false
        if holdsSecret, mode & 0o077 != 0 {
            throw .configuration(
                String(
                    format: "%@ holds a secret and can be read by others (mode %o) — run: chmod 600 %@",
                    path, mode, path))
        }
        return ConfigFile(path: path, data: data, holdsSecret: holdsSecret, isEmpty: root == nil)
    }

    private static func readAll(_ fd: Int32, path: String) throws(FolioError) -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .configuration("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { return data }
            data.append(contentsOf: chunk[0..<n])
            guard data.count <= largest else {
                throw .configuration("\(path) is larger than 1 MiB — that is not a Folio config")
            }
        }
    }

    /// The YAML's root node. A syntax error names the file, line and column and
    /// what is wrong — never the text of the line, which may hold a secret.
    static func parse(_ data: Data, path: String) throws(FolioError) -> Node? {
        guard let text = String(data: data, encoding: .utf8) else {
            throw .configuration("\(path) is not UTF-8 text — save it as UTF-8")
        }
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .configuration(describe(error, path: path, text: text))
        } catch {
            throw .configuration("\(path) is not valid YAML — fix it, or move the file away")
        }
    }

    static func describe(_ error: YamlError, path: String, text: String) -> String {
        let place: (line: Int, column: Int)?
        let problem: String
        switch error {
        case .scanner(_, let what, let mark, _), .parser(_, let what, let mark, _), .composer(_, let what, let mark, _):
            place = (mark.line, mark.column)
            problem = what
        case .reader(let what, let offset, _, _):
            place = offset.map { position(of: $0, in: text) }
            problem = what
        case .duplicatedKeysInMapping(_, let context):
            place = (context.mark.line, context.mark.column)
            problem = "a key appears twice in one mapping"
        default:
            place = nil
            problem = "it cannot be read as YAML"
        }
        let at = place.map { "\(path):\($0.line):\($0.column)" } ?? path
        return "\(at): not valid YAML: \(problem) — fix it, or move the file away"
    }

    /// 1-based line and column (in Unicode scalars, as libyaml counts) of a UTF-8 byte offset.
    static func position(of offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var bytes = 0
        for scalar in text.unicodeScalars {
            if bytes >= offset { break }
            bytes += String(scalar).utf8.count
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    /// Whether any mapping, at any depth and in any style, has a secret key
    /// with a value. Keys are read as swift-configuration reads them: a dotted
    /// key (`oauth.client_secret: x`) is a path whose last part is the name.
    /// A key that is not plain text is refused: nothing Folio reads needs one,
    /// and Yams would turn `{=: token}` into the key `token`.
    static func holdsSecret(_ node: Node, path: String) throws(FolioError) -> Bool {
        var visited = 0
        func walk(_ node: Node) throws(FolioError) -> Bool {
            visited += 1
            // Aliases expand: a few nested anchors can stand for billions of nodes.
            guard visited <= maximumNodes else {
                throw .configuration("\(path) expands to more than \(maximumNodes) values (nested aliases?) — write it out plainly")
            }
            switch node {
            case .scalar, .alias: return false
            case .sequence(let sequence):
                for item in sequence where try walk(item) { return true }
                return false
            case .mapping(let mapping):
                for (key, value) in mapping {
                    guard let name = key.scalar?.string else {
                        throw .configuration("\(path) has a key that is not plain text (line \(key.mark?.line ?? 0)) — write keys as words")
                    }
                    let last = name.split(separator: ".").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                    if secretKeys.contains(last), !isEmpty(value) { return true }
                    if try walk(value) { return true }
                }
                return false
            }
        }
        return try walk(node)
    }

    /// Far more values than any config has; beyond it, aliases are expanding.
    static let maximumNodes = 100_000

    private static func isEmpty(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.string.isEmpty || (scalar.style == .plain && ["~", "null", "Null", "NULL"].contains(scalar.string))
    }

    /// The file as a configuration provider (nil when it is empty); values
    /// under a secret key are marked secret.
    func provider() throws(FolioError) -> ConfigFileProvider? {
        guard !isEmpty else { return nil }
        let options = YAMLSnapshot.ParsingOptions(
            secretsSpecifier: .dynamic { key, _ in
                Self.secretKeys.contains(String(key.split(separator: ".").last ?? ""))
            })
        do {
            let bytes = [UInt8](data)
            let snapshot = try YAMLSnapshot(data: bytes.span.bytes, providerName: path, parsingOptions: options)
            return ConfigFileProvider(file: snapshot)
        } catch {
            // Yams accepted the text above, so this is a shape Folio does not read (a list at the top, say).
            // The library's own error is not shown: some carry the file's text.
            throw .configuration("\(path) is not a mapping of settings — see the README for its shape")
        }
    }
}

/// A config file read once, as swift-configuration's provider: it never reads
/// the path again.
struct ConfigFileProvider: ConfigProvider {
    let file: YAMLSnapshot

    var providerName: String { file.providerName }

    func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        try file.value(forKey: key, type: type)
    }

    func fetchValue(forKey key: AbsoluteConfigKey, type: ConfigType) async throws -> LookupResult {
        try value(forKey: key, type: type)
    }

    func watchValue<Return: ~Copyable>(
        forKey key: AbsoluteConfigKey, type: ConfigType,
        updatesHandler:
            nonisolated(nonsending) (_ updates: ConfigUpdatesAsyncSequence<Result<LookupResult, any Error>, Never>) async throws -> Return
    ) async throws -> Return {
        try await watchValueFromValue(forKey: key, type: type, updatesHandler: updatesHandler)
    }

    func snapshot() -> any ConfigSnapshot { file }

    func watchSnapshot<Return: ~Copyable>(
        updatesHandler: nonisolated(nonsending) (_ updates: ConfigUpdatesAsyncSequence<any ConfigSnapshot, Never>) async throws -> Return
    ) async throws -> Return {
        try await watchSnapshotFromSnapshot(updatesHandler: updatesHandler)
    }
}
