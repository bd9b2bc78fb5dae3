// prog_cxx.cc — C++ allocation under the agent, for e2e_cxx.sh (mem_rate=1).
// make_widgets does `new Widget` 37 times (Widget is 48 bytes) and keeps
// them; make_arrays does new int[25] 11 times and frees them with delete[];
// fill_containers uses std::string, std::vector and std::map.
#include <cstdio>
#include <map>
#include <string>
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

} // namespace robust

int main()
{
	robust::make_widgets(37);
	robust::make_arrays(11);
	std::printf("containers %zu\n", robust::fill_containers());
	robust::drop_widgets(10);
	return 0;
}
