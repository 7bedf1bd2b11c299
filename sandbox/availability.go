package sandbox

import (
	"hash/fnv"
	"strconv"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// skillWait is a stable, plausible estimated wait for a skill, in seconds.
func skillWait(name string) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32() % 240)
}

func (s *Server) chatAvailability(q *apiReq, _ []string) (*response, *apiError) {
	if e := q.only("skill", "serviceQueue", "maxWaitTime", "agent"); e != nil {
		return nil, e
	}
	maxWait, hasMax, e := intParam(q, "maxWaitTime", 0, 86400)
	if e != nil {
		return nil, e
	}
	skillName, hasSkill := q.param("skill")
	_, hasQueue := q.param("serviceQueue")
	agent, hasAgent := q.param("agent")
	if hasQueue && !hasMax {
		return nil, errorf(400, wire.CodeValidation, "serviceQueue is only accepted together with maxWaitTime")
	}
	if hasAgent && (hasSkill || hasQueue || hasMax) {
		return nil, errorf(400, wire.CodeValidation, "agent must be used alone")
	}
	available := false
	_ = s.view(func(st *state) *apiError {
		if hasAgent {
			for _, a := range st.Sessions {
				if a.LoginName == agent && a.Chat == "Online" {
					available = true
				}
			}
			return nil
		}
		agents := st.skillAgents()
		for _, sk := range st.Skills.all() {
			if hasSkill && sk.Name != skillName {
				continue
			}
			if agents[sk.ID] > 0 && (!hasMax || skillWait(sk.Name) <= maxWait) {
				available = true
				break
			}
		}
		return nil
	})
	return ok(boolEl("availability", available)), nil
}

func (s *Server) estimatedWaitTime(q *apiReq, _ []string) (*response, *apiError) {
	if e := q.only("skill"); e != nil {
		return nil, e
	}
	skillName, hasSkill := q.param("skill")
	wait := -1 // unknown
	_ = s.view(func(st *state) *apiError {
		agents := st.skillAgents()
		if hasSkill {
			wait = -2 // unavailable
			if sk := st.skillByName(skillName); sk != nil && agents[sk.ID] > 0 {
				wait = skillWait(sk.Name)
			}
			return nil
		}
		for _, sk := range st.Skills.all() {
			if agents[sk.ID] == 0 {
				continue
			}
			if w := skillWait(sk.Name); wait < 0 || w < wait {
				wait = w
			}
		}
		return nil
	})
	return ok(numEl("estimatedWaitTime", wait)), nil
}

func (s *Server) availableSlots(q *apiReq, _ []string) (*response, *apiError) {
	if e := q.only("skill"); e != nil {
		return nil, e
	}
	skillName, hasSkill := q.param("skill")
	slots := 0
	_ = s.view(func(st *state) *apiError {
		var sk *skill
		if hasSkill {
			if sk = st.skillByName(skillName); sk == nil {
				return nil
			}
		}
		for _, u := range st.Users.items {
			for _, id := range u.SkillIDs {
				if sk == nil || id == sk.ID {
					slots += 2
					break
				}
			}
		}
		for _, c := range st.Chats {
			if c.State != "ended" && (sk == nil || c.Skill == sk.Name) {
				slots--
			}
		}
		return nil
	})
	return ok(textEl("availableSlots", strconv.Itoa(max(slots, 0)))), nil
}
