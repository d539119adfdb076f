package records

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkContacts reads a snapshot of 5,000 contacts (one file) cold,
// then searches it: the cost of the first contacts page of a snapshot.
func BenchmarkContacts(b *testing.B) {
	p := newPhone(b)
	var lines []string
	for i := 0; i < 5000; i++ {
		lines = append(lines, card(fmt.Sprintf("UID:c-%d", i), fmt.Sprintf("FN:Person %d Müller", i), fmt.Sprintf("N:Müller;Person %d;;;", i),
			fmt.Sprintf("TEL;TYPE=CELL:+49 170 %07d", i), fmt.Sprintf("EMAIL:p%d@example.com", i), "ORG:Example GmbH", "NOTE:a note")...)
	}
	p.write("Contacts/all.vcf", lines...)
	s := p.backup()
	r := p.reader()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cs, err := Contacts(context.Background(), r, s.Root)
		if err != nil || len(cs) != 5000 {
			b.Fatal(len(cs), err)
		}
		t0 := time.Now()
		if n := len(Search(cs, "muller 17")); n != 5000 {
			b.Fatal(n)
		}
		b.ReportMetric(float64(time.Since(t0).Microseconds()), "µs/search")
	}
}
