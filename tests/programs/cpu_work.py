# cpu_work.py — CPU-bound Python for the cpu profile's real-program test:
# interpreted recursion (fib), then zlib.compress at level 9 (C code the
# interpreter calls: zlib's deflate). Prints the main thread's CPU time in
# ns at the end (time.thread_time_ns: the thread's own CPU clock; the
# script runs on that one thread).
import time
import zlib


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def compress_loop(rounds):
    data = b"pprof-agent profiles native code; " * 8000
    for _ in range(rounds):
        zlib.compress(data, 9)


fib(24)
compress_loop(200)
print(time.thread_time_ns())
