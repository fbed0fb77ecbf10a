internal import CGMP

extension BigInteger {
    /// Odd primes below 2¹⁶, for sieving candidates (a modulus is checked up to 2²⁰: ``smallPrimeFactor``).
    public static let smallPrimes: [UInt32] = oddPrimes(below: 1 << 16)

    /// How many of ``smallPrimes`` candidate searches sieve with: enough to reject ~90% of candidates cheaply.
    static let sievePrimeCount = 2048

    /// The bound below which ``smallPrimeFactor`` looks for prime factors: 2²⁰. A modulus with a factor below it
    /// is factored by anyone in moments.
    public static let smallFactorBound: UInt32 = 1 << 20

    /// Odd primes below ``smallFactorBound`` (82 024 of them), to find which one divides a number once the gcd has
    /// shown that one does: built only then.
    static let primesBelowSmallFactorBound: [UInt32] = oddPrimes(below: Int(smallFactorBound))

    /// The odd primes below `limit`, by the sieve of Eratosthenes.
    static func oddPrimes(below limit: Int) -> [UInt32] {
        var composite = [Bool](repeating: false, count: limit)
        var primes: [UInt32] = []
        composite.withUnsafeMutableBufferPointer { composite in
            for candidate in stride(from: 3, to: limit, by: 2) where !composite[candidate] {
                primes.append(UInt32(candidate))
                var multiple = candidate * candidate
                while multiple < limit {
                    composite[multiple] = true
                    multiple += 2 * candidate
                }
            }
        }
        return primes
    }

    /// The product of every prime below ``smallFactorBound`` (2²⁰#, about 1.5 million bits), from GMP's
    /// `mpz_primorial_ui`, built once: gcd(n, P mod n) > 1 exactly when n has such a factor (or is one), in one
    /// division and one gcd instead of 82 024 trial divisions.
    static let smallFactorProduct: BigInteger = BigInteger.make { r in __gmpz_primorial_ui(r, UInt(smallFactorBound - 1)) }

    /// The smallest prime factor of `self` below ``smallFactorBound`` = 2²⁰ (2 for any even number; `self` itself
    /// excluded when odd), or nil when there is none. About 1 ms for a 3072-bit number (the
    /// benchmark "small-factor search 3072").
    public var smallPrimeFactor: UInt32? {
        if !isOdd { return 2 }
        guard BigInteger.gcd(BigInteger.smallFactorProduct.modulo(self), self) != 1 else { return nil }
        // Some odd prime below the bound divides self (or self is one): find the smallest, which is rare work.
        return withUnsafeMPZ { x in
            BigInteger.primesBelowSmallFactorBound.first { prime in
                __gmpz_cmp_ui(x, UInt(prime)) != 0 && __gmpz_fdiv_ui(x, UInt(prime)) == 0
            }
        }
    }

    /// For each of `numbers` (each above 2²⁰), whether it has no prime factor below ``smallFactorBound``: what
    /// `smallPrimeFactor == nil` says of each, found for all at once through a remainder tree (the primorial reduced
    /// down a product tree of the numbers), so that a thousand 2048-bit numbers cost a few divisions of numbers of
    /// a million bits instead of a thousand divisions of the 1.5-million-bit primorial.
    public static func haveNoSmallPrimeFactor(_ numbers: [BigInteger]) -> [Bool] {
        guard !numbers.isEmpty else { return [] }
        var levels = [numbers]
        while levels[levels.count - 1].count > 1 {
            let level = levels[levels.count - 1]
            levels.append(stride(from: 0, to: level.count, by: 2).map { i in i + 1 < level.count ? level[i] * level[i + 1] : level[i] })
        }
        var remainders = [smallFactorProduct.modulo(levels[levels.count - 1][0])]
        for level in levels.dropLast().reversed() {
            remainders = level.indices.map { i in remainders[i / 2].modulo(level[i]) }
        }
        return zip(numbers, remainders).map { number, remainder in number.isOdd && gcd(remainder, number) == 1 }
    }

    /// Whether `self` is a probable prime: GMP's trial division and Baillie–PSW test, then `rounds` Miller–Rabin
    /// rounds with bases from the system CSPRNG (GMP's own extra rounds would draw bases from its Mersenne Twister).
    public func isProbablePrime(rounds: Int = 8) -> Bool {
        guard signum > 0 else { return false }
        // GMP 6.2 counts its Baillie–PSW test as 24 of the repetitions; 24 asks for exactly that.
        guard withUnsafeMPZ({ __gmpz_probab_prime_p($0, 24) }) != 0 else { return false }
        if self <= BigInteger(1 << 16) { return true }
        return passesMillerRabin(rounds: rounds)
    }

    func passesMillerRabin(rounds: Int) -> Bool {
        let minusOne = self - 1
        var oddPart = minusOne
        var twos = 0
        while !oddPart.isOdd {
            oddPart = oddPart.shiftedRight(1)
            twos += 1
        }
        roundLoop: for _ in 0..<rounds {
            let base = BigInteger.random(below: self - 3) + 2
            var x = base.power(oddPart, modulo: self)
            if x == 1 || x == minusOne { continue }
            for _ in 1..<max(twos, 1) {
                x = x.multiplied(by: x, modulo: self)
                if x == minusOne { continue roundLoop }
            }
            return false
        }
        return true
    }

    /// The smallest probable prime above `self` (GMP's `mpz_nextprime`): for public, deterministic primes that
    /// every party derives alike, such as a protocol's field modulus. Never for a secret prime.
    public func nextPrime() -> BigInteger { BigInteger.make { r in withUnsafeMPZ { __gmpz_nextprime(r, $0) } } }

    /// A random probable prime of exactly `bits` bits whose two top bits are set, so that the product of two such
    /// primes has exactly `2·bits` bits.
    public static func randomPrime(bits: Int) -> BigInteger {
        precondition(bits >= 32, "randomPrime needs at least 32 bits")
        return searchFromRandomStart(bits: bits, step: 2, startResidue: (1, 2)) { candidate in
            candidate.isProbablePrime()
        } sieve: { residue, prime in residue != 0 }
    }

    /// A random probable prime P = factor·k + 1 of exactly `bits` bits with its two top bits set, k odd: a prime
    /// whose P − 1 has a chosen factor (`factor` even), as fast-decryption Paillier keys need. Returns P and k.
    ///
    /// Candidates are drawn, not walked to: GMP's primality test starts with trial division, which rejects most of
    /// them for the cost of a few divisions, and a 1024-bit P takes a few hundred candidates.
    public static func randomPrime(bits: Int, oneAboveMultipleOf factor: BigInteger) -> (prime: BigInteger, cofactor: BigInteger) {
        precondition(bits >= 32 && !factor.isOdd && factor.bitWidth < bits - 2, "randomPrime needs room for an odd cofactor")
        // P in [2^(bits−1) + 2^(bits−2), 2^bits): k from ⌈(low − 1)/factor⌉ up to ⌊(2^bits − 2)/factor⌋.
        let low = (BigInteger(3).shiftedLeft(bits - 2) - 1 + factor - 1) / factor
        let high = (BigInteger(1).shiftedLeft(bits) - 2) / factor
        while true {
            var cofactor = low + random(below: high - low + 1)
            if !cofactor.isOdd { cofactor = cofactor + 1 }
            let candidate = factor * cofactor + 1
            if candidate.bitWidth == bits, candidate.isProbablePrime() { return (candidate, cofactor) }
        }
    }

    /// A random safe prime p = 2q + 1 (q prime) of exactly `bits` bits with its two top bits set.
    ///
    /// Sieves q and 2q + 1 together against small primes, then runs a base-2 Fermat test on p, and only then the
    /// full probable-prime tests on q and p: most candidates are rejected before any exponentiation.
    public static func randomSafePrime(bits: Int) -> BigInteger {
        precondition(bits >= 32, "randomSafePrime needs at least 32 bits")
        // q ≡ 5 (mod 6): q ≢ 0 (mod 3) and 2q + 1 ≢ 0 (mod 3), so stepping by 6 keeps both clear of 2 and 3.
        let q = searchFromRandomStart(bits: bits - 1, step: 6, startResidue: (5, 6)) { q in
            let p = q.shiftedLeft(1) + 1
            guard BigInteger(2).power(q.shiftedLeft(1), modulo: p) == 1 else { return false }
            return q.isProbablePrime() && p.isProbablePrime()
        } sieve: { residue, prime in
            residue != 0 && (2 * residue + 1) % prime != 0
        }
        return q.shiftedLeft(1) + 1
    }

    /// Draws a random `bits`-bit start with its two top bits set and `start ≡ startResidue.0 (mod startResidue.1)`,
    /// then walks up by `step`, skipping candidates the small-prime `sieve` rejects, until `accept` says yes. A new
    /// start is drawn when the walk would leave the bit size.
    static func searchFromRandomStart(
        bits: Int, step: UInt32, startResidue: (UInt64, UInt64),
        accept: (BigInteger) -> Bool,
        sieve: (UInt64, UInt64) -> Bool
    ) -> BigInteger {
        let sievePrimes = smallPrimes.prefix(sievePrimeCount).map(UInt64.init)
        let window = 1 << 16
        while true {
            var start = random(bits: bits)
            start.withUnsafeMutableMPZ { x in
                __gmpz_setbit(x, UInt(bits - 1))
                __gmpz_setbit(x, UInt(bits - 2))
                let current = UInt64(__gmpz_fdiv_ui(x, UInt(startResidue.1)))
                let adjust = (startResidue.0 + startResidue.1 - current) % startResidue.1
                __gmpz_add_ui(x, x, UInt(adjust))
            }
            let residues = start.withUnsafeMPZ { x in sievePrimes.map { UInt64(__gmpz_fdiv_ui(x, UInt($0))) } }
            for offset in 0..<window {
                let delta = UInt64(offset) * UInt64(step)
                var passes = true
                for (index, prime) in sievePrimes.enumerated() {
                    if !sieve((residues[index] + delta) % prime, prime) {
                        passes = false
                        break
                    }
                }
                guard passes else { continue }
                let candidate = start + BigInteger(UInt(delta))
                guard candidate.bitWidth == bits else { break }
                if accept(candidate) { return candidate }
            }
        }
    }
}
