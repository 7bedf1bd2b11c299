package cmdutil

import (
	"context"
	"testing"

	"github.com/spf13/cobra"
)

func TestRunInterruptible(t *testing.T) {
	cmd := &cobra.Command{}
	cmd.SetContext(context.Background())
	type opts struct{ n int }
	o := &opts{n: 7}
	var got string
	run := func(ctx context.Context, o *opts) error {
		if ctx.Err() != nil || o.n != 7 {
			t.Errorf("run got ctx %v, opts %+v", ctx.Err(), o)
		}
		got += "run "
		return nil
	}
	test := func(ctx context.Context, o *opts) error { got += "test "; return nil }
	_ = RunInterruptible(cmd, o, nil, run)
	_ = RunInterruptible(cmd, o, test, run)
	if got != "run test " {
		t.Errorf("calls %q: want run, then the test's replacement alone", got)
	}
}
