# tests/e2e/e2e.mk — end-to-end tests: programs run under the agent, their
# profiles read back through go tool pprof (any warning fails a test).
e2e_scripts = \
	tests/e2e/e2e_encoder.sh tests/e2e/e2e_launcher.sh \
	tests/e2e/e2e_heap_exact.sh tests/e2e/e2e_http.sh tests/e2e/e2e_http_windows.sh tests/e2e/e2e_http_abuse.sh tests/e2e/e2e_http_symbolz.sh tests/e2e/e2e_heap_accuracy.sh tests/e2e/e2e_contention.sh \
	tests/e2e/e2e_cxx.sh tests/e2e/e2e_threads.sh tests/e2e/e2e_options.sh \
	tests/e2e/e2e_fork_exec.sh tests/e2e/e2e_dlopen.sh tests/e2e/e2e_signal_interval.sh \
	tests/e2e/e2e_full_disk.sh tests/e2e/e2e_allocators.sh tests/e2e/e2e_system_program.sh \
	tests/e2e/e2e_dlopen_reuse.sh tests/e2e/e2e_fork_storm.sh \
	tests/e2e/e2e_host_signals.sh tests/e2e/e2e_host_fds.sh tests/e2e/e2e_host_lifetime.sh \
	tests/e2e/e2e_host_deadlocks.sh tests/e2e/e2e_host_files.sh tests/e2e/e2e_host_privileges.sh \
	tests/e2e/e2e_endings.sh tests/e2e/e2e_hook_shape.sh tests/e2e/e2e_cpu.sh \
	tests/e2e/e2e_exports.sh tests/e2e/e2e_private_deps.sh tests/e2e/e2e_libdw_fallbacks.sh \
	tests/e2e/e2e_install.sh \
	tests/e2e/e2e_host_waits.sh tests/e2e/e2e_text.sh tests/e2e/e2e_cpu_signal.sh tests/e2e/e2e_cpu_host.sh \
	tests/e2e/e2e_elsewhere.sh tests/e2e/e2e_cpu_programs.sh tests/e2e/e2e_thread_churn.sh
TESTS += $(e2e_scripts)
EXTRA_DIST += $(e2e_scripts) tests/e2e/lib.sh tests/e2e/http_lib.sh tests/e2e/http_abuse.py tests/e2e/dlopen_lib.sh
