package sandbox

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// Services on base URLs of their own: the platform spreads its APIs over
// hosts that clients find through the Domain API. The sandbox can do the
// same with more listeners in one process, so that a client which skips
// discovery fails as it would on the platform.

func checkServiceHosts(hosts map[Service]string) error {
	for svc, h := range hosts {
		if !slices.Contains(Services, svc) {
			return fmt.Errorf("sandbox: unknown service %q (services: %s)", svc, serviceNames())
		}
		if _, _, err := net.SplitHostPort(h); err != nil || strings.ContainsAny(h, "/?#") {
			return fmt.Errorf("sandbox: service %s: %q is not host:port", svc, h)
		}
	}
	return nil
}

func serviceNames() string {
	var names []string
	for _, s := range Services {
		names = append(names, string(s))
	}
	return strings.Join(names, ", ")
}

// ParseService reads a service name as the Domain API spells it
// (case-sensitive).
func ParseService(name string) (Service, error) {
	if svc := Service(name); slices.Contains(Services, svc) {
		return svc, nil
	}
	return "", fmt.Errorf("unknown service %q (services: %s)", name, serviceNames())
}

type listenerKey struct{}

// ServiceHandler serves svc's API on a listener of its own (the host given
// in Config.ServiceHosts): every other path is answered 404.
func (s *Server) ServiceHandler(svc Service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			f, ok := acceptFormat(r.Header.Get("Accept"))
			if !ok {
				f = wire.JSON
			}
			s.writeError(w, f, errorf(404, wire.CodeNotFound, "no resource at %s", r.URL.Path).
				why(fmt.Sprintf("this listener serves the %s service only", svc)))
			return
		}
		s.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), listenerKey{}, svc)))
	})
}

// listenerOf is the service a request's listener is dedicated to, or
// serviceAccount for the main listener.
func listenerOf(r *http.Request) Service {
	svc, _ := r.Context().Value(listenerKey{}).(Service)
	return svc
}

// placed reports where svc is served when it has a host of its own.
func (s *Server) placed(svc Service) (string, bool) {
	h, ok := s.cfg.ServiceHosts[svc]
	return h, ok && h != ""
}

// servedHere refuses a resource of a service this listener does not serve.
func (s *Server) servedHere(r *http.Request, res *resource) *apiError {
	if res == nil {
		return nil
	}
	here, svc := listenerOf(r), res.api.service
	if here == svc {
		return nil
	}
	if here != serviceAccount {
		return errorf(404, wire.CodeNotFound, "no resource at %s", r.URL.Path).
			why(fmt.Sprintf("this listener serves the %s service only", here))
	}
	if h, ok := s.placed(svc); ok {
		return errorf(404, wire.CodeNotFound, "no resource at %s", r.URL.Path).
			why(fmt.Sprintf("the %s API is served at http://%s (the %s service: ask the Domain API)", res.api.name, h, svc))
	}
	return nil
}

// baseFor is the account base URL on the listener that serves svc. Links
// only cross from the main listener to dedicated ones (the account base
// links every service), so the main listener's own address is never
// needed.
func (s *Server) baseFor(q *apiReq, svc Service) string {
	if h, ok := s.placed(svc); ok && listenerOf(q.r) != svc {
		scheme, _, _ := strings.Cut(requestBase(q.r), "://")
		return scheme + "://" + h + s.cfg.BasePath
	}
	return q.base
}
