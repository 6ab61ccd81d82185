// The module a `build --all` thread builds, again and again, while the main
// thread makes the interface pass: more than half of what a thread spends on
// the reference policy's modules is V8 warming up (the interpreter and
// baseline code until the optimizing compiler has caught up), and the thread
// would otherwise wait on a CPU the main thread leaves idle. The module uses
// the support macros only (no interface is defined yet) and is what most
// modules are made of: types, aliases, attributes, a role, allow rules with
// sets (~ and - too) and permission sets, file patterns, type transitions (one
// named), a boolean with if/else, a tunable, ifdef, nested optional blocks,
// file contexts. (The devel Makefile and pp build it to the same CIL.)
// Its builds are thrown away; they use their own m4 state (and so memo).
import type { ModuleSources } from './compile.js';

const TE = `policy_module(porthole_warmup, 1.0)

gen_require(\`
	type bin_t, etc_t;
	attribute domain;
')

type warmup_t;
type warmup_exec_t;
type warmup_conf_t;
type warmup_log_t;
type warmup_tmp_t;
type warmup_runtime_t;
typealias warmup_runtime_t alias warmup_var_run_t;
attribute warmup_files;
typeattribute warmup_conf_t warmup_files;
typeattribute warmup_log_t warmup_files;
role system_r types warmup_t;

gen_tunable(warmup_tunable, false)
gen_bool(warmup_bool, true)

allow warmup_t warmup_files:file read_file_perms;
allow warmup_exec_t warmup_files:file read_file_perms;

allow warmup_t self:process { fork signal sigchld getsched };
allow warmup_t self:capability { chown setuid setgid };
allow warmup_t self:unix_stream_socket create_stream_socket_perms;
allow warmup_t warmup_exec_t:file { read_file_perms execute };
allow warmup_t { domain -warmup_t }:process ~{ transition ptrace };
read_files_pattern(warmup_t, warmup_conf_t, warmup_conf_t)
manage_files_pattern(warmup_t, warmup_log_t, warmup_log_t)
manage_dirs_pattern(warmup_t, warmup_tmp_t, warmup_tmp_t)
filetrans_pattern(warmup_t, warmup_tmp_t, warmup_runtime_t, file, "warmup.pid")
allow warmup_t { bin_t etc_t }:dir list_dir_perms;
dontaudit warmup_t domain:dir search;
auditallow warmup_t warmup_log_t:file write;
type_transition warmup_t warmup_tmp_t:file warmup_log_t;
type_transition warmup_t warmup_tmp_t:dir warmup_runtime_t "run";

if (warmup_bool && !warmup_tunable) {
	allow warmup_t warmup_log_t:file create;
} else {
	dontaudit warmup_t warmup_log_t:file create;
}

tunable_policy(\`warmup_tunable',\`
	allow warmup_t warmup_log_t:file append_file_perms;
',\`
	dontaudit warmup_t warmup_log_t:file write;
')

ifdef(\`distro_debian',\`
	allow warmup_t etc_t:file read_file_perms;
')

optional_policy(\`
	gen_require(\`
		type var_log_t;
	')
	allow warmup_t var_log_t:dir search_dir_perms;
	optional_policy(\`
		gen_require(\`
			type var_run_t;
		')
		allow warmup_t var_run_t:dir search_dir_perms;
	')
')
`;

const FC = `/usr/bin/warmup	--	gen_context(system_u:object_r:warmup_exec_t,s0)
/etc/warmup(/.*)?	gen_context(system_u:object_r:warmup_conf_t,s0)
/var/log/warmup\\.log.*	--	gen_context(system_u:object_r:warmup_log_t,s0)
/run/warmup\\.pid	--	gen_context(system_u:object_r:warmup_runtime_t,s0)
`;

/** The warm-up module's sources (it builds without a diagnostic over the support files alone). */
export const WARM_UP_MODULE: ModuleSources = {
  name: 'porthole_warmup',
  te: { name: '<warm-up>/porthole_warmup.te', text: TE },
  fc: { name: '<warm-up>/porthole_warmup.fc', text: FC },
};
