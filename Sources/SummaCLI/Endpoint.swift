import ArgumentParser

/// host:port, as given to --listen and --connect.
struct Endpoint: ExpressibleByArgument {
    let host: String
    let port: Int

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
            (0...65535).contains(port), colon > argument.startIndex
        else { return nil }
        host = String(argument[..<colon])
        self.port = port
    }
}
