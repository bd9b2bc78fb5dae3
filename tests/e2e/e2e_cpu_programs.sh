#!/bin/sh
# e2e_cpu_programs.sh — the cpu profile of real programs nobody here wrote,
# through the launcher, read by go tool pprof without a warning:
#  - python3.11 running a CPU-bound script (tests/programs/cpu_work.py):
#    the interpreter's eval loop holds most of the time, the C function it
#    calls (zlib's deflate) shows, and the profile's total is the script's
#    own CPU time (its thread's clock) within 10%;
#  - gcc -O2 -c: the compiler proper (cc1, executed by the driver) has a cpu
#    profile of its own that shows its passes (toplev::main over most of the
#    time, execute_one_pass), named from cc1's exported symbols.
. "${top_srcdir:-.}/tests/e2e/lib.sh"
PY=/usr/bin/python3.11

# -- python --
if [ -x "$PY" ]; then
	ns=$("$LAUNCHER" --cpu-hz=1000 --dir="$WORK/py" -- "$PY" "$top_srcdir/tests/programs/cpu_work.py" 2>"$WORK/py.err")
	check_eq "python's exit status" "$?" 0
	check_eq "stderr of the profiled python" "$(cat "$WORK/py.err")" ""
	f=$(latest "$WORK/py" cpu)
	if pprof "$WORK/py.top" "$f" -top -cum -unit=ms -nodecount=200; then
		check_between "_PyEval_EvalFrameDefault's cum share (%)" "$(cum_pct "$WORK/py.top" _PyEval_EvalFrameDefault)" 50 100
		check_between "deflate's cum share (%)" "$(cum_pct "$WORK/py.top" deflate)" 5 100
		check_within "python's cpu profile total (ms) against its thread's CPU clock" \
			"$(total_ms "$WORK/py.top")" "$(awk -v n="${ns:-0}" 'BEGIN { printf "%.0f", n / 1e6 }')" 10
	fi
else
	echo "note: $PY is not installed; the python part is skipped"
fi

# -- gcc --
cat >"$WORK/unit.c" <<'C'
#include <stdlib.h>
#include <string.h>
struct node { struct node *next; char key[32]; long value; };
static unsigned hash(const char *s) { unsigned h = 5381; while (*s) h = h * 33 + (unsigned char)*s++; return h; }
long sum_table(struct node **table, unsigned n, const char *const *keys, unsigned nkeys)
{
	long sum = 0;
	for (unsigned k = 0; k < nkeys; k++)
		for (struct node *p = table[hash(keys[k]) % n]; p; p = p->next)
			if (strcmp(p->key, keys[k]) == 0)
				sum += p->value;
	return sum;
}
C
for i in 1 2 3 4 5 6 7 8; do
	sed "s/sum_table/sum_table_$i/; s/hash(/hash_$i(/g; s/struct node/struct node_$i/g" "$WORK/unit.c"
done >"$WORK/many.c"
"$LAUNCHER" --cpu-hz=1000 --dir="$WORK/gcc" -- gcc -O2 -c -o "$WORK/many.o" "$WORK/many.c" 2>"$WORK/gcc.err"
check_eq "gcc's exit status" "$?" 0
check_eq "stderr of the profiled gcc" "$(cat "$WORK/gcc.err")" ""
f=$(ls "$WORK/gcc"/cc1.*.cpu.*.pb.gz 2>/dev/null | sort | tail -n 1)
if pprof "$WORK/cc1.top" "$f" -top -cum -unit=ms -nodecount=300; then
	check_between "toplev::main's cum share in cc1 (%)" "$(cum_pct "$WORK/cc1.top" toplev::main)" 70 100
	check_grep "cc1's passes (execute_one_pass)" " execute_one_pass$" "$WORK/cc1.top"
fi
finish
