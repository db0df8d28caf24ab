import Hummingbird

/// The request context of every route: the reference server needs nothing
/// beyond Hummingbird's basic one.
typealias Context = BasicRequestContext
