import Foundation

/// What one fuzz input exercises: its first byte picks the target (modulo
/// their number) and, at 128 or above, hands a JSON target the rest of the
/// bytes as the answer itself instead of a mutated seed.
public enum FuzzTarget: Int, CaseIterable, Sendable {
    case invoicePage, invoiceLookup, adminInvoice, order, createAnswer, emailAnswer, refusal, money
    case operationReference, journal, visibleText, jsonText, csv

    /// The case's name (`invoicePage`), as `FOLIO_FUZZ_TARGET` takes it.
    public var name: String { "\(self)" }

    /// The targets that read a store's JSON, for which raw bytes are an answer too.
    var readsJSON: Bool { rawValue <= FuzzTarget.refusal.rawValue }
}

/// Runs one input and traps on a broken property, as libFuzzer wants: it
/// saves the input that trapped. The message says which property broke.
/// `only` runs every input on one target (the first byte then only says raw or not).
public func fuzzOne(_ data: UnsafeRawBufferPointer, only: FuzzTarget? = nil) {
    do {
        try fuzzCheck(data, only: only)
    } catch {
        fatalError("fuzz property broken — \(error)")
    }
}

/// Runs one input; throws the first property that does not hold.
public func fuzzCheck(_ data: UnsafeRawBufferPointer, only: FuzzTarget? = nil) throws(PropertyViolation) {
    guard let first = data.first else { return }
    let target = only ?? FuzzTarget(rawValue: Int(first) % FuzzTarget.allCases.count)!
    let raw = first >= 128 && target.readsJSON
    var bytes = FuzzBytes(data.dropFirst())
    switch target {
    case .invoicePage: try AnswerTargets.invoicePage(&bytes, raw: raw)
    case .invoiceLookup: try AnswerTargets.invoiceLookup(&bytes, raw: raw)
    case .adminInvoice: try AnswerTargets.adminInvoice(&bytes, raw: raw)
    case .order: try AnswerTargets.order(&bytes, raw: raw)
    case .createAnswer: try WriteAnswerTargets.createAnswer(&bytes, raw: raw)
    case .emailAnswer: try WriteAnswerTargets.emailAnswer(&bytes, raw: raw)
    case .refusal: try RefusalTargets.refusal(&bytes, raw: raw)
    case .money: try MoneyTargets.money(&bytes)
    case .operationReference: try ReferenceTargets.reference(&bytes)
    case .journal: try ReferenceTargets.journal(&bytes)
    case .visibleText: try OutputTargets.visibleText(&bytes)
    case .jsonText: try OutputTargets.jsonText(&bytes)
    case .csv: try OutputTargets.csv(&bytes)
    }
}

/// `fuzzCheck` on bytes held in an array (tests, corpus replay).
public func fuzzCheck(_ bytes: [UInt8]) throws(PropertyViolation) {
    let broken: PropertyViolation? = bytes.withUnsafeBytes { buffer in
        do throws(PropertyViolation) { try fuzzCheck(buffer) } catch { return error }
        return nil
    }
    if let broken { throw broken }
}
