package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/lpdesk/lpdesk/agent"
	xwidget "github.com/lpdesk/lpdesk/ui/internal/widget"
)

// Transfer choices.
const (
	toSkill = "To a skill"
	toAgent = "To an agent"
)

// transferDialog chooses where a chat goes: a skill with an agent online,
// or an agent who is Online or Occupied, as the platform lists them now,
// with an optional note only the receiving agent sees.
type transferDialog struct {
	p      *chatPane
	dlg    *dialog.CustomDialog
	kind   *widget.RadioGroup
	skill  *widget.Select
	agent  *widget.Select
	note   *xwidget.Entry
	status *xwidget.Status
	okBtn  *widget.Button

	skills []agent.Skill
	agents []agent.Agent
}

func (p *chatPane) showTransfer() {
	if !p.inProgress() {
		return
	}
	d := p.ws.d
	t := &transferDialog{p: p}
	p.xfer = t
	t.skill = widget.NewSelect(nil, func(string) { t.updateOK() })
	t.skill.PlaceHolder = "Choose a skill"
	t.agent = widget.NewSelect(nil, func(string) { t.updateOK() })
	t.agent.PlaceHolder = "Choose an agent"
	t.agent.Hide()
	t.kind = widget.NewRadioGroup([]string{toSkill, toAgent}, func(k string) {
		t.skill.Hidden, t.agent.Hidden = k != toSkill, k != toAgent
		t.skill.Refresh()
		t.agent.Refresh()
		t.updateOK()
	})
	t.kind.Horizontal = true
	t.kind.Required = true
	t.kind.Selected = toSkill
	t.note = xwidget.NewEntry(d.keys(), "A note for the receiving agent (the visitor does not see it)")
	t.status = xwidget.NewStatus()
	t.okBtn = widget.NewButton("Transfer", t.send)
	t.okBtn.Importance = widget.HighImportance
	t.okBtn.Disable()
	cancel := widget.NewButton("Cancel", func() { t.dlg.Hide() })
	body := container.NewVBox(para(fmt.Sprintf("Hand the chat with %s to another skill or agent. It leaves your workspace once transferred.", p.visitor)),
		t.kind, t.skill, t.agent, t.note, t.status)
	t.dlg = dialog.NewCustomWithoutButtons("Transfer the chat", body, d.win)
	t.dlg.SetButtons([]fyne.CanvasObject{cancel, t.okBtn})
	t.dlg.Resize(fyne.NewSize(520, 0))
	d.showDialog(t.dlg)
	t.load()
}

// load asks the platform where the chat can go now.
func (t *transferDialog) load() {
	t.status.Busy("Asking the platform who can take the chat…")
	c := t.p.chat
	t.p.ws.d.bg(func(ctx context.Context) func() {
		skills, serr := c.TransferSkills(ctx)
		agents, aerr := c.TransferAgents(ctx)
		return func() {
			t.skills, t.agents = skills, agents
			var opts []string
			for _, s := range skills {
				opts = append(opts, fmt.Sprintf("%s — %s online", s.Name, plural(s.OnlineAgents, "agent", "agents")))
			}
			t.skill.SetOptions(opts)
			opts = nil
			for _, a := range agents {
				opts = append(opts, fmt.Sprintf("%s (%s, %s)", a.Name, a.State, plural(a.Chats, "chat", "chats")))
			}
			t.agent.SetOptions(opts)
			switch {
			case serr != nil:
				t.status.Fail(agentProblem("list the skills to transfer to", serr), t.load)
			case aerr != nil:
				t.status.Fail(agentProblem("list the agents to transfer to", aerr), t.load)
			case len(skills) == 0 && len(agents) == 0:
				t.status.Info("Nobody else can take the chat now: no other agent is Online or Occupied.")
			default:
				t.status.Clear()
			}
			t.updateOK()
		}
	})
}

// target is the chosen destination and its name, if one is chosen.
func (t *transferDialog) target() (agent.Target, string, bool) {
	note := t.note.Text
	if t.kind.Selected == toAgent {
		if i := t.agent.SelectedIndex(); i >= 0 && i < len(t.agents) {
			return agent.Target{AgentID: t.agents[i].ID, Note: note}, t.agents[i].Name, true
		}
		return agent.Target{}, "", false
	}
	if i := t.skill.SelectedIndex(); i >= 0 && i < len(t.skills) {
		return agent.Target{SkillID: t.skills[i].ID, Note: note}, t.skills[i].Name, true
	}
	return agent.Target{}, "", false
}

func (t *transferDialog) updateOK() {
	if _, _, ok := t.target(); ok {
		t.okBtn.Enable()
	} else {
		t.okBtn.Disable()
	}
}

func (t *transferDialog) send() {
	to, name, ok := t.target()
	if !ok {
		return
	}
	p := t.p
	t.okBtn.Disable()
	t.status.Busy("Transferring the chat to " + name + "…")
	c := p.chat
	p.ws.d.bg(func(ctx context.Context) func() {
		err := c.Transfer(ctx, to)
		return func() {
			if err != nil {
				t.updateOK()
				t.status.Fail(agentProblem("transfer the chat", err), t.send)
				p.ws.d.emitDetail(evAgentFailed, t.status.ErrorText())
				return
			}
			t.dlg.Hide()
			p.xfer = nil
			p.ending = agent.Transferred
			p.showOver("Transferred to " + name + ": the chat is no longer yours.")
		}
	})
}
