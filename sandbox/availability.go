package sandbox

import (
	"slices"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The queue as a visitor sees it before starting a chat: whether agents are
// available, how many chats they can still take, how long the wait is. All
// three count agent sessions that are Online (Chat Agent API), for a skill
// or one agent when asked.

// queueFilter narrows the agents a question is about.
type queueFilter struct {
	skill    *skill
	noSkill  bool // a skill was named that does not exist: nobody
	agent    string
	hasAgent bool
}

func (st *state) queueFilter(q *apiReq) queueFilter {
	var f queueFilter
	if name, ok := q.param("skill"); ok {
		f.skill = st.skillByName(name)
		f.noSkill = f.skill == nil
	}
	f.agent, f.hasAgent = q.param("agent")
	return f
}

// onlineFor lists the users with an Online session that f admits.
func (st *state) onlineFor(f queueFilter) []*user {
	if f.noSkill {
		return nil
	}
	var out []*user
	for _, u := range st.Users.all() {
		if f.hasAgent && u.LoginName != f.agent {
			continue
		}
		if f.skill != nil && !slices.Contains(u.SkillIDs, f.skill.ID) {
			continue
		}
		if st.agentState(u.ID) == agentOnline {
			out = append(out, u)
		}
	}
	return out
}

// estimatedWait is the documented estimate: 0 when an agent can take the
// chat now, -1 when no agent is online, -2 when agents are online but all
// busy (the platform's "not enough data to predict").
func (st *state) estimatedWait(f queueFilter) int {
	online := st.onlineFor(f)
	if len(online) == 0 {
		return -1
	}
	for _, u := range online {
		if st.hasCapacity(u) {
			return 0
		}
	}
	return -2
}

// availableSlots is the number of chats the online agents can still take,
// less the chats waiting for them; -1 when one of them is unlimited.
func (st *state) availableSlots(f queueFilter) int {
	free := 0
	for _, u := range st.onlineFor(f) {
		if u.MaxChats < 0 {
			return -1
		}
		free += max(u.MaxChats-st.activeChats(u.ID), 0)
	}
	for _, c := range st.Chats {
		if c.State == chatWaiting && (f.skill == nil || c.SkillID == f.skill.ID) {
			free--
		}
	}
	return max(free, 0)
}

func (s *Server) scAvailability(q *apiReq, _ []string) (*response, *apiError) {
	maxWait, hasMax, e := intParam(q, "maxWaitTime", 0, 86400)
	if e != nil {
		return nil, e
	}
	_, hasSkill := q.param("skill")
	_, hasQueue := q.param("serviceQueue")
	_, hasAgent := q.param("agent")
	if hasQueue && !hasMax {
		return nil, errorf(400, wire.CodeValidation, "serviceQueue is only accepted together with maxWaitTime")
	}
	if hasAgent && (hasSkill || hasQueue || hasMax) {
		return nil, errorf(400, wire.CodeValidation, "agent must be used alone")
	}
	available := false
	_ = s.view(func(st *state) *apiError {
		f := st.queueFilter(q)
		switch wait := st.estimatedWait(f); {
		case wait == -1:
		case !hasMax:
			available = true // online agents, whatever the queue
		case maxWait == 0:
			available = wait == 0 // capacity right now
		default:
			available = wait != -1
		}
		return nil
	})
	return ok(boolEl("availability", available)), nil
}

func (s *Server) scEstimatedWaitTime(q *apiReq, _ []string) (*response, *apiError) {
	var wait int
	_ = s.view(func(st *state) *apiError {
		wait = st.estimatedWait(st.queueFilter(q))
		return nil
	})
	return ok(numEl("estimatedWaitTime", wait)), nil
}

func (s *Server) scAvailableSlots(q *apiReq, _ []string) (*response, *apiError) {
	if _, _, e := intParam(q, "maxWaitTime", 0, 86400); e != nil {
		return nil, e
	}
	var slots int
	_ = s.view(func(st *state) *apiError {
		slots = st.availableSlots(st.queueFilter(q))
		return nil
	})
	return ok(numEl("availableSlots", slots)), nil
}
