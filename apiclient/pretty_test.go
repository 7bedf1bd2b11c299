package apiclient

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lpdesk/lpdesk/apiclient/wire"
)

// bigJSON and bigXML are ~20 MB collections for the benchmarks.
func bigBodies() (js, x []byte) {
	var j, b strings.Builder
	j.WriteString(`{"skills":{"link":{"@rel":"self","@href":"h"},"skill":[`)
	b.WriteString(`<skills><link rel="self" href="h"/>`)
	for i := 0; j.Len() < 20<<20; i++ {
		if i > 0 {
			j.WriteByte(',')
		}
		fmt.Fprintf(&j, `{"@id":"%d","name":"Skill %d","description":"text & more","link":{"@rel":"self","@href":"https://s/skills/%d"}}`, i, i, i)
		fmt.Fprintf(&b, `<skill id="%d"><name>Skill %d</name><description>text &amp; more</description><link rel="self" href="https://s/skills/%d"/></skill>`, i, i, i)
	}
	j.WriteString("]}}")
	b.WriteString("</skills>")
	return []byte(j.String()), []byte(b.String())
}

func BenchmarkPrettyPrint20MB(b *testing.B) {
	js, x := bigBodies()
	for _, tc := range []struct {
		f    wire.Format
		body []byte
	}{{wire.JSON, js}, {wire.XML, x}} {
		b.Run(string(tc.f), func(b *testing.B) {
			b.SetBytes(int64(len(tc.body)))
			for b.Loop() {
				if _, err := PrettyPrint(tc.body, tc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
