// The FolioCore test target. Its suites arrive with the module's first real code;
// until then this file keeps the target (and the layout of design.md) in place.
import Testing
@testable import FolioCore
