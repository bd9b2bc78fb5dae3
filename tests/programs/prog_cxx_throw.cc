// prog_cxx_throw.cc — C++ exceptions under the cpu profile's signal, for
// e2e_cxx.sh: two threads each throw and catch THROWS exceptions (through
// three frames, the exception object and a string allocated each time)
// while main does the same; the profiling signal lands in the unwinder,
// the allocator and the loader's lookups of unwind tables. Prints
// "caught N" (all of them) and exits 0.
#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

static const int THROWS = 40000;
static std::atomic<long> caught;

__attribute__((noinline)) static void thrower(int i)
{
	if (i >= 0)
		throw std::runtime_error("round " + std::to_string(i));
}

__attribute__((noinline)) static void middle(int i)
{
	std::string keep(64, 'x');
	thrower(i);
	keep[0] = 'y';
}

__attribute__((noinline)) static void throw_and_catch()
{
	for (int i = 0; i < THROWS; i++) {
		try {
			middle(i);
		} catch (const std::runtime_error &e) {
			if (e.what()[0] == 'r')
				caught++;
		}
	}
}

int main()
{
	std::thread a(throw_and_catch), b(throw_and_catch);
	throw_and_catch();
	a.join();
	b.join();
	std::printf("caught %ld\n", caught.load());
	return 0;
}
