import Foundation

/// The secrets `folio serve` accepts — fixed tokens and OAuth client secrets —
/// from places that other users of the machine cannot read. Flags also work,
/// but a command line is visible to every user (`ps`, `/proc/*/cmdline`).
public struct ServerSecrets: Sendable, Equatable {
    public var tokens: [String] = []
    public var limitedTokens: [String] = []
    public var clients: [OAuthClientCredential] = []

    public init(tokens: [String] = [], limitedTokens: [String] = [], clients: [OAuthClientCredential] = []) {
        self.tokens = tokens
        self.limitedTokens = limitedTokens
        self.clients = clients
    }

    public static let tokensVariable = "FOLIO_SERVE_TOKENS"
    public static let limitedTokensVariable = "FOLIO_SERVE_LIMITED_TOKENS"
    public static let clientsVariable = "FOLIO_SERVE_CLIENTS"
    /// A token file larger than this is not a token file.
    static let maximumFileSize = 1 << 20

    public var isEmpty: Bool { tokens.isEmpty && limitedTokens.isEmpty && clients.isEmpty }

    public mutating func add(_ other: ServerSecrets) {
        tokens += other.tokens
        limitedTokens += other.limitedTokens
        clients += other.clients
    }

    /// `ID:SECRET`, both parts non-empty.
    public static func client(_ text: String) throws -> OAuthClientCredential {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ServerSecretsError("a client is ID:SECRET")
        }
        return OAuthClientCredential(id: String(parts[0]), secret: String(parts[1]))
    }

    /// The three variables, each a list separated by commas or white space.
    public static func fromEnvironment(_ environment: [String: String]) throws -> ServerSecrets {
        func list(_ name: String) -> [String] {
            (environment[name] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        }
        do {
            return ServerSecrets(
                tokens: list(tokensVariable), limitedTokens: list(limitedTokensVariable),
                clients: try list(clientsVariable).map(client))
        } catch let error as ServerSecretsError {
            throw ServerSecretsError("\(clientsVariable): \(error.message)")
        }
    }

    /// A token file: one secret a line, `token VALUE`, `limited-token VALUE` or
    /// `client ID:SECRET`; blank lines and `#` comments are skipped. Errors
    /// name the line by number, never by its text, which may hold a secret.
    public static func parse(fileText: String) throws -> ServerSecrets {
        var secrets = ServerSecrets()
        for (number, rawLine) in fileText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let words = line.split(whereSeparator: \.isWhitespace)
            guard words.count == 2 else {
                throw ServerSecretsError("line \(number + 1): expected `token VALUE`, `limited-token VALUE` or `client ID:SECRET`")
            }
            let value = String(words[1])
            switch words[0] {
            case "token": secrets.tokens.append(value)
            case "limited-token": secrets.limitedTokens.append(value)
            case "client":
                do { secrets.clients.append(try client(value)) } catch let error as ServerSecretsError {
                    throw ServerSecretsError("line \(number + 1): \(error.message)")
                }
            default:
                throw ServerSecretsError("line \(number + 1): unknown kind; expected token, limited-token or client")
            }
        }
        return secrets
    }

    /// Reads a token file. Like ssh with a private key, refuses one that
    /// belongs to another user or that group or others may read or write;
    /// the check is made on the file actually opened (a symlink is judged by
    /// its target), so it cannot be swapped between check and read.
    public static func read(file path: String) throws -> ServerSecrets {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ServerSecretsError("\(path): \(String(cString: strerror(errno)))") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw ServerSecretsError("\(path): \(String(cString: strerror(errno)))") }
        guard status.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else { throw ServerSecretsError("\(path): not a regular file") }
        guard status.st_uid == geteuid() else { throw ServerSecretsError("\(path): owned by another user") }
        guard status.st_mode & 0o077 == 0 else {
            throw ServerSecretsError("\(path): group or others may read or write it; run chmod 600 \(path)")
        }
        let data = try handle.read(upToCount: maximumFileSize + 1) ?? Data()
        guard data.count <= maximumFileSize else { throw ServerSecretsError("\(path): larger than \(maximumFileSize) bytes") }
        guard let text = String(data: data, encoding: .utf8) else { throw ServerSecretsError("\(path): not UTF-8 text") }
        do { return try parse(fileText: text) } catch let error as ServerSecretsError {
            throw ServerSecretsError("\(path): \(error.message)")
        }
    }
}
