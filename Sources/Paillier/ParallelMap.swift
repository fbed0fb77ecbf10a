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
        var pieces: [(Int, [Output])] = []
        for await piece in group { pieces.append(piece) }
        return pieces.sorted { $0.0 < $1.0 }.flatMap(\.1)
    }
}
