//go:build lpdesk_testdrivers

package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/lpdesk/lpdesk/agent"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The tour's agent workspace: the demo's visitor and two more waiting,
// then two chats accepted and a conversation in one of them, each screen
// also at 1024×640, the smallest screen the window is made for.

// tourVisitors join the demo's waiting visitor (Maya, Sales).
var tourVisitors = []struct{ skill, name, question string }{
	{"Billing", "Jonas", "Hi, I was charged twice for my March invoice."},
	{"Support", "Priya", "The app keeps logging me out on my phone."},
}

// smallScreen is the smallest window the layout is made for.
var smallScreen = fyne.NewSize(1024, 640)

// asVisitor posts a visitor's event through the Server Chat API, with the
// window's own (signed) client: the tour has no browser to type in.
func asVisitor(ctx context.Context, d *desk, path string, body any) error {
	b, _ := json.Marshal(body)
	_, err := d.be.Create(ctx, path, b, wire.JSON)
	return err
}

func agentTourSteps(out io.Writer) []tourStep {
	var before fyne.Size
	failed := func(what string, err error) {
		if err != nil {
			fmt.Fprintf(out, "%s failed: %s: %v\n", TourMarker, what, err)
		}
	}
	sized := func(s fyne.Size) func(d *desk) bool {
		return func(d *desk) bool { return d.win.Canvas().Size() == s }
	}
	return []tourStep{
		{name: "", do: func(d *desk) {
			for len(d.dialogs) > 0 {
				d.escape()
			}
			d.showAgent()
			d.bg(func(ctx context.Context) func() {
				for _, v := range tourVisitors {
					err := asVisitor(ctx, d, "chat/request", map[string]any{"request": map[string]string{
						"skill": v.skill, "visitorName": v.name, "question": v.question}})
					failed("a visitor's chat", err)
				}
				return nil
			})
		}, ready: func(d *desk) bool { return d.ws != nil && d.ws.sess != nil }},
		{name: "agent-incoming", do: func(d *desk) { d.ws.avail.SetSelected(string(agent.Online)) },
			ready: func(d *desk) bool {
				// The list is whole once the last visitor is in it.
				rs := d.ws.requests
				return len(rs) >= len(tourVisitors) && rs[len(rs)-1].VisitorName == tourVisitors[len(tourVisitors)-1].name
			}},
		{name: "agent-incoming-1024", do: func(d *desk) {
			before = d.win.Canvas().Size()
			d.win.Resize(smallScreen)
		}, ready: sized(smallScreen)},
		{name: "", do: func(d *desk) { d.ws.accept() },
			ready: func(d *desk) bool { return len(d.ws.panes) == 1 && d.ws.panes[0].shown > 0 && !d.ws.accepting }},
		{name: "", do: func(d *desk) { d.ws.accept() },
			ready: func(d *desk) bool { return len(d.ws.panes) == 2 && d.ws.panes[1].shown > 0 }},
		{name: "agent-chat-1024", do: func(d *desk) {
			maya, jonas := d.ws.panes[0], d.ws.panes[1]
			d.ws.tabs.Select(maya.tab)
			visitor := "chat/" + maya.key
			d.bg(func(ctx context.Context) func() {
				line := func(text string) map[string]any {
					return map[string]any{"event": map[string]string{"@type": "line", "text": text}}
				}
				failed("the agent's line", maya.chat.Send(ctx, "Hi Maya, thanks for waiting! Let me look up order 4411."))
				failed("Maya's line", asVisitor(ctx, d, visitor+"/events", line("Thanks! It was supposed to arrive on Friday.")))
				failed("the agent's line", maya.chat.Send(ctx, "It left our warehouse this morning: you will get a tracking link by email within the hour."))
				failed("Jonas's line", asVisitor(ctx, d, "chat/"+jonas.key+"/events", line("The invoice number is INV-2291.")))
				b, _ := json.Marshal(map[string]string{"visitorTyping": "typing"})
				_, err := d.be.Update(ctx, visitor+"/info/visitorTyping", b, wire.JSON, "")
				failed("Maya typing", err)
				return func() { maya.box.SetText("Is there anything else I can help you with?") }
			})
		}, ready: func(d *desk) bool {
			maya, jonas := d.ws.panes[0], d.ws.panes[1]
			evs := maya.chat.Snapshot().Events
			return maya.typing.Text != "" && jonas.unread == 1 && maya.box.Text != "" && maya.shown == len(evs) &&
				strings.Contains(evs[len(evs)-1].Text, "tracking link")
		}},
		{name: "agent-chat", do: func(d *desk) { d.win.Resize(before) },
			ready: func(d *desk) bool { return d.win.Canvas().Size() == before }},
		// Log out, so that quitting has no chats in progress to ask about.
		{name: "", do: func(d *desk) { d.ws.end() }, ready: func(d *desk) bool { return d.ws.sess == nil }},
	}
}
