import Foundation
import Synchronization

/// Writing to stdout and stderr with write(2), never `FileHandle.write`,
/// which traps (a backtrace and exit 132) on any error.
///
/// SIGPIPE is ignored from the start (see `Folio.main`), so a closed pipe is
/// an `EPIPE` here: the reader took what it wanted (`folio invoices list |
/// head -1`). From then on stdout is dropped, quietly, and the command ends
/// with its own status — 0 for a listing, but still 7 from `journal resolve`
/// when a write stays unknown, which a reader leaving early must not turn
/// into success; loops that fetch more (`export`) stop at `readerGone`. Any
/// other error on stdout — a full disk, a closed descriptor — is one line on
/// stderr and exit 8 at once: the output is incomplete, but whatever the
/// command did on the store is done (exit 6 would wrongly say a write did not
/// happen). Errors on stderr itself are dropped: there is nowhere left to say them.
enum StandardStreams {
    /// The exit status when stdout cannot be written.
    static let outputFailed: Int32 = 8

    private static let closed = Atomic<Bool>(false)

    /// True once the reader of stdout has closed the pipe.
    static var readerGone: Bool { closed.load(ordering: .relaxed) }

    static func out(_ text: String) { put(text, to: STDOUT_FILENO) }

    static func err(_ text: String) { put(text, to: STDERR_FILENO) }

    /// All of `text`, however many calls write(2) needs.
    static func put(_ text: String, to fd: Int32) {
        if fd == STDOUT_FILENO && readerGone { return }
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    // A descriptor someone else made non-blocking (a shared tty): wait for room.
                    var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                } else {
                    failed(fd, error: n < 0 ? errno : EIO)
                    return
                }
            }
        }
    }

    /// Ends the process with `status` (C's exit, which ArgumentParser's commands shadow).
    static func end(_ status: Int32) -> Never { exit(status) }

    /// Drops stdout after an EPIPE; ends the process for any other failed write
    /// to stdout; ignores one to stderr.
    private static func failed(_ fd: Int32, error: Int32) {
        guard fd == STDOUT_FILENO else { return }
        if error == EPIPE { return closed.store(true, ordering: .relaxed) }
        err(
            "folio: cannot write the output: \(String(cString: strerror(error))) — it is incomplete; "
                + "anything done on the store is done (see `folio journal list --all`)\n")
        exit(outputFailed)
    }
}
