#!/usr/bin/env python3
"""Known answers for Summa's least squares from sums (Sources/Summa/LinearRegression.swift), made independently:
Python's fractions solve the normal equations exactly from the rows themselves (not from Summa's sums), and every
figure is rounded half to even with integer arithmetic only. Writes regression-vectors.json beside this script.

    python3 Tests/SummaTests/Fixtures/generate-regression.py
"""
import json
import os
import random
from fractions import Fraction

DIGITS = 6


def rounded(value: Fraction, digits: int = DIGITS) -> str:
    """value rounded half to even to `digits` decimals, as text."""
    scaled = value * 10**digits
    floor = scaled.numerator // scaled.denominator
    rest = scaled - floor
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor % 2 == 1):
        floor += 1
    return decimal_text(floor, digits)


def root(value: Fraction, digits: int = DIGITS) -> str:
    """sqrt(value) rounded half to even to `digits` decimals: r = isqrt(floor(X)), X = value * 10^(2 digits); round
    up when (r + 1/2)^2 < X."""
    import math
    scaled = value * 10 ** (2 * digits)
    r = math.isqrt(scaled.numerator // scaled.denominator)
    half = (Fraction(2 * r + 1, 2)) ** 2
    if half < scaled or (half == scaled and r % 2 == 1):
        r += 1
    return decimal_text(r, digits)


def decimal_text(mantissa: int, digits: int) -> str:
    sign = "-" if mantissa < 0 else ""
    text = str(abs(mantissa)).rjust(digits + 1, "0")
    return f"{sign}{text[:-digits]}.{text[-digits:]}" if digits else sign + text


def solve(matrix, vector):
    """Gauss-Jordan in fractions: the solution and the inverse."""
    size = len(matrix)
    left = [row[:] for row in matrix]
    right = [[Fraction(int(i == j)) for j in range(size)] for i in range(size)]
    for column in range(size):
        pivot = next(r for r in range(column, size) if left[r][column] != 0)
        left[column], left[pivot] = left[pivot], left[column]
        right[column], right[pivot] = right[pivot], right[column]
        scale = left[column][column]
        left[column] = [v / scale for v in left[column]]
        right[column] = [v / scale for v in right[column]]
        for r in range(size):
            if r != column and left[r][column] != 0:
                factor = left[r][column]
                left[r] = [a - factor * b for a, b in zip(left[r], left[column])]
                right[r] = [a - factor * b for a, b in zip(right[r], right[column])]
    return [sum(right[i][j] * vector[j] for j in range(size)) for i in range(size)], right


def case(name, rows, columns, response, regressors):
    data = [dict(zip(columns, (Fraction(v) for v in row))) for row in rows]
    n = len(data)
    X = [[Fraction(1)] + [row[c] for c in regressors] for row in data]
    y = [row[response] for row in data]
    p = len(regressors) + 1
    xtx = [[sum(X[k][i] * X[k][j] for k in range(n)) for j in range(p)] for i in range(p)]
    xty = [sum(X[k][i] * y[k] for k in range(n)) for i in range(p)]
    beta, inverse = solve(xtx, xty)
    residuals = [y[k] - sum(beta[i] * X[k][i] for i in range(p)) for k in range(n)]
    rss = sum(r * r for r in residuals)
    mean = sum(y) / n
    tss = sum((v - mean) ** 2 for v in y)
    variance = rss / (n - p)
    names = ["intercept"] + regressors
    scales = {c: max(len(str(row[i]).partition(".")[2]) for row in rows) for i, c in enumerate(columns)}

    def text(value, scale):
        return decimal_text(int(value * 10**scale), scale)

    totals = {}
    for c in columns:
        totals[c] = {"count": n, "sum": text(sum(r[c] for r in data), scales[c]),
                     "sumOfSquares": text(sum(r[c] ** 2 for r in data), 2 * scales[c])}
    for i, a in enumerate(columns):
        for b in columns[i + 1:]:
            totals[f"{a}*{b}"] = {"count": n, "sum": text(sum(r[a] * r[b] for r in data), scales[a] + scales[b])}
    return {
        "name": name, "response": response, "regressors": regressors, "digits": DIGITS, "totals": totals,
        "coefficients": [{"term": t, "estimate": rounded(b), "standardError": root(variance * inverse[j][j])}
                         for j, (t, b) in enumerate(zip(names, beta))],
        "rSquared": rounded(1 - rss / tss),
    }


random.seed(20261202)
cases = []
rows = []
for _ in range(50):
    fee = round(random.uniform(0, 5), 2)
    qty = random.randint(1, 9)
    amount = round(3 + 2.5 * fee - 1.25 * qty + random.gauss(0, 1), 2)
    rows.append((f"{amount:.2f}", f"{fee:.2f}", str(qty)))
cases.append(case("two regressors, 50 rows", rows, ["amount", "fee", "qty"], "amount", ["fee", "qty"]))
small = [("1.5", "1"), ("2.0", "2"), ("3.5", "3"), ("3.0", "4")]
cases.append(case("one regressor, 4 rows", small, ["y", "x"], "y", ["x"]))
rows3 = [(f"{random.uniform(-100, 100):.3f}", f"{random.uniform(-1, 1):.2f}", f"{random.uniform(0, 10):.1f}",
          str(random.randint(-5, 5))) for _ in range(30)]
cases.append(case("three regressors, negative values", rows3, ["y", "a", "b", "c"], "y", ["a", "b", "c"]))

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "regression-vectors.json"), "w") as out:
    json.dump(cases, out, indent=1)
    out.write("\n")
