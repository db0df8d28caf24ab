import FolioTerminal

/// The three bands of every screen (ratatui's `Layout::areas`): the header
/// line, the body, and the status line. Screens and dialogs take their areas
/// from here, so "the body" is defined once.
struct ScreenLayout: Sendable, Equatable {
    let header: Rect
    let body: Rect
    let status: Rect

    init(width: Int, height: Int) {
        header = Rect(x: 0, y: 0, width: width, height: min(1, max(0, height)))
        body = Rect(x: 0, y: 1, width: width, height: max(0, height - 2))
        status = Rect(x: 0, y: max(0, height - 1), width: width, height: height >= 2 ? 1 : 0)
    }
}
