import SummaFormats

/// Reads every input file, naming the one at fault in errors.
func readFiles(_ paths: [String]) throws(FormatError) -> [(path: String, file: SummaFile)] {
    try paths.map { (path) throws(FormatError) in (path, try SummaFile.read(path: path)) }
}
