//go:build linux && !wayland && cgo

package placement

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>
#include <X11/Xatom.h>

static int lpdesk_ignore_errors(Display *d, XErrorEvent *e) { return 0; }

// lpdesk_frame reads the window manager's _NET_FRAME_EXTENTS (left, top);
// zero when there is none (no window manager, or one without it).
static void lpdesk_frame(Display *d, Window w, long *left, long *top) {
	*left = 0;
	*top = 0;
	Atom a = XInternAtom(d, "_NET_FRAME_EXTENTS", True);
	if (a == None) return;
	Atom type;
	int format;
	unsigned long n, after;
	unsigned char *data = NULL;
	if (XGetWindowProperty(d, w, a, 0, 4, False, XA_CARDINAL, &type, &format, &n, &after, &data) == Success && data) {
		if (format == 32 && n == 4) {
			long *v = (long *)data;
			*left = v[0];
			*top = v[2];
		}
		XFree(data);
	}
}

static int lpdesk_position(unsigned long win, int *x, int *y) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return 0;
	XErrorHandler old = XSetErrorHandler(lpdesk_ignore_errors);
	Window child;
	int ok = XTranslateCoordinates(d, (Window)win, DefaultRootWindow(d), 0, 0, x, y, &child);
	long left, top;
	lpdesk_frame(d, (Window)win, &left, &top);
	*x -= (int)left;
	*y -= (int)top;
	XSync(d, False);
	XSetErrorHandler(old);
	XCloseDisplay(d);
	return ok;
}

static int lpdesk_move(unsigned long win, int x, int y) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return 0;
	XErrorHandler old = XSetErrorHandler(lpdesk_ignore_errors);
	XMoveWindow(d, (Window)win, x, y);
	XSync(d, False);
	XSetErrorHandler(old);
	XCloseDisplay(d);
	return 1;
}

static int lpdesk_screen(int *w, int *h) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return 0;
	*w = DisplayWidth(d, DefaultScreen(d));
	*h = DisplayHeight(d, DefaultScreen(d));
	XCloseDisplay(d);
	return 1;
}
*/
import "C"

// Position is where the X11 window handle's frame is on the screen.
func Position(handle uintptr) (x, y int, ok bool) {
	if handle == 0 {
		return 0, 0, false
	}
	var cx, cy C.int
	if C.lpdesk_position(C.ulong(handle), &cx, &cy) == 0 {
		return 0, 0, false
	}
	return int(cx), int(cy), true
}

// Move asks the window manager to put the window's frame at x, y.
func Move(handle uintptr, x, y int) bool {
	if handle == 0 {
		return false
	}
	return C.lpdesk_move(C.ulong(handle), C.int(x), C.int(y)) != 0
}

// Screen is the size of the default screen in pixels.
func Screen() (w, h int, ok bool) {
	var cw, ch C.int
	if C.lpdesk_screen(&cw, &ch) == 0 {
		return 0, 0, false
	}
	return int(cw), int(ch), true
}
