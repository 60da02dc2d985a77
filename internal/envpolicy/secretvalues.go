package envpolicy

import (
	"regexp"
	"strings"
)

// valueRule is one row of the secret-value table.
type valueRule struct {
	id    string
	match func(name, value string) bool
}

// valueRules is the secret-value table, tried in order on every value the
// secret rules judge. A value is a secret when it contains:
//
//   - "value:url-credentials": a URL whose user information has a non-empty
//     password, anywhere in the value ("https://u:p@proxy",
//     "postgres://app:pw@db/x", "https://gitlab-ci-token:T@host/r.git",
//     several URLs separated by spaces or commas). The authority ends at '/',
//     '?', '#' or white space; the last '@' in it ends the user
//     information. For names ending in PROXY the scheme may be missing
//     ("user:pw@proxy:3128"), as curl accepts it. A user name alone is not
//     a secret (ssh://git@host); a token used as the user name is caught by
//     the token rules.
//   - "value:authorization-header": an HTTP Authorization header with a
//     credential ("Authorization: Basic ...", as in
//     GIT_CONFIG_PARAMETERS http.extraheader), or "Bearer " followed by at
//     least 16 token characters.
//   - "value:<kind>-token": a well-known token format, each anchored at a
//     word boundary and with a minimum length, so ordinary words and paths
//     do not match: GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_),
//     GitLab (glpat-, gldt-, glrt-, glptt-, glft-, glcbt-, glimt-, glsoat-),
//     Slack (xox?- tokens, xapp-, webhook URLs), Discord webhook URLs,
//     OpenAI/Anthropic-style sk- keys (at least 32 characters after "sk-"),
//     Stripe live/test secret and restricted keys, AWS access key ids
//     (AKIA/ASIA plus 16), npm (npm_ plus 36), PyPI (pypi- plus 50 or
//     more), Hugging Face (hf_ plus 30 or more), Google API keys (AIza plus
//     35), Docker Hub PATs, DigitalOcean, HashiCorp Vault (hvs./hvb./hvr.),
//     SendGrid, Shopify, and JSON Web Tokens (eyJ...eyJ... with two dots).
//   - "value:private-key": a PEM private key ("-----BEGIN ... PRIVATE KEY",
//     including OPENSSH and PGP private key blocks).
//
// Values are matched byte for byte; invalid UTF-8 never matches a token
// pattern by accident and never causes an error.
var valueRules = []valueRule{
	{"value:url-credentials", urlHasPassword},
	{"value:authorization-header", matchesAny(
		`(?i)\bauthorization\s*:\s*[A-Za-z]+\s+\S{8,}`,
		`(?i)\bbearer\s+[A-Za-z0-9._~+/-]{16,}`)},
	{"value:github-token", matchesAny(`\bgh[pousr]_[A-Za-z0-9]{30,}`, `\bgithub_pat_[A-Za-z0-9_]{22,}`)},
	{"value:gitlab-token", matchesAny(`\bgl(pat|dt|rt|ptt|ft|cbt|imt|soat)-[A-Za-z0-9_-]{20,}`)},
	{"value:slack-token", matchesAny(`\bxox[abposre]-[A-Za-z0-9-]{10,}`, `\bxapp-[0-9]+-[A-Za-z0-9-]{10,}`,
		`hooks\.slack\.com/(services|workflows)/[A-Za-z0-9/_-]{20,}`)},
	{"value:discord-webhook", matchesAny(`discord(app)?\.com/api/webhooks/[0-9]+/[A-Za-z0-9_-]{20,}`)},
	{"value:sk-token", matchesAny(`\bsk-[A-Za-z0-9_-]{32,}`)},
	{"value:stripe-token", matchesAny(`\b[rs]k_(live|test)_[A-Za-z0-9]{16,}`)},
	{"value:aws-access-key-id", matchesAny(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)},
	{"value:npm-token", matchesAny(`\bnpm_[A-Za-z0-9]{36}\b`)},
	{"value:pypi-token", matchesAny(`\bpypi-[A-Za-z0-9_-]{50,}`)},
	{"value:huggingface-token", matchesAny(`\bhf_[A-Za-z0-9]{30,}`)},
	{"value:google-api-key", matchesAny(`\bAIza[0-9A-Za-z_-]{35}`)},
	{"value:docker-token", matchesAny(`\bdckr_pat_[A-Za-z0-9_-]{20,}`)},
	{"value:digitalocean-token", matchesAny(`\bdo[opr]_v1_[a-f0-9]{64}`)},
	{"value:vault-token", matchesAny(`\bhv[sbr]\.[A-Za-z0-9_-]{24,}`)},
	{"value:sendgrid-token", matchesAny(`\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}`)},
	{"value:shopify-token", matchesAny(`\bshp(at|ca|pa|ss)_[a-fA-F0-9]{32}`)},
	{"value:jwt", matchesAny(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.`)},
	{"value:private-key", matchesAny(`-----BEGIN[A-Z0-9 ]*PRIVATE KEY`)},
}

// secretValueRule returns the identifier of the first value rule matching,
// or "".
func secretValueRule(name, value string) string {
	if value == "" {
		return ""
	}
	for _, r := range valueRules {
		if r.match(name, value) {
			return r.id
		}
	}
	return ""
}

// matchesAny compiles the expressions (RE2: linear time on any input) into a
// rule matching a value that contains any of them.
func matchesAny(exprs ...string) func(name, value string) bool {
	res := make([]*regexp.Regexp, len(exprs))
	for i, e := range exprs {
		res[i] = regexp.MustCompile(e)
	}
	return func(_, value string) bool {
		for _, re := range res {
			if re.MatchString(value) {
				return true
			}
		}
		return false
	}
}

// urlHasPassword reports whether value contains a URL with a password, or,
// for a proxy variable, a scheme-less "user:password@host".
func urlHasPassword(name, value string) bool {
	for rest := value; ; {
		i := strings.Index(rest, "://")
		if i < 0 {
			break
		}
		rest = rest[i+3:]
		if authorityHasPassword(rest) {
			return true
		}
	}
	isProxy := strings.HasSuffix(upperASCII(name), "PROXY")
	return isProxy && !strings.Contains(value, "://") && authorityHasPassword(strings.TrimSpace(value))
}

// authorityHasPassword reports whether the URL authority at the start of s
// has user information with a non-empty password.
func authorityHasPassword(s string) bool {
	if end := strings.IndexAny(s, "/?# \t\r\n\v\f"); end >= 0 {
		s = s[:end]
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return false
	}
	_, password, found := strings.Cut(s[:at], ":")
	return found && password != ""
}
