package sandbox

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Account configuration collections (skills, users) carry a revision: reads
// answer it as ETag, updates and deletes honour If-Match (412 on mismatch;
// an absent If-Match is allowed, as the platform did).

func etag(rev int) string { return `"` + strconv.Itoa(rev) + `"` }

// ifMatch checks the If-Match header against rev.
func ifMatch(r *http.Request, rev int) *apiError {
	h := r.Header.Get("If-Match")
	if h == "" {
		return nil
	}
	for _, part := range strings.Split(h, ",") {
		p := strings.TrimSpace(part)
		if p == "*" {
			return nil
		}
		p = strings.Trim(strings.TrimPrefix(p, "W/"), `"`)
		if p == strconv.Itoa(rev) {
			return nil
		}
	}
	return errorf(http.StatusPreconditionFailed, wire.CodePreconditionFailed,
		"If-Match %s does not match the current revision %s", h, etag(rev)).
		why("someone changed the record since you read it; GET it again and reapply your change")
}

func recordID(args []string, kind string) (int, *apiError) {
	id, err := strconv.Atoi(args[0])
	if err != nil || id <= 0 || strconv.Itoa(id) != args[0] {
		return 0, errorf(404, wire.CodeNotFound, "no %s %q", kind, args[0])
	}
	return id, nil
}

// page applies limit/offset to ids and returns the slice with the
// collection's attributes and navigation links.
func pageOf(q *apiReq, name string, ids []int) ([]int, *node, *apiError) {
	if e := q.only("limit", "offset"); e != nil {
		return nil, nil, e
	}
	limit, hasLimit, e := intParam(q, "limit", 1, 1_000_000)
	if e != nil {
		return nil, nil, e
	}
	offset, _, e := intParam(q, "offset", 0, 1<<31-1)
	if e != nil {
		return nil, nil, e
	}
	total := len(ids)
	lo := min(offset, total)
	hi := total
	if hasLimit {
		hi = min(lo+limit, total)
	}
	coll := el(name).attr("count", strconv.Itoa(total)).attr("offset", strconv.Itoa(offset))
	self := q.base + "/" + name
	if hasLimit {
		coll.attr("limit", strconv.Itoa(limit))
		coll.add(linkEl("self", fmt.Sprintf("%s?offset=%d&limit=%d", self, offset, limit)))
		if hi < total {
			coll.add(linkEl("next", fmt.Sprintf("%s?offset=%d&limit=%d", self, hi, limit)))
		}
		if lo > 0 {
			coll.add(linkEl("prev", fmt.Sprintf("%s?offset=%d&limit=%d", self, max(lo-limit, 0), limit)))
		}
	} else {
		coll.add(linkEl("self", self))
	}
	return ids[lo:hi], coll, nil
}

// ---- skills ----------------------------------------------------------------

var skillFields = []string{"name", "description", "maxWaitTime"}

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

// skillNameTaken reports whether another skill has name; caller holds s.mu.
func (s *Server) skillNameTaken(name string, except int) bool {
	for id, sk := range s.st.Skills {
		if id != except && sk.Name == name {
			return true
		}
	}
	return false
}

func (s *Server) skillList(q *apiReq, _ []string) (*response, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids, coll, e := pageOf(q, "skills", s.st.SkillOrder)
	if e != nil {
		return nil, e
	}
	for _, id := range ids {
		coll.add(skillNode(q.base, s.st.Skills[id]))
	}
	return ok(coll), nil
}

func (s *Server) skillCreate(q *apiReq, _ []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	sk, e := parseSkill(q.doc)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	if s.skillNameTaken(sk.Name, 0) {
		s.mu.Unlock()
		return nil, errorf(http.StatusConflict, wire.CodeConflict, "a skill named %q already exists", sk.Name)
	}
	sk.Revision = 1
	s.st.addSkill(sk)
	s.changed()
	n := skillNode(q.base, sk)
	s.mu.Unlock()
	_ = s.persist()
	return &response{status: http.StatusCreated, body: n, etag: etag(sk.Revision),
		location: q.base + "/skills/" + strconv.Itoa(sk.ID)}, nil
}

func (s *Server) skillGet(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	id, e := recordID(args, "skill")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sk := s.st.Skills[id]
	if sk == nil {
		return nil, errorf(404, wire.CodeNotFound, "no skill %d", id)
	}
	return &response{body: skillNode(q.base, sk), etag: etag(sk.Revision)}, nil
}

func (s *Server) skillUpdate(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	id, e := recordID(args, "skill")
	if e != nil {
		return nil, e
	}
	upd, e := parseSkill(q.doc)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	cur := s.st.Skills[id]
	switch {
	case cur == nil:
		s.mu.Unlock()
		return nil, errorf(404, wire.CodeNotFound, "no skill %d", id)
	case ifMatch(q.r, cur.Revision) != nil:
		s.mu.Unlock()
		return nil, ifMatch(q.r, cur.Revision)
	case s.skillNameTaken(upd.Name, id):
		s.mu.Unlock()
		return nil, errorf(http.StatusConflict, wire.CodeConflict, "a skill named %q already exists", upd.Name)
	}
	upd.ID, upd.Revision = id, cur.Revision+1
	s.st.Skills[id] = upd
	s.changed()
	n := skillNode(q.base, upd)
	s.mu.Unlock()
	_ = s.persist()
	return &response{body: n, etag: etag(upd.Revision)}, nil
}

func (s *Server) skillDelete(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	id, e := recordID(args, "skill")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	sk := s.st.Skills[id]
	if sk == nil {
		s.mu.Unlock()
		return nil, errorf(404, wire.CodeNotFound, "no skill %d", id)
	}
	if e := ifMatch(q.r, sk.Revision); e != nil {
		s.mu.Unlock()
		return nil, e
	}
	if n := s.skillAgents()[id]; n > 0 {
		s.mu.Unlock()
		return nil, errorf(http.StatusConflict, wire.CodeConflict, "skill %d is assigned to %d user(s)", id, n).
			why("remove it from those users' skillIds first")
	}
	s.st.deleteSkill(id)
	s.changed()
	n := skillNode(q.base, sk)
	s.mu.Unlock()
	_ = s.persist()
	return ok(n), nil
}

// ---- users -------------------------------------------------------------------

var (
	userFields  = []string{"loginName", "fullName", "nickname", "email", "permission", "maxChats", "skillIds"}
	permissions = []string{"Agent", "AgentManager", "Administrator"}
	loginRe     = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)
)

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

// parseUser validates a user body; skill references are checked by the
// caller under the lock.
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
	// skillIds: {"skillIds":{"skillId":[1,2]}} (the XML mapping, one item
	// as a scalar) or, leniently, {"skillIds":[1,2]}.
	for _, n := range fs["skillIds"] {
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
			if !slices.Contains(u.SkillIDs, id) {
				u.SkillIDs = append(u.SkillIDs, id)
			}
		}
	}
	return u, nil
}

// checkUser checks references and uniqueness; the caller holds s.mu.
func (s *Server) checkUser(u *user, except int) *apiError {
	for _, id := range u.SkillIDs {
		if s.st.Skills[id] == nil {
			return errorf(400, wire.CodeValidation, "skillId %d names no skill", id)
		}
	}
	for id, o := range s.st.Users {
		if id != except && o.LoginName == u.LoginName {
			return errorf(http.StatusConflict, wire.CodeConflict, "a user with loginName %q already exists", u.LoginName)
		}
	}
	return nil
}

func (s *Server) userList(q *apiReq, _ []string) (*response, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids, coll, e := pageOf(q, "users", s.st.UserOrder)
	if e != nil {
		return nil, e
	}
	for _, id := range ids {
		coll.add(userNode(q.base, s.st.Users[id]))
	}
	return ok(coll), nil
}

func (s *Server) userCreate(q *apiReq, _ []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	u, e := parseUser(q.doc)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	if e := s.checkUser(u, 0); e != nil {
		s.mu.Unlock()
		return nil, e
	}
	u.Revision = 1
	s.st.addUser(u)
	s.changed()
	n := userNode(q.base, u)
	s.mu.Unlock()
	_ = s.persist()
	return &response{status: http.StatusCreated, body: n, etag: etag(u.Revision),
		location: q.base + "/users/" + strconv.Itoa(u.ID)}, nil
}

func (s *Server) userGet(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	id, e := recordID(args, "user")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.st.Users[id]
	if u == nil {
		return nil, errorf(404, wire.CodeNotFound, "no user %d", id)
	}
	return &response{body: userNode(q.base, u), etag: etag(u.Revision)}, nil
}

func (s *Server) userUpdate(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	id, e := recordID(args, "user")
	if e != nil {
		return nil, e
	}
	upd, e := parseUser(q.doc)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	cur := s.st.Users[id]
	if cur == nil {
		s.mu.Unlock()
		return nil, errorf(404, wire.CodeNotFound, "no user %d", id)
	}
	if e := ifMatch(q.r, cur.Revision); e != nil {
		s.mu.Unlock()
		return nil, e
	}
	if e := s.checkUser(upd, id); e != nil {
		s.mu.Unlock()
		return nil, e
	}
	upd.ID, upd.Revision = id, cur.Revision+1
	s.st.Users[id] = upd
	s.changed()
	n := userNode(q.base, upd)
	s.mu.Unlock()
	_ = s.persist()
	return &response{body: n, etag: etag(upd.Revision)}, nil
}

func (s *Server) userDelete(q *apiReq, args []string) (*response, *apiError) {
	if e := q.only(); e != nil {
		return nil, e
	}
	id, e := recordID(args, "user")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	u := s.st.Users[id]
	if u == nil {
		s.mu.Unlock()
		return nil, errorf(404, wire.CodeNotFound, "no user %d", id)
	}
	if e := ifMatch(q.r, u.Revision); e != nil {
		s.mu.Unlock()
		return nil, e
	}
	s.st.deleteUser(id)
	s.changed()
	n := userNode(q.base, u)
	s.mu.Unlock()
	_ = s.persist()
	return ok(n), nil
}
