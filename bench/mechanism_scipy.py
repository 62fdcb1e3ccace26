"""The same Yuma epoch written with scipy.sparse, for bench/mechanism.ts to time side by side.

Reads the CSR arrays bench/mechanism.ts wrote to DIR, runs the epoch REPEATS times, writes the emission
share to DIR/E_scipy.f64 and prints {"ms": [per-run milliseconds]} as JSON.
Usage: python3 bench/mechanism_scipy.py DIR N REPEATS
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp


def load(d, name, dtype):
    return np.fromfile(f"{d}/{name}", dtype=dtype)


def normalize(x):
    s = x.sum()
    return x / s if s > 0 else np.zeros_like(x)


def col_normalize(m):
    sums = np.asarray(m.sum(axis=0)).ravel()
    inv = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)
    return (m @ sp.diags_array(inv)).tocsr()


def epoch(stake, w, b, rho=10.0, kappa=0.5, alpha=0.1, thr=0.0):
    n = stake.shape[0]
    s = normalize(stake)
    a = s  # everyone active
    rows = np.repeat(np.arange(n, dtype=np.int32), np.diff(w.indptr))
    keep = w.indices != rows
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows[keep], minlength=n))))
    w = sp.csr_array((w.data[keep], w.indices[keep], indptr), shape=(n, n))
    rowsum = np.asarray(w.sum(axis=1)).ravel()
    inv = np.divide(1.0, rowsum, out=np.zeros_like(rowsum), where=rowsum > 0)
    w = (sp.diags_array(inv) @ w).tocsr()
    rank = normalize(w.T @ a)
    trust = (w > thr).astype(np.float64).T @ a
    consensus = 1.0 / (1.0 + np.exp(-rho * (trust - kappa)))
    incentive = normalize(rank * consensus)
    voted = s[(np.diff(w.indptr) > 0) & (a > 0)].sum()  # bonds are bought once voters with kappa of all stake voted
    delta = col_normalize((sp.diags_array(a if voted >= kappa else np.zeros(n)) @ w).tocsr())
    bonds = col_normalize(alpha * delta + (1 - alpha) * col_normalize(b))
    dividends = normalize(bonds @ incentive)
    return normalize(incentive + dividends)


def main():
    d, n, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    stake = load(d, "stake.f64", np.float64)
    w = sp.csr_array((load(d, "w_val.f64", np.float64), load(d, "w_col.i32", np.int32), load(d, "w_ptr.i32", np.int32)), shape=(n, n))
    b = sp.csr_array((load(d, "b_val.f64", np.float64), load(d, "b_col.i32", np.int32), load(d, "b_ptr.i32", np.int32)), shape=(n, n))
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        e = epoch(stake, w, b)
        times.append((time.perf_counter() - t) * 1000)
    e.astype(np.float64).tofile(f"{d}/E_scipy.f64")
    print(json.dumps({"ms": times, "scipy": sp.__version__ if hasattr(sp, "__version__") else ""}))


if __name__ == "__main__":
    main()
