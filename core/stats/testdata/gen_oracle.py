#!/usr/bin/python3
"""Regenerate testdata/oracle_cases.json from the cxaudit oracle.

    /usr/bin/python3 gen_oracle.py /path/to/shared/oracle > oracle_cases.json

Runs oracle.run() on every cases/*.csv with its spec (Debian bookworm:
scipy 1.10.1, statsmodels 0.13.5, numpy 1.24.2), records the inputs and outputs
of each interval function the oracle calls (proportion, nps_block, nps_diff,
prop_diff, mean_diff, mean_block incl. bootstrap_ci, median_block,
poisson_count), checks that the whole oracle output equals the stored
*.expected.json, and prints the de-duplicated records. The Go tests read only
the JSON; they never need Python or ../shared.
"""
import glob
import json
import math
import os
import sys

import numpy as np

ORACLE = sys.argv[1]
sys.path.insert(0, ORACLE)
import oracle  # noqa: E402

records = {}


def rec(kind, key, value):
    records.setdefault(kind, {})
    records[kind].setdefault(json.dumps(key, sort_keys=True), value)


def hist(x):
    v, c = np.unique(np.asarray(x, float), return_counts=True)
    return [float(a) for a in v], [int(b) for b in c]


def integral(x):
    return all(float(a).is_integer() for a in x)


orig = {name: getattr(oracle, name) for name in
        ["proportion", "nps_block", "nps_diff", "prop_diff", "mean_diff", "mean_block",
         "median_block", "poisson_count"]}


def proportion(k, n, conf):
    out = orig["proportion"](k, n, conf)
    if n > 0:
        rec("proportion", [k, n, conf], {"k": k, "n": n, "conf": conf, "ci": out["ci"], "alt": out["ci_alternatives"]})
    return out


def nps_block(vals, conf, boot=None):
    out = orig["nps_block"](vals, conf, boot)
    if out["n"] > 0:
        r = {"P": out["promoters"], "Pa": out["passives"], "D": out["detractors"], "conf": conf,
             "ci": out["ci"], "alt": out["ci_alternatives"]}
        scores = np.where(np.asarray(vals) >= 9, 1.0, np.where(np.asarray(vals) <= 6, -1.0, 0.0))
        if len(vals) >= 2:
            r["scores_mean"] = float(scores.mean())
            r["scores_sd"] = float(scores.std(ddof=1))
        key = [r["P"], r["Pa"], r["D"], conf, boot is not None]
        if boot is not None:
            r["boot"] = boot
        rec("nps", key, r)
    return out


def nps_diff(a, b, conf):
    out = orig["nps_diff"](a, b, conf)
    if out.get("ci"):
        ca, cb = oracle.nps_counts(a), oracle.nps_counts(b)
        rec("nps_diff", [ca, cb, conf], {"a": ca, "b": cb, "conf": conf, "out": out})
    return out


def prop_diff(k1, n1, k2, n2, conf):
    out = orig["prop_diff"](k1, n1, k2, n2, conf)
    if out.get("ci"):
        rec("prop_diff", [k1, n1, k2, n2, conf], {"k1": k1, "n1": n1, "k2": k2, "n2": n2, "conf": conf,
                                                   "ci": out["ci"], "alt": out["ci_alternatives"]})
    return out


def mean_diff(a, b, conf):
    out = orig["mean_diff"](a, b, conf)
    if len(a) >= 2 and len(b) >= 2:
        A, B = np.asarray(a, float), np.asarray(b, float)
        key = [hist(a), hist(b), conf]
        rec("mean_diff", key, {"na": len(a), "mean_a": float(A.mean()), "var_a": float(A.var(ddof=1)),
                               "nb": len(b), "mean_b": float(B.mean()), "var_b": float(B.var(ddof=1)),
                               "conf": conf, "ci": out["ci"]})
    return out


def mean_block(x, conf, boot=None, bounds=(-math.inf, math.inf), primary="t"):
    out = orig["mean_block"](x, conf, boot, bounds, primary)
    if len(x) >= 2:
        X = np.asarray(x, float)
        t = out["ci"] if out["ci"]["method"] == "student_t" else out["ci_alternatives"]["student_t"]
        r = {"n": len(x), "mean": float(X.mean()), "sd": float(X.std(ddof=1)), "conf": conf, "t": t}
        if boot is not None:
            bca = out["ci"] if out["ci"]["method"] == "bootstrap_bca" else out["ci_alternatives"]["bootstrap_bca"]
            r["bca"] = bca
            r["boot"] = boot
            if integral(x):
                r["hist_v"], r["hist_c"] = hist(x)
            else:
                r["raw"] = [float(a) for a in X]
        key = [hist(x), conf, boot is not None]
        rec("mean", key, r)
    return out


def median_block(x, conf):
    out = orig["median_block"](x, conf)
    if len(x) > 0:
        rec("median", [sorted(float(a) for a in x), conf],
            {"sorted": sorted(float(a) for a in x), "conf": conf, "value": out["value"], "ci": out["ci"],
             "alt": out["ci_alternatives"]})
    return out


def poisson_count(k, conf):
    out = orig["poisson_count"](k, conf)
    rec("garwood", [k, conf], {"k": k, "conf": conf, "ci": out["ci"]})
    return out


for name, fn in list(locals().items()):
    if name in orig:
        setattr(oracle, name, fn)

bad = 0
for spec_path in sorted(glob.glob(os.path.join(ORACLE, "cases", "*.spec.json"))):
    name = os.path.basename(spec_path)[:-len(".spec.json")]
    with open(spec_path) as fh:
        spec = json.load(fh)
    out = oracle.run(os.path.join(ORACLE, "cases", name + ".csv"), spec)
    with open(os.path.join(ORACLE, "cases", name + ".expected.json")) as fh:
        want = json.load(fh)
    want.pop("_meta", None)
    got = json.loads(json.dumps(out))
    if got != want:
        print(f"{name}: oracle output differs from expected.json", file=sys.stderr)
        bad += 1
    else:
        print(f"{name}: ok", file=sys.stderr)

result = {"_source": "gen_oracle.py: oracle.py (scipy 1.10.1, statsmodels 0.13.5) on ../shared/oracle/cases/*; "
                     "equal to *.expected.json"}
for kind, d in sorted(records.items()):
    result[kind] = list(d.values())
json.dump(result, sys.stdout, separators=(",", ":"), allow_nan=False)
sys.stdout.write("\n")
sys.exit(1 if bad else 0)
