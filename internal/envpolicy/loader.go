package envpolicy

import "strings"

// LoaderInjection reports whether name (compared ignoring ASCII case) is a
// loader-injection variable: one that makes the dynamic loader, the C
// library, a language runtime, a shell or git load or run code, or read
// configuration that can, before the sandboxed program's own code is in
// control. Such variables are never inherited; [Policy.Set] is the only way
// to give one to the sandbox. The table covers the dynamic loader, glibc,
// OpenSSL, node, python, perl, ruby, php, lua, java, shells, git and askpass
// helpers; the reason for each entry and each omission is documented on
// loaderPrefixes in loader.go.
func LoaderInjection(name string) bool {
	return loaderRule(name) != ""
}

// loaderRule returns the identifier of the loader rule matching name, or "".
func loaderRule(name string) string {
	u := upperASCII(name)
	if loaderExact[u] {
		return "loader:" + u
	}
	for _, p := range loaderPrefixes {
		if strings.HasPrefix(u, p) {
			return "loader:" + p + "*"
		}
	}
	if strings.Contains(u, "ASKPASS") {
		return "loader:*ASKPASS*"
	}
	return ""
}

// loaderPrefixes and loaderExact are the loader-injection table. What is in
// it, and why:
//
//   - Dynamic loader: LD_* (every glibc and musl loader variable:
//     LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, LD_DEBUG_OUTPUT...), and DYLD_*
//     for macOS.
//   - glibc's list of variables it ignores in setuid programs, because they
//     load code or files: GCONV_PATH, GETCONF_DIR, GLIBC_TUNABLES,
//     HOSTALIASES, LOCALDOMAIN, LOCPATH, MALLOC_* (MALLOC_TRACE writes a
//     file), NIS_PATH, NLSPATH, RES_OPTIONS, RESOLV_*, TZDIR. TMPDIR, also
//     on that list, is not here: it only says where temporary files go, and
//     what is writable is the filesystem layer's business.
//   - OpenSSL loads engines and providers named by its configuration:
//     OPENSSL_CONF, OPENSSL_ENGINES, OPENSSL_MODULES.
//   - Node: NODE_OPTIONS (--require, --import, --inspect...),
//     NODE_REPL_EXTERNAL_MODULE. NODE_PATH is not here: it only adds
//     directories searched after node_modules for bare module names and
//     runs nothing by itself (and it is a common passthrough name).
//     NODE_EXTRA_CA_CERTS is not here either: it adds trust anchors, loads
//     no code.
//   - Python: PYTHONPATH (its entries come before the standard library, so
//     they can shadow it), PYTHONHOME, PYTHONSTARTUP, PYTHONINSPECT,
//     PYTHONBREAKPOINT, PYTHONUSERBASE, PYTHONEXECUTABLE, PYTHONPLATLIBDIR,
//     PYTHONWARNINGS (a warning category imports a module). Harmless
//     settings (PYTHONUNBUFFERED, PYTHONHASHSEED...) pass.
//   - Perl: PERL5LIB, PERLLIB, PERL5OPT, PERL5DB. Ruby: RUBYOPT, RUBYLIB.
//     PHP: PHPRC, PHP_INI_SCAN_DIR. Lua: LUA_INIT*.
//   - Java: JAVA_TOOL_OPTIONS, _JAVA_OPTIONS, JDK_JAVA_OPTIONS (-javaagent).
//     CLASSPATH is not here: like NODE_PATH it is a search path that cannot
//     shadow the runtime's own classes.
//   - Shells: BASH_ENV, ENV, ZDOTDIR (startup files), BASH_FUNC_* (exported
//     functions that replace commands), SHELLOPTS, BASHOPTS, PS4,
//     PROMPT_COMMAND, BASH_XTRACEFD, IFS, CDPATH, GLOBIGNORE.
//   - git: GIT_SSH* (GIT_SSH, GIT_SSH_COMMAND), GIT_CONFIG* (GIT_CONFIG,
//     GIT_CONFIG_GLOBAL, GIT_CONFIG_PARAMETERS, GIT_CONFIG_COUNT,
//     GIT_CONFIG_KEY_n/VALUE_n), GIT_EXEC_PATH, GIT_PROXY_COMMAND,
//     GIT_EXTERNAL_DIFF, GIT_TEMPLATE_DIR (hooks), and GIT_DIR,
//     GIT_COMMON_DIR, GIT_WORK_TREE (they point git at one of the caller's
//     repositories, with its hooks and configuration).
//   - *ASKPASS* (GIT_ASKPASS, SSH_ASKPASS, SUDO_ASKPASS,
//     VSCODE_GIT_ASKPASS_*): programs run to obtain a password.
//
// Programs that tools run only on request (EDITOR, PAGER, LESSOPEN) are not
// here: the sandboxed code can set any variable for its own children, so
// only what acts before it is in control, or hands it the caller's helpers,
// matters.
var loaderPrefixes = []string{
	"LD_", "DYLD_", "MALLOC_", "RESOLV_", "LUA_INIT", "BASH_FUNC_",
	"GIT_SSH", "GIT_CONFIG",
}

// loaderExact holds the exact names of the loader-injection table, upper case.
var loaderExact = map[string]bool{
	"GCONV_PATH": true, "GETCONF_DIR": true, "GLIBC_TUNABLES": true,
	"HOSTALIASES": true, "LOCALDOMAIN": true, "LOCPATH": true,
	"NIS_PATH": true, "NLSPATH": true, "RES_OPTIONS": true, "TZDIR": true,
	"OPENSSL_CONF": true, "OPENSSL_ENGINES": true, "OPENSSL_MODULES": true,
	"NODE_OPTIONS": true, "NODE_REPL_EXTERNAL_MODULE": true,
	"PYTHONPATH": true, "PYTHONHOME": true, "PYTHONSTARTUP": true,
	"PYTHONINSPECT": true, "PYTHONBREAKPOINT": true, "PYTHONUSERBASE": true,
	"PYTHONEXECUTABLE": true, "PYTHONPLATLIBDIR": true, "PYTHONWARNINGS": true,
	"PERL5LIB": true, "PERLLIB": true, "PERL5OPT": true, "PERL5DB": true,
	"RUBYOPT": true, "RUBYLIB": true, "PHPRC": true, "PHP_INI_SCAN_DIR": true,
	"JAVA_TOOL_OPTIONS": true, "_JAVA_OPTIONS": true, "JDK_JAVA_OPTIONS": true,
	"BASH_ENV": true, "ENV": true, "ZDOTDIR": true, "SHELLOPTS": true,
	"BASHOPTS": true, "PS4": true, "PROMPT_COMMAND": true,
	"BASH_XTRACEFD": true, "IFS": true, "CDPATH": true, "GLOBIGNORE": true,
	"GIT_EXEC_PATH": true, "GIT_PROXY_COMMAND": true, "GIT_EXTERNAL_DIFF": true,
	"GIT_TEMPLATE_DIR": true, "GIT_DIR": true, "GIT_COMMON_DIR": true,
	"GIT_WORK_TREE": true,
}
