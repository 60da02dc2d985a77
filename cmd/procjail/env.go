package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/procjail/procjail"
)

// envFlags are the flags of `procjail env`.
type envFlags struct {
	*configFlags
	asJSON, values bool
}

// envEntry is one variable as `procjail env --json` prints it.
type envEntry struct {
	procjail.EnvDecision
	// Value is set only for kept variables, and only with --values.
	Value *string `json:"value,omitempty"`
}

func (a *app) envCmd() *cobra.Command {
	f := &envFlags{configFlags: newConfigFlags()}
	cmd := &cobra.Command{
		Use:   "env [flags]",
		Short: "Show which environment variables a sandbox would get",
		Long: `Show, for each variable of procjail's environment (and each --env-set), whether
a sandbox built with these settings would get it, and why. Values of
dropped variables are never printed; values of kept ones only with
--values.`,
		Example: "  procjail env\n  procjail env --env-mode allowlist --env-passthrough PATH,HOME --values\n  procjail env --config jail.toml --json",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return a.env(cmd, f) },
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	f.addFile(fs)
	f.addEnv(fs)
	fs.BoolVar(&f.values, "values", false, "also print the values of the variables that are kept")
	fs.BoolVar(&f.asJSON, "json", false, "print the decisions as JSON")
	return cmd
}

func (a *app) env(cmd *cobra.Command, f *envFlags) error {
	cfg, err := f.resolve(cmd.Flags())
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	ds, env, err := procjail.ExplainEnv(os.Environ(), cfg)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	entries := envEntries(ds, env, f.values)
	if f.asJSON {
		return writeJSON(a.stdout, entries)
	}
	return printEnv(a.stdout, entries, f.values)
}

// envEntries pairs decisions with values: only kept ones, only if asked.
func envEntries(ds []procjail.EnvDecision, env []string, values bool) []envEntry {
	kept := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			kept[k] = v
		}
	}
	out := make([]envEntry, len(ds))
	for i, d := range ds {
		out[i].EnvDecision = d
		if v, ok := kept[d.Name]; ok && d.Kept && values {
			out[i].Value = &v
		}
	}
	return out
}

func printEnv(w io.Writer, entries []envEntry, values bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	header := "NAME\tSANDBOX\tSOURCE\tWHY"
	if values {
		header += "\tVALUE"
	}
	fmt.Fprintln(tw, header)
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s", orDash(e.Name), keptWord(e.Kept), e.Source, e.Reason)
		if e.Value != nil {
			fmt.Fprintf(tw, "\t%q", *e.Value)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func keptWord(kept bool) string {
	if kept {
		return "kept"
	}
	return "dropped"
}
