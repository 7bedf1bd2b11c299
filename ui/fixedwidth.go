package ui

import "fyne.io/fyne/v2"

// fixedWidth gives its content exactly w of width, for side panels that
// must neither crowd the centre nor shrink to nothing.
type fixedWidth struct{ w float32 }

// MinSize is w wide and as tall as the tallest child needs.
func (f fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(f.w, 0)
	for _, o := range objs {
		if o.Visible() {
			s.Height = max(s.Height, o.MinSize().Height)
		}
	}
	return s
}

// Layout gives every child the whole area.
func (f fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
