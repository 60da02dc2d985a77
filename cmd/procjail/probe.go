package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/procjail/procjail"
)

func (a *app) probeCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "probe",
		Short: "Show what this host can enforce",
		Long: `Probe the kernel mechanisms procjail uses (by running the same setup a
sandbox uses, not by reading version numbers) and show, for each, whether
it works here, what was found, and for each "no" why not and how to get it.
Then show which strategies can run and which one auto selects.`,
		Example: "  procjail probe\n  procjail probe --json | jq .best",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			caps := procjail.ProbeCapabilities()
			if asJSON {
				return writeJSON(a.stdout, caps)
			}
			return printCapabilities(a.stdout, caps)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the capabilities as JSON")
	return cmd
}

// mechanisms lists the probed features in display order.
func mechanisms(c procjail.Capabilities) []struct {
	name string
	f    procjail.Feature
} {
	return []struct {
		name string
		f    procjail.Feature
	}{
		{"user namespaces", c.UserNamespaces},
		{"seccomp", c.Seccomp},
		{"landlock", c.Landlock},
		{"pidfd", c.Pidfd},
		{"cgroup v2", c.CgroupV2},
		{"cgroup v1", c.CgroupV1},
		{"bubblewrap", c.Bubblewrap},
		{"firejail", c.Firejail},
	}
}

func printCapabilities(w io.Writer, c procjail.Capabilities) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MECHANISM\tAVAILABLE\tDETAIL")
	for _, m := range mechanisms(c) {
		featureRows(tw, m.name, m.f)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "STRATEGY\tRUNNABLE\tDETAIL")
	for _, s := range procjail.Strategies {
		featureRows(tw, s.String(), c.Strategies[s.String()])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nauto selects: %s\n", c.Best)
	return err
}

// featureRows writes a feature's row and, for a "no", its reason and hint.
func featureRows(w io.Writer, name string, f procjail.Feature) {
	if f.Available {
		fmt.Fprintf(w, "%s\tyes\t%s\n", name, orDash(f.Detail))
		return
	}
	fmt.Fprintf(w, "%s\tno\t%s\n", name, orDash(f.Reason))
	if f.Detail != "" {
		fmt.Fprintf(w, "\t\tfound: %s\n", f.Detail)
	}
	if f.Hint != "" {
		fmt.Fprintf(w, "\t\tfix: %s\n", f.Hint)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
