import BigNum
import Paillier
import Summa

extension SummaFile {
    /// Parses the fields of each format, validating keys and ciphertexts and naming the field at fault.
    struct Reader {
        let path: String
        let allowInsecureKeySize: Bool
        /// The version of the document being read (its outer `version`; an embedded key's own is not consulted).
        var version = SummaFile.version

        /// A key from n and hₛ, validated; the error names `field`, or the `fastEncryptionBase` member beside it
        /// when hₛ is at fault.
        func validatedKey(
            n: BigInteger, declaredBits: Int?, fastBase: BigInteger?, shortExponentBits: Int? = nil, field: String,
            baseField: String? = nil, exponentField: String? = nil
        ) throws(FormatError) -> PaillierPublicKey {
            do {
                return try PaillierPublicKey(
                    validatingModulus: n, declaredBits: declaredBits, fastEncryptionBase: fastBase,
                    shortExponentBits: shortExponentBits, allowInsecureKeySize: allowInsecureKeySize)
            } catch {
                let named = error.concernsShortExponent ? exponentField : error.concernsFastEncryptionBase ? baseField : nil
                throw .invalidKey(path: path, field: named ?? field, error)
            }
        }

        /// A `summa.public-key` document, or the `publicKey` member of another. Validation comes first (it names the
        /// field at fault), then the declared fingerprint, which must be the key's: in version 2 it covers hₛ too.
        /// A version-1 document's fingerprint covered n only, so its fast-encryption base is dropped, unless
        /// `keepingLegacyFastBase` (a private key, whose factors check hₛ exactly): then the fingerprint is checked
        /// as version 1 defined it.
        func publicKey(_ fields: JSONFields, keepingLegacyFastBase: Bool = false) throws(FormatError) -> PaillierPublicKey {
            let n = try fields.bigInteger("n")
            let bits = try fields.integer("bits", in: 1...PaillierPublicKey.maximumBits)
            var base = try fields.optional("fastEncryptionBase").map { (_) throws(FormatError) in
                try fields.bigInteger("fastEncryptionBase")
            }
            let shortExponentBits = try fields.optional("shortExponentBits").map { (_) throws(FormatError) in
                try fields.integer("shortExponentBits", in: 1...PaillierPublicKey.maximumBits)
            }
            let legacy = version == SummaFile.legacyVersion
            if legacy && !keepingLegacyFastBase { base = nil }
            let key = try validatedKey(
                n: n, declaredBits: bits, fastBase: base, shortExponentBits: shortExponentBits, field: fields.name("n"),
                baseField: fields.name("fastEncryptionBase"), exponentField: fields.name("shortExponentBits"))
            if fields.optional("fingerprint") != nil {
                let expected = legacy ? PaillierPublicKey.fingerprint(of: n) : key.fingerprint
                guard try fields.string("fingerprint") == expected else { throw .fingerprintMismatch(path: path) }
            }
            return key
        }

        func privateKey(_ fields: JSONFields) throws(FormatError) -> PaillierPrivateKey {
            let publicKey = try publicKey(try fields.object("publicKey"), keepingLegacyFastBase: true)
            // Read whenever present, so that orders given to a key that takes none are refused rather than ignored.
            let orders = fields.optional("pSubgroupOrder") == nil && fields.optional("qSubgroupOrder") == nil
                ? nil
                : PaillierPrivateKey.SubgroupOrders(
                    p: try fields.secretBigInteger("pSubgroupOrder"), q: try fields.secretBigInteger("qSubgroupOrder"))
            return try privateKey(p: try fields.secretBigInteger("p"), q: try fields.secretBigInteger("q"), subgroupOrders: orders,
                                  publicKey: publicKey, field: "p, q")
        }

        func privateKey(
            p: BigInteger, q: BigInteger, subgroupOrders: PaillierPrivateKey.SubgroupOrders? = nil, publicKey: PaillierPublicKey,
            field: String
        ) throws(FormatError) -> PaillierPrivateKey {
            do {
                return try PaillierPrivateKey(p: p, q: q, subgroupOrders: subgroupOrders, publicKey: publicKey)
            } catch {
                let named = switch error {
                case .subgroupOrderInvalid: "pSubgroupOrder, qSubgroupOrder"
                case .fastDecryptionBaseOutsideSubgroup: "publicKey.fastEncryptionBase"
                default: error.concernsFastEncryptionBase ? "publicKey.fastEncryptionBase" : field
                }
                throw .invalidKey(path: path, field: named, error)
            }
        }

        /// The embedded public key, checked against the file's declared key fingerprint (in version 1, read as the
        /// standard key of n, which is what that version's fingerprint covered).
        func embeddedKey(_ fields: JSONFields) throws(FormatError) -> PaillierPublicKey {
            let key = try publicKey(try fields.object("publicKey"))
            guard try fields.string("keyFingerprint") == key.fingerprint else { throw .fingerprintMismatch(path: path) }
            return key
        }

        func ciphertext(_ value: JSONValue, key: PaillierPublicKey, field: String) throws(FormatError)
            -> PaillierCiphertext
        {
            let number = try JSONFields.decimal(value, path: path, field: field)
            do {
                return try key.ciphertext(validating: number)
            } catch {
                throw .invalidKey(path: path, field: field, error)
            }
        }

        func ciphertexts(_ fields: JSONFields, _ name: String, key: PaillierPublicKey) throws(FormatError)
            -> [PaillierCiphertext]
        {
            try fields.array(name).enumerated().map { (index, value) throws(FormatError) in
                try ciphertext(value, key: key, field: "\(fields.name(name))[\(index)]")
            }
        }

        func columnHeader(_ fields: JSONFields) throws(FormatError) -> (name: String, scale: Int, count: Int) {
            let name = try fields.string("name")
            guard !name.isEmpty else { throw .malformedField(path: path, field: fields.name("name"), reason: "empty") }
            return (name, try fields.integer("scale", in: 0...FixedPoint.maximumScale),
                    try fields.integer("count", in: 0...Int.max))
        }

        func columnList(_ fields: JSONFields) throws(FormatError) -> [JSONFields] {
            let columns = try fields.array("columns")
            var seen = Set<String>()
            return try columns.enumerated().map { (index, value) throws(FormatError) in
                let column = try JSONFields(value, path: path, prefix: "columns[\(index)]")
                let name = try column.string("name")
                guard seen.insert(name).inserted else {
                    throw .malformedField(path: path, field: column.name("name"), reason: "duplicate column \"\(name)\"")
                }
                return column
            }
        }

        func encryptedTable(_ fields: JSONFields) throws(FormatError) -> EncryptedTable {
            let key = try embeddedKey(fields)
            let columns = try columnList(fields).map { (column) throws(FormatError) in
                let header = try columnHeader(column)
                let values = try ciphertexts(column, "values", key: key)
                guard values.count == header.count else {
                    throw .malformedField(path: path, field: column.name("values"),
                                          reason: "\(values.count) values, but count says \(header.count)")
                }
                let squares = try column.optional("squares").map { (_) throws(FormatError) in
                    try ciphertexts(column, "squares", key: key)
                }
                if let squares, squares.count != values.count {
                    throw .malformedField(path: path, field: column.name("squares"),
                                          reason: "\(squares.count) squares for \(values.count) values")
                }
                return EncryptedColumn(name: header.name, scale: header.scale, values: values, squares: squares)
            }
            return EncryptedTable(publicKey: key, columns: columns)
        }

        func aggregateTable(_ fields: JSONFields) throws(FormatError) -> AggregateTable {
            let key = try embeddedKey(fields)
            let statisticName = try fields.string("statistic")
            guard let kind = AggregateKind(rawValue: statisticName) else {
                throw .malformedField(path: path, field: "statistic",
                                      reason: "\"\(statisticName.prefix(20))\" is not one of sum, mean, stats")
            }
            guard fields.optional("groupBy") != nil else { return try aggregateBody(fields, key: key, kind: kind) }
            let columnNames = try fields.strings("columnNames")
            guard Set(columnNames).count == columnNames.count else {
                throw .malformedField(path: path, field: "columnNames", reason: "expected distinct column names")
            }
            // The kept columns, under the rules of a grouped binary file's.
            let groupBy = try fields.strings("groupBy")
            guard !groupBy.isEmpty else { throw .malformedField(path: path, field: "groupBy", reason: "a grouped aggregate keeps columns") }
            try EncryptedRecords.checkGroupBy(groupBy, columns: columnNames) { reason in .malformedField(path: path, field: "groupBy", reason: reason) }
            var keys = Set<[[UInt8]]>()
            let groups = try fields.array("groups").enumerated().map { (index, value) throws(FormatError) in
                let group = try JSONFields(value, path: path, prefix: "groups[\(index)]")
                let groupKey = try group.strings("key")
                guard groupKey.count == groupBy.count, keys.insert(groupKey.exactBytes).inserted,
                    groupKey.allSatisfy({ $0.firstUnprintableScalar == nil })
                else {
                    throw .malformedField(
                        path: path, field: group.name("key"), reason: "expected a text per groupBy column without control characters, each group once")
                }
                let groupTable = try aggregateBody(group, key: key, kind: kind)
                guard groupTable.columnNames == columnNames else {
                    throw .malformedField(path: path, field: group.name("columnNames"), reason: "not the aggregate's columns")
                }
                return (key: groupKey, table: groupTable)
            }
            return AggregateTable(publicKey: key, kind: kind, columnNames: columnNames, groupBy: groupBy, groups: groups)
        }

        /// The columns, packed sums, reported names and plan of an aggregate, or of one of its groups.
        func aggregateBody(_ fields: JSONFields, key: PaillierPublicKey, kind: AggregateKind) throws(FormatError) -> AggregateTable {
            let columns = try columnList(fields).map { (column) throws(FormatError) in
                let header = try columnHeader(column)
                var denominator = Denominator(decimalScale: header.scale)
                if column.optional("denominator") != nil {
                    let fields = try column.object("denominator")
                    let limit = 4 * PheCiphertexts.maximumExponent
                    denominator = Denominator(
                        twos: try fields.integer("twos", in: -limit...limit), fives: try fields.integer("fives", in: -limit...limit))
                    guard denominator.decimalScale == header.scale else {
                        throw .malformedField(path: path, field: column.name("scale"), reason: "does not match the denominator")
                    }
                }
                func number(_ name: String, boundName: String, denominator: Denominator) throws(FormatError) -> EncryptedNumber {
                    let value = try ciphertext(try column.required(name), key: key, field: column.name(name))
                    let bound = try column.optional(boundName).map { (_) throws(FormatError) in try column.bigInteger(boundName) }
                    if let bound, bound > key.maximumPlaintextMagnitude {
                        throw .malformedField(path: path, field: column.name(boundName), reason: "beyond the key's plaintext range")
                    }
                    return EncryptedNumber(publicKey: key, ciphertext: value, denominator: denominator, bound: bound)
                }
                let squares = try column.optional("sumOfSquares").map { (_) throws(FormatError) in
                    try number("sumOfSquares", boundName: "sumOfSquaresBound", denominator: denominator * denominator)
                }
                let aggregate = EncryptedAggregate(
                    sum: try number("sum", boundName: "bound", denominator: denominator), count: header.count,
                    sumOfSquares: squares)
                return (name: header.name, aggregate: aggregate)
            }
            let packed = try (fields.optional("packed") == nil ? [] : fields.array("packed")).enumerated().map {
                (index, value) throws(FormatError) in try packedAggregate(JSONFields(value, path: path, prefix: fields.name("packed[\(index)]")), key: key)
            }
            let available = Set(columns.map(\.name) + packed.flatMap { $0.columns.map(\.name) })
            var names = columns.map(\.name)
            if fields.optional("columnNames") != nil {
                var seen = Set<String>()
                names = try fields.array("columnNames").enumerated().map { (index, value) throws(FormatError) in
                    let field = fields.name("columnNames[\(index)]")
                    guard case .string(let name) = value, available.contains(name) else {
                        throw .malformedField(path: path, field: field, reason: "not a column of the aggregate")
                    }
                    guard seen.insert(name).inserted else { throw .malformedField(path: path, field: field, reason: "listed twice") }
                    return name
                }
            }
            let analysis = try fields.optional("analysis").map { _ throws(FormatError) in
                try AnalysisPlan.parse(try fields.object("analysis"), columns: names)
            }
            return AggregateTable(publicKey: key, kind: kind, columns: columns, packed: packed, columnNames: names, analysis: analysis)
        }

        /// A packed sum: its columns, layout (checked against the key), blocks summed (which bound every slot) and
        /// one ciphertext per record of a block.
        func packedAggregate(_ fields: JSONFields, key: PaillierPublicKey) throws(FormatError) -> PackedAggregate {
            let columns = try columnList(fields).map { (column) throws(FormatError) in
                let header = try columnHeader(column)
                return PackedAggregate.Column(name: header.name, scale: header.scale, count: header.count)
            }
            let layout = try PackingLayout(json: try fields.object("layout"), columnCount: columns.count, keyBits: key.bits)
            let records = try ciphertexts(fields, "records", key: key)
            let blocks = try fields.integer("blocks", in: 0...Int.max)
            do {
                return try PackedAggregate(publicKey: key, layout: layout, columns: columns, records: records, blocks: blocks)
            } catch {
                throw .malformedField(path: path, field: fields.prefix, reason: error.description)
            }
        }

        // MARK: python-paillier (pheutil) formats

        func jwkBigInteger(_ fields: JSONFields, _ key: String) throws(FormatError) -> BigInteger {
            let text = try fields.string(key)
            guard let value = BigInteger(base64URLEncoded: text), !text.isEmpty else {
                throw .malformedField(path: path, field: fields.name(key), reason: "not base64url")
            }
            return value
        }

        func jwkPublicKey(_ fields: JSONFields) throws(FormatError) -> PaillierPublicKey {
            guard try fields.string("kty") == "DAJ" else {
                throw .malformedField(path: path, field: fields.name("kty"), reason: "expected \"DAJ\" (a Paillier JWK)")
            }
            guard try fields.string("alg") == "PAI-GN1" else {
                throw .malformedField(path: path, field: fields.name("alg"), reason: "expected \"PAI-GN1\" (g = n + 1)")
            }
            return try validatedKey(n: try jwkBigInteger(fields, "n"), declaredBits: nil, fastBase: nil, field: fields.name("n"))
        }

        func jwkPrivateKey(_ fields: JSONFields) throws(FormatError) -> PaillierPrivateKey {
            guard try fields.string("kty") == "DAJ" else {
                throw .malformedField(path: path, field: "kty", reason: "expected \"DAJ\" (a Paillier JWK)")
            }
            let operations = try fields.array("key_ops")
            guard operations.contains(.string("decrypt")) else {
                throw .malformedField(path: path, field: "key_ops", reason: "does not allow \"decrypt\"")
            }
            let publicKey = try jwkPublicKey(try fields.object("pub"))
            return try privateKey(p: try jwkBigInteger(fields, "p"), q: try jwkBigInteger(fields, "q"),
                                  publicKey: publicKey, field: "p, q")
        }

        func pheCiphertexts(_ elements: [JSONValue], isArray: Bool) throws(FormatError) -> PheCiphertexts {
            let bound = PheCiphertexts.maximumExponent
            let entries = try elements.enumerated().map { (index, element) throws(FormatError) in
                let fields = try JSONFields(element, path: path, prefix: isArray ? "[\(index)]" : "")
                return (ciphertext: try fields.bigInteger("v"), exponent: try fields.integer("e", in: -bound...bound))
            }
            if isArray && entries.isEmpty {
                throw .unrecognizedFile(path: path, reason: "an empty array holds no ciphertexts")
            }
            return PheCiphertexts(entries: entries, isArray: isArray, path: path)
        }
    }
}

extension PaillierError {
    /// Whether the error is about a fast-decryption key's short exponent size.
    var concernsShortExponent: Bool {
        switch self {
        case .shortExponentOutOfRange, .shortExponentWithoutBase: true
        default: false
        }
    }

    /// Whether the error is about a key's fast-encryption base rather than its modulus.
    var concernsFastEncryptionBase: Bool {
        switch self {
        case .fastEncryptionBaseOutOfRange, .fastEncryptionBaseTrivial, .fastEncryptionBaseNotInvertible,
            .fastEncryptionBaseOfOrderTwo, .fastEncryptionBaseNotNthResidue:
            true
        default: false
        }
    }
}
