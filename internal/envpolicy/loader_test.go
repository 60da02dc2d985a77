package envpolicy

import "testing"

func TestLoaderInjection(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"LD_PRELOAD", true}, {"ld_preload", true}, {"LD_LIBRARY_PATH", true},
		{"LD_AUDIT", true}, {"LD_DEBUG_OUTPUT", true}, {"LD_BIND_NOW", true},
		{"DYLD_INSERT_LIBRARIES", true}, {"GCONV_PATH", true},
		{"GETCONF_DIR", true}, {"GLIBC_TUNABLES", true}, {"HOSTALIASES", true},
		{"LOCALDOMAIN", true}, {"LOCPATH", true}, {"MALLOC_TRACE", true},
		{"MALLOC_ARENA_MAX", true}, {"NLSPATH", true}, {"NIS_PATH", true},
		{"RES_OPTIONS", true}, {"RESOLV_HOST_CONF", true}, {"TZDIR", true},
		{"OPENSSL_CONF", true}, {"OPENSSL_MODULES", true},
		{"NODE_OPTIONS", true}, {"NODE_REPL_EXTERNAL_MODULE", true},
		{"PYTHONSTARTUP", true}, {"PYTHONPATH", true}, {"PYTHONHOME", true},
		{"PYTHONINSPECT", true}, {"PYTHONBREAKPOINT", true},
		{"PYTHONUSERBASE", true}, {"PYTHONWARNINGS", true},
		{"PERL5LIB", true}, {"PERL5OPT", true}, {"PERLLIB", true},
		{"RUBYOPT", true}, {"RUBYLIB", true}, {"PHPRC", true},
		{"LUA_INIT", true}, {"LUA_INIT_5_4", true},
		{"JAVA_TOOL_OPTIONS", true}, {"_JAVA_OPTIONS", true},
		{"JDK_JAVA_OPTIONS", true}, {"BASH_ENV", true}, {"ENV", true},
		{"ZDOTDIR", true}, {"SHELLOPTS", true}, {"BASHOPTS", true},
		{"PS4", true}, {"IFS", true}, {"CDPATH", true},
		{"PROMPT_COMMAND", true}, {"BASH_FUNC_ls%%", true},
		{"GIT_SSH", true}, {"GIT_SSH_COMMAND", true}, {"GIT_EXEC_PATH", true},
		{"GIT_CONFIG", true}, {"GIT_CONFIG_GLOBAL", true},
		{"GIT_CONFIG_PARAMETERS", true}, {"GIT_CONFIG_KEY_0", true},
		{"GIT_PROXY_COMMAND", true}, {"GIT_DIR", true}, {"GIT_WORK_TREE", true},
		{"GIT_ASKPASS", true}, {"SSH_ASKPASS", true}, {"SUDO_ASKPASS", true},
		{"VSCODE_GIT_ASKPASS_NODE", true},

		{"PATH", false}, {"HOME", false}, {"TMPDIR", false},
		{"NODE_PATH", false}, {"NODE_ENV", false}, {"NODE_EXTRA_CA_CERTS", false},
		{"CLASSPATH", false}, {"PYTHONUNBUFFERED", false},
		{"PYTHONDONTWRITEBYTECODE", false}, {"PYTHONHASHSEED", false},
		{"LDFLAGS", false}, {"LD", false}, {"EDITOR", false}, {"PAGER", false},
		{"ENVIRONMENT", false}, {"PS1", false}, {"TZ", false},
		{"GIT_SSL_NO_VERIFY", false}, {"GIT_AUTHOR_NAME", false},
		{"GIT_TERMINAL_PROMPT", false}, {"LANG", false}, {"", false},
		{"\xffLD_PRELOAD", false},
	}
	for _, tt := range tests {
		if got := LoaderInjection(tt.name); got != tt.want {
			t.Errorf("LoaderInjection(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestLoaderAndSecretRulesAreSeparate: loader variables are not secrets, so
// that env_set may set them.
func TestLoaderAndSecretRulesAreSeparate(t *testing.T) {
	for _, name := range []string{"LD_PRELOAD", "NODE_OPTIONS", "PYTHONPATH", "GIT_ASKPASS", "BASH_ENV"} {
		if ok, rule := SecretRule(name, ""); ok {
			t.Errorf("SecretRule(%q) = %q; a loader variable must stay settable", name, rule)
		}
	}
}
