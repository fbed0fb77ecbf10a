import BigNum
import Foundation

extension PaillierPublicKey {
    /// Enc(a + b) from Enc(a) and Enc(b): c₁·c₂ mod n².
    @inlinable
    public func add(_ lhs: PaillierCiphertext, _ rhs: PaillierCiphertext) -> PaillierCiphertext {
        PaillierCiphertext(unchecked: lhs.value.multiplied(by: rhs.value, modulo: nSquared))
    }

    /// Enc(Σ mᵢ) from Enc(mᵢ): their product mod n², by Montgomery multiplication; Enc(0) = 1 for none (a
    /// trivial encryption: re-randomize it before sharing).
    public func sum(_ ciphertexts: some Sequence<PaillierCiphertext>) -> PaillierCiphertext {
        PaillierCiphertext(unchecked: BigInteger.product(ciphertexts.map(\.value), modulo: nSquared))
    }

    /// ``sum(_:)`` on all cores: one run of consecutive ciphertexts per core, each a chain of Montgomery products,
    /// then the product of the runs. Multiplication mod n² is commutative, so the result is the same ciphertext.
    public func sumConcurrently(_ ciphertexts: [PaillierCiphertext]) async -> PaillierCiphertext {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        // Below a few hundred factors per core, starting the tasks costs more than it saves.
        guard cores > 1, ciphertexts.count >= 256 * cores else { return sum(ciphertexts) }
        let run = (ciphertexts.count + cores - 1) / cores
        let runs = stride(from: 0, to: ciphertexts.count, by: run).map { Array(ciphertexts[$0..<min($0 + run, ciphertexts.count)]) }
        return sum(await parallelMap(runs, chunksPerCore: 1) { sum($0) })
    }

    /// Enc(m + k) from Enc(m) and a plaintext k: c·(1 + k·n) mod n².
    @inlinable
    public func add(_ ciphertext: PaillierCiphertext, plaintext: BigInteger) -> PaillierCiphertext {
        PaillierCiphertext(unchecked: ciphertext.value.multiplied(by: plaintextPart(plaintext), modulo: nSquared))
    }

    /// Enc(k·m) from Enc(m) and a plaintext scalar k, negative too: cᵏ, or (c⁻¹)^|k| for k < 0 (much cheaper
    /// than c^(n−|k|) for small |k|).
    @inlinable
    public func multiply(_ ciphertext: PaillierCiphertext, by scalar: BigInteger) -> PaillierCiphertext {
        if scalar.isNegative {
            return PaillierCiphertext(unchecked: negate(ciphertext).value.power(scalar.magnitude, modulo: nSquared))
        }
        return PaillierCiphertext(unchecked: ciphertext.value.power(scalar, modulo: nSquared))
    }

    /// Enc(−m) from Enc(m): c⁻¹ mod n².
    @inlinable
    public func negate(_ ciphertext: PaillierCiphertext) -> PaillierCiphertext {
        // A ciphertext from this key (validated or computed) is a unit of Z_{n²}.
        guard let inverse = ciphertext.value.inverse(modulo: nSquared) else {
            preconditionFailure("ciphertext is not a unit modulo n²: validate ciphertexts from outside")
        }
        return PaillierCiphertext(unchecked: inverse)
    }

    /// Enc(a − b) from Enc(a) and Enc(b).
    @inlinable
    public func subtract(_ lhs: PaillierCiphertext, _ rhs: PaillierCiphertext) -> PaillierCiphertext {
        add(lhs, negate(rhs))
    }

    /// A fresh-looking encryption of the same plaintext: c · mask mod n².
    public func rerandomize(_ ciphertext: PaillierCiphertext) -> PaillierCiphertext {
        PaillierCiphertext(unchecked: ciphertext.value.multiplied(by: randomMask(), modulo: nSquared))
    }
}
