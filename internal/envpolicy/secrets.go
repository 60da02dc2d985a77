package envpolicy

import "strings"

// SecretNames are the 36 names the original procjail stripped, exactly as it
// listed them. They remain secrets here (compared ignoring ASCII case), but
// they are only the first of the rules in [SecretRule]. Changing this array
// has no effect on the rules.
var SecretNames = [...]string{
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN", "NPM_TOKEN", "DATABASE_URL",
	"PGPASSWORD", "MYSQL_PWD", "REDIS_URL", "REDIS_PASSWORD", "SENTRY_DSN",
	"STRIPE_SECRET_KEY", "STRIPE_API_KEY", "OPENAI_API_KEY",
	"ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "SLACK_TOKEN", "SLACK_BOT_TOKEN",
	"DISCORD_TOKEN", "TELEGRAM_BOT_TOKEN", "TWILIO_AUTH_TOKEN",
	"SENDGRID_API_KEY", "DOCKER_PASSWORD", "DOCKER_AUTH_CONFIG", "KUBECONFIG",
	"SSH_AUTH_SOCK", "GPG_PASSPHRASE", "PYPI_TOKEN", "CARGO_REGISTRY_TOKEN",
	"NUGET_API_KEY", "HEROKU_API_KEY", "DIGITALOCEAN_TOKEN", "VAULT_TOKEN",
	"CONSUL_TOKEN",
}

// SecretRule reports whether the variable name=value is a secret, and the
// identifier of the first rule that says so. With an empty value only the
// name is judged.
//
// Name rules come first, compared ignoring ASCII case: the 36 [SecretNames]
// and a few more exact names ("known-name"); the cloud prefixes AWS_ (minus
// harmless settings such as AWS_REGION and AWS_PROFILE), AZURE_ and GCP_
// ("prefix:..."); and patterns on the words of the name ("pattern:TOKEN",
// "pattern:SECRET", "pattern:PASSWORD", "pattern:KEY", "pattern:AUTH"...),
// which match whole words so that KEYBOARD, TOKENIZERS_PARALLELISM,
// XAUTHORITY, GIT_AUTHOR_NAME, PWD and OLDPWD are not secrets. Value rules
// come next, with identifiers starting "value:": a URL with a password, an
// Authorization header, a PEM private key, or a well-known token format
// (ghp_, github_pat_, glpat-, xoxb-, sk-, AKIA...). Every rule, and the
// reasoning behind it, is documented on the tables nameRules (secrets.go)
// and valueRules (secretvalues.go).
func SecretRule(name, value string) (matched bool, rule string) {
	if rule := secretNameRule(name); rule != "" {
		return true, rule
	}
	if rule := secretValueRule(name, value); rule != "" {
		return true, rule
	}
	return false, ""
}

// secretNameRule returns the identifier of the first name rule matching
// name, or "".
func secretNameRule(name string) string {
	n := newNormName(name)
	for _, r := range nameRules {
		if r.match(n) {
			return r.id
		}
	}
	return ""
}

// normName is a name prepared for the name rules.
type normName struct {
	upper string   // ASCII upper case
	segs  []string // runs of letters and digits, see segments
}

func newNormName(name string) normName {
	u := upperASCII(name)
	return normName{upper: u, segs: segments(u)}
}

// nameRule is one row of the secret-name table.
type nameRule struct {
	id    string
	match func(normName) bool
}

// nameRules is the secret-name table, tried in order; names are compared in
// ASCII upper case and "segment" means a run of letters and digits (so
// "npm_config_//host/:_authToken" has the segments NPM, CONFIG, HOST,
// AUTHTOKEN). The rules and the choices behind them:
//
//   - "known-name": the original's 36 [SecretNames], plus names that hold or
//     point at credentials without following any pattern below: the
//     credential agents GPG_AGENT_INFO, GNOME_KEYRING_CONTROL and
//     VSCODE_GIT_IPC_HANDLE (a socket that answers git's password prompts);
//     the Kerberos caches KRB5CCNAME, KRB5_KTNAME, KRB5_CLIENT_KTNAME; the
//     credential files and directories DOCKER_CONFIG, CLOUDSDK_CONFIG,
//     GNUPGHOME, NETRC and PGPASSFILE; the password-manager session
//     BW_SESSION. Plain sockets and bus addresses (DOCKER_HOST,
//     DBUS_SESSION_BUS_ADDRESS) are not secrets: what the sandbox can
//     reach is the filesystem and network layers' business.
//   - "prefix:AWS_": every AWS_* name except a short list of settings that
//     carry no credential and no path to one: AWS_REGION,
//     AWS_DEFAULT_REGION, AWS_PROFILE (only a profile name; the credentials
//     and config files it selects are AWS_* names and dropped),
//     AWS_DEFAULT_OUTPUT, AWS_PAGER, AWS_RETRY_MODE, AWS_MAX_ATTEMPTS,
//     AWS_SDK_LOAD_CONFIG, AWS_EC2_METADATA_DISABLED, AWS_USE_FIPS_ENDPOINT,
//     AWS_USE_DUALSTACK_ENDPOINT.
//   - "prefix:AZURE_", "prefix:GCP_": every such name (client secrets,
//     storage keys, connection strings; the harmless ones are not worth a
//     list). GOOGLE_CLOUD_* is not a prefix rule: GOOGLE_CLOUD_PROJECT is
//     harmless and the secret ones (GOOGLE_APPLICATION_CREDENTIALS,
//     GOOGLE_CLOUD_KEYFILE_JSON) match the patterns below.
//   - "prefix:OP_SESSION_": 1Password CLI session tokens.
//   - "pattern:TOKEN": a segment that is TOKEN or TOKENS or ends in TOKEN:
//     *_TOKEN, *_TOKEN_* (ACTIONS_ID_TOKEN_REQUEST_URL, which with the
//     runtime token mints OIDC tokens), CI_JOB_TOKEN, NODE_AUTH_TOKEN,
//     npm_config__authToken, SYSTEM_ACCESSTOKEN. Segments merely starting
//     with TOKEN (TOKENIZERS_PARALLELISM) do not match.
//   - "pattern:SECRET": SECRET anywhere (*_SECRET*, *SECRET_KEY*,
//     CLIENT_SECRET, JWTSECRET).
//   - "pattern:PASSWORD": PASSWORD, PASSWD or PASSPHRASE anywhere.
//   - "pattern:PASS": a segment PASS (DB_PASS, SMTP_PASS).
//   - "pattern:*_PWD": a last segment PWD after another segment
//     (MYSQL_PWD), which leaves PWD and OLDPWD alone.
//   - "pattern:KEY": a segment KEY, KEYS or KEYFILE, or one ending in
//     APIKEY, ACCESSKEY, PRIVATEKEY, SIGNINGKEY, ENCRYPTIONKEY, MASTERKEY or
//     AUTHKEY: *_KEY, *_API_KEY*, *_PRIVATE_KEY*, SOPS_AGE_KEY_FILE, apiKey.
//     Whole segments only, so KEYBOARD, MONKEY and KEYTIMEOUT do not match;
//     the price is that harmless names with a KEY segment (GPG_KEY holding
//     a fingerprint) are dropped too.
//   - "pattern:CREDENTIAL": CREDENTIAL anywhere, or a segment CRED or CREDS
//     (GOOGLE_APPLICATION_CREDENTIALS, AWS_SHARED_CREDENTIALS_FILE).
//   - "pattern:AUTH": a segment AUTH or AUTHORIZATION (NPM_CONFIG__AUTH,
//     DOCKER_AUTH_CONFIG, HTTP_AUTHORIZATION). Whole segments only:
//     XAUTHORITY, ICEAUTHORITY and GIT_AUTHOR_NAME do not match. (The X
//     cookie file is the filesystem layer's business.)
//   - "pattern:JWT": a segment JWT (CI_JOB_JWT, CI_JOB_JWT_V2).
//   - "pattern:DSN": a segment DSN (SENTRY_DSN, *_DSN database strings).
//   - "pattern:CONNECTION_STRING": segments CONNECTION then STRING, or one
//     segment CONNECTIONSTRING or CONNSTR.
var nameRules = []nameRule{
	{"known-name", func(n normName) bool { return knownSecretNames[n.upper] }},
	{"prefix:AWS_", isAWSSecret},
	{"prefix:AZURE_", hasPrefix("AZURE_")},
	{"prefix:GCP_", hasPrefix("GCP_")},
	{"prefix:OP_SESSION_", hasPrefix("OP_SESSION_")},
	{"pattern:TOKEN", anySegment(func(s string) bool {
		return s == "TOKENS" || strings.HasSuffix(s, "TOKEN")
	})},
	{"pattern:SECRET", containsAny("SECRET")},
	{"pattern:PASSWORD", containsAny("PASSWORD", "PASSWD", "PASSPHRASE")},
	{"pattern:PASS", anySegment(equalsAny("PASS"))},
	{"pattern:*_PWD", func(n normName) bool {
		return len(n.segs) > 1 && n.segs[len(n.segs)-1] == "PWD"
	}},
	{"pattern:KEY", anySegment(isKeySegment)},
	{"pattern:CREDENTIAL", func(n normName) bool {
		return strings.Contains(n.upper, "CREDENTIAL") || anySegment(equalsAny("CRED", "CREDS"))(n)
	}},
	{"pattern:AUTH", anySegment(equalsAny("AUTH", "AUTHORIZATION"))},
	{"pattern:JWT", anySegment(equalsAny("JWT"))},
	{"pattern:DSN", anySegment(equalsAny("DSN"))},
	{"pattern:CONNECTION_STRING", isConnectionString},
}

// knownSecretNames is SecretNames plus the extra exact names documented on
// nameRules, in upper case.
var knownSecretNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range SecretNames {
		m[n] = true
	}
	for _, n := range []string{
		"GPG_AGENT_INFO", "GNOME_KEYRING_CONTROL", "VSCODE_GIT_IPC_HANDLE",
		"KRB5CCNAME", "KRB5_KTNAME", "KRB5_CLIENT_KTNAME",
		"DOCKER_CONFIG", "CLOUDSDK_CONFIG", "GNUPGHOME", "NETRC", "PGPASSFILE",
		"BW_SESSION",
	} {
		m[n] = true
	}
	return m
}()

// awsHarmless are the AWS_* names the "prefix:AWS_" rule lets through.
var awsHarmless = map[string]bool{
	"AWS_REGION": true, "AWS_DEFAULT_REGION": true, "AWS_PROFILE": true,
	"AWS_DEFAULT_OUTPUT": true, "AWS_PAGER": true, "AWS_RETRY_MODE": true,
	"AWS_MAX_ATTEMPTS": true, "AWS_SDK_LOAD_CONFIG": true,
	"AWS_EC2_METADATA_DISABLED": true, "AWS_USE_FIPS_ENDPOINT": true,
	"AWS_USE_DUALSTACK_ENDPOINT": true,
}

func isAWSSecret(n normName) bool {
	return strings.HasPrefix(n.upper, "AWS_") && !awsHarmless[n.upper]
}

// keySuffixes are the segment endings the "pattern:KEY" rule treats as keys.
var keySuffixes = []string{
	"APIKEY", "ACCESSKEY", "PRIVATEKEY", "SIGNINGKEY", "ENCRYPTIONKEY",
	"MASTERKEY", "AUTHKEY",
}

func isKeySegment(s string) bool {
	if s == "KEY" || s == "KEYS" || s == "KEYFILE" {
		return true
	}
	for _, suf := range keySuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

func isConnectionString(n normName) bool {
	for i, s := range n.segs {
		if s == "CONNECTIONSTRING" || s == "CONNSTR" {
			return true
		}
		if s == "CONNECTION" && i+1 < len(n.segs) && n.segs[i+1] == "STRING" {
			return true
		}
	}
	return false
}

func hasPrefix(p string) func(normName) bool {
	return func(n normName) bool { return strings.HasPrefix(n.upper, p) }
}

func containsAny(subs ...string) func(normName) bool {
	return func(n normName) bool {
		for _, s := range subs {
			if strings.Contains(n.upper, s) {
				return true
			}
		}
		return false
	}
}

func equalsAny(words ...string) func(string) bool {
	return func(s string) bool {
		for _, w := range words {
			if s == w {
				return true
			}
		}
		return false
	}
}

func anySegment(pred func(string) bool) func(normName) bool {
	return func(n normName) bool {
		for _, s := range n.segs {
			if pred(s) {
				return true
			}
		}
		return false
	}
}
