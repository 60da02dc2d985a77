package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/procjail/procjail"
)

// mountsValue is a repeatable HOST[:SANDBOX] flag.
type mountsValue struct{ p *[]procjail.Mount }

func (v mountsValue) Set(s string) error {
	m, err := parseMount(s)
	if err == nil {
		*v.p = append(*v.p, m)
	}
	return err
}

func (v mountsValue) String() string {
	var parts []string
	for _, m := range *v.p {
		parts = append(parts, strings.TrimSuffix(m.Host+":"+m.Sandbox, ":"))
	}
	return listString(parts)
}

func (v mountsValue) Type() string { return "HOST[:SANDBOX]" }

// parseMount parses HOST[:SANDBOX]. A relative HOST is made absolute;
// everything else is checked by Config.Validate.
func parseMount(s string) (procjail.Mount, error) {
	host, sandbox, _ := strings.Cut(s, ":")
	if host == "" {
		return procjail.Mount{}, fmt.Errorf("mount %q: empty host path (use HOST or HOST:SANDBOX)", s)
	}
	if !filepath.IsAbs(host) {
		abs, err := filepath.Abs(host)
		if err != nil {
			return procjail.Mount{}, fmt.Errorf("mount %q: %w", s, err)
		}
		host = abs
	}
	return procjail.Mount{Host: host, Sandbox: sandbox}, nil
}

// envSetValue is a repeatable K=V flag.
type envSetValue struct{ p *map[string]string }

func (v envSetValue) Set(s string) error {
	k, val, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q is not NAME=VALUE", s)
	}
	if *v.p == nil {
		*v.p = map[string]string{}
	}
	(*v.p)[k] = val
	return nil
}

// String lists the names only: values never appear in help or errors.
func (v envSetValue) String() string {
	names := make([]string, 0, len(*v.p))
	for k := range *v.p {
		names = append(names, k)
	}
	sort.Strings(names)
	return listString(names)
}

func (v envSetValue) Type() string { return "NAME=VALUE" }

// requireValue is a repeatable, comma-separated list of requirements.
type requireValue struct{ p *[]procjail.Requirement }

func (v requireValue) Set(s string) error {
	for _, name := range strings.Split(s, ",") {
		r, err := parseRequirement(strings.TrimSpace(name))
		if err != nil {
			return err
		}
		*v.p = append(*v.p, r)
	}
	return nil
}

func (v requireValue) String() string {
	parts := make([]string, len(*v.p))
	for i, r := range *v.p {
		parts[i] = string(r)
	}
	return listString(parts)
}

func (v requireValue) Type() string { return "requirement" }

func parseRequirement(name string) (procjail.Requirement, error) {
	for _, r := range procjail.Requirements() {
		if string(r) == name {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown requirement %q: use %s", name, requirementList())
}

func requirementList() string {
	var names []string
	for _, r := range procjail.Requirements() {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

// listString formats a list flag's value; "" when empty, so help shows no
// default.
func listString(items []string) string {
	if len(items) == 0 {
		return ""
	}
	return "[" + strings.Join(items, ",") + "]"
}
