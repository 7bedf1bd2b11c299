package sandbox

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

var (
	skillBases = []string{"Support", "Sales", "Billing", "Technical Support", "Returns", "Shipping", "VIP",
		"Retention", "Onboarding", "Accounts", "Payments", "Fraud", "Loyalty", "Warranty", "Product Questions",
		"Enterprise Sales", "Small Business", "Upgrades", "Cancellations", "Feedback", "Escalations", "Partners",
		"Orders", "Installations", "Mobile App", "Web Store", "Subscriptions", "Refunds", "Compliance", "Night Shift"}
	// Some regions are not ASCII on purpose: names travel through URLs,
	// XML and JSON, and the client must keep them intact.
	skillRegions = []string{"EMEA", "APAC", "North America", "LATAM", "Zürich", "São Paulo", "Montréal",
		"København", "Kraków", "Tokyo", "Sydney", "Dublin"}
	firstNames = [][2]string{{"Alice", "alice"}, {"Bruno", "bruno"}, {"Chloé", "chloe"}, {"Dmitri", "dmitri"},
		{"Emma", "emma"}, {"Farid", "farid"}, {"Grace", "grace"}, {"Hiroshi", "hiroshi"}, {"Inès", "ines"},
		{"James", "james"}, {"Kateřina", "katerina"}, {"Liam", "liam"}, {"María", "maria"}, {"Noah", "noah"},
		{"Olivia", "olivia"}, {"Paweł", "pawel"}, {"Quinn", "quinn"}, {"Rosa", "rosa"}, {"Sofia", "sofia"},
		{"Tomás", "tomas"}, {"Uma", "uma"}, {"Victor", "victor"}, {"Wei", "wei"}, {"Xavier", "xavier"},
		{"Yasmin", "yasmin"}, {"Zoë", "zoe"}, {"Aarav", "aarav"}, {"Björn", "bjorn"}, {"Camille", "camille"},
		{"Diego", "diego"}, {"Elif", "elif"}, {"Fatima", "fatima"}, {"Giulia", "giulia"}, {"Hannah", "hannah"},
		{"Ivan", "ivan"}, {"Jonas", "jonas"}, {"Kenji", "kenji"}, {"Lena", "lena"}, {"Mateo", "mateo"}, {"Nora", "nora"}}
	lastNames = [][2]string{{"Martin", "martin"}, {"Silva", "silva"}, {"Dubois", "dubois"}, {"Ivanov", "ivanov"},
		{"Smith", "smith"}, {"Haddad", "haddad"}, {"Kim", "kim"}, {"Tanaka", "tanaka"}, {"García", "garcia"},
		{"O'Brien", "obrien"}, {"Novák", "novak"}, {"Murphy", "murphy"}, {"López", "lopez"}, {"Müller", "muller"},
		{"Rossi", "rossi"}, {"Kowalski", "kowalski"}, {"Jensen", "jensen"}, {"Costa", "costa"}, {"Nielsen", "nielsen"},
		{"Fernández", "fernandez"}, {"Patel", "patel"}, {"Wang", "wang"}, {"Schmidt", "schmidt"}, {"Yilmaz", "yilmaz"},
		{"Andersson", "andersson"}, {"Moreau", "moreau"}, {"Nakamura", "nakamura"}, {"Kelly", "kelly"},
		{"Bianchi", "bianchi"}, {"Horvat", "horvat"}, {"Lindqvist", "lindqvist"}, {"Okafor", "okafor"},
		{"Petrov", "petrov"}, {"Quispe", "quispe"}, {"Reyes", "reyes"}, {"Sato", "sato"}, {"Thompson", "thompson"},
		{"Vargas", "vargas"}, {"Weber", "weber"}, {"Zhang", "zhang"}}
)

// seed fills st with n deterministic, realistic records: three eighths
// skills, the rest users. "Night Shift" skills get no agents, so
// availability has a false case to show.
func seed(st *state, n int) {
	rng := rand.New(rand.NewPCG(20120312, 62415))
	nSkills := n * 3 / 8
	if n >= 2 && nSkills == 0 {
		nSkills = 1
	}
	nUsers := n - nSkills
	var staffed []int
	for i := range nSkills {
		base := skillBases[i%len(skillBases)]
		round := i / len(skillBases)
		name, desc := base, "Chats about "+strings.ToLower(base)
		if round > 0 {
			region := skillRegions[(round-1)%len(skillRegions)]
			name = base + " (" + region + ")"
			if extra := (round - 1) / len(skillRegions); extra > 0 {
				name = fmt.Sprintf("%s (%s) %d", base, region, extra+1)
			}
			desc += " for " + region
		}
		sk := &skill{meta: meta{Revision: 1}, Name: name, Description: desc, MaxWaitTime: []int{30, 60, 120, 180, 300}[rng.IntN(5)]}
		st.Skills.add(sk)
		if base != "Night Shift" {
			staffed = append(staffed, sk.ID)
		}
	}
	logins := map[string]int{}
	for i := range nUsers {
		f := firstNames[i%len(firstNames)]
		l := lastNames[(i/len(firstNames)+i)%len(lastNames)]
		login := f[1] + "." + l[1]
		// Counters per base name keep large seeds linear.
		if k := logins[login]; k > 0 {
			logins[login] = k + 1
			login = login + strconv.Itoa(k+1)
		} else {
			logins[login] = 1
		}
		perm := "Agent"
		switch r := rng.IntN(100); {
		case r < 8:
			perm = "Administrator"
		case r < 20:
			perm = "AgentManager"
		}
		u := &user{meta: meta{Revision: 1}, LoginName: login, FullName: f[0] + " " + l[0], Nickname: f[0],
			Email: login + "@example.com", Permission: perm, MaxChats: []int{2, 3, 4, 5, -1}[rng.IntN(5)]}
		if len(staffed) > 0 {
			// Round-robin first, so every staffed skill has an agent.
			u.SkillIDs = append(u.SkillIDs, staffed[i%len(staffed)])
			for range rng.IntN(3) {
				id := staffed[rng.IntN(len(staffed))]
				if !slices.Contains(u.SkillIDs, id) {
					u.SkillIDs = append(u.SkillIDs, id)
				}
			}
		}
		if i == 0 {
			// The first user is the agent an agent session logs in as
			// when it names nobody ({"loginData": ""}, as documented): it
			// can take a chat for any staffed skill, any number at once.
			u.SkillIDs, u.MaxChats = slices.Clone(staffed), -1
		}
		st.Users.add(u)
	}
}
