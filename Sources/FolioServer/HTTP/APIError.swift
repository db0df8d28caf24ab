import GRDB
import HTTPTypes
import Hummingbird

/// A failure the API reports to its caller as `{"error": message}` (plus an
/// optional `"detail"` naming the item or field), with the family's status.
///
/// Routes throw it and never build an error answer themselves: as a
/// Hummingbird `HTTPResponseError` it makes its own response, which the
/// router sends. `ErrorMiddleware` turns every other failure into one.
struct APIError: HTTPResponseError, Equatable {
    let status: HTTPResponse.Status
    let message: String
    var detail: String?
    /// Fields the answer carries besides its content type, such as `Allow` on a 405.
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, detail: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.detail = detail
        self.headers = headers
    }

    var json: JSON {
        var pairs: [(String, JSON)] = [("error", .string(message))]
        if let detail { pairs.append(("detail", .string(detail))) }
        return .object(pairs)
    }

    /// The answer: the family's error body with this status.
    var response: Response {
        var response = Response.json(json, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }

    static func invalidParameter(_ name: String, _ why: String) -> APIError {
        APIError(.badRequest, "Invalid parameter: \(name)", detail: why)
    }
    static func invalidItem(_ detail: String) -> APIError { APIError(.badRequest, "Invalid item", detail: detail) }
    static let invalidJSON = APIError(.badRequest, "Invalid JSON")
    static let invalidDateRange = APIError(.badRequest, "Invalid date range")
    static let cannotCreateInvoice = APIError(.badRequest, "Cannot create invoice")
    static let unauthorized = APIError(.unauthorized, "Unauthorized")
    static let forbidden = APIError(.forbidden, "Forbidden")
    static let orderNotFound = APIError(.notFound, "Order not found")
    static let invoiceNotFound = APIError(.notFound, "Invoice not found")
    static let customerNotFound = APIError(.notFound, "Customer not found")
    static let notFound = APIError(.notFound, "Not found")
    static let methodNotAllowed = APIError(.methodNotAllowed, "Method not allowed")
    static let contentTooLarge = APIError(.contentTooLarge, "Request body too large")
    static let conflict = APIError(.conflict, "Conflict on save")
    static let gatewayError = APIError(.internalServerError, "Payment gateway error")
    static let emailFailed = APIError(.internalServerError, "Email could not be sent")
    static let unavailable = APIError(.serviceUnavailable, "Temporarily unavailable, retry later")
    static let unexpected = APIError(.internalServerError, "Internal server error")

    /// Maps a storage failure to the family's status: contention is 503 (retry
    /// later), a broken constraint a 409 (someone else saved first).
    static func from(database error: DatabaseError) -> APIError {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .unavailable
        case .SQLITE_CONSTRAINT: return .conflict
        default: return .unexpected
        }
    }
}
