package main

// line is a least-squares fit y = slope·x + icept, with r² its coefficient
// of determination (1: the points lie on the line).
type line struct{ slope, icept, r2 float64 }

// fitLine fits y against x by ordinary least squares. With fewer than two
// distinct x it returns a flat line through the mean.
func fitLine(x, y []float64) line {
	n := float64(len(x))
	if n == 0 {
		return line{}
	}
	var sx, sy float64
	for i := range x {
		sx, sy = sx+x[i], sy+y[i]
	}
	mx, my := sx/n, sy/n
	var sxx, sxy, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxx, sxy, syy = sxx+dx*dx, sxy+dx*dy, syy+dy*dy
	}
	if sxx == 0 {
		return line{icept: my}
	}
	l := line{slope: sxy / sxx}
	l.icept = my - l.slope*mx
	l.r2 = 1
	if syy > 0 {
		l.r2 = sxy * sxy / (sxx * syy)
	}
	return l
}
