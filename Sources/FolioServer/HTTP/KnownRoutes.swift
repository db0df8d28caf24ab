import HTTPTypes
import Hummingbird
import Synchronization

/// The paths the server serves and the methods each takes, so that another
/// method on a known path answers `405` with `Allow` (RFC 9110): a 404 would
/// tell the caller the path does not exist, which is false.
final class KnownRoutes: Sendable {
    private struct Entry: Sendable {
        let path: RouterPath
        var methods: [HTTPRequest.Method]
    }
    private let entries = Mutex<[Entry]>([])

    /// Takes the router's routes, once every route is registered.
    func record(_ routes: [Router<Context>.RouteDescription]) {
        var table: [Entry] = []
        for route in routes {
            if let i = table.firstIndex(where: { $0.path == route.path }) {
                if !table[i].methods.contains(route.method) { table[i].methods.append(route.method) }
            } else {
                table.append(Entry(path: route.path, methods: [route.method]))
            }
        }
        entries.withLock { $0 = table }
    }

    /// The methods served on `path`, in a stable order; nil when no route has that path.
    func methods(for path: String) -> [HTTPRequest.Method]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        let matched = entries.withLock { table in
            table.filter { entry in
                entry.path.components.count == parts.count && zip(entry.path.components, parts).allSatisfy { $0 ~= $1 }
            }.flatMap(\.methods)
        }
        guard !matched.isEmpty else { return nil }
        return Array(Set(matched)).sorted { $0.rawValue < $1.rawValue }
    }

    /// The family's error for a method the path does not take, with `Allow`.
    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method]) -> APIError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(
            .methodNotAllowed, "Method not allowed", detail: "\(path) takes \(list), not \(method.rawValue)",
            headers: [.allow: list])
    }
}
