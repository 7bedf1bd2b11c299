package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// collectionAPI serves one revisioned collection of the account's
// configuration (skills, users) as the platform did: a pageable list, create
// with 201 + Location, reads with ETag, updates and deletes honouring
// If-Match (412 on mismatch; an absent If-Match is allowed).
type collectionAPI[R record] struct {
	s    *Server
	name string // path segment and list element: "skills"
	kind string // item element: "skill"
	coll func(*state) *collection[R]
	// node renders a record with links under the account base.
	node func(base string, r R) *node
	// parse validates a request body into a new record (no id, no revision).
	parse func(doc *node) (R, *apiError)
	// check runs under the lock before a create (r's id is 0) or an update:
	// references and uniqueness.
	check func(st *state, r R) *apiError
	// inUse runs under the lock before a delete; nil allows every delete.
	inUse func(st *state, id int) *apiError
}

func (c *collectionAPI[R]) url(base string, id int) string {
	return base + "/" + c.name + "/" + strconv.Itoa(id)
}

func (c *collectionAPI[R]) notFound(id any) *apiError {
	return errorf(404, wire.CodeNotFound, "no %s %v", c.kind, id)
}

// id reads the path's record id; anything but a canonical positive integer
// names no record.
func (c *collectionAPI[R]) id(args []string) (int, *apiError) {
	id, err := strconv.Atoi(args[0])
	if err != nil || id <= 0 || strconv.Itoa(id) != args[0] {
		return 0, c.notFound(strconv.Quote(args[0]))
	}
	return id, nil
}

func (c *collectionAPI[R]) list(q *apiReq, _ []string) (*response, *apiError) {
	return rendered(viewed(c.s, func(st *state) (*node, *apiError) {
		col := c.coll(st)
		ids, list, e := pageOf(q, c.name, col.order)
		if e != nil {
			return nil, e
		}
		for _, id := range ids {
			r, _ := col.get(id)
			list.add(c.node(q.base, r))
		}
		return list, nil
	}))
}

// found is the record id names.
func (c *collectionAPI[R]) found(st *state, id int) (R, *apiError) {
	r, ok := c.coll(st).get(id)
	if !ok {
		return r, c.notFound(id)
	}
	return r, nil
}

// matched is found, for a change: the request's If-Match, if any, must
// name the record's revision.
func (c *collectionAPI[R]) matched(st *state, id int, q *apiReq) (R, *apiError) {
	r, e := c.found(st, id)
	if e == nil {
		e = ifMatch(q.r, r.rec().Revision)
	}
	return r, e
}

// answer is r as the create, read and update answer it: with its revision
// as the ETag.
func (c *collectionAPI[R]) answer(q *apiReq, status int, r R) *response {
	return &response{status: status, body: c.node(q.base, r), etag: etag(r.rec().Revision)}
}

func (c *collectionAPI[R]) create(q *apiReq, _ []string) (*response, *apiError) {
	r, e := c.parse(q.doc)
	if e != nil {
		return nil, e
	}
	return updated(c.s, func(st *state) (*response, *apiError) {
		if e := c.check(st, r); e != nil {
			return nil, e
		}
		r.rec().Revision = 1
		c.coll(st).add(r)
		resp := c.answer(q, http.StatusCreated, r)
		resp.location = c.url(q.base, r.rec().ID)
		return resp, nil
	})
}

func (c *collectionAPI[R]) get(q *apiReq, args []string) (*response, *apiError) {
	id, e := c.id(args)
	if e != nil {
		return nil, e
	}
	return viewed(c.s, func(st *state) (*response, *apiError) {
		r, e := c.found(st, id)
		if e != nil {
			return nil, e
		}
		return c.answer(q, http.StatusOK, r), nil
	})
}

func (c *collectionAPI[R]) update(q *apiReq, args []string) (*response, *apiError) {
	id, e := c.id(args)
	if e != nil {
		return nil, e
	}
	upd, e := c.parse(q.doc)
	if e != nil {
		return nil, e
	}
	return updated(c.s, func(st *state) (*response, *apiError) {
		cur, e := c.matched(st, id, q)
		if e != nil {
			return nil, e
		}
		m := upd.rec()
		m.ID = id
		if e := c.check(st, upd); e != nil {
			return nil, e
		}
		m.Revision = cur.rec().Revision + 1
		c.coll(st).add(upd)
		return c.answer(q, http.StatusOK, upd), nil
	})
}

func (c *collectionAPI[R]) remove(q *apiReq, args []string) (*response, *apiError) {
	id, e := c.id(args)
	if e != nil {
		return nil, e
	}
	return rendered(updated(c.s, func(st *state) (*node, *apiError) {
		cur, e := c.matched(st, id, q)
		if e != nil {
			return nil, e
		}
		if c.inUse != nil {
			if e := c.inUse(st, id); e != nil {
				return nil, e
			}
		}
		c.coll(st).remove(id)
		return c.node(q.base, cur), nil
	}))
}

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

// pageOf applies limit/offset to ids and returns the slice with the
// collection's attributes and navigation links.
func pageOf(q *apiReq, name string, ids []int) ([]int, *node, *apiError) {
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
