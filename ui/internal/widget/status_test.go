package widget

import (
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestStatusBusyFailRetryInfo(t *testing.T) {
	test.NewTempApp(t)
	s := NewStatus()
	test.NewTempWindow(t, s)
	if s.Failed() || s.bar.Visible() || s.msg.Visible() {
		t.Fatal("a new strip shows something")
	}
	s.Busy("Loading skills…")
	if !s.bar.Visible() || s.msg.Text != "Loading skills…" || s.Failed() {
		t.Fatal("busy shows no activity")
	}
	retried := 0
	s.Fail("could not load", func() { retried++ })
	if !s.Failed() || s.ErrorText() != "could not load" || s.bar.Visible() || s.msg.Visible() || !s.RetryButton().Visible() {
		t.Fatal("fail does not show the error with a retry")
	}
	test.Tap(s.RetryButton())
	if retried != 1 {
		t.Errorf("retry ran %d times", retried)
	}
	s.Fail("refused", nil)
	if s.RetryButton().Visible() {
		t.Error("retry offered without a retry function")
	}
	s.Info("Saved.")
	if s.Failed() || !s.msg.Visible() || s.msg.Text != "Saved." {
		t.Error("info does not replace the error")
	}
	s.Clear()
	if s.msg.Visible() || s.Failed() {
		t.Error("clear leaves something")
	}
}
