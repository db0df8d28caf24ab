/// Why `folio serve` refuses a secret or where it came from.
public struct ServerSecretsError: Error, CustomStringConvertible, Equatable {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
