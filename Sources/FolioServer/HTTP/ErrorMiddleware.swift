import GRDB
import Hummingbird
import Logging
import NIOCore

/// Makes every failure an `APIError`, which answers for itself: storage
/// contention as 503, a broken constraint as 409, anything unexpected as a
/// logged 500, and the router's own misses as 404, or 405 with `Allow` when
/// the path is served with other methods.
struct ErrorMiddleware: RouterMiddleware {
    let logger: Logger
    let routes: KnownRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as DatabaseError {
            let api = APIError.from(database: error)
            if api.status == .internalServerError { logger.error("storage failure: \(error)") }
            throw api
        } catch let error as HTTPError {
            switch error.status {
            case .notFound:
                let path = request.uri.path
                if let allowed = routes.methods(for: path), !allowed.contains(request.method) {
                    throw KnownRoutes.methodNotAllowed(request.method, path: path, allowed: allowed)
                }
                throw APIError.notFound
            case .methodNotAllowed: throw APIError.methodNotAllowed
            case .contentTooLarge: throw APIError.contentTooLarge
            default: throw APIError(error.status, error.body ?? error.status.reasonPhrase)
            }
        } catch is NIOTooManyBytesError {
            // A body past the limit, found while collecting it (a route's own read or the idempotency fingerprint).
            throw APIError.contentTooLarge
        } catch {
            logger.error("unexpected failure on \(request.method) \(request.uri.path): \(error)")
            throw APIError.unexpected
        }
    }
}
