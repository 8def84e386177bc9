"""pandas anchor for `npm run bench`: the same statistics as Sprint Zero's profile.

Usage: python3 bench/pandas_profile.py <file.csv|file.parquet>
Prints one JSON line: {"load_s": ..., "profile_s": ..., "rows": ..., "columns": ...}.
"""
import json
import sys
import time

import numpy as np
import pandas as pd

QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
MISSING_TOKENS = {"", "na", "n/a", "null", "none", "-", "?", "nan"}


def profile(df: pd.DataFrame) -> dict:
    out = {"rows": len(df), "duplicates": int(df.duplicated().sum()), "columns": {}}
    numeric = []
    categorical = []
    for name in df.columns:
        s = df[name]
        col = {"count": int(s.count()), "missing": int(s.isna().sum()), "distinct": int(s.nunique())}
        top = s.value_counts().head(10)
        col["top"] = [[str(k), int(v)] for k, v in top.items()]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            numeric.append(name)
            x = s.dropna()
            q = x.quantile(QUANTILES)
            iqr = q[0.75] - q[0.25]
            col.update(
                min=float(x.min()), max=float(x.max()), mean=float(x.mean()), std=float(x.std()),
                skew=float(x.skew()), kurt=float(x.kurt()), zeros=int((x == 0).sum()), negatives=int((x < 0).sum()),
                outliers=int(((x < q[0.25] - 1.5 * iqr) | (x > q[0.75] + 1.5 * iqr)).sum()),
                histogram=np.histogram(x, bins=20)[0].tolist(),
            )
        elif pd.api.types.is_datetime64_any_dtype(s):
            x = s.dropna()
            col.update(min=str(x.min()), max=str(x.max()), by_month=x.dt.to_period("M").value_counts().size,
                       by_dow=x.dt.dayofweek.value_counts().size, by_hour=x.dt.hour.value_counts().size,
                       midnight=int((x == x.dt.normalize()).sum()))
        else:
            x = s.dropna().astype(str)
            lengths = x.str.len()
            col.update(len_min=int(lengths.min()) if len(x) else None, len_max=int(lengths.max()) if len(x) else None,
                       missing_like=int(x.str.strip().str.lower().isin(MISSING_TOKENS).sum()),
                       shapes=x.str.replace(r"[A-Z]+", "A", regex=True).str.replace(r"[a-z]+", "a", regex=True)
                       .str.replace(r"[0-9]+", "9", regex=True).value_counts().head(10).size,
                       email=int(x.str.contains(r"^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$", regex=True).sum()))
            if col["distinct"] <= 30:
                categorical.append(name)
        out["columns"][name] = col
    nulls = df.isna()
    out["missing_cooccurrence"] = int((nulls.T.astype(int) @ nulls.astype(int)).values.sum())
    if len(numeric) > 1:
        out["pearson"] = df[numeric].corr(method="pearson").round(6).values.tolist()
        out["spearman"] = df[numeric].corr(method="spearman").round(6).values.tolist()
    out["cramers"] = []
    for i, a in enumerate(categorical):
        for b in categorical[i + 1:]:
            table = pd.crosstab(df[a], df[b]).values
            n = table.sum()
            expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / n
            chi2 = ((table - expected) ** 2 / np.where(expected == 0, 1, expected)).sum()
            out["cramers"].append(float(np.sqrt(chi2 / (n * max(1, min(table.shape) - 1)))))
    return out


def main() -> None:
    path = sys.argv[1]
    t0 = time.perf_counter()
    df = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)
    for name in df.columns:
        if df[name].dtype == object and "date" in name.lower():
            df[name] = pd.to_datetime(df[name], errors="coerce")
    t1 = time.perf_counter()
    result = profile(df)
    t2 = time.perf_counter()
    print(json.dumps({"load_s": t1 - t0, "profile_s": t2 - t1, "rows": result["rows"], "columns": len(df.columns)}))


if __name__ == "__main__":
    main()
