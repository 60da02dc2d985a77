package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

func writeJSON(w io.Writer, r *result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// writeTable prints the report as aligned text.
func writeTable(w io.Writer, r *result) error {
	fmt.Fprintf(w, "procjail-bench %s: %s %s, %d CPUs, uid %d, %s\n", r.Date, r.Host.Kernel, r.Host.Arch, r.Host.CPUs, r.Host.UID, r.Host.Go)
	fmt.Fprintf(w, "%d interleaved rounds (+%d warm-up), %d round trips per contender per round after %s, warm stages %s, %s\n\n",
		r.Rounds, r.Warmup, r.RoundTrips, r.Settle, warmText(r.WarmStages), r.Elapsed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "contender\tspawn→reply median\tp95\t×bare\t×bwrap\tround trip median\tp95\t×bare\t×bwrap\t")
	for _, c := range r.Contenders {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Name,
			ms(c.Spawn.Median), ms(c.Spawn.P95), x(c.Spawn.VsBare), x(c.Spawn.VsBwrap),
			us(c.RoundTrip.Median), us(c.RoundTrip.P95), x(c.RoundTrip.VsBare), x(c.RoundTrip.VsBwrap))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "\nnot measured: %s: %s", s.Name, s.Reason)
	}
	if r.BwrapCommand != "" {
		fmt.Fprintf(w, "\nbwrap: %s", r.BwrapCommand)
	}
	_, err := fmt.Fprintln(w)
	return err
}

func warmText(n int) string {
	if n < 0 {
		return "default"
	}
	return fmt.Sprint(n)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }
func us(d time.Duration) string { return fmt.Sprintf("%.1f µs", float64(d)/1e3) }

func x(f float64) string {
	if f == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", f)
}
