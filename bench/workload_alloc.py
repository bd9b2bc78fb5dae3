# bench/workload_alloc.py — side-by-side.sh's Python workload: builds and
# drops dicts, lists, strings and bytes of many sizes (small ones come from
# Python's own pool allocator, large ones from malloc), a mix of what a
# Python service allocates. Prints nothing; the time is the figure.
# Usage: python3 bench/workload_alloc.py [ROUNDS]
import sys

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
kept = []
for r in range(rounds):
    table = {f"key-{i}": [i, str(i) * (i % 7 + 1), {"n": i}] for i in range(20000)}
    blobs = [bytes(64 + (i * 37) % 9000) for i in range(3000)]
    text = "".join(f"{k}={v[1]};" for k, v in table.items() if v[0] % 3 == 0)
    kept.append((len(table), len(blobs), len(text)))
    if len(kept) > 4:
        kept.pop(0)
