#!/usr/bin/python3
"""The scikit-learn side of `npm run bench:ml` (bench/ml/run.ts starts it, one fresh process per
model and data set, so ru_maxrss is that model's own peak).

Needs Debian's scikit-learn (1.2.1 on bookworm) under /usr/bin/python3:

    apt-get install -y python3-sklearn

Usage: /usr/bin/python3 bench/ml/sklearn_peer.py '<job json>'
  job = {"folder": ..., "estimator": "RandomForestClassifier", "kwargs": {...}, "warmupRows": 1000, "warmupRuns": 3}
Reads the same float64 files as the studio side (bench/ml/data.ts writes them), warms up on the
first training rows, times one fit, then times predict in the blocks the runner asks for on stdin
(bench/ml/timing-protocol.ts describes the lines), in turn with the studio side, and prints
`RESULT {json}`.
"""
import json
import os
import resource
import sys
import time

import numpy as np
import sklearn
from sklearn import ensemble, linear_model, naive_bayes, neighbors, neural_network, tree
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
import warnings

ESTIMATORS = {
    "LogisticRegression": linear_model.LogisticRegression,
    "LinearRegression": linear_model.LinearRegression,
    "Ridge": linear_model.Ridge,
    "DecisionTreeClassifier": tree.DecisionTreeClassifier,
    "DecisionTreeRegressor": tree.DecisionTreeRegressor,
    "RandomForestClassifier": ensemble.RandomForestClassifier,
    "RandomForestRegressor": ensemble.RandomForestRegressor,
    "HistGradientBoostingClassifier": ensemble.HistGradientBoostingClassifier,
    "HistGradientBoostingRegressor": ensemble.HistGradientBoostingRegressor,
    "KNeighborsClassifier": neighbors.KNeighborsClassifier,
    "GaussianNB": naive_bayes.GaussianNB,
    "MultinomialNB": naive_bayes.MultinomialNB,
    "MLPClassifier": neural_network.MLPClassifier,
}


def peak_rss_mb():
    """Peak RSS of this process in MB: VmHWM of /proc/self/status, else ru_maxrss (Linux: KiB).
    ru_maxrss survives exec on Linux, so it would report at least the RSS of the (Node) parent
    that forked this process; VmHWM belongs to this process's own address space."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def serve_timing_rounds(timed):
    """The runner's predict-timing protocol (bench/ml/timing-protocol.ts): `READY <kinds>`, then
    `warm|time <kind> <seconds>` lines answered `OK`, until `end`. Returns each kind's timed runs."""
    samples = {kind: [] for kind in timed}
    print("READY " + json.dumps(list(timed)), flush=True)
    while True:
        line = sys.stdin.readline()
        parts = line.split()
        if not line:
            raise ValueError("timing protocol: stdin closed before 'end'")
        if parts == ["end"]:
            break
        if len(parts) != 3 or parts[0] not in ("warm", "time") or parts[1] not in timed:
            raise ValueError(f"timing protocol: unexpected line {line!r}")
        verb, kind, budget = parts[0], parts[1], float(parts[2])
        f, kept = timed[kind], samples[kind]
        start = time.perf_counter()
        while True:
            t = time.perf_counter()
            f()
            if verb == "time":
                kept.append(time.perf_counter() - t)
            if time.perf_counter() - start >= budget:
                break
        print("OK" if verb == "warm" else f"OK {sum(kept)}", flush=True)
    return samples


def main():
    job = json.loads(sys.argv[1])
    folder = job["folder"]
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    d = meta["cols"]
    X_train = np.fromfile(os.path.join(folder, "X_train.f64"), dtype="<f8").reshape(-1, d)
    y_train = np.fromfile(os.path.join(folder, "y_train.f64"), dtype="<f8")
    X_test = np.fromfile(os.path.join(folder, "X_test.f64"), dtype="<f8").reshape(-1, d)
    y_test = np.fromfile(os.path.join(folder, "y_test.f64"), dtype="<f8")
    classification = meta["task"] == "classification"
    if classification:
        y_train = y_train.astype(np.int64)
        y_test = y_test.astype(np.int64)
        classes = meta.get("classes")
        if classes and not all(c.lstrip("-").isdigit() for c in classes):
            # Named classes (Iris's species, ham/spam): fit on the names, so that predict returns
            # them as the studio's exported model does, not their indices.
            names = np.array(classes)
            y_train = names[y_train]
            y_test = names[y_test]

    kwargs = dict(job["kwargs"])
    if "hidden_layer_sizes" in kwargs:
        kwargs["hidden_layer_sizes"] = tuple(kwargs["hidden_layer_sizes"])
    estimator = ESTIMATORS[job["estimator"]](**kwargs)

    caught = []
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", ConvergenceWarning)
        # Warm-up on a slice, as many times as the studio side does (imports, lazy init, caches).
        w = min(job["warmupRows"], len(y_train))
        for _ in range(job["warmupRuns"]):
            warm = clone(estimator).fit(X_train[:w], y_train[:w])
            warm.predict(X_test[: min(w, len(y_test))])
            del warm
        seen.clear()

        t = time.perf_counter()
        estimator.fit(X_train, y_train)
        fit_s = time.perf_counter() - t

        pred = estimator.predict(X_test)
        # Peak memory after the fit and one predict, as on the studio side.
        max_rss_mb = peak_rss_mb()
        caught = sorted({str(x.message).split("\n")[0][:160] for x in seen})

    times = sorted(serve_timing_rounds({"predict": lambda: estimator.predict(X_test)})["predict"])
    predict_s = times[len(times) // 2] if times else None

    score = accuracy_score(y_test, pred) if classification else r2_score(y_test, pred)
    extra = {}
    n_iter = getattr(estimator, "n_iter_", None)
    if n_iter is not None:
        extra["n_iter"] = int(np.max(n_iter))
    print(
        "RESULT "
        + json.dumps(
            {
                "score": float(score),
                "fitS": fit_s,
                "predictS": predict_s,
                "maxRssMb": max_rss_mb,
                "sklearn": sklearn.__version__,
                "numpy": np.__version__,
                "warnings": caught,
                **extra,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # reported in the table's notes, the run goes on
        print("RESULT " + json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
        sys.exit(1)
