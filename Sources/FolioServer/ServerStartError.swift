/// Why the reference server did not start.
public struct ServerStartError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
