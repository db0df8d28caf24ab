/// The application: state, update and render for every screen.
import FolioCore
import FolioTerminal

public enum FolioTUI {}
