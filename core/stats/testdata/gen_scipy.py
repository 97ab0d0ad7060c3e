#!/usr/bin/python3
"""Regenerate testdata/scipy_ref.json: reference values on synthetic inputs.

    /usr/bin/python3 gen_scipy.py /path/to/shared/oracle > scipy_ref.json

Debian bookworm python3: scipy 1.10.1, statsmodels 0.13.5, numpy 1.24.2. Each
section of the output names the exact call that produced its numbers. The
oracle module is imported only for its HAND formulas (nps_adjusted, nps_tango,
median_order_stat_ci); everything else is a library call. Fixed numpy seeds.
"""
import json
import math
import sys
import warnings

import numpy as np
from scipy import stats
from scipy.stats import mstats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (confint_proportions_2indep, proportion_confint,
                                          proportions_ztest, test_proportions_2indep)
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

sys.path.insert(0, sys.argv[1])
import oracle  # noqa: E402

CONFS = [0.8, 0.9, 0.95, 0.99]
out = {}


def fl(x):
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


out["z"] = {"call": "scipy.stats.norm.ppf(1-(1-conf)/2)",
            "cases": [[c, float(stats.norm.ppf(1 - (1 - c) / 2))] for c in [0.5, 0.8, 0.9, 0.95, 0.99, 0.999]]}
out["tcrit"] = {"call": "scipy.stats.t.ppf(1-(1-conf)/2, df)",
                "cases": [[c, df, float(stats.t.ppf(1 - (1 - c) / 2, df))]
                          for c in CONFS for df in [1, 2, 3, 4.5, 7.3, 10, 29, 99, 1000, 123456.7]]}

props = []
for n in [1, 2, 3, 5, 10, 17, 30, 40, 100, 1000, 12345, 1000000]:
    ks = sorted({0, 1, 2, n // 3, n // 2, n - 2, n - 1, n} & set(range(n + 1)))
    for k in ks:
        for c in CONFS:
            r = {"k": k, "n": n, "conf": c}
            for name, m in [("wilson", "wilson"), ("agresti_coull", "agresti_coull"), ("jeffreys", "jeffreys"),
                            ("clopper_pearson", "beta"), ("wald", "normal")]:
                lo, hi = proportion_confint(k, n, alpha=1 - c, method=m)
                r[name] = [min(max(float(lo), 0.0), 1.0), min(max(float(hi), 0.0), 1.0)]
            props.append(r)
out["proportion"] = {"call": "statsmodels proportion_confint(k, n, alpha=1-conf, method=m), clipped to [0,1] as oracle.proportion",
                     "cases": props}

gar = []
for k in [0, 1, 2, 3, 5, 10, 50, 176, 1000, 100000, 10000000]:
    for c in CONFS:
        a = 1 - c
        lo = 0.0 if k == 0 else float(stats.chi2.ppf(a / 2, 2 * k) / 2)
        hi = float(stats.chi2.ppf(1 - a / 2, 2 * k + 2) / 2)
        gar.append([k, c, lo, hi])
out["garwood"] = {"call": "scipy.stats.chi2.ppf(alpha/2, 2k)/2 (0 at k=0), chi2.ppf(1-alpha/2, 2k+2)/2", "cases": gar}

rng = np.random.default_rng(12345)
pd_cases = []
grid = [(0, 10, 0, 10), (0, 10, 10, 10), (10, 10, 0, 10), (5, 10, 5, 10), (1, 3, 2, 3), (0, 1, 1, 1),
        (45, 100, 30, 100), (900, 1000, 880, 1000), (3, 40, 12, 41), (0, 25, 3, 30), (20, 20, 19, 20),
        (1, 2, 0, 5), (500, 1000, 500, 1000), (5000, 7000, 4000, 6000)]
for _ in range(12):
    n1, n2 = int(rng.integers(1, 300)), int(rng.integers(1, 300))
    grid.append((int(rng.integers(0, n1 + 1)), n1, int(rng.integers(0, n2 + 1)), n2))
for k1, n1, k2, n2 in grid:
    for c in [0.9, 0.95, 0.99]:
        nlo, nhi = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=1 - c)
        wlo, whi = confint_proportions_2indep(k1, n1, k2, n2, method="wald", compare="diff", alpha=1 - c)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sc = test_proportions_2indep(np.float64(k1), np.float64(n1), np.float64(k2), np.float64(n2), method="score", compare="diff")
            zs, zp = proportions_ztest([k1, k2], [n1, n2])
        pd_cases.append({"k1": k1, "n1": n1, "k2": k2, "n2": n2, "conf": c, "newcomb": [float(nlo), float(nhi)],
                         "wald": [float(wlo), float(whi)], "score_p": fl(sc.pvalue), "score_stat": fl(sc.statistic),
                         "pooled_z_p": fl(zp)})
out["prop_diff"] = {"call": "statsmodels confint_proportions_2indep(k1,n1,k2,n2, method='newcomb'|'wald', compare='diff', alpha=1-conf); "
                            "test_proportions_2indep(k1,n1,k2,n2, method='score', compare='diff') (correction=True); "
                            "proportions_ztest([k1,k2],[n1,n2])",
                    "cases": pd_cases}

welch = []
tmean = []
for i in range(16):
    na, nb = int(rng.integers(2, 60)), int(rng.integers(2, 60))
    if i == 0:
        na = nb = 2
    a = rng.lognormal(2, 1, na) if i % 2 else rng.integers(1, 6, na).astype(float)
    b = rng.lognormal(2.3, 0.7, nb) if i % 2 else rng.integers(1, 8, nb).astype(float)
    for c in [0.9, 0.95, 0.99]:
        cm = CompareMeans(DescrStatsW(a), DescrStatsW(b))
        lo, hi = cm.tconfint_diff(alpha=1 - c, usevar="unequal")
        t, p, df = cm.ttest_ind(usevar="unequal")
        welch.append({"na": na, "mean_a": float(a.mean()), "var_a": float(a.var(ddof=1)),
                      "nb": nb, "mean_b": float(b.mean()), "var_b": float(b.var(ddof=1)), "conf": c,
                      "ci": [float(lo), float(hi)], "df": float(df), "p": float(p)})
        d = DescrStatsW(a)
        lo, hi = d.tconfint_mean(alpha=1 - c)
        tmean.append({"n": na, "mean": float(a.mean()), "sd": float(a.std(ddof=1)), "conf": c,
                      "ci": [float(lo), float(hi)]})
out["welch"] = {"call": "statsmodels CompareMeans(DescrStatsW(a), DescrStatsW(b)).tconfint_diff(alpha=1-conf, usevar='unequal') "
                        "and .ttest_ind(usevar='unequal') -> (t, p, df); inputs summarised as n, mean, var(ddof=1)",
                "cases": welch}
out["tmean"] = {"call": "statsmodels DescrStatsW(a).tconfint_mean(alpha=1-conf); inputs n, mean, std(ddof=1)",
                "cases": tmean}

med = []
for n in list(range(1, 41)) + [50, 99, 100, 101, 257, 1000]:
    for c in [0.9, 0.95, 0.99]:
        x = np.sort(np.round(rng.lognormal(2.9, 1.2, n), 3))
        r = {"sorted": [float(v) for v in x], "conf": c, "median": float(np.median(x))}
        os_ = oracle.median_order_stat_ci(x, c)
        r["order_stat"] = None if os_["lo"] is None else [os_["lo"], os_["hi"], os_["rank_lo"], os_["rank_hi"],
                                                          os_["achieved_coverage"]]
        try:
            lo, hi = mstats.median_cihs(x, alpha=1 - c)
            r["hs"] = [float(lo), float(hi)]
        except Exception:  # scipy raises IndexError for small n
            r["hs"] = None
        med.append(r)
out["median"] = {"call": "numpy.median; oracle.median_order_stat_ci(x, conf); scipy.stats.mstats.median_cihs(x, alpha=1-conf) (None = raises)",
                 "cases": med}

ranks = []
for q in [0.005, 0.025000000000000022, 0.05, 0.1]:
    ranks.append({"q": q, "k": [int(stats.binom._ppf(q, n, 0.5)) for n in range(1, 3001)]})
out["binom_ppf"] = {"call": "int(scipy.stats.binom._ppf(q, n, 0.5)) for n = 1..3000 (what median_cihs uses)", "cases": ranks}

holm = []
for p in [[0.01, 0.04, 0.03, 0.005], [0.5, 0.5, 0.01], [0.2], [0.001, 0.9, 0.04, 0.04, 0.3, 0.02],
          list(rng.uniform(0, 0.2, 9))]:
    _, adj, _, _ = multipletests(p, method="holm")
    holm.append({"p": [float(v) for v in p], "adj": [float(v) for v in adj]})
out["holm"] = {"call": "statsmodels.stats.multitest.multipletests(p, method='holm')[1]", "cases": holm}

boot = []
datasets = [rng.integers(1, 6, 12).astype(float), rng.integers(0, 11, 40).astype(float),
            np.round(rng.lognormal(2, 1.3, 25), 2), rng.normal(10, 3, 60),
            np.array([-1.0] * 3 + [0.0] * 4 + [1.0] * 8), np.array([0.0] * 9 + [1.0])]
for i, x in enumerate(datasets):
    for c in [0.9, 0.95]:
        for method in ["BCa", "percentile"]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = stats.bootstrap((x,), np.mean, n_resamples=201 + 50 * i, method=method, confidence_level=c,
                                      random_state=1000 + i, vectorized=True)
            boot.append({"x": [float(v) for v in x], "conf": c, "method": method,
                         "theta_b": [float(v) for v in res.bootstrap_distribution],
                         "ci": [fl(res.confidence_interval.low), fl(res.confidence_interval.high)]})
out["bootstrap_given_distribution"] = {
    "call": "scipy.stats.bootstrap((x,), np.mean, n_resamples=B, method=m, confidence_level=conf, random_state=s, vectorized=True); "
            "theta_b = res.bootstrap_distribution", "cases": boot}

pct = []
a = rng.normal(0, 1, 37)
for q in [0, 0.1, 2.5, 2.7027027027027026, 50, 97.5, 99.99, 100]:
    pct.append([q, float(np.percentile(a, q))])
out["percentile"] = {"call": "numpy.percentile(a, q) (method='linear')", "a": [float(v) for v in a], "cases": pct}

tango = []
for P, D, n in [(1, 0, 1), (0, 1, 1), (1, 1, 3), (12, 0, 12), (0, 5, 5), (0, 0, 8), (45, 20, 100), (18, 0, 20),
                (85, 3, 100), (950, 10, 1000), (3, 30, 40), (7, 2, 10)]:
    for c in [0.9, 0.95, 0.99]:
        lo, hi = oracle.nps_tango(P, D, n, c)
        cen, se, var, na, (alo, ahi) = oracle.nps_adjusted(P, n - P - D, D, c)
        tango.append({"P": P, "D": D, "n": n, "conf": c, "tango": [float(lo), float(hi)],
                      "adj": {"center": cen, "se": se, "var": var, "n_adj": na, "lo": alo, "hi": ahi}})
out["nps"] = {"call": "oracle.nps_tango(P, D, n, conf) and oracle.nps_adjusted(P, n-P-D, D, conf) (HAND formulas, numpy)",
              "cases": tango}

json.dump(out, sys.stdout, separators=(",", ":"), allow_nan=False)
sys.stdout.write("\n")
