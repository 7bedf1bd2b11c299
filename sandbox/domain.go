package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/oauthsig"
	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// The Domain API (APIGuidelines/domain-api.md): where each service of the
// account is served, as a bare host name (host:port here). It is public
// (no credentials) and JSON only. The sandbox answers it on the main
// listener:
//
//	GET /api/account/{accountId}/service/{serviceName}/baseURI.json?version=1.0
//	    → {"service": …, "account": …, "baseURI": …} (the page's older version
//	      and public clients; the current page's example is the list below)
//	GET /api/account/{accountId}/service/baseURI.json?version=1.0
//	    → {"baseURIs": [{"service", "account", "baseURI"}, …]}
//
// and the same under /csdr/ (the Postman collection's all-services form).

const domainDoc = "pages/Documents/APIGuidelines/domain-api.md"

// domainServices are the names the Domain API answers: the placeable
// services, and lpdesk's account resources (skills, users) under the
// platform's account configuration names, always on the main listener.
var domainServices = []Service{ServiceServerChat, ServiceChatAgent, ServiceMonitoring, "accountConfigReadWrite", "accountConfigReadOnly"}

type baseURI struct {
	Service string `json:"service"`
	Account string `json:"account"`
	BaseURI string `json:"baseURI"`
}

// serveDomain answers a Domain API request and reports whether r was one.
func (s *Server) serveDomain(w *recorder, r *http.Request) bool {
	segs := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	// api|csdr, account, {id}, service, [{name},] baseURI[.json]
	if len(segs) < 5 || len(segs) > 6 || (segs[0] != "api" && segs[0] != "csdr") || segs[1] != "account" || segs[3] != "service" {
		return false
	}
	last := segs[len(segs)-1]
	if last != "baseURI" && last != "baseURI.json" {
		return false
	}
	if here := listenerOf(r); here != serviceAccount {
		s.writeError(w, wire.JSON, errorf(404, wire.CodeNotFound, "no resource at %s", r.URL.Path).
			why(fmt.Sprintf("this listener serves the %s service only; the Domain API is on the main one", here)))
		return true
	}
	var want Service
	all := len(segs) == 5
	if !all {
		want = Service(segs[4])
	}
	e := s.domainChecks(r, segs[2], want, all)
	if e != nil {
		s.writeError(w, wire.JSON, e)
		return true
	}
	home := r.Host
	if s.cfg.DiscoveryTarget != "" {
		// The account's own server, as the legacy redirect names it.
		if u, err := url.Parse(s.cfg.DiscoveryTarget); err == nil {
			home = u.Host
		}
	}
	entry := func(svc Service) baseURI {
		host := home
		if h, ok := s.placed(svc); ok {
			host = h
		}
		return baseURI{Service: string(svc), Account: s.cfg.AccountID, BaseURI: host}
	}
	var body []byte
	if all {
		var list struct {
			BaseURIs []baseURI `json:"baseURIs"`
		}
		for _, svc := range domainServices {
			list.BaseURIs = append(list.BaseURIs, entry(svc))
		}
		body, _ = json.Marshal(list)
	} else {
		body, _ = json.Marshal(entry(want))
	}
	body = append(body, '\n')
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return true
}

// domainChecks applies the page's two refusals: 400 for a bad request
// (version, method, service name), 401 for an invalid site.
func (s *Server) domainChecks(r *http.Request, account string, want Service, all bool) *apiError {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return errorf(400, wire.CodeMethodNotAllowed, "the Domain API answers GET only")
	}
	query, err := oauthsig.ParseForm(r.URL.RawQuery)
	if err != nil {
		return errorf(400, wire.CodeValidation, "malformed query string").why(err.Error())
	}
	version := ""
	for _, p := range query {
		if p.Key == "version" {
			version = p.Value
		}
	}
	if version != "1.0" {
		return errorf(400, wire.CodeBadVersion, "version must be 1.0, got %q", version).
			why("GET …/service/{serviceName}/baseURI.json?version=1.0 (" + DocBase + domainDoc + ")")
	}
	if account != s.cfg.AccountID {
		return errorf(401, wire.CodeNotFound, "invalid site %q", account).why("this sandbox serves account " + s.cfg.AccountID)
	}
	if !all {
		known := false
		for _, svc := range domainServices {
			known = known || svc == want
		}
		if !known {
			var names []string
			for _, svc := range domainServices {
				names = append(names, string(svc))
			}
			return errorf(400, wire.CodeValidation, "unknown service %q", want).
				why("service names are case-sensitive: " + strings.Join(names, ", "))
		}
	}
	return nil
}
