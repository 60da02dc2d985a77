package envpolicy

import (
	"strings"
	"testing"
)

// TestSecretValueRules lists values that must be secrets (with the rule
// that must report them) and values that must not. The name is harmless, so
// only the value decides.
func TestSecretValueRules(t *testing.T) {
	r := func(n int) string { return strings.Repeat("a1B2", n)[:n] }
	tests := []struct {
		name  string // defaults to SOME_VAR
		value string
		rule  string // "" means: must not be a secret
	}{
		// URLs with a password.
		{"HTTPS_PROXY", "http://user:pass@proxy.example:3128", "value:url-credentials"},
		{"", "postgres://app:s3cr3t@db.internal:5432/app", "value:url-credentials"},
		{"", "redis://:hunter2@cache:6379/0", "value:url-credentials"},
		{"", "amqp://guest:guest@rabbit/", "value:url-credentials"},
		{"PIP_INDEX_URL", "https://__token__:pypi-abc@upload.pypi.org/simple/", "value:url-credentials"},
		{"PIP_EXTRA_INDEX_URL", "https://pypi.org/simple https://u:tok@pkgs.example/simple", "value:url-credentials"},
		{"", "http://plain.example,http://u:p@second.example", "value:url-credentials"},
		{"CI_REPOSITORY_URL", "https://gitlab-ci-token:abc123@gitlab.example/g/p.git", "value:url-credentials"},
		{"", "https://user:p@ss@host.example/", "value:url-credentials"},
		{"", "https://user:p%40ss@host.example/x?y=1", "value:url-credentials"},
		{"http_proxy", "user:pw@proxy.example:8080", "value:url-credentials"},
		{"ALL_PROXY", " socks5h://u:p@proxy:1080 ", "value:url-credentials"},
		// Authorization headers.
		{"GIT_CONFIG_PARAMETERS", "'http.extraheader'='AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW4='", "value:authorization-header"},
		{"", "Authorization: Bearer abcdefgh", "value:authorization-header"},
		{"", "Bearer abcdefghijklmnop1234", "value:authorization-header"},
		// Token formats.
		{"", "ghp_" + r(36), "value:github-token"},
		{"", "token ghs_" + r(36), "value:github-token"},
		{"", "github_pat_" + r(82), "value:github-token"},
		{"", "https://ghp_" + r(36) + "@github.com/o/r", "value:github-token"},
		{"", "glpat-" + r(20), "value:gitlab-token"},
		{"", "glrt-" + r(24), "value:gitlab-token"},
		{"", "xoxb-123456789012-" + r(24), "value:slack-token"},
		{"", "xoxp-" + r(40), "value:slack-token"},
		{"", "https://hooks.slack.com/services/T000/B000/" + r(24), "value:slack-token"},
		{"", "https://discord.com/api/webhooks/1234567890/" + r(60), "value:discord-webhook"},
		{"", "sk-" + r(48), "value:sk-token"},
		{"", "sk-proj-" + r(100), "value:sk-token"},
		{"", "sk-ant-api03-" + r(90), "value:sk-token"},
		{"", "sk_live_" + r(24), "value:stripe-token"},
		{"", "rk_test_" + r(24), "value:stripe-token"},
		{"", "AKIAIOSFODNN7EXAMPLE", "value:aws-access-key-id"},
		{"", "id=ASIAIOSFODNN7EXAMPLE;", "value:aws-access-key-id"},
		{"", "npm_" + r(36), "value:npm-token"},
		{"", "pypi-" + r(120), "value:pypi-token"},
		{"", "hf_" + r(34), "value:huggingface-token"},
		{"", "AIza" + r(35), "value:google-api-key"},
		{"", "dckr_pat_" + r(27), "value:docker-token"},
		{"", "dop_v1_" + strings.Repeat("ab12", 16), "value:digitalocean-token"},
		{"", "hvs." + r(90), "value:vault-token"},
		{"", "SG." + r(22) + "." + r(43), "value:sendgrid-token"},
		{"", "shpat_" + strings.Repeat("abcd", 8), "value:shopify-token"},
		{"", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig", "value:jwt"},
		{"", "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----", "value:private-key"},
		{"", "-----BEGIN OPENSSH PRIVATE KEY-----", "value:private-key"},
		{"", "-----BEGIN PRIVATE KEY-----", "value:private-key"},
		{"", "-----BEGIN PGP PRIVATE KEY BLOCK-----", "value:private-key"},

		// Ordinary values.
		{"PATH", "/usr/local/bin:/usr/bin:/bin", ""},
		{"HTTPS_PROXY", "http://proxy.example:3128", ""},
		{"HTTPS_PROXY", "proxy.example:3128", ""},
		{"NO_PROXY", "localhost,127.0.0.1,.internal", ""},
		{"", "http://[::1]:8080/path", ""},
		{"", "https://host.example/search?q=a@b.com", ""},
		{"", "https://user:@host.example/", ""},
		{"", "ssh://git@github.com/o/r.git", ""},
		{"", "git@github.com:o/r.git", ""},
		{"", "a:b@c", ""}, // not a URL, and not a proxy variable
		{"", "user@example.com", ""},
		{"", "/opt/desk-" + r(40) + "/bin", ""},
		{"", "/opt/sk-short/bin", ""},
		{"", "task-" + r(40), ""},
		{"", "ghp_short", ""},
		{"", "AKIAshort", ""},
		{"", "AKIAIOSFODNN7EXAMPLEX", ""},
		{"", "-----BEGIN CERTIFICATE-----", ""},
		{"", "-----BEGIN PUBLIC KEY-----", ""},
		{"", "basic", ""},
		{"", "the bearer of bad news", ""},
		{"", "xterm-256color", ""},
		{"", "en_US.UTF-8", ""},
		{"", "\xff\xfe://\xff:\xff", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		name := tt.name
		if name == "" {
			name = "SOME_VAR"
		}
		ok, rule := SecretRule(name, tt.value)
		if rule != tt.rule || ok != (tt.rule != "") {
			t.Errorf("SecretRule(%q, %q) = %v, %q; want %v, %q", name, tt.value, ok, rule, tt.rule != "", tt.rule)
		}
	}
}

func TestSecretRuleNameBeforeValue(t *testing.T) {
	ok, rule := SecretRule("GITHUB_TOKEN", "ghp_"+strings.Repeat("x", 36))
	if !ok || rule != "known-name" {
		t.Errorf("SecretRule = %v, %q; want the name rule first", ok, rule)
	}
}
