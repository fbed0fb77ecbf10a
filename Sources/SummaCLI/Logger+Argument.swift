import ArgumentParser
import Logging

/// `--log-level info`: swift-log's levels by name.
extension Logger.Level: @retroactive ExpressibleByArgument {}
