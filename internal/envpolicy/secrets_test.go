package envpolicy

import (
	"strings"
	"testing"
)

func TestSecretNamesAreTheOriginal36(t *testing.T) {
	if len(SecretNames) != 36 {
		t.Fatalf("len(SecretNames) = %d, want 36", len(SecretNames))
	}
	seen := map[string]bool{}
	for _, n := range SecretNames {
		if seen[n] {
			t.Errorf("duplicate %q", n)
		}
		seen[n] = true
		for _, spelling := range []string{n, strings.ToLower(n)} {
			if ok, rule := SecretRule(spelling, ""); !ok || rule != "known-name" {
				t.Errorf("SecretRule(%q) = %v, %q; want true, known-name", spelling, ok, rule)
			}
		}
	}
}

func TestSecretNamesCopyDoesNotChangeRules(t *testing.T) {
	saved := SecretNames[0]
	SecretNames[0] = "NOT_A_SECRET_NAME_ANY_MORE"
	defer func() { SecretNames[0] = saved }()
	if ok, _ := SecretRule(saved, ""); !ok {
		t.Errorf("changing SecretNames[0] removed %q from the rules", saved)
	}
}

// TestSecretNameRules lists names that must be secrets (with the rule that
// must report them) and names that must not.
func TestSecretNameRules(t *testing.T) {
	tests := []struct {
		name string
		rule string // "" means: must not be a secret
	}{
		// The original list, any case.
		{"GITHUB_TOKEN", "known-name"},
		{"github_token", "known-name"},
		{"DATABASE_URL", "known-name"},
		{"REDIS_URL", "known-name"},
		{"SENTRY_DSN", "known-name"},
		{"SSH_AUTH_SOCK", "known-name"},
		{"KUBECONFIG", "known-name"},
		{"MYSQL_PWD", "known-name"},
		// Extra exact names: agents, caches, credential files.
		{"GPG_AGENT_INFO", "known-name"},
		{"GNOME_KEYRING_CONTROL", "known-name"},
		{"VSCODE_GIT_IPC_HANDLE", "known-name"},
		{"KRB5CCNAME", "known-name"},
		{"KRB5_KTNAME", "known-name"},
		{"DOCKER_CONFIG", "known-name"},
		{"CLOUDSDK_CONFIG", "known-name"},
		{"GNUPGHOME", "known-name"},
		{"NETRC", "known-name"},
		{"PGPASSFILE", "known-name"},
		{"BW_SESSION", "known-name"},
		// Cloud prefixes.
		{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "prefix:AWS_"},
		{"AWS_WEB_IDENTITY_TOKEN_FILE", "prefix:AWS_"},
		{"AWS_CONFIG_FILE", "prefix:AWS_"},
		{"AWS_SHARED_CREDENTIALS_FILE", "prefix:AWS_"},
		{"aws_role_arn", "prefix:AWS_"},
		{"AZURE_CLIENT_ID", "prefix:AZURE_"},
		{"AZURE_CLIENT_SECRET", "prefix:AZURE_"},
		{"AZURE_STORAGE_CONNECTION_STRING", "prefix:AZURE_"},
		{"GCP_SERVICE_ACCOUNT", "prefix:GCP_"},
		{"OP_SESSION_my", "prefix:OP_SESSION_"},
		// TOKEN.
		{"CI_JOB_TOKEN", "pattern:TOKEN"},
		{"ACTIONS_RUNTIME_TOKEN", "pattern:TOKEN"},
		{"ACTIONS_ID_TOKEN_REQUEST_TOKEN", "pattern:TOKEN"},
		{"ACTIONS_ID_TOKEN_REQUEST_URL", "pattern:TOKEN"},
		{"BUILDKITE_AGENT_ACCESS_TOKEN", "pattern:TOKEN"},
		{"CIRCLE_TOKEN", "pattern:TOKEN"},
		{"NODE_AUTH_TOKEN", "pattern:TOKEN"},
		{"YARN_NPM_AUTH_TOKEN", "pattern:TOKEN"},
		{"npm_config__authToken", "pattern:TOKEN"},
		{"NPM_CONFIG__AUTHTOKEN", "pattern:TOKEN"},
		{"npm_config_//registry.npmjs.org/:_authToken", "pattern:TOKEN"},
		{"HF_TOKEN", "pattern:TOKEN"},
		{"HUGGING_FACE_HUB_TOKEN", "pattern:TOKEN"},
		{"CODECOV_TOKEN", "pattern:TOKEN"},
		{"SONAR_TOKEN", "pattern:TOKEN"},
		{"SYSTEM_ACCESSTOKEN", "pattern:TOKEN"},
		{"POETRY_PYPI_TOKEN_PYPI", "pattern:TOKEN"},
		{"TOKEN", "pattern:TOKEN"},
		{"GITHUB_TOKENS", "pattern:TOKEN"},
		{"githubToken", "pattern:TOKEN"},
		{"GOOGLE_OAUTH_ACCESS_TOKEN", "pattern:TOKEN"},
		// SECRET.
		{"CLIENT_SECRET", "pattern:SECRET"},
		{"JWT_SECRET", "pattern:SECRET"},
		{"DJANGO_SECRET_KEY", "pattern:SECRET"},
		{"SECRET_KEY_BASE", "pattern:SECRET"},
		{"MYSECRET", "pattern:SECRET"},
		{"app_secrets_json", "pattern:SECRET"},
		// PASSWORD and friends.
		{"TWINE_PASSWORD", "pattern:PASSWORD"},
		{"COSIGN_PASSWORD", "pattern:PASSWORD"},
		{"CI_REGISTRY_PASSWORD", "pattern:PASSWORD"},
		{"MYSQL_ROOT_PASSWORD", "pattern:PASSWORD"},
		{"npm_config_//host/:_password", "pattern:PASSWORD"},
		{"LDAP_PASSWD", "pattern:PASSWORD"},
		{"SIGNING_PASSPHRASE", "pattern:PASSWORD"},
		{"DB_PASS", "pattern:PASS"},
		{"SMTP_PASS_FILE", "pattern:PASS"},
		{"ORACLE_PWD", "pattern:*_PWD"},
		{"db_pwd", "pattern:*_PWD"},
		// KEY.
		{"GEM_HOST_API_KEY", "pattern:KEY"},
		{"GPG_PRIVATE_KEY", "pattern:KEY"},
		{"SSH_PRIVATE_KEY_B64", "pattern:KEY"},
		{"MINIO_ACCESS_KEY", "pattern:KEY"},
		{"SOPS_AGE_KEY_FILE", "pattern:KEY"},
		{"ENCRYPTION_KEYS", "pattern:KEY"},
		{"GOOGLE_CLOUD_KEYFILE_JSON", "pattern:KEY"},
		{"datadogApiKey", "pattern:KEY"},
		{"LICENSE_KEY", "pattern:KEY"},
		{"KEY", "pattern:KEY"},
		// CREDENTIAL.
		{"GOOGLE_APPLICATION_CREDENTIALS", "pattern:CREDENTIAL"},
		{"GOOGLE_CREDENTIALS", "pattern:CREDENTIAL"},
		{"CREDENTIALS_DIRECTORY", "pattern:CREDENTIAL"},
		{"REGISTRY_CREDS", "pattern:CREDENTIAL"},
		// AUTH.
		{"NPM_CONFIG__AUTH", "pattern:AUTH"},
		{"npm_config__auth", "pattern:AUTH"},
		{"HTTP_AUTHORIZATION", "pattern:AUTH"},
		{"PROXY_AUTH", "pattern:AUTH"},
		{"BASIC_AUTH_USER", "pattern:AUTH"},
		// JWT, DSN, connection strings.
		{"CI_JOB_JWT", "pattern:JWT"},
		{"CI_JOB_JWT_V2", "pattern:JWT"},
		{"PG_DSN", "pattern:DSN"},
		{"APPLICATIONINSIGHTS_CONNECTION_STRING", "pattern:CONNECTION_STRING"},
		{"SERVICEBUS_CONNSTR", "pattern:CONNECTION_STRING"},

		// Ordinary names.
		{"PATH", ""}, {"HOME", ""}, {"USER", ""}, {"LOGNAME", ""},
		{"LANG", ""}, {"LANGUAGE", ""}, {"LC_ALL", ""}, {"LC_CTYPE", ""},
		{"TERM", ""}, {"COLORTERM", ""}, {"PWD", ""}, {"OLDPWD", ""},
		{"SHELL", ""}, {"SHLVL", ""}, {"_", ""}, {"TMPDIR", ""},
		{"TZ", ""}, {"HOSTNAME", ""}, {"MAIL", ""}, {"EDITOR", ""},
		{"PAGER", ""}, {"LESS", ""}, {"LS_COLORS", ""}, {"HISTFILE", ""},
		{"DISPLAY", ""}, {"WAYLAND_DISPLAY", ""}, {"XDG_RUNTIME_DIR", ""},
		{"XDG_SESSION_ID", ""}, {"XDG_SESSION_TYPE", ""},
		{"DBUS_SESSION_BUS_ADDRESS", ""}, {"SESSION_MANAGER", ""},
		{"XAUTHORITY", ""}, {"ICEAUTHORITY", ""},
		{"GIT_AUTHOR_NAME", ""}, {"GIT_AUTHOR_EMAIL", ""},
		{"GIT_COMMITTER_NAME", ""}, {"OAUTH_CLIENT_ID", ""},
		{"KEYBOARD", ""}, {"MONKEY", ""}, {"KEYTIMEOUT", ""},
		{"XKB_DEFAULT_LAYOUT", ""}, {"LESSKEY", ""},
		{"TOKENIZERS_PARALLELISM", ""}, {"PASSTHROUGH", ""},
		{"BYPASS_CACHE", ""}, {"COMPASS_HOME", ""},
		{"NODE_ENV", ""}, {"NODE_PATH", ""}, {"NODE_EXTRA_CA_CERTS", ""},
		{"PYTHONPATH", ""}, {"PYTHONUNBUFFERED", ""}, {"VIRTUAL_ENV", ""},
		{"GOPATH", ""}, {"GOROOT", ""}, {"GOFLAGS", ""}, {"CARGO_HOME", ""},
		{"RUSTUP_HOME", ""}, {"JAVA_HOME", ""}, {"MAVEN_OPTS", ""},
		{"CLASSPATH", ""}, {"LD_PRELOAD", ""}, {"LDFLAGS", ""},
		{"CC", ""}, {"CFLAGS", ""}, {"PKG_CONFIG_PATH", ""},
		{"CI", ""}, {"GITHUB_ACTIONS", ""}, {"GITHUB_SHA", ""},
		{"GITHUB_REF", ""}, {"GITHUB_REPOSITORY", ""}, {"GITHUB_RUN_ID", ""},
		{"GITHUB_WORKSPACE", ""}, {"GITHUB_EVENT_PATH", ""},
		{"GITHUB_API_URL", ""}, {"GITHUB_SERVER_URL", ""}, {"GITHUB_ACTOR", ""},
		{"ACTIONS_CACHE_URL", ""}, {"RUNNER_OS", ""}, {"RUNNER_TEMP", ""},
		{"GITLAB_CI", ""}, {"CI_COMMIT_SHA", ""}, {"CI_PROJECT_DIR", ""},
		{"BUILDKITE_BRANCH", ""}, {"CIRCLE_SHA1", ""},
		{"AWS_REGION", ""}, {"AWS_DEFAULT_REGION", ""}, {"aws_profile", ""},
		{"AWS_PROFILE", ""}, {"AWS_EC2_METADATA_DISABLED", ""},
		{"GOOGLE_CLOUD_PROJECT", ""}, {"TWINE_USERNAME", ""},
		{"NPM_CONFIG_REGISTRY", ""}, {"npm_config_cache", ""},
		{"PIP_INDEX_URL", ""}, {"HTTPS_PROXY", ""}, {"NO_PROXY", ""},
		{"HF_HOME", ""}, {"SSH_CONNECTION", ""}, {"SSH_TTY", ""},
		{"DOCKER_HOST", ""}, {"KUBERNETES_SERVICE_HOST", ""},
		{"\xff\xfe", ""}, {"", ""},
	}
	for _, tt := range tests {
		ok, rule := SecretRule(tt.name, "")
		if rule != tt.rule || ok != (tt.rule != "") {
			t.Errorf("SecretRule(%q, \"\") = %v, %q; want %v, %q", tt.name, ok, rule, tt.rule != "", tt.rule)
		}
	}
}
