package sandbox

import (
	"net/http"
)

// The visitor's surveys: pre-chat (answered through Start Chat), offline
// (answered into the outbox when no agent is there) and exit (answered on
// the chat).

func (s *Server) scPreChatSurvey(q *apiReq, _ []string) (*response, *apiError) {
	return ok(preChatSurvey.node(nil)), nil
}

func (s *Server) scOfflineSurvey(q *apiReq, _ []string) (*response, *apiError) {
	return ok(offlineSurvey.node(nil)), nil
}

// readSurvey reads a submission's "survey" member.
func readSurvey(q *apiReq) ([]answer, map[string]string, *apiError) {
	sv, e := q.member("survey", `{"survey": {"id": 361348, "question": [{"id": 4991315, "answer": "yes"}]}}`)
	if e != nil {
		return nil, nil, e
	}
	answers, fields := parseSurveyAnswers(sv)
	return answers, fields, nil
}

func (s *Server) scPostOfflineSurvey(q *apiReq, _ []string) (*response, *apiError) {
	answers, fields, e := readSurvey(q)
	if e != nil {
		return nil, e
	}
	s.update(func(st *state) *apiError {
		st.post(&outboxItem{Kind: outOfflineSurvey, Time: s.now().UTC(), Answers: answers, Fields: fields})
		return nil
	})
	return &response{status: http.StatusOK}, nil
}
