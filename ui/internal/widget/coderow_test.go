package widget

import (
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

func TestCodeRowColoursItsRuns(t *testing.T) {
	test.NewTempApp(t)
	r := newCodeRow()
	r.set(colorize(`"name": "Sales", "n": 1`, wire.JSON))
	if r.Text() != `"name": "Sales", "n": 1` {
		t.Fatalf("text %q", r.Text())
	}
	objs := test.WidgetRenderer(r).Objects()
	if len(objs) != len(r.segs) {
		t.Fatalf("%d texts for %d runs", len(objs), len(r.segs))
	}
	key, str := objs[0].(*canvas.Text), objs[2].(*canvas.Text)
	if key.Text != `"name"` || str.Text != `"Sales"` || key.Color == str.Color {
		t.Errorf("key %q %v, string %q %v", key.Text, key.Color, str.Text, str.Color)
	}
	// A shorter row reuses the pool and hides the rest.
	r.set([]seg{{"x", tokPlain}})
	visible := 0
	for _, o := range test.WidgetRenderer(r).Objects() {
		if o.Visible() {
			visible++
		}
	}
	if visible != 1 || r.Text() != "x" {
		t.Errorf("visible runs %d, text %q", visible, r.Text())
	}
}
