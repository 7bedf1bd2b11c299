package sandbox

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// user is an agent, agent manager or administrator of the account.
type user struct {
	meta
	LoginName  string `json:"loginName"`
	FullName   string `json:"fullName,omitempty"`
	Nickname   string `json:"nickname,omitempty"`
	Email      string `json:"email,omitempty"`
	Permission string `json:"permission"`
	MaxChats   int    `json:"maxChats"`
	SkillIDs   []int  `json:"skillIds,omitempty"`
}

var (
	userFields  = []string{"loginName", "fullName", "nickname", "email", "permission", "maxChats", "skillIds"}
	permissions = []string{"Agent", "AgentManager", "Administrator"}
	loginRe     = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)
)

func (s *Server) usersAPI() *collectionAPI[*user] {
	return &collectionAPI[*user]{
		s: s, name: "users", kind: "user",
		coll:  func(st *state) *collection[*user] { return st.Users },
		node:  userNode,
		parse: parseUser,
		check: checkUser,
	}
}

func userNode(base string, u *user) *node {
	ids := el("skillIds")
	for _, id := range u.SkillIDs {
		ids.add(textEl("skillId", strconv.Itoa(id)))
	}
	return el("user",
		textEl("loginName", u.LoginName),
		textEl("fullName", u.FullName),
		textEl("nickname", u.Nickname),
		textEl("email", u.Email),
		textEl("permission", u.Permission),
		textEl("maxChats", strconv.Itoa(u.MaxChats)),
		ids,
		linkEl("self", base+"/users/"+strconv.Itoa(u.ID)),
	).attr("id", strconv.Itoa(u.ID)).attr("revision", strconv.Itoa(u.Revision))
}

// parseUser validates a user body; skill references are checked by
// checkUser under the lock.
func parseUser(doc *node) (*user, *apiError) {
	fs, _, e := fields(doc, "user", nil, userFields, []string{"skillIds"})
	if e != nil {
		return nil, e
	}
	u := &user{}
	if u.LoginName, e = requiredText(fs, "user", "loginName", 64); e != nil {
		return nil, e
	}
	if !loginRe.MatchString(u.LoginName) {
		return nil, errorf(400, wire.CodeValidation, "loginName %q may only hold letters, digits and . _ @ -", u.LoginName)
	}
	if u.FullName, e = optionalText(fs, "user", "fullName", 200); e != nil {
		return nil, e
	}
	if u.Nickname, e = optionalText(fs, "user", "nickname", 100); e != nil {
		return nil, e
	}
	if u.Email, e = optionalText(fs, "user", "email", 200); e != nil {
		return nil, e
	}
	if u.Email != "" && !validEmail(u.Email) {
		return nil, errorf(400, wire.CodeValidation, "email %q is not an e-mail address", u.Email)
	}
	if u.Permission, e = optionalText(fs, "user", "permission", 50); e != nil {
		return nil, e
	}
	if u.Permission == "" {
		u.Permission = "Agent"
	}
	if !contains(permissions, u.Permission) {
		return nil, errorf(400, wire.CodeValidation, "permission %q is not one of %s (case-sensitive)", u.Permission, strings.Join(permissions, ", "))
	}
	if u.MaxChats, e = optionalInt(fs, "user", "maxChats", -1, 100, 4); e != nil {
		return nil, e
	}
	if u.SkillIDs, e = skillIDs(fs["skillIds"]); e != nil {
		return nil, e
	}
	return u, nil
}

// skillIDs reads {"skillIds":{"skillId":[1,2]}} (the XML mapping, one item
// as a scalar) or, leniently, {"skillIds":[1,2]}.
func skillIDs(ns []*node) ([]int, *apiError) {
	var out []int
	for _, n := range ns {
		var texts []string
		if len(n.Children) > 0 {
			for _, c := range n.Children {
				if c.Name != "skillId" {
					return nil, errorf(400, wire.CodeValidation, "skillIds holds skillId elements, not %q", c.Name)
				}
				texts = append(texts, c.Text)
			}
		} else if strings.TrimSpace(n.Text) != "" {
			texts = append(texts, n.Text)
		}
		for _, t := range texts {
			id, err := strconv.Atoi(strings.TrimSpace(t))
			if err != nil || id <= 0 {
				return nil, errorf(400, wire.CodeValidation, "skillId %q is not a skill id", t)
			}
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out, nil
}

// checkUser checks skill references and loginName uniqueness.
func checkUser(st *state, u *user) *apiError {
	for _, id := range u.SkillIDs {
		if _, ok := st.Skills.get(id); !ok {
			return errorf(400, wire.CodeValidation, "skillId %d names no skill", id)
		}
	}
	for _, o := range st.Users.items {
		if o.ID != u.ID && o.LoginName == u.LoginName {
			return errorf(http.StatusConflict, wire.CodeConflict, "a user with loginName %q already exists", u.LoginName)
		}
	}
	return nil
}

func (st *state) userByLogin(login string) *user {
	for _, u := range st.Users.items {
		if u.LoginName == login {
			return u
		}
	}
	return nil
}
