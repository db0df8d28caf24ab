/// The terminal layer: a cell grid that screens draw into, styles, keys,
/// and the ncurses and in-memory backends that show it.
import CNcursesw

public enum FolioTerminal {}
