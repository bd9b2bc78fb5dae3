# bench/report.awk — turns side-by-side.sh's results into markdown tables,
# one per workload, one row per configuration. Input lines, tab-separated:
#   WORKLOAD CONFIG ROUND MICROSECONDS CPU_MICROSECONDS MAXRSS_KB METRIC
# A ratio is taken within each round (the configuration's figure over the
# figure of "none", or of its base, in the same round) and shown as the
# median over rounds with the min–max in brackets; absolute figures are
# medians. The "× base" column compares a profiler with the configuration
# it is best judged against, on the program's own figure where it prints
# one (ns per operation; the snapshot ms of bench_stacks), else on CPU time.
# Variable bases: "config=base ..." pairs.

# The median of a[1..n], which it sorts; sets lo and hi to the extremes.
function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	lo = a[1]; hi = a[n]
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

# The ratio of field f (1 = wall, 2 = cpu, 3 = max RSS, 4 = metric) of cfg
# to that of ref in every round of workload w, as "median (min–max)".
function ratio(w, cfg, ref, f,    r, n, x, y, v, m) {
	n = 0
	for (r = 1; r <= rounds[w]; r++) {
		x = val[w, cfg, r, f]; y = val[w, ref, r, f]
		if (x == "" || x == "-" || y == "" || y == "-" || y == 0)
			continue
		v[++n] = x / y
	}
	if (n == 0 || cfg == ref)
		return "–"
	m = median(v, n)
	return sprintf("%.2f (%.2f–%.2f)", m, lo, hi)
}

# The median of field f of cfg over the rounds of workload w, times scale.
function absolute(w, cfg, f, scale,    r, n, v) {
	n = 0
	for (r = 1; r <= rounds[w]; r++)
		if (val[w, cfg, r, f] != "" && val[w, cfg, r, f] != "-")
			v[++n] = val[w, cfg, r, f] * scale
	return n ? sprintf("%.1f", median(v, n)) : "–"
}

BEGIN {
	FS = "\t"
	nb = split(bases, pairs, " ")
	for (i = 1; i <= nb; i++) {
		split(pairs[i], kv, "=")
		base[kv[1]] = kv[2]
	}
}

{
	w = $1; cfg = $2; r = $3
	if (!(w in seen)) { seen[w] = 1; order[++nw] = w }
	if (!((w, cfg) in cseen)) { cseen[w, cfg] = 1; cfgs[w, ++nc[w]] = cfg }
	val[w, cfg, r, 1] = $4
	val[w, cfg, r, 2] = $5
	val[w, cfg, r, 3] = $6
	val[w, cfg, r, 4] = $7
	if (r > rounds[w]) rounds[w] = r
}

END {
	for (i = 1; i <= nw; i++) {
		w = order[i]
		printf "\n%s (%d rounds)\n\n", w, rounds[w]
		print "| configuration | wall ms | × none | cpu ms | × none | max RSS MiB | own figure | × none | × base |"
		print "|---|---|---|---|---|---|---|---|---|"
		for (j = 1; j <= nc[w]; j++) {
			cfg = cfgs[w, j]
			f = val[w, cfg, 1, 4] == "-" ? 2 : 4
			b = cfg in base ? base[cfg] ": " ratio(w, cfg, base[cfg], f) : ""
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", cfg,
				absolute(w, cfg, 1, 0.001), ratio(w, cfg, "none", 1),
				absolute(w, cfg, 2, 0.001), ratio(w, cfg, "none", 2),
				absolute(w, cfg, 3, 1 / 1024), absolute(w, cfg, 4, 1),
				ratio(w, cfg, "none", 4), b
		}
	}
}
