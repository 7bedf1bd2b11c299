package sandbox

import (
	"strconv"
	"strings"
)

// Surveys: the sandbox's account has one survey of each documented kind,
// shaped like the documentation's examples. Answers are stored and read
// back: GET on a survey a visitor or agent answered shows the answers as
// lastKnownValue and checked entries.

type surveyEntry struct {
	Value, Display string
	ShowLogicID    int // the logicId of the question this entry reveals
}

type surveyQuestion struct {
	ID, LogicID, Order   int
	Type, Validation     string
	Label                string
	Mandatory            bool
	Entries              []surveyEntry
	DefaultLastKnownText string
}

type survey struct {
	ID            int
	Title, Header string
	Questions     []surveyQuestion
	// typed renders numbers and booleans as such, as the exit survey's
	// example does; the pre-chat and offline examples carry only strings.
	typed bool
}

// answer is one question's answer; several values (a checkbox) are joined
// by commas.
type answer struct {
	QuestionID string `json:"questionId"`
	Value      string `json:"value"`
}

var (
	preChatSurvey = survey{ID: 40216, Header: "To help us serve you better, please provide some information before we begin your chat.",
		Questions: []surveyQuestion{
			{ID: 12786273, LogicID: 4, Order: 0, Type: "Dropdown Box", Validation: "alpha_numeric", Label: "With whom would you like to chat?", Mandatory: true,
				Entries: []surveyEntry{{Value: "CATS", ShowLogicID: 5}, {Value: "DOGS"}}},
			{ID: 16314710, LogicID: 5, Order: 1, Type: "Text Field", Validation: "alpha_numeric", Label: "What is your name?", Mandatory: true},
		}}
	offlineSurvey = survey{ID: 40290, Header: "Send A Message",
		Questions: []surveyQuestion{
			{ID: 13387460, LogicID: 6, Order: 0, Type: "Text Area", Validation: "alpha_numeric", Label: "What do you want? :"},
		}}
	exitSurvey = survey{ID: 361348, typed: true,
		Questions: []surveyQuestion{
			{ID: 4991315, LogicID: 1, Order: 0, Type: "Radio Button", Validation: "alpha_numeric", Label: "Would you like us to email you a transcript of this chat?",
				Entries: []surveyEntry{{Value: "yes", Display: "Yes"}, {Value: "no", Display: "No"}}},
			{ID: 4991311, LogicID: 2, Order: 1, Type: "Text Field", Validation: "email", Label: "If yes, please provide your email:"},
		}}
	agentSurvey = survey{ID: 361350, typed: true, Header: "Please wrap up the chat",
		Questions: []surveyQuestion{
			{ID: 4991400, LogicID: 1, Order: 0, Type: "Dropdown Box", Validation: "alpha_numeric", Label: "Was the visitor's issue resolved?", Mandatory: true,
				Entries: []surveyEntry{{Value: "resolved", Display: "Resolved"}, {Value: "unresolved", Display: "Not resolved"}}},
			{ID: 4991401, LogicID: 2, Order: 1, Type: "Text Area", Validation: "alpha_numeric", Label: "Notes"},
		}}
)

func (sv survey) num(name string, v int) *node {
	if sv.typed {
		return numEl(name, v)
	}
	return textEl(name, strconv.Itoa(v))
}

func (sv survey) flag(name string, v bool) *node {
	if sv.typed {
		return boolEl(name, v)
	}
	return textEl(name, strconv.FormatBool(v))
}

// node renders the survey with answers (may be nil) filled in.
func (sv survey) node(answers []answer) *node {
	given := map[string]string{}
	for _, a := range answers {
		given[a.QuestionID] = a.Value
	}
	qs := el("questions")
	for _, q := range sv.Questions {
		qn := el("question", sv.flag("mandatory", q.Mandatory), textEl("validationType", q.Validation),
			sv.num("order", q.Order), sv.num("logicId", q.LogicID), sv.num("id", q.ID),
			textEl("type", q.Type), textEl("label", q.Label))
		value, answered := given[strconv.Itoa(q.ID)]
		if len(q.Entries) == 0 {
			if !answered {
				value = q.DefaultLastKnownText
			}
			qn.add(textEl("lastKnownValue", value))
		}
		chosen := strings.Split(value, ",")
		for _, e := range q.Entries {
			en := el("entry", sv.flag("checked", answered && contains(chosen, e.Value)), textEl("value", e.Value))
			if e.Display != "" {
				en.add(textEl("displayValue", e.Display))
			}
			if e.ShowLogicID != 0 {
				en.add(el("logic", sv.num("showLogicId", e.ShowLogicID)))
			}
			qn.add(en)
		}
		qs.add(qn)
	}
	return el("survey", sv.num("id", sv.ID), textEl("title", sv.Title), textEl("header", sv.Header), qs)
}

// parseSurveyAnswers reads a survey submission. Two documented forms: the
// answers ({"survey": {"id", "question": [{"id", "answer"}]}}) and the
// structure as GET returned it with lastKnownValue and checked entries
// filled in. Other members of "survey" (the offline survey's visitor
// fields) come back as fields.
func parseSurveyAnswers(sv *node) (answers []answer, fields map[string]string) {
	fields = map[string]string{}
	var questions []*node
	for _, c := range sv.Children {
		switch c.Name {
		case "question":
			questions = append(questions, c)
		case "questions":
			for _, q := range c.Children {
				if q.Name == "question" {
					questions = append(questions, q)
				}
			}
		case "id", "title", "header", "link":
		default:
			if len(c.Children) == 0 {
				fields[c.Name] = c.Text
			}
		}
	}
	for _, q := range questions {
		id := attrOrChild(q, "id")
		if id == "" {
			continue
		}
		var values []string
		for _, c := range q.Children {
			switch c.Name {
			case "answer", "lastKnownValue":
				if c.Text != "" {
					values = append(values, c.Text)
				}
			case "entry":
				if attrOrChild(c, "checked") == "true" {
					values = append(values, attrOrChild(c, "value"))
				}
			}
		}
		if len(values) > 0 {
			answers = append(answers, answer{QuestionID: id, Value: strings.Join(values, ",")})
		}
	}
	return answers, fields
}

// attrOrChild reads name as an attribute ("@id") or a child element ("id"),
// since the documentation writes both.
func attrOrChild(n *node, name string) string {
	for _, a := range n.Attrs {
		if a.Name == name {
			return a.Value
		}
	}
	if c := n.child(name); c != nil {
		return strings.TrimSpace(c.Text)
	}
	return ""
}
