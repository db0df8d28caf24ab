import Hummingbird

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
