package sandbox

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// apiError is a refusal, written as the platform's error body.
type apiError struct {
	Status  int
	Code    int
	Message string
	Reason  string
	// RetryAfter, when positive, is sent as Retry-After (a 429's wait).
	RetryAfter time.Duration
}

func (e *apiError) Error() string { return fmt.Sprintf("%d (%d): %s", e.Status, e.Code, e.Message) }

func errorf(status, code int, format string, a ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, a...)}
}

func (e *apiError) why(reason string) *apiError {
	e.Reason = reason
	return e
}

// writeError writes e in format f; 401s also carry a WWW-Authenticate
// challenge, as RFC 5849 §3.2 suggests.
func (s *Server) writeError(w http.ResponseWriter, f wire.Format, e *apiError) {
	if rec, ok := w.(*recorder); ok {
		rec.code = e.Code
	}
	body := wire.Error{Time: s.now().UTC().Format("2006-01-02T15:04:05Z07:00"), Message: e.Message,
		Reason: e.Reason, InternalCode: e.Code}.Marshal(f)
	h := w.Header()
	h.Set("Content-Type", f.ContentType()+"; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if e.Status == http.StatusUnauthorized && h.Get("WWW-Authenticate") == "" {
		h.Set("WWW-Authenticate", `OAuth realm="lpdesk-sandbox"`)
	}
	if e.RetryAfter > 0 {
		h.Set("Retry-After", retryAfterSeconds(e.RetryAfter))
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

// response is what a resource handler returns on success.
type response struct {
	status   int
	body     *node
	location string
	etag     string
	// bare JSON is the root's members without the root, for the few
	// documented responses that have no root element; XML keeps the root.
	bare bool
	// raw is a JSON body written as is (APIs outside the XML mapping).
	raw []byte
}

func ok(n *node) *response { return &response{status: http.StatusOK, body: n} }

// rendered is ok(n) unless rendering n failed: rendered(viewed(…)) reads
// state and answers what it rendered.
func rendered(n *node, e *apiError) (*response, *apiError) {
	if e != nil {
		return nil, e
	}
	return ok(n), nil
}

// apiReq is one API call on its way through the conventions.
type apiReq struct {
	r      *http.Request
	format wire.Format
	method string // effective method: GET, POST, PUT or DELETE
	query  []oauthsig.Param
	body   []byte
	doc    *node  // parsed body, nil when empty
	base   string // absolute URL of the account base resource
	path   string // request path without the format extension
	ext    string // ".json", ".xml" or ""
	page   string // the documentation page of the route, if any

	consumer string
	token    string
}

// param returns the first value of the query parameter name (names are
// case-sensitive).
func (q *apiReq) param(name string) (string, bool) {
	for _, p := range q.query {
		if p.Key == name {
			return p.Value, true
		}
	}
	return "", false
}

// only refuses query parameters outside allowed (plus the protocol's own),
// naming a case-insensitive match if there is one, because the most common
// mistake is a wrongly cased name that would otherwise be silently ignored.
func (q *apiReq) only(allowed ...string) *apiError {
	for _, p := range q.query {
		// NC=true is in every documented Server Chat and Chat Agent URL
		// and explained nowhere: accepted with any value and ignored.
		if p.Key == "v" || p.Key == "NC" || p.Key == "appKey" || p.Key == "appkey" || strings.HasPrefix(p.Key, "oauth_") {
			continue
		}
		known := false
		for _, a := range allowed {
			if p.Key == a {
				known = true
				break
			}
		}
		if known {
			continue
		}
		e := errorf(400, wire.CodeValidation, "unknown query parameter %q", p.Key)
		for _, a := range allowed {
			if strings.EqualFold(p.Key, a) {
				return e.why(fmt.Sprintf("parameter names are case-sensitive: did you mean %q?", a))
			}
		}
		if len(allowed) == 0 {
			return e.why("this resource takes no parameters besides v")
		}
		return e.why("this resource takes: " + strings.Join(allowed, ", "))
	}
	return nil
}

const maxBody = 4 << 20

// serveAPI applies the platform's conventions in order: format, version,
// discovery, body, credentials, route and method, body format; then the
// resource.
func (s *Server) serveAPI(w *recorder, r *http.Request) {
	if s.serveDomain(w, r) {
		return
	}
	if s.serveEcho(w, r) {
		return
	}
	q, e := s.scope(r)
	if e == nil && q.path == s.discoveryPath {
		if target, ok := s.discoveryRedirect(r, q.path); ok {
			s.redirectDiscovery(w, q, target)
			return
		}
		if !strings.HasPrefix(q.path+"/", s.cfg.BasePath+"/") {
			e = errorf(404, wire.CodeNotFound, "no resource at %s", r.URL.Path)
		}
	}
	if e == nil {
		e = q.readBody(w)
	}
	rest := strings.TrimPrefix(q.path, s.cfg.BasePath)
	res := s.find(rest)
	if e == nil {
		e = s.servedHere(r, res)
	}
	if e == nil {
		e = s.authenticate(q, res)
	}
	var rt *route
	if e == nil {
		rt, e = s.dispatch(w, q, res, rest)
	}
	if e == nil {
		e = q.parseDoc(res.api.body)
	}
	if e == nil {
		e = q.only(rt.params...)
	}
	var resp *response
	if e == nil {
		resp, e = rt.h(q, res.args)
	}
	if e != nil {
		s.writeError(w, q.format, e)
		return
	}
	s.writeResponse(w, q, resp)
}

// scope reads what every API request needs before anything else: the
// format, that the path is the account's (or discovery), the query and v=1.
func (s *Server) scope(r *http.Request) (*apiReq, *apiError) {
	q := &apiReq{r: r}
	f, path, ext, e := negotiate(r)
	q.format, q.path, q.ext = f, path, ext
	if e != nil {
		return q, e
	}
	base := s.cfg.BasePath
	inAccount := path == base || strings.HasPrefix(path, base+"/")
	if !inAccount && path != s.discoveryPath {
		return q, errorf(404, wire.CodeNotFound, "no resource at %s", r.URL.Path).
			why(fmt.Sprintf("the account base resource is %s; paths are case-sensitive", base))
	}
	query, err := oauthsig.ParseForm(r.URL.RawQuery)
	if err != nil {
		return q, errorf(400, wire.CodeValidation, "malformed query string").why(err.Error())
	}
	q.query = query
	q.base = requestBase(r) + base
	return q, checkVersion(query)
}

// readBody reads the body, at most maxBody bytes.
func (q *apiReq) readBody(w http.ResponseWriter) *apiError {
	q.r.Body = http.MaxBytesReader(w, q.r.Body, maxBody)
	body, err := io.ReadAll(q.r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errorf(http.StatusRequestEntityTooLarge, wire.CodeMalformedBody, "request body larger than %d bytes", maxBody)
		}
		return errorf(400, wire.CodeMalformedBody, "reading the request body failed")
	}
	q.body = body
	return nil
}

// dispatch applies the method override and finds the resource's handler.
func (s *Server) dispatch(w http.ResponseWriter, q *apiReq, res *resource, rest string) (*route, *apiError) {
	method, e := effectiveMethod(q.r)
	if e != nil {
		w.Header().Set("Allow", "GET, POST")
		return nil, e
	}
	q.method = method
	if res == nil {
		return nil, s.notFound(rest)
	}
	rt, e := res.handler(method)
	if e != nil {
		w.Header().Set("Allow", "GET, POST")
		return nil, e
	}
	q.page, _, _ = strings.Cut(rt.doc, "|")
	return rt, nil
}

// parseDoc parses a POST or PUT body in the format its Content-Type names,
// as mode says.
func (q *apiReq) parseDoc(mode bodyMode) *apiError {
	if mode == bodyRaw || (q.method != "POST" && q.method != "PUT") {
		return nil
	}
	empty := len(strings.TrimSpace(string(q.body))) == 0
	if mode == bodyMembers {
		// Handlers read members of a "body" node, never nil.
		q.doc = el("body")
	}
	if empty {
		return nil
	}
	ct := q.r.Header.Get("Content-Type")
	bf, ok := wire.FormatOf(ct)
	if !ok {
		if ct == "" {
			ct = "(none)"
		}
		return errorf(http.StatusUnsupportedMediaType, wire.CodeUnsupportedMedia,
			"Content-Type %s is not supported", ct).why("send the body as application/json or application/xml")
	}
	var doc *node
	var err error
	switch {
	case mode == bodyMembers && bf == wire.JSON:
		doc, err = parseJSONMembers(q.body)
	case mode == bodyMembers:
		doc, err = parseBody(q.body, bf)
		if err == nil {
			doc = el("body", doc)
		}
	default:
		doc, err = parseBody(q.body, bf)
	}
	if err != nil {
		var be *bodyError
		if errors.As(err, &be) {
			return errorf(400, wire.CodeMalformedBody, "malformed %s body at line %d, column %d",
				strings.ToUpper(string(bf)), be.Line, be.Col).why(be.Msg)
		}
		return errorf(400, wire.CodeMalformedBody, "malformed %s body", strings.ToUpper(string(bf))).why(err.Error())
	}
	q.doc = doc
	return nil
}

// writeResponse writes a handler's success in the negotiated format.
func (s *Server) writeResponse(w http.ResponseWriter, q *apiReq, resp *response) {
	if resp.status == 0 {
		resp.status = http.StatusOK
	}
	hd := w.Header()
	if resp.location != "" {
		hd.Set("Location", resp.location)
	}
	if resp.etag != "" {
		hd.Set("ETag", resp.etag)
	}
	hd.Set("Content-Type", q.format.ContentType()+"; charset=utf-8")
	hd.Set("Vary", "Accept")
	hd.Set("Cache-Control", "no-store")
	if (resp.body == nil && resp.raw == nil) || q.r.Method == http.MethodHead {
		w.WriteHeader(resp.status)
		return
	}
	// The body is rendered in full before writing, so its length is known:
	// sending it lets clients size their read buffer once instead of
	// growing it over a chunked response.
	out := resp.raw
	switch {
	case out != nil:
		hd.Set("Content-Type", "application/json; charset=utf-8")
	case resp.bare && q.format == wire.JSON:
		out = renderMembers(resp.body)
	default:
		out = render(resp.body, q.format)
	}
	hd.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(resp.status)
	_, _ = w.Write(out)
}

// negotiate picks the response format: a case-sensitive ".json"/".xml" on
// the last segment wins over Accept. It returns the path without the
// extension. A wrongly cased extension (".XML") is refused with 404, as the
// platform did, in the format Accept asks for.
func negotiate(r *http.Request) (f wire.Format, path, ext string, err *apiError) {
	path = r.URL.Path
	accepted, acceptOK := acceptFormat(r.Header.Get("Accept"))
	last := path[strings.LastIndexByte(path, '/')+1:]
	if i := strings.LastIndexByte(last, '.'); i >= 0 {
		e := last[i+1:]
		switch e {
		case "json", "xml":
			return wire.Format(e), path[:len(path)-len(e)-1], "." + e, nil
		}
		if strings.EqualFold(e, "json") || strings.EqualFold(e, "xml") {
			if !acceptOK {
				accepted = wire.JSON
			}
			return accepted, path, "", errorf(404, wire.CodeUnknownFormat, "unknown format extension %q", "."+e).
				why("extensions are case-sensitive: use .json or .xml")
		}
	}
	if !acceptOK {
		return wire.JSON, path, "", errorf(http.StatusNotAcceptable, wire.CodeUnknownFormat,
			"Accept %q names no format this platform serves", r.Header.Get("Accept")).
			why("send Accept: application/json or application/xml, or use a .json/.xml extension")
	}
	return accepted, path, "", nil
}

// acceptFormat chooses JSON or XML from an Accept header by quality; an
// absent header or */* means JSON. ok is false when nothing acceptable is
// named.
func acceptFormat(h string) (wire.Format, bool) {
	if strings.TrimSpace(h) == "" {
		return wire.JSON, true
	}
	best, bestQ := wire.Format(""), 0.0
	for _, part := range strings.Split(h, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(v, 64); err != nil {
				continue
			}
		}
		var f wire.Format
		switch {
		case mt == "application/json" || strings.HasSuffix(mt, "+json"):
			f = wire.JSON
		case mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"):
			f = wire.XML
		case mt == "*/*" || mt == "application/*":
			f = wire.JSON
		case mt == "text/*":
			f = wire.XML
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = f, q
		}
	}
	return best, bestQ > 0
}

// checkVersion requires exactly one v=1.
func checkVersion(query []oauthsig.Param) *apiError {
	var vs []string
	var wrongCase string
	for _, p := range query {
		if p.Key == "v" {
			vs = append(vs, p.Value)
		} else if p.Key == "V" {
			wrongCase = p.Key
		}
	}
	switch {
	case len(vs) == 0:
		e := errorf(400, wire.CodeMissingVersion, "missing version parameter").why("v=1 is required on every request")
		if wrongCase != "" {
			e.Reason += "; parameter names are case-sensitive (found V)"
		}
		return e
	case len(vs) > 1:
		return errorf(400, wire.CodeBadVersion, "version parameter given %d times", len(vs)).why("send v=1 once")
	case vs[0] != "1":
		return errorf(400, wire.CodeBadVersion, "unsupported version %q", vs[0]).why("the only version is v=1")
	}
	return nil
}

// effectiveMethod applies X-HTTP-Method-Override. The platform takes PUT
// and DELETE only as an override on POST, so a bare PUT or DELETE is
// refused with a hint rather than silently accepted.
func effectiveMethod(r *http.Request) (string, *apiError) {
	override := strings.ToUpper(strings.TrimSpace(r.Header.Get("X-HTTP-Method-Override")))
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if override != "" {
			return "", errorf(405, wire.CodeMethodNotAllowed, "X-HTTP-Method-Override is only honoured on POST")
		}
		return "GET", nil
	case http.MethodPost:
		switch override {
		case "":
			return "POST", nil
		case "PUT", "DELETE":
			return override, nil
		}
		return "", errorf(405, wire.CodeMethodNotAllowed, "unsupported X-HTTP-Method-Override %q", override).
			why("the override must be PUT or DELETE")
	case http.MethodPut, http.MethodDelete:
		return "", errorf(405, wire.CodeMethodNotAllowed, "%s is not accepted directly", r.Method).
			why("send POST with X-HTTP-Method-Override: " + r.Method)
	}
	return "", errorf(405, wire.CodeMethodNotAllowed, "method %s is not allowed", r.Method)
}

// discoveryRedirect says where a discovery request should go, if anywhere.
func (s *Server) discoveryRedirect(r *http.Request, path string) (string, bool) {
	target := s.cfg.DiscoveryTarget
	if target != "" {
		u, _ := url.Parse(target)
		if u != nil && strings.EqualFold(u.Host, r.Host) && u.Path == path {
			return "", false // we are the target
		}
		return strings.TrimSuffix(target, "/"), true
	}
	if s.cfg.BasePath != s.discoveryPath && s.cfg.DiscoveryRedirect {
		return requestBase(r) + s.cfg.BasePath, true
	}
	return "", false
}

// redirectDiscovery answers 302 to target, keeping the extension and the
// query minus credentials (a query signature is bound to the old URL; the
// client signs the new one).
func (s *Server) redirectDiscovery(w http.ResponseWriter, q *apiReq, target string) {
	var keep []string
	for _, p := range q.query {
		if p.Key == "appKey" || strings.HasPrefix(p.Key, "oauth_") {
			continue
		}
		keep = append(keep, url.QueryEscape(p.Key)+"="+url.QueryEscape(p.Value))
	}
	loc := target + q.ext
	if len(keep) > 0 {
		loc += "?" + strings.Join(keep, "&")
	}
	w.Header().Set("Location", loc)
	w.Header().Set("Content-Type", q.format.ContentType()+"; charset=utf-8")
	body := render(el("account", linkEl("self", strings.SplitN(loc, "?", 2)[0])).attr("id", s.cfg.AccountID), q.format)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusFound)
	_, _ = w.Write(body)
}
