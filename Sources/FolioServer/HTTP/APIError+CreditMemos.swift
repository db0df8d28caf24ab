/// The credit memo routes' refusals (contract, "Credit memos").
extension APIError {
    static func cannotCreateCreditMemo(_ detail: String) -> APIError {
        APIError(.badRequest, "Cannot create credit memo", detail: detail)
    }
    static func invalidShippingAmount(_ detail: String) -> APIError {
        APIError(.badRequest, "Invalid shipping amount", detail: detail)
    }
    static func invalidAdjustment(_ detail: String) -> APIError { APIError(.badRequest, "Invalid adjustment", detail: detail) }
    static let creditMemoNotFound = APIError(.notFound, "Credit memo not found")
}
