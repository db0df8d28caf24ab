@_spi(Fuzzing) import FolioCore
import Foundation

/// Error answers: typed by status as the API documents, a write's answer
/// judged done, refused or unknown by its status alone, and no token the
/// client has held ever in the text a person or the journal gets — in any
/// of the forms it travels in, however the store echoes it.
enum RefusalTargets {
    static func refusal(_ b: inout FuzzBytes, raw: Bool) throws(PropertyViolation) {
        let answer = raw ? b.rest() : nil
        let status = b.pick([
            400, 200, 201, 204, 299, 301, 303, 307, 308, 400, 401, 403, 404, 405, 409, 422, 429, 500, 501,
            502, 503, 504, 599, 100, 0, -1, 700, 422,
        ])
        let secrets = (0..<(1 + b.below(2))).map { _ in token(&b) }
        let body = answer ?? errorBody(secrets, &b).bytes
        let documented: Set<String> = b.bool() ? ["Payment gateway error"] : ["Email could not be sent"]

        let error = StoreAnswers.refusal(status: status, body: Data(body), what: "invoice 7", secrets: secrets)
        let expected: String =
            switch status {
            case 400, 422: "refused"
            case 401: "unauthorized"
            case 403: "forbidden"
            case 404: "notFound"
            case 409: "conflict"
            case 503: "unavailable"
            default: "server or gateway"
            }
        let kind: String =
            switch error {
            case .refused: "refused"
            case .unauthorized: "unauthorized"
            case .forbidden: "forbidden"
            case .notFound: "notFound"
            case .conflict: "conflict"
            case .unavailable: "unavailable"
            case .server(let s, _) where s == status: "server or gateway"
            case .gateway where status == 500: "server or gateway"
            default: "\(error)"
            }
        try require(kind == expected, .refusal, "status \(status) made \(kind)")
        try noSecret(in: [error.message], secrets, body)

        let (judged, storesOwn, elsewhere) = StoreAnswers.judgement(
            status: status, body: Data(body), location: "https://x.test/a",
            documentedRefusals: documented, secrets: secrets)
        let message = StoreAnswers.errorText(Data(body), status: status).message
        switch judged {
        case .accepted:
            try require((200..<300).contains(status), .refusal, "status \(status) taken as done")
        case .refused(let refusal):
            let refusable = (300..<500).contains(status) || status == 503 || (status == 500 && documented.contains(message))
            try require(refusable, .refusal, "status \(status) (\(message)) taken as refused")
            try noSecret(in: [refusal.message], secrets, body)
        case .unknown:
            try require(
                !(200..<500).contains(status) && status != 503 && !(status == 500 && documented.contains(message)),
                .refusal, "status \(status) left unknown")
        }
        try require(
            !storesOwn || [400, 401, 403, 404, 409, 422, 500, 503].contains(status), .refusal,
            "status \(status) called the store's own refusal")
        try require(elsewhere == (status == 307 || status == 308), .refusal, "status \(status): resend elsewhere is \(elsewhere)")
    }

    static func noSecret(in texts: [String], _ secrets: [String], _ body: [UInt8]) throws(PropertyViolation) {
        for text in texts {
            for secret in secrets {
                try require(
                    !Oracle.bytes(of: text, contain: secret), .refusal,
                    "a secret shows in \"\(text)\", from the answer \(String(decoding: body.prefix(400), as: UTF8.self))")
            }
        }
    }

    /// A token as stores issue them: letters and digits, sometimes the
    /// characters that change under URL and JSON encoding.
    static func token(_ b: inout FuzzBytes) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/=")
        let length = 8 + b.below(24)
        var token = String((0..<length).map { _ in alphabet[b.below(b.below(8) == 0 ? alphabet.count : 62)] })
        // A digit somewhere, so that no token is a piece of the placeholder `[secret]` itself.
        token.append(Character(String(b.below(10))))
        return token
    }

    /// An error answer in one of the conventions stores use, echoing the
    /// secrets here and there: raw, URL-encoded, JSON-escaped, cut, or
    /// next to characters that join with them.
    static func errorBody(_ secrets: [String], _ b: inout FuzzBytes) -> FuzzJSON {
        func echo() -> String {
            let secret = b.pick(secrets)
            let form: String =
                switch b.below(6) {
                case 0: secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret
                case 1: "Bearer " + secret
                case 2: String(secret.dropLast())
                default: secret
                }
            return b.text(limit: 4) + form + b.pick(["", "\u{301}", "\u{200D}", "\u{FE0F}", "\"", "\n", " ", "\u{20DD}"])
                + b.text(limit: 4)
        }
        func text() -> FuzzJSON { .string(b.below(3) == 0 ? b.text() : echo()) }
        switch b.below(7) {
        case 0: return ["error": text(), "detail": text()]
        case 1: return ["message": text()]
        case 2: return ["title": text(), "status": 400, "detail": text()]
        case 3: return ["message": text(), "errors": ["comment": [text()], "qty": text()]]
        case 4: return .number(echo())  // plain text, not JSON: written as it is
        case 5: return ["error": ["message": text()], "detail": text()]
        default: return (["error": text(), "message": text(), "title": text(), "detail": text()] as FuzzJSON).mutated(&b)
        }
    }
}
