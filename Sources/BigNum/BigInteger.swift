internal import CGMP

/// An arbitrary-precision signed integer over GMP's `mpz_t`.
///
/// A value type: copies share one GMP number until one of them is mutated (copy-on-write), so passing big integers
/// around costs a reference count, not a copy of limbs. Every limb GMP frees is zeroed first (see
/// `BigInteger.installWipingAllocator`), so secret values do not linger in freed memory.
public struct BigInteger: @unchecked Sendable {
    /// Owns one initialised `mpz_t`. Mutated only through ``BigInteger/withUnsafeMutableMPZ(_:)``, which copies it
    /// first unless uniquely referenced; that is what makes the `@unchecked Sendable` above sound.
    final class Storage {
        let pointer: UnsafeMutablePointer<__mpz_struct>

        init() {
            _ = BigInteger.installWipingAllocator
            pointer = .allocate(capacity: 1)
            __gmpz_init(pointer)
        }

        init(copying other: UnsafePointer<__mpz_struct>) {
            _ = BigInteger.installWipingAllocator
            pointer = .allocate(capacity: 1)
            __gmpz_init_set(pointer, other)
        }

        deinit {
            __gmpz_clear(pointer)  // frees through the wiping allocator
            pointer.deallocate()
        }
    }

    var storage: Storage

    /// The version of the GMP library the process runs on ("6.2.1", "6.3.0"): the one the dynamic linker loaded,
    /// which is what the speed of every operation depends on.
    public static var gmpVersion: String { String(cString: summa_gmp_version()) }

    /// GMP's allocation functions are replaced once per process, before the first number is made, by ones that
    /// zero every block they free or move.
    static let installWipingAllocator: Void = summa_gmp_install_wiping_allocator()

    /// Zero.
    public init() { storage = Storage() }

    init(storage: Storage) { self.storage = storage }

    /// Calls `body` with a read-only pointer to the GMP number.
    func withUnsafeMPZ<R>(_ body: (UnsafePointer<__mpz_struct>) throws -> R) rethrows -> R {
        try body(storage.pointer)
    }

    /// Calls `body` with a pointer to a GMP number that only this value holds, copying the limbs first if shared.
    mutating func withUnsafeMutableMPZ<R>(_ body: (UnsafeMutablePointer<__mpz_struct>) throws -> R) rethrows
        -> R
    {
        if !isKnownUniquelyReferenced(&storage) {
            storage = Storage(copying: storage.pointer)
        }
        return try body(storage.pointer)
    }

    /// Makes a new value by letting `body` write into a fresh GMP number.
    static func make(_ body: (UnsafeMutablePointer<__mpz_struct>) throws -> Void) rethrows -> BigInteger {
        let result = Storage()
        try body(result.pointer)
        return BigInteger(storage: result)
    }
}

// MARK: - Conversions

extension BigInteger: ExpressibleByIntegerLiteral {
    public init(_ value: Int) {
        self.init()
        __gmpz_set_si(storage.pointer, value)
    }

    public init(_ value: UInt) {
        self.init()
        __gmpz_set_ui(storage.pointer, value)
    }

    public init(integerLiteral value: Int) { self.init(value) }

    /// Parses an optional sign followed by digits of `radix` (2…62). Returns nil for anything else, including an
    /// empty string, white space, a second sign or a radix prefix.
    public init?(_ text: some StringProtocol, radix: Int = 10) {
        precondition((2...62).contains(radix), "radix must be in 2...62")
        var body = Substring(text)
        var negative = false
        if let first = body.first, first == "-" || first == "+" {
            negative = first == "-"
            body = body.dropFirst()
        }
        // GMP skips white space and accepts things we do not want; check the alphabet ourselves.
        guard !body.isEmpty, body.utf8.allSatisfy({ BigInteger.digitValue($0, radix: radix) != nil }) else {
            return nil
        }
        self.init()
        let status = String(body).withCString { __gmpz_set_str(storage.pointer, $0, Int32(radix)) }
        guard status == 0 else { return nil }
        if negative { __gmpz_neg(storage.pointer, storage.pointer) }
    }

    static func digitValue(_ byte: UInt8, radix: Int) -> Int? {
        let value: Int
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"):
            value = Int(byte - UInt8(ascii: "a")) + (radix <= 36 ? 10 : 36)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
        return value < radix ? value : nil
    }

    /// The digits in `radix` (2…62), with a leading "-" when negative.
    public func toString(radix: Int = 10) -> String {
        precondition((2...62).contains(radix), "radix must be in 2...62")
        return withUnsafeMPZ { x in
            let capacity = __gmpz_sizeinbase(x, Int32(radix)) + 2
            return String(unsafeUninitializedCapacity: capacity) { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    _ = __gmpz_get_str(chars.baseAddress, Int32(radix), x)
                    return chars.firstIndex(of: 0) ?? capacity
                }
            }
        }
    }

    /// The value as an `Int`, or nil when it does not fit.
    public var intValue: Int? {
        withUnsafeMPZ { x in __gmpz_fits_slong_p(x) != 0 ? __gmpz_get_si(x) : nil }
    }
}

extension Int {
    /// The value of `big`, or nil when it does not fit.
    public init?(exactly big: BigInteger) {
        guard let value = big.intValue else { return nil }
        self = value
    }
}

extension BigInteger: CustomStringConvertible, LosslessStringConvertible {
    /// The decimal digits. Callers that hold secrets must not print them: secret-bearing types in this package
    /// redact their own descriptions.
    public var description: String { toString() }

    public init?(_ description: String) { self.init(description, radix: 10) }
}

// MARK: - Properties and comparison

extension BigInteger: Equatable, Comparable, Hashable {
    /// -1, 0 or 1.
    public var signum: Int { withUnsafeMPZ { Int(summa_mpz_sgn($0)) } }

    public var isZero: Bool { signum == 0 }

    public var isNegative: Bool { signum < 0 }

    public var isOdd: Bool { withUnsafeMPZ { summa_mpz_odd_p($0) != 0 } }

    /// Number of bits in |self|; 0 for zero.
    public var bitWidth: Int { isZero ? 0 : withUnsafeMPZ { Int(__gmpz_sizeinbase($0, 2)) } }

    /// Whether bit `index` of |self| is set.
    public func testBit(_ index: Int) -> Bool { withUnsafeMPZ { __gmpz_tstbit($0, UInt(index)) != 0 } }

    public static func == (lhs: BigInteger, rhs: BigInteger) -> Bool { compare(lhs, rhs) == 0 }

    public static func < (lhs: BigInteger, rhs: BigInteger) -> Bool { compare(lhs, rhs) < 0 }

    static func compare(_ lhs: BigInteger, _ rhs: BigInteger) -> Int32 {
        lhs.withUnsafeMPZ { a in rhs.withUnsafeMPZ { b in __gmpz_cmp(a, b) } }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(signum)
        hasher.combine(magnitudeBytes())
    }

    /// |self|.
    public var magnitude: BigInteger { BigInteger.make { r in withUnsafeMPZ { __gmpz_abs(r, $0) } } }
}
