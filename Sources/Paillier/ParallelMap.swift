import Foundation

/// Maps `transform` over `items` in contiguous chunks on all cores, returning results in input order.
package func parallelMap<Input: Sendable, Output: Sendable>(
    _ items: [Input], chunksPerCore: Int = 4, _ transform: @escaping @Sendable (Input) -> Output
) async -> [Output] {
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    guard items.count > 1, cores > 1 else { return items.map(transform) }
    let chunkSize = max(1, (items.count + cores * chunksPerCore - 1) / (cores * chunksPerCore))
    return await withTaskGroup(of: (Int, [Output]).self) { group in
        for start in stride(from: 0, to: items.count, by: chunkSize) {
            let chunk = Array(items[start..<min(start + chunkSize, items.count)])
            group.addTask { (start, chunk.map(transform)) }
        }
        // Each piece goes to its own slot rather than being sorted afterwards: the same work whatever order the
        // chunks finish in (sorting took other branches for other orders, which the fuzzers saw as new coverage).
        var pieces = [[Output]](repeating: [], count: (items.count + chunkSize - 1) / chunkSize)
        for await (start, piece) in group { pieces[start / chunkSize] = piece }
        return pieces.flatMap { $0 }
    }
}
