import GRDB
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// What every route handler needs: storage, who may call, the fault switches.
struct ServerEnvironment: Sendable {
    let database: any DatabaseWriter
    let access: AccessControl
    let faults: FaultSwitches
    let invoices: InvoiceStore
    let idempotency: Idempotency
    let logger: Logger
}

typealias Context = BasicRequestContext

extension Response {
    static func json(_ value: JSON, status: HTTPResponse.Status = .ok) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(value.serialized())
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: buffer))
    }
}

/// Turns every failure into the family's `{"error": …}` body with its status:
/// API errors as they are, storage contention as 503, anything unexpected as a
/// logged 500, and the router's own misses as 404, or 405 when the path is
/// served with other methods.
struct ErrorMiddleware: RouterMiddleware {
    let logger: Logger
    let routes: KnownRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return .json(error.json, status: error.status)
        } catch let error as DatabaseError {
            let api = APIError.from(database: error)
            if api.status == .internalServerError { logger.error("storage failure: \(error)") }
            return .json(api.json, status: api.status)
        } catch let error as HTTPError {
            switch error.status {
            case .notFound:
                let path = request.uri.path
                if let allowed = routes.methods(for: path), !allowed.contains(request.method) {
                    return KnownRoutes.methodNotAllowed(request.method, path: path, allowed: allowed)
                }
                return .json(APIError.notFound.json, status: .notFound)
            case .methodNotAllowed: return .json(APIError(.methodNotAllowed, "Method not allowed").json, status: .methodNotAllowed)
            case .contentTooLarge: return .json(APIError(.contentTooLarge, "Request body too large").json, status: .contentTooLarge)
            default: return .json(APIError(error.status, error.body ?? error.status.reasonPhrase).json, status: error.status)
            }
        } catch {
            logger.error("unexpected failure on \(request.method) \(request.uri.path): \(error)")
            return .json(APIError.unexpected.json, status: .internalServerError)
        }
    }
}

/// The request-wide faults: added latency, and "the next N requests fail with 503".
struct FaultMiddleware: RouterMiddleware {
    let faults: FaultSwitches

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let delay = faults.current.latencyMilliseconds
        if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
        if !request.uri.path.hasPrefix("/sandbox"), faults.takeFailure() { throw APIError.unavailable }
        return try await next(request, context)
    }
}
