import BigNum
import Foundation

/// Verifiable dealing, batched: with every dealing step a dealer publishes, beside the sealed shares, the digest of
/// what it sealed for each party and the points 1…d + 1 of one polynomial per degree, F = mask + Σ ρ_c·f_c, with 128-bit
/// coefficients ρ_c drawn from a public coin over those digests (so they are fixed only after the shares are). Each
/// recipient checks that its own shares, combined with the same ρ, give F at its point, and that the zero sharings'
/// F vanishes at 0. A dealer whose shares do not lie on polynomials of the step's degrees passes with probability
/// about 2^−128; the mask sharing (uniform, or 2^κ wider over the integers) keeps F independent of the secrets. A
/// recipient whose check fails complains with the pair's channel key and the dealer's signed envelope, which anyone
/// can then open and check against the published F (MultiParty), so the dealer, or a false complainer, is named.
extension KeyGenerationParty {
    /// Dealing steps have their check published at step + 17 (phases 17…30 are free).
    static let checkOffset = 17

    /// The kind of each value a dealer sends one party at a dealing step: 0 for a sharing of degree t − 1, 1 for a
    /// zero sharing of degree 2t − 2. Nil for a step that deals nothing.
    static func dealingKinds(phase: Phase, dealer: Int, count: Int, threshold: Int, candidates: Int) -> [Int]? {
        switch phase {
        case .sieveDeal:
            guard count == 2 * candidates * (dealer <= threshold ? 3 : 2) else { return nil }
            return Array(repeating: 0, count: count - 2 * candidates) + Array(repeating: 1, count: 2 * candidates)
        case .sieveReduce: return Array(repeating: 0, count: count)
        case .modulusDeal:
            guard count % 3 == 0 else { return nil }
            return (0..<count).map { $0 % 3 == 2 ? 1 : 0 }
        case .keyDeal:
            guard count == 4 else { return nil }
            return [0, 0, 0, 1]
        default: return nil
        }
    }

    /// The kinds (0, 1) present among `kinds`, in order: one mask sharing each, appended after the values.
    static func groups(_ kinds: [Int]) -> [Int] { [0, 1].filter(kinds.contains) }

    /// Deals `blocks` (per value, its shares for parties 1…ℓ) privately, with a mask sharing per degree appended,
    /// and publishes the step's check.
    mutating func deal(_ blocks: [[BigInteger]], kinds: [Int]) -> [KeyGenerationMessage] {
        let integer = phase == .keyDeal
        let sharing = integer ? integers : field
        var blocks = blocks
        let degrees = [threshold - 1, parameters.productDegree]
        for group in Self.groups(kinds) {
            let degree = degrees[group]
            if integer {
                let widest = zip(blocks, kinds).filter { $0.1 == group }.flatMap(\.0).map(\.bitWidth).max() ?? 0
                let bound = BigInteger(1).shiftedLeft(widest + 2 * KeyGenerationParameters.statisticalSecurity + 16)
                blocks.append(sharing.shares(of: group == 1 ? .zero : BigInteger.random(below: bound), degree: degree, coefficientBound: bound))
            } else {
                blocks.append(sharing.shares(of: group == 1 ? .zero : BigInteger.random(below: prime), degree: degree))
            }
        }
        let perParty = (0..<parties).map { j in blocks.map { $0[j] } }
        let digests = (1...parties).filter { $0 != index }.map { PublicCoin.digest(perParty[$0 - 1]) }
        let rho = Self.dealingCoefficients(step: step, dealer: index, digests: digests, count: kinds.count, session: session)
        var check = digests
        for (position, group) in Self.groups(kinds).enumerated() {
            let mask = blocks[kinds.count + position]
            for point in 1...degrees[group] + 1 {
                var sum = mask[point - 1]
                for (c, kind) in kinds.enumerated() where kind == group { sum += rho[c] * blocks[c][point - 1] }
                check.append(integer ? sum : sum.modulo(prime))
            }
        }
        let dealt = send(perParty, privately: true)
        let current = step + Self.checkOffset
        inbox[current, default: [:]][index] = check
        return dealt + [KeyGenerationMessage(step: current, recipient: nil, values: check)]
    }

    static func dealingCoefficients(step: Int, dealer: Int, digests: [BigInteger], count: Int, session: Data) -> [BigInteger] {
        PublicCoin.coefficients("summa/keygen/dealing/v1", [BigInteger(step), BigInteger(dealer)] + digests, session: session, count: count)
    }

    /// Checks the values `dealer` sealed for `recipient` at dealing step `step` (masks included) against the dealer's
    /// published check: the digest, then each degree's combination at the recipient's point (and at 0 for the
    /// zero sharings). Throws `.inconsistentDealing` naming the dealer. The coordinator runs it on a complaint.
    public static func checkDealing(
        _ values: [BigInteger], check: [BigInteger], step: Int, dealer: Int, recipient: Int, parameters: KeyGenerationParameters,
        session: Data
    ) throws(KeyGenerationError) {
        let failure = KeyGenerationError.inconsistentDealing(party: dealer, step: step)
        guard let phase = Phase(step: step), dealer != recipient, (1...parameters.parties).contains(dealer),
            (1...parameters.parties).contains(recipient)
        else { throw failure }
        let integer = phase == .keyDeal
        // The values end with one mask per degree present; try the layouts the step allows.
        guard let kinds = (1...2).lazy.compactMap({ masks -> [Int]? in
            guard values.count > masks,
                let kinds = dealingKinds(
                    phase: phase, dealer: dealer, count: values.count - masks, threshold: parameters.threshold,
                    candidates: parameters.batchSize),
                groups(kinds).count == masks
            else { return nil }
            return kinds
        }).first
        else { throw failure }
        let degrees = [parameters.threshold - 1, parameters.productDegree]
        let present = groups(kinds)
        let others = parameters.parties - 1
        guard check.count == others + present.reduce(0, { $0 + degrees[$1] + 1 }),
            check.prefix(others).allSatisfy({ !$0.isNegative && $0.bitWidth <= 256 })
        else { throw failure }
        let digests = Array(check.prefix(others))
        guard digests[recipient < dealer ? recipient - 1 : recipient - 2] == PublicCoin.digest(values) else { throw failure }
        let rho = dealingCoefficients(step: step, dealer: dealer, digests: digests, count: kinds.count, session: session)
        let sharing: ShamirSharing = integer
            ? .integers(parties: parameters.parties, delta: parameters.delta) : .field(parameters.fieldPrime, parties: parameters.parties)
        var position = others
        for (offset, group) in present.enumerated() {
            let degree = degrees[group]
            let points = Array(check[position..<position + degree + 1])
            position += degree + 1
            guard integer ? points.allSatisfy({ $0.bitWidth <= parameters.maximumValueBits }) : points.allSatisfy({ !$0.isNegative && $0 < parameters.fieldPrime })
            else { throw failure }
            var combined = values[kinds.count + offset]
            for (c, kind) in kinds.enumerated() where kind == group { combined += rho[c] * values[c] }
            let reconstruction = ShamirSharing.Reconstruction(sharing, degree: degree)
            let atRecipient = reconstruction.combine(sharing.coefficients(degree: degree, target: recipient), points)
            let expected = integer ? combined * sharing.scale : combined.modulo(parameters.fieldPrime)
            guard atRecipient == expected else { throw failure }
            if group == 1, !reconstruction.combine(reconstruction.atZero, points).isZero { throw failure }
        }
    }
}
