// Command benchserver serves a benchmark sandbox on a loopback port in a
// process of its own, so that a client measured in another process (see
// largefetch) does not carry the server's memory in its peak RSS.
//
// Large GETs are answered by the sandbox once and replayed after that (see
// snapshots), so that a client timed against this server pays for the
// transfer, not for the sandbox rendering the same listing again.
//
// It writes the account base URL and the demo application's credentials to
// the -target file (mode 0600; the token secret never goes to a command
// line or to output), prints "ready" on stdout, and serves until its
// standard input closes, it is signalled, or -max-life passes.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/lpdesk/lpdesk/bench"
)

func main() {
	records := flag.Int("records", 0, "seeded records (skills plus users; 0: the demo's 400)")
	target := flag.String("target", "", "file to write the target (URL and credentials) to")
	maxLife := flag.Duration("max-life", 10*time.Minute, "exit after this long whatever happens")
	tokens := flag.Int("tokens", 0, "install the demo application this many more times and write those access tokens to the target too (one per load client)")
	flag.Parse()
	if *target == "" {
		fmt.Fprintln(os.Stderr, "benchserver: -target is required")
		os.Exit(2)
	}
	if err := run(*records, *tokens, *target, *maxLife); err != nil {
		fmt.Fprintf(os.Stderr, "benchserver: %v\n", err)
		os.Exit(1)
	}
}

func run(records, tokens int, target string, maxLife time.Duration) error {
	s, cr, err := bench.NewSandbox(records)
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: &snapshots{next: s, cr: cr}, ReadHeaderTimeout: 10 * time.Second}
	t := bench.Target{BaseURL: "http://" + ln.Addr().String() + s.AccountPath(), Credentials: cr}
	if t.Tokens, err = bench.InstallTokens(s, tokens); err != nil {
		return err
	}
	if err := t.WriteFile(target); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, maxLife)
	defer cancel()
	go func() { // the parent closing our stdin means it is gone or done
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	go func() {
		<-ctx.Done()
		sctx, c := context.WithTimeout(context.Background(), 5*time.Second)
		defer c()
		_ = srv.Shutdown(sctx)
	}()
	fmt.Println("ready")
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		return err
	}
	return nil
}
