import Foundation
import NIOCore
import NIOPosix

/// Why a socket could not be bound or connected, in words: the system's message for the errno NIO reports (the
/// last one, for a connection tried at several addresses), with what to do for the common ones; not NIO's
/// description of the call that failed.
enum SocketFailure {
    static func reason(_ error: any Error) -> String {
        if let error = error as? IOError {
            let message = String(cString: strerror(error.errnoCode)).lowercased()
            switch error.errnoCode {
            case EADDRINUSE: return message + ": another process listens there; choose another port, or 0 for any free one"
            case EADDRNOTAVAIL: return message + ": it is not an address of this machine"
            case ECONNREFUSED: return message + ": nothing listens there; is the coordinator running?"
            default: return message
            }
        }
        if let error = error as? NIOConnectionError, let last = error.connectionErrors.last {
            return reason(last.error)
        }
        if let error = error as? ChannelError, case .connectTimeout = error { return "timed out" }
        return "\(error)"
    }
}
