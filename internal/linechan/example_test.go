package linechan_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"time"

	"github.com/procjail/procjail/internal/linechan"
)

// A child echoes the lines it is sent; its stderr is drained meanwhile.
func Example() {
	stdinR, stdinW, err := os.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	stdoutR, stdoutW, err := os.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	stderrR, stderrW, err := os.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", "-c", `while read -r l; do echo "$l"; done; echo bye >&2`)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdinR, stdoutW, stderrW
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	// The child has its ends now; without closing ours, end of file never comes.
	stdinR.Close()
	stdoutW.Close()
	stderrW.Close()

	stderr := linechan.StartDrain(stderrR, true, nil, 0)
	in := linechan.NewWriter(stdinW)
	out := linechan.NewReader(stdoutR, 1<<16)
	defer out.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, req := range []string{`{"op":"ping"}`, `{"op":"exit"}`} {
		if err := in.WriteLine(ctx, req); err != nil {
			log.Fatal(err)
		}
		line, err := out.ReadLine(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(line)
	}
	in.Close()
	if _, err := out.ReadLine(ctx); errors.Is(err, io.EOF) {
		fmt.Println("end of output")
	}
	cmd.Wait()
	stderr.Wait()
	fmt.Printf("stderr: %q\n", stderr.Bytes())
	// Output:
	// {"op":"ping"}
	// {"op":"exit"}
	// end of output
	// stderr: "bye\n"
}
