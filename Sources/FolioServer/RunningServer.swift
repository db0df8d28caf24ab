import GRDB
import ServiceLifecycle

/// A server started with `ReferenceServer.start`.
public struct RunningServer: Sendable {
    public let host: String
    public let port: Int
    /// The server's own database, for tests that check what was (not) written.
    public let database: DatabasePool
    let group: ServiceGroup
    let task: Task<Void, Never>

    public var baseURL: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// Stops accepting, finishes requests in flight, and closes the database.
    public func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}
