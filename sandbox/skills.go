package sandbox

import (
	"net/http"
	"strconv"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// skill is a routing group agents belong to.
type skill struct {
	meta
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	MaxWaitTime int    `json:"maxWaitTime"`
}

var skillFields = []string{"name", "description", "maxWaitTime"}

func (s *Server) skillsAPI() *collectionAPI[*skill] {
	return &collectionAPI[*skill]{
		s: s, name: "skills", kind: "skill",
		coll:  func(st *state) *collection[*skill] { return st.Skills },
		node:  skillNode,
		parse: parseSkill,
		check: func(st *state, sk *skill) *apiError {
			if st.skillNameTaken(sk.Name, sk.ID) {
				return errorf(http.StatusConflict, wire.CodeConflict, "a skill named %q already exists", sk.Name)
			}
			return nil
		},
		inUse: func(st *state, id int) *apiError {
			if n := st.skillAgents()[id]; n > 0 {
				return errorf(http.StatusConflict, wire.CodeConflict, "skill %d is assigned to %d user(s)", id, n).
					why("remove it from those users' skillIds first")
			}
			return nil
		},
	}
}

func skillNode(base string, sk *skill) *node {
	return el("skill",
		textEl("name", sk.Name),
		textEl("description", sk.Description),
		numEl("maxWaitTime", sk.MaxWaitTime),
		linkEl("self", base+"/skills/"+strconv.Itoa(sk.ID)),
	).attr("id", strconv.Itoa(sk.ID)).attr("revision", strconv.Itoa(sk.Revision))
}

func parseSkill(doc *node) (*skill, *apiError) {
	fs, _, e := fields(doc, "skill", nil, skillFields, nil)
	if e != nil {
		return nil, e
	}
	sk := &skill{}
	if sk.Name, e = requiredText(fs, "skill", "name", 100); e != nil {
		return nil, e
	}
	if sk.Description, e = optionalText(fs, "skill", "description", 1000); e != nil {
		return nil, e
	}
	if sk.MaxWaitTime, e = optionalInt(fs, "skill", "maxWaitTime", 0, 86400, 120); e != nil {
		return nil, e
	}
	return sk, nil
}

// skillNameTaken reports whether a skill other than except has name.
func (st *state) skillNameTaken(name string, except int) bool {
	for _, sk := range st.Skills.items {
		if sk.ID != except && sk.Name == name {
			return true
		}
	}
	return false
}

func (st *state) skillByName(name string) *skill {
	for _, sk := range st.Skills.all() {
		if sk.Name == name {
			return sk
		}
	}
	return nil
}

// skillAgents counts the users assigned to each skill.
func (st *state) skillAgents() map[int]int {
	out := map[int]int{}
	for _, u := range st.Users.items {
		for _, id := range u.SkillIDs {
			out[id]++
		}
	}
	return out
}
