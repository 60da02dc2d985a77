package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/procjail/procjail"
)

// demoResult is everything the demo prints.
type demoResult struct {
	enf      procjail.Enforcement
	usage    procjail.Usage
	outcomes []outcome
	stderr   []byte
}

func (r *demoResult) print(w io.Writer) error {
	fmt.Fprintf(w, "procjail demo: a hostile install script ran under strategy %s\n", r.enf.Strategy)
	for _, s := range r.enf.Skipped {
		fmt.Fprintf(w, "  %s skipped: %s\n", s.Strategy, s.Reason)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ATTEMPT\tRESULT\tSTOPPED BY\tDETAIL")
	for _, o := range r.outcomes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.name, o.result, enforcedBy(o, r.enf), o.detail)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%s\n\n", r.summary())
	r.printLayers(w)
	fmt.Fprintf(w, "\nusage: %s source=%s\n", r.usage, r.usage.Source)
	if r.incomplete() && len(r.stderr) > 0 {
		fmt.Fprintf(w, "\nthe script's stderr:\n%s\n", r.stderr)
	}
	return nil
}

func (r *demoResult) summary() string {
	blocked, tried := 0, 0
	for _, o := range r.outcomes {
		switch o.result {
		case resultBlocked:
			blocked++
			tried++
		case resultSucceeded:
			tried++
		}
	}
	return fmt.Sprintf("contained %d of %d attempts", blocked, tried)
}

func (r *demoResult) printLayers(w io.Writer) {
	fmt.Fprintf(w, "what %s enforces here:\n", r.enf.Strategy)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, l := range r.enf.Layers {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", l.Name, yesNo(l.Enforced), l.How)
	}
	tw.Flush()
}

func (r *demoResult) incomplete() bool {
	for _, o := range r.outcomes {
		if o.result == resultNoReport {
			return true
		}
	}
	return false
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
