// prog_cxx.cc — C++ allocation under the agent, for e2e_cxx.sh (mem_rate=1).
// make_widgets does `new Widget` 37 times (Widget is 48 bytes) and keeps
// them; make_arrays does new int[25] 11 times and frees them with delete[];
// fill_containers uses std::string, std::vector and std::map.
// Two lambdas, each inlined into run_twice's copy for it, allocate 2 x 160
// and 2 x 320 bytes: one in first_lambda_user, one in second_lambda_user.
// A thread (std::thread, started with a lambda) runs grow_box, a member of
// a class in an anonymous namespace that fills a std::vector<int> with 1000
// elements. main starts that thread after the rest, so that the compiler
// places the thread's setup, with its cold path, at main's end, just
// before the C start-up code _start, which has no debug information.
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace robust {

struct Widget {
	long a[6];
};
static_assert(sizeof(Widget) == 48, "Widget size");

static Widget *widgets[64];
static void *volatile escape;

__attribute__((noinline)) void make_widgets(int n)
{
	for (int i = 0; i < n; i++)
		widgets[i] = new Widget();
	asm volatile("" ::: "memory");
}

__attribute__((noinline)) void make_arrays(int n)
{
	for (int i = 0; i < n; i++) {
		int *a = new int[25];
		escape = a;
		delete[] static_cast<int *>(escape);
	}
	asm volatile("" ::: "memory");
}

__attribute__((noinline)) size_t fill_containers()
{
	std::vector<std::string> v;
	std::map<std::string, int> m;
	for (int i = 0; i < 200; i++) {
		std::string s = "a string long enough to leave the SSO buffer #" + std::to_string(i);
		v.push_back(s);
		m[s] = i;
	}
	return v.size() + m.size();
}

__attribute__((noinline)) void drop_widgets(int n)
{
	for (int i = 0; i < n; i++)
		delete widgets[i];
}

template <typename F> __attribute__((noinline)) void run_twice(F f)
{
	f();
	f();
}

__attribute__((noinline)) void first_lambda_user()
{
	run_twice([]() __attribute__((always_inline)) { escape = new char[160]; });
}

__attribute__((noinline)) void second_lambda_user()
{
	run_twice([]() __attribute__((always_inline)) { escape = new char[320]; });
}

namespace {
struct Box {
	std::vector<int> v;
	void grow(int n)
	{
		for (int i = 0; i < n; i++)
			v.push_back(i);
	}
};
} // namespace

__attribute__((noinline)) size_t grow_box()
{
	Box b;
	b.grow(1000);
	return b.v.size();
}

} // namespace robust

int main()
{
	robust::make_widgets(37);
	robust::make_arrays(11);
	std::printf("containers %zu\n", robust::fill_containers());
	robust::drop_widgets(10);
	robust::first_lambda_user();
	robust::second_lambda_user();
	size_t box = 0;
	std::thread t([&box] { box = robust::grow_box(); });
	t.join();
	std::printf("box %zu\n", box);
	return 0;
}
